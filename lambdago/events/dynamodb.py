"""Amazon DynamoDB Streams: the batch of item changes Lambda reads from a table's stream,
the typed attribute values the changed items are made of, and the partial batch response a
function returns to report the first record it could not handle.

An item image (``Keys``, ``NewImage``, ``OldImage``) maps attribute names to
:class:`DynamoDBAttributeValue`, DynamoDB's typed JSON (``{"N": "42"}``, ``{"SS": ["a"]}``).
Plain Python values, as boto3's ``TypeDeserializer`` gives them, come from
:func:`dynamodb_to_python`; an attrs class or dataclass straight from a record, from
``record.dynamodb.new_image_as(Item)``::

    @lambdago.handler
    def handle(event: DynamoDBEvent) -> DynamoDBEventResponse:
        def one(record: DynamoDBEventRecord) -> None:
            item = record.dynamodb.new_image_as(Order)  # None for a REMOVE
            ...

        return event.process(one)
"""

from __future__ import annotations

import binascii
import builtins
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType

from .._converters import Failure, json_type_name
from ._base import BASE64, EPOCH_SECONDS, Wire, event, field
from .time_window import Window

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final, TypeVar

    T = TypeVar("T")

__all__ = [
    "DataTypeBinary",
    "DataTypeBinarySet",
    "DataTypeBoolean",
    "DataTypeList",
    "DataTypeMap",
    "DataTypeNull",
    "DataTypeNumber",
    "DataTypeNumberSet",
    "DataTypeString",
    "DataTypeStringSet",
    "DynamoDBAttributeValue",
    "DynamoDBBatchItemFailure",
    "DynamoDBDataType",
    "DynamoDBEvent",
    "DynamoDBEventRecord",
    "DynamoDBEventResponse",
    "DynamoDBKeyType",
    "DynamoDBKeyTypeHash",
    "DynamoDBKeyTypeRange",
    "DynamoDBOperationType",
    "DynamoDBOperationTypeInsert",
    "DynamoDBOperationTypeModify",
    "DynamoDBOperationTypeRemove",
    "DynamoDBShardIteratorTypeAfterSequenceNumber",
    "DynamoDBShardIteratorTypeAtSequenceNumber",
    "DynamoDBShardIteratorTypeLatest",
    "DynamoDBShardIteratorTypeTrimHorizon",
    "DynamoDBSharedIteratorType",
    "DynamoDBStreamRecord",
    "DynamoDBStreamStatus",
    "DynamoDBStreamStatusDisabled",
    "DynamoDBStreamStatusDisabling",
    "DynamoDBStreamStatusEnabled",
    "DynamoDBStreamStatusEnabling",
    "DynamoDBStreamViewType",
    "DynamoDBStreamViewTypeKeysOnly",
    "DynamoDBStreamViewTypeNewAndOldImages",
    "DynamoDBStreamViewTypeNewImage",
    "DynamoDBStreamViewTypeOldImage",
    "DynamoDBTimeWindowEvent",
    "DynamoDBTimeWindowEventResponse",
    "DynamoDBUserIdentity",
    "IncompatibleDynamoDBTypeError",
    "UnsupportedDynamoDBTypeError",
    "dynamodb_from_python",
    "dynamodb_to_python",
]

SAMPLES = {
    "dynamodb-stream": "DynamoDBEvent",
    "dynamodb-time-window": "DynamoDBTimeWindowEvent",
}


# -- named string types and their values ---------------------------------------------------

DynamoDBKeyType = str
"""The role of a key attribute: :data:`DynamoDBKeyTypeHash` or :data:`DynamoDBKeyTypeRange`."""
DynamoDBKeyTypeHash: Final = "HASH"
DynamoDBKeyTypeRange: Final = "RANGE"

DynamoDBOperationType = str
"""A stream record's ``eventName``: what happened to the item."""
DynamoDBOperationTypeInsert: Final = "INSERT"
DynamoDBOperationTypeModify: Final = "MODIFY"
DynamoDBOperationTypeRemove: Final = "REMOVE"

DynamoDBSharedIteratorType = str
"""Where a stream reader starts in a shard (the spelling is aws-lambda-go's)."""
DynamoDBShardIteratorTypeTrimHorizon: Final = "TRIM_HORIZON"
DynamoDBShardIteratorTypeLatest: Final = "LATEST"
DynamoDBShardIteratorTypeAtSequenceNumber: Final = "AT_SEQUENCE_NUMBER"
DynamoDBShardIteratorTypeAfterSequenceNumber: Final = "AFTER_SEQUENCE_NUMBER"

DynamoDBStreamStatus = str
"""The state of a table's stream."""
DynamoDBStreamStatusEnabling: Final = "ENABLING"
DynamoDBStreamStatusEnabled: Final = "ENABLED"
DynamoDBStreamStatusDisabling: Final = "DISABLING"
DynamoDBStreamStatusDisabled: Final = "DISABLED"

DynamoDBStreamViewType = str
"""Which images a stream records (``StreamViewType``)."""
DynamoDBStreamViewTypeNewImage: Final = "NEW_IMAGE"
DynamoDBStreamViewTypeOldImage: Final = "OLD_IMAGE"
DynamoDBStreamViewTypeNewAndOldImages: Final = "NEW_AND_OLD_IMAGES"
DynamoDBStreamViewTypeKeysOnly: Final = "KEYS_ONLY"

