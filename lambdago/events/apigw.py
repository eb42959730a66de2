"""Amazon API Gateway: proxy requests and responses of REST APIs (payload format 1.0), HTTP
APIs (payload format 2.0) and WebSocket APIs, and the requests and responses of Lambda
authorizers (TOKEN and REQUEST authorizers of REST APIs, both payload formats of HTTP API
authorizers)."""

from __future__ import annotations

from . import _http
from ._base import event, field
from .iam import IAMPolicyDocument, IAMPolicyStatement

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = [
    "APIGatewayCustomAuthorizerContext",
    "APIGatewayCustomAuthorizerPolicy",
    "APIGatewayCustomAuthorizerRequest",
    "APIGatewayCustomAuthorizerRequestTypeRequest",
    "APIGatewayCustomAuthorizerRequestTypeRequestContext",
    "APIGatewayCustomAuthorizerRequestTypeRequestIdentity",
    "APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCert",
    "APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCertValidity",
    "APIGatewayCustomAuthorizerResponse",
    "APIGatewayProxyRequest",
    "APIGatewayProxyRequestContext",
    "APIGatewayProxyResponse",
    "APIGatewayProxyStreamingResponse",
    "APIGatewayRequestIdentity",
    "APIGatewayV2CustomAuthorizerIAMPolicyResponse",
    "APIGatewayV2CustomAuthorizerSimpleResponse",
    "APIGatewayV2CustomAuthorizerV1Request",
    "APIGatewayV2CustomAuthorizerV1RequestTypeRequestContext",
    "APIGatewayV2CustomAuthorizerV2Request",
    "APIGatewayV2HTTPRequest",
    "APIGatewayV2HTTPRequestContext",
    "APIGatewayV2HTTPRequestContextAuthentication",
    "APIGatewayV2HTTPRequestContextAuthenticationClientCert",
    "APIGatewayV2HTTPRequestContextAuthenticationClientCertValidity",
    "APIGatewayV2HTTPRequestContextAuthorizerCognitoIdentity",
    "APIGatewayV2HTTPRequestContextAuthorizerDescription",
    "APIGatewayV2HTTPRequestContextAuthorizerIAMDescription",
    "APIGatewayV2HTTPRequestContextAuthorizerJWTDescription",
    "APIGatewayV2HTTPRequestContextHTTPDescription",
    "APIGatewayV2HTTPResponse",
    "APIGatewayWebsocketProxyRequest",
    "APIGatewayWebsocketProxyRequestContext",
]

SAMPLES = {
    "apigw-rest-request": "APIGatewayProxyRequest",
    "apigw-rest-response": "APIGatewayProxyResponse",
    "apigw-v2-http-request": "APIGatewayV2HTTPRequest",
    "apigw-v2-http-response": "APIGatewayV2HTTPResponse",
    "apigw-websocket-connect": "APIGatewayWebsocketProxyRequest",
    "apigw-websocket-message": "APIGatewayWebsocketProxyRequest",
    "apigw-token-authorizer-request": "APIGatewayCustomAuthorizerRequest",
    "apigw-request-authorizer-request": "APIGatewayCustomAuthorizerRequestTypeRequest",
    "apigw-request-authorizer-request-full-context": (
        "APIGatewayCustomAuthorizerRequestTypeRequest"
    ),
    "apigw-authorizer-response": "APIGatewayCustomAuthorizerResponse",
    "apigw-v2-authorizer-v1-request": "APIGatewayV2CustomAuthorizerV1Request",
    "apigw-v2-authorizer-v2-request": "APIGatewayV2CustomAuthorizerV2Request",
    "apigw-v2-authorizer-simple-response": "APIGatewayV2CustomAuthorizerSimpleResponse",
    "apigw-v2-authorizer-iam-policy-response": "APIGatewayV2CustomAuthorizerIAMPolicyResponse",
}

_INVOKE = "execute-api:Invoke"


# -- REST APIs (payload format 1.0) -------------------------------------------------------------


