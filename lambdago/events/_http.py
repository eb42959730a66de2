"""Helpers shared by the HTTP front-door types: API Gateway (REST, HTTP, WebSocket), ALB
target groups and Lambda function URLs.

The request types mix in header and query-string lookups and body access; the response
types' ``text``/``json``/``binary`` constructors use the functions at the end. Mixins hold
no state (``__slots__ = ()``), so the event classes stay slotted, and nothing here runs
while an event is decoded.

Header names are compared ignoring ASCII case: API Gateway and ALB pass them on as the
client spelled them (``Content-Type``, ``content-type``), while HTTP APIs and function URLs
lower-case them. Query-string parameter names are case-sensitive, as in HTTP.
"""

from __future__ import annotations

import binascii

from .._typing_shims import overload

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, Protocol, TypeVar

    _T = TypeVar("_T")
    _V = TypeVar("_V")

    class _HasHeaders(Protocol):
        headers: dict[str, str] | None

    class _HasMultiValueHeaders(Protocol):
        headers: dict[str, str] | None
        multi_value_headers: dict[str, list[str]] | None

    class _HasQuery(Protocol):
        query_string_parameters: dict[str, str] | None

    class _HasMultiValueQuery(Protocol):
        query_string_parameters: dict[str, str] | None
        multi_value_query_string_parameters: dict[str, list[str]] | None

    class _HasBody(Protocol):
        body: str | None
        is_base64_encoded: bool | None


def _lower(text: str) -> str:
    # ASCII only: HTTP field names are tokens, and str.lower() would also fold characters
    # such as "K" (Kelvin sign) into ASCII letters.
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def matching(mapping: Mapping[str, _V] | None, name: str) -> list[_V]:
    """The values of every key of ``mapping`` equal to ``name`` ignoring ASCII case, in
    the mapping's order."""
    if not mapping:
        return []
    wanted = _lower(name)
    return [value for key, value in mapping.items() if _lower(key) == wanted]


class HeaderLookup:
    """Header lookups for types with one ``headers`` map (HTTP APIs, function URLs).

    These senders join repeated headers with commas into one value, which stays one value.
    """

    __slots__ = ()

    def header(self: _HasHeaders, name: str) -> str | None:
        """The value of header ``name`` (any case), or ``None`` when it was not sent."""
        found = matching(self.headers, name)
        return found[0] if found else None

    def header_values(self: _HasHeaders, name: str) -> list[str]:
        """Every value of header ``name`` (any case): one per matching key, as sent."""
        return matching(self.headers, name)


class MultiValueHeaderLookup:
    """Header lookups for types with ``headers`` and ``multiValueHeaders`` (REST APIs,
    WebSocket APIs, ALB, REST request authorizers).

    API Gateway REST fills both maps, with the last of repeated values in ``headers``; an
    ALB target group fills one of them, depending on its multi-value headers setting.
    """

    __slots__ = ()

    def header(self: _HasMultiValueHeaders, name: str) -> str | None:
        """The value of header ``name`` (any case), or ``None`` when it was not sent.

        Taken from ``headers``; when only ``multiValueHeaders`` has the header, its last
        value (the one API Gateway would put in ``headers``).
        """
        found = matching(self.headers, name)
        if found:
            return found[0]
        values = _flatten(matching(self.multi_value_headers, name))
        return values[-1] if values else None

    def header_values(self: _HasMultiValueHeaders, name: str) -> list[str]:
        """Every value of header ``name`` (any case): from ``multiValueHeaders`` when it has
        the header, else from ``headers``."""
        values = _flatten(matching(self.multi_value_headers, name))
        return values if values else matching(self.headers, name)


class QueryLookup:
    """Query-string lookups for types with one ``queryStringParameters`` map, where
    repeated parameters arrive joined with commas (HTTP APIs, function URLs)."""

    __slots__ = ()

    def query_param(self: _HasQuery, name: str) -> str | None:
        """The value of query parameter ``name`` (case-sensitive), or ``None``."""
        params = self.query_string_parameters
        return params.get(name) if params else None

    def query_params(self: _HasQuery, name: str) -> list[str]:
        """The value of query parameter ``name`` as a list: empty, or the one value sent."""
        params = self.query_string_parameters
        value = params.get(name) if params else None
        return [] if value is None else [value]


class MultiValueQueryLookup:
    """Query-string lookups for types with ``queryStringParameters`` and
    ``multiValueQueryStringParameters`` (REST, WebSocket, ALB, REST request authorizers)."""

    __slots__ = ()

    def query_param(self: _HasMultiValueQuery, name: str) -> str | None:
        """The value of query parameter ``name`` (case-sensitive), or ``None``: from
        ``queryStringParameters``, else the last of ``multiValueQueryStringParameters``."""
        params = self.query_string_parameters
        if params and name in params:
            return params[name]
        multi = self.multi_value_query_string_parameters
        values = multi.get(name) if multi else None
        return values[-1] if values else None

    def query_params(self: _HasMultiValueQuery, name: str) -> list[str]:
        """Every value of query parameter ``name`` (case-sensitive): from
        ``multiValueQueryStringParameters`` when it has the parameter, else from
        ``queryStringParameters``."""
        multi = self.multi_value_query_string_parameters
        values = multi.get(name) if multi else None
        if values:
            return list(values)
        params = self.query_string_parameters
        value = params.get(name) if params else None
        return [] if value is None else [value]


