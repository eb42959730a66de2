"""CloudWatch Logs subscription events (the compressed payload) and EventBridge events."""

from __future__ import annotations

import base64
import gzip
import json
import pathlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypedDict

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    CloudWatchEvent,
    CloudwatchLogsData,
    CloudwatchLogsEvent,
    CloudwatchLogsLogEvent,
    CloudwatchLogsRawData,
    EventBridgeEvent,
    sample,
)
from tests.events._exact import typed_roundtrip

# -- CloudWatch Logs ------------------------------------------------------------------------


def _raw(data: str) -> CloudwatchLogsRawData:
    raw = CloudwatchLogsRawData()
    raw.data = data
    return raw


def _pack(payload: bytes) -> str:
    return base64.b64encode(gzip.compress(payload)).decode()


def test_logs_sample_roundtrips_and_parses() -> None:
    raw = sample("cloudwatch-logs")
    event = lambdago.decode(raw, CloudwatchLogsEvent)
    assert json.loads(lambdago.encode(event)) == json.loads(raw)
    data = event.parse()
    assert isinstance(data, CloudwatchLogsData)
    assert event.aws_logs is not None
    assert event.aws_logs.parse() == data
    assert data.message_type == "DATA_MESSAGE"
    assert data.log_group == "/aws/lambda/checkout-api"
    assert data.subscription_filters == ["errors-to-opensearch"]
    events = data.log_events or []
    assert [e.timestamp for e in events] == [1762180056204, 1762180056716]
    assert all(isinstance(e, CloudwatchLogsLogEvent) for e in events)
    assert events[0].message is not None
    assert "payment provider timeout" in events[0].message


def test_upstream_logs_event_parses(conformance_dir: pathlib.Path) -> None:
    raw = (conformance_dir / "testdata" / "cloudwatch-logs-event.json").read_bytes()
    data = lambdago.decode(raw, CloudwatchLogsEvent).parse()
    assert data.owner == "123456789123"
    assert [e.id for e in data.log_events or []] == ["eventId1", "eventId2"]


_LOG_EVENT = st.fixed_dictionaries(
    {
        "id": st.text(alphabet="0123456789", min_size=1, max_size=56),
        "timestamp": st.integers(min_value=0, max_value=2**53),
        "message": st.text(),
    }
)

_LOG_DATA = st.fixed_dictionaries(
    {
        "messageType": st.sampled_from(["DATA_MESSAGE", "CONTROL_MESSAGE"]),
        "owner": st.text(alphabet="0123456789", min_size=12, max_size=12),
        "logGroup": st.text(min_size=1),
        "logStream": st.text(),
        "subscriptionFilters": st.lists(st.text(min_size=1), max_size=3),
        "logEvents": st.lists(_LOG_EVENT, max_size=10),
    }
)


@given(_LOG_DATA, st.integers(min_value=0, max_value=9))
def test_logs_payload_roundtrip(payload: dict[str, Any], level: int) -> None:
    text = json.dumps(payload).encode()
    data = _raw(base64.b64encode(gzip.compress(text, compresslevel=level)).decode()).parse()
    assert data.log_group == payload["logGroup"]
    assert [(e.id, e.timestamp, e.message) for e in data.log_events or []] == [
        (e["id"], e["timestamp"], e["message"]) for e in payload["logEvents"]
    ]
    assert json.loads(lambdago.encode(data)) == payload


def test_logs_multi_member_and_padded_gzip() -> None:
    text = json.dumps({"owner": "1", "logEvents": []}).encode()
    half = len(text) // 2
    members = gzip.compress(text[:half]) + gzip.compress(text[half:]) + b"\x00" * 8
    assert _raw(base64.b64encode(members).decode()).parse().owner == "1"


def test_logs_bad_base64() -> None:
    with pytest.raises(lambdago.DecodeError, match="base64") as info:
        _raw("H4sI***not base64***").parse()
    assert info.value.path == "awslogs.data"


@pytest.mark.parametrize(
    "compressed",
    [
        b"plain text, not gzip",
        gzip.compress(b'{"owner": "1"}')[:-12],  # truncated
        b"",
    ],
)
def test_logs_bad_gzip(compressed: bytes) -> None:
    with pytest.raises(lambdago.DecodeError, match="gzip") as info:
        _raw(base64.b64encode(compressed).decode()).parse()
    assert info.value.path == "awslogs.data"


def test_logs_bad_json() -> None:
    with pytest.raises(lambdago.DecodeError, match="not CloudWatch Logs JSON: malformed JSON"):
        _raw(_pack(b'{"owner": ')).parse()
    with pytest.raises(lambdago.DecodeError, match=r"logEvents\[0\].timestamp: expected int"):
        _raw(_pack(b'{"logEvents": [{"timestamp": "soon"}]}')).parse()


def test_logs_missing_data() -> None:
    with pytest.raises(lambdago.DecodeError, match="no data"):
        CloudwatchLogsRawData().parse()
    with pytest.raises(lambdago.DecodeError, match="no awslogs") as info:
        CloudwatchLogsEvent().parse()
    assert info.value.path == "awslogs"


