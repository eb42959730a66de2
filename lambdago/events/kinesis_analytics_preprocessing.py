"""Amazon Kinesis Data Analytics input preprocessing: the batch of source records a SQL
application hands to its preprocessing function before running SQL on them, and the
response giving back each record transformed, dropped or failed.

Every record of the event must come back in the response with the same ``recordId``;
:meth:`KinesisAnalyticsInputPreprocessingEvent.transform` builds such a response from a
function of one record::

    @lambdago.handler
    def handle(event: KinesisAnalyticsInputPreprocessingEvent):
        return event.transform(lambda r: r.data.replace(b";", b","))
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ._base import BASE64, EPOCH_MILLIS, event, field
from ._batch import transform_records

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "KinesisAnalyticsInputPreprocessingDropped",
    "KinesisAnalyticsInputPreprocessingEvent",
    "KinesisAnalyticsInputPreprocessingEventRecord",
    "KinesisAnalyticsInputPreprocessingFirehoseRecordMetadata",
    "KinesisAnalyticsInputPreprocessingOk",
    "KinesisAnalyticsInputPreprocessingProcessingFailed",
    "KinesisAnalyticsInputPreprocessingResponse",
    "KinesisAnalyticsInputPreprocessingResponseRecord",
    "KinesisAnalyticsInputPreprocessingStreamRecordMetadata",
]

SAMPLES = {
    "kinesis-analytics-preprocessing-stream": "KinesisAnalyticsInputPreprocessingEvent",
    "kinesis-analytics-preprocessing-firehose": "KinesisAnalyticsInputPreprocessingEvent",
    "kinesis-analytics-preprocessing-response": "KinesisAnalyticsInputPreprocessingResponse",
}

KinesisAnalyticsInputPreprocessingOk: Final = "Ok"
"""``result`` of a record transformed successfully."""
KinesisAnalyticsInputPreprocessingDropped: Final = "Dropped"
"""``result`` of a record the application should not see."""
KinesisAnalyticsInputPreprocessingProcessingFailed: Final = "ProcessingFailed"
"""``result`` of a record that could not be transformed (the application sends it to its
error stream)."""


def _as_bytes(data: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"record data must be bytes or str, got {type(data).__name__}")


@event
class KinesisAnalyticsInputPreprocessingStreamRecordMetadata:
    """Where a record came from when the application reads a Kinesis data stream
    (``kinesisStreamRecordMetadata``): shard, partition key, sequence number and when
    the stream received it (epoch milliseconds)."""

    shard_id: str | None = field("shardId")
    partition_key: str | None = field("partitionKey")
    sequence_number: str | None = field("sequenceNumber")
    approximate_arrival_timestamp: datetime | None = field(
        "approximateArrivalTimestamp", wire=EPOCH_MILLIS
    )


@event
class KinesisAnalyticsInputPreprocessingFirehoseRecordMetadata:
    """When Firehose received a record, for an application reading a Firehose delivery
    stream (``kinesisFirehoseRecordMetadata``; epoch milliseconds)."""

    approximate_arrival_timestamp: datetime | None = field(
        "approximateArrivalTimestamp", wire=EPOCH_MILLIS
    )


@event
class KinesisAnalyticsInputPreprocessingEventRecord:
    """One source record to preprocess: its id (to echo in the response), its data
    (base64 in JSON, ``bytes`` here) and the metadata of its source, stream or Firehose."""

    record_id: str | None = field("recordId")
    kinesis_stream_record_metadata: (
        KinesisAnalyticsInputPreprocessingStreamRecordMetadata | None
    ) = field("kinesisStreamRecordMetadata")
    kinesis_firehose_record_metadata: (
        KinesisAnalyticsInputPreprocessingFirehoseRecordMetadata | None
    ) = field("kinesisFirehoseRecordMetadata")
    data: bytes | None = field("data", wire=BASE64)

    def decode_data(self, type: Any = object, **options: Any) -> Any:
        """The data decoded as JSON into ``type`` (``lambdago.decode`` options apply)."""
        from ..codec import decode

        if self.data is None:
            raise ValueError("this record has no data")
        return decode(self.data, type, **options)

    def ok(
        self, data: bytes | bytearray | memoryview | str
    ) -> KinesisAnalyticsInputPreprocessingResponseRecord:
        """This record transformed into ``data`` (``str`` is sent as UTF-8)."""
        return KinesisAnalyticsInputPreprocessingResponseRecord.new(
            self.record_id or "", data, KinesisAnalyticsInputPreprocessingOk
        )

    def dropped(self) -> KinesisAnalyticsInputPreprocessingResponseRecord:
        """This record left out of the application's input (its data echoed back)."""
        return KinesisAnalyticsInputPreprocessingResponseRecord.new(
            self.record_id or "", self.data or b"", KinesisAnalyticsInputPreprocessingDropped
        )

    def processing_failed(self) -> KinesisAnalyticsInputPreprocessingResponseRecord:
        """This record reported as failed (its data echoed back, for the error stream)."""
        return KinesisAnalyticsInputPreprocessingResponseRecord.new(
            self.record_id or "",
            self.data or b"",
            KinesisAnalyticsInputPreprocessingProcessingFailed,
        )


