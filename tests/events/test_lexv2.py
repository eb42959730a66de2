"""Amazon Lex V2: code hook events, responses and the helpers building the answers."""

from __future__ import annotations

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    LexV2ActiveContext,
    LexV2DialogActionTypeClose,
    LexV2DialogActionTypeConfirmIntent,
    LexV2DialogActionTypeDelegate,
    LexV2DialogActionTypeElicitIntent,
    LexV2DialogActionTypeElicitSlot,
    LexV2Event,
    LexV2Intent,
    LexV2IntentStateFailed,
    LexV2InvocationSourceDialogCodeHook,
    LexV2InvocationSourceFulfillmentCodeHook,
    LexV2Message,
    LexV2Response,
    LexV2Slot,
    LexV2SlotValue,
    lexv2,
)
from tests.events._exact import as_json, roundtrip_sample


@pytest.mark.parametrize("name", sorted(lexv2.SAMPLES))
def test_samples_round_trip_exactly(name: str) -> None:
    value = roundtrip_sample(name)
    assert isinstance(value, getattr(lambdago.events, lexv2.SAMPLES[name]))


def test_exports() -> None:
    for name in lexv2.__all__:
        assert getattr(lambdago.events, name) is getattr(lexv2, name)


def _event(name: str) -> LexV2Event:
    value = roundtrip_sample(name)
    assert isinstance(value, LexV2Event)
    return value


def test_dialog_code_hook_sample() -> None:
    ev = _event("lexv2-dialog-code-hook")
    assert ev.invocation_source == LexV2InvocationSourceDialogCodeHook
    assert ev.bot is not None
    assert ev.bot.locale_id == "en_GB"
    intent = ev.intent()
    assert intent.name == "OrderFlowers"
    assert intent.slots is not None
    assert "PickupDate" in intent.slots
    assert intent.slot("PickupDate") is None
    assert intent.slot("Nope") is None
    assert intent.slot_value("FlowerType") == "roses"
    assert intent.slot_value("Quantity") == "12"
    assert intent.slot_value("PickupDate") is None
    assert ev.interpretations is not None
    top = ev.interpretations[0]
    assert top.nlu_confidence == 0.93
    assert top.sentiment_response is not None
    assert top.sentiment_response.sentiment_score is not None
    assert top.sentiment_response.sentiment_score.neutral == 0.9214
    assert ev.interpretations[1].nlu_confidence is None
    assert ev.proposed_next_state is not None
    assert ev.proposed_next_state.prompt is not None
    assert ev.proposed_next_state.prompt.attempt == "Initial"
    assert ev.session_state is not None
    contexts = ev.session_state.active_contexts
    assert contexts is not None
    assert contexts[0].time_to_live is not None
    assert contexts[0].time_to_live.turns_to_live == 5


def test_fulfillment_code_hook_sample_with_list_slot() -> None:
    ev = _event("lexv2-fulfillment-code-hook")
    assert ev.invocation_source == LexV2InvocationSourceFulfillmentCodeHook
    intent = ev.intent()
    colours = intent.slot("Colours")
    assert colours is not None
    assert colours.shape == "List"
    assert colours.interpreted_values() == ["yellow and white", "yellow", "white"]
    assert intent.slot_value("Colours") == "yellow and white"
    assert ev.transcriptions is not None
    assert ev.transcriptions[1].transcription_confidence == 0.41
    assert ev.transcriptions[0].resolved_context is not None
    assert ev.transcriptions[0].resolved_context.intent == "OrderFlowers"
    assert ev.interpretations is not None
    assert ev.interpretations[0].nlu_confidence == 1.0


def test_list_slot_without_top_level_value() -> None:
    slot = LexV2Slot(
        shape="List",
        values=[
            LexV2Slot(shape="Scalar", value=LexV2SlotValue(interpreted_value="a")),
            LexV2Slot(shape="Scalar", value=LexV2SlotValue(original_value="b?")),
        ],
    )
    assert slot.interpreted_values() == ["a"]
    assert LexV2Intent(slots={"s": slot}).slot_value("s") == "a"


