"""AWS IoT Core custom authentication, as first modelled: a request and response pair that
does not match what IoT Core sends and expects. Kept for code written against it; use
:class:`~lambdago.events.IoTCoreCustomAuthorizerRequest` and
:class:`~lambdago.events.IoTCoreCustomAuthorizerResponse` instead."""

from __future__ import annotations

from ._base import event, field
from .iot import IoTCoreHTTPContext, IoTCoreMQTTContext, IoTCoreTLSContext

__all__ = [
    "IoTCustomAuthorizerRequest",
    "IoTCustomAuthorizerResponse",
    "IoTHTTPContext",
    "IoTMQTTContext",
    "IoTTLSContext",
]

SAMPLES = {
    "iot-deprecated-custom-auth-request": "IoTCustomAuthorizerRequest",
    "iot-deprecated-custom-auth-response": "IoTCustomAuthorizerResponse",
}


@event
class IoTCustomAuthorizerRequest:
    """The old model of an IoT Core custom authorizer request (HTTP, MQTT and TLS contexts
    at the top level, a token and its signature). Use ``IoTCoreCustomAuthorizerRequest``."""

    http_context: IoTHTTPContext | None = field("httpContext")
    mqtt_context: IoTMQTTContext | None = field("mqttContext")
    tls_context: IoTTLSContext | None = field("tlsContext")
    authorization_token: str | None = field("token")
    token_signature: str | None = field("tokenSignature")


IoTHTTPContext = IoTCoreHTTPContext
"""The old name of :class:`~lambdago.events.IoTCoreHTTPContext`."""

IoTMQTTContext = IoTCoreMQTTContext
"""The old name of :class:`~lambdago.events.IoTCoreMQTTContext`."""

IoTTLSContext = IoTCoreTLSContext
"""The old name of :class:`~lambdago.events.IoTCoreTLSContext`."""


@event
class IoTCustomAuthorizerResponse:
    """The old model of an IoT Core custom authorizer response, with each policy document
    as a JSON string. Use ``IoTCoreCustomAuthorizerResponse``."""

    is_authenticated: bool | None = field("isAuthenticated")
    principal_id: str | None = field("principalId")
    disconnect_after_in_seconds: int | None = field("disconnectAfterInSeconds")
    refresh_after_in_seconds: int | None = field("refreshAfterInSeconds")
    policy_documents: list[str] | None = field("policyDocuments")
