"""Amazon MQ events: ActiveMQ and RabbitMQ."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    ActiveMQEvent,
    ActiveMQMessage,
    RabbitMQBasicProperties,
    RabbitMQEvent,
    RabbitMQMessage,
)


def encoded(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


@dataclasses.dataclass
class Invoice:
    invoiceId: str
    customer: str
    amountDue: str
    currency: str


def test_activemq_sample() -> None:
    raw = lambdago.events.sample("activemq")
    event = lambdago.decode(raw, ActiveMQEvent)
    assert encoded(event) == json.loads(raw)
    assert event.messages is not None
    text, binary = event.messages
    assert text.destination is not None
    assert text.destination.physical_name == "invoices.pending"
    assert text.decode_data(Invoice).amountDue == "1480.00"
    assert text.timestamp == 1741955873441
    assert text.sent_at == datetime(2025, 3, 14, 12, 37, 53, 441000, tzinfo=UTC)
    assert text.expires_at == datetime(2025, 3, 15, 12, 37, 53, 441000, tzinfo=UTC)
    assert text.broker_in_at is not None
    assert text.broker_out_at is not None
    assert text.broker_out_at > text.broker_in_at
    assert text.properties == {"tenant": "acme-uk", "source": "billing-service"}
    assert binary.expiration == 0
    assert binary.expires_at is None
    assert binary.data_bytes() == b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    assert binary.properties is None


def test_activemq_message_helpers_without_data() -> None:
    message = ActiveMQMessage()
    assert message.data_bytes() is None
    assert message.sent_at is None
    with pytest.raises(ValueError, match="no data"):
        message.decode_data()
    with pytest.raises(ValueError, match="not valid base64"):
        ActiveMQMessage(data="!!").data_bytes()


def test_activemq_wrong_types_are_decode_errors() -> None:
    with pytest.raises(lambdago.DecodeError, match=r"messages\[0\]\.timestamp: expected int"):
        lambdago.decode(b'{"messages": [{"timestamp": "yesterday"}]}', ActiveMQEvent)


@pytest.mark.parametrize(
    ("sent", "expected"), [("86400000", 86400000), (" 0 ", 0), ("", None), (5000, 5000)]
)
def test_activemq_expiration_as_string(sent: object, expected: int | None) -> None:
    # AWS's documented example event writes the expiration as a string of digits.
    raw = {
        "eventSource": "aws:mq",
        "eventSourceArn": "arn:aws:mq:eu-west-1:210987654321:broker:orders:b-4e1c0a7d-2b9f-4c3e-8d5a-6f0e1b2c3d4e",
        "messages": [
            {
                "messageID": "ID:b-4e1c0a7d-2b9f-4c3e-8d5a-6f0e1b2c3d4e-1.mq.eu-west-1.amazonaws.com-40133-1741955873000-3:1:1:1:7",
                "messageType": "jms/text-message",
                "deliveryMode": 2,
                "expiration": sent,
                "timestamp": 1741955873441,
                "data": "eyJvcmRlciI6ICJvLTE3In0=",
            }
        ],
    }
    event = lambdago.decode(json.dumps(raw), ActiveMQEvent)
    assert event.messages is not None
    message = event.messages[0]
    assert message.expiration == expected
    assert encoded(event) == raw  # written back as sent
    message.expiration = 1741955873441 + 3_600_000
    assert encoded(event)["messages"][0]["expiration"] == 1741959473441
    assert message.expires_at == datetime(2025, 3, 14, 13, 37, 53, 441000, tzinfo=UTC)


def test_activemq_expiration_still_checked() -> None:
    with pytest.raises(lambdago.DecodeError, match=r"messages\[0\]\.expiration: expected int"):
        lambdago.decode(b'{"messages": [{"expiration": "tomorrow"}]}', ActiveMQEvent)


# AWS's documentation example spells two keys differently from the service (and from
# aws-lambda-go's tags, whose Go decoder reads both because it ignores case as a fallback).
DOC_SPELLING = {
    "eventSource": "aws:mq",
    "messages": [
        {
            "messageID": "ID:b-1:1:1:1:1",
            "correlationId": "myJMSCoID",
            "destination": {"physicalname": "testQueue"},
            "data": "QUJDOkFBQUE=",
        }
    ],
}


@pytest.mark.parametrize("options", [{}, {"lazy": True}, {"strict": True}])
def test_activemq_documentation_spellings_are_read(options: dict[str, bool]) -> None:
    raw = json.dumps(DOC_SPELLING)
    event = lambdago.decode(raw, ActiveMQEvent, **options)
    assert event.messages is not None
    message = event.messages[0]
    assert message.correlation_id == "myJMSCoID"
    assert message.destination is not None
    assert message.destination.physical_name == "testQueue"
    assert encoded(event) == DOC_SPELLING  # unchanged: the spelling it came with


def test_activemq_changed_value_goes_out_under_the_service_spelling() -> None:
    event = lambdago.decode(json.dumps(DOC_SPELLING), ActiveMQEvent)
    assert event.messages is not None
    event.messages[0].correlation_id = "other"
    out = encoded(event)["messages"][0]
    assert out["correlationID"] == "other"
    assert "correlationId" not in out
    assert out["destination"] == {"physicalname": "testQueue"}
    event.messages[0].correlation_id = None
    out = encoded(event)["messages"][0]
    assert "correlationID" not in out and "correlationId" not in out


def test_activemq_service_spelling_wins_and_errors_name_the_key_sent() -> None:
    both = {"messages": [{"correlationID": "service", "correlationId": "docs"}]}
    event = lambdago.decode(json.dumps(both), ActiveMQEvent)
    assert event.messages is not None
    assert event.messages[0].correlation_id == "service"
    assert encoded(event) == both
    with pytest.raises(lambdago.DecodeError) as info:
        lambdago.decode(b'{"messages": [{"correlationId": 7}]}', ActiveMQEvent)
    assert str(info.value) == "messages[0].correlationId: expected str, got int"


def test_rabbitmq_sample() -> None:
    raw = lambdago.events.sample("rabbitmq")
    event = lambdago.decode(raw, RabbitMQEvent)
    assert encoded(event) == json.loads(raw)
    messages = list(event.all_messages())
    assert [queue for queue, _ in messages] == ["email-outbox::/", "sms-outbox::/prod"]
    email = messages[0][1]
    props = email.basic_properties
    assert props is not None
    assert props.content_encoding is None
    assert props.header("x-tenant") == b"acme-us"
    assert props.header("x-attempt") == 1
    assert props.header("x-priority-lane") is True
    assert props.header("absent") is None
    assert email.decode_data()["template"] == "welcome"
    sms = messages[1][1]
    assert sms.redelivered is True
    assert sms.data_bytes() == b"Your verification code is 482913."
    assert sms.basic_properties is not None
    assert sms.basic_properties.header("x") is None


def test_rabbitmq_nulls_stay_null() -> None:
    raw = json.loads(lambdago.events.sample("rabbitmq"))
    event = lambdago.decode(json.dumps(raw), RabbitMQEvent)
    props = encoded(event)["rmqMessagesByQueue"]["sms-outbox::/prod"][0]["basicProperties"]
    assert props["messageId"] is None
    assert props["headers"] is None


def test_rabbitmq_header_bytes_are_signed() -> None:
    props = RabbitMQBasicProperties(
        headers={"sig": {"bytes": [-1, 0, 65]}, "odd": {"bytes": ["x"]}, "other": {"k": 1}}
    )
    assert props.header("sig") == b"\xff\x00A"
    assert props.header("odd") == {"bytes": ["x"]}
    assert props.header("other") == {"k": 1}


def test_rabbitmq_message_without_data() -> None:
    with pytest.raises(ValueError, match="no data"):
        RabbitMQMessage().decode_data()
    with pytest.raises(ValueError, match="not valid base64"):
        RabbitMQMessage(data="a").data_bytes()
