"""CodeBuild state and phase change events, CodeBuild's time layout, build numbers and the
duration wires."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    CodeBuildEvent,
    CodeBuildNumber,
    CodeBuildTime,
    DurationMinutes,
    DurationSeconds,
)
from lambdago.events._base import event, field
from lambdago.events.codebuild import format_codebuild_time, parse_codebuild_time
from tests.conftest import CONFORMANCE, json_diff

UTC = dt.UTC


@event
class Probe:
    """A test-only event class using the wires the way a user's own class would."""

    at: dt.datetime | None = field("at", wire=CodeBuildTime)
    number: int | None = field("number", wire=CodeBuildNumber)
    seconds: dt.timedelta | None = field("seconds", wire=DurationSeconds)
    minutes: dt.timedelta | None = field("minutes", wire=DurationMinutes)


def _probe(doc: dict[str, Any]) -> Probe:
    value: Probe = lambdago.decode(json.dumps(doc), Probe)
    return value


def _json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


@pytest.mark.parametrize("name", ["codebuild-build-state-change", "codebuild-build-phase-change"])
def test_samples_round_trip(name: str) -> None:
    raw = lambdago.events.sample(name)
    value = lambdago.decode(raw, CodeBuildEvent)
    assert not json_diff(_json(value), json.loads(raw))


def test_state_change_sample_values() -> None:
    ev = lambdago.decode(lambdago.events.sample("codebuild-build-state-change"), CodeBuildEvent)
    assert ev.is_state_change()
    assert not ev.is_phase_change()
    assert ev.time == dt.datetime(2025, 6, 3, 15, 2, 12, tzinfo=UTC)
    assert ev.detail is not None
    assert ev.detail.build_status == lambdago.events.CodeBuildPhaseStatusFailed
    info = ev.detail.additional_information
    assert info is not None
    assert info.timeout == dt.timedelta(hours=1)
    assert info.build_number == 412
    assert info.build_start_time == dt.datetime(2025, 6, 3, 14, 58, 11, tzinfo=UTC)
    assert info.phases is not None
    build = next(p for p in info.phases if p.phase_type == lambdago.events.CodeBuildPhaseTypeBuild)
    assert build.duration == dt.timedelta(seconds=145)
    assert build.end_time == dt.datetime(2025, 6, 3, 15, 2, 7, tzinfo=UTC)
    assert build.phase_context == [
        "COMMAND_EXECUTION_ERROR: Error while executing command: npm test. Reason: exit status 1"
    ]
    last = info.phases[-1]
    assert last.phase_type == "COMPLETED"
    assert last.end_time is None
    assert last.duration is None


def test_phase_change_sample_values() -> None:
    ev = lambdago.decode(lambdago.events.sample("codebuild-build-phase-change"), CodeBuildEvent)
    assert ev.is_phase_change()
    assert ev.detail is not None
    assert ev.detail.completed_phase == "BUILD"
    assert ev.detail.completed_phase_duration == dt.timedelta(seconds=145)
    assert ev.detail.completed_phase_start == dt.datetime(2025, 6, 3, 14, 59, 42, tzinfo=UTC)
    assert ev.detail.completed_phase_end == dt.datetime(2025, 6, 3, 15, 2, 7, tzinfo=UTC)


@pytest.mark.skipif(not CONFORMANCE.exists(), reason="the shared conformance corpus is absent")
@pytest.mark.parametrize("name", ["codebuild-state-change.json", "codebuild-phase-change.json"])
def test_source_spelling_is_kept(name: str) -> None:
    """Go re-encodes these files differently; lambdago gives back the input text's values,
    including float spellings such as ``55.0`` and ``0.0``."""
    raw = (CONFORMANCE / "testdata" / name).read_bytes()
    encoded = lambdago.encode(lambdago.decode(raw, CodeBuildEvent))
    assert b'"build-number":55.0' in encoded
    assert b'"timeout-in-minutes":60.0' in encoded
    assert b'"duration-in-seconds":0.0' in encoded
    assert b'"duration-in-seconds":0,' in encoded
    assert json.loads(encoded) == json.loads(raw)