@event
class APIGatewayProxyRequest(
    _http.MultiValueHeaderLookup, _http.MultiValueQueryLookup, _http.BodyAccess
):
    """An HTTP request a REST API (Lambda proxy integration, payload format 1.0) passes on,
    or an HTTP API whose integration uses payload format 1.0.

    API Gateway sends both ``headers`` and ``multiValueHeaders`` (the former with the last
    of repeated values), and header names as the client spelled them: use ``header()``.

    ``version`` is ``"1.0"`` in events from HTTP APIs and absent in those from REST APIs;
    aws-lambda-go lacks this field.
    """

    resource: str | None = field("resource")
    path: str | None = field("path")
    http_method: str | None = field("httpMethod")
    headers: dict[str, str] | None = field("headers")
    multi_value_headers: dict[str, list[str]] | None = field("multiValueHeaders")
    query_string_parameters: dict[str, str] | None = field("queryStringParameters")
    multi_value_query_string_parameters: dict[str, list[str]] | None = field(
        "multiValueQueryStringParameters"
    )
    path_parameters: dict[str, str] | None = field("pathParameters")
    stage_variables: dict[str, str] | None = field("stageVariables")
    request_context: APIGatewayProxyRequestContext | None = field("requestContext")
    body: str | None = field("body")
    is_base64_encoded: bool | None = field("isBase64Encoded")
    version: str | None = field("version")


@event
class APIGatewayProxyResponse:
    """The response a REST API proxy integration expects back from the function.

    Build one with ``text``, ``json`` or ``binary``: they set the content type and encode
    the body (base64 with ``isBase64Encoded`` for binary data, which also needs the API's
    binary media types to cover the content type).
    """

    status_code: int | None = field("statusCode")
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
    ) -> APIGatewayProxyResponse:
        """A text response (``text/plain; charset=utf-8`` unless a content type is given)."""
        return cls._build(body, False, status_code, headers, multi_value_headers, content_type)

    @classmethod
    def json(
        cls,
        value: Any,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        multi_value_headers: Mapping[str, list[str]] | None = None,
        content_type: str = _http.JSON_TYPE,
        **options: Any,
    ) -> APIGatewayProxyResponse:
        """A response whose body is ``value`` as JSON (``lambdago.encode``, with ``options``)."""
        text = _http.json_text(value, options)
        return cls._build(text, False, status_code, headers, multi_value_headers, content_type)

    @classmethod
    def binary(
        cls,
        data: bytes | bytearray | memoryview,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        multi_value_headers: Mapping[str, list[str]] | None = None,
        content_type: str = _http.BINARY_TYPE,
    ) -> APIGatewayProxyResponse:
        """A binary response: ``data`` base64-encoded, with ``isBase64Encoded`` true."""
        text = _http.encode_base64(data)
        return cls._build(text, True, status_code, headers, multi_value_headers, content_type)

    @classmethod
    def _build(
        cls,
        body: str,
        is_base64: bool,
        status_code: int,
        headers: Mapping[str, str] | None,
        multi_value_headers: Mapping[str, list[str]] | None,
        content_type: str,
    ) -> APIGatewayProxyResponse:
        single, multi = _http.response_headers(headers, multi_value_headers, content_type)
        return cls(
            status_code=status_code,
            headers=single,
            multi_value_headers=multi,
            body=body,
            is_base64_encoded=is_base64,
        )