DynamoDBDataType = str
"""The type of an attribute value: its JSON type key (``"S"``, ``"N"``, ``"M"`` …). In
aws-lambda-go this is an integer enum; here the constants are the keys themselves."""
DataTypeBinary: Final = "B"
DataTypeBoolean: Final = "BOOL"
DataTypeBinarySet: Final = "BS"
DataTypeList: Final = "L"
DataTypeMap: Final = "M"
DataTypeNumber: Final = "N"
DataTypeNumberSet: Final = "NS"
DataTypeNull: Final = "NULL"
DataTypeString: Final = "S"
DataTypeStringSet: Final = "SS"

_TYPE_KEYS: Final = ("B", "BOOL", "BS", "L", "M", "N", "NS", "NULL", "S", "SS")
_TYPE_LIST: Final = ", ".join(_TYPE_KEYS)


# -- errors -------------------------------------------------------------------------------


class UnsupportedDynamoDBTypeError(TypeError):
    """A Python value with no DynamoDB type (a ``float``, an object, a set mixing kinds …),
    given to :func:`dynamodb_from_python` or :meth:`DynamoDBAttributeValue.from_python`.

    ``type`` names the offending Python type; ``path`` locates the value (``tags[2]``).
    """

    def __init__(self, type: str, reason: str, path: str = "") -> None:
        self.type = type
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


class IncompatibleDynamoDBTypeError(TypeError):
    """An accessor of :class:`DynamoDBAttributeValue` used on a value of another type
    (``.s`` on a number). ``requested`` and ``actual`` are type keys such as ``"S"``."""

    def __init__(self, requested: str, actual: str) -> None:
        self.requested = requested
        self.actual = actual
        super().__init__(f"the attribute value holds {actual}, not {requested}")


# -- attribute values -----------------------------------------------------------------------

_new = object.__new__
_decode_b64 = BASE64.decode


def _make(data_type: str, value: Any, src: Any = None) -> DynamoDBAttributeValue:
    o: DynamoDBAttributeValue = _new(DynamoDBAttributeValue)
    o._type = data_type
    o._value = value
    o._src = src
    return o


def _at(failure: Failure, *segments: str | int) -> Failure:
    failure.path.extend(segments)
    return failure


def _decode(v: Any) -> DynamoDBAttributeValue:
    """A JSON attribute value (``{"S": "x"}``) to a :class:`DynamoDBAttributeValue`."""
    if v.__class__ is not dict:
        raise Failure(
            "expected a DynamoDB attribute value (an object with one type key such as "
            f'"S" or "N"), got {json_type_name(v)}'
        )
    if len(v) != 1:
        if not v:
            raise Failure(f"a DynamoDB attribute value needs one type key ({_TYPE_LIST}), got {{}}")
        keys = ", ".join(repr(k) for k in v)
        raise Failure(f"a DynamoDB attribute value has exactly one type key, got {len(v)}: {keys}")
    ((k, x),) = v.items()
    c = x.__class__
    if k == "S" or k == "N":
        if c is not str:
            raise _at(Failure(f"expected str, got {json_type_name(x)}"), k)
        # The most common values: made here rather than through _make, one call less.
        o: DynamoDBAttributeValue = _new(DynamoDBAttributeValue)
        o._type = k
        o._value = x
        o._src = v
        return o
    if k == "M":
        if c is not dict:
            raise _at(Failure(f"expected dict (of attribute values), got {json_type_name(x)}"), k)
        m = {}
        try:
            for name, item in x.items():
                m[name] = _decode(item)
        except Failure as e:
            raise _at(e, name, k) from None
        return _make(k, m, v)
    if k == "L":
        if c is not list:
            raise _at(Failure(f"expected list (of attribute values), got {json_type_name(x)}"), k)
        out = []
        try:
            for item in x:
                out.append(_decode(item))
        except Failure as e:
            raise _at(e, len(out), k) from None
        return _make(k, tuple(out), v)
    if k == "BOOL":
        if c is not bool:
            raise _at(Failure(f"expected bool, got {json_type_name(x)}"), k)
        return _make(k, x, v)
    if k == "NULL":
        if x is not True:
            raise _at(Failure(f"NULL must be true, got {_show(x)}"), k)
        return _make(k, None, v)
    if k == "SS" or k == "NS":
        if c is not list:
            raise _at(Failure(f"expected list (of str), got {json_type_name(x)}"), k)
        for i, item in enumerate(x):
            if item.__class__ is not str:
                raise _at(Failure(f"expected str, got {json_type_name(item)}"), i, k)
        return _make(k, tuple(x), v)
    if k == "B":
        if c is not str:
            raise _at(Failure(f"expected str (base64), got {json_type_name(x)}"), k)
        try:
            return _make(k, _decode_b64(x), v)
        except Failure as e:
            raise _at(e, k) from None
    if k == "BS":
        if c is not list:
            raise _at(Failure(f"expected list (of base64 str), got {json_type_name(x)}"), k)
        blobs = []
        try:
            for item in x:
                if item.__class__ is not str:
                    raise Failure(f"expected str (base64), got {json_type_name(item)}")
                blobs.append(_decode_b64(item))
        except Failure as e:
            raise _at(e, len(blobs), k) from None
        return _make(k, tuple(blobs), v)
    raise Failure(f"unsupported DynamoDB attribute type {k!r} (expected one of {_TYPE_LIST})")


