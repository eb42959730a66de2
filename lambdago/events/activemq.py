"""Amazon MQ for Apache ActiveMQ: the batch of messages Lambda reads from a broker queue.

As in aws-lambda-go, the message times (``timestamp``, ``expiration``, ``brokerInTime``,
``brokerOutTime``) stay the integers the event carries, epoch milliseconds, with ``0``
meaning "not set" (a message that never expires); the properties ``sent_at``,
``expires_at``, ``broker_in_at`` and ``broker_out_at`` give them as ``datetime``.
``expiration`` is also read from a string of digits, as AWS's documented example event
writes it (``"60000"``), and written back as sent. ``data`` is the message body as base64
text: :meth:`ActiveMQMessage.data_bytes` and :meth:`ActiveMQMessage.decode_data` decode it.
"""

from __future__ import annotations

import datetime as _dt

from .._converters import Failure
from ._base import BASE64, EPOCH_MILLIS, LENIENT_INT, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "ActiveMQDestination",
    "ActiveMQEvent",
    "ActiveMQMessage",
]

SAMPLES = {"activemq": "ActiveMQEvent"}


def _millis(value: int | None) -> _dt.datetime | None:
    if not value:
        return None
    result: _dt.datetime = EPOCH_MILLIS.decode(value)
    return result


def _body_bytes(data: str | None) -> bytes | None:
    if data is None:
        return None
    try:
        result: bytes = BASE64.decode(data)
    except Failure:
        raise ValueError("the message's data is not valid base64") from None
    return result


@event
class ActiveMQDestination:
    """The queue a message was sent to (``physicalName``)."""

    physical_name: str | None = field("physicalName", also=("physicalname",))


@event
class ActiveMQMessage:
    """One JMS message of the batch, with its headers (ids, delivery mode, priority, times
    in epoch milliseconds …), its user properties, and its body as base64 text."""

    message_id: str | None = field("messageID")
    message_type: str | None = field("messageType")
    timestamp: int | None = field("timestamp")
    delivery_mode: int | None = field("deliveryMode")
    correlation_id: str | None = field("correlationID", also=("correlationId",))
    reply_to: str | None = field("replyTo")
    destination: ActiveMQDestination | None = field("destination")
    redelivered: bool | None = field("redelivered")
    type: str | None = field("type")
    expiration: int | None = field("expiration", wire=LENIENT_INT)
    priority: int | None = field("priority")
    data: str | None = field("data")
    broker_in_time: int | None = field("brokerInTime")
    broker_out_time: int | None = field("brokerOutTime")
    properties: dict[str, str] | None = field("properties")

    @property
    def sent_at(self) -> _dt.datetime | None:
        """When the message was sent (``timestamp``), or ``None`` if unset (``0``)."""
        return _millis(self.timestamp)

    @property
    def expires_at(self) -> _dt.datetime | None:
        """When the message expires, or ``None`` if it never does (``0``)."""
        return _millis(self.expiration)

    @property
    def broker_in_at(self) -> _dt.datetime | None:
        """When the broker received the message, or ``None`` if unset."""
        return _millis(self.broker_in_time)

    @property
    def broker_out_at(self) -> _dt.datetime | None:
        """When the broker handed the message to Lambda, or ``None`` if unset."""
        return _millis(self.broker_out_time)

    def data_bytes(self) -> bytes | None:
        """The body, base64-decoded (``None`` without ``data``)."""
        return _body_bytes(self.data)

    def decode_data(self, type: Any = object, **options: Any) -> Any:
        """The body, base64-decoded then decoded as JSON into ``type`` (``lambdago.decode``
        options apply)."""
        from ..codec import decode

        body = self.data_bytes()
        if body is None:
            raise ValueError("this message has no data")
        return decode(body, type, **options)


@event
class ActiveMQEvent:
    """The event Lambda sends for an Amazon MQ for ActiveMQ event source mapping
    (``eventSource`` ``aws:mq``): a batch of messages from one queue."""

    event_source: str | None = field("eventSource")
    event_source_arn: str | None = field("eventSourceArn")
    messages: list[ActiveMQMessage] | None = field("messages")