@event
class APIGatewayProxyStreamingResponse:
    """A response streamed back through a REST API whose Lambda proxy integration uses
    response streaming (``response-streaming-invocations``, transfer mode ``STREAM``).

    Plain data, never decoded from JSON. Return one from a handler and the runtime streams
    it in Lambda's HTTP integration format (content type
    ``application/vnd.awslambda.http-integration-response``): a JSON prelude with the
    status (200 when unset), headers, multi-value headers and cookies, eight NUL bytes, then
    ``body`` (``bytes``, ``str``, an iterator or async iterator of either, or a binary file
    object), each piece sent as it is produced. The body is closed once sent. See
    docs/streaming.md.
    """

    status_code: int | None = field("statusCode")
    headers: dict[str, str] | None = field("headers")
    multi_value_headers: dict[str, list[str]] | None = field("multiValueHeaders")
    body: Any = field("body")
    cookies: list[str] | None = field("cookies")

    content_type = _http.HTTP_INTEGRATION_TYPE

    def prelude(self) -> bytes:
        """The JSON prelude and its NUL separator, as the runtime sends them first."""
        return _http.prelude(
            {
                "statusCode": self.status_code or 200,
                "headers": self.headers,
                "multiValueHeaders": self.multi_value_headers,
                "cookies": self.cookies,
            }
        )

    def __lambdago_stream__(self) -> tuple[str, bytes, Any]:
        """How the runtime streams it: (content type, first bytes, body)."""
        return _http.HTTP_INTEGRATION_TYPE, self.prelude(), self.body


@event
class APIGatewayProxyRequestContext:
    """Where a REST API request came from and how it was authorized: account, API, stage,
    resource, caller identity, and the context a Lambda or Cognito authorizer produced.
    ``deploymentId`` (the stage's deployment, ``$context.deploymentId``) is a field
    aws-lambda-go does not declare."""

    account_id: str | None = field("accountId")
    resource_id: str | None = field("resourceId")
    operation_name: str | None = field("operationName")
    stage: str | None = field("stage")
    domain_name: str | None = field("domainName")
    domain_prefix: str | None = field("domainPrefix")
    request_id: str | None = field("requestId")
    extended_request_id: str | None = field("extendedRequestId")
    protocol: str | None = field("protocol")
    identity: APIGatewayRequestIdentity | None = field("identity")
    resource_path: str | None = field("resourcePath")
    path: str | None = field("path")
    authorizer: dict[str, Any] | None = field("authorizer")
    http_method: str | None = field("httpMethod")
    request_time: str | None = field("requestTime")
    request_time_epoch: int | None = field("requestTimeEpoch")
    api_id: str | None = field("apiId")
    deployment_id: str | None = field("deploymentId")


# -- HTTP APIs (payload format 2.0) -------------------------------------------------------------


@event
class APIGatewayV2HTTPRequest(_http.HeaderLookup, _http.QueryLookup, _http.BodyAccess):
    """An HTTP request an HTTP API passes to a Lambda integration (payload format 2.0).

    Header names arrive lower-cased, repeated headers and query parameters joined with
    commas, and cookies in ``cookies`` rather than in a ``cookie`` header.
    """

    version: str | None = field("version")
    route_key: str | None = field("routeKey")
    raw_path: str | None = field("rawPath")
    raw_query_string: str | None = field("rawQueryString")
    cookies: list[str] | None = field("cookies")
    headers: dict[str, str] | None = field("headers")
    query_string_parameters: dict[str, str] | None = field("queryStringParameters")
    path_parameters: dict[str, str] | None = field("pathParameters")
    request_context: APIGatewayV2HTTPRequestContext | None = field("requestContext")
    stage_variables: dict[str, str] | None = field("stageVariables")
    body: str | None = field("body")
    is_base64_encoded: bool | None = field("isBase64Encoded")


@event
class APIGatewayV2HTTPRequestContext:
    """Where an HTTP API request came from: account, API, stage, route, the HTTP details,
    the authorizer's output and, with mutual TLS, the client certificate."""

    route_key: str | None = field("routeKey")
    account_id: str | None = field("accountId")
    stage: str | None = field("stage")
    request_id: str | None = field("requestId")
    authorizer: APIGatewayV2HTTPRequestContextAuthorizerDescription | None = field("authorizer")
    api_id: str | None = field("apiId")
    domain_name: str | None = field("domainName")
    domain_prefix: str | None = field("domainPrefix")
    time: str | None = field("time")
    time_epoch: int | None = field("timeEpoch")
    http: APIGatewayV2HTTPRequestContextHTTPDescription | None = field("http")
    authentication: APIGatewayV2HTTPRequestContextAuthentication | None = field("authentication")


