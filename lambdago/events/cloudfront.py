"""Amazon CloudFront (Lambda@Edge): the viewer and origin request and response events a
distribution sends to a function, and what the function gives back: the request to pass
on (maybe changed), or a response to send instead.

CloudFront keeps headers in a two-level form: a map from the lower-cased header name to a
list of ``{"key": <name as sent>, "value": ...}`` entries. ``header()``, ``set_header()``,
``add_header()`` and ``remove_header()`` on requests and responses keep both levels in
step::

    @lambdago.handler
    def handle(event: CloudFrontEvent) -> CloudFrontRequestResult:
        request = event.request()
        request.set_header("X-Tenant", "acme")
        return request
"""

from __future__ import annotations

from . import _http
from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any, Final, Protocol, TypeAlias

    class _HasHeaders(Protocol):
        headers: CloudFrontHeaders | None


__all__ = [
    "CloudFrontBodyActionReadOnly",
    "CloudFrontBodyActionReplace",
    "CloudFrontBodyEncodingBase64",
    "CloudFrontBodyEncodingText",
    "CloudFrontConfig",
    "CloudFrontCustomOrigin",
    "CloudFrontEntity",
    "CloudFrontEvent",
    "CloudFrontEventRecord",
    "CloudFrontEventTypeOriginRequest",
    "CloudFrontEventTypeOriginResponse",
    "CloudFrontEventTypeViewerRequest",
    "CloudFrontEventTypeViewerResponse",
    "CloudFrontHeader",
    "CloudFrontHeaders",
    "CloudFrontOrigin",
    "CloudFrontRequest",
    "CloudFrontRequestBody",
    "CloudFrontRequestResult",
    "CloudFrontResponse",
    "CloudFrontResponseResult",
    "CloudFrontS3Origin",
]

SAMPLES = {
    "cloudfront-viewer-request": "CloudFrontEvent",
    "cloudfront-origin-request-s3": "CloudFrontEvent",
    "cloudfront-origin-request-custom": "CloudFrontEvent",
    "cloudfront-origin-response": "CloudFrontEvent",
    "cloudfront-viewer-response": "CloudFrontEvent",
    "cloudfront-request-result": "CloudFrontRequestResult",
    "cloudfront-response-result": "CloudFrontResponseResult",
}

CloudFrontEventTypeViewerRequest: Final = "viewer-request"
"""``config.eventType`` of a request CloudFront received from a viewer."""
CloudFrontEventTypeOriginRequest: Final = "origin-request"
"""``config.eventType`` of a request CloudFront is about to forward to the origin."""
CloudFrontEventTypeOriginResponse: Final = "origin-response"
"""``config.eventType`` of a response CloudFront received from the origin."""
CloudFrontEventTypeViewerResponse: Final = "viewer-response"
"""``config.eventType`` of a response CloudFront is about to send to the viewer."""

CloudFrontBodyActionReadOnly: Final = "read-only"
"""``body.action`` of a body the function leaves as it is."""
CloudFrontBodyActionReplace: Final = "replace"
"""``body.action`` of a body the function replaces with ``body.data``."""
CloudFrontBodyEncodingBase64: Final = "base64"
"""``encoding``/``bodyEncoding`` of base64-encoded body data."""
CloudFrontBodyEncodingText: Final = "text"
"""``encoding``/``bodyEncoding`` of body data sent as plain text."""


# -- headers ---------------------------------------------------------------------------------


@event
class CloudFrontHeader:
    """One header value: ``key`` is the name as the client (or function) spelled it,
    ``value`` the value. A header sent several times has several entries."""

    key: str | None = field("key")
    value: str | None = field("value")


CloudFrontHeaders: TypeAlias = dict[str, list[CloudFrontHeader]]
"""Headers as CloudFront sends them: lower-cased name -> its entries."""

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lower(name: str) -> str:
    return name.translate(_ASCII_LOWER)


def _entries(name: str, value: str | Iterable[str]) -> list[CloudFrontHeader]:
    if isinstance(value, str):
        return [CloudFrontHeader(key=name, value=value)]
    out = []
    for item in value:
        if not isinstance(item, str):
            raise TypeError(f"header values must be str, got {type(item).__name__}")
        out.append(CloudFrontHeader(key=name, value=item))
    return out


