"""AWS Secrets Manager: the event a rotation function receives for each step of rotating
a secret."""

from __future__ import annotations

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "SecretsManagerSecretRotationEvent",
    "SecretsManagerStepCreateSecret",
    "SecretsManagerStepFinishSecret",
    "SecretsManagerStepSetSecret",
    "SecretsManagerStepTestSecret",
]

SAMPLES = {"secretsmanager-rotation": "SecretsManagerSecretRotationEvent"}

SecretsManagerStepCreateSecret: Final = "createSecret"
"""First step: generate a new secret value and store it as ``AWSPENDING``."""
SecretsManagerStepSetSecret: Final = "setSecret"
"""Second step: set the pending value in the database or service the secret protects."""
SecretsManagerStepTestSecret: Final = "testSecret"
"""Third step: check that the pending value works."""
SecretsManagerStepFinishSecret: Final = "finishSecret"
"""Last step: move the ``AWSCURRENT`` label to the pending version."""


@event
class SecretsManagerSecretRotationEvent:
    """What Secrets Manager sends a rotation function, once per rotation step: the secret,
    the step to perform (``createSecret``, ``setSecret``, ``testSecret``,
    ``finishSecret``) and the version id (``ClientRequestToken``) being rotated in."""

    step: str | None = field("Step")
    secret_id: str | None = field("SecretId")
    client_request_token: str | None = field("ClientRequestToken")
    rotation_token: str | None = field("RotationToken")
