"""Amazon SQS: the batch of messages an SQS event source mapping delivers, and the
partial batch response a function returns to report which of them failed."""

from __future__ import annotations

from typing import Any

from ._base import BASE64, event, field

__all__ = [
    "SQSBatchItemFailure",
    "SQSEvent",
    "SQSEventResponse",
    "SQSMessage",
    "SQSMessageAttribute",
]

SAMPLES = {"sqs": "SQSEvent"}


@event
class SQSMessageAttribute:
    """A message attribute: a typed value set by the producer (``String``, ``Number``,
    ``Binary``, or a custom type such as ``String.uuid``)."""

    string_value: str | None = field("stringValue")
    binary_value: bytes | None = field("binaryValue", wire=BASE64)
    string_list_values: list[str] | None = field("stringListValues")
    binary_list_values: list[str] | None = field("binaryListValues")
    data_type: str | None = field("dataType")


@event
class SQSMessage:
    """One message of the batch, with SQS's system attributes (``SentTimestamp``,
    ``ApproximateReceiveCount``, ``MessageGroupId`` …) as strings, as SQS sends them."""

    message_id: str | None = field("messageId")
    receipt_handle: str | None = field("receiptHandle")
    body: str | None = field("body")
    md5_of_body: str | None = field("md5OfBody")
    md5_of_message_attributes: str | None = field("md5OfMessageAttributes")
    attributes: dict[str, str] | None = field("attributes")
    message_attributes: dict[str, SQSMessageAttribute] | None = field("messageAttributes")
    event_source_arn: str | None = field("eventSourceARN")
    event_source: str | None = field("eventSource")
    aws_region: str | None = field("awsRegion")

    def decode_body(self, type: Any = object, **options: Any) -> Any:
        """The body decoded as JSON into ``type`` (``lambdago.decode`` options apply)."""
        from ..codec import decode

        if self.body is None:
            raise ValueError("this message has no body")
        return decode(self.body, type, **options)


@event
class SQSEvent:
    """The event Lambda sends for an SQS queue: up to 10,000 messages in ``Records``."""

    records: list[SQSMessage] | None = field("Records")


@event
class SQSBatchItemFailure:
    """A message to retry: its ``messageId`` as ``itemIdentifier``."""

    item_identifier: str | None = field("itemIdentifier")


@event
class SQSEventResponse:
    """The partial batch response (``ReportBatchItemFailures``): the messages that failed."""

    batch_item_failures: list[SQSBatchItemFailure] | None = field("batchItemFailures")

    @classmethod
    def from_failed(cls, message_ids: list[str]) -> SQSEventResponse:
        """A response naming the given message ids as failed."""
        return cls(batch_item_failures=[SQSBatchItemFailure(item_identifier=m) for m in message_ids])