def to_headers(headers: Mapping[str, str | Iterable[str]] | None) -> CloudFrontHeaders:
    """Plain headers (name -> value, or name -> list of values) in CloudFront's form."""
    out: CloudFrontHeaders = {}
    for name, value in (headers or {}).items():
        out.setdefault(_lower(name), []).extend(_entries(name, value))
    return out


class _HeaderAccess:
    """Header reads and writes that keep CloudFront's two levels consistent.

    Names are compared ignoring ASCII case, on the map key and on each entry's ``key``,
    so a map built by hand with other spellings is still found.
    """

    __slots__ = ()

    def header(self: _HasHeaders, name: str) -> str | None:
        """The first value of header ``name`` (any case), or ``None`` when absent."""
        values = _HeaderAccess.header_values(self, name)
        return values[0] if values else None

    def header_values(self: _HasHeaders, name: str) -> list[str]:
        """Every value of header ``name`` (any case), in order."""
        out = []
        for entries in _http.matching(self.headers, name):
            for entry in entries or ():
                if entry.value is not None:
                    out.append(entry.value)
        return out

    def set_header(self: _HasHeaders, name: str, value: str | Iterable[str]) -> None:
        """Replace header ``name`` (any case) with ``value`` (one string, or several).

        The map key is the lower-cased name and each entry's ``key`` is ``name`` as
        given, which is the spelling CloudFront sends on.
        """
        entries = _entries(name, value)
        headers = _headers_of(self)
        _drop(headers, name)
        headers[_lower(name)] = entries

    def add_header(self: _HasHeaders, name: str, value: str) -> None:
        """Add one value to header ``name`` (any case), after those it already has."""
        entry = _entries(name, value)
        headers = _headers_of(self)
        wanted = _lower(name)
        found = [k for k in headers if _lower(k) == wanted]
        if found:
            headers[found[0]].extend(entry)
        else:
            headers[wanted] = entry

    def remove_header(self: _HasHeaders, name: str) -> bool:
        """Remove header ``name`` (any case); whether it was there."""
        headers = self.headers
        if not headers:
            return False
        return _drop(headers, name)


def _headers_of(obj: _HasHeaders) -> CloudFrontHeaders:
    headers = obj.headers
    if headers is None:
        headers = {}
        obj.headers = headers
    return headers


def _drop(headers: CloudFrontHeaders, name: str) -> bool:
    wanted = _lower(name)
    keys = [k for k in headers if _lower(k) == wanted]
    for k in keys:
        del headers[k]
    return bool(keys)


# -- the event -------------------------------------------------------------------------------


@event
class CloudFrontConfig:
    """Which distribution and trigger invoked the function: the distribution's domain
    name and id, the event type (``viewer-request``, ``origin-request``,
    ``origin-response`` or ``viewer-response``) and the request id CloudFront logs."""

    distribution_domain_name: str | None = field("distributionDomainName")
    distribution_id: str | None = field("distributionId")
    event_type: str | None = field("eventType")
    request_id: str | None = field("requestId")


@event
class CloudFrontRequestBody:
    """The request body, sent when the trigger has "include body" turned on: ``data``
    (``encoding`` says ``base64`` or ``text``), whether CloudFront cut it short
    (``inputTruncated``) and, in a returned request, ``action`` (``read-only`` keeps the
    original body, ``replace`` sends ``data`` to the origin instead)."""

    input_truncated: bool | None = field("inputTruncated")
    action: str | None = field("action")
    encoding: str | None = field("encoding")
    data: str | None = field("data")

    def data_bytes(self) -> bytes:
        """``data`` as bytes: base64-decoded when ``encoding`` is ``base64``, else the
        text as UTF-8. ``b""`` without data. Raises ``ValueError`` on bad base64."""
        data = self.data
        if not data:
            return b""
        if self.encoding == CloudFrontBodyEncodingBase64:
            return _http.decode_base64(data)
        return data.encode("utf-8", "surrogatepass")


@event
class CloudFrontS3Origin:
    """An Amazon S3 origin: the bucket's domain name, path prefix and region, how
    CloudFront signs requests to it (``authMethod``: ``origin-access-identity`` or
    ``none``) and custom headers it adds."""

    auth_method: str | None = field("authMethod")
    custom_headers: CloudFrontHeaders | None = field("customHeaders")
    domain_name: str | None = field("domainName")
    path: str | None = field("path")
    region: str | None = field("region")


