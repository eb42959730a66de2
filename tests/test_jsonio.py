"""The cold-start JSON engine gives exactly what orjson gives (see lambdago/_jsonio.py)."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import math
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from lambdago import _jsonio


@pytest.fixture(autouse=True)
def _restore_engine() -> Iterator[None]:
    yield
    _jsonio.use_orjson()


def _cold_loads(data: bytes) -> Any:
    assert _jsonio.use_cold_start_engine() or "orjson" in sys.modules
    _jsonio.loads = _jsonio._cold_loads  # force it even though orjson is imported here
    return _jsonio.loads(data)


def _outcome(fn: Any, data: Any) -> tuple[str, Any]:
    try:
        return ("ok", fn(data))
    except Exception as exc:
        return ("error", type(exc).__name__)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES, st.sampled_from(["", " ", "\n", "\t\r\n "]))
def test_cold_loads_matches_orjson_on_valid_documents(value: Any, ws: str) -> None:
    text = (ws + json.dumps(value, ensure_ascii=False) + ws).encode("utf-8")
    expected = orjson.loads(text)
    assert _jsonio._cold_ready()
    assert _same(_jsonio._scan_document(_jsonio._cold_scan, text), expected)


@settings(max_examples=600, deadline=None)
@given(
    st.binary(max_size=40)
    | st.text(alphabet='{}[]",:0123456789.eE+-tfnrul \\ud8\n', max_size=30).map(str.encode)
)
@example(b'"\\ud800"')
@example(b"NaN")
@example(b"[1,]")
@example(b"1e400")
@example(b"18446744073709551616")
@example(b"-9223372036854775809")
@example(b"\xef\xbb\xbf{}")
@example(b'"\x01"')
@example(b"{} x")
@example(b"")
def test_cold_loads_agrees_with_orjson_on_any_bytes(data: bytes) -> None:
    expected = _outcome(orjson.loads, data)
    got = _outcome(_cold_loads, data)
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert _same(got[1], expected[1])


class Colour(enum.Enum):
    RED = "red"


@attrs.define
class Thing:
    name: str
    when: datetime.datetime


@dataclasses.dataclass
class Box:
    size: int
    label: str | None = None


ENCODABLE = st.recursive(
    JSON_VALUES
    | st.datetimes(timezones=st.none() | st.just(datetime.UTC) | st.timezones())
    | st.dates()
    | st.times()
    | st.uuids()
    | st.just(Colour.RED)
    | st.binary(max_size=8)
    | st.builds(Box, st.integers(-5, 5), st.none() | st.text(max_size=3))
    | st.builds(Thing, st.text(max_size=3), st.datetimes())
    | st.decimals(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=3) | st.integers(), children, max_size=3)
        | st.frozensets(st.integers(), max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(ENCODABLE)
def test_cold_dumps_matches_orjson(value: Any) -> None:
    _jsonio.use_orjson()
    expected = _outcome(_jsonio.dumps, value)
    assume(expected[0] == "ok")  # values orjson itself refuses are tested elsewhere
    cold = _outcome(_jsonio._cold_dumps, value)
    assert cold[0] == "ok"
    # The same document; floats may differ only in exponent spelling (1e+16 vs 1e16).
    assert _same(json.loads(cold[1]), json.loads(expected[1]))
    if b"e" not in expected[1].lower() or not any(isinstance(v, float) for v in _walk(value)):
        assert cold[1] == expected[1] or b"e" in cold[1].lower()


def _walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, (list, tuple, frozenset, set)):
        for v in value:
            yield from _walk(v)


def test_cold_dumps_exact_bytes_for_common_results() -> None:
    value = {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": '{"message":"hello <world> & é"}',
        "ids": [1, 2, 3],
        "ok": True,
        "nothing": None,
        "ratio": 0.25,
        "when": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
        "id": uuid.UUID(int=1),
    }
    _jsonio.use_orjson()
    assert _jsonio._cold_dumps(value) == _jsonio.dumps(value)


def test_cold_engine_hands_odd_values_to_orjson() -> None:
    for value in (
        {1: 2},
        [float("nan")],
        decimal.Decimal("1.5"),
        [2**70],
        datetime.time(1, tzinfo=datetime.UTC),
    ):
        _jsonio.use_orjson()
        expected = _outcome(_jsonio.dumps, value)
        got = _outcome(_jsonio._cold_dumps, value)
        assert got == expected, value


def test_the_runtime_imports_orjson_only_after_the_first_answer(tmp_path: Any) -> None:
    code = (
        "import sys, lambdago._jsonio as j\n"
        "assert j.use_cold_start_engine()\n"
        "assert j.loads(b'{\"a\": [1, 2.5]}') == {'a': [1, 2.5]}\n"
        "assert j.dumps({'a': 1}) == b'{\"a\":1}'\n"
        "print('orjson' in sys.modules)\n"
        "j.use_orjson()\n"
        "print('orjson' in sys.modules, j.engine)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "orjson"]


def test_reindent_matches_the_stdlib_layout() -> None:
    value = {"a": [1, [], {}, {"b": "x,y:z"}], "q": 'say "hi"\\', "n": None}
    compact = orjson.dumps(value)
    for indent in ("  ", "    ", "\t", " "):
        assert _jsonio.reindent(compact, indent) == json.dumps(value, indent=indent).encode()
