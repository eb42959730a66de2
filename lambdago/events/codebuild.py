"""AWS CodeBuild: the EventBridge events for build state changes and build phase changes.

CodeBuild writes the times inside ``detail`` as ``Sep 1, 2025 4:12:29 PM`` (no zone: UTC)
and durations as numbers of seconds or minutes; the wires :data:`CodeBuildTime`,
:data:`~lambdago.events.duration.DurationSeconds` and
:data:`~lambdago.events.duration.DurationMinutes` turn them into ``datetime`` and
``timedelta``. Build numbers arrive as floats (``55.0``) and become ``int``
(:data:`CodeBuildNumber`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from .._converters import Failure
from ._base import RFC3339, Wire, event, field
from .duration import DurationMinutes, DurationSeconds

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final, TypeAlias

__all__ = [
    "CodeBuildArtifact",
    "CodeBuildEnvironment",
    "CodeBuildEnvironmentVariable",
    "CodeBuildEvent",
    "CodeBuildEventAdditionalInformation",
    "CodeBuildEventDetail",
    "CodeBuildEventSource",
    "CodeBuildLogs",
    "CodeBuildNumber",
    "CodeBuildPhase",
    "CodeBuildPhaseChangeDetailType",
    "CodeBuildPhaseStatus",
    "CodeBuildPhaseStatusFailed",
    "CodeBuildPhaseStatusFault",
    "CodeBuildPhaseStatusInProgress",
    "CodeBuildPhaseStatusQueued",
    "CodeBuildPhaseStatusStopped",
    "CodeBuildPhaseStatusSucceeded",
    "CodeBuildPhaseStatusTimedOut",
    "CodeBuildPhaseType",
    "CodeBuildPhaseTypeBuild",
    "CodeBuildPhaseTypeCompleted",
    "CodeBuildPhaseTypeDownloadSource",
    "CodeBuildPhaseTypeFinalizing",
    "CodeBuildPhaseTypeInstall",
    "CodeBuildPhaseTypePostBuild",
    "CodeBuildPhaseTypePreBuild",
    "CodeBuildPhaseTypeProvisioning",
    "CodeBuildPhaseTypeQueued",
    "CodeBuildPhaseTypeSubmitted",
    "CodeBuildPhaseTypeUploadArtifacts",
    "CodeBuildSource",
    "CodeBuildStateChangeDetailType",
    "CodeBuildTime",
]

SAMPLES = {
    "codebuild-build-state-change": "CodeBuildEvent",
    "codebuild-build-phase-change": "CodeBuildEvent",
    "codebuild-build-state-change-github": "CodeBuildEvent",
}

CodeBuildEventSource: Final = "aws.codebuild"
"""The ``source`` of CodeBuild's events."""
CodeBuildStateChangeDetailType: Final = "CodeBuild Build State Change"
"""The ``detail-type`` of a build state change."""
CodeBuildPhaseChangeDetailType: Final = "CodeBuild Build Phase Change"
"""The ``detail-type`` of a build phase change."""

CodeBuildPhaseStatus: TypeAlias = str
"""The status of a build or of one of its phases (``SUCCEEDED``, ``FAILED`` …)."""

CodeBuildPhaseStatusFailed: Final = "FAILED"
CodeBuildPhaseStatusFault: Final = "FAULT"
CodeBuildPhaseStatusInProgress: Final = "IN_PROGRESS"
CodeBuildPhaseStatusQueued: Final = "QUEUED"
CodeBuildPhaseStatusStopped: Final = "STOPPED"
CodeBuildPhaseStatusSucceeded: Final = "SUCCEEDED"
CodeBuildPhaseStatusTimedOut: Final = "TIMED_OUT"

CodeBuildPhaseType: TypeAlias = str
"""A build phase (``SUBMITTED``, ``INSTALL``, ``BUILD`` … ``COMPLETED``)."""

CodeBuildPhaseTypeSubmitted: Final = "SUBMITTED"
CodeBuildPhaseTypeQueued: Final = "QUEUED"
CodeBuildPhaseTypeProvisioning: Final = "PROVISIONING"
CodeBuildPhaseTypeDownloadSource: Final = "DOWNLOAD_SOURCE"
CodeBuildPhaseTypeInstall: Final = "INSTALL"
CodeBuildPhaseTypePreBuild: Final = "PRE_BUILD"
CodeBuildPhaseTypeBuild: Final = "BUILD"
CodeBuildPhaseTypePostBuild: Final = "POST_BUILD"
CodeBuildPhaseTypeUploadArtifacts: Final = "UPLOAD_ARTIFACTS"
CodeBuildPhaseTypeFinalizing: Final = "FINALIZING"
CodeBuildPhaseTypeCompleted: Final = "COMPLETED"


# -- CodeBuild's time layout: "Sep 1, 2025 4:12:29 PM" ------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBERS = {name.lower(): i for i, name in enumerate(_MONTHS, 1)}
_TIME = re.compile(
    r"([A-Za-z]{3}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (AM|PM)"
)


