"""Exact round trips of sample events: decode, encode, and get the same JSON back, with
the same value types (``1.0`` stays a float, ``1`` an int, ``true`` a bool)."""

from __future__ import annotations

import json
from typing import Any

import lambdago
import lambdago.events


def exact_diff(a: Any, b: Any, path: str = "$") -> list[str]:
    """Where two parsed JSON values differ, comparing value types exactly."""
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} {a!r:.80} != {type(b).__name__} {b!r:.80}"]
    if isinstance(a, dict):
        out = [f"{path}.{k}: only in the first" for k in a.keys() - b.keys()]
        out += [f"{path}.{k}: only in the second" for k in b.keys() - a.keys()]
        for k in a.keys() & b.keys():
            out += exact_diff(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)} items"]
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += exact_diff(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [f"{path}: {a!r:.80} != {b!r:.80}"]


def roundtrip_sample(name: str) -> Any:
    """Decode sample ``name`` into its declared type, check that encoding gives the
    sample back exactly, and return the decoded value."""
    type_name = lambdago.events.sample_names()[name]
    raw = lambdago.events.sample(name)
    value = lambdago.decode(raw, getattr(lambdago.events, type_name))
    diff = exact_diff(json.loads(lambdago.encode(value)), json.loads(raw))
    assert not diff, diff
    return value


def as_json(value: Any) -> Any:
    """``value`` encoded with ``lambdago.encode`` and parsed back."""
    return json.loads(lambdago.encode(value))


def typed_roundtrip(raw: dict[str, Any], tp: Any) -> Any:
    """Decode ``raw`` strictly (every key must be a declared field), check that encoding
    gives ``raw`` back exactly, and return the decoded value."""
    value = lambdago.decode(json.dumps(raw), tp, strict=True)
    diff = exact_diff(json.loads(lambdago.encode(value)), raw)
    assert not diff, diff
    return value
