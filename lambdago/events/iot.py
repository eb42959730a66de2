"""AWS IoT Core custom authentication: the request a custom authorizer function receives
when a device connects with credentials IoT Core does not check itself (a token, MQTT user
name and password, or HTTP headers), and the answer with the device's policies."""

from __future__ import annotations

from ._base import BASE64, event, field
from .iam import IAMPolicyDocument

__all__ = [
    "IoTCoreConnectionMetadata",
    "IoTCoreCustomAuthorizerRequest",
    "IoTCoreCustomAuthorizerResponse",
    "IoTCoreHTTPContext",
    "IoTCoreMQTTContext",
    "IoTCoreProtocolData",
    "IoTCoreTLSContext",
]

SAMPLES = {
    "iot-core-authorizer-request": "IoTCoreCustomAuthorizerRequest",
    "iot-core-authorizer-response": "IoTCoreCustomAuthorizerResponse",
}


@event
class IoTCoreCustomAuthorizerRequest:
    """What an IoT Core custom authorizer receives for a connecting device: the token (with
    whether IoT Core verified its signature), the protocols of the connection and, per
    protocol, what the device presented."""

    token: str | None = field("token")
    signature_verified: bool | None = field("signatureVerified")
    protocols: list[str] | None = field("protocols")
    protocol_data: IoTCoreProtocolData | None = field("protocolData")
    connection_metadata: IoTCoreConnectionMetadata | None = field("connectionMetadata")


@event
class IoTCoreProtocolData:
    """What the device presented at each protocol layer: TLS, HTTP and MQTT."""

    tls: IoTCoreTLSContext | None = field("tls")
    http: IoTCoreHTTPContext | None = field("http")
    mqtt: IoTCoreMQTTContext | None = field("mqtt")


@event
class IoTCoreTLSContext:
    """The TLS layer of a connection: the server name (SNI) the device asked for."""

    server_name: str | None = field("serverName")


@event
class IoTCoreHTTPContext:
    """The HTTP layer of a connection (HTTPS or MQTT over WebSocket): headers and query."""

    headers: dict[str, str] | None = field("headers")
    query_string: str | None = field("queryString")


@event
class IoTCoreMQTTContext:
    """The MQTT CONNECT of a device: client id, user name and password (raw bytes; the
    JSON carries them base64-encoded)."""

    client_id: str | None = field("clientId")
    password: bytes | None = field("password", wire=BASE64)
    username: str | None = field("username")


@event
class IoTCoreConnectionMetadata:
    """The id IoT Core gave the connection."""

    id: str | None = field("id")


@event
class IoTCoreCustomAuthorizerResponse:
    """A custom authorizer's answer: whether the device is authenticated, its principal,
    the policies granting what it may do, and when to disconnect it or call the authorizer
    again (seconds)."""

    is_authenticated: bool | None = field("isAuthenticated")
    principal_id: str | None = field("principalId")
    disconnect_after_in_seconds: int | None = field("disconnectAfterInSeconds")
    refresh_after_in_seconds: int | None = field("refreshAfterInSeconds")
    policy_documents: list[IAMPolicyDocument] | None = field("policyDocuments")
