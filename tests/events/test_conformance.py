"""Every sample event aws-lambda-go publishes decodes into our type of the same name and
re-encodes as the manifest says (../shared/conformance/README.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest

import lambdago
import lambdago.events
from tests.conftest import CONFORMANCE, conformance_manifest, json_diff

ENTRIES = conformance_manifest()


def _id(entry: dict[str, Any]) -> str:
    return f"{entry['dir']}/{entry['file']}"


@pytest.mark.skipif(not ENTRIES, reason=f"the shared conformance corpus is not at {CONFORMANCE}")
@pytest.mark.parametrize("entry", ENTRIES, ids=[_id(e) for e in ENTRIES])
def test_conformance_entry(entry: dict[str, Any]) -> None:
    cls = getattr(lambdago.events, entry["type"])
    raw = (CONFORMANCE / entry["dir"] / entry["file"]).read_bytes()
    compare = entry["compare"]
    if compare == "must-fail":
        with pytest.raises(lambdago.DecodeError):
            lambdago.decode(raw, cls)
        return
    decoded = lambdago.decode(raw, cls)
    assert isinstance(decoded, cls)
    encoded = json.loads(lambdago.encode(decoded))
    if compare == "roundtrip" or (compare == "decode-only" and entry.get("go_roundtrip")):
        expected = json.loads(raw)
    elif compare.startswith("expected:"):
        expected = json.loads((CONFORMANCE / entry["dir"] / compare.split(":", 1)[1]).read_bytes())
    else:
        # decode-only where Go's own re-encoding differs from the input: we keep the input
        # (docs/events.md explains the choice), so the input is what must come back.
        expected = json.loads(raw)
    assert not json_diff(encoded, expected), json_diff(encoded, expected)
    inner = entry.get("inner")
    if inner:
        inner_cls = getattr(lambdago.events, inner["type"])
        for record in json.loads(raw)["Records"]:
            message = record["Sns"]["Message"]
            value = lambdago.decode(message, inner_cls)
            again = json.loads(lambdago.encode(value))
            assert not json_diff(again, json.loads(message)), json_diff(again, json.loads(message))


def test_every_manifest_type_exists() -> None:
    if not ENTRIES:
        pytest.skip(f"the shared conformance corpus is not at {CONFORMANCE}")
    missing = sorted({e["type"] for e in ENTRIES} - set(lambdago.events.__all__))
    assert not missing, f"types named by the manifest but missing from lambdago.events: {missing}"