@event
class APIGatewayV2HTTPRequestContextAuthorizerDescription:
    """What the route's authorizer established: JWT claims, the context a Lambda authorizer
    returned (``lambda``), or the IAM caller."""

    jwt: APIGatewayV2HTTPRequestContextAuthorizerJWTDescription | None = field("jwt")
    lambda_: dict[str, Any] | None = field("lambda")
    iam: APIGatewayV2HTTPRequestContextAuthorizerIAMDescription | None = field("iam")


@event
class APIGatewayV2HTTPRequestContextAuthorizerJWTDescription:
    """The claims and scopes of the token a JWT authorizer accepted."""

    claims: dict[str, str] | None = field("claims")
    scopes: list[str] | None = field("scopes")


@event
class APIGatewayV2HTTPRequestContextAuthorizerIAMDescription:
    """The caller of a route protected by IAM authorization (SigV4-signed requests)."""

    access_key: str | None = field("accessKey")
    account_id: str | None = field("accountId")
    caller_id: str | None = field("callerId")
    cognito_identity: APIGatewayV2HTTPRequestContextAuthorizerCognitoIdentity | None = field(
        "cognitoIdentity"
    )
    principal_org_id: str | None = field("principalOrgId")
    user_arn: str | None = field("userArn")
    user_id: str | None = field("userId")


@event
class APIGatewayV2HTTPRequestContextAuthorizerCognitoIdentity:
    """The Cognito identity behind IAM credentials, when they came from an identity pool."""

    amr: list[str] | None = field("amr")
    identity_id: str | None = field("identityId")
    identity_pool_id: str | None = field("identityPoolId")


@event
class APIGatewayV2HTTPRequestContextHTTPDescription:
    """The HTTP method, path, protocol, source address and user agent of the request."""

    method: str | None = field("method")
    path: str | None = field("path")
    protocol: str | None = field("protocol")
    source_ip: str | None = field("sourceIp")
    user_agent: str | None = field("userAgent")


@event
class APIGatewayV2HTTPResponse:
    """The response an HTTP API Lambda integration (payload format 2.0) expects back.

    Cookies go in ``cookies``. Build one with ``text``, ``json`` or ``binary``.
    """

    status_code: int | None = field("statusCode")
    headers: dict[str, str] | None = field("headers")
    multi_value_headers: dict[str, list[str]] | None = field("multiValueHeaders")
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
    ) -> APIGatewayV2HTTPResponse:
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
    ) -> APIGatewayV2HTTPResponse:
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
    ) -> APIGatewayV2HTTPResponse:
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
    ) -> APIGatewayV2HTTPResponse:
        return cls(
            status_code=status_code,
            headers=_http.with_content_type(headers, content_type),
            body=body,
            is_base64_encoded=is_base64,
            cookies=list(cookies) if cookies is not None else None,
        )


# -- caller identity ----------------------------------------------------------------------------


@event
class APIGatewayRequestIdentity:
    """Who called a REST or WebSocket API: source address, user agent, and, depending on
    the authorization used, the API key, IAM caller, Cognito identity or client certificate.

    ``principalOrgId`` is the AWS Organizations id of an IAM caller (``null`` otherwise);
    ``vpcId`` and ``vpceId`` name the VPC and the VPC endpoint a private API was called
    through. ``cognitoAmr`` (the Cognito authentication methods; ``null`` in the events
    seen) is kept as sent. aws-lambda-go lacks these four fields."""

    cognito_identity_pool_id: str | None = field("cognitoIdentityPoolId")
    account_id: str | None = field("accountId")
    cognito_identity_id: str | None = field("cognitoIdentityId")
    caller: str | None = field("caller")
    api_key: str | None = field("apiKey")
    api_key_id: str | None = field("apiKeyId")
    access_key: str | None = field("accessKey")
    source_ip: str | None = field("sourceIp")
    cognito_authentication_type: str | None = field("cognitoAuthenticationType")
    cognito_authentication_provider: str | None = field("cognitoAuthenticationProvider")
    user_arn: str | None = field("userArn")
    user_agent: str | None = field("userAgent")
    user: str | None = field("user")
    client_cert: APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCert | None = field(
        "clientCert"
    )
    principal_org_id: str | None = field("principalOrgId")
    vpc_id: str | None = field("vpcId")
    vpce_id: str | None = field("vpceId")
    cognito_amr: Any = field("cognitoAmr")


