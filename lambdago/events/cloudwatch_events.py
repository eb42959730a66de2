"""Amazon EventBridge (formerly CloudWatch Events): the event a rule or a schedule
delivers to a function."""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, decode_value, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CloudWatchEvent", "EventBridgeEvent"]

SAMPLES = {
    "eventbridge-scheduled": "CloudWatchEvent",
    "eventbridge-ec2-state-change": "CloudWatchEvent",
}


@event
class CloudWatchEvent:
    """The envelope of an event an EventBridge rule (or a scheduled rule) sends to a
    function: who sent it (``source``, ``detail-type``), when, where, and the event's
    own ``detail``, kept as plain JSON; :meth:`decode_detail` decodes it into a type.

    ``replay-name`` is present only on an event EventBridge replays from an archive, and
    names the replay; aws-lambda-go lacks this field.
    """

    version: str | None = field("version")
    id: str | None = field("id")
    detail_type: str | None = field("detail-type")
    source: str | None = field("source")
    account_id: str | None = field("account")
    time: datetime | None = field("time", wire=RFC3339)
    region: str | None = field("region")
    resources: list[str] | None = field("resources")
    detail: Any = field("detail")
    replay_name: str | None = field("replay-name")

    def decode_detail(self, type: Any = object, **options: Any) -> Any:
        """``detail`` decoded into ``type`` (``lambdago.decode`` options apply).

        Raises :class:`lambdago.DecodeError` with a path starting at ``detail``.
        """
        return decode_value(self.detail, type, "detail", options)


EventBridgeEvent = CloudWatchEvent
