"""Amazon MQ for RabbitMQ: the batch of messages Lambda reads from broker queues, grouped by
queue (``"<queue>::<virtual host>"``).

``data`` is the message body as base64 text, kept as ``str`` like aws-lambda-go does:
:meth:`RabbitMQMessage.data_bytes` and :meth:`RabbitMQMessage.decode_data` decode it. Header
values arrive as the broker's Java client renders them: strings as ``{"bytes": [118, 97]}``
(signed byte values), numbers and booleans as themselves; ``headers`` keeps that JSON as is,
and :meth:`RabbitMQBasicProperties.header` turns a ``{"bytes": …}`` value into ``bytes``.
"""

from __future__ import annotations

from collections.abc import Iterator

from .._converters import Failure
from ._base import BASE64, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "RabbitMQBasicProperties",
    "RabbitMQEvent",
    "RabbitMQMessage",
]

SAMPLES = {"rabbitmq": "RabbitMQEvent"}


@event
class RabbitMQBasicProperties:
    """The AMQP basic properties of a message (content type, delivery mode, priority,
    ids, expiration …) and its application headers. Properties the publisher did not set
    are ``null`` in the event (``None`` here)."""

    content_type: str | None = field("contentType")
    content_encoding: str | None = field("contentEncoding")
    headers: dict[str, Any] | None = field("headers")
    delivery_mode: int | None = field("deliveryMode")
    priority: int | None = field("priority")
    correlation_id: str | None = field("correlationId")
    reply_to: str | None = field("replyTo")
    expiration: str | None = field("expiration")
    message_id: str | None = field("messageId")
    timestamp: str | None = field("timestamp")
    type: str | None = field("type")
    user_id: str | None = field("userId")
    app_id: str | None = field("appId")
    cluster_id: str | None = field("clusterId")
    body_size: int | None = field("bodySize")

    def header(self, name: str) -> Any:
        """The header ``name``: ``bytes`` for a ``{"bytes": [...]}`` value, otherwise the
        JSON value as sent; ``None`` when absent."""
        value = (self.headers or {}).get(name)
        if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("bytes"), list):
            items = value["bytes"]
            if all(
                isinstance(b, int) and not isinstance(b, bool) and -128 <= b <= 255 for b in items
            ):
                return bytes(b & 0xFF for b in items)
        return value


@event
class RabbitMQMessage:
    """One message of the batch: its basic properties, whether it is redelivered, and its
    body as base64 text."""

    basic_properties: RabbitMQBasicProperties | None = field("basicProperties")
    data: str | None = field("data")
    redelivered: bool | None = field("redelivered")

    def data_bytes(self) -> bytes | None:
        """The body, base64-decoded (``None`` without ``data``)."""
        if self.data is None:
            return None
        try:
            result: bytes = BASE64.decode(self.data)
        except Failure:
            raise ValueError("the message's data is not valid base64") from None
        return result

    def decode_data(self, type: Any = object, **options: Any) -> Any:
        """The body, base64-decoded then decoded as JSON into ``type`` (``lambdago.decode``
        options apply)."""
        from ..codec import decode

        body = self.data_bytes()
        if body is None:
            raise ValueError("this message has no data")
        return decode(body, type, **options)


@event
class RabbitMQEvent:
    """The event Lambda sends for an Amazon MQ for RabbitMQ event source mapping
    (``eventSource`` ``aws:rmq``): messages grouped by ``"<queue>::<virtual host>"``."""

    event_source: str | None = field("eventSource")
    event_source_arn: str | None = field("eventSourceArn")
    rmq_messages_by_queue: dict[str, list[RabbitMQMessage]] | None = field("rmqMessagesByQueue")

    def all_messages(self) -> Iterator[tuple[str, RabbitMQMessage]]:
        """Every message of the batch with its ``"<queue>::<virtual host>"`` key, queue by
        queue, in the order received."""
        for queue, messages in (self.rmq_messages_by_queue or {}).items():
            for message in messages:
                yield queue, message
