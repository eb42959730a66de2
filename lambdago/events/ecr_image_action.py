"""Amazon ECR: the EventBridge event for an image pushed to or deleted from a
repository."""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, event, field

__all__ = ["ECRImageActionEvent", "ECRImageActionEventDetailType"]

SAMPLES = {"ecr-image-push": "ECRImageActionEvent"}


@event
class ECRImageActionEventDetailType:
    """The action (``PUSH`` or ``DELETE``), whether it succeeded, and the image."""

    result: str | None = field("result")
    repository_name: str | None = field("repository-name")
    image_digest: str | None = field("image-digest")
    action_type: str | None = field("action-type")
    image_tag: str | None = field("image-tag")


@event
class ECRImageActionEvent:
    """An ``ECR Image Action`` event (``source`` ``aws.ecr``), sent through EventBridge
    when an image is pushed or deleted.

    ``replay-name`` is present only on an event EventBridge replays from an archive
    (aws-lambda-go lacks it)."""

    version: str | None = field("version")
    id: str | None = field("id")
    detail_type: str | None = field("detail-type")
    source: str | None = field("source")
    account: str | None = field("account")
    time: datetime | None = field("time", wire=RFC3339)
    region: str | None = field("region")
    resources: list[str] | None = field("resources")
    detail: ECRImageActionEventDetailType | None = field("detail")
    replay_name: str | None = field("replay-name")
