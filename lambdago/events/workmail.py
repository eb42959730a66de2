"""Amazon WorkMail message flow: the summary of an inbound or outbound message that an
email flow rule with a "Run Lambda" action passes to the function, and, for synchronous
rules, the response saying what to do with the message for all or some recipients::

    @lambdago.handler
    def handle(event: WorkMailMessageFlowEvent) -> WorkMailMessageFlowResponse:
        if "[SPAM]" in (event.subject or ""):
            return WorkMailMessageFlowResponse.of(WorkMailMessageFlowResponseAction.move_to_junk())
        return WorkMailMessageFlowResponse.of(WorkMailMessageFlowResponseAction.default())

The full message (MIME) is not in the event; fetch it with the WorkMail Message Flow API
using ``messageId``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "WorkMailMessageFlowAction",
    "WorkMailMessageFlowActionTypeBounce",
    "WorkMailMessageFlowActionTypeBypassSpamCheck",
    "WorkMailMessageFlowActionTypeDefault",
    "WorkMailMessageFlowActionTypeDrop",
    "WorkMailMessageFlowActionTypeMoveToJunk",
    "WorkMailMessageFlowAddress",
    "WorkMailMessageFlowDirectionInbound",
    "WorkMailMessageFlowDirectionOutbound",
    "WorkMailMessageFlowEnvelope",
    "WorkMailMessageFlowEvent",
    "WorkMailMessageFlowResponse",
    "WorkMailMessageFlowResponseAction",
]

SAMPLES = {
    "workmail-message-flow-inbound": "WorkMailMessageFlowEvent",
    "workmail-message-flow-outbound": "WorkMailMessageFlowEvent",
    "workmail-message-flow-response": "WorkMailMessageFlowResponse",
}

WorkMailMessageFlowDirectionInbound: Final = "INBOUND"
WorkMailMessageFlowDirectionOutbound: Final = "OUTBOUND"

WorkMailMessageFlowActionTypeBounce: Final = "BOUNCE"
"""Refuse the message, sending a bounce (``parameters.bounceMessage``) to the sender."""
WorkMailMessageFlowActionTypeDrop: Final = "DROP"
"""Discard the message silently."""
WorkMailMessageFlowActionTypeDefault: Final = "DEFAULT"
"""Carry on as the email flow rules would."""
WorkMailMessageFlowActionTypeBypassSpamCheck: Final = "BYPASS_SPAM_CHECK"
"""Deliver without spam checking (inbound only)."""
WorkMailMessageFlowActionTypeMoveToJunk: Final = "MOVE_TO_JUNK"
"""Deliver to the recipients' junk folder (inbound only)."""


@event
class WorkMailMessageFlowAddress:
    """An email address."""

    address: str | None = field("address")


@event
class WorkMailMessageFlowEnvelope:
    """The SMTP envelope: the ``MAIL FROM`` address and the recipients."""

    mail_from: WorkMailMessageFlowAddress | None = field("mailFrom")
    recipients: list[WorkMailMessageFlowAddress] | None = field("recipients")


@event
class WorkMailMessageFlowEvent:
    """The summary of a message an email flow rule passes to the function: envelope,
    ``Sender`` header address, subject, the message id to fetch its content with, the
    direction (``INBOUND`` or ``OUTBOUND``) and whether the summary was cut short
    (``truncated``, for messages with very many recipients)."""

    summary_version: str | None = field("summaryVersion")
    envelope: WorkMailMessageFlowEnvelope | None = field("envelope")
    sender: WorkMailMessageFlowAddress | None = field("sender")
    subject: str | None = field("subject")
    message_id: str | None = field("messageId")
    invocation_id: str | None = field("invocationId")
    flow_direction: str | None = field("flowDirection")
    truncated: bool | None = field("truncated")

    def recipient_addresses(self) -> list[str]:
        """The envelope recipients' addresses."""
        envelope = self.envelope
        if envelope is None:
            return []
        return [r.address for r in envelope.recipients or () if r.address is not None]


@event
class WorkMailMessageFlowAction:
    """What to do: ``type`` (``BOUNCE``, ``DROP``, ``DEFAULT``, ``BYPASS_SPAM_CHECK``,
    ``MOVE_TO_JUNK``) and its parameters (``bounceMessage`` for ``BOUNCE``)."""

    type: str | None = field("type")
    parameters: dict[str, Any] | None = field("parameters")


@event
class WorkMailMessageFlowResponseAction:
    """An action and whom it applies to: every recipient (``allRecipients``) or the
    listed ``recipients``. The classmethods build each kind; without ``recipients`` the
    action applies to all of them."""

    action: WorkMailMessageFlowAction | None = field("action")
    all_recipients: bool | None = field("allRecipients")
    recipients: list[str] | None = field("recipients")

    @classmethod
    def new(
        cls,
        type: str,
        recipients: Iterable[str] | None = None,
        *,
        parameters: dict[str, Any] | None = None,
    ) -> WorkMailMessageFlowResponseAction:
        """Action ``type`` for ``recipients`` (all recipients when ``None``)."""
        action = WorkMailMessageFlowAction(type=type, parameters=parameters)
        if recipients is None:
            return cls(action=action, all_recipients=True)
        if isinstance(recipients, str):
            raise TypeError("recipients must be a list of addresses, not one string")
        return cls(action=action, recipients=list(recipients))

    @classmethod
    def default(cls, recipients: Iterable[str] | None = None) -> WorkMailMessageFlowResponseAction:
        """Carry on as usual."""
        return cls.new(WorkMailMessageFlowActionTypeDefault, recipients)

    @classmethod
    def bounce(
        cls, message: str, recipients: Iterable[str] | None = None
    ) -> WorkMailMessageFlowResponseAction:
        """Bounce the message back to the sender, with ``message`` as the explanation."""
        return cls.new(
            WorkMailMessageFlowActionTypeBounce, recipients, parameters={"bounceMessage": message}
        )

    @classmethod
    def drop(cls, recipients: Iterable[str] | None = None) -> WorkMailMessageFlowResponseAction:
        """Discard the message silently."""
        return cls.new(WorkMailMessageFlowActionTypeDrop, recipients)

    @classmethod
    def bypass_spam_check(
        cls, recipients: Iterable[str] | None = None
    ) -> WorkMailMessageFlowResponseAction:
        """Deliver without spam checking (inbound messages only)."""
        return cls.new(WorkMailMessageFlowActionTypeBypassSpamCheck, recipients)

    @classmethod
    def move_to_junk(
        cls, recipients: Iterable[str] | None = None
    ) -> WorkMailMessageFlowResponseAction:
        """Deliver to the junk folder (inbound messages only)."""
        return cls.new(WorkMailMessageFlowActionTypeMoveToJunk, recipients)


@event
class WorkMailMessageFlowResponse:
    """What a synchronous "Run Lambda" rule's function returns: the actions to take, each
    for all recipients or some (WorkMail ignores the response of asynchronous rules)."""

    actions: list[WorkMailMessageFlowResponseAction] | None = field("actions")

    @classmethod
    def of(cls, *actions: WorkMailMessageFlowResponseAction) -> WorkMailMessageFlowResponse:
        """A response with ``actions``, in order."""
        return cls(actions=list(actions))
