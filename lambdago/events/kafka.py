"""Apache Kafka: the batch of records Lambda reads from an Amazon MSK cluster or a
self-managed Kafka cluster, grouped by topic-partition.

``KafkaEvent.records`` maps ``"<topic>-<partition>"`` to that partition's records, in offset
order. A record's ``key`` and ``value`` are base64 text in the event and stay ``str`` here,
as in aws-lambda-go (so they re-encode exactly); :meth:`KafkaRecord.key_bytes`,
:meth:`KafkaRecord.value_bytes` and :meth:`KafkaRecord.decode_value` decode them.

Header values are sent as JSON arrays of *signed* bytes (Java's ``byte``: ``[118, -36]``).
They decode into :class:`JSONNumberBytes`, a ``bytes`` subclass (``b"v\\xdc"``) that
encodes back into the same signed array, so a record round-trips exactly; a number outside
-128..127 is rejected, as aws-lambda-go rejects it. To build headers, wrap values in
``JSONNumberBytes(b"...")``: a plain ``bytes`` value would be encoded as base64.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from .._converters import Failure, json_type_name
from ._base import BASE64, EPOCH_MILLIS, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "JSONNumberBytes",
    "KafkaEvent",
    "KafkaRecord",
    "KafkaSchemaMetadata",
]

SAMPLES = {
    "kafka-msk": "KafkaEvent",
    "kafka-self-managed": "KafkaEvent",
}


def _decode_signed_bytes(value: Any) -> JSONNumberBytes:
    if value.__class__ is not list:
        raise Failure(f"expected list (of byte values), got {json_type_name(value)}")
    out = bytearray()
    for i, x in enumerate(value):
        if x.__class__ is not int or not -128 <= x <= 127:
            e = Failure(
                f"expected a byte value from -128 to 127, got {x!r}"
                if x.__class__ is int
                else f"expected int (a byte value), got {json_type_name(x)}"
            )
            e.path.append(i)
            raise e
        out.append(x & 0xFF)
    return JSONNumberBytes(out)


class JSONNumberBytes(bytes):
    """Bytes that travel in JSON as an array of signed byte values (``[118, -36, 0]``), the
    form Kafka header values take in the event Lambda sends."""

    __slots__ = ()

    __lambdago_decode__ = staticmethod(_decode_signed_bytes)
    __lambdago_immutable__ = True  # bytes: see lambdago._converters' event encoders

    def __lambdago_encode__(self) -> list[int]:
        return [b - 256 if b > 127 else b for b in self]


@event
class KafkaSchemaMetadata:
    """Which registered schema a record's key or value was written with, sent when the
    event source mapping validates records against a schema registry: the
    ``dataFormat`` (``AVRO``, ``PROTOBUF`` or ``JSON``) and the ``schemaId``.
    aws-lambda-go has no such type."""

    data_format: str | None = field("dataFormat")
    schema_id: str | None = field("schemaId")


@event
class KafkaRecord:
    """One Kafka record: its topic, partition and offset, its timestamp (epoch
    milliseconds; ``timestampType`` says whether the producer or the broker set it), its
    key and value as base64 text, and its headers.

    With a schema registry configured on the event source mapping, a record also names
    the schemas of its key and value (``keySchemaMetadata``, ``valueSchemaMetadata``);
    aws-lambda-go lacks these fields."""

    topic: str | None = field("topic")
    partition: int | None = field("partition")
    offset: int | None = field("offset")
    timestamp: datetime | None = field("timestamp", wire=EPOCH_MILLIS)
    timestamp_type: str | None = field("timestampType")
    key: str | None = field("key")
    value: str | None = field("value")
    headers: list[dict[str, JSONNumberBytes]] | None = field("headers")
    key_schema_metadata: KafkaSchemaMetadata | None = field("keySchemaMetadata")
    value_schema_metadata: KafkaSchemaMetadata | None = field("valueSchemaMetadata")

    def key_bytes(self) -> bytes | None:
        """The key, base64-decoded (``None`` for a record without a key)."""
        return None if self.key is None else _unbase64(self.key, "key")

    def value_bytes(self) -> bytes | None:
        """The value, base64-decoded (``None`` for a record without a value)."""
        return None if self.value is None else _unbase64(self.value, "value")

    def decode_value(self, type: Any = object, **options: Any) -> Any:
        """The value, base64-decoded then decoded as JSON into ``type``
        (``lambdago.decode`` options apply)."""
        from ..codec import decode

        data = self.value_bytes()
        if data is None:
            raise ValueError("this record has no value")
        return decode(data, type, **options)

    def header(self, name: str) -> bytes | None:
        """The value of the first header called ``name``, or ``None``."""
        for entry in self.headers or ():
            value = entry.get(name)
            if value is not None:
                return bytes(value)
        return None

    def header_values(self, name: str) -> list[bytes]:
        """The values of every header called ``name``, in order (Kafka allows repeats)."""
        return [bytes(e[name]) for e in self.headers or () if e.get(name) is not None]


def _unbase64(text: str, what: str) -> bytes:
    try:
        data: bytes = BASE64.decode(text)
    except Failure:
        raise ValueError(f"the record's {what} is not valid base64") from None
    return data


@event
class KafkaEvent:
    """The event Lambda sends for an Amazon MSK or self-managed Apache Kafka event source
    mapping: records grouped by ``"<topic>-<partition>"``. ``eventSource`` is
    ``aws:kafka`` (MSK) or ``SelfManagedKafka``; only MSK events carry ``eventSourceArn``."""

    event_source: str | None = field("eventSource")
    event_source_arn: str | None = field("eventSourceArn")
    records: dict[str, list[KafkaRecord]] | None = field("records")
    bootstrap_servers: str | None = field("bootstrapServers")

    def all_records(self) -> Iterator[KafkaRecord]:
        """Every record of the batch, partition by partition, each in offset order."""
        for records in (self.records or {}).values():
            yield from records