def _show(x: Any) -> str:
    if x is None:
        return "null"
    if x is False:
        return "false"
    if isinstance(x, (int, float, str)):
        return repr(x)
    return json_type_name(x)


def _b64(b: bytes) -> str:
    return binascii.b2a_base64(b, newline=False).decode("ascii")


class DynamoDBAttributeValue:
    """One attribute value of a DynamoDB item as Streams sends it: exactly one type key
    (``S``, ``N``, ``B``, ``BOOL``, ``NULL``, ``L``, ``M``, ``SS``, ``NS``, ``BS``).

    Values are immutable. Numbers stay the strings DynamoDB sends (``.n == "123.45"``; use
    :meth:`as_decimal`, :meth:`as_int`, :meth:`as_float`); binaries are ``bytes``; lists
    and sets are tuples; a map is a read-only mapping. Reading a value as the wrong type
    (``.s`` on a number) raises :class:`IncompatibleDynamoDBTypeError`.

    Build one with a ``new_*`` constructor, with ``DynamoDBAttributeValue(S="hello")``
    (the keyword is the type key, as in ``repr``) or from plain Python with
    :meth:`from_python`. A decoded value encodes back exactly as it was received.
    """

    __slots__ = ("_src", "_type", "_value")

    _type: str
    _value: Any
    _src: Any

    __lambdago_decode__ = staticmethod(_decode)
    # Values never change once made: the encoder of an event holding them may compare a
    # decoded item with a shallow copy taken on decode (see lambdago._converters).
    __lambdago_immutable__ = True

    def __init__(self, **value: Any) -> None:
        if len(value) != 1:
            raise TypeError(
                "DynamoDBAttributeValue takes exactly one keyword argument, the type key "
                f"({_TYPE_LIST}), e.g. DynamoDBAttributeValue(S='hello')"
            )
        ((key, v),) = value.items()
        build = _CONSTRUCTORS.get(key)
        if build is None:
            raise TypeError(f"unknown DynamoDB attribute type {key!r} (expected {_TYPE_LIST})")
        made = build(v)
        self._type = made._type
        self._value = made._value
        self._src = None

    def __lambdago_encode__(self) -> Any:
        src = self._src
        if src is not None:
            return src
        t = self._type
        v = self._value
        if t == "NULL":
            return {t: True}
        if t == "B":
            return {t: _b64(v)}
        if t == "BS":
            return {t: [_b64(b) for b in v]}
        if t == "M":
            return {t: dict(v)}
        if t == "L" or t == "SS" or t == "NS":
            return {t: list(v)}
        return {t: v}

    def to_json(self) -> dict[str, Any]:
        """The value as DynamoDB's JSON (``{"N": "42"}``), nested values included."""
        t = self._type
        v = self._value
        if t == "M":
            return {t: {k: x.to_json() for k, x in v.items()}}
        if t == "L":
            return {t: [x.to_json() for x in v]}
        encoded: dict[str, Any] = self.__lambdago_encode__()
        return encoded

    # -- inspection ------------------------------------------------------------------------

    @property
    def data_type(self) -> DynamoDBDataType:
        """The type key: ``"S"``, ``"N"``, ``"M"`` … (the ``DataType*`` constants)."""
        return self._type

    @property
    def value(self) -> Any:
        """The value as held: ``str`` for S and N, ``bytes``, ``bool``, ``None`` for NULL,
        a tuple for L, SS, NS and BS, a read-only mapping for M."""
        v = self._value
        return MappingProxyType(v) if self._type == "M" else v

    def _get(self, t: str) -> Any:
        if self._type != t:
            raise IncompatibleDynamoDBTypeError(t, self._type)
        return self._value

    @property
    def s(self) -> str:
        """The string of an ``S`` value."""
        v: str = self._get("S")
        return v

    @property
    def n(self) -> str:
        """The number of an ``N`` value, as the string DynamoDB sent."""
        v: str = self._get("N")
        return v

    @property
    def b(self) -> bytes:
        """The bytes of a ``B`` value (base64-decoded)."""
        v: bytes = self._get("B")
        return v

    @property
    def bool(self) -> builtins.bool:
        """The boolean of a ``BOOL`` value."""
        v: builtins.bool = self._get("BOOL")
        return v

    @property
    def is_null(self) -> builtins.bool:
        """Whether this is a ``NULL`` value (never raises)."""
        return self._type == "NULL"

    @property
    def l(self) -> tuple[DynamoDBAttributeValue, ...]:  # noqa: E743
        """The elements of an ``L`` value."""
        v: tuple[DynamoDBAttributeValue, ...] = self._get("L")
        return v

    @property
    def m(self) -> Mapping[str, DynamoDBAttributeValue]:
        """The entries of an ``M`` value (read-only)."""
        return MappingProxyType(self._get("M"))

    @property
    def ss(self) -> tuple[str, ...]:
        """The strings of an ``SS`` value, in the order received."""
        v: tuple[str, ...] = self._get("SS")
        return v

    @property
    def ns(self) -> tuple[str, ...]:
        """The numbers of an ``NS`` value, as strings, in the order received."""
        v: tuple[str, ...] = self._get("NS")
        return v

    @property
    def bs(self) -> tuple[bytes, ...]:
        """The binaries of a ``BS`` value, in the order received."""
        v: tuple[bytes, ...] = self._get("BS")
        return v

    def as_decimal(self) -> Any:
        """An ``N`` value as ``decimal.Decimal`` (exact). Raises ``ValueError`` if the
        string is not a number."""
        return _to_decimal(self.n)

    def as_int(self) -> int:
        """An ``N`` value as ``int``. Raises ``ValueError`` unless it is an integral number
        (``"42"``, ``"4.2E1"``)."""
        d = _to_decimal(self.n)
        if d != d.to_integral_value():
            raise ValueError(f"DynamoDB number {self.n!r} is not an integer")
        return int(d)

    def as_float(self) -> float:
        """An ``N`` value as the nearest ``float``. Raises ``ValueError`` if the string is
        not a number."""
        return float(_to_decimal(self.n))

    # -- plain Python ------------------------------------------------------------------------

    def to_python(self, *, integral_as_int: builtins.bool = False) -> Any:
        """The value as plain Python, as boto3's ``TypeDeserializer`` gives it: S ``str``,
        N ``Decimal`` (``int`` for integral numbers with ``integral_as_int``), B ``bytes``,
        BOOL ``bool``, NULL ``None``, L ``list``, M ``dict``, SS/NS/BS ``set``.

        Raises :class:`lambdago.DecodeError` (a ``ValueError``) for a number string that is
        not a number, naming where it is.
        """
        return _checked_plain(self, integral_as_int, None)

    @classmethod
    def from_python(cls, value: Any) -> DynamoDBAttributeValue:
        """The attribute value for a plain Python value, as boto3's ``TypeSerializer``
        takes them: ``None``, ``bool``, ``int``/``Decimal`` (not ``float``: DynamoDB numbers
        are exact), ``str``, bytes-like (and boto3's ``Binary``), non-empty sets of strings,
        numbers or bytes, lists/tuples, mappings with ``str`` keys, and attribute values.

        Raises :class:`UnsupportedDynamoDBTypeError` (a ``TypeError``) for other values and
        ``ValueError`` for an empty set, a non-finite ``Decimal`` or a value nested too
        deeply to convert.
        """
        return _checked_from_python(value, "")

    # -- constructors ----------------------------------------------------------------------

    @classmethod
    def new_string(cls, value: str) -> DynamoDBAttributeValue:
        """An ``S`` value."""
        if not isinstance(value, str):
            raise TypeError(f"an S value must be a str, got {type(value).__name__}")
        return _make("S", value)

    @classmethod
    def new_number(cls, value: str | int | Any) -> DynamoDBAttributeValue:
        """An ``N`` value from a number string, an ``int`` or a ``Decimal``."""
        return _make("N", _number_text(value, "an N value"))

    @classmethod
    def new_binary(cls, value: bytes | bytearray | memoryview) -> DynamoDBAttributeValue:
        """A ``B`` value."""
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise TypeError(f"a B value must be bytes, got {type(value).__name__}")
        return _make("B", bytes(value))

    @classmethod
    def new_boolean(cls, value: builtins.bool) -> DynamoDBAttributeValue:
        """A ``BOOL`` value."""
        if not isinstance(value, builtins.bool):
            raise TypeError(f"a BOOL value must be a bool, got {type(value).__name__}")
        return _make("BOOL", value)

    @classmethod
    def new_null(cls) -> DynamoDBAttributeValue:
        """A ``NULL`` value."""
        return _make("NULL", None)

    @classmethod
    def new_list(cls, values: Iterable[DynamoDBAttributeValue]) -> DynamoDBAttributeValue:
        """An ``L`` value of attribute values."""
        items = tuple(values)
        for i, x in enumerate(items):
            if not isinstance(x, DynamoDBAttributeValue):
                raise TypeError(
                    f"element {i} of an L value must be a DynamoDBAttributeValue, "
                    f"got {type(x).__name__}"
                )
        return _make("L", items)

    @classmethod
    def new_map(cls, values: Mapping[str, DynamoDBAttributeValue]) -> DynamoDBAttributeValue:
        """An ``M`` value of attribute values."""
        entries = dict(values)
        for k, x in entries.items():
            if not isinstance(k, str):
                raise TypeError(f"the keys of an M value must be str, got {type(k).__name__}")
            if not isinstance(x, DynamoDBAttributeValue):
                raise TypeError(
                    f"entry {k!r} of an M value must be a DynamoDBAttributeValue, "
                    f"got {type(x).__name__}"
                )
        return _make("M", entries)

    @classmethod
    def new_string_set(cls, values: Iterable[str]) -> DynamoDBAttributeValue:
        """An ``SS`` value (order kept as given)."""
        items = tuple(values)
        for x in items:
            if not isinstance(x, str):
                raise TypeError(f"the elements of an SS value must be str, got {type(x).__name__}")
        return _make("SS", items)

    @classmethod
    def new_number_set(cls, values: Iterable[str | int | Any]) -> DynamoDBAttributeValue:
        """An ``NS`` value from number strings, ``int``\\ s or ``Decimal``\\ s."""
        return _make("NS", tuple(_number_text(x, "an NS element") for x in values))

    @classmethod
    def new_binary_set(
        cls, values: Iterable[bytes | bytearray | memoryview]
    ) -> DynamoDBAttributeValue:
        """A ``BS`` value."""
        items = tuple(values)
        for x in items:
            if not isinstance(x, (bytes, bytearray, memoryview)):
                raise TypeError(f"the elements of a BS value must be bytes, got {type(x).__name__}")
        return _make("BS", tuple(bytes(x) for x in items))

    # -- value semantics -------------------------------------------------------------------

    def __eq__(self, other: object) -> builtins.bool:
        if not isinstance(other, DynamoDBAttributeValue):
            return NotImplemented
        return self._type == other._type and self._value == other._value

    def __repr__(self) -> str:
        v = self._value
        if self._type == "NULL":
            v = True
        elif self._type in ("L", "SS", "NS", "BS"):
            v = list(v)
        try:
            return f"DynamoDBAttributeValue({self._type}={v!r})"
        except RecursionError:
            # Nested past the recursion limit: show this level, not the depths (a repr
            # must not fail, it is what error messages and debuggers print).
            return f"DynamoDBAttributeValue({self._type}=...)"


