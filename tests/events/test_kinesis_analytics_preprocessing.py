"""Kinesis Data Analytics input preprocessing: events from streams and Firehose, the
response, and the transform helper."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    KinesisAnalyticsInputPreprocessingDropped,
    KinesisAnalyticsInputPreprocessingEvent,
    KinesisAnalyticsInputPreprocessingEventRecord,
    KinesisAnalyticsInputPreprocessingOk,
    KinesisAnalyticsInputPreprocessingProcessingFailed,
    KinesisAnalyticsInputPreprocessingResponse,
    KinesisAnalyticsInputPreprocessingResponseRecord,
)
from lambdago.events import kinesis_analytics_preprocessing as kap
from tests.events._exact import as_json, roundtrip_sample


@pytest.mark.parametrize("name", sorted(kap.SAMPLES))
def test_samples_round_trip_exactly(name: str) -> None:
    value = roundtrip_sample(name)
    assert isinstance(value, getattr(lambdago.events, kap.SAMPLES[name]))


def test_exports_and_constants() -> None:
    for name in kap.__all__:
        assert getattr(lambdago.events, name) is getattr(kap, name)
    assert KinesisAnalyticsInputPreprocessingOk == "Ok"
    assert KinesisAnalyticsInputPreprocessingDropped == "Dropped"
    assert KinesisAnalyticsInputPreprocessingProcessingFailed == "ProcessingFailed"


def _event(name: str) -> KinesisAnalyticsInputPreprocessingEvent:
    value = roundtrip_sample(name)
    assert isinstance(value, KinesisAnalyticsInputPreprocessingEvent)
    return value


def test_stream_sample() -> None:
    ev = _event("kinesis-analytics-preprocessing-stream")
    assert ev.stream_arn == "arn:aws:kinesis:eu-west-1:630284917365:stream/sensor-readings"
    assert ev.records is not None
    first = ev.records[0]
    assert first.data == b"2025-03-14T08:15:02Z;sensor-17;21.4;48"
    assert first.kinesis_firehose_record_metadata is None
    meta = first.kinesis_stream_record_metadata
    assert meta is not None
    assert meta.partition_key == "sensor-17"
    assert meta.approximate_arrival_timestamp == datetime(2025, 3, 14, 8, 15, 2, 418000, tzinfo=UTC)


def test_firehose_sample() -> None:
    ev = _event("kinesis-analytics-preprocessing-firehose")
    assert ev.records is not None
    record = ev.records[0]
    assert record.kinesis_stream_record_metadata is None
    assert record.kinesis_firehose_record_metadata is not None
    assert record.kinesis_firehose_record_metadata.approximate_arrival_timestamp == datetime(
        2025, 3, 14, 14, 30, 0, 312000, tzinfo=UTC
    )
    assert record.decode_data() == {"ticker": "AMZN", "price": 178.42, "ts": "2025-03-14T14:30:00Z"}


def test_transform_reproduces_the_response_sample() -> None:
    ev = _event("kinesis-analytics-preprocessing-stream")
    errors: list[str] = []

    def fn(record: KinesisAnalyticsInputPreprocessingEventRecord) -> bytes | None:
        data = record.data or b""
        if b";" not in data:
            raise ValueError("not a reading")
        if b"sensor-09" in data:
            return None
        return data.replace(b";", b",")

    response = ev.transform(fn, on_error=lambda r, e: errors.append(f"{r.record_id}: {e}"))
    expected = as_json(roundtrip_sample("kinesis-analytics-preprocessing-response"))
    assert as_json(response) == expected
    assert errors == ["49659482310937716218352498113607375484586386080496386050: not a reading"]


def test_transform_accepts_text_and_response_records() -> None:
    ev = KinesisAnalyticsInputPreprocessingEvent(
        records=[
            KinesisAnalyticsInputPreprocessingEventRecord(record_id="a", data=b"1"),
            KinesisAnalyticsInputPreprocessingEventRecord(record_id="b", data=b"2"),
        ]
    )
    out = ev.transform(
        lambda r: "é" if r.record_id == "a" else r.processing_failed(),
    )
    assert as_json(out) == {
        "records": [
            {"recordId": "a", "result": "Ok", "data": base64.b64encode("é".encode()).decode()},
            {"recordId": "b", "result": "ProcessingFailed", "data": "Mg=="},
        ]
    }
    assert as_json(KinesisAnalyticsInputPreprocessingEvent().transform(lambda r: b"")) == {
        "records": []
    }


def test_exceptions_that_are_not_errors_propagate() -> None:
    ev = KinesisAnalyticsInputPreprocessingEvent(
        records=[KinesisAnalyticsInputPreprocessingEventRecord(record_id="a", data=b"1")]
    )

    def stop(record: KinesisAnalyticsInputPreprocessingEventRecord) -> bytes:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ev.transform(stop)


def test_record_helpers_and_errors() -> None:
    record = KinesisAnalyticsInputPreprocessingEventRecord(record_id="r", data=b"x")
    assert as_json(record.dropped()) == {"recordId": "r", "result": "Dropped", "data": "eA=="}
    assert as_json(record.ok(bytearray(b"y"))) == {"recordId": "r", "result": "Ok", "data": "eQ=="}
    with pytest.raises(ValueError, match="no data"):
        KinesisAnalyticsInputPreprocessingEventRecord().decode_data()
    with pytest.raises(TypeError, match="bytes or str"):
        KinesisAnalyticsInputPreprocessingResponseRecord.new("r", 5)  # type: ignore[arg-type]
    with pytest.raises(lambdago.DecodeError, match=r"records\[0\]\.data"):
        lambdago.decode(b'{"records": [{"data": "%%"}]}', KinesisAnalyticsInputPreprocessingEvent)


@given(st.binary(max_size=100))
def test_response_data_round_trips(data: bytes) -> None:
    resp = KinesisAnalyticsInputPreprocessingResponse(
        records=[KinesisAnalyticsInputPreprocessingResponseRecord.new("id", data)]
    )
    again: KinesisAnalyticsInputPreprocessingResponse = lambdago.decode(
        lambdago.encode(resp), KinesisAnalyticsInputPreprocessingResponse
    )
    assert again.records is not None
    assert again.records[0].data == data