# -- WebSocket APIs -----------------------------------------------------------------------------


@event
class APIGatewayWebsocketProxyRequest(
    _http.MultiValueHeaderLookup, _http.MultiValueQueryLookup, _http.BodyAccess
):
    """A WebSocket API event: a client connecting (``$connect``, with the handshake's
    headers and query string), sending a message (``body``), or disconnecting.

    ``requestContext.eventType`` says which (``CONNECT``, ``MESSAGE``, ``DISCONNECT``) and
    ``requestContext.connectionId`` names the connection to post replies to.
    """

    resource: str | None = field("resource")
    path: str | None = field("path")
    http_method: str | None = field("httpMethod")
    headers: dict[str, str] | None = field("headers")
    multi_value_headers: dict[str, list[str]] | None = field("multiValueHeaders")
    query_string_parameters: dict[str, str] | None = field("queryStringParameters")
    multi_value_query_string_parameters: dict[str, list[str]] | None = field(
        "multiValueQueryStringParameters"
    )
    path_parameters: dict[str, str] | None = field("pathParameters")
    stage_variables: dict[str, str] | None = field("stageVariables")
    request_context: APIGatewayWebsocketProxyRequestContext | None = field("requestContext")
    body: str | None = field("body")
    is_base64_encoded: bool | None = field("isBase64Encoded")


@event
class APIGatewayWebsocketProxyRequestContext:
    """The connection and route of a WebSocket event: connection id and time, event type,
    route key, message id, caller identity and any authorizer output (on ``$connect``)."""

    account_id: str | None = field("accountId")
    resource_id: str | None = field("resourceId")
    stage: str | None = field("stage")
    request_id: str | None = field("requestId")
    identity: APIGatewayRequestIdentity | None = field("identity")
    resource_path: str | None = field("resourcePath")
    authorizer: Any = field("authorizer")
    http_method: str | None = field("httpMethod")
    api_id: str | None = field("apiId")
    connected_at: int | None = field("connectedAt")
    connection_id: str | None = field("connectionId")
    domain_name: str | None = field("domainName")
    error: str | None = field("error")
    event_type: str | None = field("eventType")
    extended_request_id: str | None = field("extendedRequestId")
    integration_latency: str | None = field("integrationLatency")
    message_direction: str | None = field("messageDirection")
    message_id: Any = field("messageId")
    request_time: str | None = field("requestTime")
    request_time_epoch: int | None = field("requestTimeEpoch")
    route_key: str | None = field("routeKey")
    status: str | None = field("status")
    disconnect_status_code: int | None = field("disconnectStatusCode")
    disconnect_reason: str | None = field("disconnectReason")


# -- authorizers: identity and certificates ----------------------------------------------------


@event
class APIGatewayCustomAuthorizerRequestTypeRequestIdentity:
    """The caller as a REQUEST authorizer sees it: API key, source address and, with mutual
    TLS, the client certificate.

    API Gateway sends the whole identity a proxy integration gets (most of it ``null``
    before authorization); aws-lambda-go declares only the first three fields, the rest
    are declared here as in :class:`APIGatewayRequestIdentity`. ``cognitoAmr`` (the
    Cognito authentication methods, ``null`` in the events seen) is kept as sent."""

    api_key: str | None = field("apiKey")
    source_ip: str | None = field("sourceIp")
    client_cert: APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCert | None = field(
        "clientCert"
    )
    access_key: str | None = field("accessKey")
    account_id: str | None = field("accountId")
    api_key_id: str | None = field("apiKeyId")
    caller: str | None = field("caller")
    cognito_amr: Any = field("cognitoAmr")
    cognito_authentication_provider: str | None = field("cognitoAuthenticationProvider")
    cognito_authentication_type: str | None = field("cognitoAuthenticationType")
    cognito_identity_id: str | None = field("cognitoIdentityId")
    cognito_identity_pool_id: str | None = field("cognitoIdentityPoolId")
    principal_org_id: str | None = field("principalOrgId")
    user: str | None = field("user")
    user_agent: str | None = field("userAgent")
    user_arn: str | None = field("userArn")
    vpc_id: str | None = field("vpcId")
    vpce_id: str | None = field("vpceId")


