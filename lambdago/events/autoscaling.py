"""Amazon EC2 Auto Scaling: the EventBridge events a group emits when it launches or
terminates an instance, or pauses at a lifecycle hook."""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["AutoScalingEvent"]

SAMPLES = {
    "autoscaling-launch-successful": "AutoScalingEvent",
    "autoscaling-lifecycle-action": "AutoScalingEvent",
}


@event
class AutoScalingEvent:
    """An Auto Scaling event delivered through EventBridge (``source`` ``aws.autoscaling``):
    ``EC2 Instance Launch Successful``, ``EC2 Instance-terminate Lifecycle Action`` and the
    other instance launch and terminate notifications. ``detail`` differs by
    ``detail-type``, so it stays a dictionary.

    ``replay-name`` is present only on an event EventBridge replays from an archive
    (aws-lambda-go lacks it)."""

    version: str | None = field("version")
    id: str | None = field("id")
    detail_type: str | None = field("detail-type")
    source: str | None = field("source")
    account_id: str | None = field("account")
    time: datetime | None = field("time", wire=RFC3339)
    region: str | None = field("region")
    resources: list[str] | None = field("resources")
    detail: dict[str, Any] | None = field("detail")
    replay_name: str | None = field("replay-name")