def test_elicit_slot_keeps_the_session() -> None:
    ev = _event("lexv2-dialog-code-hook")
    resp = ev.elicit_slot(
        "PickupDate", "Lovely choice. Which day would you like to collect your roses?"
    )
    out = as_json(resp)
    state = out["sessionState"]
    assert state["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "PickupDate"}
    assert state["sessionAttributes"] == {"customerTier": "gold", "cartId": "c-20250314-8812"}
    assert state["activeContexts"][0]["name"] == "ShopContext"
    assert state["intent"]["name"] == "OrderFlowers"
    assert state["intent"]["state"] == "InProgress"
    assert state["intent"]["slots"]["PickupDate"] is None
    assert state["intent"]["slots"]["FlowerType"]["value"]["interpretedValue"] == "roses"
    assert out["messages"] == [
        {
            "contentType": "PlainText",
            "content": "Lovely choice. Which day would you like to collect your roses?",
        }
    ]
    # The sample response is what this answer looks like (without the card and contexts).
    sample = as_json(roundtrip_sample("lexv2-elicit-slot-response"))
    assert sample["sessionState"]["intent"] == state["intent"]
    assert sample["sessionState"]["dialogAction"] == state["dialogAction"]


def test_close_does_not_change_the_event() -> None:
    ev = _event("lexv2-fulfillment-code-hook")
    resp = ev.close("Thank you.")
    assert resp.session_state is not None
    assert resp.session_state.intent is not None
    assert resp.session_state.intent.state == "Fulfilled"
    assert resp.session_state.dialog_action is not None
    assert resp.session_state.dialog_action.type == LexV2DialogActionTypeClose
    assert ev.intent().state == "ReadyForFulfillment"
    failed = ev.close(state=LexV2IntentStateFailed)
    assert as_json(failed) == {
        "sessionState": {
            "sessionAttributes": {"callerRegion": "GB"},
            "dialogAction": {"type": "Close"},
            "intent": {
                "name": "OrderFlowers",
                "slots": as_json(ev.intent())["slots"],
                "state": "Failed",
                "confirmationState": "Confirmed",
            },
        }
    }


def test_other_answers() -> None:
    ev = _event("lexv2-dialog-code-hook")
    delegate = as_json(ev.delegate())
    assert delegate["sessionState"]["dialogAction"] == {"type": LexV2DialogActionTypeDelegate}
    assert "messages" not in delegate
    confirm = as_json(ev.confirm_intent([LexV2Message(content_type="SSML", content="<speak/>")]))
    assert confirm["sessionState"]["dialogAction"] == {"type": LexV2DialogActionTypeConfirmIntent}
    assert confirm["messages"] == [{"contentType": "SSML", "content": "<speak/>"}]
    elicit = as_json(ev.elicit_intent(LexV2Message.plain_text("Anything else?")))
    assert elicit["sessionState"]["dialogAction"] == {"type": LexV2DialogActionTypeElicitIntent}
    assert "intent" not in elicit["sessionState"]
    assert elicit["messages"] == [{"contentType": "PlainText", "content": "Anything else?"}]


def test_response_classmethods_without_an_event() -> None:
    intent = LexV2Intent(name="BookTable")
    intent.set_slot("Guests", "4")
    intent.set_slot("Time", None)
    resp = LexV2Response.elicit_slot(
        intent,
        "Time",
        session_attributes={"k": "v"},
        active_contexts=[LexV2ActiveContext(name="c")],
    )
    assert as_json(resp) == {
        "sessionState": {
            "activeContexts": [{"name": "c"}],
            "sessionAttributes": {"k": "v"},
            "dialogAction": {"type": LexV2DialogActionTypeElicitSlot, "slotToElicit": "Time"},
            "intent": {
                "name": "BookTable",
                "slots": {
                    "Guests": {
                        "shape": "Scalar",
                        "value": {
                            "originalValue": "4",
                            "interpretedValue": "4",
                            "resolvedValues": ["4"],
                        },
                    },
                    "Time": None,
                },
            },
        }
    }
    assert LexV2Response.elicit_intent().messages is None


def test_events_without_state() -> None:
    ev = LexV2Event()
    with pytest.raises(ValueError, match="no current intent"):
        ev.intent()
    with pytest.raises(ValueError, match="no current intent"):
        ev.close("bye")
    assert as_json(ev.elicit_intent("Hi")) == {
        "sessionState": {"dialogAction": {"type": "ElicitIntent"}},
        "messages": [{"contentType": "PlainText", "content": "Hi"}],
    }
    ev.session_attributes()["seen"] = "1"
    assert as_json(ev) == {"sessionState": {"sessionAttributes": {"seen": "1"}}}


def test_session_attributes_written_on_the_event_are_sent_back() -> None:
    ev = _event("lexv2-dialog-code-hook")
    ev.session_attributes()["step"] = "2"
    out = as_json(ev.delegate())
    assert out["sessionState"]["sessionAttributes"]["step"] == "2"


def test_composite_slot_and_sub_slot_elicitation() -> None:
    raw = (
        b'{"sessionState": {"dialogAction": {"type": "ElicitSlot", "slotToElicit": "Address",'
        b' "subSlotToElicit": {"name": "Street", "subSlotToElicit": {"name": "Number"}}},'
        b' "intent": {"name": "Ship", "slots": {"Address": {"subSlots": {"City": {"shape":'
        b' "Scalar", "value": {"originalValue": "Leeds", "interpretedValue": "Leeds",'
        b' "resolvedValues": ["Leeds"]}}, "Street": null}}}}}}'
    )
    ev: LexV2Event = lambdago.decode(raw, LexV2Event)
    assert ev.session_state is not None
    action = ev.session_state.dialog_action
    assert action is not None
    assert action.sub_slot_to_elicit is not None
    assert action.sub_slot_to_elicit.sub_slot_to_elicit is not None
    assert action.sub_slot_to_elicit.sub_slot_to_elicit.name == "Number"
    address = ev.intent().slot("Address")
    assert address is not None
    assert address.sub_slots is not None
    city = address.sub_slots["City"]
    assert city is not None
    assert city.interpreted_values() == ["Leeds"]
    assert address.sub_slots["Street"] is None


def test_wrong_slot_shape_is_a_decode_error() -> None:
    with pytest.raises(lambdago.DecodeError, match=r"sessionState\.intent\.slots\.A"):
        lambdago.decode(b'{"sessionState": {"intent": {"slots": {"A": "x"}}}}', LexV2Event)
