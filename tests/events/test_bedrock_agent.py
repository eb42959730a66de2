"""Agents for Amazon Bedrock action groups: samples round-trip, parameters and request
bodies convert, responses are built the way the agent reads them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    BedrockAgentEvent,
    BedrockAgentFunctionEvent,
    BedrockAgentFunctionResponse,
    BedrockAgentParameter,
    BedrockAgentResponse,
    BedrockAgentResponseStateFailure,
    BedrockAgentResponseStateReprompt,
)
from lambdago.events.bedrock_agent import _convert
from tests.conftest import json_diff

SAMPLES = sorted(n for n in lambdago.events.sample_names() if n.startswith("bedrock-agent-"))


def _json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def test_there_is_a_sample_per_type() -> None:
    assert {lambdago.events.sample_names()[n] for n in SAMPLES} == {
        "BedrockAgentEvent",
        "BedrockAgentResponse",
        "BedrockAgentFunctionEvent",
        "BedrockAgentFunctionResponse",
    }


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_round_trip_and_every_key_is_modelled(name: str) -> None:
    cls = getattr(lambdago.events, lambdago.events.sample_names()[name])
    raw = lambdago.events.sample(name)
    assert not json_diff(_json(lambdago.decode(raw, cls)), json.loads(raw))
    lambdago.decode(raw, cls, strict=True)  # no key the classes do not know


def _api_event() -> BedrockAgentEvent:
    return lambdago.decode(lambdago.events.sample("bedrock-agent-api-request"), BedrockAgentEvent)


def _function_event() -> BedrockAgentFunctionEvent:
    return lambdago.decode(
        lambdago.events.sample("bedrock-agent-function-request"), BedrockAgentFunctionEvent
    )


def test_api_event_fields() -> None:
    event = _api_event()
    assert event.agent is not None
    assert (event.agent.name, event.agent.alias, event.agent.version) == (
        "travel-desk-agent",
        "TSTALIASID",
        "DRAFT",
    )
    assert (event.api_path, event.http_method, event.action_group) == (
        "/bookings",
        "POST",
        "hotel-bookings",
    )
    assert event.session_attributes == {"customerId": "C-88213"}


def test_parameters_as_a_dict() -> None:
    event = _api_event()
    assert event.parameters_dict() == {"dryRun": "false"}
    assert event.parameters_dict(convert=True) == {"dryRun": False}
    assert event.parameter("dryRun") == "false"
    assert event.parameter("missing") is None
    assert event.parameter("missing", "x") == "x"
    fn = _function_event()
    assert fn.parameters_dict(convert=True) == {
        "assetTag": 40917,
        "summary": "Laptop battery swelling",
        "urgent": True,
    }
    assert fn.parameter("assetTag") == "40917"


def test_request_body_properties() -> None:
    event = _api_event()
    assert event.request_body_properties() == {
        "city": "Lisbon",
        "checkIn": "2025-03-14",
        "nights": "2",
        "roomType": "double",
    }
    assert event.request_body_properties(convert=True)["nights"] == 2
    assert event.request_body_properties("text/plain") == {}
    assert BedrockAgentEvent().request_body_properties() == {}


@dataclass
class Booking:
    city: str
    checkIn: str
    nights: int
    roomType: str = "single"


@dataclass
class Ticket:
    assetTag: int
    summary: str
    urgent: bool


def test_the_request_body_decodes_into_a_type() -> None:
    booking = _api_event().decode_request_body(Booking)
    assert booking == Booking(city="Lisbon", checkIn="2025-03-14", nights=2, roomType="double")
    assert _api_event().decode_request_body()["nights"] == 2
    assert _function_event().decode_parameters(Ticket) == Ticket(
        assetTag=40917, summary="Laptop battery swelling", urgent=True
    )


def test_request_body_errors() -> None:
    with pytest.raises(ValueError, match="no text/plain request body"):
        _api_event().decode_request_body(Booking, "text/plain")
    with pytest.raises(ValueError, match="no application/json request body"):
        BedrockAgentEvent().decode_request_body(Booking)

    @dataclass
    class Wrong:
        city: int

    with pytest.raises(lambdago.DecodeError) as info:
        _api_event().decode_request_body(Wrong)
    assert info.value.path == "requestBody.city"

    @dataclass
    class CityOnly:
        city: str

    assert _api_event().decode_request_body(CityOnly) == CityOnly("Lisbon")
    with pytest.raises(lambdago.DecodeError, match="unknown field"):
        _api_event().decode_request_body(CityOnly, strict=True)
    with pytest.raises(lambdago.DecodeError) as info:
        _function_event().decode_parameters(Wrong)
    assert info.value.path.startswith("parameters")


def test_respond_builds_the_api_response() -> None:
    event = _api_event()
    response = event.respond({"bookingId": "BK-1"}, status_code=201)
    assert isinstance(response, BedrockAgentResponse)
    assert _json(response) == {
        "messageVersion": "1.0",
        "response": {
            "actionGroup": "hotel-bookings",
            "apiPath": "/bookings",
            "httpMethod": "POST",
            "httpStatusCode": 201,
            "responseBody": {"application/json": {"body": '{"bookingId":"BK-1"}'}},
        },
        "sessionAttributes": {"customerId": "C-88213"},
        "promptSessionAttributes": {"today": "2025-03-02"},
    }
    # The response's attributes are a copy: changing them leaves the event alone.
    assert response.session_attributes is not None
    response.session_attributes["lastBookingId"] = "BK-1"
    assert event.session_attributes == {"customerId": "C-88213"}


def test_respond_with_text_and_without_body() -> None:
    event = _api_event()
    text = _json(event.respond("not found", status_code=404, content_type="text/plain"))
    assert text["response"]["responseBody"] == {"text/plain": {"body": "not found"}}
    assert text["response"]["httpStatusCode"] == 404
    failed = _json(event.respond("no rooms", status_code=409, response_state="REPROMPT"))
    assert failed["response"]["responseState"] == "REPROMPT"
    with pytest.raises(ValueError, match="response_state"):
        event.respond("x", response_state="error")
    empty = _json(event.respond())
    assert "responseBody" not in empty["response"]
    assert empty["response"]["httpStatusCode"] == 200


def test_function_responses() -> None:
    event = _function_event()
    ok = event.respond("Ticket INC-1 opened")
    assert isinstance(ok, BedrockAgentFunctionResponse)
    assert _json(ok) == {
        "messageVersion": "1.0",
        "response": {
            "actionGroup": "ticketing",
            "function": "open_ticket",
            "functionResponse": {"responseBody": {"TEXT": {"body": "Ticket INC-1 opened"}}},
        },
        "sessionAttributes": {},
        "promptSessionAttributes": {},
    }
    as_json = _json(event.respond({"ticket": "INC-1", "priority": 1}))
    body = as_json["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
    assert json.loads(body) == {"ticket": "INC-1", "priority": 1}
    failed = _json(event.fail("the asset tag is unknown"))["response"]["functionResponse"]
    assert failed["responseState"] == BedrockAgentResponseStateFailure == "FAILURE"
    again = _json(event.reprompt("which asset?"))["response"]["functionResponse"]
    assert again["responseState"] == BedrockAgentResponseStateReprompt == "REPROMPT"
    assert again["responseBody"] == {"TEXT": {"body": "which asset?"}}
    with pytest.raises(ValueError, match="response_state"):
        event.respond("x", response_state="ERROR")


def test_a_handler_returning_a_response() -> None:
    def handler(event: BedrockAgentFunctionEvent) -> BedrockAgentFunctionResponse:
        return event.respond(f"asset {event.parameters_dict(convert=True)['assetTag'] + 1}")

    out = lambdago.new_handler(handler).invoke(
        lambdago.events.sample("bedrock-agent-function-request")
    )
    body = json.loads(out)["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
    assert body == "asset 40918"


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("integer", "42", 42),
        ("integer", " -7 ", -7),
        ("integer", "4.5", "4.5"),
        ("number", "4.5", 4.5),
        ("number", "10", 10),
        ("number", "1e3", 1000.0),
        ("number", "nan", "nan"),
        ("number", "inf", "inf"),
        ("number", "ten", "ten"),
        ("boolean", "TRUE", True),
        ("boolean", "false", False),
        ("boolean", "yes", "yes"),
        ("array", '["a", "b"]', ["a", "b"]),
        ("array", "[a, b]", "[a, b]"),
        ("string", "42", "42"),
        (None, "42", "42"),
        ("integer", None, None),
    ],
)
def test_parameter_conversion(kind: str | None, text: str | None, value: Any) -> None:
    assert _convert(kind, text) == value
    assert type(_convert(kind, text)) is type(value)


@given(st.integers())
def test_integers_convert_exactly(n: int) -> None:
    assert _convert("integer", str(n)) == n
    assert _convert("number", str(n)) == n


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_convert_exactly(x: float) -> None:
    assert _convert("number", repr(x)) == x


@given(st.text())
def test_conversion_never_raises(text: str) -> None:
    for kind in ("integer", "number", "boolean", "array", "string"):
        _convert(kind, text)


def test_parameters_without_a_name_are_skipped() -> None:
    event = BedrockAgentFunctionEvent(
        parameters=[BedrockAgentParameter(value="x"), BedrockAgentParameter(name="a", value="1")]
    )
    assert event.parameters_dict() == {"a": "1"}
