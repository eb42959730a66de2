"""AWS CodeCommit: the event a repository trigger sends to Lambda when branches or tags
are created, updated or deleted."""

from __future__ import annotations

import datetime as _dt
import re

from .._converters import Failure
from ._base import Wire, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "CodeCommitCodeCommit",
    "CodeCommitEvent",
    "CodeCommitEventTime",
    "CodeCommitRecord",
    "CodeCommitReference",
]

SAMPLES = {"codecommit-push": "CodeCommitEvent"}

# CodeCommit writes its event times as 2024-05-07T09:41:03.512+0000: exactly three
# fraction digits and an offset without a colon. Like Go's layout, the day may have one digit.
_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{1,2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})([+-])(\d{2})(\d{2})"
)


def _decode_time(value: Any) -> _dt.datetime:
    if value.__class__ is not str:
        raise Failure(f"expected str (a CodeCommit event time), got {type(value).__name__}")
    m = _TIME.fullmatch(value)
    if m is None:
        raise Failure(f"invalid CodeCommit event time: {value!r}")
    year, month, day, hour, minute, second, millis, sign, oh, om = m.groups()
    try:
        offset = _dt.timedelta(hours=int(oh), minutes=int(om))
        tz = _dt.timezone(-offset if sign == "-" else offset)
        return _dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int(millis) * 1000,
            tzinfo=tz,
        )
    except ValueError:
        raise Failure(f"invalid CodeCommit event time: {value!r}") from None


def _encode_time(value: _dt.datetime) -> str:
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.UTC)
    offset = value.utcoffset() or _dt.timedelta(0)
    sign = "-" if offset < _dt.timedelta(0) else "+"
    minutes = abs(offset) // _dt.timedelta(minutes=1)
    millis = value.microsecond // 1000
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{millis:03d}"
        f"{sign}{minutes // 60:02d}{minutes % 60:02d}"
    )


CodeCommitEventTime: Final = Wire("codecommit-time", _decode_time, _encode_time, immutable=True)
"""The wire for CodeCommit's event times (aws-lambda-go's ``CodeCommitEventTime``):
``2024-05-07T09:41:03.512+0000`` in JSON, an aware ``datetime`` in Python (milliseconds
kept, finer digits dropped when encoding)."""


@event
class CodeCommitReference:
    """A Git reference the push changed: the commit it now points to, and whether it was
    created or deleted (both keys are absent for an update)."""

    commit: str | None = field("commit")
    ref: str | None = field("ref")
    created: bool | None = field("created")
    deleted: bool | None = field("deleted")


@event
class CodeCommitCodeCommit:
    """The references the event is about."""

    references: list[CodeCommitReference] | None = field("references")


@event
class CodeCommitRecord:
    """One trigger notification: the repository (``eventSourceARN``), who pushed, the
    trigger that fired and its custom data, and the references changed."""

    event_id: str | None = field("eventId")
    event_version: str | None = field("eventVersion")
    event_time: _dt.datetime | None = field("eventTime", wire=CodeCommitEventTime)
    event_trigger_name: str | None = field("eventTriggerName")
    event_part_number: int | None = field("eventPartNumber")
    code_commit: CodeCommitCodeCommit | None = field("codecommit")
    event_name: str | None = field("eventName")
    event_trigger_config_id: str | None = field("eventTriggerConfigId")
    event_source_arn: str | None = field("eventSourceARN")
    user_identity_arn: str | None = field("userIdentityARN")
    event_source: str | None = field("eventSource")
    aws_region: str | None = field("awsRegion")
    event_total_parts: int | None = field("eventTotalParts")
    custom_data: str | None = field("customData")


@event
class CodeCommitEvent:
    """What a CodeCommit repository trigger with a Lambda target sends: usually one record
    in ``Records``."""

    records: list[CodeCommitRecord] | None = field("Records")
