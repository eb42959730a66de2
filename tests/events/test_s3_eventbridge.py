"""S3 events delivered through EventBridge, and their detail as a CloudWatchEvent's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    CloudWatchEvent,
    S3EventBridgeNotificationDetail,
    S3EventBridgeNotificationDetailTypeObjectCreated,
    S3EventBridgeNotificationDetailTypeObjectDeleted,
    S3EventBridgeNotificationDetailTypeObjectRestoreCompleted,
    S3EventBridgeNotificationDetailTypeObjectStorageClassChanged,
    S3EventBridgeNotificationEvent,
    s3_eventbridge,
)
from lambdago.events._base import format_rfc3339
from tests.events._exact import as_json, exact_diff, roundtrip_sample


@pytest.mark.parametrize("name", sorted(s3_eventbridge.SAMPLES))
def test_samples_round_trip_exactly(name: str) -> None:
    value = roundtrip_sample(name)
    assert isinstance(value, S3EventBridgeNotificationEvent)


def test_exports() -> None:
    for name in s3_eventbridge.__all__:
        assert getattr(lambdago.events, name) is getattr(s3_eventbridge, name)


def _event(name: str) -> S3EventBridgeNotificationEvent:
    value = roundtrip_sample(name)
    assert isinstance(value, S3EventBridgeNotificationEvent)
    return value


def test_object_created() -> None:
    ev = _event("s3-eventbridge-object-created")
    assert ev.detail_type == S3EventBridgeNotificationDetailTypeObjectCreated
    assert ev.account_id == "739201846625"
    assert ev.time == datetime(2025, 3, 14, 9, 27, 51, tzinfo=UTC)
    detail = ev.detail
    assert detail is not None
    assert detail.bucket is not None
    assert detail.bucket.name == "invoices-ingest-eun1"
    assert detail.object is not None
    assert detail.object.size == 184231
    assert detail.object.version_id == "Lq3vT9x0Yb.MmZr2kP7eW4sN1cJ8dHf6"
    assert detail.request_id == "V8K2N4P6Q1R3S5T7"
    assert detail.source_ip_address == "203.0.113.88"
    assert detail.reason == "PutObject"
    assert detail.deletion_type is None


def test_deletions() -> None:
    deleted = _event("s3-eventbridge-object-deleted")
    expired = _event("s3-eventbridge-object-expired")
    for ev in (deleted, expired):
        assert ev.detail_type == S3EventBridgeNotificationDetailTypeObjectDeleted
        assert ev.detail is not None
        assert ev.detail.object is not None
        assert ev.detail.object.size is None
    assert deleted.detail is not None
    assert deleted.detail.deletion_type == "Delete Marker Created"
    assert expired.detail is not None
    assert expired.detail.reason == "Lifecycle Expiration"
    assert expired.detail.source_ip_address is None
    assert expired.detail.object is not None
    assert expired.detail.object.version_id is None


def test_restore_and_transition() -> None:
    restore = _event("s3-eventbridge-object-restore-completed")
    assert restore.detail_type == S3EventBridgeNotificationDetailTypeObjectRestoreCompleted
    assert restore.detail is not None
    assert restore.detail.restore_expiry_time == datetime(2025, 3, 23, tzinfo=UTC)
    assert restore.detail.source_storage_class == "DEEP_ARCHIVE"
    assert restore.detail.object is not None
    assert restore.detail.object.size == 7340032000
    moved = _event("s3-eventbridge-object-storage-class-changed")
    assert moved.detail_type == S3EventBridgeNotificationDetailTypeObjectStorageClassChanged
    assert moved.detail is not None
    assert moved.detail.destination_storage_class == "GLACIER"


def test_detail_decodes_from_a_cloudwatch_event() -> None:
    raw = lambdago.events.sample("s3-eventbridge-object-restore-completed")
    generic: CloudWatchEvent = lambdago.decode(raw, CloudWatchEvent)
    detail = generic.decode_detail(S3EventBridgeNotificationDetail)
    assert isinstance(detail, S3EventBridgeNotificationDetail)
    assert detail.restore_expiry_time == datetime(2025, 3, 23, tzinfo=UTC)
    assert not exact_diff(as_json(detail), generic.detail)
    typed: S3EventBridgeNotificationEvent = lambdago.decode(raw, S3EventBridgeNotificationEvent)
    assert detail == typed.detail
    with pytest.raises(lambdago.DecodeError, match=r"detail\.object\.size"):
        CloudWatchEvent(detail={"object": {"size": "big"}}).decode_detail(
            S3EventBridgeNotificationDetail
        )


def test_changed_times_are_re_encoded() -> None:
    ev = _event("s3-eventbridge-object-restore-completed")
    assert ev.detail is not None
    ev.detail.restore_expiry_time = datetime(2025, 3, 30, 12, 0, tzinfo=UTC)
    out = as_json(ev)
    assert out["detail"]["restore-expiry-time"] == "2025-03-30T12:00:00Z"
    assert out["time"] == "2025-03-16T03:12:44Z"
    assert format_rfc3339(ev.detail.restore_expiry_time) == "2025-03-30T12:00:00Z"


def test_hyphenated_keys_are_the_only_spelling() -> None:
    detail: S3EventBridgeNotificationDetail = lambdago.decode(
        b'{"requestId": "x", "request-id": "y", "object": {"versionId": "v"}}',
        S3EventBridgeNotificationDetail,
    )
    assert detail.request_id == "y"
    assert detail.object is not None
    assert detail.object.version_id is None
    assert as_json(detail) == {"requestId": "x", "request-id": "y", "object": {"versionId": "v"}}
