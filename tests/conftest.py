"""Shared fixtures: the conformance corpus, JSON comparison, and fresh interpreters."""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFORMANCE = ROOT.parent / "shared" / "conformance" / "aws-lambda-go"


def json_equal(a: Any, b: Any) -> bool:
    """Semantic JSON equality, as the conformance README defines it (Go's assert.JSONEq)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def json_diff(a: Any, b: Any, path: str = "$") -> list[str]:
    """Where two JSON values differ, for readable assertion messages."""
    if json_equal(a, b):
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}: only in the first" for k in a.keys() - b.keys()]
        out += [f"{path}.{k}: only in the second" for k in b.keys() - a.keys()]
        for k in a.keys() & b.keys():
            out += json_diff(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += json_diff(x, y, f"{path}[{i}]")
        return out
    return [f"{path}: {json.dumps(a)[:120]} != {json.dumps(b)[:120]}"]


def conformance_manifest() -> list[dict[str, Any]]:
    """The manifest entries, or an empty list when the shared corpus is absent."""
    path = CONFORMANCE / "manifest.json"
    if not path.exists():
        return []
    entries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return entries


@pytest.fixture
def conformance_dir() -> pathlib.Path:
    if not CONFORMANCE.exists():
        pytest.skip(f"the shared conformance corpus is not at {CONFORMANCE}")
    return CONFORMANCE


PYTHON = sys.executable
