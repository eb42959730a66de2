"""AppSync Events API handlers: samples round-trip, publish processing builds the
response AppSync reads, subscriptions are allowed or rejected."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    AppSyncEventsEvent,
    AppSyncEventsIncomingEvent,
    AppSyncEventsOperationPublish,
    AppSyncEventsOperationSubscribe,
    AppSyncEventsOutgoingEvent,
    AppSyncEventsResponse,
)
from tests.conftest import json_diff

SAMPLES = sorted(n for n in lambdago.events.sample_names() if n.startswith("appsync-events-"))


def _json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def _load(name: str) -> AppSyncEventsEvent:
    return lambdago.decode(lambdago.events.sample(name), AppSyncEventsEvent)


def test_there_are_samples_for_the_event_and_the_response() -> None:
    assert {lambdago.events.sample_names()[n] for n in SAMPLES} == {
        "AppSyncEventsEvent",
        "AppSyncEventsResponse",
    }


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_round_trip_and_every_key_is_modelled(name: str) -> None:
    cls = getattr(lambdago.events, lambdago.events.sample_names()[name])
    raw = lambdago.events.sample(name)
    assert not json_diff(_json(lambdago.decode(raw, cls)), json.loads(raw))
    lambdago.decode(raw, cls, strict=True)


def test_publish_event() -> None:
    event = _load("appsync-events-publish")
    assert event.is_publish()
    assert not event.is_subscribe()
    assert event.operation() == AppSyncEventsOperationPublish
    assert event.channel_path() == "/orders/eu/created"
    assert event.info is not None
    assert event.info.channel is not None
    assert event.info.channel.segments == ["orders", "eu", "created"]
    assert event.info.channel_namespace is not None
    assert event.info.channel_namespace.name == "orders"
    assert event.auth_type() == "API_KEY"
    assert event.events is not None
    assert [e.id for e in event.events] == [
        "7d8a2b61-0f4c-4e9a-b3d5-16c2e8f0a947",
        "b14e6c3f-5a27-4d90-8e1b-c4f7a2d9e035",
    ]
    assert event.out_errors == []
    encoded = _json(event)
    assert encoded["identity"] is None
    assert encoded["result"] is None


def test_subscribe_event() -> None:
    event = _load("appsync-events-subscribe")
    assert event.is_subscribe()
    assert event.operation() == AppSyncEventsOperationSubscribe
    assert event.auth_type() == "AMAZON_COGNITO_USER_POOLS"
    assert event.events is None
    assert event.request is not None
    assert event.request.domain_name == "realtime.shop.example.com"
    assert AppSyncEventsEvent().operation() is None
    assert AppSyncEventsEvent().channel_path() is None


@dataclass
class Order:
    orderId: str
    total: float
    currency: str


def test_payload_decodes_into_a_type() -> None:
    event = _load("appsync-events-publish")
    assert event.events is not None
    assert event.events[0].decode_payload(Order) == Order("EU-90411", 149.9, "EUR")
    assert event.events[1].decode_payload(Order).total == 12

    @dataclass
    class Wrong:
        orderId: int

    with pytest.raises(lambdago.DecodeError) as info:
        event.events[0].decode_payload(Wrong)
    assert info.value.path == "payload.orderId"


def test_process_forwards_results_and_reports_errors() -> None:
    event = _load("appsync-events-publish")
    seen: list[tuple[str | None, str]] = []

    def enrich(incoming: AppSyncEventsIncomingEvent) -> dict[str, Any]:
        order = incoming.decode_payload(Order)
        if order.total < 20:
            raise ValueError("orders under 20 EUR are not broadcast")
        return {**incoming.payload, "region": "eu"}

    response = event.process(enrich, on_error=lambda e, exc: seen.append((e.id, str(exc))))
    assert _json(response) == json.loads(lambdago.events.sample("appsync-events-publish-response"))
    assert seen == [
        ("b14e6c3f-5a27-4d90-8e1b-c4f7a2d9e035", "orders under 20 EUR are not broadcast")
    ]


def test_an_exception_without_message_is_named() -> None:
    event = AppSyncEventsEvent(events=[AppSyncEventsIncomingEvent(id="1", payload={})])

    def boom(_e: AppSyncEventsIncomingEvent) -> Any:
        raise KeyError

    assert _json(event.process(boom)) == {"events": [{"id": "1", "error": "KeyError"}]}
    assert _json(AppSyncEventsEvent().process(boom)) == {"events": []}


def test_forward_and_reject() -> None:
    event = _load("appsync-events-publish")
    forwarded = _json(AppSyncEventsResponse.forward(event.events or []))
    assert forwarded == {
        "events": [{"id": e["id"], "payload": e["payload"]} for e in _json(event)["events"]]
    }
    assert _json(AppSyncEventsResponse.reject("no")) == {"error": "no"}
    with pytest.raises(TypeError):
        AppSyncEventsResponse.reject(42)  # type: ignore[arg-type]
    assert _json(AppSyncEventsOutgoingEvent.failed("9", "bad")) == {"id": "9", "error": "bad"}


def test_a_subscribe_handler() -> None:
    def handler(event: AppSyncEventsEvent) -> AppSyncEventsResponse | None:
        if event.is_subscribe() and event.channel_path() == "/orders/eu/*":
            return AppSyncEventsResponse.reject(
                "subscriptions to /orders/eu/* require the ops group"
            )
        return None

    out = lambdago.new_handler(handler).invoke(lambdago.events.sample("appsync-events-subscribe"))
    assert json.loads(out) == json.loads(
        lambdago.events.sample("appsync-events-subscribe-response")
    )
    allowed = lambdago.new_handler(handler).invoke(lambdago.events.sample("appsync-events-publish"))
    assert allowed == b"null"