def _null_from_keyword(v: Any) -> DynamoDBAttributeValue:
    if v is not True:
        raise TypeError(f"NULL must be True, got {v!r}")
    return _make("NULL", None)


_CONSTRUCTORS: Final[dict[str, Any]] = {
    "S": DynamoDBAttributeValue.new_string,
    "N": DynamoDBAttributeValue.new_number,
    "B": DynamoDBAttributeValue.new_binary,
    "BOOL": DynamoDBAttributeValue.new_boolean,
    "NULL": _null_from_keyword,
    "L": DynamoDBAttributeValue.new_list,
    "M": DynamoDBAttributeValue.new_map,
    "SS": DynamoDBAttributeValue.new_string_set,
    "NS": DynamoDBAttributeValue.new_number_set,
    "BS": DynamoDBAttributeValue.new_binary_set,
}


# -- numbers --------------------------------------------------------------------------------

_number_re: Any = None


def _is_number(text: str) -> bool:
    global _number_re
    if _number_re is None:
        import re

        _number_re = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
    return _number_re.fullmatch(text) is not None


def _to_decimal(text: str) -> Any:
    from decimal import Decimal

    if not _is_number(text):
        raise ValueError(f"invalid DynamoDB number: {text!r}")
    d = Decimal(text)
    if not _in_range(d):
        raise ValueError(_out_of_range(text))
    return d


