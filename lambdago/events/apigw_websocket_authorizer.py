"""Amazon API Gateway WebSocket authorizers: the request a Lambda REQUEST authorizer of
a WebSocket API's ``$connect`` route receives.

It has the shape of a REST API REQUEST authorizer's request
(:class:`APIGatewayCustomAuthorizerRequestTypeRequest`, which decodes it too, keeping the
WebSocket keys as unmodelled data), but its ``requestContext`` describes the connection
being opened: connection id and time, event type ``CONNECT``, route key ``$connect``.
The authorizer answers with an :class:`APIGatewayCustomAuthorizerResponse`; ``allow()``
and ``deny()`` build one for the request's method ARN::

    @lambdago.handler
    def handle(event: APIGatewayWebsocketCustomAuthorizerRequest):
        user = verify(event.query_param("token"))
        if user is None:
            return event.deny("anonymous")
        return event.allow(user.id, context={"plan": user.plan})
"""

from __future__ import annotations

from . import _http
from ._base import event, field
from .apigw import APIGatewayCustomAuthorizerResponse, APIGatewayRequestIdentity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "APIGatewayWebsocketCustomAuthorizerRequest",
    "APIGatewayWebsocketCustomAuthorizerRequestContext",
]

SAMPLES = {
    "apigw-websocket-authorizer-request": "APIGatewayWebsocketCustomAuthorizerRequest",
}


@event
class APIGatewayWebsocketCustomAuthorizerRequestContext:
    """The connection a ``$connect`` authorizer is asked about: route key and event type,
    connection id and when it was opened (epoch milliseconds), the API, stage and domain,
    request ids and time, and the caller's identity."""

    route_key: str | None = field("routeKey")
    event_type: str | None = field("eventType")
    extended_request_id: str | None = field("extendedRequestId")
    request_time: str | None = field("requestTime")
    message_direction: str | None = field("messageDirection")
    stage: str | None = field("stage")
    connected_at: int | None = field("connectedAt")
    request_time_epoch: int | None = field("requestTimeEpoch")
    identity: APIGatewayRequestIdentity | None = field("identity")
    request_id: str | None = field("requestId")
    domain_name: str | None = field("domainName")
    connection_id: str | None = field("connectionId")
    api_id: str | None = field("apiId")


@event
class APIGatewayWebsocketCustomAuthorizerRequest(
    _http.MultiValueHeaderLookup, _http.MultiValueQueryLookup
):
    """The request a WebSocket API's Lambda REQUEST authorizer receives when a client
    connects (route ``$connect``): the method ARN to allow or deny, the handshake's
    headers and query string (use ``header()`` and ``query_param()``), stage variables
    and the connection's context."""

    type: str | None = field("type")
    method_arn: str | None = field("methodArn")
    headers: dict[str, str] | None = field("headers")
    multi_value_headers: dict[str, list[str]] | None = field("multiValueHeaders")
    query_string_parameters: dict[str, str] | None = field("queryStringParameters")
    multi_value_query_string_parameters: dict[str, list[str]] | None = field(
        "multiValueQueryStringParameters"
    )
    stage_variables: dict[str, str] | None = field("stageVariables")
    request_context: APIGatewayWebsocketCustomAuthorizerRequestContext | None = field(
        "requestContext"
    )

    def allow(
        self,
        principal_id: str,
        *,
        context: dict[str, Any] | None = None,
        usage_identifier_key: str | None = None,
    ) -> APIGatewayCustomAuthorizerResponse:
        """Let ``principal_id`` connect (a policy allowing this request's method ARN);
        ``context`` is passed on to the API's integrations."""
        return APIGatewayCustomAuthorizerResponse.allow(
            principal_id,
            self._method_arn(),
            context=context,
            usage_identifier_key=usage_identifier_key,
        )

    def deny(
        self, principal_id: str, *, context: dict[str, Any] | None = None
    ) -> APIGatewayCustomAuthorizerResponse:
        """Refuse the connection (the client gets 403 Forbidden)."""
        return APIGatewayCustomAuthorizerResponse.deny(
            principal_id, self._method_arn(), context=context
        )

    def _method_arn(self) -> str:
        if not self.method_arn:
            raise ValueError("the request has no methodArn")
        return self.method_arn
