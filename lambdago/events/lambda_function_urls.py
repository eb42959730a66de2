"""Lambda function URLs: the HTTP request a function URL passes to its function, and the
response it turns back into HTTP (buffered, or streamed with ``RESPONSE_STREAM``)."""

from __future__ import annotations

from . import _http
from ._base import event, field
from .apigw import (
    APIGatewayV2HTTPRequestContextAuthentication,
    APIGatewayV2HTTPRequestContextAuthorizerCognitoIdentity,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = [
    "LambdaFunctionURLRequest",
    "LambdaFunctionURLRequestContext",
    "LambdaFunctionURLRequestContextAuthorizerDescription",
    "LambdaFunctionURLRequestContextAuthorizerIAMDescription",
    "LambdaFunctionURLRequestContextHTTPDescription",
    "LambdaFunctionURLResponse",
    "LambdaFunctionURLStreamingResponse",
]

SAMPLES = {
    "function-url-request": "LambdaFunctionURLRequest",
    "function-url-request-iam": "LambdaFunctionURLRequest",
    "function-url-response": "LambdaFunctionURLResponse",
}


@event
class LambdaFunctionURLRequest(_http.HeaderLookup, _http.QueryLookup, _http.BodyAccess):
    """An HTTP request to a function URL, in API Gateway's payload format 2.0.

    Header names arrive lower-cased, repeated headers and query parameters joined with
    commas, cookies in ``cookies``; a binary body is base64 with ``isBase64Encoded`` true.

    ``routeKey`` is always ``$default`` (a function URL has no routes). ``pathParameters``
    and ``stageVariables`` come as ``null`` (there are neither), as in AWS's published
    request payload. aws-lambda-go lacks these three fields.
    """

    version: str | None = field("version")
    route_key: str | None = field("routeKey")
    raw_path: str | None = field("rawPath")
    raw_query_string: str | None = field("rawQueryString")
    cookies: list[str] | None = field("cookies")
    headers: dict[str, str] | None = field("headers")
    query_string_parameters: dict[str, str] | None = field("queryStringParameters")
    request_context: LambdaFunctionURLRequestContext | None = field("requestContext")
    body: str | None = field("body")
    is_base64_encoded: bool | None = field("isBase64Encoded")
    path_parameters: dict[str, str] | None = field("pathParameters")
    stage_variables: dict[str, str] | None = field("stageVariables")


@event
class LambdaFunctionURLRequestContext:
    """Where the request came from: account, URL id and domain, time, HTTP details and,
    for a URL with ``AWS_IAM`` auth, the signing caller.

    ``routeKey`` and ``stage`` are both ``$default``: a function URL has neither routes
    nor stages, and fills them in as API Gateway's format 2.0 does. ``authentication``
    (the client certificate of a mutual TLS call in API Gateway's format) is ``null``: a
    function URL has no mutual TLS. aws-lambda-go lacks these three fields."""

    account_id: str | None = field("accountId")
    request_id: str | None = field("requestId")
    route_key: str | None = field("routeKey")
    stage: str | None = field("stage")
    authorizer: LambdaFunctionURLRequestContextAuthorizerDescription | None = field("authorizer")
    api_id: str | None = field("apiId")
    domain_name: str | None = field("domainName")
    domain_prefix: str | None = field("domainPrefix")
    time: str | None = field("time")
    time_epoch: int | None = field("timeEpoch")
    http: LambdaFunctionURLRequestContextHTTPDescription | None = field("http")
    authentication: APIGatewayV2HTTPRequestContextAuthentication | None = field("authentication")


@event
class LambdaFunctionURLRequestContextAuthorizerDescription:
    """The authorizer output of a function URL: only IAM exists."""

    iam: LambdaFunctionURLRequestContextAuthorizerIAMDescription | None = field("iam")


@event
class LambdaFunctionURLRequestContextAuthorizerIAMDescription:
    """The IAM caller of a function URL with ``AWS_IAM`` auth (a SigV4-signed request).

    ``cognitoIdentity`` (the identity pool identity behind the credentials, ``null`` for
    other callers; the same shape as an HTTP API's) and ``principalOrgId`` (the caller's
    AWS Organizations id) are declared here; aws-lambda-go lacks them."""

    access_key: str | None = field("accessKey")
    account_id: str | None = field("accountId")
    caller_id: str | None = field("callerId")
    user_arn: str | None = field("userArn")
    user_id: str | None = field("userId")
    cognito_identity: APIGatewayV2HTTPRequestContextAuthorizerCognitoIdentity | None = field(
        "cognitoIdentity"
    )
    principal_org_id: str | None = field("principalOrgId")


@event
class LambdaFunctionURLRequestContextHTTPDescription:
    """The HTTP method, path, protocol, source address and user agent of the request."""

    method: str | None = field("method")
    path: str | None = field("path")
    protocol: str | None = field("protocol")
    source_ip: str | None = field("sourceIp")
    user_agent: str | None = field("userAgent")


@event
class LambdaFunctionURLResponse:
    """The response a function URL (invoke mode ``BUFFERED``) turns back into HTTP.

    Cookies go in ``cookies``. Build one with ``text``, ``json`` or ``binary``.
    """

    status_code: int | None = field("statusCode")
    headers: dict[str, str] | None = field("headers")
    body: str | None = field("body")
    is_base64_encoded: bool | None = field("isBase64Encoded")
    cookies: list[str] | None = field("cookies")

    @classmethod
    def text(
        cls,
        body: str,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        cookies: list[str] | None = None,
        content_type: str = _http.TEXT_TYPE,
    ) -> LambdaFunctionURLResponse:
        """A text response (``text/plain; charset=utf-8`` unless a content type is given)."""
        return cls._build(body, False, status_code, headers, cookies, content_type)

    @classmethod
    def json(
        cls,
        value: Any,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        cookies: list[str] | None = None,
        content_type: str = _http.JSON_TYPE,
        **options: Any,
    ) -> LambdaFunctionURLResponse:
        """A response whose body is ``value`` as JSON (``lambdago.encode``, with ``options``)."""
        text = _http.json_text(value, options)
        return cls._build(text, False, status_code, headers, cookies, content_type)

    @classmethod
    def binary(
        cls,
        data: bytes | bytearray | memoryview,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        cookies: list[str] | None = None,
        content_type: str = _http.BINARY_TYPE,
    ) -> LambdaFunctionURLResponse:
        """A binary response: ``data`` base64-encoded, with ``isBase64Encoded`` true."""
        text = _http.encode_base64(data)
        return cls._build(text, True, status_code, headers, cookies, content_type)

    @classmethod
    def _build(
        cls,
        body: str,
        is_base64: bool,
        status_code: int,
        headers: Mapping[str, str] | None,
        cookies: list[str] | None,
        content_type: str,
    ) -> LambdaFunctionURLResponse:
        return cls(
            status_code=status_code,
            headers=_http.with_content_type(headers, content_type),
            body=body,
            is_base64_encoded=is_base64,
            cookies=list(cookies) if cookies is not None else None,
        )


@event
class LambdaFunctionURLStreamingResponse:
    """A response streamed by a function URL whose invoke mode is ``RESPONSE_STREAM``.

    Plain data, never decoded from JSON. Return one from a handler and the runtime streams
    it in Lambda's HTTP integration format (content type
    ``application/vnd.awslambda.http-integration-response``): a JSON prelude with the
    status (200 when unset), headers and cookies, eight NUL bytes, then ``body`` (``bytes``,
    ``str``, an iterator or async iterator of either, or a binary file object), each piece
    sent as it is produced. The body is closed once sent. See docs/streaming.md.
    """

    status_code: int | None = field("statusCode")
    headers: dict[str, str] | None = field("headers")
    body: Any = field("body")
    cookies: list[str] | None = field("cookies")

    content_type = _http.HTTP_INTEGRATION_TYPE

    def prelude(self) -> bytes:
        """The JSON prelude and its NUL separator, as the runtime sends them first."""
        return _http.prelude(
            {
                "statusCode": self.status_code or 200,
                "headers": self.headers,
                "cookies": self.cookies,
            }
        )

    def __lambdago_stream__(self) -> tuple[str, bytes, Any]:
        """How the runtime streams it: (content type, first bytes, body)."""
        return _http.HTTP_INTEGRATION_TYPE, self.prelude(), self.body