def _in_range(d: Any) -> bool:
    """Whether ``d`` is within DynamoDB's number range (magnitudes 1E-130 to under 1E+126).

    Nothing outside it is a DynamoDB number (boto3 refuses it too), and converting one
    such as ``"1e9999999999"`` to ``int`` would build a ten-billion-digit integer: a
    hostile event must not be able to hang the function.
    """
    return not d or -130 <= d.adjusted() <= 125


def _out_of_range(text: str) -> str:
    shown = text if len(text) <= 40 else text[:40] + "..."
    return (
        f"invalid DynamoDB number: {shown!r} is outside DynamoDB's range "
        "(magnitudes from 1E-130 to 9.9999999999999999999999999999999999999E+125)"
    )


def _number_text(value: Any, what: str) -> str:
    if isinstance(value, str):
        if not _is_number(value):
            raise ValueError(f"{what} must be a number, got {value!r}")
        return value
    if isinstance(value, builtins.bool):
        raise TypeError(f"{what} must be a number, got bool")
    if isinstance(value, int):
        return str(int(value))
    dec = sys.modules.get("decimal")
    if dec is not None and isinstance(value, dec.Decimal):
        if not value.is_finite():
            raise ValueError(f"{what} must be a finite number, got {value}")
        return str(value)
    if isinstance(value, float):
        raise TypeError(
            f"{what} cannot be a float (DynamoDB numbers are exact): use decimal.Decimal, "
            "int or a number string"
        )
    raise TypeError(f"{what} must be a number string, int or Decimal, got {type(value).__name__}")


# -- to plain Python --------------------------------------------------------------------------


def _number(text: str, as_int: bool) -> Any:
    from decimal import Decimal

    if not _is_number(text):
        raise Failure(f"invalid DynamoDB number: {text!r}")
    d = Decimal(text)
    if not _in_range(d):
        raise Failure(_out_of_range(text))
    if as_int and d == d.to_integral_value():
        return int(d)
    return d


def _plain(av: DynamoDBAttributeValue, as_int: bool, json_like: bool) -> Any:
    """``av`` as plain Python; with ``json_like``, in the form ``lambdago``'s decoders take
    (binaries as base64 text, sets as lists), for decoding into a user's class."""
    t = av._type
    v = av._value
    if t == "S" or t == "BOOL":
        return v
    if t == "N":
        return _number(v, as_int)
    if t == "M":
        out = {}
        try:
            for k, x in v.items():
                out[k] = _plain(x, as_int, json_like)
        except Failure as e:
            raise _at(e, k) from None
        return out
    if t == "L":
        items = []
        try:
            for x in v:
                items.append(_plain(x, as_int, json_like))
        except Failure as e:
            raise _at(e, len(items)) from None
        return items
    if t == "NULL":
        return None
    if t == "SS":
        return list(v) if json_like else set(v)
    if t == "NS":
        nums = []
        try:
            for x in v:
                nums.append(_number(x, as_int))
        except Failure as e:
            raise _at(e, len(nums)) from None
        return nums if json_like else set(nums)
    if t == "B":
        return _b64(v) if json_like else v
    if t == "BS":
        return [_b64(b) for b in v] if json_like else set(v)
    raise AssertionError(f"unknown attribute type {t!r}")


