"""Amazon S3 event notifications: object created, removed, restored, replicated,
transitioned … as S3 sends them to a function, and the test event S3 sends when a
notification configuration is saved."""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, event, field

__all__ = [
    "S3Bucket",
    "S3Entity",
    "S3Event",
    "S3EventRecord",
    "S3GlacierEventData",
    "S3IntelligentTieringEventData",
    "S3LifecycleEventData",
    "S3Object",
    "S3ReplicationEventData",
    "S3RequestParameters",
    "S3RestoreEventData",
    "S3TestEvent",
    "S3TransitionEventData",
    "S3UserIdentity",
]

SAMPLES = {
    "s3-put": "S3Event",
    "s3-delete": "S3Event",
    "s3-test-event": "S3TestEvent",
    "s3-glacier-restore": "S3Event",
    "s3-replication": "S3Event",
    "s3-intelligent-tiering": "S3Event",
    "s3-lifecycle": "S3Event",
}


# -- object keys ----------------------------------------------------------------------------
#
# S3 sends object keys form-encoded ("my+photo%21.jpg"). The decoding below gives exactly
# what urllib.parse.unquote_plus gives (tests check it), without importing urllib.parse on
# the cold-start path: a "%" not followed by two hex digits stays as it is, and bytes that
# are not UTF-8 become U+FFFD. (Go's url.QueryUnescape rejects a bad escape instead; S3
# never sends one.)

_HEX = frozenset("0123456789abcdefABCDEF")


def _unquote_ascii(text: str) -> str:
    """Percent-decode an all-ASCII string, then read the bytes as UTF-8."""
    bits = text.split("%")
    if len(bits) == 1:
        return text
    out = bytearray(bits[0], "ascii")
    for item in bits[1:]:
        if len(item) >= 2 and item[0] in _HEX and item[1] in _HEX:
            out.append(int(item[:2], 16))
            out += item[2:].encode("ascii")
        else:
            out += b"%"
            out += item.encode("ascii")
    return out.decode("utf-8", "replace")


def url_decode_key(key: str) -> str:
    """An S3 object key as it arrives in an event (``+`` for spaces, ``%xx`` escapes),
    decoded: what ``urllib.parse.unquote_plus`` returns."""
    if "+" in key:
        key = key.replace("+", " ")
    if "%" not in key:
        return key
    if key.isascii():
        return _unquote_ascii(key)
    # Escapes are decoded within each run of ASCII characters; other characters stay.
    parts = []
    start = 0
    n = len(key)
    while start < n:
        end = start
        while end < n and key[end] < "\x80":
            end += 1
        if end > start:
            parts.append(_unquote_ascii(key[start:end]))
        start = end
        while end < n and key[end] >= "\x80":
            end += 1
        parts.append(key[start:end])
        start = end
    return "".join(parts)


# -- event types ----------------------------------------------------------------------------


@event
class S3UserIdentity:
    """Who made the request, or who owns the bucket: an AWS principal id."""

    principal_id: str | None = field("principalId")


@event
class S3RequestParameters:
    """Parameters of the request that caused the event."""

    source_ip_address: str | None = field("sourceIPAddress")


@event
class S3Bucket:
    """The bucket the event happened in."""

    name: str | None = field("name")
    owner_identity: S3UserIdentity | None = field("ownerIdentity")
    arn: str | None = field("arn")


@event
class S3Object:
    """The object the event is about.

    ``key`` is form-encoded as S3 sends it; ``url_decoded_key`` (``urlDecodedKey``) is the
    decoded key, filled when the event is decoded, which S3 itself does not send (so a
    re-encoded event carries it, as aws-lambda-go's does).
    """

    key: str | None = field("key")
    size: int | None = field("size")
    url_decoded_key: str | None = field("urlDecodedKey")
    version_id: str | None = field("versionId")
    e_tag: str | None = field("eTag")
    sequencer: str | None = field("sequencer")

    def _after_decode(self) -> None:
        key = self.key
        if key is not None:
            self.url_decoded_key = url_decode_key(key)


