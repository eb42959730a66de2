"""AWS IoT fleet provisioning: the pre-provisioning hook a provisioning template can call
to vet a device before it is provisioned, and the answer it returns."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import event, field

__all__ = ["IoTPreProvisionHookRequest", "IoTPreProvisionHookResponse"]

SAMPLES = {
    "iot-preprovision-hook-request": "IoTPreProvisionHookRequest",
    "iot-preprovision-hook-response": "IoTPreProvisionHookResponse",
}


@event
class IoTPreProvisionHookRequest:
    """What AWS IoT sends the hook when a device asks to be provisioned by claim: the
    claim certificate, the new certificate, the template, the device's MQTT client id and
    the template parameters it supplied."""

    claim_certificate_id: str | None = field("claimCertificateId")
    certificate_id: str | None = field("certificateId")
    certificate_pem: str | None = field("certificatePem")
    template_arn: str | None = field("templateArn")
    client_id: str | None = field("clientId")
    parameters: dict[str, str] | None = field("parameters")


@event
class IoTPreProvisionHookResponse:
    """The hook's answer, read by AWS IoT: whether to provision the device, and template
    parameters to use instead of the ones the device sent."""

    allow_provisioning: bool | None = field("allowProvisioning")
    parameter_overrides: dict[str, str] | None = field("parameterOverrides")

    @classmethod
    def allow(
        cls, parameter_overrides: Mapping[str, str] | None = None
    ) -> IoTPreProvisionHookResponse:
        """A response allowing provisioning, optionally overriding template parameters."""
        out = cls()
        out.allow_provisioning = True
        if parameter_overrides is not None:
            out.parameter_overrides = _string_map(parameter_overrides, "parameter_overrides")
        return out

    @classmethod
    def deny(cls) -> IoTPreProvisionHookResponse:
        """A response refusing to provision the device."""
        out = cls()
        out.allow_provisioning = False
        return out


def _string_map(values: Mapping[str, str], what: str) -> dict[str, str]:
    out = dict(values)
    for key, value in out.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"{what} must map strings to strings, got {key!r}: {value!r}")
    return out
