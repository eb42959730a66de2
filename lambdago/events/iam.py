"""IAM policy documents, as Lambda authorizers return them: API Gateway custom authorizers
(REST, and HTTP APIs with the IAM policy response) and IoT Core custom authorizers."""

from __future__ import annotations

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "IAMPolicyDocument",
    "IAMPolicyStatement",
]

_POLICY_VERSION = "2012-10-17"  # the current policy language version


@event
class IAMPolicyStatement:
    """One statement of a policy: an effect (``Allow`` or ``Deny``) on actions and resources.

    ``Action`` and ``Resource`` may be sent as one string or as a list of strings; either
    spelling is kept as it came. ``Condition`` (an operator -> key -> value(s) mapping) is
    not modelled by aws-lambda-go but is part of the IAM grammar, so it has a field here,
    as do ``Sid`` (the statement's id) and ``NotAction`` / ``NotResource`` (the
    complements of ``Action`` and ``Resource``, one string or a list as well).
    """

    action: str | list[str] | None = field("Action")
    effect: str | None = field("Effect")
    resource: str | list[str] | None = field("Resource")
    condition: dict[str, Any] | None = field("Condition")
    sid: str | None = field("Sid")
    not_action: str | list[str] | None = field("NotAction")
    not_resource: str | list[str] | None = field("NotResource")

    @classmethod
    def allow(cls, action: str | list[str], resource: str | list[str]) -> IAMPolicyStatement:
        """A statement allowing ``action`` on ``resource`` (each a string or a list)."""
        return cls(action=_as_list(action), effect="Allow", resource=_as_list(resource))

    @classmethod
    def deny(cls, action: str | list[str], resource: str | list[str]) -> IAMPolicyStatement:
        """A statement denying ``action`` on ``resource`` (each a string or a list)."""
        return cls(action=_as_list(action), effect="Deny", resource=_as_list(resource))

    def actions(self) -> list[str]:
        """``Action`` as a list, whichever way it was spelled (empty when absent)."""
        return _as_list(self.action) if self.action is not None else []

    def resources(self) -> list[str]:
        """``Resource`` as a list, whichever way it was spelled (empty when absent)."""
        return _as_list(self.resource) if self.resource is not None else []


@event
class IAMPolicyDocument:
    """A policy document: its language ``Version``, its list of statements and, rarely, an
    ``Id`` (part of the IAM grammar; aws-lambda-go lacks it)."""

    version: str | None = field("Version")
    statement: list[IAMPolicyStatement] | None = field("Statement")
    id: str | None = field("Id")

    @classmethod
    def of(cls, *statements: IAMPolicyStatement) -> IAMPolicyDocument:
        """A ``2012-10-17`` policy made of ``statements``."""
        return cls(version=_POLICY_VERSION, statement=list(statements))


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)
