"""Elastic Load Balancing: the HTTP request an Application Load Balancer sends to a Lambda
target group, and the response the function gives back."""

from __future__ import annotations

from . import _http
from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = [
    "ALBTargetGroupRequest",
    "ALBTargetGroupRequestContext",
    "ALBTargetGroupResponse",
    "ELBContext",
]

SAMPLES = {
    "alb-request": "ALBTargetGroupRequest",
    "alb-request-multi-value": "ALBTargetGroupRequest",
    "alb-response": "ALBTargetGroupResponse",
}


@event
class ALBTargetGroupRequest(
    _http.MultiValueHeaderLookup, _http.MultiValueQueryLookup, _http.BodyAccess
):
    """An HTTP request an Application Load Balancer forwards to a Lambda target group.

    A target group sends either ``headers`` and ``queryStringParameters`` or, with
    multi-value headers turned on, ``multiValueHeaders`` and
    ``multiValueQueryStringParameters``; ``header()`` and ``query_param()`` read whichever
    came. Unlike API Gateway, ALB passes query parameters on still percent-encoded, exactly
    as the client sent them, and the lookups do not decode them.
    """

    http_method: str | None = field("httpMethod")
    path: str | None = field("path")
    query_string_parameters: dict[str, str] | None = field("queryStringParameters")
    multi_value_query_string_parameters: dict[str, list[str]] | None = field(
        "multiValueQueryStringParameters"
    )
    headers: dict[str, str] | None = field("headers")
    multi_value_headers: dict[str, list[str]] | None = field("multiValueHeaders")
    request_context: ALBTargetGroupRequestContext | None = field("requestContext")
    is_base64_encoded: bool | None = field("isBase64Encoded")
    body: str | None = field("body")


@event
class ALBTargetGroupRequestContext:
    """Which load balancer target group the request came through."""

    elb: ELBContext | None = field("elb")


@event
class ELBContext:
    """The ARN of the target group that invoked the function."""

    target_group_arn: str | None = field("targetGroupArn")


@event
class ALBTargetGroupResponse:
    """The HTTP response a Lambda target group returns to its load balancer.

    ``statusDescription`` is the status line text (``"200 OK"``). A target group with
    multi-value headers turned on reads ``multiValueHeaders`` only, otherwise ``headers``
    only. The ``text``, ``json`` and ``binary`` constructors fill the status description,
    the content type and the body encoding.
    """

    status_code: int | None = field("statusCode")
    status_description: str | None = field("statusDescription")
    headers: dict[str, str] | None = field("headers")
    multi_value_headers: dict[str, list[str]] | None = field("multiValueHeaders")
    body: str | None = field("body")
    is_base64_encoded: bool | None = field("isBase64Encoded")

    @classmethod
    def text(
        cls,
        body: str,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        multi_value_headers: Mapping[str, list[str]] | None = None,
        content_type: str = _http.TEXT_TYPE,
        status_description: str | None = None,
    ) -> ALBTargetGroupResponse:
        """A text response (``text/plain; charset=utf-8`` unless a content type is given)."""
        return cls._build(
            body, False, status_code, headers, multi_value_headers, content_type, status_description
        )

    @classmethod
    def json(
        cls,
        value: Any,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        multi_value_headers: Mapping[str, list[str]] | None = None,
        content_type: str = _http.JSON_TYPE,
        status_description: str | None = None,
        **options: Any,
    ) -> ALBTargetGroupResponse:
        """A response whose body is ``value`` as JSON (``lambdago.encode``, with ``options``)."""
        return cls._build(
            _http.json_text(value, options),
            False,
            status_code,
            headers,
            multi_value_headers,
            content_type,
            status_description,
        )

    @classmethod
    def binary(
        cls,
        data: bytes | bytearray | memoryview,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        multi_value_headers: Mapping[str, list[str]] | None = None,
        content_type: str = _http.BINARY_TYPE,
        status_description: str | None = None,
    ) -> ALBTargetGroupResponse:
        """A binary response: ``data`` base64-encoded, with ``isBase64Encoded`` true."""
        return cls._build(
            _http.encode_base64(data),
            True,
            status_code,
            headers,
            multi_value_headers,
            content_type,
            status_description,
        )

    @classmethod
    def _build(
        cls,
        body: str,
        is_base64: bool,
        status_code: int,
        headers: Mapping[str, str] | None,
        multi_value_headers: Mapping[str, list[str]] | None,
        content_type: str,
        status_description: str | None,
    ) -> ALBTargetGroupResponse:
        single, multi = _http.response_headers(headers, multi_value_headers, content_type)
        return cls(
            status_code=status_code,
            status_description=status_description or _status_line(status_code),
            headers=single,
            multi_value_headers=multi,
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