@event
class CloudFrontCustomOrigin:
    """A custom (HTTP) origin: domain name, port, protocol, path prefix, timeouts, the
    TLS versions CloudFront may use, and custom headers it adds."""

    custom_headers: CloudFrontHeaders | None = field("customHeaders")
    domain_name: str | None = field("domainName")
    keepalive_timeout: int | None = field("keepaliveTimeout")
    path: str | None = field("path")
    port: int | None = field("port")
    protocol: str | None = field("protocol")
    read_timeout: int | None = field("readTimeout")
    ssl_protocols: list[str] | None = field("sslProtocols")


@event
class CloudFrontOrigin:
    """The origin an origin request goes to: exactly one of ``s3`` and ``custom``. A
    function may change it, or swap one kind for the other, to route the request."""

    s3: CloudFrontS3Origin | None = field("s3")
    custom: CloudFrontCustomOrigin | None = field("custom")


@event
class CloudFrontRequest(_HeaderAccess):
    """The HTTP request of a Lambda@Edge event: client address, headers (two-level form:
    use ``header()``/``set_header()``), method, query string (without ``?``), URI, the
    body (when included) and, for origin requests, the origin.

    A request trigger returns it, changed or not, to let CloudFront go on
    (:data:`CloudFrontRequestResult`).
    """

    client_ip: str | None = field("clientIp")
    headers: CloudFrontHeaders | None = field("headers")
    method: str | None = field("method")
    querystring: str | None = field("querystring")
    uri: str | None = field("uri")
    body: CloudFrontRequestBody | None = field("body")
    origin: CloudFrontOrigin | None = field("origin")

    def body_bytes(self) -> bytes:
        """The request body as bytes (``b""`` when none was included)."""
        return self.body.data_bytes() if self.body is not None else b""

    def decode_body(self, type: Any = object, **options: Any) -> Any:
        """The request body decoded as JSON into ``type`` (``lambdago.decode`` options
        apply). Raises ``ValueError`` when no body was included, or when CloudFront
        truncated it (the JSON would be cut short)."""
        from ..codec import decode

        body = self.body
        if body is None or not body.data:
            raise ValueError("the request has no body to decode")
        if body.input_truncated:
            raise ValueError("CloudFront truncated the request body")
        return decode(body.data_bytes(), type, **options)

    def replace_body(self, data: bytes | bytearray | memoryview | str) -> None:
        """Send ``data`` to the origin instead of the original body: ``str`` as text,
        bytes base64-encoded, with ``action`` ``replace``."""
        if isinstance(data, str):
            encoding, text = CloudFrontBodyEncodingText, data
        elif isinstance(data, (bytes, bytearray, memoryview)):
            encoding, text = CloudFrontBodyEncodingBase64, _http.encode_base64(data)
        else:
            raise TypeError(f"body data must be bytes or str, got {type(data).__name__}")
        self.body = CloudFrontRequestBody(
            action=CloudFrontBodyActionReplace, encoding=encoding, data=text
        )


CloudFrontRequestResult = CloudFrontRequest
"""What a viewer or origin request trigger returns to let CloudFront go on: the request,
as received or changed (headers, URI, query string, origin, body)."""


@event
class CloudFrontResponse(_HeaderAccess):
    """The HTTP response of an origin or viewer response event: status code (a string,
    ``"200"``), its description and headers. A response trigger returns it, changed or
    not; the body is not available to the function."""

    status: str | None = field("status")
    status_description: str | None = field("statusDescription")
    headers: CloudFrontHeaders | None = field("headers")


@event
class CloudFrontEntity:
    """The contents of a record: the trigger's ``config``, the ``request`` and, for
    response triggers, the ``response``."""

    config: CloudFrontConfig | None = field("config")
    request: CloudFrontRequest | None = field("request")
    response: CloudFrontResponse | None = field("response")


@event
class CloudFrontEventRecord:
    """One record of a Lambda@Edge event, its contents under ``cf``."""

    cf: CloudFrontEntity | None = field("cf")


