"""Amazon CloudWatch dashboards: the event a custom widget sends the function that renders
it, each time the dashboard loads or refreshes the widget or the user interacts with it.

The function returns the widget's content, usually HTML text (a ``str`` return value
is sent as a JSON string, which is what CloudWatch expects). When ``describe`` is true,
the console asks for the widget's documentation instead, written in Markdown.

The widget's parameters (its ``params`` in the dashboard's source) arrive twice: in
``widgetContext.params``, and merged into the event's top level, next to
``widgetContext`` and ``describe``. The class models the former; the top-level copies
are kept when an event is re-encoded, and :meth:`CloudWatchDashboardCustomWidgetEvent.params`
reads them.
"""

from __future__ import annotations

from datetime import datetime

from ._base import EPOCH_MILLIS, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CloudWatchDashboardCustomWidgetEvent",
    "CloudWatchDashboardForms",
    "CloudWatchDashboardTimeRange",
    "CloudWatchDashboardTimeRangeZoom",
    "CloudWatchDashboardTimezone",
    "CloudWatchDashboardWidgetContext",
]

SAMPLES = {
    "cloudwatch-dashboard-custom-widget": "CloudWatchDashboardCustomWidgetEvent",
    "cloudwatch-dashboard-custom-widget-describe": "CloudWatchDashboardCustomWidgetEvent",
}


@event
class CloudWatchDashboardTimezone:
    """The time zone the dashboard is shown in: its label, its offset as ``+01:00`` and
    in minutes."""

    label: str | None = field("label")
    offset_iso: str | None = field("offsetISO")
    offset_in_minutes: int | None = field("offsetInMinutes")


@event
class CloudWatchDashboardTimeRangeZoom:
    """The part of the time range the user zoomed into on a graph."""

    start: datetime | None = field("start", wire=EPOCH_MILLIS)
    end: datetime | None = field("end", wire=EPOCH_MILLIS)


@event
class CloudWatchDashboardTimeRange:
    """The dashboard's time range: ``relative`` (the last ``relativeStart``
    milliseconds) or ``absolute``, its start and end (epoch milliseconds), and a zoomed
    part of it, if any."""

    mode: str | None = field("mode")
    start: datetime | None = field("start", wire=EPOCH_MILLIS)
    end: datetime | None = field("end", wire=EPOCH_MILLIS)
    relative_start: int | None = field("relativeStart")
    zoom: CloudWatchDashboardTimeRangeZoom | None = field("zoom")


@event
class CloudWatchDashboardForms:
    """The values of the HTML form fields in the widget, by field name (``all``), sent
    when a widget action submits them."""

    all: dict[str, Any] | None = field("all")


@event
class CloudWatchDashboardWidgetContext:
    """Where and how the widget is shown: dashboard, widget id, console domain, account,
    locale and time zone, period and time range, theme (``light``, ``dark``), whether
    graphs are linked, the widget's title, form values, parameters and size in pixels."""

    dashboard_name: str | None = field("dashboardName")
    widget_id: str | None = field("widgetId")
    domain: str | None = field("domain")
    account_id: str | None = field("accountId")
    locale: str | None = field("locale")
    timezone: CloudWatchDashboardTimezone | None = field("timezone")
    period: int | None = field("period")
    is_auto_period: bool | None = field("isAutoPeriod")
    time_range: CloudWatchDashboardTimeRange | None = field("timeRange")
    theme: str | None = field("theme")
    link_charts: bool | None = field("linkCharts")
    title: str | None = field("title")
    forms: CloudWatchDashboardForms | None = field("forms")
    params: Any = field("params")
    width: int | None = field("width")
    height: int | None = field("height")


_KNOWN_KEYS = frozenset({"describe", "widgetContext"})


@event
class CloudWatchDashboardCustomWidgetEvent:
    """What a CloudWatch dashboard sends the function behind a custom widget: whether it
    asks for documentation (``describe``) and the widget's context. The widget's own
    parameters also arrive as extra top-level keys; see :meth:`params`."""

    describe: bool | None = field("describe")
    widget_context: CloudWatchDashboardWidgetContext | None = field("widgetContext")

    def params(self) -> dict[str, Any]:
        """The widget's parameters: ``widgetContext.params`` when it is an object, else
        the top-level keys of the decoded event other than ``describe`` and
        ``widgetContext``. ``{}`` when there are none."""
        context = self.widget_context
        if context is not None and isinstance(context.params, dict):
            return dict(context.params)
        source = getattr(self, "_lg_src", None) or {}
        return {k: v for k, v in source.items() if k not in _KNOWN_KEYS}

    def form_values(self) -> dict[str, Any]:
        """The submitted form fields (``widgetContext.forms.all``), ``{}`` when none."""
        context = self.widget_context
        forms = context.forms if context is not None else None
        return dict(forms.all or {}) if forms is not None else {}

    def visible_time_range(self) -> tuple[datetime | None, datetime | None]:
        """The ``(start, end)`` the widget should show: the zoomed part of the time
        range when the user zoomed in, else the whole range."""
        context = self.widget_context
        time_range = context.time_range if context is not None else None
        if time_range is None:
            return None, None
        zoom = time_range.zoom
        if zoom is not None and zoom.start is not None and zoom.end is not None:
            return zoom.start, zoom.end
        return time_range.start, time_range.end
