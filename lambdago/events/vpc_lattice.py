"""Amazon VPC Lattice: the HTTP requests a Lambda target group passes to a function (event
structure version 1, with snake_case keys, and version 2.0, with list-valued headers and
the caller's identity), and the response the function returns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .._converters import Failure
from . import _http
from ._base import Wire, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, Protocol

    class _HasListValues(Protocol):
        headers: dict[str, list[str]] | None
        query_string_parameters: dict[str, list[str]] | None


__all__ = [
    "VPCLatticeRequest",
    "VPCLatticeRequestContext",
    "VPCLatticeRequestContextIdentity",
    "VPCLatticeRequestV2",
    "VPCLatticeResponse",
]

SAMPLES = {
    "vpc-lattice-request": "VPCLatticeRequest",
    "vpc-lattice-request-v2": "VPCLatticeRequestV2",
    "vpc-lattice-response": "VPCLatticeResponse",
}


def _decode_value_lists(value: Any) -> dict[str, list[str]]:
    if value.__class__ is not dict:
        raise Failure(f"expected object, got {type(value).__name__}")
    out: dict[str, list[str]] = {}
    for name, item in value.items():
        if item.__class__ is list and all(part.__class__ is str for part in item):
            out[name] = item
        elif item.__class__ is str:
            # Version 2.0 sends a list per name; some published samples (and version 1
            # habits) carry a single string: read it as a one-value list.
            out[name] = [item]
        else:
            raise Failure(f"expected list of str (or str), got {type(item).__name__}", [name])
    return out


def _copy_value_lists(value: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: list(values) for name, values in value.items()}


def _encode_value_lists(value: Any) -> Any:
    return value


_ValueLists = Wire(
    "vpc-lattice-value-lists", _decode_value_lists, _encode_value_lists, snapshot=_copy_value_lists
)


@event
class VPCLatticeRequest(_http.HeaderLookup, _http.QueryLookup, _http.BodyAccess):
    """An HTTP request a VPC Lattice service passes to a Lambda target group whose event
    structure version is ``V1`` (the default): one value per header and per query
    parameter, and keys spelled in snake_case (``raw_path``, ``is_base64_encoded``).

    Use ``header()`` (any case), ``query_param()`` and ``body_bytes()``/``decode_body()``.
    """

    raw_path: str | None = field("raw_path")
    method: str | None = field("method")
    headers: dict[str, str] | None = field("headers")
    query_string_parameters: dict[str, str] | None = field("query_string_parameters")
    body: str | None = field("body")
    is_base64_encoded: bool | None = field("is_base64_encoded")


class _ListValueLookup:
    """Header and query lookups for maps whose values are lists of strings."""

    __slots__ = ()

    def header(self: _HasListValues, name: str) -> str | None:
        """The value of header ``name`` (any case), or ``None`` when it was not sent.

        For a repeated header, its last value (as API Gateway and ALB lookups do).
        """
        values = _ListValueLookup.header_values(self, name)
        return values[-1] if values else None

    def header_values(self: _HasListValues, name: str) -> list[str]:
        """Every value of header ``name`` (any case), in the order sent."""
        found = _http.matching(self.headers, name)
        if len(found) == 1:
            return list(found[0])
        return [value for values in found for value in values]

    def query_param(self: _HasListValues, name: str) -> str | None:
        """The value of query parameter ``name`` (case-sensitive), or ``None``; the last
        one when the parameter is repeated."""
        params = self.query_string_parameters
        values = params.get(name) if params else None
        return values[-1] if values else None

    def query_params(self: _HasListValues, name: str) -> list[str]:
        """Every value of query parameter ``name`` (case-sensitive)."""
        params = self.query_string_parameters
        values = params.get(name) if params else None
        return list(values) if values else []


@event
class VPCLatticeRequestContextIdentity:
    """Who sent a request through VPC Lattice: the VPC it came from, the authentication
    type (``AWS_IAM`` or ``NONE``), the IAM principal and its session and organization
    when the request was signed, and the client certificate's names with mutual TLS."""

    source_vpc_arn: str | None = field("sourceVpcArn")
    type: str | None = field("type")
    principal: str | None = field("principal")
    principal_org_id: str | None = field("principalOrgID")
    session_name: str | None = field("sessionName")
    x509_issuer_ou: str | None = field("x509IssuerOu")
    x509_san_dns: str | None = field("x509SanDns")
    x509_san_name_cn: str | None = field("x509SanNameCn")
    x509_san_uri: str | None = field("x509SanUri")
    x509_subject_cn: str | None = field("x509SubjectCn")