def test_changed_values_are_written_in_codebuilds_layout() -> None:
    ev = lambdago.decode(lambdago.events.sample("codebuild-build-phase-change"), CodeBuildEvent)
    assert ev.detail is not None
    ev.detail.completed_phase_end = dt.datetime(2025, 6, 3, 0, 5, 9, 750000, tzinfo=UTC)
    ev.detail.completed_phase_duration = dt.timedelta(minutes=5, seconds=2, milliseconds=500)
    assert ev.detail.additional_information is not None
    ev.detail.additional_information.timeout = dt.timedelta(minutes=90)
    ev.detail.additional_information.build_number = 413
    out = _json(ev)
    assert out["detail"]["completed-phase-end"] == "Jun 3, 2025 12:05:09 AM"
    assert out["detail"]["completed-phase-duration-seconds"] == 302.5
    assert out["detail"]["additional-information"]["timeout-in-minutes"] == 90
    assert out["detail"]["additional-information"]["build-number"] == 413


# -- CodeBuildTime ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sep 1, 2017 4:12:29 PM", dt.datetime(2017, 9, 1, 16, 12, 29, tzinfo=UTC)),
        ("Sep 13, 2019 4:12:29 AM", dt.datetime(2019, 9, 13, 4, 12, 29, tzinfo=UTC)),
        ("Jan 1, 2026 12:00:00 AM", dt.datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)),
        ("Jan 1, 2026 12:30:00 PM", dt.datetime(2026, 1, 1, 12, 30, 0, tzinfo=UTC)),
        ("Dec 31, 2025 11:59:59 PM", dt.datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("dec 05, 2025 09:01:02 AM", dt.datetime(2025, 12, 5, 9, 1, 2, tzinfo=UTC)),
        ("Mar 2, 2025 1:02:03.25 PM", dt.datetime(2025, 3, 2, 13, 2, 3, 250000, tzinfo=UTC)),
    ],
)
def test_codebuild_times_parse(text: str, expected: dt.datetime) -> None:
    assert parse_codebuild_time(text) == expected
    assert _probe({"at": text}).at == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.datetime(2017, 9, 1, 16, 12, 29, tzinfo=UTC), "Sep 1, 2017 4:12:29 PM"),
        (dt.datetime(2026, 1, 1, 0, 0, 0), "Jan 1, 2026 12:00:00 AM"),
        (dt.datetime(2026, 1, 1, 12, 0, 5, 999999, tzinfo=UTC), "Jan 1, 2026 12:00:05 PM"),
        (
            dt.datetime(2025, 7, 1, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "Jun 30, 2025 11:30:00 PM",
        ),
    ],
)
def test_codebuild_times_format(value: dt.datetime, text: str) -> None:
    assert format_codebuild_time(value) == text
    probe = Probe()
    probe.at = value
    assert _json(probe) == {"at": text}


@pytest.mark.parametrize(
    "text",
    [
        "2017-09-01T16:12:29Z",
        "Sep 1, 2017 16:12:29",
        "Sep 1, 2017 13:12:29 PM",
        "Sept 1, 2017 4:12:29 PM",
        "Foo 1, 2017 4:12:29 PM",
        "Feb 30, 2025 4:12:29 PM",
        "Sep 1, 2017 4:12:29 pm",
        "Sep 1, 2017 4:60:29 PM",
        "",
    ],
)
def test_bad_codebuild_times_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match=r"CodeBuild time|month"):
        parse_codebuild_time(text)
    with pytest.raises(lambdago.DecodeError, match=r"^at: "):
        _probe({"at": text})


def test_codebuild_time_must_be_a_string() -> None:
    with pytest.raises(
        lambdago.DecodeError, match=r"at: expected str \(a CodeBuild time\), got int"
    ):
        _probe({"at": 1504282349})
    with pytest.raises(TypeError, match="expected a datetime"):
        format_codebuild_time("Sep 1, 2017 4:12:29 PM")  # type: ignore[arg-type]


_aware_seconds = st.datetimes(
    min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9999, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))