@event
class APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCert:
    """The client certificate of a mutual TLS connection to a REST API (PEM and details)."""

    client_cert_pem: str | None = field("clientCertPem")
    issuer_dn: str | None = field("issuerDN")
    serial_number: str | None = field("serialNumber")
    subject_dn: str | None = field("subjectDN")
    validity: APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCertValidity | None = field(
        "validity"
    )


@event
class APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCertValidity:
    """The validity window of a client certificate, as the dates API Gateway prints."""

    not_after: str | None = field("notAfter")
    not_before: str | None = field("notBefore")


@event
class APIGatewayV2HTTPRequestContextAuthentication:
    """How an HTTP API caller authenticated at the TLS level: its client certificate."""

    client_cert: APIGatewayV2HTTPRequestContextAuthenticationClientCert | None = field("clientCert")


@event
class APIGatewayV2HTTPRequestContextAuthenticationClientCert:
    """The client certificate of a mutual TLS connection to an HTTP API (PEM and details)."""

    client_cert_pem: str | None = field("clientCertPem")
    issuer_dn: str | None = field("issuerDN")
    serial_number: str | None = field("serialNumber")
    subject_dn: str | None = field("subjectDN")
    validity: APIGatewayV2HTTPRequestContextAuthenticationClientCertValidity | None = field(
        "validity"
    )


@event
class APIGatewayV2HTTPRequestContextAuthenticationClientCertValidity:
    """The validity window of an HTTP API client certificate."""

    not_after: str | None = field("notAfter")
    not_before: str | None = field("notBefore")


# -- HTTP API authorizers -----------------------------------------------------------------------


@event
class APIGatewayV2CustomAuthorizerV1RequestTypeRequestContext:
    """The request context an HTTP API authorizer receives with payload format 1.0."""

    path: str | None = field("path")
    account_id: str | None = field("accountId")
    resource_id: str | None = field("resourceId")
    stage: str | None = field("stage")
    request_id: str | None = field("requestId")
    identity: APIGatewayCustomAuthorizerRequestTypeRequestIdentity | None = field("identity")
    resource_path: str | None = field("resourcePath")
    http_method: str | None = field("httpMethod")
    api_id: str | None = field("apiId")


@event
class APIGatewayV2CustomAuthorizerV1Request(_http.HeaderLookup, _http.QueryLookup):
    """The request an HTTP API Lambda authorizer receives with payload format 1.0, shaped
    like a REST API REQUEST authorizer's (``methodArn``, one value per header)."""

    version: str | None = field("version")
    type: str | None = field("type")
    method_arn: str | None = field("methodArn")
    identity_source: str | None = field("identitySource")
    authorization_token: str | None = field("authorizationToken")
    resource: str | None = field("resource")
    path: str | None = field("path")
    http_method: str | None = field("httpMethod")
    headers: dict[str, str] | None = field("headers")
    query_string_parameters: dict[str, str] | None = field("queryStringParameters")
    path_parameters: dict[str, str] | None = field("pathParameters")
    stage_variables: dict[str, str] | None = field("stageVariables")
    request_context: APIGatewayV2CustomAuthorizerV1RequestTypeRequestContext | None = field(
        "requestContext"
    )