def parse_codebuild_time(text: str) -> _dt.datetime:
    """Parse CodeBuild's ``Sep 1, 2025 4:12:29 PM`` layout into an aware UTC ``datetime``.

    The month name is matched without regard to case; a fraction of a second after the
    seconds is accepted (and kept to the microsecond). Raises ``ValueError`` otherwise.
    """
    m = _TIME.fullmatch(text)
    if m is None:
        raise ValueError(f"not a CodeBuild time (like 'Sep 1, 2025 4:12:29 PM'): {text!r}")
    month_name, day, year, hour, minute, second, fraction, half = m.groups()
    month = _MONTH_NUMBERS.get(month_name.lower())
    if month is None:
        raise ValueError(f"unknown month {month_name!r} in CodeBuild time {text!r}")
    h = int(hour)
    if h > 12:
        raise ValueError(f"hour out of range in CodeBuild time {text!r}")
    if half == "PM" and h < 12:
        h += 12
    elif half == "AM" and h == 12:
        h = 0
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return _dt.datetime(
            int(year), month, int(day), h, int(minute), int(second), micros, tzinfo=_dt.UTC
        )
    except ValueError as exc:
        raise ValueError(f"invalid CodeBuild time {text!r}: {exc}") from None


def format_codebuild_time(value: _dt.datetime) -> str:
    """Write ``value`` in CodeBuild's layout, in UTC (a naive value is taken as UTC).
    Fractions of a second are dropped: the layout has none."""
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is not None:
        value = value.astimezone(_dt.UTC)
    hour = value.hour % 12 or 12
    half = "AM" if value.hour < 12 else "PM"
    return (
        f"{_MONTHS[value.month - 1]} {value.day}, {value.year:04d} "
        f"{hour}:{value.minute:02d}:{value.second:02d} {half}"
    )


def _decode_time(value: Any) -> _dt.datetime:
    if value.__class__ is not str:
        raise Failure(f"expected str (a CodeBuild time), got {type(value).__name__}")
    try:
        return parse_codebuild_time(value)
    except ValueError as exc:
        raise Failure(str(exc)) from None


CodeBuildTime: Final = Wire("codebuild-time", _decode_time, format_codebuild_time, immutable=True)
"""The wire for CodeBuild's times (aws-lambda-go's ``CodeBuildTime``): a
``Sep 1, 2025 4:12:29 PM`` string in JSON, an aware UTC ``datetime`` in Python."""