_TOO_DEEP = (
    "nested more deeply than Python's recursion limit allows (DynamoDB itself allows 32 levels)"
)


def _checked_plain(av: DynamoDBAttributeValue, as_int: bool, where: str | None) -> Any:
    try:
        return _plain(av, as_int, False)
    except Failure as e:
        from ..errors import DecodeError

        if where is not None:
            e.path.append(where)
        raise DecodeError(e.reason, e.dotted_path()) from None
    except RecursionError:
        from ..errors import DecodeError

        raise DecodeError(_TOO_DEEP, where or "") from None


def _checked_from_python(v: Any, path: str) -> DynamoDBAttributeValue:
    try:
        return _from_python(v, path)
    except RecursionError:
        raise ValueError(f"{path or 'value'}: {_TOO_DEEP}") from None


def dynamodb_to_python(
    image: Mapping[str, DynamoDBAttributeValue], *, integral_as_int: bool = False
) -> dict[str, Any]:
    """An item image (``NewImage``, ``Keys`` …) as a plain ``dict``, converted as boto3's
    ``TypeDeserializer`` does (see :meth:`DynamoDBAttributeValue.to_python`).

    Raises :class:`lambdago.DecodeError` naming the attribute whose number is invalid (or
    that is nested too deeply to convert), and ``TypeError`` if a value is not a
    :class:`DynamoDBAttributeValue`.
    """
    out = {}
    for k, av in image.items():
        if not isinstance(av, DynamoDBAttributeValue):
            raise TypeError(
                f"{k}: expected a DynamoDBAttributeValue, got {type(av).__name__} "
                "(decode DynamoDB JSON with lambdago.decode(data, "
                "dict[str, DynamoDBAttributeValue]))"
            )
        out[k] = _checked_plain(av, integral_as_int, k)
    return out


# -- from plain Python --------------------------------------------------------------------


def _join(path: str, seg: str | int) -> str:
    if isinstance(seg, int):
        return f"{path}[{seg}]"
    return f"{path}.{seg}" if path else seg


def _from_python(v: Any, path: str) -> DynamoDBAttributeValue:
    if isinstance(v, DynamoDBAttributeValue):
        return v
    if v is None:
        return _make("NULL", None)
    if isinstance(v, builtins.bool):
        return _make("BOOL", v)
    if isinstance(v, str):
        return _make("S", v)
    if isinstance(v, (int, float)) or _is_decimal(v):
        return _make("N", _python_number(v, path))
    if isinstance(v, (bytes, bytearray, memoryview)):
        return _make("B", bytes(v))
    if _is_boto3_binary(v):
        return _make("B", bytes(v.value))
    if isinstance(v, Mapping):
        m = {}
        for k, x in v.items():
            if not isinstance(k, str):
                raise UnsupportedDynamoDBTypeError(
                    type(k).__name__, f"map keys must be str, got {type(k).__name__}", path
                )
            m[k] = _from_python(x, _join(path, k))
        return _make("M", m)
    if isinstance(v, (list, tuple)):
        return _make("L", tuple(_from_python(x, _join(path, i)) for i, x in enumerate(v)))
    if isinstance(v, (set, frozenset)):
        return _set_from_python(v, path)
    raise UnsupportedDynamoDBTypeError(
        type(v).__name__, f"{type(v).__name__} values have no DynamoDB type", path
    )


def _is_decimal(v: Any) -> bool:
    dec = sys.modules.get("decimal")
    return dec is not None and isinstance(v, dec.Decimal)


def _is_boto3_binary(v: Any) -> bool:
    types = sys.modules.get("boto3.dynamodb.types")
    binary = getattr(types, "Binary", None) if types is not None else None
    return binary is not None and isinstance(v, binary)


def _python_number(v: Any, path: str) -> str:
    if isinstance(v, float):
        raise UnsupportedDynamoDBTypeError(
            "float",
            "float values are not supported (DynamoDB numbers are exact, as in boto3): "
            "use decimal.Decimal or int",
            path,
        )
    if isinstance(v, int):
        return str(int(v))
    if not v.is_finite():
        raise ValueError(f"{path}: {v} is not a finite number" if path else f"{v} is not finite")
    return str(v)


def _set_from_python(v: set[Any] | frozenset[Any], path: str) -> DynamoDBAttributeValue:
    if not v:
        raise ValueError(
            f"{path + ': ' if path else ''}an empty set has no DynamoDB type "
            "(DynamoDB sets cannot be empty)"
        )
    if all(isinstance(x, str) for x in v):
        return _make("SS", tuple(sorted(v)))
    if all(
        (isinstance(x, int) and not isinstance(x, builtins.bool))
        or isinstance(x, float)
        or _is_decimal(x)
        for x in v
    ):
        nums = sorted(v)
        return _make("NS", tuple(_python_number(x, path) for x in nums))
    if all(isinstance(x, (bytes, bytearray)) or _is_boto3_binary(x) for x in v):
        blobs = sorted(bytes(x.value) if _is_boto3_binary(x) else bytes(x) for x in v)
        return _make("BS", tuple(blobs))
    kinds = ", ".join(sorted({type(x).__name__ for x in v}))
    raise UnsupportedDynamoDBTypeError(
        "set",
        f"a set must hold only strings, only numbers or only binaries, got {kinds}",
        path,
    )