@event
class CloudFrontEvent:
    """The event CloudFront sends a Lambda@Edge function: one record whose ``cf`` holds
    the trigger's configuration, the request and, for response triggers, the response.

    ``config()``, ``request()`` and ``response()`` reach them directly.
    """

    records: list[CloudFrontEventRecord] | None = field("Records")

    def _entity(self) -> CloudFrontEntity:
        records = self.records
        if not records or records[0].cf is None:
            raise ValueError("the event has no CloudFront record")
        return records[0].cf

    def config(self) -> CloudFrontConfig:
        """The trigger's configuration (``Records[0].cf.config``)."""
        config = self._entity().config
        if config is None:
            raise ValueError("the event has no config")
        return config

    def event_type(self) -> str | None:
        """``viewer-request``, ``origin-request``, ``origin-response`` or
        ``viewer-response``."""
        return self.config().event_type

    def request(self) -> CloudFrontRequest:
        """The request (``Records[0].cf.request``); ``ValueError`` when absent."""
        request = self._entity().request
        if request is None:
            raise ValueError("the event has no request")
        return request

    def response(self) -> CloudFrontResponse:
        """The response of a response trigger (``Records[0].cf.response``);
        ``ValueError`` when absent (request triggers have none)."""
        response = self._entity().response
        if response is None:
            raise ValueError("the event has no response (it is a request trigger)")
        return response


# -- generated responses ---------------------------------------------------------------------


@event
class CloudFrontResponseResult(_HeaderAccess):
    """A response a trigger sends instead of going on: a viewer or origin request
    trigger answering the viewer itself (a redirect, an error, generated content), or a
    response trigger replacing the response.

    ``status`` is a string (``"302"``); ``bodyEncoding`` is ``text`` or ``base64``.
    Build one with ``text``, ``json``, ``binary`` or ``redirect``.
    """

    status: str | None = field("status")
    status_description: str | None = field("statusDescription")
    headers: CloudFrontHeaders | None = field("headers")
    body_encoding: str | None = field("bodyEncoding")
    body: str | None = field("body")

    @classmethod
    def text(
        cls,
        body: str,
        *,
        status_code: int = 200,
        headers: Mapping[str, str | Iterable[str]] | None = None,
        content_type: str = _http.TEXT_TYPE,
    ) -> CloudFrontResponseResult:
        """A text response (``text/plain; charset=utf-8`` unless a content type is given)."""
        return cls._build(body, CloudFrontBodyEncodingText, status_code, headers, content_type)

    @classmethod
    def json(
        cls,
        value: Any,
        *,
        status_code: int = 200,
        headers: Mapping[str, str | Iterable[str]] | None = None,
        content_type: str = _http.JSON_TYPE,
        **options: Any,
    ) -> CloudFrontResponseResult:
        """A response whose body is ``value`` as JSON (``lambdago.encode``, with ``options``)."""
        text = _http.json_text(value, options)
        return cls._build(text, CloudFrontBodyEncodingText, status_code, headers, content_type)

    @classmethod
    def binary(
        cls,
        data: bytes | bytearray | memoryview,
        *,
        status_code: int = 200,
        headers: Mapping[str, str | Iterable[str]] | None = None,
        content_type: str = _http.BINARY_TYPE,
    ) -> CloudFrontResponseResult:
        """A binary response: ``data`` base64-encoded, ``bodyEncoding`` ``base64``."""
        text = _http.encode_base64(data)
        return cls._build(text, CloudFrontBodyEncodingBase64, status_code, headers, content_type)

    @classmethod
    def redirect(
        cls,
        location: str,
        *,
        status_code: int = 302,
        headers: Mapping[str, str | Iterable[str]] | None = None,
    ) -> CloudFrontResponseResult:
        """A redirect to ``location`` (302 Found unless another status is given), without
        a body."""
        result = cls(
            status=str(status_code),
            status_description=_reason(status_code),
            headers=to_headers(headers),
        )
        result.set_header("Location", location)
        return result

    @classmethod
    def _build(
        cls,
        body: str,
        encoding: str,
        status_code: int,
        headers: Mapping[str, str | Iterable[str]] | None,
        content_type: str,
    ) -> CloudFrontResponseResult:
        result = cls(
            status=str(status_code),
            status_description=_reason(status_code),
            headers=to_headers(headers),
            body_encoding=encoding,
            body=body,
        )
        if result.header("content-type") is None:
            result.set_header("Content-Type", content_type)
        return result


def _reason(status_code: int) -> str | None:
    """The standard reason phrase of ``status_code`` (``"OK"``), ``None`` if unknown."""
    import http

    try:
        return http.HTTPStatus(status_code).phrase
    except ValueError:
        return None