@given(_aware_seconds)
def test_codebuild_time_format_then_parse_is_identity(value: dt.datetime) -> None:
    assert parse_codebuild_time(format_codebuild_time(value)) == value


@given(_aware_seconds)
def test_codebuild_time_survives_an_event_round_trip(value: dt.datetime) -> None:
    probe = Probe()
    probe.at = value
    again = lambdago.decode(lambdago.encode(probe), Probe)
    assert again.at == value


# -- CodeBuildNumber ----------------------------------------------------------------------------


def test_build_numbers() -> None:
    assert _probe({"number": 55.0}).number == 55
    assert _probe({"number": 7}).number == 7
    assert _probe({"number": 55.9}).number == 55  # truncated, as Go does
    assert lambdago.encode(_probe({"number": 55.0})) == b'{"number":55.0}'
    with pytest.raises(lambdago.DecodeError, match="number: expected a number"):
        _probe({"number": "55"})
    with pytest.raises(lambdago.DecodeError, match="number: expected a number"):
        _probe({"number": True})
    probe = Probe()
    probe.number = 56
    assert _json(probe) == {"number": 56}


# -- durations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "attr", "expected"),
    [
        ({"seconds": 36}, "seconds", dt.timedelta(seconds=36)),
        ({"seconds": 4.0}, "seconds", dt.timedelta(seconds=4)),
        ({"seconds": 0.25}, "seconds", dt.timedelta(milliseconds=250)),
        ({"minutes": 60.0}, "minutes", dt.timedelta(hours=1)),
        ({"minutes": 1.5}, "minutes", dt.timedelta(seconds=90)),
        ({"minutes": 480}, "minutes", dt.timedelta(hours=8)),
    ],
)
def test_durations_decode(doc: dict[str, Any], attr: str, expected: dt.timedelta) -> None:
    probe = _probe(doc)
    assert getattr(probe, attr) == expected
    assert lambdago.encode(probe) == json.dumps(doc, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    ("attr", "value", "expected"),
    [
        ("seconds", dt.timedelta(minutes=2), 120),
        ("seconds", dt.timedelta(seconds=1, milliseconds=500), 1.5),
        ("seconds", dt.timedelta(0), 0),
        ("seconds", dt.timedelta(seconds=-3), -3),
        ("minutes", dt.timedelta(hours=2), 120),
        ("minutes", dt.timedelta(seconds=90), 1.5),
    ],
)
def test_durations_encode(attr: str, value: dt.timedelta, expected: float) -> None:
    probe = Probe()
    setattr(probe, attr, value)
    out = _json(probe)[attr]
    assert out == expected
    assert type(out) is type(expected)


@pytest.mark.parametrize("bad", ["60", True, [1], {"m": 1}])
def test_durations_reject_non_numbers(bad: Any) -> None:
    with pytest.raises(lambdago.DecodeError, match=r"^minutes: expected a number \(minutes\)"):
        _probe({"minutes": bad})
    with pytest.raises(lambdago.DecodeError, match=r"^seconds: expected a number \(seconds\)"):
        _probe({"seconds": bad})


def test_durations_out_of_range() -> None:
    with pytest.raises(lambdago.DecodeError, match="duration out of range"):
        _probe({"minutes": 1e300})


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_whole_durations_encode_as_integers(n: int) -> None:
    probe = Probe()
    probe.seconds = dt.timedelta(seconds=n)
    probe.minutes = dt.timedelta(minutes=n)
    assert _json(probe) == {"seconds": n, "minutes": n}
    again = lambdago.decode(lambdago.encode(probe), Probe)
    assert again.seconds == probe.seconds
    assert again.minutes == probe.minutes


@given(st.timedeltas(min_value=dt.timedelta(days=-9999), max_value=dt.timedelta(days=9999)))
def test_second_durations_round_trip_to_the_millisecond(value: dt.timedelta) -> None:
    probe = Probe()
    probe.seconds = value
    again = lambdago.decode(lambdago.encode(probe), Probe)
    assert again.seconds is not None
    assert abs(again.seconds - value) <= dt.timedelta(milliseconds=1)