@event
class APIGatewayV2CustomAuthorizerV2Request(_http.HeaderLookup, _http.QueryLookup):
    """The request an HTTP API Lambda authorizer receives with payload format 2.0: the
    route ARN, the identity source values, and the request as an integration would see it
    (without the body)."""

    version: str | None = field("version")
    type: str | None = field("type")
    route_arn: str | None = field("routeArn")
    identity_source: list[str] | None = field("identitySource")
    route_key: str | None = field("routeKey")
    raw_path: str | None = field("rawPath")
    raw_query_string: str | None = field("rawQueryString")
    cookies: list[str] | None = field("cookies")
    headers: dict[str, str] | None = field("headers")
    query_string_parameters: dict[str, str] | None = field("queryStringParameters")
    request_context: APIGatewayV2HTTPRequestContext | None = field("requestContext")
    path_parameters: dict[str, str] | None = field("pathParameters")
    stage_variables: dict[str, str] | None = field("stageVariables")


# -- REST API authorizers -----------------------------------------------------------------------


@event
class APIGatewayCustomAuthorizerContext:
    """An example shape for the ``context`` map of an authorizer response, kept for code
    written against it; a plain ``dict`` (``APIGatewayCustomAuthorizerResponse.context``)
    is the usual way to pass values to the integration."""

    principal_id: str | None = field("principalId")
    string_key: str | None = field("stringKey")
    num_key: int | None = field("numKey")
    bool_key: bool | None = field("boolKey")


@event
class APIGatewayCustomAuthorizerRequestTypeRequestContext:
    """The request context a REST API REQUEST authorizer receives.

    API Gateway sends the same context a proxy integration gets; aws-lambda-go declares
    only its first nine fields. ``domainName``, ``domainPrefix``, ``extendedRequestId``,
    ``protocol``, ``requestTime`` and ``requestTimeEpoch`` (milliseconds) are declared
    here as well."""

    path: str | None = field("path")
    account_id: str | None = field("accountId")
    resource_id: str | None = field("resourceId")
    stage: str | None = field("stage")
    request_id: str | None = field("requestId")
    identity: APIGatewayCustomAuthorizerRequestTypeRequestIdentity | None = field("identity")
    resource_path: str | None = field("resourcePath")
    http_method: str | None = field("httpMethod")
    api_id: str | None = field("apiId")
    domain_name: str | None = field("domainName")
    domain_prefix: str | None = field("domainPrefix")
    extended_request_id: str | None = field("extendedRequestId")
    protocol: str | None = field("protocol")
    request_time: str | None = field("requestTime")
    request_time_epoch: int | None = field("requestTimeEpoch")


@event
class APIGatewayCustomAuthorizerRequest:
    """The request a REST API TOKEN authorizer receives: the token taken from the
    configured header, and the ARN of the method being called."""

    type: str | None = field("type")
    authorization_token: str | None = field("authorizationToken")
    method_arn: str | None = field("methodArn")


@event
class APIGatewayCustomAuthorizerRequestTypeRequest(
    _http.MultiValueHeaderLookup, _http.MultiValueQueryLookup
):
    """The request a REST API REQUEST authorizer receives: the method ARN and the request's
    headers, query string, path parameters, stage variables and context (no body)."""

    type: str | None = field("type")
    method_arn: str | None = field("methodArn")
    resource: str | None = field("resource")
    path: str | None = field("path")
    http_method: str | None = field("httpMethod")
    headers: dict[str, str] | None = field("headers")
    multi_value_headers: dict[str, list[str]] | None = field("multiValueHeaders")
    query_string_parameters: dict[str, str] | None = field("queryStringParameters")
    multi_value_query_string_parameters: dict[str, list[str]] | None = field(
        "multiValueQueryStringParameters"
    )
    path_parameters: dict[str, str] | None = field("pathParameters")
    stage_variables: dict[str, str] | None = field("stageVariables")
    request_context: APIGatewayCustomAuthorizerRequestTypeRequestContext | None = field(
        "requestContext"
    )


def _policy(effect: str, resource: str | list[str]) -> IAMPolicyDocument:
    return IAMPolicyDocument.of(
        IAMPolicyStatement(action=[_INVOKE], effect=effect, resource=_as_list(resource))
    )


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


APIGatewayCustomAuthorizerPolicy = IAMPolicyDocument
"""The policy of an authorizer response: the IAM policy document type under its older name."""


