"""SES receipt events and the disposition a rule's function returns."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

import lambdago
from lambdago.events import (
    SimpleEmailContinue,
    SimpleEmailDisposition,
    SimpleEmailEvent,
    SimpleEmailStopRule,
    SimpleEmailStopRuleSet,
    sample,
)


@pytest.mark.parametrize(
    ("name", "cls"),
    [("ses-receipt", SimpleEmailEvent), ("ses-disposition", SimpleEmailDisposition)],
)
def test_samples_roundtrip(name: str, cls: type) -> None:
    raw = sample(name)
    assert json.loads(lambdago.encode(lambdago.decode(raw, cls))) == json.loads(raw)


def test_fields() -> None:
    event = lambdago.decode(sample("ses-receipt"), SimpleEmailEvent)
    ses = (event.records or [])[0].ses
    assert ses is not None
    assert ses.mail is not None
    assert ses.receipt is not None
    assert ses.mail.timestamp == datetime(2025, 4, 8, 16, 21, 9, 381000, tzinfo=UTC)
    headers = ses.mail.common_headers
    assert headers is not None
    assert headers.from_ == ["Maria Lopez <maria.lopez@example.net>"]
    assert headers.cc == ["orders@example.net"]
    assert ses.mail.headers_truncated is False
    assert [h.name for h in ses.mail.headers or []][:2] == ["Return-Path", "Received"]
    receipt = ses.receipt
    assert receipt.spam_verdict is not None
    assert receipt.spam_verdict.status == "PASS"
    assert receipt.processing_time_millis == 412
    assert receipt.action is not None
    assert receipt.action.invocation_type == "RequestResponse"
    assert receipt.action.bucket_name is None


def test_disposition_values() -> None:
    assert (SimpleEmailContinue, SimpleEmailStopRule, SimpleEmailStopRuleSet) == (
        "CONTINUE",
        "STOP_RULE",
        "STOP_RULE_SET",
    )
    result = SimpleEmailDisposition()
    result.disposition = SimpleEmailStopRule
    assert lambdago.encode(result) == b'{"disposition":"STOP_RULE"}'


def test_s3_action_object_key_prefix() -> None:
    # An S3 receipt action names the bucket, the key prefix the rule writes under and the
    # key of the stored message; aws-lambda-go does not declare objectKeyPrefix.
    action = {
        "type": "S3",
        "topicArn": "arn:aws:sns:us-east-1:123456789012:inbound-mail",
        "bucketName": "inbound-mail-archive",
        "objectKeyPrefix": "support/",
        "objectKey": "support/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g81",
    }
    raw = json.dumps({"Records": [{"ses": {"receipt": {"action": action}}}]}).encode()
    event = lambdago.decode(raw, SimpleEmailEvent, strict=True)
    decoded = (event.records or [])[0].ses
    assert decoded is not None and decoded.receipt is not None
    assert decoded.receipt.action is not None
    assert decoded.receipt.action.object_key_prefix == "support/"
    assert json.loads(lambdago.encode(event)) == json.loads(raw)
