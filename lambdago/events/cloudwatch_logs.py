"""Amazon CloudWatch Logs: the event a subscription filter sends to a function, with its
log events gzipped and base64-encoded in ``awslogs.data``."""

from __future__ import annotations

from ._base import BASE64, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CloudwatchLogsData",
    "CloudwatchLogsEvent",
    "CloudwatchLogsLogEvent",
    "CloudwatchLogsRawData",
]

SAMPLES = {"cloudwatch-logs": "CloudwatchLogsEvent"}


@event
class CloudwatchLogsLogEvent:
    """One log line: its id, ``timestamp`` (milliseconds since the Unix epoch) and
    message, and ``extractedFields`` (name to value) when the subscription filter's
    pattern names fields, as a space-delimited pattern does. aws-lambda-go lacks
    ``extractedFields``."""

    id: str | None = field("id")
    timestamp: int | None = field("timestamp")
    message: str | None = field("message")
    extracted_fields: dict[str, Any] | None = field("extractedFields")


@event
class CloudwatchLogsData:
    """The decompressed payload: the log group and stream, the subscription filters that
    matched, and the log events.

    ``messageType`` is ``DATA_MESSAGE``, or ``CONTROL_MESSAGE`` for the message CloudWatch
    Logs sends to check that the destination is reachable.

    ``policyLevel`` says which kind of subscription filter sent the data
    (``ACCOUNT_LEVEL_POLICY`` for an account-level subscription filter policy);
    aws-lambda-go lacks this field.
    """

    owner: str | None = field("owner")
    log_group: str | None = field("logGroup")
    log_stream: str | None = field("logStream")
    subscription_filters: list[str] | None = field("subscriptionFilters")
    message_type: str | None = field("messageType")
    log_events: list[CloudwatchLogsLogEvent] | None = field("logEvents")
    policy_level: str | None = field("policyLevel")


@event
class CloudwatchLogsRawData:
    """The compressed payload: ``data`` is base64 of gzipped JSON; :meth:`parse` reads it."""

    data: str | None = field("data")

    def parse(self) -> CloudwatchLogsData:
        """The payload decoded: base64, then gunzip, then JSON into
        :class:`CloudwatchLogsData`.

        Raises :class:`lambdago.DecodeError` (path ``awslogs.data``) naming the step that
        failed.
        """
        return _parse(self.data)


@event
class CloudwatchLogsEvent:
    """The event a CloudWatch Logs subscription filter sends to a function for a batch
    of log events that matched it."""

    aws_logs: CloudwatchLogsRawData | None = field("awslogs")

    def parse(self) -> CloudwatchLogsData:
        """``awslogs.data`` decoded (see :meth:`CloudwatchLogsRawData.parse`)."""
        if self.aws_logs is None:
            from ..errors import DecodeError

            raise DecodeError("the event has no awslogs object", "awslogs")
        return _parse(self.aws_logs.data)


def _parse(data: str | None) -> CloudwatchLogsData:
    import zlib

    from .._converters import Failure
    from ..codec import decode
    from ..errors import DecodeError

    path = "awslogs.data"
    if data is None:
        raise DecodeError("no data to parse", path)
    try:
        compressed = BASE64.decode(data)
    except Failure:
        raise DecodeError("not valid base64", path) from None
    try:
        raw = _gunzip(compressed)
    except (zlib.error, EOFError) as exc:
        raise DecodeError(f"not valid gzip data after base64 decoding ({exc})", path) from None
    try:
        parsed: CloudwatchLogsData = decode(raw, CloudwatchLogsData)
    except DecodeError as exc:
        raise DecodeError(
            f"the decompressed data is not CloudWatch Logs JSON: {exc}", path
        ) from None
    return parsed


def _gunzip(data: bytes) -> bytes:
    """Decompress gzip data (one or more members), as ``gzip.decompress`` does, without
    importing the ``gzip`` module."""
    import zlib

    out = []
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out.append(inflater.decompress(data))
        if not inflater.eof:
            raise EOFError("the compressed data ends before the end of the gzip stream")
        out.append(inflater.flush())
        # Members may be followed by zero padding, which gzip readers skip.
        data = inflater.unused_data.lstrip(b"\x00")
        if not data:
            return b"".join(out)
