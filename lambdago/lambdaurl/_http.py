"""HTTP requests out of Lambda events, and responses back into them, for every front door:
function URLs and HTTP APIs (payload format 2.0), REST APIs and HTTP APIs with payload
format 1.0, and Application Load Balancer target groups.

Works on the event as a plain ``dict`` (the JSON Lambda delivers): no event class is
decoded, so one adapter serves all of them and nothing unused is paid for.
"""

from __future__ import annotations

import binascii
from urllib.parse import quote, unquote, unquote_to_bytes, urlencode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

__all__ = [
    "ALB",
    "HTTP_API",
    "REST",
    "URL",
    "HTTPRequest",
    "buffered_response",
    "parse_event",
    "split_headers",
    "streaming_response",
]

URL = "function-url"  # a function URL (payload format 2.0, domain *.lambda-url.*)
HTTP_API = "http-api"  # an API Gateway HTTP API with payload format 2.0
REST = "rest"  # an API Gateway REST API, or an HTTP API with payload format 1.0
ALB = "alb"  # an Application Load Balancer target group

STREAM_MODES = frozenset({"auto", "stream", "buffered"})


class HTTPRequest:
    """One HTTP request, as the app sees it."""

    __slots__ = (
        "body",
        "client",
        "front_door",
        "headers",
        "host",
        "method",
        "multi_value",
        "path",
        "query",
        "raw_path",
    )

    def __init__(
        self,
        *,
        front_door: str,
        method: str,
        raw_path: bytes,
        path: str,
        query: bytes,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        client: str,
        host: str,
        multi_value: bool,
    ) -> None:
        self.front_door = front_door
        self.method = method
        self.raw_path = raw_path
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.client = client
        self.host = host
        self.multi_value = multi_value

    def __repr__(self) -> str:
        return f"<HTTPRequest {self.front_door} {self.method} {self.path}>"


