"""Amazon S3 via Amazon EventBridge: the events of a bucket with EventBridge
notifications turned on (objects created, deleted, restored, tagged, changed storage
class …) as an EventBridge rule passes them to a function.

:class:`S3EventBridgeNotificationEvent` is the whole EventBridge envelope with ``detail``
typed for S3. A function that takes a generic :class:`CloudWatchEvent` can type its
detail on demand::

    detail = event.decode_detail(S3EventBridgeNotificationDetail)

Keys in ``detail`` are hyphenated (``request-id``, ``version-id``), unlike S3's direct
notifications (:class:`S3Event`).
"""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "S3EventBridgeNotificationBucket",
    "S3EventBridgeNotificationDetail",
    "S3EventBridgeNotificationDetailTypeObjectACLUpdated",
    "S3EventBridgeNotificationDetailTypeObjectAccessTierChanged",
    "S3EventBridgeNotificationDetailTypeObjectCreated",
    "S3EventBridgeNotificationDetailTypeObjectDeleted",
    "S3EventBridgeNotificationDetailTypeObjectRestoreCompleted",
    "S3EventBridgeNotificationDetailTypeObjectRestoreExpired",
    "S3EventBridgeNotificationDetailTypeObjectRestoreInitiated",
    "S3EventBridgeNotificationDetailTypeObjectStorageClassChanged",
    "S3EventBridgeNotificationDetailTypeObjectTagsAdded",
    "S3EventBridgeNotificationDetailTypeObjectTagsDeleted",
    "S3EventBridgeNotificationEvent",
    "S3EventBridgeNotificationObject",
]

SAMPLES = {
    "s3-eventbridge-object-created": "S3EventBridgeNotificationEvent",
    "s3-eventbridge-object-deleted": "S3EventBridgeNotificationEvent",
    "s3-eventbridge-object-expired": "S3EventBridgeNotificationEvent",
    "s3-eventbridge-object-restore-completed": "S3EventBridgeNotificationEvent",
    "s3-eventbridge-object-storage-class-changed": "S3EventBridgeNotificationEvent",
}

S3EventBridgeNotificationDetailTypeObjectCreated: Final = "Object Created"
S3EventBridgeNotificationDetailTypeObjectDeleted: Final = "Object Deleted"
"""Also sent, with reason ``Lifecycle Expiration``, when a lifecycle rule expires an
object."""
S3EventBridgeNotificationDetailTypeObjectRestoreInitiated: Final = "Object Restore Initiated"
S3EventBridgeNotificationDetailTypeObjectRestoreCompleted: Final = "Object Restore Completed"
S3EventBridgeNotificationDetailTypeObjectRestoreExpired: Final = "Object Restore Expired"
S3EventBridgeNotificationDetailTypeObjectTagsAdded: Final = "Object Tags Added"
S3EventBridgeNotificationDetailTypeObjectTagsDeleted: Final = "Object Tags Deleted"
S3EventBridgeNotificationDetailTypeObjectACLUpdated: Final = "Object ACL Updated"
S3EventBridgeNotificationDetailTypeObjectStorageClassChanged: Final = "Object Storage Class Changed"
S3EventBridgeNotificationDetailTypeObjectAccessTierChanged: Final = "Object Access Tier Changed"


@event
class S3EventBridgeNotificationBucket:
    """The bucket the event happened in."""

    name: str | None = field("name")


@event
class S3EventBridgeNotificationObject:
    """The object the event is about: key, size (absent for deletions), ETag, version id
    (versioned buckets) and the sequencer that orders events on the same key."""

    key: str | None = field("key")
    size: int | None = field("size")
    etag: str | None = field("etag")
    version_id: str | None = field("version-id")
    sequencer: str | None = field("sequencer")


@event
class S3EventBridgeNotificationDetail:
    """The ``detail`` of an S3 event on EventBridge. Which keys are present depends on
    the detail type: ``reason`` (``PutObject``, ``DeleteObject``, ``Lifecycle
    Expiration`` …), ``deletion-type`` for deletions, ``restore-expiry-time`` and
    ``source-storage-class`` for restores, ``destination-storage-class`` or
    ``destination-access-tier`` for transitions.

    Also usable as the typed detail of a generic event:
    ``cloudwatch_event.decode_detail(S3EventBridgeNotificationDetail)``.
    """

    version: str | None = field("version")
    bucket: S3EventBridgeNotificationBucket | None = field("bucket")
    object: S3EventBridgeNotificationObject | None = field("object")
    request_id: str | None = field("request-id")
    requester: str | None = field("requester")
    source_ip_address: str | None = field("source-ip-address")
    reason: str | None = field("reason")
    deletion_type: str | None = field("deletion-type")
    restore_expiry_time: datetime | None = field("restore-expiry-time", wire=RFC3339)
    source_storage_class: str | None = field("source-storage-class")
    destination_storage_class: str | None = field("destination-storage-class")
    destination_access_tier: str | None = field("destination-access-tier")


@event
class S3EventBridgeNotificationEvent:
    """An S3 event as an EventBridge rule delivers it: the EventBridge envelope (``source``
    ``aws.s3``, ``detail-type`` such as ``Object Created``, the bucket ARN in
    ``resources``) with its ``detail`` decoded as
    :class:`S3EventBridgeNotificationDetail`. The fields are those of
    :class:`CloudWatchEvent`.

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
    detail: S3EventBridgeNotificationDetail | None = field("detail")
    replay_name: str | None = field("replay-name")
