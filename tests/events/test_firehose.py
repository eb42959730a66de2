"""Firehose data transformation: the event, the response and the helpers building it."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    KinesisFirehoseEvent,
    KinesisFirehoseEventRecord,
    KinesisFirehoseOTFOperationInsert,
    KinesisFirehoseResponse,
    KinesisFirehoseResponseRecord,
    KinesisFirehoseResponseRecordMetadata,
    KinesisFirehoseResponseRecordOTFMetadata,
    KinesisFirehoseTransformedStateDropped,
    KinesisFirehoseTransformedStateOk,
    KinesisFirehoseTransformedStateProcessingFailed,
)
from tests.events._exact import typed_roundtrip


def encoded(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_result_constants() -> None:
    assert KinesisFirehoseTransformedStateOk == "Ok"
    assert KinesisFirehoseTransformedStateDropped == "Dropped"
    assert KinesisFirehoseTransformedStateProcessingFailed == "ProcessingFailed"
    assert KinesisFirehoseOTFOperationInsert == "insert"


def test_event_sample() -> None:
    raw = lambdago.events.sample("firehose")
    event = lambdago.decode(raw, KinesisFirehoseEvent)
    assert encoded(event) == json.loads(raw)
    assert event.records is not None
    first = event.records[0]
    assert first.approximate_arrival_timestamp == datetime(
        2024, 12, 5, 10, 1, 22, 450000, tzinfo=UTC
    )
    assert first.decode_data()["msg"] == "user signed in"
    meta = first.kinesis_record_metadata
    assert meta is not None
    assert meta.subsequence_number == 0
    assert meta.approximate_arrival_timestamp == first.approximate_arrival_timestamp


def test_response_sample() -> None:
    raw = lambdago.events.sample("firehose-response")
    response = lambdago.decode(raw, KinesisFirehoseResponse)
    assert encoded(response) == json.loads(raw)
    assert response.records is not None
    last = response.records[2]
    assert last.data == b'{"level":"ERROR","msg":"payment declined","user":"u-0875"}\n'
    assert last.metadata is not None
    assert last.metadata.otf_metadata is not None
    assert last.metadata.otf_metadata.operation == KinesisFirehoseOTFOperationInsert


def test_response_record_constructor() -> None:
    text = KinesisFirehoseResponseRecord.new("r1", "héllo\n")
    assert encoded(text) == {"recordId": "r1", "result": "Ok", "data": b64("héllo\n".encode())}
    raw = KinesisFirehoseResponseRecord.new(
        "r2", bytearray(b"\x00\xff"), KinesisFirehoseTransformedStateDropped
    )
    assert encoded(raw) == {"recordId": "r2", "result": "Dropped", "data": "AP8="}
    keyed = KinesisFirehoseResponseRecord.new("r3", b"x", partition_keys={"day": "2025-01-01"})
    assert encoded(keyed) == {
        "recordId": "r3",
        "result": "Ok",
        "data": "eA==",
        "metadata": {"partitionKeys": {"day": "2025-01-01"}},
    }
    with pytest.raises(TypeError, match="bytes or str"):
        KinesisFirehoseResponseRecord.new("r4", 12)  # type: ignore[arg-type]


def test_response_with_iceberg_routing() -> None:
    record = KinesisFirehoseResponseRecord.new("r", b"{}")
    record.metadata = KinesisFirehoseResponseRecordMetadata(
        otf_metadata=KinesisFirehoseResponseRecordOTFMetadata(
            destination_database_name="db", destination_table_name="t", operation="update"
        )
    )
    assert encoded(KinesisFirehoseResponse(records=[record]))["records"][0]["metadata"] == {
        "otfMetadata": {
            "destinationDatabaseName": "db",
            "destinationTableName": "t",
            "operation": "update",
        }
    }


def test_transform_builds_one_response_record_per_event_record() -> None:
    event = lambdago.decode(lambdago.events.sample("firehose"), KinesisFirehoseEvent)
    assert event.records is not None
    errors: list[str] = []

    def fn(record: KinesisFirehoseEventRecord) -> str | None:
        entry = record.decode_data()
        if entry["level"] == "DEBUG":
            return None
        if entry["level"] == "ERROR":
            raise ValueError("cannot ship errors")
        return entry["msg"].upper() + "\n"

    response = event.transform(fn, on_error=lambda r, e: errors.append(str(e)))
    out = encoded(response)["records"]
    ids = [r.record_id for r in event.records]
    assert [r["recordId"] for r in out] == ids
    assert [r["result"] for r in out] == ["Ok", "Dropped", "ProcessingFailed"]
    assert base64.b64decode(out[0]["data"]) == b"USER SIGNED IN\n"
    assert out[1]["data"] == event.records[1]._lg_src["data"]  # type: ignore[attr-defined]
    assert out[2]["data"] == event.records[2]._lg_src["data"]  # type: ignore[attr-defined]
    assert errors == ["cannot ship errors"]


def test_transform_passes_response_records_through() -> None:
    event = KinesisFirehoseEvent(records=[KinesisFirehoseEventRecord(record_id="a", data=b"1")])
    response = event.transform(lambda r: r.ok(b"2", partition_keys={"k": "v"}))
    assert encoded(response) == {
        "records": [
            {
                "recordId": "a",
                "result": "Ok",
                "data": "Mg==",
                "metadata": {"partitionKeys": {"k": "v"}},
            }
        ]
    }


def test_invalid_record_data() -> None:
    with pytest.raises(lambdago.DecodeError, match=r"records\[0\]\.data: invalid base64"):
        lambdago.decode(b'{"records": [{"data": "***"}]}', KinesisFirehoseEvent)
    with pytest.raises(ValueError, match="no data"):
        KinesisFirehoseEventRecord().decode_data()


def test_the_shapes_of_awss_documented_samples_are_read() -> None:
    """AWS's documentation and the SAM CLI's generated events write some fields loosely:
    base64 with data after its padding, an arrival time as an RFC 3339 string or a number
    in a string, a subsequence number as a string (or empty). They decode, and re-encode
    with their source spelling while unchanged."""
    raw = {
        "records": [
            {
                "recordId": "1",
                "approximateArrivalTimestamp": "2012-04-23T18:25:43.511Z",
                "data": "YWJj==ZGVm",
                "kinesisRecordMetadata": {
                    "subsequenceNumber": "123456",
                    "approximateArrivalTimestamp": "1495072949453",
                },
            },
            {"recordId": "2", "kinesisRecordMetadata": {"subsequenceNumber": ""}},
        ]
    }
    event = lambdago.decode(json.dumps(raw).encode(), KinesisFirehoseEvent)
    first, second = event.records
    assert first.approximate_arrival_timestamp == datetime(2012, 4, 23, 18, 25, 43, 511000, UTC)
    assert first.data == base64.b64decode("YWJj==ZGVm")  # what a lenient decoder reads
    meta = first.kinesis_record_metadata
    assert meta.subsequence_number == 123456
    assert meta.approximate_arrival_timestamp == datetime(2017, 5, 18, 2, 2, 29, 453000, UTC)
    assert second.kinesis_record_metadata.subsequence_number is None
    again = encoded(event)
    assert again["records"][0] == raw["records"][0]
    # still refused: characters outside the alphabet, a length no base64 has, bad numbers
    for data, why in (
        ("YW*j", "invalid base64 data: characters outside"),
        ("YWJjZ", "invalid base64"),
    ):
        with pytest.raises(lambdago.DecodeError, match=rf"records\[0\]\.data: {why}"):
            lambdago.decode(
                json.dumps({"records": [{"data": data}]}).encode(), KinesisFirehoseEvent
            )
    with pytest.raises(lambdago.DecodeError, match="subsequenceNumber: expected int"):
        lambdago.decode(
            b'{"records": [{"kinesisRecordMetadata": {"subsequenceNumber": "x1"}}]}',
            KinesisFirehoseEvent,
        )
    with pytest.raises(lambdago.DecodeError, match="or an RFC 3339 time, got 'soon'"):
        lambdago.decode(
            b'{"records": [{"approximateArrivalTimestamp": "soon"}]}', KinesisFirehoseEvent
        )


def test_msk_sourced_event_and_response() -> None:
    raw = {
        "invocationId": "6f1d2c3b-0a9e-4d8c-b7a6-5e4f3d2c1b0a",
        "deliveryStreamArn": "arn:aws:firehose:ap-southeast-2:123456789012:deliverystream/clicks-to-s3",
        "sourceMSKArn": "arn:aws:kafka:ap-southeast-2:123456789012:cluster/clicks/0e1f2a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b-2",
        "region": "ap-southeast-2",
        "records": [
            {
                "recordId": "49654961357420917811111111111111111111111111111111000000",
                "approximateArrivalTimestamp": 1733404800125,
                "mskRecordMetadata": {
                    "offset": "88410",
                    "partitionId": "3",
                    "approximateArrivalTimestamp": 1733404800125,
                },
                "kafkaRecordValue": "eyJwYWdlIjoiL3ByaWNpbmcifQ==",
            }
        ],
    }
    event = typed_roundtrip(raw, lambdago.events.KinesisFirehoseEvent)
    assert event.source_msk_arn.endswith("cluster/clicks/0e1f2a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b-2")
    record = event.records[0]
    assert record.kafka_record_value == b'{"page":"/pricing"}'
    assert record.data is None
    meta = record.msk_record_metadata
    assert (meta.offset, meta.partition_id) == ("88410", "3")
    assert meta.approximate_arrival_timestamp == datetime(
        2024, 12, 5, 13, 20, 0, 125000, tzinfo=UTC
    )

    response = {
        "records": [
            {
                "recordId": "49654961357420917811111111111111111111111111111111000000",
                "result": "Ok",
                "kafkaRecordValue": "eyJwYWdlIjoiL3ByaWNpbmciLCJ2IjoyfQ==",
            }
        ]
    }
    out = typed_roundtrip(response, lambdago.events.KinesisFirehoseResponse)
    assert out.records[0].kafka_record_value == b'{"page":"/pricing","v":2}'
