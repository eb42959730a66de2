"""Amazon ECR: the EventBridge event for a completed basic image scan."""

from __future__ import annotations

from ._base import event, field

__all__ = [
    "ECRScanEvent",
    "ECRScanEventDetailType",
    "ECRScanEventFindingSeverityCounts",
]

SAMPLES = {"ecr-image-scan": "ECRScanEvent"}


@event
class ECRScanEventFindingSeverityCounts:
    """How many findings the scan reported at each severity; ECR leaves out the
    severities it found nothing at."""

    critical: int | None = field("CRITICAL")
    high: int | None = field("HIGH")
    medium: int | None = field("MEDIUM")
    low: int | None = field("LOW")
    informational: int | None = field("INFORMATIONAL")
    undefined: int | None = field("UNDEFINED")


@event
class ECRScanEventDetailType:
    """The scanned image, the scan's status and its findings by severity."""

    scan_status: str | None = field("scan-status")
    repository_name: str | None = field("repository-name")
    finding_severity_counts: ECRScanEventFindingSeverityCounts | None = field(
        "finding-severity-counts"
    )
    image_digest: str | None = field("image-digest")
    image_tags: list[str] | None = field("image-tags")


@event
class ECRScanEvent:
    """An ``ECR Image Scan`` event (``source`` ``aws.ecr``), sent through EventBridge when
    an image scan finishes. ``time`` stays a string, as aws-lambda-go declares it.

    ``replay-name`` is present only on an event EventBridge replays from an archive
    (aws-lambda-go lacks it)."""

    version: str | None = field("version")
    id: str | None = field("id")
    detail_type: str | None = field("detail-type")
    source: str | None = field("source")
    time: str | None = field("time")
    region: str | None = field("region")
    resources: list[str] | None = field("resources")
    account: str | None = field("account")
    detail: ECRScanEventDetailType | None = field("detail")
    replay_name: str | None = field("replay-name")
