"""Amazon CloudWatch alarms with a Lambda action: the event an alarm sends a function
directly (not through SNS) when its state changes.

One event shape serves metric alarms (``configuration.metrics``: the metric or metric
math the alarm watches) and composite alarms (``configuration.alarmRule`` and the
actions suppressor settings). Alarm times are sent as
``2025-01-09T08:41:30.513+0000`` (no colon in the offset, not RFC 3339); they decode
to ``datetime`` with the wire :data:`CloudWatchAlarmTime`, which writes that layout back.
``reasonData`` is a JSON document in a string; :meth:`CloudWatchAlarmState.decode_reason_data`
decodes it.

For alarms that notify through SNS, see ``CloudWatchAlarmSNSPayload`` (the SNS message).
"""

from __future__ import annotations

import datetime as _dt

from .._converters import Failure
from ._base import Wire, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "CloudWatchAlarmConfiguration",
    "CloudWatchAlarmData",
    "CloudWatchAlarmEvent",
    "CloudWatchAlarmMetric",
    "CloudWatchAlarmMetricDataQuery",
    "CloudWatchAlarmMetricStat",
    "CloudWatchAlarmState",
    "CloudWatchAlarmStateAlarm",
    "CloudWatchAlarmStateInsufficientData",
    "CloudWatchAlarmStateOK",
    "CloudWatchAlarmTime",
]

SAMPLES = {
    "cloudwatch-alarm-metric": "CloudWatchAlarmEvent",
    "cloudwatch-alarm-metric-math": "CloudWatchAlarmEvent",
    "cloudwatch-alarm-composite": "CloudWatchAlarmEvent",
}

CloudWatchAlarmStateOK: Final = "OK"
"""An alarm state: the watched value is within its threshold."""

CloudWatchAlarmStateAlarm: Final = "ALARM"
"""An alarm state: the watched value breached its threshold (or, for a composite
alarm, its rule is true)."""

CloudWatchAlarmStateInsufficientData: Final = "INSUFFICIENT_DATA"
"""An alarm state: not enough data to decide."""


def _decode_time(value: Any) -> _dt.datetime:
    if value.__class__ is not str:
        raise Failure(f"expected str (a CloudWatch alarm time), got {type(value).__name__}")
    try:
        parsed = _dt.datetime.fromisoformat(value)
    except ValueError:
        # The samples in AWS's own documentation carry spaces after the colons
        # ("2023-08-04T12: 36: 15.490+0000"); they are read as the time they mean.
        try:
            parsed = _dt.datetime.fromisoformat(value.replace(" ", ""))
        except ValueError:
            raise Failure(f"invalid CloudWatch alarm time: {value!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=_dt.UTC)


def _encode_time(value: _dt.datetime) -> str:
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.UTC)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}{value:%z}"


CloudWatchAlarmTime = Wire("cloudwatch-alarm-time", _decode_time, _encode_time, immutable=True)
"""A time as CloudWatch alarms send it: ``2025-01-09T08:41:30.513+0000`` (milliseconds,
an offset without a colon). Decodes to an aware ``datetime`` (RFC 3339 is accepted
too) and encodes back to that layout."""


@event
class CloudWatchAlarmState:
    """An alarm state: its value (``OK``, ``ALARM``, ``INSUFFICIENT_DATA``), why it was
    entered (text, and ``reasonData``, a JSON document in a string), when, and for a
    composite alarm whose actions were suppressed, by what and why."""

    value: str | None = field("value")
    reason: str | None = field("reason")
    reason_data: str | None = field("reasonData")
    timestamp: _dt.datetime | None = field("timestamp", wire=CloudWatchAlarmTime)
    actions_suppressed_by: str | None = field("actionsSuppressedBy")
    actions_suppressed_reason: str | None = field("actionsSuppressedReason")

    def decode_reason_data(self, type: Any = object, **options: Any) -> Any:
        """``reasonData`` decoded as JSON into ``type`` (``lambdago.decode`` options
        apply): for a metric alarm the evaluated data points and threshold, for a
        composite alarm the alarms that triggered it. Raises ``ValueError`` when the
        state has no ``reasonData``."""
        from ..codec import decode

        if self.reason_data is None:
            raise ValueError("this alarm state has no reasonData")
        return decode(self.reason_data, type, **options)


@event
class CloudWatchAlarmMetric:
    """A metric: its namespace, name and dimensions."""

    namespace: str | None = field("namespace")
    name: str | None = field("name")
    dimensions: dict[str, str] | None = field("dimensions")


@event
class CloudWatchAlarmMetricStat:
    """A metric with the statistic and period (seconds) the alarm evaluates, and its
    unit when the alarm names one."""

    metric: CloudWatchAlarmMetric | None = field("metric")
    period: int | None = field("period")
    stat: str | None = field("stat")
    unit: str | None = field("unit")


@event
class CloudWatchAlarmMetricDataQuery:
    """One metric or metric math expression of a metric alarm; ``returnData`` marks the
    one the alarm compares with its threshold."""

    id: str | None = field("id")
    metric_stat: CloudWatchAlarmMetricStat | None = field("metricStat")
    expression: str | None = field("expression")
    label: str | None = field("label")
    return_data: bool | None = field("returnData")
    period: int | None = field("period")


@event
class CloudWatchAlarmConfiguration:
    """The alarm's configuration: its description, and for a metric alarm the metrics
    it watches, for a composite alarm its rule and actions suppressor settings (wait
    and extension periods in seconds)."""

    description: str | None = field("description")
    metrics: list[CloudWatchAlarmMetricDataQuery] | None = field("metrics")
    alarm_rule: str | None = field("alarmRule")
    actions_suppressor: str | None = field("actionsSuppressor")
    actions_suppressor_wait_period: int | None = field("actionsSuppressorWaitPeriod")
    actions_suppressor_extension_period: int | None = field("actionsSuppressorExtensionPeriod")


@event
class CloudWatchAlarmData:
    """The alarm: its name, the state it entered, the state it left, its configuration."""

    alarm_name: str | None = field("alarmName")
    state: CloudWatchAlarmState | None = field("state")
    previous_state: CloudWatchAlarmState | None = field("previousState")
    configuration: CloudWatchAlarmConfiguration | None = field("configuration")


@event
class CloudWatchAlarmEvent:
    """What CloudWatch sends a function set as an alarm's action when the alarm changes
    state: the alarm's ARN, account, region and the time, and in ``alarmData`` the new
    and previous states and the alarm's configuration. ``source`` is
    ``aws.cloudwatch``."""

    source: str | None = field("source")
    alarm_arn: str | None = field("alarmArn")
    account_id: str | None = field("accountId")
    time: _dt.datetime | None = field("time", wire=CloudWatchAlarmTime)
    region: str | None = field("region")
    alarm_data: CloudWatchAlarmData | None = field("alarmData")

    def state_value(self) -> str | None:
        """The state the alarm entered (``OK``, ``ALARM``, ``INSUFFICIENT_DATA``)."""
        data = self.alarm_data
        state = data.state if data is not None else None
        return state.value if state is not None else None

    def is_alarm(self) -> bool:
        """Whether the alarm entered the ``ALARM`` state."""
        return self.state_value() == CloudWatchAlarmStateAlarm

    def is_composite(self) -> bool:
        """Whether the alarm is a composite alarm (its configuration has a rule)."""
        data = self.alarm_data
        config = data.configuration if data is not None else None
        return config is not None and config.alarm_rule is not None
