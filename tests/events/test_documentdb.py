"""DocumentDB change streams: samples round-trip with their Extended JSON untouched, and
documentdb_to_python turns Extended JSON into Python values."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    DocumentDBChangeEvent,
    DocumentDBEvent,
    DocumentDBOperationTypeDelete,
    DocumentDBOperationTypeInsert,
    DocumentDBOperationTypeUpdate,
    documentdb_to_python,
)

SAMPLES = ["documentdb-insert", "documentdb-update-delete"]
UTC = dt.UTC


def _load(name: str) -> DocumentDBEvent:
    return lambdago.decode(lambdago.events.sample(name), DocumentDBEvent)


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_round_trip_exactly(name: str) -> None:
    raw = lambdago.events.sample(name)
    assert lambdago.events.sample_names()[name] == "DocumentDBEvent"
    encoded = lambdago.encode(lambdago.decode(raw, DocumentDBEvent))
    # Byte for byte, once both are compact: Extended JSON wrappers keep their key order.
    assert (
        encoded == json.dumps(json.loads(raw), separators=(",", ":"), ensure_ascii=False).encode()
    )
    lambdago.decode(raw, DocumentDBEvent, strict=True)


def test_insert_event() -> None:
    event = _load("documentdb-insert")
    assert event.event_source == "aws:docdb"
    (change,) = event.changes()
    assert change.operation_type == DocumentDBOperationTypeInsert
    assert change.ns is not None and (change.ns.db, change.ns.coll) == ("inventory", "products")
    assert change.id == {"_data": "0167b0e4a1000000030100000003000084f2"}
    assert change.cluster_time == {"$timestamp": {"t": 1739646113, "i": 3}}
    assert change.cluster_timestamp() == (1739646113, 3)
    assert change.cluster_datetime() == dt.datetime(2025, 2, 15, 19, 1, 53, tzinfo=UTC)
    assert change.document_id() == "67b0e4a1c93f2d4e8a1b7c05"
    assert change.full_document is not None
    assert change.full_document["price"] == {"$numberDecimal": "89.95"}  # kept as sent
    doc = change.decode_full_document()
    assert doc["price"] == Decimal("89.95")
    assert doc["reorderedAt"] == dt.datetime(2025, 2, 15, 18, 21, 53, 117000, tzinfo=UTC)
    assert doc["_id"] == "67b0e4a1c93f2d4e8a1b7c05"


def test_update_and_delete_events() -> None:
    update, delete = _load("documentdb-update-delete").changes()
    assert update.operation_type == DocumentDBOperationTypeUpdate
    assert update.update_description is not None
    assert update.update_description.removed_fields == ["promotion"]
    fields = documentdb_to_python(update.update_description.updated_fields)
    assert fields == {
        "stock": 141,
        "lastSoldAt": dt.datetime(2025, 2, 15, 19, 7, 30, 482000, tzinfo=UTC),
    }
    assert update.full_document is None
    with pytest.raises(ValueError, match="no fullDocument"):
        update.decode_full_document()
    assert delete.operation_type == DocumentDBOperationTypeDelete
    assert delete.document_id() == "67a9c0d2e41b5f6a7c8d9e10"


@dataclass
class Product:
    _id: str
    sku: str
    stock: int
    price: Decimal
    reorderedAt: dt.datetime
    tags: list[str]
    name: str = ""
    warehouse: str = ""


def test_the_full_document_decodes_into_a_type() -> None:
    (change,) = _load("documentdb-insert").changes()
    product = change.decode_full_document(Product)
    assert product.price == Decimal("89.95")
    assert product.reorderedAt.year == 2025

    @dataclass
    class Wrong:
        stock: str

    with pytest.raises(lambdago.DecodeError) as info:
        change.decode_full_document(Wrong)
    assert info.value.path == "fullDocument.stock"


def test_helpers_on_missing_values() -> None:
    empty = DocumentDBChangeEvent()
    assert empty.cluster_timestamp() is None
    assert empty.cluster_datetime() is None
    assert empty.document_id() is None
    assert (
        DocumentDBChangeEvent(cluster_time={"$timestamp": {"t": "x", "i": 1}}).cluster_timestamp()
        is None
    )
    assert DocumentDBChangeEvent(cluster_time={"$date": 1}).cluster_timestamp() is None
    assert DocumentDBEvent().changes() == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"$oid": "5f1d7a3c9b2e4d6f8a0c1e3b"}, "5f1d7a3c9b2e4d6f8a0c1e3b"),
        ({"$date": "2025-03-01T00:00:00Z"}, dt.datetime(2025, 3, 1, tzinfo=UTC)),
        ({"$date": "2025-03-01T00:00:00"}, dt.datetime(2025, 3, 1, tzinfo=UTC)),
        ({"$date": 0}, dt.datetime(1970, 1, 1, tzinfo=UTC)),
        ({"$date": {"$numberLong": "-1000"}}, dt.datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ({"$numberLong": "9007199254740993"}, 9007199254740993),
        ({"$numberInt": "-12"}, -12),
        ({"$numberDouble": "2.5"}, 2.5),
        ({"$numberDecimal": "0.1"}, Decimal("0.1")),
        ({"$timestamp": {"t": 5, "i": 2}}, (5, 2)),
        # left as they are: unknown wrappers, malformed ones, ordinary objects
        (
            {"$binary": {"base64": "AA==", "subType": "00"}},
            {"$binary": {"base64": "AA==", "subType": "00"}},
        ),
        ({"$oid": 5}, {"$oid": 5}),
        ({"$date": "soon"}, {"$date": "soon"}),
        ({"$date": True}, {"$date": True}),
        ({"$date": 10**20}, {"$date": 10**20}),
        ({"$numberLong": "x"}, {"$numberLong": "x"}),
        ({"$numberLong": 5}, {"$numberLong": 5}),
        ({"$numberDouble": "x"}, {"$numberDouble": "x"}),
        ({"$numberDecimal": "x"}, {"$numberDecimal": "x"}),
        ({"$timestamp": 3}, {"$timestamp": 3}),
        ({"$oid": "a", "other": 1}, {"$oid": "a", "other": 1}),
        ({"a": [{"$numberInt": "1"}, None, "s"]}, {"a": [1, None, "s"]}),
    ],
)
def test_extended_json_values(value: Any, expected: Any) -> None:
    before = json.dumps(value)
    assert documentdb_to_python(value) == expected
    assert json.dumps(value) == before  # the input is not changed


def test_special_doubles() -> None:
    assert documentdb_to_python({"$numberDouble": "Infinity"}) == float("inf")
    assert documentdb_to_python({"$numberDouble": "-Infinity"}) == float("-inf")
    nan = documentdb_to_python({"$numberDouble": "NaN"})
    assert nan != nan


# -- property tests: Python values through Extended JSON and back -----------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.text(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.datetimes(
        min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.just(UTC)
    ).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)),
    st.from_regex(r"\A[0-9a-f]{24}\Z").map(lambda s: ("oid", s)),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text().filter(lambda k: not k.startswith("$")), inner, max_size=4),
    ),
    max_leaves=20,
)


def _canonical(value: Any, relaxed: bool) -> Any:
    """``value`` in Extended JSON, as a MongoDB driver would write it."""
    if isinstance(value, tuple):
        return {"$oid": value[1]}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if relaxed else {"$numberLong": str(value)}
    if isinstance(value, float):
        return value if relaxed else {"$numberDouble": repr(value)}
    if isinstance(value, Decimal):
        return {"$numberDecimal": str(value)}
    if isinstance(value, dt.datetime):
        if relaxed:
            return {"$date": value.isoformat(timespec="milliseconds").replace("+00:00", "Z")}
        millis = (value - dt.datetime(1970, 1, 1, tzinfo=UTC)) // dt.timedelta(milliseconds=1)
        return {"$date": {"$numberLong": str(millis)}}
    if isinstance(value, list):
        return [_canonical(v, relaxed) for v in value]
    return {k: _canonical(v, relaxed) for k, v in value.items()}


def _expected(value: Any) -> Any:
    if isinstance(value, tuple):
        return value[1]
    if isinstance(value, list):
        return [_expected(v) for v in value]
    if isinstance(value, dict):
        return {k: _expected(v) for k, v in value.items()}
    return value


@given(_values, st.booleans())
def test_extended_json_comes_back_as_python(value: Any, relaxed: bool) -> None:
    ejson = _canonical(value, relaxed)
    # through JSON text, as the event carries it
    assert documentdb_to_python(json.loads(json.dumps(ejson))) == _expected(value)


@given(_values, st.booleans())
def test_change_events_round_trip_any_extended_json(value: Any, relaxed: bool) -> None:
    ejson = _canonical({"doc": value}, relaxed)
    raw = json.dumps(
        {"events": [{"event": {"fullDocument": ejson, "documentKey": {"_id": ejson}}}]}
    )
    decoded: DocumentDBEvent = lambdago.decode(raw, DocumentDBEvent)
    assert json.loads(lambdago.encode(decoded)) == json.loads(raw)


def test_decoding_reads_timestamps_and_keeps_unknown_wrappers() -> None:
    @dataclass
    class Audit:
        at: tuple[int, int]
        blob: dict[str, Any]
        when: dt.datetime

    change = DocumentDBChangeEvent(
        full_document={
            "at": {"$timestamp": {"t": 9, "i": 1}},
            "blob": {"$binary": {"base64": "AA==", "subType": "00"}},
            "when": {"$date": {"$numberLong": "1739646450482"}},
        }
    )
    audit = change.decode_full_document(Audit)
    assert audit.at == (9, 1)
    assert audit.blob == {"$binary": {"base64": "AA==", "subType": "00"}}
    assert audit.when == dt.datetime(2025, 2, 15, 19, 7, 30, 482000, tzinfo=UTC)
    extra = DocumentDBChangeEvent(
        full_document={
            "at": {"$timestamp": {"t": 1, "i": 1}},
            "blob": {},
            "when": {"$date": "2025-01-01T00:00:00Z"},
            "x": 2,
        }
    )
    assert extra.decode_full_document(Audit).at == (1, 1)
    with pytest.raises(lambdago.DecodeError, match="unknown field"):
        extra.decode_full_document(Audit, strict=True)
