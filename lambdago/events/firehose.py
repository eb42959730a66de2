"""Amazon Data Firehose (formerly Kinesis Data Firehose) data transformation: the batch of
records a delivery stream hands to its transformation function, and the response giving
back each record transformed, dropped or failed.

Every record of the event must come back in the response with the same ``recordId``;
:meth:`KinesisFirehoseEvent.transform` builds such a response from a function of one
record::

    @lambdago.handler
    def handle(event: KinesisFirehoseEvent) -> KinesisFirehoseResponse:
        return event.transform(lambda r: r.data.upper())
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from ._base import BASE64, EPOCH_MILLIS, LENIENT_INT, event, field
from ._batch import transform_records

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "KinesisFirehoseEvent",
    "KinesisFirehoseEventRecord",
    "KinesisFirehoseMSKRecordMetadata",
    "KinesisFirehoseOTFOperation",
    "KinesisFirehoseOTFOperationDelete",
    "KinesisFirehoseOTFOperationInsert",
    "KinesisFirehoseOTFOperationUpdate",
    "KinesisFirehoseRecordMetadata",
    "KinesisFirehoseResponse",
    "KinesisFirehoseResponseRecord",
    "KinesisFirehoseResponseRecordMetadata",
    "KinesisFirehoseResponseRecordOTFMetadata",
    "KinesisFirehoseTransformedStateDropped",
    "KinesisFirehoseTransformedStateOk",
    "KinesisFirehoseTransformedStateProcessingFailed",
]

SAMPLES = {
    "firehose": "KinesisFirehoseEvent",
    "firehose-response": "KinesisFirehoseResponse",
}

KinesisFirehoseTransformedStateOk: Final = "Ok"
"""``result`` of a record transformed successfully."""
KinesisFirehoseTransformedStateDropped: Final = "Dropped"
"""``result`` of a record deliberately left out of the delivery."""
KinesisFirehoseTransformedStateProcessingFailed: Final = "ProcessingFailed"
"""``result`` of a record that could not be transformed (Firehose sends it to the error
output)."""

KinesisFirehoseOTFOperation = str
"""What an Apache Iceberg destination does with a routed record (``operation``)."""
KinesisFirehoseOTFOperationInsert: Final = "insert"
KinesisFirehoseOTFOperationUpdate: Final = "update"
KinesisFirehoseOTFOperationDelete: Final = "delete"


def _as_bytes(data: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"record data must be bytes or str, got {type(data).__name__}")


@event
class KinesisFirehoseRecordMetadata:
    """Where a record came from when the delivery stream reads a Kinesis data stream: its
    shard, partition key and sequence numbers (``kinesisRecordMetadata``)."""

    shard_id: str | None = field("shardId")
    partition_key: str | None = field("partitionKey")
    sequence_number: str | None = field("sequenceNumber")
    subsequence_number: int | None = field("subsequenceNumber", wire=LENIENT_INT)
    approximate_arrival_timestamp: datetime | None = field(
        "approximateArrivalTimestamp", wire=EPOCH_MILLIS
    )


@event
class KinesisFirehoseMSKRecordMetadata:
    """Where a record came from when the delivery stream reads an Amazon MSK topic: its
    ``offset`` and ``partitionId`` (both sent as strings) and when it reached the topic
    (``mskRecordMetadata``). aws-lambda-go has no such type."""

    offset: str | None = field("offset")
    partition_id: str | None = field("partitionId")
    approximate_arrival_timestamp: datetime | None = field(
        "approximateArrivalTimestamp", wire=EPOCH_MILLIS
    )


@event
class KinesisFirehoseEventRecord:
    """One record to transform: its id (to echo in the response), its data (base64 in
    JSON, ``bytes`` here) and when Firehose received it (epoch milliseconds).

    A delivery stream whose source is Amazon MSK sends the Kafka record's value in
    ``kafkaRecordValue`` (base64 in JSON, ``bytes`` here) instead of ``data``, with
    ``mskRecordMetadata``; aws-lambda-go lacks both fields."""

    record_id: str | None = field("recordId")
    approximate_arrival_timestamp: datetime | None = field(
        "approximateArrivalTimestamp", wire=EPOCH_MILLIS
    )
    data: bytes | None = field("data", wire=BASE64)
    kinesis_record_metadata: KinesisFirehoseRecordMetadata | None = field("kinesisRecordMetadata")
    kafka_record_value: bytes | None = field("kafkaRecordValue", wire=BASE64)
    msk_record_metadata: KinesisFirehoseMSKRecordMetadata | None = field("mskRecordMetadata")

    def decode_data(self, type: Any = object, **options: Any) -> Any:
        """The data decoded as JSON into ``type`` (``lambdago.decode`` options apply)."""
        from ..codec import decode

        if self.data is None:
            raise ValueError("this record has no data")
        return decode(self.data, type, **options)

    def ok(
        self,
        data: bytes | bytearray | memoryview | str,
        *,
        partition_keys: Mapping[str, str] | None = None,
    ) -> KinesisFirehoseResponseRecord:
        """This record transformed into ``data`` (``str`` is sent as UTF-8)."""
        return KinesisFirehoseResponseRecord.new(
            self.record_id or "",
            data,
            KinesisFirehoseTransformedStateOk,
            partition_keys=partition_keys,
        )

    def dropped(self) -> KinesisFirehoseResponseRecord:
        """This record left out of the delivery (its data echoed back)."""
        return KinesisFirehoseResponseRecord.new(
            self.record_id or "", self.data or b"", KinesisFirehoseTransformedStateDropped
        )

    def processing_failed(self) -> KinesisFirehoseResponseRecord:
        """This record reported as failed (its data echoed back, for the error output)."""
        return KinesisFirehoseResponseRecord.new(
            self.record_id or "",
            self.data or b"",
            KinesisFirehoseTransformedStateProcessingFailed,
        )


@event
class KinesisFirehoseEvent:
    """The event Firehose sends to a delivery stream's transformation function: a batch of
    records (up to the buffer size) to transform before delivery.

    ``sourceMSKArn`` is the source cluster's ARN when the delivery stream reads Amazon
    MSK; aws-lambda-go lacks this field."""

    invocation_id: str | None = field("invocationId")
    delivery_stream_arn: str | None = field("deliveryStreamArn")
    source_kinesis_stream_arn: str | None = field("sourceKinesisStreamArn")
    source_msk_arn: str | None = field("sourceMSKArn")
    region: str | None = field("region")
    records: list[KinesisFirehoseEventRecord] | None = field("records")

    def transform(
        self,
        fn: Callable[[KinesisFirehoseEventRecord], bytes | bytearray | memoryview | str | None],
        *,
        on_error: Callable[[KinesisFirehoseEventRecord, Exception], object] | None = None,
    ) -> KinesisFirehoseResponse:
        """The response for this batch, calling ``fn(record)`` once per record: what it
        returns (``bytes``, or ``str`` sent as UTF-8) is the transformed data (``Ok``),
        ``None`` drops the record (``Dropped``), and an ``Exception`` it raises marks the
        record ``ProcessingFailed`` (``on_error(record, exc)`` is called first, for
        logging). ``fn`` may also return a :class:`KinesisFirehoseResponseRecord` itself.
        """
        out = transform_records(self.records or (), fn, on_error, KinesisFirehoseResponseRecord)
        return KinesisFirehoseResponse(records=out)


@event
class KinesisFirehoseResponseRecordOTFMetadata:
    """Routing of a record to an Apache Iceberg table: the database, the table and the
    operation (``insert``, ``update`` or ``delete``) Firehose applies."""

    destination_database_name: str | None = field("destinationDatabaseName")
    destination_table_name: str | None = field("destinationTableName")
    operation: str | None = field("operation")


@event
class KinesisFirehoseResponseRecordMetadata:
    """Extra instructions for one transformed record: partition keys for dynamic
    partitioning, and Iceberg routing (``otfMetadata``)."""

    partition_keys: dict[str, str] | None = field("partitionKeys")
    otf_metadata: KinesisFirehoseResponseRecordOTFMetadata | None = field("otfMetadata")


@event
class KinesisFirehoseResponseRecord:
    """One record of the response, read by Firehose: the event record's ``recordId``, the
    ``result`` (``Ok``, ``Dropped`` or ``ProcessingFailed``) and the transformed data
    (``bytes`` here, base64 in JSON).

    For a delivery stream reading Amazon MSK, Firehose reads the transformed data from
    ``kafkaRecordValue`` rather than ``data``; aws-lambda-go lacks this field."""

    record_id: str | None = field("recordId")
    result: str | None = field("result")
    data: bytes | None = field("data", wire=BASE64)
    metadata: KinesisFirehoseResponseRecordMetadata | None = field("metadata")
    kafka_record_value: bytes | None = field("kafkaRecordValue", wire=BASE64)

    @classmethod
    def new(
        cls,
        record_id: str,
        data: bytes | bytearray | memoryview | str,
        result: str = KinesisFirehoseTransformedStateOk,
        *,
        partition_keys: Mapping[str, str] | None = None,
    ) -> KinesisFirehoseResponseRecord:
        """A response record: ``data`` is ``bytes`` or a ``str`` (sent as UTF-8), base64
        encoded on the wire; ``partition_keys`` are for dynamic partitioning."""
        metadata = None
        if partition_keys is not None:
            metadata = KinesisFirehoseResponseRecordMetadata(partition_keys=dict(partition_keys))
        return cls(record_id=record_id, result=result, data=_as_bytes(data), metadata=metadata)


@event
class KinesisFirehoseResponse:
    """What a transformation function returns to Firehose: one record per event record."""

    records: list[KinesisFirehoseResponseRecord] | None = field("records")
