"""DynamoDB Streams events: attribute values (decoding, validation, accessors, plain Python
both ways, images into user classes), partial batch responses, samples."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago import _jsonio
from lambdago.events import (
    DataTypeBinary,
    DataTypeBinarySet,
    DataTypeBoolean,
    DataTypeList,
    DataTypeMap,
    DataTypeNull,
    DataTypeNumber,
    DataTypeNumberSet,
    DataTypeString,
    DataTypeStringSet,
    DynamoDBAttributeValue,
    DynamoDBEvent,
    DynamoDBEventRecord,
    DynamoDBEventResponse,
    DynamoDBStreamRecord,
    DynamoDBTimeWindowEvent,
    DynamoDBTimeWindowEventResponse,
    IncompatibleDynamoDBTypeError,
    UnsupportedDynamoDBTypeError,
    dynamodb_from_python,
    dynamodb_to_python,
)
from lambdago.events._batch import UnidentifiedFailure
from tests.conftest import CONFORMANCE

AV = DynamoDBAttributeValue
Image = dict[str, DynamoDBAttributeValue]


def decode_av(value: Any) -> DynamoDBAttributeValue:
    result: DynamoDBAttributeValue = lambdago.decode(json.dumps(value), DynamoDBAttributeValue)
    return result


def encoded(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def stream_record(seq: str | None, new_image: dict[str, Any] | None = None) -> dict[str, Any]:
    change: dict[str, Any] = {"Keys": {"id": {"S": "k"}}, "StreamViewType": "NEW_IMAGE"}
    if seq is not None:
        change["SequenceNumber"] = seq
    if new_image is not None:
        change["NewImage"] = new_image
    return {"eventID": f"e{seq}", "eventName": "INSERT", "dynamodb": change}


# -- the sample --------------------------------------------------------------------------------


def test_stream_sample_round_trips_and_uses_every_type() -> None:
    raw = lambdago.events.sample("dynamodb-stream")
    event = lambdago.decode(raw, DynamoDBEvent)
    assert encoded(event) == json.loads(raw)
    assert event.records is not None
    names = [r.event_name for r in event.records]
    assert names == ["INSERT", "MODIFY", "REMOVE"]

    seen: set[str] = set()

    def walk(av: DynamoDBAttributeValue) -> None:
        seen.add(av.data_type)
        if av.data_type == "L":
            for x in av.l:
                walk(x)
        elif av.data_type == "M":
            for x in av.m.values():
                walk(x)

    for record in event.records:
        assert record.dynamodb is not None
        for image in (record.dynamodb.new_image, record.dynamodb.old_image):
            for av in (image or {}).values():
                walk(av)
    assert seen == {"B", "BOOL", "BS", "L", "M", "N", "NS", "NULL", "S", "SS"}


def test_stream_sample_fields() -> None:
    event = lambdago.decode(lambdago.events.sample("dynamodb-stream"), DynamoDBEvent)
    assert event.records is not None
    first, _, removed = event.records
    assert first.dynamodb is not None
    change = first.dynamodb
    assert change.approximate_creation_date_time == datetime(2025, 6, 11, 8, 42, 17, tzinfo=UTC)
    assert change.keys is not None
    assert change.keys["orderId"].s == "ord_20250611_00419"
    assert change.old_image is None
    assert removed.user_identity is not None
    assert removed.user_identity.principal_id == "dynamodb.amazonaws.com"
    assert removed.dynamodb is not None
    assert removed.dynamodb.new_image is None


def test_time_window_sample() -> None:
    raw = lambdago.events.sample("dynamodb-time-window")
    event = lambdago.decode(raw, DynamoDBTimeWindowEvent)
    assert encoded(event) == json.loads(raw)
    assert event.window is not None
    assert event.window.start == datetime(2025, 2, 24, 16, 0, tzinfo=UTC)
    assert event.state == {"home": "17"}
    assert event.is_final_invoke_for_window is False


def test_time_window_state_holds_any_json() -> None:
    # The state is what the previous invocation returned: numbers when that function (or
    # AWS's documentation example) returned numbers, nulls, objects. They are kept as sent.
    raw = {
        "Records": [
            {
                "eventID": "c81e728d9d4c2f636f067f89cc14862c",
                "eventName": "INSERT",
                "eventSource": "aws:dynamodb",
                "awsRegion": "eu-west-1",
                "dynamodb": {
                    "Keys": {"deviceId": {"S": "thermo-12"}},
                    "NewImage": {"deviceId": {"S": "thermo-12"}, "reading": {"N": "19.5"}},
                    "SequenceNumber": "4421584500000000017450439091",
                    "SizeBytes": 48,
                    "StreamViewType": "NEW_IMAGE",
                },
            }
        ],
        "window": {"start": "2025-02-24T16:00:00Z", "end": "2025-02-24T16:05:00Z"},
        "state": {"readings": 12, "max": 21.25, "last": None, "rooms": {"hall": [19.5]}},
        "shardId": "shardId-00000001740412800000-0a1b2c3d",
        "isFinalInvokeForWindow": False,
        "isWindowTerminatedEarly": False,
    }
    event = lambdago.decode(json.dumps(raw), DynamoDBTimeWindowEvent)
    assert event.state == {"readings": 12, "max": 21.25, "last": None, "rooms": {"hall": [19.5]}}
    assert encoded(event) == raw
    response = {"state": {"readings": 13, "last": None}, "batchItemFailures": []}
    decoded = lambdago.decode(json.dumps(response), DynamoDBTimeWindowEventResponse)
    assert decoded.state == {"readings": 13, "last": None}
    assert encoded(decoded) == response


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        (1761207960, datetime(2025, 10, 23, 8, 26, tzinfo=UTC)),
        (1761207960.5, datetime(2025, 10, 23, 8, 26, 0, 500000, tzinfo=UTC)),
        # Through a Kinesis data stream: milliseconds, or microseconds (the destination's
        # ApproximateCreationDateTimePrecision).
        (1761207960123, datetime(2025, 10, 23, 8, 26, 0, 123000, tzinfo=UTC)),
        (1761207960123456, datetime(2025, 10, 23, 8, 26, 0, 123456, tzinfo=UTC)),
    ],
)
def test_creation_time_in_seconds_milliseconds_or_microseconds(
    sent: float, expected: datetime
) -> None:
    # A change record as DynamoDB's Kinesis streaming destination writes it.
    raw = {
        "awsRegion": "eu-west-1",
        "eventID": "5d2b9c3e-8a41-4f6e-9b0d-2f7c1e4a6b88",
        "eventName": "INSERT",
        "userIdentity": None,
        "recordFormat": "application/json",
        "tableName": "Orders",
        "dynamodb": {
            "ApproximateCreationDateTime": sent,
            "Keys": {"orderId": {"S": "ord-7731"}},
            "NewImage": {"orderId": {"S": "ord-7731"}, "total": {"N": "42.5"}},
            "SizeBytes": 41,
            "ApproximateCreationDateTimePrecision": "MILLISECOND",
        },
        "eventSource": "aws:dynamodb",
    }
    record = lambdago.decode(json.dumps(raw), DynamoDBEventRecord)
    assert record.dynamodb is not None
    assert record.dynamodb.approximate_creation_date_time == expected
    assert encoded(record) == raw
    record.dynamodb.approximate_creation_date_time = datetime(2025, 10, 23, 8, 27, tzinfo=UTC)
    assert encoded(record)["dynamodb"]["ApproximateCreationDateTime"] == 1761208020


@given(
    when=st.datetimes(
        min_value=datetime(1972, 1, 1),
        max_value=datetime(2999, 12, 31),
        timezones=st.just(UTC),
    )
)
def test_creation_time_units_agree(when: datetime) -> None:
    micros = (when - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    in_micros = lambdago.decode(
        json.dumps({"ApproximateCreationDateTime": micros}), DynamoDBStreamRecord
    )
    in_millis = lambdago.decode(
        json.dumps({"ApproximateCreationDateTime": micros // 1000}), DynamoDBStreamRecord
    )
    in_seconds = lambdago.decode(
        json.dumps({"ApproximateCreationDateTime": micros // 1_000_000}), DynamoDBStreamRecord
    )
    assert in_micros.approximate_creation_date_time == when
    assert in_millis.approximate_creation_date_time == when.replace(
        microsecond=when.microsecond // 1000 * 1000
    )
    assert in_seconds.approximate_creation_date_time == when.replace(microsecond=0)


# -- attribute values from JSON ------------------------------------------------------------------


def test_every_type_from_the_conformance_file() -> None:
    path = CONFORMANCE / "testdata" / "dynamodb-event.json"
    if not path.exists():
        pytest.skip("the shared conformance corpus is absent")
    event = lambdago.decode(path.read_bytes(), DynamoDBEvent)
    assert event.records is not None
    assert event.records[1].dynamodb is not None
    image = event.records[1].dynamodb.new_image
    assert image is not None
    assert image["Binary"].b == b"\x00\x01*A"
    assert image["Boolean"].bool is True
    assert image["BinarySet"].bs == (b"\x00\x01*A", b"\x00\x01*A")
    assert [x.data_type for x in image["List"].l] == ["S", "S", "N"]
    assert image["Map"].m["Age"].as_int() == 35
    assert image["FloatNumber"].n == "123.45"
    assert image["FloatNumber"].as_float() == 123.45
    assert image["IntegerNumber"].as_decimal() == Decimal(123)
    assert image["NumberSet"].ns == ("1234", "567.8")
    assert image["Null"].is_null
    assert image["String"].s == "Hello"
    assert image["StringSet"].ss == ("Giraffe", "Zebra")
    assert image["EmptyStringSet"].ss == ()


def test_data_type_constants() -> None:
    values = {
        DataTypeBinary: AV.new_binary(b"x"),
        DataTypeBoolean: AV.new_boolean(True),
        DataTypeBinarySet: AV.new_binary_set([b"x"]),
        DataTypeList: AV.new_list([]),
        DataTypeMap: AV.new_map({}),
        DataTypeNumber: AV.new_number(1),
        DataTypeNumberSet: AV.new_number_set([1]),
        DataTypeNull: AV.new_null(),
        DataTypeString: AV.new_string("x"),
        DataTypeStringSet: AV.new_string_set(["x"]),
    }
    assert sorted(values) == ["B", "BOOL", "BS", "L", "M", "N", "NS", "NULL", "S", "SS"]
    for key, av in values.items():
        assert av.data_type == key


def test_decoded_value_encodes_exactly_as_received() -> None:
    # Base64 with a non-canonical trailing character decodes (as Go's decoder does) and
    # still comes back exactly as sent.
    raw = {"M": {"b": {"B": "QR=="}, "n": {"N": "1.50"}, "l": {"L": [{"NULL": True}]}}}
    av = decode_av(raw)
    assert av.m["b"].b == b"A"
    assert encoded(av) == raw
    assert av.to_json() == raw


MALFORMED = [
    ([], "expected a DynamoDB attribute value"),
    ("S", "expected a DynamoDB attribute value"),
    (None, "expected a DynamoDB attribute value"),
    ({}, "needs one type key"),
    ({"S": "a", "N": "1"}, "exactly one type key, got 2"),
    ({"X": "a"}, "unsupported DynamoDB attribute type 'X'"),
    ({"s": "a"}, "unsupported DynamoDB attribute type 's'"),
    ({"S": 1}, "S: expected str, got int"),
    ({"N": 1}, "N: expected str, got int"),
    ({"BOOL": "true"}, "BOOL: expected bool, got str"),
    ({"NULL": False}, "NULL: NULL must be true, got false"),
    ({"NULL": "true"}, "NULL: NULL must be true"),
    ({"B": "@@@@"}, "B: invalid base64 data"),
    ({"B": "abc"}, "B: invalid base64 data"),
    ({"B": 12}, "B: expected str (base64), got int"),
    ({"SS": "a"}, "SS: expected list (of str), got str"),
    ({"NS": ["1", 2]}, "NS[1]: expected str, got int"),
    ({"BS": ["QQ==", "?"]}, "BS[1]: invalid base64 data"),
    ({"BS": [None]}, "BS[0]: expected str (base64), got null"),
    ({"L": {}}, "L: expected list (of attribute values), got dict"),
    ({"L": [{"S": "a"}, {"S": None}]}, "L[1].S: expected str, got null"),
    ({"M": []}, "M: expected dict (of attribute values), got list"),
    ({"M": {"a": {"M": {"b": {"Q": 1}}}}}, "M.a.M.b: unsupported DynamoDB attribute type"),
]


@pytest.mark.parametrize(("value", "message"), MALFORMED)
def test_malformed_values_are_rejected_with_their_path(value: Any, message: str) -> None:
    doc = json.dumps({"Records": [{"dynamodb": {"NewImage": {"attr": value}}}]})
    with pytest.raises(lambdago.DecodeError) as info:
        lambdago.decode(doc, DynamoDBEvent)
    assert str(info.value).startswith("Records[0].dynamodb.NewImage.attr")
    assert message in str(info.value)


def test_truncated_stream_event_is_a_decode_error() -> None:
    raw = lambdago.events.sample("dynamodb-stream")
    with pytest.raises(lambdago.DecodeError, match="malformed JSON"):
        lambdago.decode(raw[: len(raw) // 2], DynamoDBEvent)


# -- accessors and constructors ----------------------------------------------------------------


def test_accessor_of_another_type_raises() -> None:
    av = AV(N="12")
    with pytest.raises(IncompatibleDynamoDBTypeError) as info:
        _ = av.s
    assert (info.value.requested, info.value.actual) == ("S", "N")
    assert "holds N, not S" in str(info.value)
    for name in ("b", "bool", "l", "m", "ss", "ns", "bs"):
        with pytest.raises(IncompatibleDynamoDBTypeError):
            getattr(av, name)
    assert av.is_null is False
    with pytest.raises(IncompatibleDynamoDBTypeError):
        AV(S="12").as_int()


def test_number_conversions() -> None:
    assert AV(N="42").as_int() == 42
    assert AV(N="4.2E1").as_int() == 42
    assert AV(N="-0.5").as_float() == -0.5
    assert AV(N="0.1").as_decimal() == Decimal("0.1")
    with pytest.raises(ValueError, match="not an integer"):
        AV(N="1.5").as_int()
    # Numbers are not checked when decoded (as in aws-lambda-go) but when converted.
    bad = decode_av({"N": "twelve"})
    assert bad.n == "twelve"
    for convert in (bad.as_int, bad.as_float, bad.as_decimal):
        with pytest.raises(ValueError, match="invalid DynamoDB number: 'twelve'"):
            convert()


def test_values_are_read_only() -> None:
    av = decode_av({"M": {"a": {"S": "x"}}})
    with pytest.raises(TypeError):
        av.m["b"] = AV(S="y")  # type: ignore[index]
    assert isinstance(decode_av({"L": []}).l, tuple)


def test_keyword_constructor_and_repr() -> None:
    av = AV(M={"a": AV(L=[AV(NULL=True), AV(BS=[b"\x00"])]), "n": AV(NS=["1", 2, Decimal("3.5")])})
    assert repr(av.m["n"]) == "DynamoDBAttributeValue(NS=['1', '2', '3.5'])"
    assert repr(AV(NULL=True)) == "DynamoDBAttributeValue(NULL=True)"
    assert eval(repr(av), {"DynamoDBAttributeValue": AV}) == av
    assert encoded(av) == {
        "M": {"a": {"L": [{"NULL": True}, {"BS": ["AA=="]}]}, "n": {"NS": ["1", "2", "3.5"]}}
    }
    assert av.to_json() == encoded(av)


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: AV(), TypeError),
        (lambda: AV(S="a", N="1"), TypeError),
        (lambda: AV(Q="a"), TypeError),
        (lambda: AV(NULL=False), TypeError),
        (lambda: AV.new_string(1), TypeError),
        (lambda: AV.new_number(1.5), TypeError),
        (lambda: AV.new_number(True), TypeError),
        (lambda: AV.new_number("1,5"), ValueError),
        (lambda: AV.new_number(Decimal("NaN")), ValueError),
        (lambda: AV.new_binary("text"), TypeError),
        (lambda: AV.new_boolean(1), TypeError),
        (lambda: AV.new_list(["x"]), TypeError),
        (lambda: AV.new_map({"a": "x"}), TypeError),
        (lambda: AV.new_map({1: AV(S="x")}), TypeError),
        (lambda: AV.new_string_set([1]), TypeError),
        (lambda: AV.new_number_set(["x"]), ValueError),
        (lambda: AV.new_binary_set(["x"]), TypeError),
    ],
)
def test_constructors_check_their_input(build: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        build()


def test_equality() -> None:
    assert decode_av({"S": "a"}) == AV(S="a")
    assert AV(N="1") != AV(N="1.0")
    assert AV(S="1") != AV(N="1")
    assert AV(S="a") != "a"
    assert decode_av({"M": {"x": {"L": [{"N": "1"}]}}}) == AV(M={"x": AV(L=[AV(N="1")])})


def test_encoders_of_both_json_engines_agree() -> None:
    av = AV(M={"b": AV(B=b"\xff"), "l": AV(L=[AV(BOOL=False), AV(SS=["s"])])})
    expected = {"M": {"b": {"B": "/w=="}, "l": {"L": [{"BOOL": False}, {"SS": ["s"]}]}}}
    assert json.loads(_jsonio._stdlib_dumps(av)) == expected
    assert json.loads(lambdago.encode(av)) == expected


# -- plain Python -------------------------------------------------------------------------------


def test_to_python_gives_what_boto3_gives() -> None:
    image = lambdago.decode(
        json.dumps(
            {
                "s": {"S": "x"},
                "n": {"N": "12"},
                "f": {"N": "1.25"},
                "b": {"B": "AAE="},
                "t": {"BOOL": True},
                "z": {"NULL": True},
                "l": {"L": [{"S": "a"}, {"N": "2"}]},
                "m": {"M": {"k": {"SS": ["p", "q"]}}},
                "ns": {"NS": ["1", "2.5"]},
                "bs": {"BS": ["AA==", "AQ=="]},
            }
        ),
        Image,
    )
    plain = dynamodb_to_python(image)
    assert plain == {
        "s": "x",
        "n": Decimal(12),
        "f": Decimal("1.25"),
        "b": b"\x00\x01",
        "t": True,
        "z": None,
        "l": ["a", Decimal(2)],
        "m": {"k": {"p", "q"}},
        "ns": {Decimal(1), Decimal("2.5")},
        "bs": {b"\x00", b"\x01"},
    }
    assert type(plain["n"]) is Decimal
    as_int = dynamodb_to_python(image, integral_as_int=True)
    assert type(as_int["n"]) is int
    assert as_int["n"] == 12
    assert type(as_int["f"]) is Decimal
    assert {type(x) for x in as_int["ns"]} == {int, Decimal}


def test_to_python_names_an_invalid_number() -> None:
    image = lambdago.decode(b'{"m": {"M": {"tags": {"L": [{"N": "1"}, {"N": "1e"}]}}}}', Image)
    with pytest.raises(lambdago.DecodeError) as info:
        dynamodb_to_python(image)
    assert str(info.value) == "m.tags[1]: invalid DynamoDB number: '1e'"
    with pytest.raises(ValueError, match=r"^\[1\]: invalid DynamoDB number"):
        decode_av({"NS": ["1", "NaN"]}).to_python()
    with pytest.raises(TypeError, match="expected a DynamoDBAttributeValue"):
        dynamodb_to_python({"x": {"S": "raw json"}})  # type: ignore[dict-item]


def test_from_python_takes_what_boto3_takes() -> None:
    image = dynamodb_from_python(
        {
            "s": "x",
            "i": 7,
            "d": Decimal("1.50"),
            "b": b"\x00",
            "ba": bytearray(b"\x01"),
            "t": False,
            "z": None,
            "l": ["a", 1, [None]],
            "tuple": ("a",),
            "m": {"k": {"v": True}},
            "ss": {"b", "a"},
            "ns": {3, Decimal("1.5")},
            "bs": frozenset({b"\x02", b"\x01"}),
            "av": AV(N="9"),
        }
    )
    assert encoded(image) == {
        "s": {"S": "x"},
        "i": {"N": "7"},
        "d": {"N": "1.50"},
        "b": {"B": "AA=="},
        "ba": {"B": "AQ=="},
        "t": {"BOOL": False},
        "z": {"NULL": True},
        "l": {"L": [{"S": "a"}, {"N": "1"}, {"L": [{"NULL": True}]}]},
        "tuple": {"L": [{"S": "a"}]},
        "m": {"M": {"k": {"M": {"v": {"BOOL": True}}}}},
        "ss": {"SS": ["a", "b"]},
        "ns": {"NS": ["1.5", "3"]},
        "bs": {"BS": ["AQ==", "Ag=="]},
        "av": {"N": "9"},
    }


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ({"price": 1.5}, UnsupportedDynamoDBTypeError, "price: float values are not supported"),
        ({"a": {"b": [1, object()]}}, UnsupportedDynamoDBTypeError, r"a\.b\[1\]: object values"),
        ({"s": {"a", 1}}, UnsupportedDynamoDBTypeError, "s: a set must hold only strings"),
        ({"s": set()}, ValueError, "s: an empty set has no DynamoDB type"),
        ({"m": {1: "x"}}, UnsupportedDynamoDBTypeError, "m: map keys must be str"),
        ({"d": Decimal("Infinity")}, ValueError, "d: Infinity is not a finite number"),
        ({"s": {True}}, UnsupportedDynamoDBTypeError, "a set must hold only"),
    ],
)
def test_from_python_rejects_what_has_no_dynamodb_type(
    value: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        dynamodb_from_python(value)


def test_from_python_error_attributes() -> None:
    with pytest.raises(UnsupportedDynamoDBTypeError) as info:
        AV.from_python([1, 2.5])
    assert info.value.type == "float"
    assert info.value.path == "[1]"
    assert isinstance(info.value, TypeError)
    with pytest.raises(TypeError, match="expected a mapping"):
        dynamodb_from_python(["x"])  # type: ignore[arg-type]


def test_boto3_binary_is_accepted_when_boto3_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    class Binary:  # the shape of boto3.dynamodb.types.Binary
        def __init__(self, value: bytes) -> None:
            self.value = value

    fake = types.ModuleType("boto3.dynamodb.types")
    fake.Binary = Binary  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "boto3.dynamodb.types", fake)
    assert AV.from_python(Binary(b"\x07")) == AV(B=b"\x07")
    assert AV.from_python({Binary(b"\x02"), b"\x01"}) == AV(BS=[b"\x01", b"\x02"])


# -- images into user classes ------------------------------------------------------------------


@dataclasses.dataclass
class Line:
    sku: str
    qty: int
    unit_price: Decimal = dataclasses.field(default=Decimal(0))


@attrs.define
class Order:
    customerId: str
    orderId: str
    total: Decimal
    itemCount: int
    giftWrapped: bool
    couponCode: str | None
    thumbnail: bytes
    lines: list[dict[str, Any]]
    shippingAddress: dict[str, Any]
    tags: set[str]
    warehouseIds: list[int]
    signatures: list[bytes]
    status: str
    createdAt: datetime


def test_new_image_as_an_attrs_class() -> None:
    event = lambdago.decode(lambdago.events.sample("dynamodb-stream"), DynamoDBEvent)
    assert event.records is not None
    assert event.records[0].dynamodb is not None
    order = event.records[0].dynamodb.new_image_as(Order)
    assert isinstance(order, Order)
    assert order.total == Decimal("149.90")
    assert order.itemCount == 3
    assert order.couponCode is None
    assert order.thumbnail.startswith(b"\x89PNG")
    assert order.lines[0] == {"sku": "BK-1042", "qty": Decimal(2), "unitPrice": Decimal("39.95")}
    assert order.shippingAddress["geo"] == [Decimal("45.7578"), Decimal("4.8320")]
    assert order.tags == {"priority", "first-order"}
    assert order.warehouseIds == [12, 47]
    assert order.signatures == [b"\x01\x02\x03\x04", b"\xfe\xed\xfa\xce"]
    assert order.createdAt == datetime(2025, 6, 11, 8, 42, 17, 305000, tzinfo=UTC)
    assert event.records[0].dynamodb.old_image_as(Order) is None


def test_keys_and_old_image_as_dataclasses() -> None:
    @dataclasses.dataclass
    class Key:
        customerId: str
        orderId: str

    @dataclasses.dataclass
    class Removed:
        customerId: str
        status: str
        expiresAt: datetime | int

    event = lambdago.decode(lambdago.events.sample("dynamodb-stream"), DynamoDBEvent)
    assert event.records is not None
    change = event.records[2].dynamodb
    assert change is not None
    assert change.keys_as(Key) == Key("cus_Q1wErT9y", "ord_20250301_00012")
    removed = change.old_image_as(Removed)
    assert removed == Removed("cus_Q1wErT9y", "CANCELLED", 1749628800)
    assert change.new_image_as(Removed) is None


def test_image_as_reports_the_attribute_path() -> None:
    change = DynamoDBStreamRecord(
        new_image={"sku": AV(S="A"), "qty": AV(N="1.5")}, old_image={"sku": AV(N="1")}
    )
    with pytest.raises(lambdago.DecodeError) as info:
        change.new_image_as(Line)
    assert str(info.value) == "NewImage.qty: expected int, got Decimal"
    with pytest.raises(lambdago.DecodeError, match=r"^OldImage.sku: expected str"):
        change.old_image_as(Line)
    nested = DynamoDBStreamRecord(keys={"m": decode_av({"M": {"l": {"L": [{"N": "x"}]}}})})
    with pytest.raises(lambdago.DecodeError, match=r"^Keys.m.l\[0\]: invalid DynamoDB number"):
        nested.keys_as(dict[str, Any])
    strict = DynamoDBStreamRecord(new_image={"sku": AV(S="A"), "qty": AV(N="1"), "x": AV(S="")})
    assert strict.new_image_as(Line) == Line("A", 1)
    with pytest.raises(lambdago.DecodeError, match="unknown field 'x'"):
        strict.new_image_as(Line, strict=True)


# -- partial batch responses -------------------------------------------------------------------


def test_process_stops_at_the_first_failure() -> None:
    event = lambdago.decode(
        json.dumps({"Records": [stream_record(s) for s in ("101", "102", "103", "104")]}),
        DynamoDBEvent,
    )
    handled: list[str] = []
    errors: list[str] = []

    def handler(record: DynamoDBEventRecord) -> None:
        assert record.dynamodb is not None
        assert record.dynamodb.sequence_number is not None
        if record.dynamodb.sequence_number == "102":
            raise RuntimeError("boom")
        handled.append(record.dynamodb.sequence_number)

    response = event.process(handler, on_error=lambda r, e: errors.append(str(e)))
    assert isinstance(response, DynamoDBEventResponse)
    assert handled == ["101"]
    assert errors == ["boom"]
    assert encoded(response) == {
        "batchItemFailures": [
            {"itemIdentifier": "102"},
            {"itemIdentifier": "103"},
            {"itemIdentifier": "104"},
        ]
    }


def test_process_without_failures_and_without_records() -> None:
    event = lambdago.decode(json.dumps({"Records": [stream_record("1")]}), DynamoDBEvent)
    assert encoded(event.process(lambda r: None)) == {"batchItemFailures": []}
    assert encoded(DynamoDBEvent().process(lambda r: None)) == {"batchItemFailures": []}


def test_process_failure_without_sequence_number() -> None:
    event = lambdago.decode(json.dumps({"Records": [{"eventID": "x"}]}), DynamoDBEvent)

    def fail(record: DynamoDBEventRecord) -> None:
        raise ValueError("bad")

    with pytest.raises(UnidentifiedFailure):
        event.process(fail)


def test_process_async() -> None:
    event = lambdago.decode(
        json.dumps({"Records": [stream_record(s) for s in ("1", "2", "3")]}), DynamoDBEvent
    )

    async def handler(record: DynamoDBEventRecord) -> None:
        await asyncio.sleep(0)
        if record.event_id == "e2":
            raise RuntimeError("later")

    response = asyncio.run(event.process_async(handler))
    assert encoded(response) == {
        "batchItemFailures": [{"itemIdentifier": "2"}, {"itemIdentifier": "3"}]
    }


def test_time_window_process_returns_state() -> None:
    event = lambdago.decode(lambdago.events.sample("dynamodb-time-window"), DynamoDBTimeWindowEvent)
    state = dict(event.state or {})

    def count(record: DynamoDBEventRecord) -> None:
        state["home"] = str(int(state["home"]) + 1)

    response = event.process(count, state=state)
    assert isinstance(response, DynamoDBTimeWindowEventResponse)
    assert encoded(response) == {"state": {"home": "19"}, "batchItemFailures": []}


# -- properties --------------------------------------------------------------------------------

NUMBER_TEXT = st.one_of(
    st.integers(min_value=-(10**38), max_value=10**38).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    st.from_regex(r"-?[0-9]{1,5}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,2})?", fullmatch=True),
)
B64 = st.binary(max_size=12).map(lambda b: base64.b64encode(b).decode())


def json_values(non_empty_sets: bool = False) -> st.SearchStrategy[Any]:
    set_size = 1 if non_empty_sets else 0
    leaves = st.one_of(
        st.text(max_size=8).map(lambda s: {"S": s}),
        NUMBER_TEXT.map(lambda n: {"N": n}),
        B64.map(lambda b: {"B": b}),
        st.booleans().map(lambda b: {"BOOL": b}),
        st.just({"NULL": True}),
        st.lists(st.text(max_size=5), min_size=set_size, max_size=4).map(lambda v: {"SS": v}),
        st.lists(NUMBER_TEXT, min_size=set_size, max_size=4).map(lambda v: {"NS": v}),
        st.lists(B64, min_size=set_size, max_size=4).map(lambda v: {"BS": v}),
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4).map(lambda v: {"L": v}),
            st.dictionaries(st.text(max_size=6), children, max_size=4).map(lambda v: {"M": v}),
        ),
        max_leaves=20,
    )


@settings(max_examples=200)
@given(json_values())
def test_any_value_round_trips_json_to_object_to_json(value: Any) -> None:
    av = decode_av(value)
    assert encoded(av) == value
    assert av.to_json() == value
    assert decode_av(av.to_json()) == av


@settings(max_examples=200)
@given(json_values(non_empty_sets=True))
def test_to_python_and_from_python_round_trip(value: Any) -> None:
    av = decode_av(value)
    plain = av.to_python()
    again = AV.from_python(plain)
    assert again.to_python() == plain
    # A value built in code encodes to JSON that decodes to the same value.
    assert decode_av(encoded(again)) == again
    as_int = av.to_python(integral_as_int=True)
    assert AV.from_python(as_int).to_python() == plain


PYTHON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=6),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.binary(max_size=6),
    st.frozensets(st.text(max_size=4), min_size=1, max_size=3),
    st.frozensets(st.integers(min_value=-1000, max_value=1000), min_size=1, max_size=3),
    st.frozensets(st.binary(max_size=4), min_size=1, max_size=3),
)
PYTHON_VALUES = st.recursive(
    PYTHON_LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=15,
)


@settings(max_examples=200)
@given(st.dictionaries(st.text(max_size=6), PYTHON_VALUES, max_size=5))
def test_python_items_survive_the_dynamodb_form(item: dict[str, Any]) -> None:
    image = dynamodb_from_python(item)
    wire = lambdago.encode(image)
    back = dynamodb_to_python(lambdago.decode(wire, Image))
    assert back == item


MALFORMED_STRATEGY = st.one_of(
    st.one_of(st.integers(), st.text(), st.none(), st.lists(st.integers(), max_size=2)),
    st.just({}),
    st.dictionaries(
        st.sampled_from(["S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"]),
        st.just("x"),
        min_size=2,
        max_size=4,
    ),
    st.text(min_size=1, max_size=5)
    .filter(lambda k: k not in {"S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"})
    .map(lambda k: {k: "x"}),
    st.sampled_from(
        [
            {"S": 1},
            {"N": None},
            {"B": "a"},
            {"B": "%%%%"},
            {"BOOL": 0},
            {"NULL": 1},
            {"NULL": None},
            {"L": "x"},
            {"M": "x"},
            {"SS": [None]},
            {"NS": [1]},
            {"BS": ["QQ"]},
        ]
    ),
)


@settings(max_examples=200)
@given(json_values(), MALFORMED_STRATEGY, st.integers(min_value=0, max_value=3))
def test_malformed_values_are_rejected_wherever_they_are(good: Any, bad: Any, depth: int) -> None:
    value = bad
    path = ""
    for level in range(depth):
        if level % 2:
            value = {"L": [good, value]}
            path = ".L[1]" + path
        else:
            value = {"M": {"ok": good, "bad": value}}
            path = ".M.bad" + path
    with pytest.raises(lambdago.DecodeError) as info:
        lambdago.decode(json.dumps({"attr": value}), Image)
    assert str(info.value).startswith("attr" + path)
    assert info.value.reason


def test_cold_start_engine_encodes_attribute_values_like_orjson() -> None:
    import subprocess
    import sys

    code = (
        "import lambdago, lambdago.events as ev, sys\n"
        "from lambdago import _jsonio\n"
        "assert _jsonio.use_cold_start_engine()\n"
        "event = lambdago.decode(ev.sample('dynamodb-stream'), ev.DynamoDBEvent)\n"
        "built = ev.dynamodb_from_python({'a': [1, b'x', {'s'}], 'n': None})\n"
        "out = _jsonio.dumps([event, built])\n"
        "assert _jsonio.engine == 'cold' and 'orjson' not in sys.modules\n"
        "sys.stdout.write(out.decode())\n"
    )
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    event = lambdago.decode(lambdago.events.sample("dynamodb-stream"), DynamoDBEvent)
    built = dynamodb_from_python({"a": [1, b"x", {"s"}], "n": None})
    assert json.loads(cold.stdout) == encoded([event, built])


def test_nesting_too_deep_to_convert_is_a_clear_error() -> None:
    """DynamoDB allows 32 levels; a value nested past Python's recursion limit is refused
    with a message, never a RecursionError (whatever the Python version's frame costs)."""
    import sys

    depth = sys.getrecursionlimit() * 2
    plain: Any = "leaf"
    for _ in range(depth):
        plain = [plain]
    with pytest.raises(ValueError, match=r"^a: nested more deeply than Python's recursion"):
        dynamodb_from_python({"a": plain})
    with pytest.raises(ValueError, match=r"^value: nested more deeply"):
        DynamoDBAttributeValue.from_python(plain)
    av = DynamoDBAttributeValue.new_string("leaf")
    for _ in range(depth):
        av = DynamoDBAttributeValue.new_list([av])
    with pytest.raises(lambdago.DecodeError, match=r"^a: nested more deeply"):
        dynamodb_to_python({"a": av})
    with pytest.raises(lambdago.DecodeError, match=r"^nested more deeply"):
        av.to_python()
    assert repr(av).startswith("DynamoDBAttributeValue(L=[DynamoDBAttributeValue(L=[")