def dynamodb_from_python(item: Mapping[str, Any]) -> dict[str, DynamoDBAttributeValue]:
    """A plain ``dict`` as an item image of attribute values, converted as boto3's
    ``TypeSerializer`` does (see :meth:`DynamoDBAttributeValue.from_python`). Sets come out
    sorted, so the result does not depend on set iteration order."""
    if not isinstance(item, Mapping):
        raise TypeError(f"expected a mapping of attribute names, got {type(item).__name__}")
    out = {}
    for k, v in item.items():
        if not isinstance(k, str):
            raise UnsupportedDynamoDBTypeError(
                type(k).__name__, f"attribute names must be str, got {type(k).__name__}"
            )
        out[k] = _checked_from_python(v, k)
    return out


# -- images into user types ---------------------------------------------------------------


def _image_as(
    image: Mapping[str, DynamoDBAttributeValue] | None, tp: type[T], strict: bool, where: str
) -> T | None:
    if image is None:
        return None
    from .._converters import decoder
    from ..errors import DecodeError

    convert = decoder(tp, strict)
    try:
        plain = {}
        k = None
        for k, av in image.items():
            plain[k] = _plain(av, False, True)
        k = None
        result: T = convert(plain)
        return result
    except Failure as e:
        if k is not None:
            e.path.append(k)
        e.path.append(where)
        raise DecodeError(e.reason, e.dotted_path()) from None


# -- the stream event ---------------------------------------------------------------------


@event
class DynamoDBUserIdentity:
    """Who made a change, present only on records of items the table's Time to Live
    process deleted (``type`` ``"Service"``, ``principalId`` ``"dynamodb.amazonaws.com"``)."""

    type: str | None = field("type")
    principal_id: str | None = field("principalId")


# A stream record's ApproximateCreationDateTime is in epoch seconds. The same records sent
# through a Kinesis data stream (DynamoDB's Kinesis streaming destination) carry it in
# milliseconds, or microseconds, as the destination's ApproximateCreationDateTimePrecision
# says. Seconds this large would be past the year 3000: such a number is read in the finer
# unit its size fits.
_SECONDS_BEYOND: Final = 32_503_680_000
_from_seconds: Callable[[Any], datetime] = EPOCH_SECONDS.decode