class BodyAccess:
    """The request body of a type with ``body`` and ``isBase64Encoded``."""

    __slots__ = ()

    def body_bytes(self: _HasBody) -> bytes:
        """The body as bytes: base64-decoded when ``isBase64Encoded`` is true, else the text
        encoded as UTF-8. ``b""`` when there is no body.

        Raises ``ValueError`` when the body is flagged as base64 but is not.
        """
        body = self.body
        if not body:
            return b""
        if self.is_base64_encoded:
            return decode_base64(body)
        return body.encode("utf-8", "surrogatepass")

    def body_text(self: _HasBody, encoding: str = "utf-8") -> str:
        """The body as text: base64-decoded and then decoded with ``encoding`` when
        ``isBase64Encoded`` is true, else as sent. ``""`` when there is no body.

        Raises ``ValueError`` (``UnicodeDecodeError`` is one) when it cannot be decoded.
        """
        body = self.body
        if not body:
            return ""
        if self.is_base64_encoded:
            return decode_base64(body).decode(encoding)
        return body

    @overload
    def decode_body(self: _HasBody, type: type[_T], **options: Any) -> _T: ...
    @overload
    def decode_body(self: _HasBody, type: Any = ..., **options: Any) -> Any: ...  # noqa: F811 (overload shim)
    def decode_body(self: _HasBody, type: Any = object, **options: Any) -> Any:  # noqa: F811 (overload shim)
        """The body decoded as one JSON document into ``type`` (base64 undone first when
        ``isBase64Encoded`` is true); ``options`` are ``lambdago.decode``'s.

        Raises ``ValueError`` when the request has no body, and ``lambdago.DecodeError``
        when the body does not hold a ``type`` value.
        """
        from ..codec import decode

        data: bytes | str = (
            BodyAccess.body_bytes(self) if self.is_base64_encoded else (self.body or "")
        )
        if not data:
            raise ValueError("the request has no body to decode")
        result: Any = decode(data, type, **options)
        return result


def _flatten(lists: list[list[str]]) -> list[str]:
    if len(lists) == 1:
        return list(lists[0])
    return [value for values in lists for value in values]


def decode_base64(text: str) -> bytes:
    """Standard base64 (padding required, line breaks ignored) to bytes, or ``ValueError``."""
    try:
        return binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError):
        try:
            cleaned = text.replace("\r", "").replace("\n", "")
            return binascii.a2b_base64(cleaned, strict_mode=True)
        except (binascii.Error, ValueError):
            raise ValueError("the body is flagged as base64 but is not valid base64") from None


def encode_base64(data: bytes | bytearray | memoryview) -> str:
    """Bytes to standard base64 text, without line breaks."""
    return binascii.b2a_base64(data, newline=False).decode("ascii")


# -- responses --------------------------------------------------------------------------------

TEXT_TYPE = "text/plain; charset=utf-8"
JSON_TYPE = "application/json"
BINARY_TYPE = "application/octet-stream"


def with_content_type(headers: Mapping[str, str] | None, content_type: str) -> dict[str, str]:
    """A copy of ``headers`` with ``Content-Type`` added unless some spelling of it is there."""
    out = dict(headers) if headers else {}
    if not matching(out, "content-type"):
        out["Content-Type"] = content_type
    return out


def with_multi_content_type(
    headers: Mapping[str, list[str]] | None, content_type: str
) -> dict[str, list[str]]:
    """The same for a multi-value header map."""
    out = {k: list(v) for k, v in headers.items()} if headers else {}
    if not matching(out, "content-type"):
        out["Content-Type"] = [content_type]
    return out


def response_headers(
    headers: Mapping[str, str] | None,
    multi_value_headers: Mapping[str, list[str]] | None,
    content_type: str,
) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    """``headers`` and ``multiValueHeaders`` for a response, ``Content-Type`` included.

    The content type goes into ``multiValueHeaders`` when only that map is given (an ALB
    target group with multi-value headers reads only it), else into ``headers``.
    """
    if multi_value_headers is not None and headers is None:
        return None, with_multi_content_type(multi_value_headers, content_type)
    multi = (
        {k: list(v) for k, v in multi_value_headers.items()}
        if multi_value_headers is not None
        else None
    )
    if multi is not None and matching(multi, "content-type"):
        return dict(headers) if headers is not None else None, multi
    return with_content_type(headers, content_type), multi


def json_text(value: Any, options: dict[str, Any]) -> str:
    """``value`` encoded as JSON text with ``lambdago.encode`` (``options`` are its own)."""
    from ..codec import encode

    return encode(value, **options).decode("utf-8")


# -- streamed responses (function URLs with RESPONSE_STREAM, REST APIs with STREAM) -------------

HTTP_INTEGRATION_TYPE = "application/vnd.awslambda.http-integration-response"
PRELUDE_SEPARATOR = b"\x00" * 8


def prelude(fields: dict[str, Any]) -> bytes:
    """The HTTP integration prelude: ``fields`` as JSON (empty ones left out), then the
    eight NUL bytes that separate it from the body."""
    from .. import _jsonio

    kept = {key: value for key, value in fields.items() if value}
    return bytes(_jsonio.dumps(kept)) + PRELUDE_SEPARATOR