@event
class APIGatewayCustomAuthorizerResponse:
    """What a REST API Lambda authorizer returns: the principal, an IAM policy allowing or
    denying ``execute-api:Invoke`` on method ARNs, values for the integration
    (``context``: strings, numbers and booleans only) and, for usage plans, the API key.

    ``allow(principal_id, resource, context=...)`` and ``deny(...)`` build the usual answers.
    """

    principal_id: str | None = field("principalId")
    policy_document: APIGatewayCustomAuthorizerPolicy | None = field("policyDocument")
    context: dict[str, Any] | None = field("context")
    usage_identifier_key: str | None = field("usageIdentifierKey")

    @classmethod
    def allow(
        cls,
        principal_id: str,
        resource: str | list[str],
        *,
        context: dict[str, Any] | None = None,
        usage_identifier_key: str | None = None,
    ) -> APIGatewayCustomAuthorizerResponse:
        """Let ``principal_id`` invoke ``resource`` (one method ARN or a list; ``*``
        wildcards allowed); ``context`` is passed on to the integration."""
        return cls(
            principal_id=principal_id,
            policy_document=_policy("Allow", resource),
            context=context,
            usage_identifier_key=usage_identifier_key,
        )

    @classmethod
    def deny(
        cls,
        principal_id: str,
        resource: str | list[str],
        *,
        context: dict[str, Any] | None = None,
    ) -> APIGatewayCustomAuthorizerResponse:
        """Refuse ``principal_id`` the ``resource`` (the caller gets 403 Forbidden)."""
        return cls(
            principal_id=principal_id, policy_document=_policy("Deny", resource), context=context
        )


@event
class APIGatewayV2CustomAuthorizerSimpleResponse:
    """What an HTTP API Lambda authorizer with simple responses enabled returns: yes or no,
    and optional values for the integration (``context``).

    ``allow(context=...)`` and ``deny()`` build one; so does the plain constructor.
    """

    is_authorized: bool | None = field("isAuthorized")
    context: dict[str, Any] | None = field("context")

    @classmethod
    def allow(
        cls, *, context: dict[str, Any] | None = None
    ) -> APIGatewayV2CustomAuthorizerSimpleResponse:
        """Authorize the request, passing ``context`` on to the integration."""
        return cls(is_authorized=True, context=context)

    @classmethod
    def deny(
        cls, *, context: dict[str, Any] | None = None
    ) -> APIGatewayV2CustomAuthorizerSimpleResponse:
        """Refuse the request (the caller gets 403 Forbidden)."""
        return cls(is_authorized=False, context=context)


@event
class APIGatewayV2CustomAuthorizerIAMPolicyResponse:
    """What an HTTP API Lambda authorizer returns when simple responses are off: the
    principal, an IAM policy over route ARNs, and optional ``context`` values.

    ``allow(principal_id, resource, context=...)`` and ``deny(...)`` build the usual answers.
    """

    principal_id: str | None = field("principalId")
    policy_document: APIGatewayCustomAuthorizerPolicy | None = field("policyDocument")
    context: dict[str, Any] | None = field("context")

    @classmethod
    def allow(
        cls,
        principal_id: str,
        resource: str | list[str],
        *,
        context: dict[str, Any] | None = None,
    ) -> APIGatewayV2CustomAuthorizerIAMPolicyResponse:
        """Let ``principal_id`` invoke ``resource`` (one route ARN or a list; ``*``
        wildcards allowed); ``context`` is passed on to the integration."""
        return cls(
            principal_id=principal_id, policy_document=_policy("Allow", resource), context=context
        )

    @classmethod
    def deny(
        cls,
        principal_id: str,
        resource: str | list[str],
        *,
        context: dict[str, Any] | None = None,
    ) -> APIGatewayV2CustomAuthorizerIAMPolicyResponse:
        """Refuse ``principal_id`` the ``resource`` (the caller gets 403 Forbidden)."""
        return cls(
            principal_id=principal_id, policy_document=_policy("Deny", resource), context=context
        )