def front_door(event: Any) -> str:
    """Which front door sent ``event``; ``ValueError`` when it is not an HTTP event."""
    if not isinstance(event, dict):
        raise ValueError(f"expected an HTTP event (a JSON object), got {type(event).__name__}")
    context = event.get("requestContext")
    if not isinstance(context, dict):
        context = {}
    if "elb" in context:
        return ALB
    http = context.get("http")
    if event.get("version") == "2.0" or isinstance(http, dict):
        domain = str(context.get("domainName") or "")
        return URL if ".lambda-url." in domain else HTTP_API
    if "httpMethod" in event:
        return REST
    raise ValueError(
        "not an HTTP event: expected a function URL, API Gateway or ALB request "
        "(requestContext.http, httpMethod or requestContext.elb)"
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _body(event: dict[str, Any]) -> bytes:
    body = event.get("body")
    if not body:
        return b""
    text = _text(body)
    if event.get("isBase64Encoded"):
        try:
            return binascii.a2b_base64(text, strict_mode=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"the event's body is not valid base64: {exc}") from None
    return text.encode("utf-8")


def _header_pairs(event: dict[str, Any]) -> tuple[list[tuple[bytes, bytes]], bool]:
    """Headers as ASGI wants them (lower-case names, latin-1 bytes); whether they came as
    ``multiValueHeaders``."""
    multi = event.get("multiValueHeaders")
    pairs: list[tuple[bytes, bytes]] = []
    if isinstance(multi, dict) and multi:
        for name, values in multi.items():
            for value in values if isinstance(values, list) else [values]:
                pairs.append((_latin1(_text(name).lower()), _latin1(_text(value))))
        return pairs, True
    single = event.get("headers")
    if isinstance(single, dict):
        for name, value in single.items():
            pairs.append((_latin1(_text(name).lower()), _latin1(_text(value))))
    return pairs, False


def _latin1(text: str) -> bytes:
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _lookup(pairs: list[tuple[bytes, bytes]], name: bytes) -> str:
    for key, value in pairs:
        if key == name:
            return value.decode("latin-1")
    return ""


def parse_event(event: Any) -> HTTPRequest:
    """The HTTP request an event carries (any front door)."""
    door = front_door(event)
    context = event.get("requestContext") or {}
    headers, multi_value = _header_pairs(event)
    if door in (URL, HTTP_API):
        http = context.get("http") or {}
        method = _text(http.get("method") or "GET").upper()
        raw = _text(event.get("rawPath") or http.get("path") or "/")
        raw_path = _latin1(raw)
        path = unquote(raw)
        query = _latin1(_text(event.get("rawQueryString")))
        cookies = event.get("cookies")
        if isinstance(cookies, list) and cookies:
            headers.append((b"cookie", _latin1("; ".join(_text(c) for c in cookies))))
        client = _text(http.get("sourceIp"))
    elif door == REST:
        method = _text(event.get("httpMethod") or "GET").upper()
        # API Gateway hands the path over decoded; quote it back for raw_path.
        path = _text(event.get("path") or "/")
        raw_path = _latin1(quote(path, safe="/:@!$&'()*+,;=-._~"))
        query = _rest_query(event)
        identity = context.get("identity") or {}
        client = _text(identity.get("sourceIp") if isinstance(identity, dict) else "")
    else:  # ALB passes the path and the query string on as they were sent (not decoded)
        method = _text(event.get("httpMethod") or "GET").upper()
        raw = _text(event.get("path") or "/")
        raw_path = _latin1(raw)
        path = unquote(raw)
        query = _alb_query(event)
        forwarded = _lookup(headers, b"x-forwarded-for")
        client = forwarded.split(",")[0].strip() if forwarded else ""
    host = _lookup(headers, b"host") or _text(context.get("domainName"))
    if host and not _lookup(headers, b"host"):
        headers.append((b"host", _latin1(host)))
    return HTTPRequest(
        front_door=door,
        method=method,
        raw_path=raw_path,
        path=path,
        query=query,
        headers=headers,
        body=_body(event),
        client=client,
        host=host.split(":")[0] if host else "localhost",
        multi_value=multi_value,
    )


def _rest_query(event: dict[str, Any]) -> bytes:
    multi = event.get("multiValueQueryStringParameters")
    pairs: list[tuple[str, str]] = []
    if isinstance(multi, dict) and multi:
        for name, values in multi.items():
            for value in values if isinstance(values, list) else [values]:
                pairs.append((_text(name), _text(value)))
    else:
        single = event.get("queryStringParameters")
        if isinstance(single, dict):
            pairs = [(_text(k), _text(v)) for k, v in single.items()]
    return urlencode(pairs).encode("ascii") if pairs else b""


def _alb_query(event: dict[str, Any]) -> bytes:
    multi = event.get("multiValueQueryStringParameters")
    parts: list[str] = []
    if isinstance(multi, dict) and multi:
        for name, values in multi.items():
            for value in values if isinstance(values, list) else [values]:
                parts.append(f"{name}={value}" if value != "" else f"{name}=")
    else:
        single = event.get("queryStringParameters")
        if isinstance(single, dict):
            parts = [f"{k}={v}" for k, v in single.items()]
    return _latin1("&".join(parts))


def raw_path_bytes(path: str) -> bytes:
    """``path`` percent-decoded to bytes (WSGI's ``PATH_INFO`` is those bytes as latin-1)."""
    return unquote_to_bytes(path)


# -- responses ----------------------------------------------------------------------------------


def split_headers(
    headers: Iterable[tuple[str, str]],
) -> tuple[dict[str, list[str]], list[str]]:
    """Response headers by name (first spelling kept, repeated values in order), and the
    ``Set-Cookie`` values apart."""
    grouped: dict[str, list[str]] = {}
    spelled: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "set-cookie":
            cookies.append(value)
            continue
        shown = spelled.setdefault(key, name)
        grouped.setdefault(shown, []).append(value)
    return grouped, cookies


def stream_for(request: HTTPRequest, mode: str) -> bool:
    """Whether the response to ``request`` is streamed under ``mode``."""
    if mode == "auto":
        return request.front_door == URL
    if mode == "stream":
        return request.front_door != ALB  # a load balancer cannot take a stream
    return False


def streaming_response(
    request: HTTPRequest, status: int, headers: Iterable[tuple[str, str]], body: Any
) -> Any:
    """The streaming response type for the front door, ready for the runtime to stream."""
    grouped, cookies = split_headers(headers)
    if request.front_door == REST:
        from ..events.apigw import APIGatewayProxyStreamingResponse

        multi = {name: list(values) for name, values in grouped.items()}
        if cookies:
            multi["Set-Cookie"] = cookies
        return APIGatewayProxyStreamingResponse(
            status_code=status, multi_value_headers=multi or None, body=body
        )
    from ..events.lambda_function_urls import LambdaFunctionURLStreamingResponse

    return LambdaFunctionURLStreamingResponse(
        status_code=status,
        headers={name: ",".join(values) for name, values in grouped.items()} or None,
        cookies=cookies or None,
        body=body,
    )


_TEXT_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/x-www-form-urlencoded",
    "image/svg+xml",
)


def _is_text(grouped: dict[str, list[str]]) -> bool:
    content_type = ""
    encoding = ""
    for name, values in grouped.items():
        key = name.lower()
        if key == "content-type":
            content_type = values[0].lower()
        elif key == "content-encoding":
            encoding = values[0].lower()
    if encoding and encoding != "identity":
        return False
    if not content_type:
        return True
    base = content_type.split(";", 1)[0].strip()
    return base.startswith(_TEXT_TYPES) or base.endswith(("+json", "+xml"))


def buffered_response(
    request: HTTPRequest, status: int, headers: Iterable[tuple[str, str]], body: bytes
) -> dict[str, Any]:
    """The whole response, in the JSON form the front door expects."""
    grouped, cookies = split_headers(headers)
    text: str | None = None
    if _is_text(grouped):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is None:
        encoded, is_base64 = binascii.b2a_base64(body, newline=False).decode("ascii"), True
    else:
        encoded, is_base64 = text, False
    out: dict[str, Any] = {"statusCode": status}
    door = request.front_door
    if door in (URL, HTTP_API):
        out["headers"] = {name: ",".join(values) for name, values in grouped.items()}
        if cookies:
            out["cookies"] = cookies
    elif door == REST or request.multi_value:
        multi = {name: list(values) for name, values in grouped.items()}
        if cookies:
            multi["Set-Cookie"] = cookies
        out["multiValueHeaders"] = multi
    else:  # ALB with single-value headers: one value per name
        single = {name: ",".join(values) for name, values in grouped.items()}
        if cookies:
            single["Set-Cookie"] = cookies[-1]
        out["headers"] = single
    if door == ALB:
        from http import HTTPStatus

        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        out["statusDescription"] = f"{status} {phrase}".strip()
    out["body"] = encoded
    out["isBase64Encoded"] = is_base64
    return out
