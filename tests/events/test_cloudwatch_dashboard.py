"""CloudWatch dashboard custom widgets: samples round-trip, helpers read the widget's
parameters, forms and time range."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import lambdago
import lambdago.events
from lambdago.events import CloudWatchDashboardCustomWidgetEvent
from tests.conftest import json_diff

SAMPLES = sorted(n for n in lambdago.events.sample_names() if n.startswith("cloudwatch-dashboard-"))
UTC = dt.UTC


def _json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def _widget(name: str) -> CloudWatchDashboardCustomWidgetEvent:
    return lambdago.decode(lambdago.events.sample(name), CloudWatchDashboardCustomWidgetEvent)


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_round_trip(name: str) -> None:
    raw = lambdago.events.sample(name)
    value: CloudWatchDashboardCustomWidgetEvent = lambdago.decode(
        raw, CloudWatchDashboardCustomWidgetEvent
    )
    assert not json_diff(_json(value), json.loads(raw))


def test_every_key_is_modelled() -> None:
    raw = json.loads(lambdago.events.sample("cloudwatch-dashboard-custom-widget"))
    # The widget's parameters, copied at the top level, are the only unmodelled keys.
    for key in raw["widgetContext"]["params"]:
        del raw[key]
    lambdago.decode(json.dumps(raw), CloudWatchDashboardCustomWidgetEvent, strict=True)
    lambdago.decode(
        lambdago.events.sample("cloudwatch-dashboard-custom-widget-describe"),
        CloudWatchDashboardCustomWidgetEvent,
        strict=True,
    )


def test_custom_widget_event() -> None:
    event = _widget("cloudwatch-dashboard-custom-widget")
    assert event.describe is False
    context = event.widget_context
    assert context is not None
    assert (context.dashboard_name, context.widget_id, context.theme) == (
        "storefront-operations",
        "widget-7",
        "dark",
    )
    assert context.timezone is not None and context.timezone.offset_iso == "+00:00"
    assert context.time_range is not None
    assert context.time_range.start == dt.datetime(2025, 2, 5, 10, 30, tzinfo=UTC)
    assert context.time_range.relative_start == 10_800_000
    assert event.visible_time_range() == (
        dt.datetime(2025, 2, 5, 11, 30, tzinfo=UTC),
        dt.datetime(2025, 2, 5, 12, 30, tzinfo=UTC),
    )
    assert event.params() == {"service": "checkout", "maxRows": 25}
    assert event.form_values() == {"region": "eu-west-3", "minimumMs": "750"}
    # the parameters also arrive at the top level, and are kept
    assert _json(event)["maxRows"] == 25


def test_describe_event_and_absolute_range() -> None:
    event = _widget("cloudwatch-dashboard-custom-widget-describe")
    assert event.describe is True
    assert event.params() == {}
    assert event.form_values() == {}
    assert event.visible_time_range() == (
        dt.datetime(2025, 5, 21, 10, 0, tzinfo=UTC),
        dt.datetime(2025, 5, 21, 14, 0, tzinfo=UTC),
    )


def test_params_fall_back_to_top_level_keys() -> None:
    event: CloudWatchDashboardCustomWidgetEvent = lambdago.decode(
        b'{"describe": false, "widgetContext": {"params": null}, "region": "eu-west-3"}',
        CloudWatchDashboardCustomWidgetEvent,
    )
    assert event.params() == {"region": "eu-west-3"}
    assert CloudWatchDashboardCustomWidgetEvent().params() == {}
    assert CloudWatchDashboardCustomWidgetEvent().visible_time_range() == (None, None)


def test_a_widget_handler_returns_html() -> None:
    def handler(event: CloudWatchDashboardCustomWidgetEvent) -> str:
        if event.describe:
            return "## Deploy log\nShows the last deploys."
        return f"<h2>{event.params()['service']}</h2>"

    out = lambdago.new_handler(handler).invoke(
        lambdago.events.sample("cloudwatch-dashboard-custom-widget")
    )
    assert json.loads(out) == "<h2>checkout</h2>"