@event
class S3Entity:
    """The bucket and object of a record, and the notification configuration that
    matched."""

    schema_version: str | None = field("s3SchemaVersion")
    configuration_id: str | None = field("configurationId")
    bucket: S3Bucket | None = field("bucket")
    object: S3Object | None = field("object")


@event
class S3RestoreEventData:
    """For ``s3:ObjectRestore:Completed``: until when the restored copy is kept, and
    the storage class it was restored from."""

    lifecycle_restoration_expiry_time: datetime | None = field(
        "lifecycleRestorationExpiryTime", wire=RFC3339
    )
    lifecycle_restore_storage_class: str | None = field("lifecycleRestoreStorageClass")


@event
class S3GlacierEventData:
    """Restore details, in the ``glacierEventData`` wrapper S3 uses for restores from
    the archive storage classes."""

    restore_event_data: S3RestoreEventData | None = field("restoreEventData")


@event
class S3ReplicationEventData:
    """For ``s3:Replication:*`` events: the replication rule, destination and, for a
    failed replication, why it failed."""

    replication_rule_id: str | None = field("replicationRuleId")
    destination_bucket: str | None = field("destinationBucket")
    s3_operation: str | None = field("s3Operation")
    request_time: datetime | None = field("requestTime", wire=RFC3339)
    failure_reason: str | None = field("failureReason")


@event
class S3IntelligentTieringEventData:
    """For ``s3:IntelligentTiering``: the archive access tier the object moved to."""

    destination_access_tier: str | None = field("destinationAccessTier")


@event
class S3TransitionEventData:
    """The storage class a lifecycle rule moved the object to."""

    destination_storage_class: str | None = field("destinationStorageClass")


@event
class S3LifecycleEventData:
    """For ``s3:LifecycleTransition``: where the lifecycle rule moved the object."""

    transition_event_data: S3TransitionEventData | None = field("transitionEventData")


@event
class S3EventRecord:
    """One notification: the event name (``ObjectCreated:Put``, ``ObjectRemoved:Delete``
    …), when and where it happened, and the bucket and object. Restore, replication,
    Intelligent-Tiering and lifecycle events carry their own extra data.

    ``principal_id`` holds the ``userIdentity`` object (aws-lambda-go's field name).
    """

    event_version: str | None = field("eventVersion")
    event_source: str | None = field("eventSource")
    aws_region: str | None = field("awsRegion")
    event_time: datetime | None = field("eventTime", wire=RFC3339)
    event_name: str | None = field("eventName")
    principal_id: S3UserIdentity | None = field("userIdentity")
    request_parameters: S3RequestParameters | None = field("requestParameters")
    response_elements: dict[str, str] | None = field("responseElements")
    s3: S3Entity | None = field("s3")
    glacier_event_data: S3GlacierEventData | None = field("glacierEventData")
    restore_event_data: S3RestoreEventData | None = field("restoreEventData")
    replication_event_data: S3ReplicationEventData | None = field("replicationEventData")
    intelligent_tiering_event_data: S3IntelligentTieringEventData | None = field(
        "intelligentTieringEventData"
    )
    lifecycle_event_data: S3LifecycleEventData | None = field("lifecycleEventData")


@event
class S3Event:
    """The event S3 sends to a function configured as a bucket notification destination
    (directly, not through EventBridge): one record per object event."""

    records: list[S3EventRecord] | None = field("Records")


@event
class S3TestEvent:
    """The one-off ``s3:TestEvent`` S3 sends when a bucket's notification configuration
    is saved, to check the destination; it has no ``Records``."""

    service: str | None = field("Service")
    bucket: str | None = field("Bucket")
    event: str | None = field("Event")
    time: datetime | None = field("Time", wire=RFC3339)
    request_id: str | None = field("RequestId")
    host_id: str | None = field("HostId")