@event
class KinesisAnalyticsInputPreprocessingEvent:
    """The event a Kinesis Data Analytics application sends its input preprocessing
    function: a batch of records read from its streaming source (a Kinesis data stream,
    ``streamArn``, or a Firehose delivery stream)."""

    invocation_id: str | None = field("invocationId")
    application_arn: str | None = field("applicationArn")
    stream_arn: str | None = field("streamArn")
    records: list[KinesisAnalyticsInputPreprocessingEventRecord] | None = field("records")

    def transform(
        self,
        fn: Callable[
            [KinesisAnalyticsInputPreprocessingEventRecord],
            bytes
            | bytearray
            | memoryview
            | str
            | KinesisAnalyticsInputPreprocessingResponseRecord
            | None,
        ],
        *,
        on_error: Callable[[KinesisAnalyticsInputPreprocessingEventRecord, Exception], object]
        | None = None,
    ) -> KinesisAnalyticsInputPreprocessingResponse:
        """The response for this batch, calling ``fn(record)`` once per record: what it
        returns (``bytes``, or ``str`` sent as UTF-8) is the transformed data (``Ok``),
        ``None`` drops the record (``Dropped``), and an ``Exception`` it raises marks the
        record ``ProcessingFailed`` (``on_error(record, exc)`` is called first, for
        logging). ``fn`` may also return a response record itself.
        """
        out = transform_records(
            self.records or (), fn, on_error, KinesisAnalyticsInputPreprocessingResponseRecord
        )
        return KinesisAnalyticsInputPreprocessingResponse(records=out)


@event
class KinesisAnalyticsInputPreprocessingResponseRecord:
    """One record of the response, read by the application: the event record's
    ``recordId``, the ``result`` (``Ok``, ``Dropped`` or ``ProcessingFailed``) and the
    transformed data (``bytes`` here, base64 in JSON)."""

    record_id: str | None = field("recordId")
    result: str | None = field("result")
    data: bytes | None = field("data", wire=BASE64)

    @classmethod
    def new(
        cls,
        record_id: str,
        data: bytes | bytearray | memoryview | str,
        result: str = KinesisAnalyticsInputPreprocessingOk,
    ) -> KinesisAnalyticsInputPreprocessingResponseRecord:
        """A response record: ``data`` is ``bytes`` or a ``str`` (sent as UTF-8),
        base64-encoded on the wire."""
        return cls(record_id=record_id, result=result, data=_as_bytes(data))


@event
class KinesisAnalyticsInputPreprocessingResponse:
    """What a preprocessing function returns: one record per event record."""

    records: list[KinesisAnalyticsInputPreprocessingResponseRecord] | None = field("records")
