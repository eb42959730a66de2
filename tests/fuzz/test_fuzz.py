"""The fuzz targets (targets.py) in every test run: hypothesis-driven, and a short
coverage-guided atheris run of each when atheris is installed (the ``test`` extra installs
it on Linux x86_64). The long runs are in docs/reliability.md."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.errors import DecodeError

from . import targets
from .targets import ROOT

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- arbitrary bytes into every target ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(targets.TARGETS))
@FAST
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes(name: str, data: bytes) -> None:
    targets.TARGETS[name](data)


# -- structure-aware inputs ---------------------------------------------------------------------

_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["\x00", "\ud800", "\udfff", "1e999", "2020-13-45T99:99:99Z", "x" * 5000]),
)
json_values = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)


@FAST
@given(type_index=st.integers(0, 2**16 - 1), value=json_values, strict=st.booleans())
def test_random_json_into_every_event_type(type_index: int, value: Any, strict: bool) -> None:
    prefix = (type_index | 0x8000 if strict else type_index & 0x7FFF).to_bytes(2, "big")
    targets.event_codec(prefix + targets._dumps(value))


@settings(max_examples=300, deadline=None)
@given(seed=st.binary(min_size=4, max_size=12))
@example(seed=b"\x00O\x03O")  # a Chime event nested past orjson's 255 levels (fixed)
def test_mutated_real_events(seed: bytes) -> None:
    targets.mutated_event(seed)


_attribute = st.deferred(
    lambda: st.one_of(
        st.builds(lambda s: {"S": s}, st.text(max_size=10)),
        st.builds(
            lambda n: {"N": n},
            st.sampled_from(["1", "-1.5e10", "1e9999999999", "abc", "", ".5", "00"]),
        ),
        st.builds(lambda b: {"B": b}, st.sampled_from(["AAE=", "!!", "", "AA"])),
        st.builds(lambda b: {"BOOL": b}, st.booleans() | st.integers()),
        st.just({"NULL": True}) | st.just({"NULL": False}),
        st.builds(lambda xs: {"L": xs}, st.lists(_attribute, max_size=3)),
        st.builds(lambda m: {"M": m}, st.dictionaries(st.text(max_size=5), _attribute, max_size=3)),
        st.builds(lambda xs: {"SS": xs}, st.lists(st.text(max_size=5) | st.integers(), max_size=3)),
        st.builds(lambda xs: {"NS": xs}, st.lists(st.sampled_from(["1", "2.5", "x"]), max_size=3)),
        st.builds(lambda xs: {"BS": xs}, st.lists(st.sampled_from(["AA==", "?"]), max_size=3)),
        json_values,  # anything else at any position
    )
)


@FAST
@given(st.dictionaries(st.text(max_size=6), _attribute, max_size=4))
def test_dynamodb_attribute_values(image: dict[str, Any]) -> None:
    targets.dynamodb(targets._dumps(image))


def test_dynamodb_deep_nesting_is_rejected_or_round_trips() -> None:
    for depth in (100, 300, 500, 2000):
        value: Any = {"S": "leaf"}
        for _ in range(depth):
            value = {"M": {"k": value}} if depth % 2 else {"L": [value]}
        targets.dynamodb(targets._dumps({"a": value}) if depth < 400 else _deep_text(depth))


def _deep_text(depth: int) -> bytes:
    return b'{"a":' + b'{"L":[' * depth + b'{"S":"x"}' + b"]}" * depth + b"}"


@FAST
@given(
    st.dictionaries(
        st.sampled_from(targets._CONTEXT_HEADERS),
        st.text() | st.sampled_from(["{}", "[]", "null", '{"client": 1}', '{"env": []}', "1e999"]),
    )
)
def test_context_headers_any_values(headers: dict[str, str]) -> None:
    data = b"\n".join(
        bytes([targets._CONTEXT_HEADERS.index(k)]) + v.encode("utf-8", "surrogatepass")
        for k, v in headers.items()
        if "\n" not in v
    )
    targets.context_headers(data)


@FAST
@given(st.text(max_size=60))
def test_handler_names(text: str) -> None:
    targets.handler_name(text.encode("utf-8", "surrogatepass"))


# -- hostile values at every position of every real event ----------------------------------------

SWEEP_VALUES = [None, "\ud800", [], targets._deep(300, "dict"), 2**64, "x" * 70_000]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(document)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


@pytest.mark.parametrize("sample", sorted(lambdago.events.sample_names()))
def test_hostile_value_at_every_position(sample: str) -> None:
    """Each sample event with a hostile value put at each position in turn: decoded (and
    then encoded and decoded again, identically) or refused with DecodeError."""
    cls = getattr(lambdago.events, lambdago.events.sample_names()[sample])
    document = json.loads(lambdago.events.sample(sample))
    for path in _paths(document):
        for i, value in enumerate(SWEEP_VALUES):
            if (len(path) + i) % 2 and i >= 3:
                continue  # the large values at every other position: the sweep stays fast
            targets._decode_encode(targets._dumps(_replaced(document, path, value)), cls)


def test_decoded_deep_values_encode_again() -> None:
    """orjson reads 1024 levels but writes 255: a deep event must still encode (fixed in
    lambdago/_jsonio.py by falling back to the stdlib encoder)."""
    deep = targets._deep(600, "list")
    assert lambdago.decode(lambdago.encode(deep)) == deep
    value = lambdago.decode(json.dumps({"detail": targets._deep(400, "dict")}), Any)
    assert json.loads(lambdago.encode(value)) == value
    with pytest.raises(DecodeError, match="malformed JSON"):
        lambdago.decode(b"[" * 5000 + b"]" * 5000)


# -- atheris, coverage-guided: a short run of each target ---------------------------------------


@pytest.mark.parametrize("name", sorted(targets.TARGETS))
def test_atheris_short_run(name: str) -> None:
    pytest.importorskip("atheris", reason="atheris is not installed (a Linux x86_64 wheel)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "tests.fuzz", name, "-runs=400", "-seed=1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Done 400 runs" in result.stderr
