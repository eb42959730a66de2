"""Tumbling windows for Kinesis and DynamoDB streams: the window and state Lambda adds to a
stream batch when the event source mapping has a ``TumblingWindowInSeconds`` setting, and
the state a function hands back for the next invocation of the same window.

``KinesisTimeWindowEvent`` and ``DynamoDBTimeWindowEvent`` (in ``kinesis`` and ``dynamodb``)
carry these fields next to their ``Records``; the classes here describe them on their own.

The ``state`` is the JSON object the previous invocation of the window returned, handed back
unchanged: its values are whatever that function put there (strings, numbers, booleans,
``null``, nested objects or arrays), so lambdago gives them as decoded JSON values
(``dict[str, Any]``) where aws-lambda-go has ``map[string]string``, and encodes them back as
they are."""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "TimeWindowEventResponseProperties",
    "TimeWindowProperties",
    "Window",
]

SAMPLES: dict[str, str] = {}


@event
class Window:
    """The time range a tumbling-window invocation covers, sent by Lambda with each batch of
    a Kinesis or DynamoDB stream read with tumbling windows (RFC 3339 times)."""

    start: datetime | None = field("start", wire=RFC3339)
    end: datetime | None = field("end", wire=RFC3339)


@event
class TimeWindowProperties:
    """What Lambda adds to a Kinesis or DynamoDB stream batch when it aggregates records in
    tumbling windows: the window, the state returned by the previous invocation of that
    window, the shard, and whether this is the window's last invocation."""

    window: Window | None = field("window")
    state: dict[str, Any] | None = field("state")
    shard_id: str | None = field("shardId")
    event_source_arn: str | None = field("eventSourceARN")
    is_final_invoke_for_window: bool | None = field("isFinalInvokeForWindow")
    is_window_terminated_early: bool | None = field("isWindowTerminatedEarly")


@event
class TimeWindowEventResponseProperties:
    """The part of a tumbling-window response Lambda reads back: the ``state`` it passes to
    the next invocation of the same window (at most 1 MB)."""

    state: dict[str, Any] | None = field("state")
