"""Kinesis Data Streams events (plain and tumbling-window), their partial batch responses,
and Kinesis Data Analytics output delivery."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    KinesisAnalyticsOutputDeliveryEvent,
    KinesisAnalyticsOutputDeliveryFailed,
    KinesisAnalyticsOutputDeliveryOK,
    KinesisAnalyticsOutputDeliveryResponse,
    KinesisEvent,
    KinesisEventRecord,
    KinesisEventResponse,
    KinesisRecord,
    KinesisTimeWindowEvent,
    KinesisTimeWindowEventResponse,
    TimeWindowEventResponseProperties,
    TimeWindowProperties,
    Window,
)
from lambdago.events._batch import UnidentifiedFailure


def encoded(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def records(*seqs: str | None) -> bytes:
    out = []
    for seq in seqs:
        inner: dict[str, Any] = {"data": "e30=", "partitionKey": "p"}
        if seq is not None:
            inner["sequenceNumber"] = seq
        out.append({"eventID": f"shardId-000000000000:{seq}", "kinesis": inner})
    return json.dumps({"Records": out}).encode()


@dataclasses.dataclass
class Click:
    type: str
    sessionId: str
    at: datetime
    path: str | None = None
    target: str | None = None


def test_sample_round_trips_and_decodes_data() -> None:
    raw = lambdago.events.sample("kinesis")
    event = lambdago.decode(raw, KinesisEvent)
    assert encoded(event) == json.loads(raw)
    assert event.records is not None
    first = event.records[0].kinesis
    assert first is not None
    assert first.approximate_arrival_timestamp == datetime(
        2025, 9, 3, 22, 14, 5, 207000, tzinfo=UTC
    )
    assert first.data is not None
    assert first.data.startswith(b'{"type":"page_view"')
    click = first.decode_data(Click)
    assert click == Click(
        "page_view",
        "sess-8f14e45f",
        datetime(2025, 9, 3, 22, 14, 5, 118000, tzinfo=UTC),
        path="/pricing",
    )
    second = event.records[1].kinesis
    assert second is not None
    assert second.encryption_type == "KMS"
    assert second.decode_data()["target"] == "signup-button"


def test_decode_data_errors() -> None:
    with pytest.raises(ValueError, match="no data"):
        KinesisRecord().decode_data()
    with pytest.raises(lambdago.DecodeError, match="malformed JSON"):
        KinesisRecord(data=b"not json").decode_data()
    with pytest.raises(lambdago.DecodeError, match="sessionId"):
        KinesisRecord(data=b'{"type": "x", "at": "2025-01-01T00:00:00Z"}').decode_data(Click)


def test_invalid_data_and_timestamp_are_decode_errors() -> None:
    with pytest.raises(lambdago.DecodeError, match=r"Records\[0\]\.kinesis\.data: invalid base64"):
        lambdago.decode(b'{"Records": [{"kinesis": {"data": "%%"}}]}', KinesisEvent)
    with pytest.raises(
        lambdago.DecodeError, match="approximateArrivalTimestamp: expected a number"
    ):
        lambdago.decode(
            b'{"Records": [{"kinesis": {"approximateArrivalTimestamp": "x"}}]}', KinesisEvent
        )


def test_changed_timestamp_is_encoded_as_epoch_seconds() -> None:
    event = lambdago.decode(lambdago.events.sample("kinesis"), KinesisEvent)
    assert event.records is not None
    inner = event.records[0].kinesis
    assert inner is not None
    inner.approximate_arrival_timestamp = datetime(2025, 1, 2, 3, 4, 5, 250000, tzinfo=UTC)
    inner.data = b"\x00\x01"
    out = encoded(event)["Records"][0]["kinesis"]
    assert out["approximateArrivalTimestamp"] == 1735787045.25
    assert out["data"] == "AAE="


def test_process_stops_at_the_first_failure() -> None:
    event = lambdago.decode(records("1", "2", "3"), KinesisEvent)
    seen: list[str | None] = []

    def handler(record: KinesisEventRecord) -> None:
        assert record.kinesis is not None
        seen.append(record.kinesis.sequence_number)
        if record.kinesis.sequence_number == "2":
            raise KeyError("x")

    response = event.process(handler)
    assert isinstance(response, KinesisEventResponse)
    assert seen == ["1", "2"]
    assert encoded(response) == {
        "batchItemFailures": [{"itemIdentifier": "2"}, {"itemIdentifier": "3"}]
    }
    assert encoded(event.process(lambda r: None)) == {"batchItemFailures": []}


def test_process_async_and_on_error() -> None:
    event = lambdago.decode(records("7", "8"), KinesisEvent)
    errors: list[tuple[str | None, str]] = []

    async def handler(record: KinesisEventRecord) -> None:
        await asyncio.sleep(0)
        raise ValueError("nope")

    def on_error(record: KinesisEventRecord, exc: Exception) -> None:
        errors.append((record.event_id, str(exc)))

    response = asyncio.run(event.process_async(handler, on_error=on_error))
    assert encoded(response) == {
        "batchItemFailures": [{"itemIdentifier": "7"}, {"itemIdentifier": "8"}]
    }
    assert errors == [("shardId-000000000000:7", "nope")]


def test_process_needs_sequence_numbers() -> None:
    event = lambdago.decode(records(None), KinesisEvent)

    def fail(record: KinesisEventRecord) -> None:
        raise RuntimeError

    with pytest.raises(UnidentifiedFailure):
        event.process(fail)


def test_from_failed() -> None:
    response = KinesisEventResponse.from_failed(["a", "b"])
    assert encoded(response) == {
        "batchItemFailures": [{"itemIdentifier": "a"}, {"itemIdentifier": "b"}]
    }


def test_time_window_sample_and_process() -> None:
    raw = lambdago.events.sample("kinesis-time-window")
    event = lambdago.decode(raw, KinesisTimeWindowEvent)
    assert encoded(event) == json.loads(raw)
    assert event.window is not None
    assert event.window.end == datetime(2025, 10, 23, 8, 26, tzinfo=UTC)
    assert event.is_final_invoke_for_window is True
    state = dict(event.state or {})

    def add(record: KinesisEventRecord) -> None:
        assert record.kinesis is not None
        reading = record.kinesis.decode_data()
        state["count"] = str(int(state["count"]) + 1)
        state["sum"] = f"{float(state['sum']) + reading['celsius']:.1f}"

    response = event.process(add, state=state)
    assert isinstance(response, KinesisTimeWindowEventResponse)
    assert encoded(response) == {"state": {"count": "6", "sum": "128.4"}, "batchItemFailures": []}


def test_time_window_properties_on_their_own() -> None:
    raw = json.loads(lambdago.events.sample("kinesis-time-window"))
    del raw["Records"]
    props = lambdago.decode(json.dumps(raw), TimeWindowProperties)
    assert encoded(props) == raw
    assert props.shard_id == "shardId-000000000001"
    window = Window(
        start=datetime(2025, 1, 1, tzinfo=UTC), end=datetime(2025, 1, 1, 0, 1, tzinfo=UTC)
    )
    assert encoded(window) == {"start": "2025-01-01T00:00:00Z", "end": "2025-01-01T00:01:00Z"}
    assert encoded(TimeWindowEventResponseProperties(state={"a": "1"})) == {"state": {"a": "1"}}
    with pytest.raises(lambdago.DecodeError, match=r"window\.start: invalid RFC 3339"):
        lambdago.decode(b'{"window": {"start": "yesterday"}}', TimeWindowProperties)


def test_time_window_state_holds_any_json() -> None:
    # Lambda hands back whatever state the previous invocation returned: a function written
    # in another runtime (and AWS's own examples) may have returned numbers, booleans, nulls
    # or nested objects; they come as decoded JSON values and are encoded as they were.
    raw = {
        "Records": [
            {
                "kinesis": {
                    "partitionKey": "sensor-7",
                    "sequenceNumber": "49654012345678901234567890123456789012345678901234",
                    "data": "eyJjZWxzaXVzIjogMjEuNX0=",
                    "approximateArrivalTimestamp": 1761207960.25,
                },
                "eventSource": "aws:kinesis",
                "eventID": "shardId-000000000003:49654012345678901234567890123456789012345678901234",
            }
        ],
        "window": {"start": "2025-10-23T08:26:00Z", "end": "2025-10-23T08:28:00Z"},
        "state": {
            "count": 41,
            "sum": 873.5,
            "alerted": False,
            "lastAlert": None,
            "bySensor": {"sensor-7": {"max": 24.5, "seen": ["08:26:01", "08:27:40"]}},
            "unit": "celsius",
        },
        "shardId": "shardId-000000000003",
        "isFinalInvokeForWindow": False,
        "isWindowTerminatedEarly": False,
    }
    event = lambdago.decode(json.dumps(raw), KinesisTimeWindowEvent)
    assert event.state == raw["state"]
    assert encoded(event) == raw
    assert event.state is not None
    event.state["count"] += 1
    event.state["bySensor"]["sensor-7"]["seen"].append("08:27:59")
    state = encoded(event)["state"]
    assert state["count"] == 42
    assert state["bySensor"]["sensor-7"]["seen"][-1] == "08:27:59"
    assert state["lastAlert"] is None
    del raw["Records"]
    props = lambdago.decode(json.dumps(raw), TimeWindowProperties)
    assert props.state is not None
    assert props.state["bySensor"] == {"sensor-7": {"max": 24.5, "seen": ["08:26:01", "08:27:40"]}}
    assert encoded(props) == raw
    response = {"state": {"count": 41, "lastAlert": None, "nested": {"a": [1]}}}
    response["batchItemFailures"] = []
    decoded = lambdago.decode(json.dumps(response), KinesisTimeWindowEventResponse)
    assert decoded.state == {"count": 41, "lastAlert": None, "nested": {"a": [1]}}
    assert encoded(decoded) == response
    only_state = lambdago.decode(b'{"state": {"n": null}}', TimeWindowEventResponseProperties)
    assert only_state.state == {"n": None}
    assert lambdago.encode(only_state) == b'{"state":{"n":null}}'
    assert lambdago.decode(b'{"state": null}', KinesisTimeWindowEvent).state is None
    with pytest.raises(lambdago.DecodeError, match=r"^state: expected"):
        lambdago.decode(b'{"state": ["not", "an", "object"]}', KinesisTimeWindowEvent)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=12,
)


@given(state=st.dictionaries(st.text(), json_values, max_size=5))
def test_time_window_state_round_trips(state: dict[str, Any]) -> None:
    raw = json.dumps({"shardId": "shardId-000000000000", "state": state}).encode()
    event = lambdago.decode(raw, KinesisTimeWindowEvent)
    assert event.state == state
    assert json.loads(lambdago.encode(event)) == json.loads(raw)
    response = lambdago.decode(json.dumps({"state": state}), KinesisTimeWindowEventResponse)
    assert encoded(response) == {"state": state}


def test_kinesis_analytics_sample_and_response() -> None:
    raw = lambdago.events.sample("kinesis-analytics-output")
    event = lambdago.decode(raw, KinesisAnalyticsOutputDeliveryEvent)
    assert encoded(event) == json.loads(raw)
    assert event.records is not None
    assert event.records[0].decode_data()["ticker"] == "AMZN"
    # lambdaDeliveryRecordMetadata, which aws-lambda-go does not declare, is a field.
    metadata = [r.lambda_delivery_record_metadata for r in event.records]
    assert [m.retry_hint if m is not None else None for m in metadata] == [0, 1]
    assert lambdago.decode(raw, KinesisAnalyticsOutputDeliveryEvent, strict=True) == event
    response = KinesisAnalyticsOutputDeliveryResponse(
        records=[event.records[0].ok(), event.records[1].delivery_failed()]
    )
    assert encoded(response) == {
        "records": [
            {"recordId": event.records[0].record_id, "result": KinesisAnalyticsOutputDeliveryOK},
            {
                "recordId": event.records[1].record_id,
                "result": KinesisAnalyticsOutputDeliveryFailed,
            },
        ]
    }
    assert KinesisAnalyticsOutputDeliveryFailed == "DeliveryFailed"
