"""SQS events: samples, binary attributes, batch responses and SNS envelopes."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import pytest

import lambdago
from lambdago.events import (
    SNSEntity,
    SQSEvent,
    SQSEventResponse,
    SQSMessage,
    SQSMessageAttribute,
    sample,
)


def _load(name: str) -> SQSEvent:
    return lambdago.decode(sample(name), SQSEvent)


def _roundtrip(raw: bytes | str, cls: Any) -> Any:
    return json.loads(lambdago.encode(lambdago.decode(raw, cls)))


@pytest.mark.parametrize("name", ["sqs", "sqs-fifo", "sqs-from-sns"])
def test_samples_roundtrip(name: str) -> None:
    assert _roundtrip(sample(name), SQSEvent) == json.loads(sample(name))


def test_binary_list_values_are_bytes_and_keep_their_spelling() -> None:
    raw = json.dumps(
        {"binaryValue": "AAEC", "binaryListValues": ["MA==", "//8="], "dataType": "Binary"}
    )
    attr = lambdago.decode(raw, SQSMessageAttribute)
    assert attr.binary_value == b"\x00\x01\x02"
    assert attr.binary_list_values == [b"0", b"\xff\xff"]
    assert json.loads(lambdago.encode(attr)) == json.loads(raw)
    attr.binary_list_values = [b"hi"]
    assert json.loads(lambdago.encode(attr))["binaryListValues"] == ["aGk="]


def test_invalid_base64_in_a_binary_list_names_its_index() -> None:
    raw = '{"Records":[{"messageAttributes":{"a":{"binaryListValues":["MA==","not base64!"]}}}]}'
    with pytest.raises(lambdago.DecodeError) as info:
        lambdago.decode(raw, SQSEvent)
    assert info.value.path == "Records[0].messageAttributes.a.binaryListValues[1]"
    with pytest.raises(lambdago.DecodeError, match="expected list"):
        lambdago.decode('{"binaryListValues": "MA=="}', SQSMessageAttribute)


@dataclass
class Order:
    orderId: str
    quantity: int
    sku: str


def test_decode_body() -> None:
    message = (_load("sqs").records or [])[0]
    assert message.decode_body(Order) == Order("A-1042", 3, "BLUE-MUG")
    with pytest.raises(ValueError, match="no body"):
        SQSMessage().decode_body()


# -- partial batch responses ---------------------------------------------------------------


def test_process_reports_failed_messages_and_continues_on_a_standard_queue() -> None:
    event = _load("sqs-fifo")
    for m in event.records or []:
        m.event_source_arn = "arn:aws:sqs:eu-central-1:210987654321:ledger-entries"
    calls: list[str | None] = []

    def handle(m: SQSMessage) -> None:
        calls.append(m.message_id)
        if m.decode_body()["type"] == "debit":
            raise ValueError("insufficient funds")

    response = event.process(handle)
    first, second = (m.message_id for m in event.records or [])
    assert calls == [first, second]
    assert json.loads(lambdago.encode(response)) == {
        "batchItemFailures": [{"itemIdentifier": first}]
    }


def test_process_stops_at_the_first_failure_on_a_fifo_queue() -> None:
    event = _load("sqs-fifo")
    calls: list[str | None] = []
    errors: list[Exception] = []

    def handle(m: SQSMessage) -> None:
        calls.append(m.message_id)
        raise RuntimeError("downstream unavailable")

    response = event.process(handle, on_error=lambda m, e: errors.append(e))
    ids = [m.message_id for m in event.records or []]
    assert calls == ids[:1]
    assert [f.item_identifier for f in response.batch_item_failures or []] == ids
    assert len(errors) == 1
    assert str(errors[0]) == "downstream unavailable"


def test_process_stop_can_be_forced_either_way() -> None:
    event = _load("sqs-fifo")

    def fail(m: SQSMessage) -> None:
        raise RuntimeError

    assert len(event.process(fail, stop_at_first_failure=False).batch_item_failures or []) == 2
    calls: list[SQSMessage] = []
    standard = _load("sqs")
    standard.records = (standard.records or []) * 2
    standard.process(lambda m: calls.append(m) or fail(m), stop_at_first_failure=True)
    assert len(calls) == 1


def test_process_all_good_and_empty_batches() -> None:
    assert json.loads(lambdago.encode(_load("sqs").process(lambda m: None))) == {
        "batchItemFailures": []
    }
    assert SQSEvent().process(lambda m: None).batch_item_failures == []


def test_process_async() -> None:
    event = _load("sqs-fifo")
    seen: list[str | None] = []

    async def handle(m: SQSMessage) -> None:
        await asyncio.sleep(0)
        seen.append(m.message_id)
        if m.decode_body()["type"] == "credit":
            raise ValueError

    response = asyncio.run(event.process_async(handle))
    ids = [m.message_id for m in event.records or []]
    assert seen == ids
    assert [f.item_identifier for f in response.batch_item_failures or []] == ids[1:]


def test_from_failed() -> None:
    response = SQSEventResponse.from_failed(["m1", "m2"])
    assert json.loads(lambdago.encode(response)) == {
        "batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m2"}]
    }


def test_is_fifo() -> None:
    assert all(m.is_fifo() for m in _load("sqs-fifo").records or [])
    assert not any(m.is_fifo() for m in _load("sqs").records or [])
    assert not SQSMessage().is_fifo()


# -- SQS messages carrying SNS notifications ------------------------------------------------


def test_sns_envelope_gives_the_sns_entity() -> None:
    message = (_load("sqs-from-sns").records or [])[0]
    entity = message.sns_envelope()
    assert isinstance(entity, SNSEntity)
    assert entity.type == "Notification"
    assert entity.topic_arn == "arn:aws:sns:us-east-2:444455556666:order-events"
    assert entity.subject == "OrderPlaced"
    assert entity.timestamp is not None
    assert entity.timestamp.year == 2025
    assert entity.message_attributes == {"channel": {"Type": "String", "Value": "web"}}
    # SQS delivery spells these ...URL; they land in the fields an SNS event uses.
    assert entity.signing_cert_url is not None
    assert entity.signing_cert_url.endswith(".pem")
    assert entity.unsubscribe_url is not None
    assert "Action=Unsubscribe" in entity.unsubscribe_url
    encoded = json.loads(lambdago.encode(entity))
    assert "SigningCertUrl" in encoded
    assert "SigningCertURL" not in encoded
    assert "UnsubscribeUrl" in encoded
    assert "UnsubscribeURL" not in encoded


@dataclass
class Placed:
    orderId: str
    customerId: str
    total: float
    items: int


@dataclass
class OrderRef:
    orderId: str


def test_decode_sns_message() -> None:
    message = (_load("sqs-from-sns").records or [])[0]
    assert message.decode_sns_message(Placed) == Placed("O-778102", "C-5521", 89.97, 3)
    assert message.decode_sns_message()["items"] == 3
    assert message.decode_sns_message(OrderRef) == OrderRef("O-778102")
    with pytest.raises(lambdago.DecodeError, match="unknown field 'customerId'"):
        message.decode_sns_message(OrderRef, strict=True)


def _message(body: str | None) -> SQSMessage:
    m = SQSMessage()
    m.body = body
    return m


def test_raw_message_delivery_is_reported() -> None:
    # Raw delivery: the body is the published message itself.
    for body in ['{"orderId":"O-1","total":3}', "plain text order", "[1, 2]", "42"]:
        with pytest.raises(lambdago.DecodeError, match="raw message delivery"):
            _message(body).sns_envelope()


def test_a_body_that_is_not_a_notification() -> None:
    confirmation = json.dumps(
        {
            "Type": "SubscriptionConfirmation",
            "TopicArn": "arn:aws:sns:us-east-1:1:t",
            "Message": "x",
        }
    )
    with pytest.raises(
        lambdago.DecodeError, match="'SubscriptionConfirmation', not 'Notification'"
    ):
        _message(confirmation).sns_envelope()
    no_message = json.dumps({"Type": "Notification", "TopicArn": "arn:aws:sns:us-east-1:1:t"})
    with pytest.raises(lambdago.DecodeError, match="no Message"):
        _message(no_message).sns_envelope()
    with pytest.raises(lambdago.DecodeError, match="not an SNS notification envelope: malformed"):
        _message('{"Type": "Notification", ').sns_envelope()
    wrong = json.dumps({"Type": "Notification", "TopicArn": "t", "Message": 5})
    with pytest.raises(lambdago.DecodeError) as info:
        _message(wrong).sns_envelope()
    assert info.value.path == "Message"
    with pytest.raises(ValueError, match="no body"):
        _message(None).sns_envelope()
