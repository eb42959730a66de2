"""Lazy decoding (``lazy=True``): nested event objects are decoded when first read.

What must hold, for every sample event and every conformance event:

* reading every field of a lazily decoded event gives an event equal to the one decoded
  eagerly, and encoding either gives the same bytes;
* encoding a lazily decoded event after any mix of reads, assignments and changes gives
  the bytes the eager event gives after the same operations (a property test);
* a value that does not fit is still a ``DecodeError`` (``Runtime.UnmarshalError``), raised
  when its part is first read.
"""

from __future__ import annotations

import copy
import json
import pickle
import random
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lambdago
import lambdago.events as ev
from lambdago import _converters
from lambdago.testing import make_context
from tests.conftest import CONFORMANCE, conformance_manifest

SAMPLES = sorted(ev.sample_names().items())
ENTRIES = conformance_manifest()


def _event_fields(value: Any) -> tuple[Any, ...]:
    return type(value).__dict__.get("__lambdago_fields__") or next(
        klass.__dict__["__lambdago_fields__"]
        for klass in type(value).__mro__
        if "__lambdago_fields__" in klass.__dict__
    )


def _is_event(value: Any) -> bool:
    return _converters.is_event_class(type(value))


def read_everything(value: Any) -> None:
    """Read every field of every event object reachable from ``value``."""
    if isinstance(value, list):
        for item in value:
            read_everything(item)
    elif isinstance(value, dict):
        for item in value.values():
            read_everything(item)
    elif _is_event(value):
        for f in _event_fields(value):
            read_everything(getattr(value, f.name))


def _decode_both(raw: bytes, cls: type) -> tuple[Any, Any]:
    return lambdago.decode(raw, cls), lambdago.decode(raw, cls, lazy=True)


@pytest.mark.parametrize(("name", "type_name"), SAMPLES, ids=[n for n, _ in SAMPLES])
def test_every_sample_reads_and_encodes_as_eagerly(name: str, type_name: str) -> None:
    cls = getattr(ev, type_name)
    raw = ev.sample(name)
    eager, lazy = _decode_both(raw, cls)
    # Untouched, the lazy event encodes as its source does.
    assert lambdago.encode(lazy) == lambdago.encode(eager)
    read_everything(lazy)
    assert lazy == eager
    assert repr(lazy) == repr(eager)
    assert lambdago.encode(lazy) == lambdago.encode(eager)


@pytest.mark.skipif(not ENTRIES, reason=f"the shared conformance corpus is not at {CONFORMANCE}")
@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e['dir']}/{e['file']}" for e in ENTRIES])
def test_every_conformance_event_reads_as_eagerly(entry: dict[str, Any]) -> None:
    cls = getattr(ev, entry["type"])
    raw = (CONFORMANCE / entry["dir"] / entry["file"]).read_bytes()
    if entry["compare"] == "must-fail":
        # Decoding lazily may defer the failure, never lose it.
        with pytest.raises(lambdago.DecodeError):
            read_everything(lambdago.decode(raw, cls, lazy=True))
        return
    eager, lazy = _decode_both(raw, cls)
    read_everything(lazy)
    assert lazy == eager
    assert lambdago.encode(lazy) == lambdago.encode(eager)


# -- any mix of reads and changes encodes as it would eagerly --------------------------------


def _mutate_alike(eager: Any, lazy: Any, rng: random.Random) -> None:
    """Apply the same random reads and changes to two equal events (one eager, one lazy)."""
    if isinstance(eager, list):
        if eager and _is_event(eager[0]) and rng.random() < 0.2:
            eager.pop()
            lazy.pop()
        for a, b in zip(eager, lazy, strict=True):
            _mutate_alike(a, b, rng)
        return
    if isinstance(eager, dict):
        for key in list(eager):
            _mutate_alike(eager[key], lazy[key], rng)
        return
    if not _is_event(eager):
        return
    for f in _event_fields(eager):
        choice = rng.random()
        if choice < 0.3:
            continue  # never read: the lazy side keeps its source
        if choice < 0.4:
            setattr(eager, f.name, None)
            setattr(lazy, f.name, None)
        elif choice < 0.5:
            # Set without reading first: a copy of the eager value, built afresh.
            value = copy.deepcopy(getattr(eager, f.name))
            setattr(eager, f.name, value)
            setattr(lazy, f.name, copy.deepcopy(value))
        else:
            _mutate_alike(getattr(eager, f.name), getattr(lazy, f.name), rng)


@settings(max_examples=150, deadline=None)
@given(case=st.sampled_from(SAMPLES), seed=st.integers(0, 2**32 - 1))
def test_reads_and_changes_encode_as_eagerly(case: tuple[str, str], seed: int) -> None:
    name, type_name = case
    eager, lazy = _decode_both(ev.sample(name), getattr(ev, type_name))
    _mutate_alike(eager, lazy, random.Random(seed))
    assert json.loads(lambdago.encode(lazy)) == json.loads(lambdago.encode(eager))
    read_everything(lazy)
    assert lazy == eager


# -- errors ---------------------------------------------------------------------------------


BAD_SQS = json.dumps(
    {"Records": [{"messageId": "m1", "body": "ok"}, {"messageId": "m2", "body": 5}]}
).encode()


