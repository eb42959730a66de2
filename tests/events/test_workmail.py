"""Amazon WorkMail message flow: the event and the synchronous rule's response."""

from __future__ import annotations

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    WorkMailMessageFlowActionTypeBypassSpamCheck,
    WorkMailMessageFlowDirectionInbound,
    WorkMailMessageFlowDirectionOutbound,
    WorkMailMessageFlowEvent,
    WorkMailMessageFlowResponse,
    WorkMailMessageFlowResponseAction,
    workmail,
)
from tests.events._exact import as_json, roundtrip_sample


@pytest.mark.parametrize("name", sorted(workmail.SAMPLES))
def test_samples_round_trip_exactly(name: str) -> None:
    value = roundtrip_sample(name)
    assert isinstance(value, getattr(lambdago.events, workmail.SAMPLES[name]))


def test_exports() -> None:
    for name in workmail.__all__:
        assert getattr(lambdago.events, name) is getattr(workmail, name)


def test_events() -> None:
    inbound = roundtrip_sample("workmail-message-flow-inbound")
    assert isinstance(inbound, WorkMailMessageFlowEvent)
    assert inbound.flow_direction == WorkMailMessageFlowDirectionInbound
    assert inbound.recipient_addresses() == [
        "accounts@corp.example.com",
        "m.oconnor@corp.example.com",
    ]
    assert inbound.envelope is not None
    assert inbound.envelope.mail_from is not None
    assert inbound.envelope.mail_from.address == "billing@supplier-example.de"
    assert inbound.sender is not None
    assert inbound.truncated is False
    outbound = roundtrip_sample("workmail-message-flow-outbound")
    assert isinstance(outbound, WorkMailMessageFlowEvent)
    assert outbound.flow_direction == WorkMailMessageFlowDirectionOutbound
    assert WorkMailMessageFlowEvent().recipient_addresses() == []


def test_builders_reproduce_the_response_sample() -> None:
    built = WorkMailMessageFlowResponse.of(
        WorkMailMessageFlowResponseAction.move_to_junk(["m.oconnor@corp.example.com"]),
        WorkMailMessageFlowResponseAction.bounce(
            "Invoices must be sent through the supplier portal.",
            ["accounts@corp.example.com"],
        ),
    )
    assert as_json(built) == as_json(roundtrip_sample("workmail-message-flow-response"))


def test_action_builders() -> None:
    assert as_json(WorkMailMessageFlowResponseAction.default()) == {
        "action": {"type": "DEFAULT"},
        "allRecipients": True,
    }
    assert as_json(WorkMailMessageFlowResponseAction.drop(iter(["a@x.example"]))) == {
        "action": {"type": "DROP"},
        "recipients": ["a@x.example"],
    }
    spam = WorkMailMessageFlowResponseAction.bypass_spam_check()
    assert spam.action is not None
    assert spam.action.type == WorkMailMessageFlowActionTypeBypassSpamCheck
    assert as_json(WorkMailMessageFlowResponseAction.bounce("no")) == {
        "action": {"type": "BOUNCE", "parameters": {"bounceMessage": "no"}},
        "allRecipients": True,
    }
    with pytest.raises(TypeError, match="not one string"):
        WorkMailMessageFlowResponseAction.drop("a@x.example")
    assert as_json(WorkMailMessageFlowResponse.of()) == {"actions": []}


def test_bad_action_list_is_a_decode_error() -> None:
    with pytest.raises(lambdago.DecodeError, match=r"actions\[0\]\.recipients"):
        lambdago.decode(b'{"actions": [{"recipients": "a@x"}]}', WorkMailMessageFlowResponse)
