"""Durations sent as JSON numbers of seconds or minutes, as CodeBuild's events carry them.

aws-lambda-go declares ``DurationSeconds`` and ``DurationMinutes`` for these; here they
are wires of those names, giving ``timedelta`` values::

    timeout: timedelta | None = field("timeout-in-minutes", wire=DurationMinutes)

Decoding keeps fractions (Go truncates to whole units); encoding writes an integer when
the duration is a whole number of units and a float otherwise. A decoded value that is not
changed is written back with its source spelling (``60.0`` stays ``60.0``).
"""

from __future__ import annotations

import datetime as _dt

from .._converters import Failure
from ._base import Wire

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = ["DurationMinutes", "DurationSeconds"]


def _number(value: Any, unit: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Failure(f"expected a number ({unit}), got {type(value).__name__}")
    return value


def _decode_seconds(value: Any) -> _dt.timedelta:
    try:
        return _dt.timedelta(seconds=_number(value, "seconds"))
    except OverflowError:
        raise Failure(f"duration out of range: {value!r} seconds") from None


def _decode_minutes(value: Any) -> _dt.timedelta:
    try:
        return _dt.timedelta(minutes=_number(value, "minutes"))
    except OverflowError:
        raise Failure(f"duration out of range: {value!r} minutes") from None


def _in_units(value: _dt.timedelta, unit: _dt.timedelta) -> int | float:
    if not isinstance(value, _dt.timedelta):
        raise TypeError(f"expected a timedelta, got {type(value).__name__}")
    whole, rest = divmod(value, unit)
    if not rest:
        return int(whole)
    return value / unit


_SECOND = _dt.timedelta(seconds=1)
_MINUTE = _dt.timedelta(minutes=1)


def _encode_seconds(value: _dt.timedelta) -> int | float:
    return _in_units(value, _SECOND)


def _encode_minutes(value: _dt.timedelta) -> int | float:
    return _in_units(value, _MINUTE)


DurationSeconds: Final = Wire("duration-seconds", _decode_seconds, _encode_seconds, immutable=True)
"""A duration sent as a number of seconds (``36``, ``4.0``), a ``timedelta`` in Python."""

DurationMinutes: Final = Wire("duration-minutes", _decode_minutes, _encode_minutes, immutable=True)
"""A duration sent as a number of minutes (``60.0``), a ``timedelta`` in Python."""
