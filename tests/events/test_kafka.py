"""Kafka events (MSK and self-managed): records by partition, base64 keys and values, and
header values as signed byte arrays."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago import _jsonio
from lambdago.events import JSONNumberBytes, KafkaEvent, KafkaRecord
from tests.conftest import CONFORMANCE
from tests.events._exact import typed_roundtrip


def encoded(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


@dataclasses.dataclass
class OrderEvent:
    orderId: str
    event: str
    amount: str


@pytest.mark.parametrize("name", ["kafka-msk", "kafka-self-managed"])
def test_samples_round_trip(name: str) -> None:
    raw = lambdago.events.sample(name)
    event = lambdago.decode(raw, KafkaEvent)
    assert encoded(event) == json.loads(raw)


def test_msk_sample_helpers() -> None:
    event = lambdago.decode(lambdago.events.sample("kafka-msk"), KafkaEvent)
    assert event.event_source == "aws:kafka"
    records = list(event.all_records())
    assert [(r.partition, r.offset) for r in records] == [(0, 184467), (0, 184468), (3, 90211)]
    first = records[0]
    assert first.timestamp == datetime(2025, 11, 25, 10, 21, 43, 512000, tzinfo=UTC)
    assert first.key_bytes() == b"ord_20251125_00981"
    assert first.decode_value(OrderEvent) == OrderEvent("ord_20251125_00981", "created", "59.00")
    assert first.header("schema-version") == b"2"
    assert first.header("missing") is None
    assert records[2].header("checksum") == b"\xc3\x9a\x07\xf1"
    assert type(records[2].header("checksum")) is bytes


def test_self_managed_sample_helpers() -> None:
    event = lambdago.decode(lambdago.events.sample("kafka-self-managed"), KafkaEvent)
    assert event.event_source == "SelfManagedKafka"
    assert event.event_source_arn is None
    first, second = event.all_records()
    assert first.key is None
    assert first.key_bytes() is None
    assert second.header_values("source") == [b"wms", b"restock-job"]
    assert second.decode_value()["delta"] == 40


def test_conformance_headers_are_signed_bytes() -> None:
    path = CONFORMANCE / "testdata" / "kafka-event.json"
    if not path.exists():
        pytest.skip("the shared conformance corpus is absent")
    event = lambdago.decode(path.read_bytes(), KafkaEvent)
    (record,) = event.all_records()
    assert record.header("headerKey") == bytes([118, 220, 0, 127, 128])
    assert encoded(record)["headers"] == [{"headerKey": [118, -36, 0, 127, -128]}]


def test_record_without_value_or_with_bad_base64() -> None:
    with pytest.raises(ValueError, match="no value"):
        KafkaRecord().decode_value()
    assert KafkaRecord().value_bytes() is None
    with pytest.raises(ValueError, match="value is not valid base64"):
        KafkaRecord(value="#").value_bytes()
    with pytest.raises(ValueError, match="key is not valid base64"):
        KafkaRecord(key="abc").key_bytes()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("[1, 128]", r"\[1\]: expected a byte value from -128 to 127, got 128"),
        ("[-129]", r"\[0\]: expected a byte value from -128 to 127, got -129"),
        ("[1.0]", r"\[0\]: expected int \(a byte value\), got float"),
        ("[true]", r"\[0\]: expected int \(a byte value\), got bool"),
        ('"dmFs"', r"k: expected list \(of byte values\), got str"),
        ("null", r"k: expected list \(of byte values\), got null"),
    ],
)
def test_malformed_header_values(header: str, message: str) -> None:
    doc = '{"records": {"t-0": [{"headers": [{"k": HEADER}]}]}}'.replace("HEADER", header)
    with pytest.raises(lambdago.DecodeError, match=message) as info:
        lambdago.decode(doc, KafkaEvent)
    assert str(info.value).startswith("records.t-0[0].headers[0].k")


def test_building_headers() -> None:
    record = KafkaRecord(topic="t", headers=[{"h": JSONNumberBytes(b"\xff\x01")}])
    assert encoded(record) == {"topic": "t", "headers": [{"h": [-1, 1]}]}
    assert json.loads(_jsonio._stdlib_dumps(record)) == {"topic": "t", "headers": [{"h": [-1, 1]}]}


@given(st.binary(max_size=64))
def test_header_bytes_round_trip(data: bytes) -> None:
    signed = [b - 256 if b > 127 else b for b in data]
    value = lambdago.decode(json.dumps(signed), JSONNumberBytes)
    assert isinstance(value, JSONNumberBytes)
    assert value == data
    assert encoded(value) == signed


INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@given(st.lists(INT64, max_size=8).filter(lambda v: any(not -128 <= x <= 127 for x in v)))
def test_out_of_range_header_bytes_are_rejected(values: list[int]) -> None:
    with pytest.raises(lambdago.DecodeError, match="expected a byte value from -128 to 127"):
        lambdago.decode(json.dumps(values), JSONNumberBytes)


def test_schema_registry_metadata() -> None:
    raw = {
        "eventSource": "aws:kafka",
        "eventSourceArn": "arn:aws:kafka:us-east-2:123456789012:cluster/orders/7c1e2d3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f-3",
        "bootstrapServers": "b-1.orders.k7x2p9.c3.kafka.us-east-2.amazonaws.com:9098",
        "records": {
            "orders-2": [
                {
                    "topic": "orders",
                    "partition": 2,
                    "offset": 5521,
                    "timestamp": 1733402113250,
                    "timestampType": "CREATE_TIME",
                    "key": "b3JkZXItNzc=",
                    "value": "eyJpZCI6Im9yZGVyLTc3In0=",
                    "headers": [],
                    "keySchemaMetadata": {"dataFormat": "AVRO", "schemaId": "41"},
                    "valueSchemaMetadata": {
                        "dataFormat": "JSON",
                        "schemaId": "3e9b1c7a-2d4f-4a6b-8c0e-1f2a3b4c5d6e",
                    },
                }
            ]
        },
    }
    event = typed_roundtrip(raw, KafkaEvent)
    record = event.records["orders-2"][0]
    assert record.key_schema_metadata == lambdago.events.KafkaSchemaMetadata(
        data_format="AVRO", schema_id="41"
    )
    assert record.value_schema_metadata.data_format == "JSON"
