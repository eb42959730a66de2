"""CloudWatch alarm Lambda actions: samples round-trip, alarm times keep their layout,
helpers read the state and configuration."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    CloudWatchAlarmEvent,
    CloudWatchAlarmState,
    CloudWatchAlarmStateAlarm,
    CloudWatchAlarmTime,
)
from tests.conftest import json_diff

SAMPLES = sorted(n for n in lambdago.events.sample_names() if n.startswith("cloudwatch-alarm-"))
UTC = dt.UTC


def _json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def _alarm(name: str) -> CloudWatchAlarmEvent:
    return lambdago.decode(lambdago.events.sample(name), CloudWatchAlarmEvent)


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_round_trip(name: str) -> None:
    cls = getattr(lambdago.events, lambdago.events.sample_names()[name])
    raw = lambdago.events.sample(name)
    assert not json_diff(_json(lambdago.decode(raw, cls)), json.loads(raw))


@pytest.mark.parametrize("name", [n for n in SAMPLES if n != "cloudwatch-dashboard-custom-widget"])
def test_every_key_is_modelled(name: str) -> None:
    cls = getattr(lambdago.events, lambdago.events.sample_names()[name])
    lambdago.decode(lambdago.events.sample(name), cls, strict=True)


def test_metric_alarm() -> None:
    event = _alarm("cloudwatch-alarm-metric")
    assert event.source == "aws.cloudwatch"
    assert event.time == dt.datetime(2025, 1, 9, 8, 41, 30, 513000, tzinfo=UTC)
    assert event.is_alarm()
    assert not event.is_composite()
    assert event.state_value() == CloudWatchAlarmStateAlarm
    data = event.alarm_data
    assert data is not None and data.configuration is not None
    (query,) = data.configuration.metrics or []
    assert query.return_data is True
    assert query.metric_stat is not None and query.metric_stat.metric is not None
    assert query.metric_stat.metric.dimensions == {"ApiName": "checkout-api", "Stage": "prod"}
    assert query.metric_stat.unit == "Milliseconds"
    assert data.state is not None
    reason = data.state.decode_reason_data()
    assert reason["threshold"] == 1500.0
    assert reason["recentDatapoints"] == [1544.0, 1690.5, 1873.2]


def test_metric_math_alarm() -> None:
    event = _alarm("cloudwatch-alarm-metric-math")
    assert not event.is_alarm()
    assert event.state_value() == "INSUFFICIENT_DATA"
    assert event.alarm_data is not None and event.alarm_data.configuration is not None
    metrics = event.alarm_data.configuration.metrics or []
    assert [m.id for m in metrics] == ["errors", "invocations", "error_rate"]
    assert metrics[2].expression == "100 * errors / invocations"
    assert metrics[2].metric_stat is None
    assert event.alarm_data.configuration.description is None


def test_composite_alarm() -> None:
    event = _alarm("cloudwatch-alarm-composite")
    assert event.is_composite()
    assert event.alarm_data is not None and event.alarm_data.configuration is not None
    config = event.alarm_data.configuration
    assert config.actions_suppressor_wait_period == 120
    assert config.metrics is None
    state = event.alarm_data.state
    assert state is not None
    assert state.actions_suppressed_by == "WaitPeriod"
    triggering = state.decode_reason_data()["triggeringAlarms"]
    assert triggering[0]["state"]["value"] == "ALARM"


def test_reason_data_errors() -> None:
    with pytest.raises(ValueError, match="no reasonData"):
        CloudWatchAlarmState().decode_reason_data()
    with pytest.raises(lambdago.DecodeError):
        CloudWatchAlarmState(reason_data="{not json").decode_reason_data()
    assert CloudWatchAlarmEvent().state_value() is None
    assert not CloudWatchAlarmEvent().is_composite()


def test_changed_times_are_written_in_the_alarm_layout() -> None:
    event = _alarm("cloudwatch-alarm-metric")
    event.time = dt.datetime(2025, 2, 1, 10, 0, 0, 7000, tzinfo=UTC)
    assert _json(event)["time"] == "2025-02-01T10:00:00.007+0000"
    naive = CloudWatchAlarmEvent(time=dt.datetime(2025, 2, 1, 10, 0))
    assert _json(naive)["time"] == "2025-02-01T10:00:00.000+0000"
    offset = dt.timezone(dt.timedelta(hours=5, minutes=30))
    assert CloudWatchAlarmTime.encode(dt.datetime(2025, 2, 1, 10, 0, tzinfo=offset)) == (
        "2025-02-01T10:00:00.000+0530"
    )


def test_alarm_time_errors() -> None:
    with pytest.raises(lambdago.DecodeError, match=r"time: expected str"):
        lambdago.decode(b'{"time": 17}', CloudWatchAlarmEvent)
    with pytest.raises(lambdago.DecodeError, match="invalid CloudWatch alarm time"):
        lambdago.decode(b'{"time": "yesterday"}', CloudWatchAlarmEvent)
    # RFC 3339 is accepted too, and a time without offset is UTC
    assert CloudWatchAlarmTime.decode("2025-01-09T08:41:30Z") == dt.datetime(
        2025, 1, 9, 8, 41, 30, tzinfo=UTC
    )
    assert CloudWatchAlarmTime.decode("2025-01-09T08:41:30.5").tzinfo is UTC
    # the layout of the samples in AWS's documentation: spaces after the colons
    assert CloudWatchAlarmTime.decode("2023-08-04T12: 36: 15.490+0000") == dt.datetime(
        2023, 8, 4, 12, 36, 15, 490000, tzinfo=UTC
    )
    with pytest.raises(TypeError):
        CloudWatchAlarmTime.encode("2025-01-09")


@given(
    st.datetimes(
        min_value=dt.datetime(1970, 1, 1),
        max_value=dt.datetime(9999, 1, 1),
        timezones=st.just(UTC),
    ).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
)
def test_alarm_times_round_trip(value: dt.datetime) -> None:
    text = CloudWatchAlarmTime.encode(value)
    assert len(text) == 28 and text.endswith("+0000")
    assert CloudWatchAlarmTime.decode(text) == value
