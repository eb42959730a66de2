"""AWS Client VPN: the request a client connect handler receives when a client connects
to a Client VPN endpoint, and the answer that admits or refuses it."""

from __future__ import annotations

from ._base import event, field

__all__ = [
    "ClientVPNConnectionHandlerRequest",
    "ClientVPNConnectionHandlerResponse",
]

SAMPLES = {
    "clientvpn-connection-request": "ClientVPNConnectionHandlerRequest",
    "clientvpn-connection-response": "ClientVPNConnectionHandlerResponse",
}


@event
class ClientVPNConnectionHandlerRequest:
    """A client connecting to a Client VPN endpoint that has a client connect handler:
    its connection and endpoint ids, certificate common name, user name, platform, public
    address and OpenVPN version. The keys are kebab-case (``connection-id``)."""

    connection_id: str | None = field("connection-id")
    endpoint_id: str | None = field("endpoint-id")
    common_name: str | None = field("common-name")
    username: str | None = field("username")
    os_platform: str | None = field("platform")
    os_platform_version: str | None = field("platform-version")
    public_ip: str | None = field("public-ip")
    client_openvpn_version: str | None = field("client-openvpn-version")
    schema_version: str | None = field("schema-version")


@event
class ClientVPNConnectionHandlerResponse:
    """The client connect handler's answer: admit the connection or not, the posture
    compliance statuses, and the message shown to a refused client.

    ``admit(...)`` and ``refuse(message, ...)`` fill every field Client VPN requires (a
    field named ``allow`` rules out methods of that name).
    """

    allow: bool | None = field("allow")
    error_msg_on_failed_posture_compliance: str | None = field(
        "error-msg-on-failed-posture-compliance"
    )
    posture_compliance_statuses: list[str] | None = field("posture-compliance-statuses")
    schema_version: str | None = field("schema-version")

    @classmethod
    def admit(
        cls, *, posture_compliance_statuses: list[str] | None = None
    ) -> ClientVPNConnectionHandlerResponse:
        """Admit the client (schema version ``v1``)."""
        return cls(
            allow=True,
            error_msg_on_failed_posture_compliance="",
            posture_compliance_statuses=list(posture_compliance_statuses or []),
            schema_version="v1",
        )

    @classmethod
    def refuse(
        cls, message: str, *, posture_compliance_statuses: list[str] | None = None
    ) -> ClientVPNConnectionHandlerResponse:
        """Refuse the client, showing it ``message`` (schema version ``v1``)."""
        return cls(
            allow=False,
            error_msg_on_failed_posture_compliance=message,
            posture_compliance_statuses=list(posture_compliance_statuses or []),
            schema_version="v1",
        )
