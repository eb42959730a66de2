"""SNS events, SNS messages decoded into types, and CloudWatch alarm payloads."""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

import lambdago
from lambdago.events import (
    CloudWatchAlarmSNSPayload,
    SNSEntity,
    SNSEvent,
    sample,
)


@pytest.mark.parametrize("name", ["sns", "sns-cloudwatch-alarm"])
def test_samples_roundtrip(name: str) -> None:
    raw = sample(name)
    assert json.loads(lambdago.encode(lambdago.decode(raw, SNSEvent))) == json.loads(raw)


def test_fields() -> None:
    event = lambdago.decode(sample("sns"), SNSEvent)
    record = (event.records or [])[0]
    assert record.event_source == "aws:sns"
    entity = record.sns
    assert entity is not None
    assert entity.timestamp == datetime(2025, 2, 11, 8, 15, 3, 218000, tzinfo=UTC)
    assert entity.message_attributes == {
        "tenant": {"Type": "String", "Value": "northwind"},
        "priority": {"Type": "Number", "Value": "2"},
    }
    assert entity.signing_cert_url is not None
    assert entity.signing_cert_url.startswith("https://")


def test_url_keys_spelled_as_http_subscriptions_spell_them() -> None:
    # SNS's HTTP notifications (and some published samples) write SigningCertURL and
    # UnsubscribeURL; an SNS event writes ...Url. Both are read; unchanged, the spelling
    # that came is kept.
    entity = {
        "Type": "Notification",
        "Message": "hello",
        "SigningCertURL": "https://sns.us-east-1.amazonaws.com/cert.pem",
        "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
    }
    raw = json.dumps({"Records": [{"EventSource": "aws:sns", "Sns": entity}]})
    event = lambdago.decode(raw, SNSEvent, strict=True)
    got = (event.records or [])[0].sns
    assert got is not None
    assert got.signing_cert_url == entity["SigningCertURL"]
    assert got.unsubscribe_url == entity["UnsubscribeURL"]
    assert json.loads(lambdago.encode(event)) == json.loads(raw)


@dataclass
class InvoicePaid:
    invoiceId: str
    status: str
    paidAt: datetime


def test_decode_message_into_a_type() -> None:
    entity = (lambdago.decode(sample("sns"), SNSEvent).records or [])[0].sns
    assert entity is not None
    paid = entity.decode_message(InvoicePaid)
    assert paid.invoiceId == "INV-2025-00417"
    assert paid.paidAt == datetime(2025, 2, 11, 8, 15, 2, tzinfo=UTC)
    assert entity.decode_message()["status"] == "paid"


def test_decode_message_errors() -> None:
    with pytest.raises(ValueError, match="no message"):
        SNSEntity().decode_message()
    entity = SNSEntity()
    entity.message = "not json"
    with pytest.raises(lambdago.DecodeError, match="malformed JSON"):
        entity.decode_message()
    entity.message = '{"invoiceId": 7}'
    with pytest.raises(lambdago.DecodeError) as info:
        entity.decode_message(InvoicePaid)
    assert info.value.path == "invoiceId"


def test_cloudwatch_alarm_payload() -> None:
    entity = (lambdago.decode(sample("sns-cloudwatch-alarm"), SNSEvent).records or [])[0].sns
    assert entity is not None
    assert entity.message is not None
    alarm = entity.decode_message(CloudWatchAlarmSNSPayload)
    assert isinstance(alarm, CloudWatchAlarmSNSPayload)
    assert alarm.new_state_value == "ALARM"
    assert alarm.old_state_value == "OK"
    assert alarm.state_change_time == "2025-02-11T09:42:17.655+0000"
    trigger = alarm.trigger
    assert trigger is not None
    assert trigger.threshold == 5.0
    assert isinstance(trigger.threshold, float)
    assert trigger.metric_name is None
    metrics = trigger.metrics or []
    assert [m.id for m in metrics] == ["rate", "errors", "requests"]
    assert metrics[0].expression == "100 * errors / requests"
    assert metrics[0].metric_stat is None
    stat = metrics[1].metric_stat
    assert stat is not None
    assert stat.metric is not None
    assert stat.metric.metric_name == "5XXError"
    assert [(d.name, d.value) for d in stat.metric.dimensions or []] == [
        ("ApiName", "checkout-api"),
        ("Stage", "prod"),
    ]
    assert metrics[1].return_data is False
    # Keys the type does not model (AlarmActions, DatapointsToAlarm …) come back.
    assert json.loads(lambdago.encode(alarm)) == json.loads(entity.message)


@pytest.mark.parametrize(
    "name",
    [
        "cloudwatch-alarm-sns-payload-single-metric.json",
        "cloudwatch-alarm-sns-payload-multiple-metrics.json",
    ],
)
def test_upstream_alarm_payloads_via_decode_message(
    conformance_dir: pathlib.Path, name: str
) -> None:
    raw = (conformance_dir / "testdata" / name).read_bytes()
    for record in lambdago.decode(raw, SNSEvent).records or []:
        assert record.sns is not None
        assert record.sns.message is not None
        alarm = record.sns.decode_message(CloudWatchAlarmSNSPayload)
        assert alarm.trigger is not None
        assert alarm.trigger.period == 60
        assert json.loads(lambdago.encode(alarm)) == json.loads(record.sns.message)