@event
class VPCLatticeRequestContext:
    """Where a version 2.0 request went: the service network, service and target group
    ARNs, the caller's identity, the region, and when Lattice received the request
    (``timeEpoch``, microseconds since the Unix epoch sent as a string; see ``time()``)."""

    service_network_arn: str | None = field("serviceNetworkArn")
    service_arn: str | None = field("serviceArn")
    target_group_arn: str | None = field("targetGroupArn")
    identity: VPCLatticeRequestContextIdentity | None = field("identity")
    region: str | None = field("region")
    time_epoch: str | None = field("timeEpoch")

    def time(self) -> datetime | None:
        """``timeEpoch`` as an aware UTC ``datetime`` (``None`` when absent).

        Raises ``ValueError`` when it is not a string of digits.
        """
        text = self.time_epoch
        if text is None:
            return None
        if not text.isascii() or not text.isdigit():
            raise ValueError(f"timeEpoch is not a number of microseconds: {text!r}")
        return _EPOCH + timedelta(microseconds=int(text))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@event
class VPCLatticeRequestV2(_ListValueLookup, _http.BodyAccess):
    """An HTTP request a VPC Lattice service passes to a Lambda target group whose event
    structure version is ``V2``: every header and query parameter maps to a list of
    values, and ``requestContext`` names the service and the caller.

    Use ``header()``/``header_values()`` (any case), ``query_param()``/``query_params()``
    and ``body_bytes()``/``decode_body()``.
    """

    version: str | None = field("version")
    path: str | None = field("path")
    method: str | None = field("method")
    headers: dict[str, list[str]] | None = field("headers", wire=_ValueLists)
    query_string_parameters: dict[str, list[str]] | None = field(
        "queryStringParameters", wire=_ValueLists
    )
    body: str | None = field("body")
    is_base64_encoded: bool | None = field("isBase64Encoded")
    request_context: VPCLatticeRequestContext | None = field("requestContext")


@event
class VPCLatticeResponse:
    """The HTTP response a Lambda target group returns to VPC Lattice (either event
    structure version).

    Build one with ``text``, ``json`` or ``binary``: they fill the status description
    (``"200 OK"``), the content type and the body encoding.
    """

    status_code: int | None = field("statusCode")
    status_description: str | None = field("statusDescription")
    headers: dict[str, str] | None = field("headers")
    body: str | None = field("body")
    is_base64_encoded: bool | None = field("isBase64Encoded")

    @classmethod
    def text(
        cls,
        body: str,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        content_type: str = _http.TEXT_TYPE,
        status_description: str | None = None,
    ) -> VPCLatticeResponse:
        """A text response (``text/plain; charset=utf-8`` unless a content type is given)."""
        return cls._build(body, False, status_code, headers, content_type, status_description)

    @classmethod
    def json(
        cls,
        value: Any,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        content_type: str = _http.JSON_TYPE,
        status_description: str | None = None,
        **options: Any,
    ) -> VPCLatticeResponse:
        """A response whose body is ``value`` as JSON (``lambdago.encode``, with ``options``)."""
        text = _http.json_text(value, options)
        return cls._build(text, False, status_code, headers, content_type, status_description)

    @classmethod
    def binary(
        cls,
        data: bytes | bytearray | memoryview,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        content_type: str = _http.BINARY_TYPE,
        status_description: str | None = None,
    ) -> VPCLatticeResponse:
        """A binary response: ``data`` base64-encoded, with ``isBase64Encoded`` true."""
        text = _http.encode_base64(data)
        return cls._build(text, True, status_code, headers, content_type, status_description)

    @classmethod
    def _build(
        cls,
        body: str,
        is_base64: bool,
        status_code: int,
        headers: Mapping[str, str] | None,
        content_type: str,
        status_description: str | None,
    ) -> VPCLatticeResponse:
        return cls(
            status_code=status_code,
            status_description=status_description or _status_line(status_code),
            headers=_http.with_content_type(headers, content_type),
            body=body,
            is_base64_encoded=is_base64,
        )


def _status_line(status_code: int) -> str:
    """``"200 OK"``: the code and its standard reason phrase (the code alone if unknown)."""
    import http

    try:
        return f"{status_code} {http.HTTPStatus(status_code).phrase}"
    except ValueError:
        return str(status_code)