def _decode_number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Failure(f"expected a number (a build number), got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise Failure(f"invalid build number: {value!r}")
    return int(value)


def _encode_number(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an int build number, got {type(value).__name__}")
    return value


CodeBuildNumber: Final = Wire("codebuild-number", _decode_number, _encode_number, immutable=True)
"""The wire for CodeBuild's build numbers (aws-lambda-go's ``CodeBuildNumber``): sent as a
JSON float (``55.0``), an ``int`` in Python (a fraction is dropped, as Go does)."""


# -- the event ------------------------------------------------------------------------------


@event
class CodeBuildArtifact:
    """The build's output artifact: its location and checksums."""

    md5_sum: str | None = field("md5sum")
    sha256_sum: str | None = field("sha256sum")
    location: str | None = field("location")


@event
class CodeBuildEnvironmentVariable:
    """An environment variable of the build: ``PLAINTEXT``, ``PARAMETER_STORE`` or
    ``SECRETS_MANAGER`` (for the latter two, ``value`` names where the value lives)."""

    name: str | None = field("name")
    type: str | None = field("type")
    value: str | None = field("value")


@event
class CodeBuildEnvironment:
    """The build environment: image, compute type, container type, privileged mode, and
    environment variables; and ``image-pull-credentials-type`` (``CODEBUILD`` or
    ``SERVICE_ROLE``), which aws-lambda-go lacks."""

    image: str | None = field("image")
    privileged_mode: bool | None = field("privileged-mode")
    compute_type: str | None = field("compute-type")
    type: str | None = field("type")
    environment_variables: list[CodeBuildEnvironmentVariable] | None = field(
        "environment-variables"
    )
    image_pull_credentials_type: str | None = field("image-pull-credentials-type")


@event
class CodeBuildSource:
    """Where the build's source came from (``S3``, ``CODECOMMIT``, ``GITHUB`` …).

    Declared here beyond aws-lambda-go's two fields, as CodeBuild sends them for sources
    that have them: ``buildspec`` (a file name or an inline buildspec), ``git-clone-depth``,
    ``git-submodules-config`` (``{"fetch-submodules": …}``), ``report-build-status`` and
    ``auth`` (``{"type": …, "resource": …}``). ``git-clone-depth`` may come as a float
    (``1.0``), as build numbers do; a whole float is read as an ``int``."""

    location: str | None = field("location")
    type: str | None = field("type")
    buildspec: str | None = field("buildspec")
    git_clone_depth: int | None = field("git-clone-depth")
    git_submodules_config: dict[str, Any] | None = field("git-submodules-config")
    report_build_status: bool | None = field("report-build-status")
    auth: dict[str, Any] | None = field("auth")


@event
class CodeBuildLogs:
    """The build's CloudWatch Logs group and stream, and a console link to them."""

    group_name: str | None = field("group-name")
    stream_name: str | None = field("stream-name")
    deep_link: str | None = field("deep-link")


@event
class CodeBuildPhase:
    """One phase of the build so far: its type, status, start and end, and duration. The
    last (current) phase has only a type and a start time."""

    phase_context: list[Any] | None = field("phase-context")
    start_time: _dt.datetime | None = field("start-time", wire=CodeBuildTime)
    end_time: _dt.datetime | None = field("end-time", wire=CodeBuildTime)
    duration: _dt.timedelta | None = field("duration-in-seconds", wire=DurationSeconds)
    phase_type: CodeBuildPhaseType | None = field("phase-type")
    phase_status: CodeBuildPhaseStatus | None = field("phase-status")


@event
class CodeBuildEventAdditionalInformation:
    """The build as it stands: artifact, environment, timeout, number, initiator, start
    time, source, logs, and the phases run so far.

    Declared here beyond aws-lambda-go's fields: ``queued-timeout-in-minutes`` (a
    ``timedelta``, like ``timeout-in-minutes``), ``cache`` (the project's cache settings,
    ``{"type": "NO_CACHE"}`` and the like) and ``project-file-system-locations`` (the
    file systems mounted in the build), the last two kept as sent."""

    artifact: CodeBuildArtifact | None = field("artifact")
    environment: CodeBuildEnvironment | None = field("environment")
    timeout: _dt.timedelta | None = field("timeout-in-minutes", wire=DurationMinutes)
    build_complete: bool | None = field("build-complete")
    build_number: int | None = field("build-number", wire=CodeBuildNumber)
    initiator: str | None = field("initiator")
    build_start_time: _dt.datetime | None = field("build-start-time", wire=CodeBuildTime)
    source: CodeBuildSource | None = field("source")
    source_version: str | None = field("source-version")
    logs: CodeBuildLogs | None = field("logs")
    phases: list[CodeBuildPhase] | None = field("phases")
    queued_timeout: _dt.timedelta | None = field("queued-timeout-in-minutes", wire=DurationMinutes)
    cache: dict[str, Any] | None = field("cache")
    project_file_system_locations: list[dict[str, Any]] | None = field(
        "project-file-system-locations"
    )


@event
class CodeBuildEventDetail:
    """The build the event is about. A state change fills ``build-status`` and
    ``current-phase``; a phase change fills the ``completed-phase-*`` keys."""

    build_status: CodeBuildPhaseStatus | None = field("build-status")
    project_name: str | None = field("project-name")
    build_id: str | None = field("build-id")
    additional_information: CodeBuildEventAdditionalInformation | None = field(
        "additional-information"
    )
    current_phase: CodeBuildPhaseType | None = field("current-phase")
    current_phase_context: str | None = field("current-phase-context")
    version: str | None = field("version")
    completed_phase_status: CodeBuildPhaseStatus | None = field("completed-phase-status")
    completed_phase: CodeBuildPhaseType | None = field("completed-phase")
    completed_phase_context: str | None = field("completed-phase-context")
    completed_phase_duration: _dt.timedelta | None = field(
        "completed-phase-duration-seconds", wire=DurationSeconds
    )
    completed_phase_start: _dt.datetime | None = field("completed-phase-start", wire=CodeBuildTime)
    completed_phase_end: _dt.datetime | None = field("completed-phase-end", wire=CodeBuildTime)


@event
class CodeBuildEvent:
    """A CodeBuild event (``source`` ``aws.codebuild``) delivered through EventBridge: a
    build state change or a build phase change, told apart by ``detail-type``.

    ``replay-name`` is present only on an event EventBridge replays from an archive
    (aws-lambda-go lacks it)."""

    account_id: str | None = field("account")
    region: str | None = field("region")
    detail_type: str | None = field("detail-type")
    source: str | None = field("source")
    version: str | None = field("version")
    time: _dt.datetime | None = field("time", wire=RFC3339)
    id: str | None = field("id")
    resources: list[str] | None = field("resources")
    detail: CodeBuildEventDetail | None = field("detail")
    replay_name: str | None = field("replay-name")

    def is_state_change(self) -> bool:
        """Whether this is a build state change (``CodeBuild Build State Change``)."""
        return self.detail_type == CodeBuildStateChangeDetailType

    def is_phase_change(self) -> bool:
        """Whether this is a build phase change (``CodeBuild Build Phase Change``)."""
        return self.detail_type == CodeBuildPhaseChangeDetailType
