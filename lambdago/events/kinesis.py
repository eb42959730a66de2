"""Amazon Kinesis Data Streams: the batch of records Lambda reads from a shard of a stream,
and the partial batch response a function returns to report the first record it could not
handle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime

from ._base import BASE64, EPOCH_SECONDS, event, field
from .time_window import Window

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "KinesisBatchItemFailure",
    "KinesisEvent",
    "KinesisEventRecord",
    "KinesisEventResponse",
    "KinesisRecord",
    "KinesisTimeWindowEvent",
    "KinesisTimeWindowEventResponse",
]

SAMPLES = {
    "kinesis": "KinesisEvent",
    "kinesis-time-window": "KinesisTimeWindowEvent",
}


@event
class KinesisRecord:
    """The Kinesis part of a record, under its ``kinesis`` key: the producer's data
    (base64 in JSON, ``bytes`` here), partition key and sequence number, and when the
    stream accepted it (epoch seconds with a fraction)."""

    approximate_arrival_timestamp: datetime | None = field(
        "approximateArrivalTimestamp", wire=EPOCH_SECONDS
    )
    data: bytes | None = field("data", wire=BASE64)
    encryption_type: str | None = field("encryptionType")
    partition_key: str | None = field("partitionKey")
    sequence_number: str | None = field("sequenceNumber")
    kinesis_schema_version: str | None = field("kinesisSchemaVersion")

    def decode_data(self, type: Any = object, **options: Any) -> Any:
        """The data decoded as JSON into ``type`` (``lambdago.decode`` options apply)."""
        from ..codec import decode

        if self.data is None:
            raise ValueError("this record has no data")
        return decode(self.data, type, **options)


@event
class KinesisEventRecord:
    """One record of the batch, as Lambda's Kinesis event source mapping delivers it: the
    stream's record under ``kinesis`` and where it came from."""

    aws_region: str | None = field("awsRegion")
    event_id: str | None = field("eventID")
    event_name: str | None = field("eventName")
    event_source: str | None = field("eventSource")
    event_source_arn: str | None = field("eventSourceARN")
    event_version: str | None = field("eventVersion")
    invoke_identity_arn: str | None = field("invokeIdentityArn")
    kinesis: KinesisRecord | None = field("kinesis")


def _sequence_number(record: KinesisEventRecord) -> str | None:
    inner = record.kinesis
    return inner.sequence_number if inner is not None else None


@event
class KinesisBatchItemFailure:
    """A Kinesis record that failed: its ``sequenceNumber`` as ``itemIdentifier``. Lambda
    retries the batch from this record on."""

    item_identifier: str | None = field("itemIdentifier")


@event
class KinesisEventResponse:
    """The partial batch response a function returns for a Kinesis batch when the event
    source mapping reports batch item failures (``ReportBatchItemFailures``)."""

    batch_item_failures: list[KinesisBatchItemFailure] | None = field("batchItemFailures")

    @classmethod
    def from_failed(cls, sequence_numbers: Iterable[str]) -> KinesisEventResponse:
        """A response naming the records with these sequence numbers as failed."""
        return cls(
            batch_item_failures=[
                KinesisBatchItemFailure(item_identifier=s) for s in sequence_numbers
            ]
        )


@event
class KinesisEvent:
    """The event Lambda sends for a Kinesis data stream (or an enhanced fan-out consumer):
    a batch of records from one shard, in order, under ``Records``."""

    records: list[KinesisEventRecord] | None = field("Records")

    def process(
        self,
        handler: Callable[[KinesisEventRecord], object],
        *,
        on_error: Callable[[KinesisEventRecord, Exception], object] | None = None,
    ) -> KinesisEventResponse:
        """Call ``handler(record)`` for each record, in order, and build the partial batch
        response. At the first record that raises, processing stops: that record and every
        later one are reported failed, so Lambda retries from it (shard order is kept).
        ``on_error(record, exc)`` is called for the failure, e.g. to log it.

        Raises ``lambdago.events._batch.UnidentifiedFailure`` if a record to report has no
        sequence number.
        """
        from ._batch import process_batch

        failed = process_batch(
            self.records or (),
            handler,
            _sequence_number,
            stop_at_first_failure=True,
            on_error=on_error,
        )
        return KinesisEventResponse.from_failed(failed)

    async def process_async(
        self,
        handler: Callable[[KinesisEventRecord], Awaitable[object] | object],
        *,
        on_error: Callable[[KinesisEventRecord, Exception], object] | None = None,
    ) -> KinesisEventResponse:
        """:meth:`process` for a coroutine ``handler`` (records awaited one at a time)."""
        from ._batch import process_batch_async

        failed = await process_batch_async(
            self.records or (),
            handler,
            _sequence_number,
            stop_at_first_failure=True,
            on_error=on_error,
        )
        return KinesisEventResponse.from_failed(failed)


@event
class KinesisTimeWindowEventResponse:
    """The response to a :class:`KinesisTimeWindowEvent`: the window's ``state`` to pass to
    its next invocation, and the records that failed."""

    state: dict[str, Any] | None = field("state")
    batch_item_failures: list[KinesisBatchItemFailure] | None = field("batchItemFailures")


@event
class KinesisTimeWindowEvent:
    """The event Lambda sends for a Kinesis stream read with tumbling windows
    (``TumblingWindowInSeconds``): the batch's records plus the window, the state returned
    by the previous invocation of the window, and the window's progress."""

    records: list[KinesisEventRecord] | None = field("Records")
    window: Window | None = field("window")
    state: dict[str, Any] | None = field("state")
    shard_id: str | None = field("shardId")
    event_source_arn: str | None = field("eventSourceARN")
    is_final_invoke_for_window: bool | None = field("isFinalInvokeForWindow")
    is_window_terminated_early: bool | None = field("isWindowTerminatedEarly")

    def process(
        self,
        handler: Callable[[KinesisEventRecord], object],
        *,
        state: dict[str, Any] | None = None,
        on_error: Callable[[KinesisEventRecord, Exception], object] | None = None,
    ) -> KinesisTimeWindowEventResponse:
        """Like :meth:`KinesisEvent.process`, returning ``state`` (the window's new state,
        typically updated by ``handler``) with the failed records."""
        from ._batch import process_batch

        failed = process_batch(
            self.records or (),
            handler,
            _sequence_number,
            stop_at_first_failure=True,
            on_error=on_error,
        )
        return KinesisTimeWindowEventResponse(
            state=state,
            batch_item_failures=[KinesisBatchItemFailure(item_identifier=s) for s in failed],
        )
