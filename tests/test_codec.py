"""The codec: types it decodes into, values it encodes, options, and its errors."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Literal, NamedTuple, NewType, Optional, TypedDict, Union

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lambdago
from lambdago import DecodeError, EncodeError, decode, encode


@attrs.define
class Identity:
    source_ip: str
    user_agent: str | None = None


@attrs.define
class RequestContext:
    identity: Identity
    stage: str = "prod"


@attrs.define
class Request:
    path: str
    request_context: RequestContext
    headers: dict[str, str] = attrs.Factory(dict)
    tags: list[str] = attrs.Factory(list)


@dataclasses.dataclass
class Order:
    order_id: str
    quantity: int
    price: float
    gift: bool = False
    notes: list[str] = dataclasses.field(default_factory=list)


class Movie(TypedDict):
    title: str
    year: int


class PartialMovie(TypedDict, total=False):
    title: str
    year: int


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


UserId = NewType("UserId", str)


class Point(NamedTuple):
    x: int
    y: int


T = typing.TypeVar("T")


@attrs.define
class Page(typing.Generic[T]):
    items: list[T]
    next_token: str | None = None


@attrs.define
class Node:
    value: int
    children: list[Node] = attrs.Factory(list)


# -- decoding into types --------------------------------------------------------------------


def test_scalars() -> None:
    assert decode(b'"x"', str) == "x"
    assert decode(b"3", int) == 3
    assert decode(b"3.0", int) == 3  # an integral number fits an int, as in JSON
    assert decode(b"3", float) == 3.0 and isinstance(decode(b"3", float), float)
    assert decode(b"true", bool) is True
    assert decode(b"null", type(None)) is None


def test_any_and_no_annotation_keep_plain_json() -> None:
    doc = b'{"a": [1, 2.5, null, true, "s", {"b": {}}]}'
    expected = {"a": [1, 2.5, None, True, "s", {"b": {}}]}
    assert decode(doc) == expected
    assert decode(doc, Any) == expected
    assert decode(doc, object) == expected


def test_containers_of_classes() -> None:
    assert decode(b'[{"order_id": "a", "quantity": 1, "price": 2}]', list[Order]) == [
        Order("a", 1, 2.0)
    ]
    assert decode(b'{"x": {"order_id": "a", "quantity": 1, "price": 2}}', dict[str, Order]) == {
        "x": Order("a", 1, 2.0)
    }
    assert decode(b"[1, 2]", tuple[int, ...]) == (1, 2)
    assert decode(b'[1, "a"]', tuple[int, str]) == (1, "a")
    assert decode(b"[1, 2, 2]", set[int]) == {1, 2}
    assert decode(b"[1, 2]", frozenset[int]) == frozenset({1, 2})
    assert decode(b"[1, 2]", Sequence[int]) == [1, 2]
    assert decode(b'{"1": "a"}', dict[int, str]) == {1: "a"}
    assert decode(b'{"a": 1}', Mapping[str, int]) == {"a": 1}


def test_nested_attrs_classes() -> None:
    doc = b'{"path": "/", "request_context": {"identity": {"source_ip": "1.2.3.4"}}}'
    assert decode(doc, Request) == Request(
        path="/", request_context=RequestContext(identity=Identity(source_ip="1.2.3.4"))
    )


def test_self_referencing_class() -> None:
    doc = b'{"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]}'
    assert decode(doc, Node) == Node(1, [Node(2, [Node(3)])])


def test_typeddicts() -> None:
    assert decode(b'{"title": "Up", "year": 2009}', Movie) == {"title": "Up", "year": 2009}
    assert decode(b'{"title": "Up"}', PartialMovie) == {"title": "Up"}
    with pytest.raises(DecodeError, match="year: required field is missing"):
        decode(b'{"title": "Up"}', Movie)


def test_optional_and_unions() -> None:
    assert decode(b"null", Optional[int]) is None  # noqa: UP045
    assert decode(b"1", int | None) == 1
    assert decode(b'"a"', Union[int, str]) == "a"  # noqa: UP007
    assert decode(b"1.5", int | float) == 1.5
    assert decode(b'{"x": 1, "y": 2}', Point | dict[str, int]) == {"x": 1, "y": 2}
    assert decode(b"[1, 2]", Point | dict[str, int]) == Point(1, 2)
    with pytest.raises(DecodeError, match="expected int \\| str, got list"):
        decode(b"[]", int | str)


def test_literal_enum_newtype_annotated() -> None:
    assert decode(b'"a"', Literal["a", "b"]) == "a"
    with pytest.raises(DecodeError, match="expected one of 'a', 'b', got 'c'"):
        decode(b'"c"', Literal["a", "b"])
    with pytest.raises(DecodeError):
        decode(b"true", Literal[1])  # True == 1 in Python, but not in JSON
    assert decode(b'"red"', Color) is Color.RED
    assert decode(b"2", Level) is Level.HIGH
    with pytest.raises(DecodeError, match="expected one of Color"):
        decode(b'"blue"', Color)
    assert decode(b'"u-1"', UserId) == "u-1"
    assert decode(b"5", Annotated[int, "meta"]) == 5


def test_value_types() -> None:
    assert decode(b'"2024-03-01T10:00:00Z"', datetime.datetime) == datetime.datetime(
        2024, 3, 1, 10, tzinfo=datetime.UTC
    )
    assert decode(b'"2024-03-01"', datetime.date) == datetime.date(2024, 3, 1)
    assert decode(b'"12:30:00"', datetime.time) == datetime.time(12, 30)
    assert decode(b"0.1", decimal.Decimal) == decimal.Decimal("0.1")
    assert decode(b'"12.50"', decimal.Decimal) == decimal.Decimal("12.50")
    u = uuid.uuid4()
    assert decode(f'"{u}"'.encode(), uuid.UUID) == u
    assert decode(b'"aGk="', bytes) == b'"aGk="'  # top-level bytes: the raw payload
    assert decode(b'["aGk="]', list[bytes]) == [b"hi"]


def test_generic_and_namedtuple_go_through_cattrs() -> None:
    page = decode(b'{"items": [{"value": 1}], "next_token": "t"}', Page[Node])
    assert page == Page(items=[Node(1)], next_token="t")
    assert decode(b"[1, 2]", Point) == Point(1, 2)
    with pytest.raises(DecodeError, match="items"):
        decode(b'{"items": [{"value": "x"}]}', Page[Node])


def test_unsupported_type_is_a_type_error() -> None:
    class Opaque:
        pass

    with pytest.raises(TypeError, match="cannot be decoded"):
        decode(b"{}", Opaque)


# -- decode errors ---------------------------------------------------------------------------


def test_error_paths() -> None:
    doc = b'{"path": "/", "request_context": {"identity": {"source_ip": 5}}}'
    with pytest.raises(DecodeError) as info:
        decode(doc, Request)
    assert str(info.value) == "request_context.identity.source_ip: expected str, got int"
    assert info.value.path == "request_context.identity.source_ip"
    assert info.value.reason == "expected str, got int"
    assert isinstance(info.value, ValueError)
    assert info.value.error_type == "Runtime.UnmarshalError"


def test_error_paths_in_lists_and_dicts() -> None:
    with pytest.raises(DecodeError, match=r"^\[1\]\.quantity: expected int, got str$"):
        decode(
            b'[{"order_id": "a", "quantity": 1, "price": 1}, {"order_id": "b", "quantity": "x", "price": 1}]',
            list[Order],
        )
    with pytest.raises(DecodeError, match=r"^b: expected int, got str$"):
        decode(b'{"a": 1, "b": "x"}', dict[str, int])
    with pytest.raises(DecodeError, match=r"^tags\[2\]: expected str, got null$"):
        decode(
            b'{"path": "/", "request_context": {"identity": {"source_ip": "x"}}, "tags": ["a", "b", null]}',
            Request,
        )
    with pytest.raises(DecodeError, match=r'^headers\["content type"\]: expected str, got int$'):
        decode(
            b'{"path": "/", "request_context": {"identity": {"source_ip": "x"}}, "headers": {"content type": 1}}',
            Request,
        )


def test_missing_field_and_wrong_container() -> None:
    with pytest.raises(DecodeError, match="^request_context: required field is missing$"):
        decode(b'{"path": "/"}', Request)
    with pytest.raises(DecodeError, match="^expected dict, got list$"):
        decode(b"[]", Request)
    with pytest.raises(DecodeError, match="^tags: expected list, got str$"):
        decode(
            b'{"path": "/", "request_context": {"identity": {"source_ip": "x"}}, "tags": "a"}',
            Request,
        )


def test_bool_is_not_an_int_and_int_is_not_a_str() -> None:
    with pytest.raises(DecodeError, match="expected int, got bool"):
        decode(b"true", int)
    with pytest.raises(DecodeError, match="expected str, got int"):
        decode(b"1", str)
    with pytest.raises(DecodeError, match="expected int, got float"):
        decode(b"1.5", int)


def test_malformed_json_names_the_position() -> None:
    with pytest.raises(DecodeError, match="malformed JSON.*line 1 column 8"):
        decode(b'{"a": 1,}', dict)
    with pytest.raises(DecodeError, match="malformed JSON"):
        decode(b"{", dict)


def test_trailing_bytes_are_an_error_unlike_go() -> None:
    with pytest.raises(DecodeError, match="malformed JSON"):
        decode(b'{"a": 1} {"b": 2}', dict)
    assert decode(b'  {"a": 1}  \n', dict) == {"a": 1}


def test_empty_payload_for_an_event_is_an_error() -> None:
    def h(event: dict[str, Any]) -> None:
        pass

    for empty in (b"", b"  \n"):
        with pytest.raises(DecodeError, match="payload is empty"):
            lambdago.new_handler(h).invoke(empty)


# -- options -----------------------------------------------------------------------------------


def test_strict_rejects_unknown_keys() -> None:
    doc = b'{"order_id": "a", "quantity": 1, "price": 1, "colour": "red"}'
    assert decode(doc, Order) == Order("a", 1, 1.0)
    with pytest.raises(DecodeError, match="^colour: unknown field 'colour'"):
        decode(doc, Order, strict=True)
    nested = b'{"path": "/", "request_context": {"identity": {"source_ip": "x", "extra": 1}}}'
    with pytest.raises(DecodeError, match="^request_context.identity.extra: unknown field"):
        decode(nested, Request, strict=True)


def test_use_decimal_decodes_numbers_losslessly() -> None:
    doc = b'{"price": 0.1, "big": 123456789012345678901234567890, "f": 1e400}'
    value = decode(doc, use_decimal=True)
    assert value == {
        "price": decimal.Decimal("0.1"),
        "big": 123456789012345678901234567890,
        "f": decimal.Decimal("1e400"),
    }
    plain = decode(b'{"big": 123456789012345678901234567890}')
    assert isinstance(plain["big"], float)  # orjson (and Go) read it as a float


def test_use_decimal_still_rejects_what_orjson_rejects() -> None:
    with pytest.raises(DecodeError):
        decode(b'"\\ud800"', use_decimal=True)
    with pytest.raises(DecodeError):
        decode(b"NaN", use_decimal=True)


def test_escape_html() -> None:
    value = {"html": "<a href='x'>&</a>", "sep": "\u2028"}
    assert b"<" in encode(value)
    out = encode(value, escape_html=True)
    assert out == b'{"html":"\\u003ca href=\'x\'\\u003e\\u0026\\u003c/a\\u003e","sep":"\\u2028"}'
    assert json.loads(out) == value


def test_indent() -> None:
    value = {"a": [1, {"b": None}], "c": {}, "d": []}
    two = encode(value, indent=2)
    assert (
        two
        == b'{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ],\n  "c": {},\n  "d": []\n}\n'
    )
    four = encode(value, indent=4)
    assert four == json.dumps(value, indent=4).encode() + b"\n"
    tabs = encode(value, indent="\t")
    assert tabs == json.dumps(value, indent="\t").encode() + b"\n"
    tricky = {"s": 'a "quoted" \\ string, with: {braces} [and] commas'}
    assert encode(tricky, indent=3) == json.dumps(tricky, indent=3).encode() + b"\n"


def test_handler_options_apply() -> None:
    def h(event: dict[str, Any]) -> dict[str, Any]:
        return {"echo": event, "html": "<b>"}

    handler = lambdago.new_handler(h, escape_html=True, indent=2)
    assert (
        handler.invoke(b'{"a": 1}')
        == b'{\n  "echo": {\n    "a": 1\n  },\n  "html": "\\u003cb\\u003e"\n}\n'
    )
    strict = lambdago.new_handler(lambda o: o, strict=True)
    assert strict.invoke(b'{"a": 1}') == b'{"a":1}'  # strict only concerns typed objects


# -- encoding -----------------------------------------------------------------------------------


def test_encodable_types() -> None:
    tz = datetime.timezone(datetime.timedelta(hours=2))
    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    value = {
        "attrs": Identity(source_ip="1.1.1.1"),
        "dataclass": Order("a", 1, 2.5),
        "dict": {"x": 1},
        "list": [1, "a", None, True, 1.5],
        "tuple": (1, 2),
        "set": {3},
        "frozenset": frozenset({4}),
        "utc": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        "naive": datetime.datetime(2024, 1, 2, 3, 4, 5, 600000),
        "offset": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=tz),
        "date": datetime.date(2024, 1, 2),
        "decimal": decimal.Decimal("1.10"),
        "uuid": u,
        "enum": Color.GREEN,
        "intenum": Level.LOW,
        "bytes": b"hi",
        "namedtuple": Point(1, 2),
        "none": None,
    }
    assert json.loads(encode(value)) == {
        "attrs": {"source_ip": "1.1.1.1", "user_agent": None},
        "dataclass": {"order_id": "a", "quantity": 1, "price": 2.5, "gift": False, "notes": []},
        "dict": {"x": 1},
        "list": [1, "a", None, True, 1.5],
        "tuple": [1, 2],
        "set": [3],
        "frozenset": [4],
        "utc": "2024-01-02T03:04:05Z",
        "naive": "2024-01-02T03:04:05.600000Z",
        "offset": "2024-01-02T03:04:05+02:00",
        "date": "2024-01-02",
        "decimal": 1.10,
        "uuid": str(u),
        "enum": "green",
        "intenum": 1,
        "bytes": "aGk=",
        "namedtuple": [1, 2],
        "none": None,
    }
    assert b'"decimal":1.10' in encode(value)  # exactly as written


def test_encoding_is_compact_and_does_not_escape_html() -> None:
    assert encode({"a": [1, 2], "b": "<&>"}) == b'{"a":[1,2],"b":"<&>"}'
    assert encode(None) == b"null"
    assert encode("é") == '"é"'.encode()


def test_integer_keys_and_big_integers() -> None:
    assert encode({1: "a", 2: "b"}) == b'{"1":"a","2":"b"}'
    assert encode([2**70]) == b"[1180591620717411303424]"
    assert json.loads(encode({"n": 2**64 + 1, 3: [4]})) == {"n": 2**64 + 1, "3": [4]}


def test_unencodable_values_name_their_type() -> None:
    class Opaque:
        pass

    with pytest.raises(EncodeError, match="Opaque") as info:
        encode({"x": Opaque()})
    assert info.value.error_type == "Runtime.MarshalError"
    with pytest.raises(EncodeError, match="Decimal"):
        encode(decimal.Decimal("NaN"))
    with pytest.raises(EncodeError):
        encode("\ud800")


def test_handler_result_that_cannot_be_encoded() -> None:
    def h() -> Any:
        return object()

    with pytest.raises(EncodeError, match="object"):
        lambdago.new_handler(h).invoke(b"")


# -- property tests -----------------------------------------------------------------------------

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_json_document_round_trips_through_an_any_handler(value: Any) -> None:
    handler = lambdago.new_handler(lambda event: event)
    out = handler.invoke(json.dumps(value).encode())
    assert json.loads(out) == value


@attrs.define
class Leaf:
    label: str
    weight: float
    count: int | None = None


@attrs.define
class Tree:
    name: str
    leaves: list[Leaf]
    attributes: dict[str, int]
    flag: bool = False
    parent: Leaf | None = None


_leaves = st.builds(
    Leaf,
    label=st.text(),
    weight=st.floats(allow_nan=False, allow_infinity=False),
    count=st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1),
)
_trees = st.builds(
    Tree,
    name=st.text(),
    leaves=st.lists(_leaves, max_size=4),
    attributes=st.dictionaries(
        st.text(), st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=4
    ),
    flag=st.booleans(),
    parent=st.none() | _leaves,
)


@settings(max_examples=300, deadline=None)
@given(_trees)
def test_generated_attrs_instances_round_trip_through_a_typed_handler(tree: Tree) -> None:
    def h(event: Tree) -> Tree:
        return event

    handler = lambdago.new_handler(h)
    assert decode(handler.invoke(encode(tree)), Tree) == tree


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: encode(1, strict=0), "strict option must be True or False"),
        (lambda: encode(1, escape_html=None), "escape_html option must be True or False"),
        (lambda: decode(b"1", int, use_decimal=1), "use_decimal option must be True or False"),
        (lambda: decode(b"1", int, lazy=0), "lazy option must be True or False"),
    ],
)
def test_falsy_non_bool_options_are_still_rejected(
    call: Callable[[], object], message: str
) -> None:
    # encode(value) and decode(data, type) skip building a CodecOptions when every option
    # is its default; a falsy value that is not False must not slip through that way.
    with pytest.raises(TypeError, match=message):
        call()


@given(JSON)
def test_the_default_fast_path_matches_explicit_options(value: Any) -> None:
    data = encode(value)
    assert encode(value, escape_html=False, use_decimal=False) == data
    assert decode(data) == decode(data, strict=False, use_decimal=False)