# -- EventBridge -------------------------------------------------------------------------------


def test_eventbridge_alias() -> None:
    assert EventBridgeEvent is CloudWatchEvent


@pytest.mark.parametrize("name", ["eventbridge-scheduled", "eventbridge-ec2-state-change"])
def test_eventbridge_samples_roundtrip(name: str) -> None:
    raw = sample(name)
    assert json.loads(lambdago.encode(lambdago.decode(raw, CloudWatchEvent))) == json.loads(raw)


def test_eventbridge_fields() -> None:
    event = lambdago.decode(sample("eventbridge-scheduled"), CloudWatchEvent)
    assert event.detail_type == "Scheduled Event"
    assert event.account_id == "135792468024"
    assert event.time == datetime(2025, 11, 3, 6, 0, tzinfo=UTC)
    assert event.detail == {}


def test_eventbridge_keeps_detail_as_sent() -> None:
    raw = (
        '{"version":"0","id":"e1","detail-type":"Custom","source":"com.example.orders",'
        '"account":"135792468024","time":"2025-11-03T06:00:00+01:00","region":"eu-west-1",'
        '"resources":[],"detail":[1, "two", {"three": null}, 4.5]}'
    )
    event = lambdago.decode(raw, CloudWatchEvent)
    assert event.detail == [1, "two", {"three": None}, 4.5]
    assert json.loads(lambdago.encode(event)) == json.loads(raw)
    assert json.loads(lambdago.encode(lambdago.decode('{"detail": null}', CloudWatchEvent))) == {
        "detail": None
    }


Ec2StateChange = TypedDict("Ec2StateChange", {"instance-id": str, "state": str})


@dataclass
class Detail:
    state: str
    count: int = 0


def test_decode_detail() -> None:
    event = lambdago.decode(sample("eventbridge-ec2-state-change"), CloudWatchEvent)
    change = event.decode_detail(Ec2StateChange)
    assert change == {"instance-id": "i-0a1b2c3d4e5f67890", "state": "stopped"}
    assert event.decode_detail(Detail) == Detail("stopped")
    assert event.decode_detail() == event.detail


def test_decode_detail_errors_have_a_path_under_detail() -> None:
    event = CloudWatchEvent()
    event.detail = {"state": "running", "count": "many"}
    with pytest.raises(lambdago.DecodeError) as info:
        event.decode_detail(Detail)
    assert info.value.path == "detail.count"
    assert str(info.value) == "detail.count: expected int, got str"
    event.detail = [{"state": 1}]
    with pytest.raises(lambdago.DecodeError) as info:
        event.decode_detail(list[Detail])
    assert info.value.path == "detail[0].state"
    event.detail = None
    with pytest.raises(lambdago.DecodeError) as info:
        event.decode_detail(Detail)
    assert info.value.path == "detail"


def test_decode_detail_options() -> None:
    event = CloudWatchEvent()
    event.detail = {"state": "running", "zone": "a"}
    assert event.decode_detail(Detail) == Detail("running")
    with pytest.raises(lambdago.DecodeError, match="unknown field 'zone'") as info:
        event.decode_detail(Detail, strict=True)
    assert info.value.path == "detail.zone"
    event.detail = {"price": 0.1}
    from decimal import Decimal

    assert event.decode_detail(dict[str, Decimal], use_decimal=True) == {"price": Decimal("0.1")}
    event.detail = {"price": "x"}
    with pytest.raises(lambdago.DecodeError) as info:
        event.decode_detail(dict[str, int], use_decimal=True)
    assert info.value.path == "detail.price"
    with pytest.raises(TypeError):
        event.decode_detail(Detail, strict="yes")
    with pytest.raises(TypeError):
        event.decode_detail(Detail, colour=True)


def test_eventbridge_replay_name() -> None:
    raw = {
        "version": "0",
        "id": "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        "detail-type": "Order Placed",
        "source": "com.example.shop",
        "account": "123456789012",
        "time": "2024-11-30T08:15:42Z",
        "region": "us-west-2",
        "resources": [],
        "detail": {"orderId": "A-1042"},
        "replay-name": "orders-backfill-2024-12-01",
    }
    event = typed_roundtrip(raw, lambdago.events.CloudWatchEvent)
    assert event.replay_name == "orders-backfill-2024-12-01"


def test_logs_data_policy_level() -> None:
    raw = {
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": "/aws/lambda/checkout",
        "logStream": "2024/12/05/[$LATEST]4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e",
        "subscriptionFilters": ["account-wide-errors"],
        "policyLevel": "ACCOUNT_LEVEL_POLICY",
        "logEvents": [
            {
                "id": "38621476923498170418765043825138461892735647120345678",
                "timestamp": 1733389200000,
                "message": "ERROR payment declined",
            }
        ],
    }
    data = typed_roundtrip(raw, lambdago.events.CloudwatchLogsData)
    assert data.policy_level == "ACCOUNT_LEVEL_POLICY"
