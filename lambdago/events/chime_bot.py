"""Amazon Chime chat bots: the event Chime sends a bot's Lambda endpoint when the bot is
mentioned, added to or removed from a chat room, or receives a direct message."""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, event, field

__all__ = [
    "ChimeBotEvent",
    "ChimeBotEventDiscussion",
    "ChimeBotEventInboundHTTPSEndpoint",
    "ChimeBotEventSender",
]

SAMPLES = {"chime-bot-mention": "ChimeBotEvent"}


@event
class ChimeBotEventSender:
    """Who caused the event: a user ARN (``SenderIdType`` ``EntityArn``)."""

    sender_id: str | None = field("SenderId")
    sender_id_type: str | None = field("SenderIdType")


@event
class ChimeBotEventDiscussion:
    """Where the event happened: a chat room or a one-to-one conversation, by ARN."""

    discussion_id: str | None = field("DiscussionId")
    discussion_type: str | None = field("DiscussionType")


@event
class ChimeBotEventInboundHTTPSEndpoint:
    """The bot's HTTPS endpoint, sent with some events instead of a Lambda endpoint."""

    endpoint_type: str | None = field("EndpointType")
    url: str | None = field("Url")


@event
class ChimeBotEvent:
    """What Amazon Chime sends a chat bot whose outgoing events go to Lambda:
    ``EventType`` ``Invite``, ``Mention``, ``Remove`` or ``DirectMessage``, with the
    message text for mentions and direct messages."""

    sender: ChimeBotEventSender | None = field("Sender")
    discussion: ChimeBotEventDiscussion | None = field("Discussion")
    event_type: str | None = field("EventType")
    inbound_https_endpoint: ChimeBotEventInboundHTTPSEndpoint | None = field("InboundHttpsEndpoint")
    event_timestamp: datetime | None = field("EventTimestamp", wire=RFC3339)
    message: str | None = field("Message")
