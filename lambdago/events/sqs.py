"""Amazon SQS: the batch of messages an SQS event source mapping delivers, and the
partial batch response a function returns to report which of them failed."""

from __future__ import annotations

from .._converters import Failure
from ._base import BASE64, Wire, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any

    from .sns import SNSEntity

__all__ = [
    "SQSBatchItemFailure",
    "SQSEvent",
    "SQSEventResponse",
    "SQSMessage",
    "SQSMessageAttribute",
]

SAMPLES = {"sqs": "SQSEvent", "sqs-fifo": "SQSEvent", "sqs-from-sns": "SQSEvent"}


def _decode_base64_list(value: Any) -> list[bytes]:
    if value.__class__ is not list:
        raise Failure(f"expected list (of base64 strings), got {type(value).__name__}")
    out = []
    for i, item in enumerate(value):
        try:
            out.append(BASE64.decode(item))
        except Failure as e:
            e.path.append(i)
            raise
    return out


def _encode_base64_list(value: list[bytes]) -> list[str]:
    return [BASE64.encode(b) for b in value]


_BASE64_LIST = Wire("base64-list", _decode_base64_list, _encode_base64_list, snapshot=list)


@event
class SQSMessageAttribute:
    """A message attribute: a typed value set by the producer (``String``, ``Number``,
    ``Binary``, or a custom type such as ``String.uuid``)."""

    string_value: str | None = field("stringValue")
    binary_value: bytes | None = field("binaryValue", wire=BASE64)
    string_list_values: list[str] | None = field("stringListValues")
    binary_list_values: list[bytes] | None = field("binaryListValues", wire=_BASE64_LIST)
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

    def sns_envelope(self) -> SNSEntity:
        """The SNS notification this message carries, for a queue subscribed to a topic.

        SNS delivers to SQS a JSON envelope (``"Type": "Notification"``, ``TopicArn``,
        ``Message`` …); it is returned as the ``SNSEntity`` an SNS event would hold. Raises
        :class:`lambdago.DecodeError` when the body is not such an envelope, notably when
        the subscription uses raw message delivery (the body is then the published message
        itself: use :meth:`decode_body`).
        """
        from .sns import _entity_from_envelope

        if self.body is None:
            raise ValueError("this message has no body")
        return _entity_from_envelope(self.body)

    def decode_sns_message(self, type: Any = object, **options: Any) -> Any:
        """The message of the SNS notification this message carries (see
        :meth:`sns_envelope`), decoded as JSON into ``type``."""
        return self.sns_envelope().decode_message(type, **options)

    def is_fifo(self) -> bool:
        """Whether the message comes from a FIFO queue (its ARN ends in ``.fifo``)."""
        arn = self.event_source_arn
        return arn is not None and arn.endswith(".fifo")


@event
class SQSEvent:
    """The event Lambda sends for an SQS queue: up to 10,000 messages in ``Records``."""

    records: list[SQSMessage] | None = field("Records")

    def process(
        self,
        handler: Callable[[SQSMessage], object],
        *,
        stop_at_first_failure: bool | None = None,
        on_error: Callable[[SQSMessage, Exception], object] | None = None,
    ) -> SQSEventResponse:
        """Call ``handler`` on each message; the partial batch response naming those that
        failed (the function's event source mapping must enable
        ``ReportBatchItemFailures``).

        A message fails when ``handler`` raises an ``Exception``; ``on_error(message,
        exc)`` is then called, for logging. For a FIFO queue (or with
        ``stop_at_first_failure=True``) the messages after the first failure are not
        processed and are reported failed too, which keeps each message group in order.
        """
        from ._batch import process_batch

        records = self.records or []
        stop = self._stop(records) if stop_at_first_failure is None else stop_at_first_failure
        failed = process_batch(
            records, handler, _message_id, stop_at_first_failure=stop, on_error=on_error
        )
        return SQSEventResponse.from_failed(failed)

    async def process_async(
        self,
        handler: Callable[[SQSMessage], Awaitable[object] | object],
        *,
        stop_at_first_failure: bool | None = None,
        on_error: Callable[[SQSMessage, Exception], object] | None = None,
    ) -> SQSEventResponse:
        """:meth:`process` for a coroutine ``handler``, awaited one message at a time."""
        from ._batch import process_batch_async

        records = self.records or []
        stop = self._stop(records) if stop_at_first_failure is None else stop_at_first_failure
        failed = await process_batch_async(
            records, handler, _message_id, stop_at_first_failure=stop, on_error=on_error
        )
        return SQSEventResponse.from_failed(failed)

    @staticmethod
    def _stop(records: list[SQSMessage]) -> bool:
        return any(m.is_fifo() for m in records)


def _message_id(message: SQSMessage) -> str | None:
    return message.message_id


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
        failures = []
        for message_id in message_ids:
            failure = SQSBatchItemFailure()
            failure.item_identifier = message_id
            failures.append(failure)
        response = cls()
        response.batch_item_failures = failures
        return response