def test_a_bad_nested_value_fails_when_first_read() -> None:
    event = lambdago.decode(BAD_SQS, ev.SQSEvent, lazy=True)
    with pytest.raises(lambdago.DecodeError) as caught:
        _ = event.records
    assert caught.value.path == "Records[1].body"
    assert "expected str, got int" in caught.value.reason
    assert "SQSEvent" in caught.value.reason
    assert caught.value.error_type == "Runtime.UnmarshalError"
    # Eagerly, the same document fails at once with the same path.
    with pytest.raises(lambdago.DecodeError, match=r"Records\[1\]\.body"):
        lambdago.decode(BAD_SQS, ev.SQSEvent)


def test_a_bad_value_deeper_down_names_its_path_from_the_object_read() -> None:
    raw = json.dumps(
        {"Records": [{"s3": {"bucket": {"name": "b"}, "object": {"key": "k", "size": "big"}}}]}
    ).encode()
    event = lambdago.decode(raw, ev.S3Event, lazy=True)
    record = event.records[0]  # fine so far: only the record's own fields are decoded
    with pytest.raises(lambdago.DecodeError) as caught:
        _ = record.s3.object
    assert caught.value.path == "object.size"
    assert "S3Entity" in caught.value.reason


def test_the_handler_reports_a_lazy_failure_as_an_unmarshal_error() -> None:
    seen = []

    def handler(event: ev.SQSEvent) -> int:
        seen.append("called")
        return len(event.records)

    wrapped = lambdago.new_handler(handler, lazy=True)
    with pytest.raises(lambdago.DecodeError) as caught:
        wrapped.invoke(BAD_SQS, make_context())
    assert seen == ["called"]  # decoded lazily: the handler ran, then read the bad part
    assert caught.value.error_type == "Runtime.UnmarshalError"
    good = json.dumps({"Records": [{"body": "a"}, {"body": "b"}]}).encode()
    assert wrapped.invoke(good, make_context()) == b"2"


def test_the_top_level_is_still_checked_at_once() -> None:
    with pytest.raises(lambdago.DecodeError, match="expected dict"):
        lambdago.decode(b"[1, 2]", ev.SQSEvent, lazy=True)
    with pytest.raises(lambdago.DecodeError, match="resource"):
        lambdago.decode(b'{"resource": 5}', ev.APIGatewayProxyRequest, lazy=True)


def test_strict_and_lazy_exclude_each_other() -> None:
    with pytest.raises(ValueError, match="exclude each other"):
        lambdago.decode(b"{}", ev.SQSEvent, strict=True, lazy=True)
    with pytest.raises(ValueError, match="exclude each other"):
        lambdago.new_handler(lambda event: None, strict=True, lazy=True)
    with pytest.raises(TypeError, match="lazy option must be True or False"):
        lambdago.decode(b"{}", ev.SQSEvent, lazy=1)  # type: ignore[arg-type]


# -- the object behaves as any other event ---------------------------------------------------


def test_unknown_attributes_are_still_attribute_errors() -> None:
    event = lambdago.decode(ev.sample("sqs"), ev.SQSEvent, lazy=True)
    with pytest.raises(AttributeError, match="recrods"):
        _ = event.recrods  # type: ignore[attr-defined]
    assert not hasattr(event, "recrods")
    built = ev.SQSEvent()
    with pytest.raises(AttributeError):
        _ = built.recrods  # type: ignore[attr-defined]


def test_copies_and_pickles_read_their_parts_later() -> None:
    raw = ev.sample("sqs")
    eager = lambdago.decode(raw, ev.SQSEvent)
    for clone in (
        copy.copy(lambdago.decode(raw, ev.SQSEvent, lazy=True)),
        copy.deepcopy(lambdago.decode(raw, ev.SQSEvent, lazy=True)),
        pickle.loads(pickle.dumps(lambdago.decode(raw, ev.SQSEvent, lazy=True))),
    ):
        assert lambdago.encode(clone) == lambdago.encode(eager)
        assert clone == eager


def test_a_part_is_decoded_once_and_kept() -> None:
    event = lambdago.decode(ev.sample("sqs"), ev.SQSEvent, lazy=True)
    first = event.records
    assert event.records is first
    first[0].body = "changed"
    assert json.loads(lambdago.encode(event))["Records"][0]["body"] == "changed"


def test_assigning_without_reading_replaces_the_source_part() -> None:
    event = lambdago.decode(ev.sample("sqs"), ev.SQSEvent, lazy=True)
    event.records = [ev.SQSMessage(message_id="new", body="x")]
    assert json.loads(lambdago.encode(event)) == {"Records": [{"messageId": "new", "body": "x"}]}
    event = lambdago.decode(ev.sample("sqs"), ev.SQSEvent, lazy=True)
    event.records = None
    assert "Records" not in json.loads(lambdago.encode(event))


def test_the_not_yet_decoded_marker_never_shows() -> None:
    # A lazily decoded part is held as a marker until read: whatever reads the object as a
    # user would (repr, equality, attrs, copies) gets the decoded part, never the marker.
    raw = ev.sample("sqs")
    event = lambdago.decode(raw, ev.SQSEvent, lazy=True)
    assert "not decoded" not in repr(event)
    assert attrs.asdict(lambdago.decode(raw, ev.SQSEvent, lazy=True))["records"][0]["body"]
    clone = pickle.loads(pickle.dumps(lambdago.decode(raw, ev.SQSEvent, lazy=True)))
    assert clone.records == lambdago.decode(raw, ev.SQSEvent).records
    # A part deleted before it was read behaves as a deleted slot; the source still speaks
    # for it when the event is encoded.
    event = lambdago.decode(raw, ev.SQSEvent, lazy=True)
    del event.records
    with pytest.raises(AttributeError):
        _ = event.records
    assert json.loads(lambdago.encode(event)) == json.loads(raw)