def _decode_creation_time(value: Any) -> datetime:
    if (value.__class__ is int or value.__class__ is float) and abs(value) >= _SECONDS_BEYOND:
        per_second = 1000 if abs(value) < _SECONDS_BEYOND * 1000 else 1_000_000
        if value.__class__ is float:
            return _from_seconds(value / per_second)
        # Exact for integers: the whole seconds, then the rest in microseconds.
        whole, fraction = divmod(value, per_second)
        return _from_seconds(whole) + timedelta(microseconds=fraction * 1_000_000 // per_second)
    return _from_seconds(value)


_CREATION_TIME: Final = Wire(
    "dynamodb-creation-time", _decode_creation_time, EPOCH_SECONDS.encode, immutable=True
)


@event
class DynamoDBStreamRecord:
    """The change itself, under a record's ``dynamodb`` key: the item's key attributes and,
    depending on the stream's ``StreamViewType``, its image before and after the change.

    ``ApproximateCreationDateTime`` is in epoch seconds from DynamoDB Streams; records that
    came through a Kinesis data stream carry it in milliseconds or microseconds, which are
    read too (and encoded back as sent while unchanged; a changed time is written in
    seconds)."""

    approximate_creation_date_time: datetime | None = field(
        "ApproximateCreationDateTime", wire=_CREATION_TIME
    )
    keys: dict[str, DynamoDBAttributeValue] | None = field("Keys")
    new_image: dict[str, DynamoDBAttributeValue] | None = field("NewImage")
    old_image: dict[str, DynamoDBAttributeValue] | None = field("OldImage")
    sequence_number: str | None = field("SequenceNumber")
    size_bytes: int | None = field("SizeBytes")
    stream_view_type: str | None = field("StreamViewType")

    def new_image_as(self, tp: type[T], *, strict: bool = False) -> T | None:
        """``NewImage`` decoded into ``tp`` (an attrs class, dataclass, TypedDict …), or
        ``None`` when the record has no new image (a REMOVE, or a ``KEYS_ONLY`` or
        ``OLD_IMAGE`` stream).

        The image goes through :meth:`DynamoDBAttributeValue.to_python` first, except that
        binaries stay base64 text and sets become lists, which is what ``lambdago``'s
        decoders take: numbers fit ``int``/``float``/``Decimal`` fields, binaries
        ``bytes`` fields, sets ``set``/``list`` fields. Raises :class:`lambdago.DecodeError`
        with the attribute's path (``NewImage.price``) when the item does not fit.
        """
        return _image_as(self.new_image, tp, strict, "NewImage")

    def old_image_as(self, tp: type[T], *, strict: bool = False) -> T | None:
        """``OldImage`` decoded into ``tp``, or ``None`` without one (see
        :meth:`new_image_as`)."""
        return _image_as(self.old_image, tp, strict, "OldImage")

    def keys_as(self, tp: type[T], *, strict: bool = False) -> T | None:
        """``Keys`` decoded into ``tp``, or ``None`` without them (see :meth:`new_image_as`)."""
        return _image_as(self.keys, tp, strict, "Keys")


@event
class DynamoDBEventRecord:
    """One change of the batch: an item inserted, modified or removed
    (``eventName`` ``INSERT``/``MODIFY``/``REMOVE``), with the change under ``dynamodb``."""

    aws_region: str | None = field("awsRegion")
    dynamodb: DynamoDBStreamRecord | None = field("dynamodb")
    event_id: str | None = field("eventID")
    event_name: str | None = field("eventName")
    event_source: str | None = field("eventSource")
    event_version: str | None = field("eventVersion")
    event_source_arn: str | None = field("eventSourceARN")
    user_identity: DynamoDBUserIdentity | None = field("userIdentity")


def _sequence_number(record: DynamoDBEventRecord) -> str | None:
    change = record.dynamodb
    return change.sequence_number if change is not None else None


@event
class DynamoDBBatchItemFailure:
    """A stream record that failed: its ``SequenceNumber`` as ``itemIdentifier``. Lambda
    retries the batch from this record on."""

    item_identifier: str | None = field("itemIdentifier")


@event
class DynamoDBEventResponse:
    """The partial batch response a function returns for a DynamoDB stream batch when the
    event source mapping reports batch item failures (``ReportBatchItemFailures``)."""

    batch_item_failures: list[DynamoDBBatchItemFailure] | None = field("batchItemFailures")

    @classmethod
    def from_failed(cls, sequence_numbers: Iterable[str]) -> DynamoDBEventResponse:
        """A response naming the records with these sequence numbers as failed."""
        return cls(
            batch_item_failures=[
                DynamoDBBatchItemFailure(item_identifier=s) for s in sequence_numbers
            ]
        )


@event
class DynamoDBEvent:
    """The event Lambda sends for a DynamoDB stream: a batch of item changes from one shard,
    in order, under ``Records``."""

    records: list[DynamoDBEventRecord] | None = field("Records")

    def process(
        self,
        handler: Callable[[DynamoDBEventRecord], object],
        *,
        on_error: Callable[[DynamoDBEventRecord, Exception], object] | None = None,
    ) -> DynamoDBEventResponse:
        """Call ``handler(record)`` for each record, in order, and build the partial batch
        response. At the first record that raises, processing stops: that record and every
        later one are reported failed, so Lambda retries from it (stream order is kept).
        ``on_error(record, exc)`` is called for the failure, e.g. to log it.

        Raises ``lambdago.events._batch.UnidentifiedFailure`` if a record to report has no
        sequence number.
        """
        from ._batch import process_batch

        failed = process_batch(
            self.records or (),
            handler,
            _sequence_number,
            stop_at_first_failure=True,
            on_error=on_error,
        )
        return DynamoDBEventResponse.from_failed(failed)

    async def process_async(
        self,
        handler: Callable[[DynamoDBEventRecord], Awaitable[object] | object],
        *,
        on_error: Callable[[DynamoDBEventRecord, Exception], object] | None = None,
    ) -> DynamoDBEventResponse:
        """:meth:`process` for a coroutine ``handler`` (records awaited one at a time)."""
        from ._batch import process_batch_async

        failed = await process_batch_async(
            self.records or (),
            handler,
            _sequence_number,
            stop_at_first_failure=True,
            on_error=on_error,
        )
        return DynamoDBEventResponse.from_failed(failed)


@event
class DynamoDBTimeWindowEventResponse:
    """The response to a :class:`DynamoDBTimeWindowEvent`: the window's ``state`` to pass to
    its next invocation, and the records that failed."""

    state: dict[str, Any] | None = field("state")
    batch_item_failures: list[DynamoDBBatchItemFailure] | None = field("batchItemFailures")


@event
class DynamoDBTimeWindowEvent:
    """The event Lambda sends for a DynamoDB stream read with tumbling windows
    (``TumblingWindowInSeconds``): the batch's records plus the window, the state returned
    by the previous invocation of the window, and the window's progress."""

    records: list[DynamoDBEventRecord] | None = field("Records")
    window: Window | None = field("window")
    state: dict[str, Any] | None = field("state")
    shard_id: str | None = field("shardId")
    event_source_arn: str | None = field("eventSourceARN")
    is_final_invoke_for_window: bool | None = field("isFinalInvokeForWindow")
    is_window_terminated_early: bool | None = field("isWindowTerminatedEarly")

    def process(
        self,
        handler: Callable[[DynamoDBEventRecord], object],
        *,
        state: dict[str, Any] | None = None,
        on_error: Callable[[DynamoDBEventRecord, Exception], object] | None = None,
    ) -> DynamoDBTimeWindowEventResponse:
        """Like :meth:`DynamoDBEvent.process`, returning ``state`` (the window's new state,
        typically updated by ``handler``) with the failed records."""
        from ._batch import process_batch

        failed = process_batch(
            self.records or (),
            handler,
            _sequence_number,
            stop_at_first_failure=True,
            on_error=on_error,
        )
        return DynamoDBTimeWindowEventResponse(
            state=state,
            batch_item_failures=[DynamoDBBatchItemFailure(item_identifier=s) for s in failed],
        )
