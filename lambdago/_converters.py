"""Converters between typed Python values and JSON values, compiled once per type.

``decoder(tp)`` returns a function turning a JSON value (what ``orjson.loads`` produced)
into an instance of ``tp``; ``encode_default`` is the hook the JSON engines call for the
objects they do not know (attrs classes, dataclasses, ``bytes``, sets, …).

Why our own code generation rather than cattrs' for the common types: the decoder for a
handler's event type is built before the first invocation, on the cold-start path, where
importing cattrs alone costs more than the rest of the runtime (see docs/design.md). For
attrs classes, dataclasses, TypedDicts, the builtin scalars and containers, unions,
literals, enums and the ``lambdago.events`` types we generate straight-line Python source
and ``exec`` it once: a field costs a dict lookup and a class check. Every other type
cattrs can structure (generic classes, NamedTuples, …) goes to one cattrs converter,
created on first need, which in turn uses our hooks for the classes nested inside.

Failures raise ``Failure`` with the path to the offending value collected while the
stack unwinds; ``lambdago.codec`` turns it into a ``DecodeError``. ``try`` costs nothing
in CPython 3.11+ until something is raised, so the happy path pays no bookkeeping.
"""

from __future__ import annotations

import sys
from _operator import is_ as _is
from _thread import RLock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Decoder = Callable[[Any], Any]
    Encoder = Callable[[Any], Any]


class Failure(Exception):
    """A value that does not fit its type. ``path`` is built in reverse while unwinding."""

    __slots__ = ("path", "reason")

    def __init__(self, reason: str, path: list[str | int] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path: list[str | int] = path if path is not None else []

    def dotted_path(self) -> str:
        """The path from the document root: ``Records[0].messageAttributes.x``."""
        out = []
        for seg in reversed(self.path):
            if isinstance(seg, int):
                out.append(f"[{seg}]")
            elif seg.isidentifier() or (seg and all(c.isalnum() or c in "-_$@" for c in seg)):
                out.append(f".{seg}" if out else seg)
            else:
                quoted = seg.replace("\\", "\\\\").replace('"', '\\"')
                out.append(f'["{quoted}"]')
        return "".join(out)


class UnsupportedType(TypeError):
    """A type annotation the codec cannot decode into or encode from."""


class FieldCodec:
    """How one field of a class travels in JSON: its key, and an optional wire conversion.

    Stored in an attrs field's ``metadata["lambdago"]``. ``decode`` turns the JSON value
    into the Python value (e.g. epoch milliseconds into a ``datetime``), ``encode`` does the
    reverse; both are ``None`` when the field's type is converted the ordinary way.
    """

    __slots__ = ("also", "decode", "encode", "immutable", "key", "snapshot")

    def __init__(
        self,
        key: str,
        decode: Callable[[Any], Any] | None = None,
        encode: Callable[[Any], Any] | None = None,
        immutable: bool = False,
        snapshot: Callable[[Any], Any] | None = None,
        also: tuple[str, ...] = (),
    ) -> None:
        self.key = key
        # Other spellings of the key read when ``key`` itself is absent (a form AWS's own
        # examples use, which Go reads because its JSON keys match without regard to case).
        # An unchanged value is encoded under the spelling it came with; a changed one
        # under ``key``, the other spellings removed.
        self.also = also
        self.decode = decode
        self.encode = encode
        # Whether ``decode`` gives values that cannot change in place (datetime, bytes):
        # the encoder then knows a value equal to the decoded one is still the source's.
        self.immutable = immutable
        # For values that can change in place (a list of bytes): a copy of a decoded value
        # deep enough to stay as decoded, for the encoder to compare with.
        self.snapshot = snapshot

    @property
    def comparable(self) -> bool:
        """Whether the encoder can tell a changed value from a snapshot taken on decode."""
        return self.immutable or self.snapshot is not None


# -- describing JSON values in messages ---------------------------------------------------


def json_type_name(value: object) -> str:
    """The name used for a JSON value's type in error messages."""
    if value is None:
        return "null"
    cls = value.__class__
    if cls in (str, int, float, bool, list, dict):
        return cls.__name__
    for base in (bool, int, float, str, list, dict):
        if isinstance(value, base):
            return base.__name__
    return cls.__name__


def _type_name(tp: object) -> str:
    """A short, readable name for a type in messages: ``list[Node] | None``."""
    if tp is None or tp is type(None):
        return "None"
    args = getattr(tp, "__args__", None)
    origin = getattr(tp, "__origin__", None)
    if args is not None and (
        type(tp) is type(int | str) or (origin is not None and _is_special(origin, "Union"))
    ):
        return " | ".join(_type_name(a) for a in args)
    if args is not None and origin is not None and isinstance(origin, type):
        return f"{origin.__name__}[{', '.join(_type_name(a) for a in args)}]"
    if isinstance(tp, type):
        return tp.__name__
    return repr(tp).replace("typing.", "")


def _expected(what: str, value: object) -> Failure:
    return Failure(f"expected {what}, got {json_type_name(value)}")


# -- scalar checks: called only when the fast class test in generated code fails --------


def _as_str(v: object) -> str:
    if isinstance(v, str):
        return v
    raise _expected("str", v)


def _as_int(v: object) -> int:
    if isinstance(v, int) and not isinstance(v, bool):
        return int(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    dec = sys.modules.get("decimal")
    if dec is not None and isinstance(v, dec.Decimal) and v == v.to_integral_value():
        return int(v)
    raise _expected("int", v)


def _as_float(v: object) -> float:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    dec = sys.modules.get("decimal")
    if dec is not None and isinstance(v, dec.Decimal):
        return float(v)
    raise _expected("float", v)


def _as_bool(v: object) -> bool:
    if isinstance(v, bool):
        return v
    raise _expected("bool", v)


def _as_list(v: object) -> list[Any]:
    if isinstance(v, list):
        return v
    raise _expected("list", v)


def _as_dict(v: object) -> dict[str, Any]:
    if isinstance(v, dict):
        return v
    raise _expected("dict", v)


def _as_none(v: object) -> None:
    if v is None:
        return None
    raise _expected("null", v)


def _as_bytes(v: object) -> bytes:
    if not isinstance(v, str):
        raise _expected("str (base64)", v)
    import binascii

    try:
        return binascii.a2b_base64(v, strict_mode=True)
    except (binascii.Error, ValueError):
        # strict_mode rejects whitespace and missing padding; accept what Go accepts
        # (newlines are ignored by Go's decoder) before giving up.
        try:
            cleaned = v.replace("\n", "").replace("\r", "")
            return binascii.a2b_base64(cleaned, strict_mode=True)
        except (binascii.Error, ValueError):
            raise Failure("invalid base64 data") from None


def _as_datetime(v: object) -> Any:
    import datetime

    if not isinstance(v, str):
        raise _expected("str (an RFC 3339 time)", v)
    try:
        return datetime.datetime.fromisoformat(v)
    except ValueError:
        raise Failure(f"invalid RFC 3339 time: {v!r}") from None


def _as_date(v: object) -> Any:
    import datetime

    if not isinstance(v, str):
        raise _expected("str (an ISO 8601 date)", v)
    try:
        return datetime.date.fromisoformat(v)
    except ValueError:
        raise Failure(f"invalid date: {v!r}") from None


def _as_time(v: object) -> Any:
    import datetime

    if not isinstance(v, str):
        raise _expected("str (an ISO 8601 time of day)", v)
    try:
        return datetime.time.fromisoformat(v)
    except ValueError:
        raise Failure(f"invalid time of day: {v!r}") from None


def _as_decimal(v: object) -> Any:
    import decimal

    if isinstance(v, decimal.Decimal):
        return v
    if isinstance(v, bool):
        raise _expected("number", v)
    if isinstance(v, int):
        return decimal.Decimal(v)
    if isinstance(v, float):
        # repr gives the shortest text that reads back as the same float, so 0.1 stays 0.1.
        return decimal.Decimal(repr(v))
    if isinstance(v, str):
        try:
            d = decimal.Decimal(v)
        except decimal.InvalidOperation:
            raise Failure(f"invalid decimal number: {v!r}") from None
        if d.is_finite():
            return d
        raise Failure(f"invalid decimal number: {v!r}")
    raise _expected("number", v)


def _as_uuid(v: object) -> Any:
    import uuid

    if not isinstance(v, str):
        raise _expected("str (a UUID)", v)
    try:
        return uuid.UUID(v)
    except ValueError:
        raise Failure(f"invalid UUID: {v!r}") from None


def _list_slow(v: list[Any], check: Decoder) -> list[Any]:
    out = []
    for i, x in enumerate(v):
        try:
            out.append(check(x))
        except Failure as e:
            e.path.append(i)
            raise
    return out


def _dict_slow(v: dict[Any, Any], check: Decoder) -> dict[Any, Any]:
    out = {}
    for k, x in v.items():
        try:
            out[k] = check(x)
        except Failure as e:
            e.path.append(k)
            raise
    return out


def _locate_in_list(v: list[Any], elem: Decoder) -> None:
    """Re-run ``elem`` over ``v`` to find which index failed, and raise with it."""
    for i, x in enumerate(v):
        try:
            elem(x)
        except Failure as e:
            e.path.append(i)
            raise
    raise AssertionError("decoder failed once but not on the second run")


def _locate_in_dict(v: dict[Any, Any], key: Decoder | None, elem: Decoder) -> None:
    for k, x in v.items():
        try:
            if key is not None:
                key(k)
            elem(x)
        except Failure as e:
            e.path.append(k)
            raise
    raise AssertionError("decoder failed once but not on the second run")


def _unknown_keys(d: dict[str, Any], known: frozenset[str]) -> Failure:
    extra = sorted(k for k in d if k not in known)
    e = Failure(f"unknown field {extra[0]!r} (strict decoding)")
    e.path.append(extra[0])
    return e


def _missing(key: str) -> Failure:
    # The generated code appends ``key`` to the path as the failure leaves the field.
    return Failure("required field is missing")


_MISSING = object()

# Names every piece of generated code can use. Generated functions live here too, under
# unique names, so classes that refer to each other (or to themselves) resolve late.
_NS: dict[str, Any] = {
    "Failure": Failure,
    "_M": _MISSING,
    "_as_str": _as_str,
    "_as_int": _as_int,
    "_as_float": _as_float,
    "_as_bool": _as_bool,
    "_as_list": _as_list,
    "_as_dict": _as_dict,
    "_as_none": _as_none,
    "_list_slow": _list_slow,
    "_dict_slow": _dict_slow,
    "_locate_in_list": _locate_in_list,
    "_locate_in_dict": _locate_in_dict,
    "_unknown_keys": _unknown_keys,
    "_missing": _missing,
    "_expected": _expected,
    "_new": object.__new__,
}

_lock = RLock()
_decoders: dict[tuple[object, int], str] = {}  # (type, strict) -> name in _NS
_counter = [0]


def _fresh(prefix: str, tp: object) -> str:
    _counter[0] += 1
    base = getattr(tp, "__name__", "t")
    safe = "".join(c if c.isalnum() else "_" for c in str(base))[:40]
    return f"_{prefix}{_counter[0]}_{safe}"


SOURCES: dict[str, str] = {}
"""The generated source of every compiled converter, by name (for debugging and docs)."""


def _compile(name: str, source: str, what: object) -> None:
    SOURCES[name] = source
    code = compile(source, f"<lambdago converter for {_type_name(what)}>", "exec")
    exec(code, _NS)


# -- looking at annotations without importing typing ourselves ---------------------------

_NoneType = type(None)
_UnionType: Any = type(int | str)
_SCALARS: dict[type, str] = {str: "_as_str", int: "_as_int", float: "_as_float", bool: "_as_bool"}


def _is_special(tp: object, name: str) -> bool:
    for modname in ("typing", "typing_extensions"):
        mod = sys.modules.get(modname)
        if mod is not None and getattr(mod, name, _MISSING) is tp:
            return True
    return False


def is_any(tp: object) -> bool:
    """Whether ``tp`` accepts any JSON value (``Any``, ``object`` or no annotation)."""
    return tp is object or _is_special(tp, "Any")


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated``, ``NewType``, ``Final``, ``Required``… down to the real type."""
    while True:
        if hasattr(tp, "__metadata__") and hasattr(tp, "__origin__"):  # Annotated[T, ...]
            tp = tp.__origin__
            continue
        supertype = getattr(tp, "__supertype__", None)  # NewType
        if supertype is not None:
            tp = supertype
            continue
        origin = getattr(tp, "__origin__", None)
        if origin is not None and any(
            _is_special(origin, n) for n in ("Final", "Required", "NotRequired", "ReadOnly")
        ):
            tp = tp.__args__[0]
            continue
        value = getattr(tp, "__value__", None)  # PEP 695 ``type X = ...``
        if value is not None and type(tp).__name__ == "TypeAliasType":
            tp = value
            continue
        return tp


def union_members(tp: Any) -> tuple[Any, ...] | None:
    """The members of a union type (``X | Y``, ``Optional[X]``), or ``None`` if not a union."""
    if type(tp) is _UnionType:
        return tuple(tp.__args__)
    origin = getattr(tp, "__origin__", None)
    if origin is not None and _is_special(origin, "Union"):
        return tuple(tp.__args__)
    return None


def _is_attrs(cls: object) -> bool:
    return isinstance(cls, type) and "__attrs_attrs__" in getattr(cls, "__dict__", {})


def _is_dataclass(cls: object) -> bool:
    return isinstance(cls, type) and "__dataclass_fields__" in getattr(cls, "__dict__", {})


def _is_typeddict(cls: object) -> bool:
    return (
        isinstance(cls, type)
        and issubclass(cls, dict)
        and hasattr(cls, "__required_keys__")
        and hasattr(cls, "__total__")
    )


def _is_enum(cls: object) -> bool:
    enum = sys.modules.get("enum")
    return enum is not None and isinstance(cls, type) and issubclass(cls, enum.Enum)


def _is_namedtuple(cls: object) -> bool:
    return isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields")


def is_event_class(cls: object) -> bool:
    """Whether ``cls`` is a ``lambdago.events`` type (absent keys, nulls and extras kept)."""
    return _is_attrs(cls) and bool(getattr(cls, "__lambdago_event__", False))


_SEQUENCE_ORIGINS = {
    "collections.abc.Sequence",
    "collections.abc.MutableSequence",
    "collections.abc.Collection",
    "collections.abc.Iterable",
}
_SET_ORIGINS = {"collections.abc.Set", "collections.abc.MutableSet"}
_MAPPING_ORIGINS = {"collections.abc.Mapping", "collections.abc.MutableMapping"}


def _qualname(obj: object) -> str:
    return f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"


# -- decoders ------------------------------------------------------------------------------


LENIENT = False
"""Decoding mode: every part decoded and checked at once, unknown keys ignored (the default)."""
STRICT = True
"""Decoding mode: every part decoded and checked at once, an unknown key is an error."""
LAZY = 2
"""Decoding mode: as :data:`LENIENT`, but the nested event objects of ``lambdago.events``
types are decoded (and checked) when the program first reads them."""


def decoder(tp: Any, strict: int = LENIENT) -> Decoder:
    """The compiled decoder for ``tp``: a function from a JSON value to a ``tp`` value.

    ``strict`` is the decoding mode: :data:`LENIENT` (``False``), :data:`STRICT`
    (``True``) or :data:`LAZY`.

    Raises :class:`UnsupportedType` when ``tp`` cannot be decoded into; the decoder itself
    raises :class:`Failure` for values that do not fit.
    """
    fn: Decoder = _NS[decoder_name(tp, strict)]
    return fn


def decoder_name(tp: Any, strict: int) -> str:
    """The name, in the shared namespace, of the decoder for ``tp`` (compiled on first use)."""
    try:
        key = (tp, strict)
        name = _decoders.get(key)
    except TypeError:  # an unhashable annotation: compile it every time
        key = None
        name = None
    if name is not None:
        return name
    with _lock:
        if key is not None:
            name = _decoders.get(key)
            if name is not None:
                return name
        return _build_decoder(tp, strict, key)


def _register(key: tuple[object, int] | None, name: str) -> str:
    if key is not None:
        _decoders[key] = name
    return name


def _build_decoder(tp: Any, strict: int, key: tuple[object, int] | None) -> str:
    tp = _unwrap(tp)
    if is_any(tp):
        _NS.setdefault("_any", _identity)
        return _register(key, "_any")
    if tp is None or tp is _NoneType:
        return _register(key, "_as_none")
    if tp in _SCALARS:
        return _register(key, _scalar_decoder(tp))

    members = union_members(tp)
    if members is not None:
        return _register(key, _union_decoder(tp, members, strict))

    origin = getattr(tp, "__origin__", None)
    args: tuple[Any, ...] = getattr(tp, "__args__", ())
    if origin is not None:
        if _is_special(origin, "Literal"):
            return _register(key, _literal_decoder(tp, args))
        if _is_special(origin, "ClassVar"):
            raise UnsupportedType("ClassVar cannot be decoded into")
        oname = _qualname(origin)
        if origin is list or oname in _SEQUENCE_ORIGINS:
            return _register(key, _list_decoder(tp, args[0] if args else object, strict))
        if origin in (set, frozenset) or oname in _SET_ORIGINS:
            inner = _list_decoder(tp, args[0] if args else object, strict)
            return _register(
                key, _wrap_call(tp, "frozenset" if origin is frozenset else "set", inner)
            )
        if origin is tuple:
            return _register(key, _tuple_decoder(tp, args, strict))
        if origin is dict or oname in _MAPPING_ORIGINS:
            k, v = (args[0], args[1]) if len(args) == 2 else (str, object)
            return _register(key, _dict_decoder(tp, k, v, strict))
        if _is_special(origin, "Literal"):
            return _register(key, _literal_decoder(tp, args))
        return _register(key, _cattrs_decoder(tp))

    if isinstance(tp, type):
        if tp is list:
            return _register(key, _list_decoder(tp, object, strict))
        if tp is dict:
            return _register(key, _dict_decoder(tp, str, object, strict))
        if tp is tuple:
            return _register(key, _wrap_call(tp, "tuple", _list_decoder(list, object, strict)))
        if tp in (set, frozenset):
            return _register(key, _wrap_call(tp, tp.__name__, _list_decoder(list, object, strict)))
        if tp in (bytes, bytearray):
            _NS["_as_bytes"] = _as_bytes
            if tp is bytearray:
                return _register(key, _wrap_call(tp, "bytearray", "_as_bytes"))
            return _register(key, "_as_bytes")
        qn = _qualname(tp)
        leaf = {
            "datetime.datetime": ("_as_datetime", _as_datetime),
            "datetime.date": ("_as_date", _as_date),
            "datetime.time": ("_as_time", _as_time),
            "decimal.Decimal": ("_as_decimal", _as_decimal),
            "uuid.UUID": ("_as_uuid", _as_uuid),
        }.get(qn)
        if leaf is not None:
            _NS[leaf[0]] = leaf[1]
            return _register(key, leaf[0])
        if _is_enum(tp):
            return _register(key, _enum_decoder(tp))
        custom = tp.__dict__.get("__lambdago_decode__")
        if custom is not None:
            # A class with its own JSON form (DynamoDB's attribute values): its classmethod
            # takes the JSON value and returns an instance, raising Failure if it cannot.
            # A classmethod or staticmethod is bound by reading it from the class.
            name = _fresh("dcu", tp)
            bound = custom.__get__(None, tp) if hasattr(custom, "__get__") else custom
            _NS[name] = bound
            return _register(key, name)
        if is_event_class(tp):
            name = _fresh("dev", tp)
            _register(key, name)  # before compiling: the class may refer to itself
            _event_class_decoder(tp, strict, name)
            return name
        if _is_attrs(tp) or _is_dataclass(tp):
            name = _fresh("dcl", tp)
            _register(key, name)
            _class_decoder(tp, strict, name)
            return name
        if _is_typeddict(tp):
            name = _fresh("dtd", tp)
            _register(key, name)
            _typeddict_decoder(tp, strict, name)
            return name
        if _is_namedtuple(tp):
            return _register(key, _namedtuple_decoder(tp, strict))
    return _register(key, _cattrs_decoder(tp))


def _identity(v: Any) -> Any:
    return v


def _scalar_decoder(tp: type) -> str:
    name = f"_exact_{tp.__name__}"
    if name not in _NS:
        _compile(
            name,
            f"def {name}(v):\n"
            f"    if v.__class__ is not {tp.__name__}: v = {_SCALARS[tp]}(v)\n"
            f"    return v\n",
            tp,
        )
    return name


def _inline(tp: Any, strict: int, indent: str) -> list[str]:
    """Lines that check/convert the local ``v`` in place, assuming it is present.

    Scalars, and lists and dicts of scalars, are checked inline (a class test per value,
    no call); everything else calls its compiled decoder.
    """
    tp = _unwrap(tp)
    optional = False
    members = union_members(tp)
    if members is not None and _NoneType in members:
        rest = tuple(m for m in members if m is not _NoneType)
        if len(rest) == 1:
            optional = True
            tp = _unwrap(rest[0])
    if is_any(tp):
        return []
    if tp in _SCALARS:
        guard = " and v is not None" if optional else ""
        return [f"{indent}if v.__class__ is not {tp.__name__}{guard}: v = {_SCALARS[tp]}(v)"]
    inner = indent + "    " if optional else indent
    lines = _inline_container(tp, inner)
    if lines is None:
        lines = [f"{inner}v = {decoder_name(tp, strict)}(v)"]
    return [f"{indent}if v is not None:", *lines] if optional else lines


def _inline_container(tp: Any, indent: str) -> list[str] | None:
    """Inline checks for ``list[scalar]`` and ``dict[str, scalar]``, else None."""
    origin = getattr(tp, "__origin__", None)
    args: tuple[Any, ...] = getattr(tp, "__args__", ())
    if origin is list and len(args) == 1:
        scalar = _elem_fast_check(args[0])
        if scalar is None:
            return None
        return [
            f"{indent}if v.__class__ is not list: v = _as_list(v)",
            f"{indent}for x in v:",
            f"{indent}    if x.__class__ is not {scalar.__name__}:",
            f"{indent}        v = _list_slow(v, {_SCALARS[scalar]}); break",
        ]
    if origin is dict and len(args) == 2 and _unwrap(args[0]) is str:
        scalar = _elem_fast_check(args[1])
        if scalar is None:
            return None
        return [
            f"{indent}if v.__class__ is not dict: v = _as_dict(v)",
            f"{indent}for x in v.values():",
            f"{indent}    if x.__class__ is not {scalar.__name__}:",
            f"{indent}        v = _dict_slow(v, {_SCALARS[scalar]}); break",
        ]
    return None


def _elem_fast_check(tp: Any) -> type | None:
    """The exact class elements must have to skip conversion, for scalar containers."""
    tp = _unwrap(tp)
    return tp if tp in _SCALARS else None


def _list_decoder(tp: Any, elem: Any, strict: int) -> str:
    name = _fresh("dls", tp)
    if is_any(_unwrap(elem)):
        body = "    return v\n"
    elif (scalar := _elem_fast_check(elem)) is not None:
        body = (
            "    for x in v:\n"
            f"        if x.__class__ is not {scalar.__name__}:\n"
            f"            return _list_slow(v, {_SCALARS[scalar]})\n"
            "    return v\n"
        )
    else:
        ename = decoder_name(elem, strict)
        body = (
            "    try:\n"
            f"        return [{ename}(x) for x in v]\n"
            "    except Failure:\n"
            f"        _locate_in_list(v, {ename})\n"
        )
    _compile(
        name,
        f"def {name}(v):\n    if v.__class__ is not list: v = _as_list(v)\n{body}",
        tp,
    )
    return name


def _wrap_call(tp: Any, ctor: str, inner: str) -> str:
    name = _fresh("dwr", tp)
    _compile(name, f"def {name}(v):\n    return {ctor}({inner}(v))\n", tp)
    return name


def _tuple_decoder(tp: Any, args: tuple[Any, ...], strict: int) -> str:
    if not args or (len(args) == 2 and args[1] is Ellipsis):
        elem = args[0] if args else object
        return _wrap_call(tp, "tuple", _list_decoder(list, elem, strict))
    if args == ((),):  # tuple[()]
        args = ()
    name = _fresh("dtp", tp)
    n = len(args)
    lines = [
        f"def {name}(v):",
        "    if v.__class__ is not list: v = _as_list(v)",
        f"    if len(v) != {n}: raise Failure('expected a list of {n} items, got ' + str(len(v)))",
    ]
    parts = []
    for i, a in enumerate(args):
        lines.append(f"    try: x{i} = {decoder_name(a, strict)}(v[{i}])")
        lines.append(f"    except Failure as e: e.path.append({i}); raise")
        parts.append(f"x{i}")
    lines.append(f"    return ({', '.join(parts)}{',' if n == 1 else ''})")
    _compile(name, "\n".join(lines) + "\n", tp)
    return name


def _namedtuple_decoder(tp: type, strict: int) -> str:
    """NamedTuples travel as JSON arrays (that is how they encode)."""
    hints = _type_hints(tp) if getattr(tp, "__annotations__", None) else {}
    fields = tp._fields  # type: ignore[attr-defined]
    inner = _tuple_decoder(tp, tuple(hints.get(f, object) for f in fields), strict)
    name = _fresh("dnt", tp)
    _NS[name + "_cls"] = tp
    _compile(name, f"def {name}(v):\n    return {name}_cls(*{inner}(v))\n", tp)
    return name


def _key_decoder(k: Any) -> str | None:
    """Decoder for dict keys (always strings in JSON), or None when they stay strings."""
    k = _unwrap(k)
    if k is str or is_any(k):
        return None
    if k is int:
        _NS.setdefault("_int_key", _int_key)
        return "_int_key"
    if _is_enum(k) or (
        getattr(k, "__origin__", None) is not None and _is_special(k.__origin__, "Literal")
    ):
        return decoder_name(k, False)
    raise UnsupportedType(
        f"dict keys of type {_type_name(k)} cannot be decoded (JSON keys are strings)"
    )


def _int_key(k: str) -> int:
    try:
        return int(k)
    except ValueError:
        raise Failure(f"expected an integer key, got {k!r}") from None


def _dict_decoder(tp: Any, k: Any, v: Any, strict: int) -> str:
    name = _fresh("ddc", tp)
    kname = _key_decoder(k)
    head = f"def {name}(v):\n    if v.__class__ is not dict: v = _as_dict(v)\n"
    if kname is None and is_any(_unwrap(v)):
        body = "    return v\n"
    elif kname is None and (scalar := _elem_fast_check(v)) is not None:
        body = (
            "    for x in v.values():\n"
            f"        if x.__class__ is not {scalar.__name__}:\n"
            f"            return _dict_slow(v, {_SCALARS[scalar]})\n"
            "    return v\n"
        )
    else:
        vname = decoder_name(v, strict)
        kexpr = f"{kname}(k)" if kname else "k"
        body = (
            "    try:\n"
            f"        return {{{kexpr}: {vname}(x) for k, x in v.items()}}\n"
            "    except Failure:\n"
            f"        _locate_in_dict(v, {kname}, {vname})\n"
        )
    _compile(name, head + body, tp)
    return name


_JSON_CLASSES = (str, int, float, bool, list, dict)


def _resolved(name: str) -> Decoder:
    """The decoder called ``name``; late-bound while a recursive type is still compiling."""
    fn = _NS.get(name)
    if fn is not None:
        return fn  # type: ignore[no-any-return]
    return lambda v: _NS[name](v)


def _json_classes(tp: Any) -> frozenset[type] | None:
    """The classes of JSON values a type can be decoded from, or None for "any"."""
    tp = _unwrap(tp)
    if is_any(tp):
        return None
    if tp is str:
        return frozenset({str})
    if tp in (int, float):
        return frozenset({int, float})
    if tp is bool:
        return frozenset({bool})
    if tp is None or tp is _NoneType:
        return frozenset({_NoneType})
    members = union_members(tp)
    if members is not None:
        out: set[type] = set()
        for m in members:
            classes = _json_classes(m)
            if classes is None:
                return None
            out |= classes
        return frozenset(out)
    origin = getattr(tp, "__origin__", None)
    if origin is not None:
        if _is_special(origin, "Literal"):
            return frozenset(type(v) for v in tp.__args__)
        oname = _qualname(origin)
        if origin in (list, tuple, set, frozenset) or oname in _SEQUENCE_ORIGINS | _SET_ORIGINS:
            return frozenset({list})
        if origin is dict or oname in _MAPPING_ORIGINS:
            return frozenset({dict})
        return None
    if not isinstance(tp, type):
        return None
    if "__lambdago_decode__" in tp.__dict__:
        return None
    if tp in (list, tuple, set, frozenset) or _is_namedtuple(tp):
        return frozenset({list})
    if tp is dict or _is_attrs(tp) or _is_dataclass(tp) or _is_typeddict(tp):
        return frozenset({dict})
    qn = _qualname(tp)
    if qn in ("datetime.datetime", "datetime.date", "datetime.time", "uuid.UUID"):
        return frozenset({str})
    if tp in (bytes, bytearray):
        return frozenset({str})
    if qn == "decimal.Decimal":
        return frozenset({str, int, float})
    if _is_enum(tp):
        return frozenset(type(m.value) for m in tp.__members__.values())  # type: ignore[attr-defined]
    return None


def _union_decoder(tp: Any, members: tuple[Any, ...], strict: int) -> str:
    rest = [m for m in members if m is not _NoneType]
    name = _fresh("dun", tp)
    lines = [f"def {name}(v):"]
    if len(rest) != len(members):
        lines.append("    if v is None: return None")
    if len(rest) == 1:
        lines.append(f"    return {decoder_name(rest[0], strict)}(v)")
        _compile(name, "\n".join(lines) + "\n", tp)
        return name
    # A value whose class is exactly one of the scalar members is taken as is. Otherwise
    # only the members that can come from this kind of JSON value are tried, left to
    # right, the first that accepts it winning; when only one can, it is called directly
    # (its own error message is then the most precise one).
    exact = [m for m in (_unwrap(r) for r in rest) if m in _SCALARS]
    if exact:
        lines.append(f"    if v.__class__ in ({', '.join(m.__name__ for m in exact)},): return v")
    names = [decoder_name(m, strict) for m in rest]
    kinds = [_json_classes(m) for m in rest]
    functions = [_resolved(n) for n in names]
    table: dict[type, tuple[Any, ...]] = {}
    for cls in (*_JSON_CLASSES, _NoneType):
        table[cls] = tuple(
            fn for fn, k in zip(functions, kinds, strict=True) if k is None or cls in k
        )
    _NS[name + "_by_class"] = table
    _NS[name + "_all"] = tuple(functions)
    desc = " | ".join(_type_name(m) for m in members)
    _NS[name + "_desc"] = desc
    _NS["_json_type_name"] = json_type_name
    lines += [
        f"    candidates = {name}_by_class.get(v.__class__, {name}_all)",
        "    if len(candidates) == 1: return candidates[0](v)",
        "    for decode in candidates:",
        "        try: return decode(v)",
        "        except Failure: pass",
        f"    raise Failure('expected ' + {name}_desc + ', got ' + _json_type_name(v))",
    ]
    _compile(name, "\n".join(lines) + "\n", tp)
    return name


def _literal_decoder(tp: Any, values: tuple[Any, ...]) -> str:
    name = _fresh("dlt", tp)
    allowed = frozenset((type(v), v) for v in values)
    _NS[name + "_allowed"] = allowed
    _NS[name + "_desc"] = ", ".join(repr(v) for v in values)
    _compile(
        name,
        f"def {name}(v):\n"
        f"    if (v.__class__, v) in {name}_allowed: return v\n"
        f"    raise Failure('expected one of ' + {name}_desc + ', got ' + repr(v))\n",
        tp,
    )
    return name


def _enum_decoder(tp: type) -> str:
    name = _fresh("den", tp)
    _NS[name + "_cls"] = tp
    members = [m.value for m in tp.__members__.values()]  # type: ignore[attr-defined]
    shown = ", ".join(repr(m) for m in members[:10]) + (", ..." if len(members) > 10 else "")
    _NS[name + "_desc"] = f"{tp.__name__} ({shown})"
    _compile(
        name,
        f"def {name}(v):\n"
        "    try:\n"
        f"        return {name}_cls(v)\n"
        "    except (ValueError, TypeError):\n"
        f"        raise Failure('expected one of ' + {name}_desc + ', got ' + repr(v)) from None\n",
        tp,
    )
    return name


def _cattrs_decoder(tp: Any) -> str:
    """Hand a type we do not compile ourselves to the shared cattrs converter."""
    from . import _cattrs_bridge

    hook = _cattrs_bridge.structure_hook(tp)  # raises UnsupportedType
    name = _fresh("dca", tp)

    def decode(v: Any) -> Any:
        try:
            return hook(v, tp)
        except Failure:
            raise
        except Exception as exc:  # cattrs' own errors, flattened into ours
            raise _cattrs_bridge.failure_from(exc) from None

    _NS[name] = decode
    return name


# -- class decoders -----------------------------------------------------------------------


class _ClassField:
    """What the code generator needs to know about one field of a class."""

    __slots__ = (
        "attr",
        "codec",
        "default",
        "factory",
        "init",
        "init_name",
        "key",
        "required",
        "type",
    )

    def __init__(
        self,
        attr: str,
        key: str,
        tp: Any,
        *,
        init: bool = True,
        init_name: str | None = None,
        required: bool = False,
        default: Any = _MISSING,
        factory: Callable[[], Any] | None = None,
        codec: FieldCodec | None = None,
    ) -> None:
        self.attr = attr
        self.key = key
        self.type = tp
        self.init = init
        self.init_name = init_name or attr
        self.required = required
        self.default = default
        self.factory = factory
        self.codec = codec


def class_fields(cls: type) -> list[_ClassField]:
    """The fields of an attrs class or dataclass, with resolved types and JSON keys."""
    event_fields = cls.__dict__.get("__lambdago_fields__") if isinstance(cls, type) else None
    if event_fields is not None:
        return _event_class_fields(cls, event_fields)
    if _is_attrs(cls):
        attr_mod = sys.modules["attr"]
        fields = attr_mod.fields(cls)
        if any(isinstance(a.type, str) for a in fields):
            attr_mod.resolve_types(cls)
            fields = attr_mod.fields(cls)
        out = []
        for a in fields:
            codec = a.metadata.get("lambdago") if a.metadata else None
            default = a.default
            factory = None
            required = default is attr_mod.NOTHING
            if isinstance(default, attr_mod.Factory):
                factory = _TAKES_SELF if default.takes_self else default.factory
                default = _MISSING
            elif required:
                default = _MISSING
            out.append(
                _ClassField(
                    a.name,
                    codec.key if codec is not None else a.name,
                    a.type if a.type is not None else object,
                    init=a.init,
                    init_name=getattr(a, "alias", None) or a.name.lstrip("_"),
                    required=required and a.init,
                    default=default,
                    factory=factory,
                    codec=codec,
                )
            )
        return out
    if _is_dataclass(cls):
        dc = sys.modules["dataclasses"]
        fields = dc.fields(cls)
        hints: dict[str, Any] = {}
        if any(isinstance(f.type, str) for f in fields):
            hints = _type_hints(cls)
        out = []
        for f in fields:
            required = f.default is dc.MISSING and f.default_factory is dc.MISSING
            out.append(
                _ClassField(
                    f.name,
                    f.name,
                    hints.get(f.name, f.type),
                    init=f.init,
                    required=required and f.init,
                    default=f.default if f.default is not dc.MISSING else _MISSING,
                    factory=f.default_factory if f.default_factory is not dc.MISSING else None,
                )
            )
        return out
    raise UnsupportedType(f"{_type_name(cls)} is neither an attrs class nor a dataclass")


_TAKES_SELF: Any = object()


def _event_class_fields(cls: type, event_fields: Any) -> list[_ClassField]:
    # Event classes (lambdago.events._eventclass) describe their fields themselves, so
    # preparing their codecs neither imports attrs nor resolves types through ``typing``.
    from .events._eventclass import resolved_type

    out = []
    for f in event_fields:
        try:
            tp = resolved_type(f)
        except Exception as exc:
            raise UnsupportedType(
                f"cannot resolve the annotation of {_type_name(cls)}.{f.name}: {exc}"
            ) from None
        out.append(
            _ClassField(
                f.name,
                f.codec.key,
                tp,
                init_name=f.init_name,
                default=None,
                codec=f.codec,
            )
        )
    return out


def _type_hints(obj: Any) -> dict[str, Any]:
    import typing

    try:
        return typing.get_type_hints(obj, include_extras=True)
    except Exception as exc:
        raise UnsupportedType(
            f"cannot resolve the annotations of {_type_name(obj)}: {exc}"
        ) from None


def _class_decoder(cls: type, strict: int, name: str) -> None:
    fields = class_fields(cls)
    _NS[name + "_cls"] = cls
    lines = [
        f"def {name}(d):",
        "    if d.__class__ is not dict: d = _as_dict(d)",
        "    g = d.get",
        "    k = None",
        "    try:",
    ]
    dynamic = any(f.factory is _TAKES_SELF for f in fields)
    if dynamic:
        lines.append("        kw = {}")
    call_args = []
    for i, f in enumerate(fields):
        if not f.init:
            continue
        lines.append(f"        k = {f.key!r}; v = g(k, _M)")
        if f.required:
            lines.append("        if v is _M: raise _missing(k)")
            lines.extend(_field_lines(f, strict, "        "))
        elif dynamic and f.factory is _TAKES_SELF:
            lines.append("        if v is not _M:")
            lines.extend(_field_lines(f, strict, "            "))
            lines.append(f"            kw[{f.init_name!r}] = v")
            continue
        else:
            if f.factory is not None:
                _NS[f"{name}_f{i}"] = f.factory
                fallback = f"{name}_f{i}()"
            else:
                _NS[f"{name}_d{i}"] = f.default
                fallback = f"{name}_d{i}"
            lines.append(f"        if v is _M: v = {fallback}")
            lines.append("        else:")
            body = _field_lines(f, strict, "            ")
            lines.extend(body or ["            pass"])
        if dynamic:
            lines.append(f"        kw[{f.init_name!r}] = v")
        else:
            lines.append(f"        a{i} = v")
            call_args.append(f"{f.init_name}=a{i}")
    if strict == STRICT:
        _NS[name + "_keys"] = frozenset(f.key for f in fields if f.init)
        lines.append("        k = None")
        lines.append(
            f"        if not {name}_keys.issuperset(d): raise _unknown_keys(d, {name}_keys)"
        )
    lines.append("    except Failure as e:")
    lines.append("        if k is not None: e.path.append(k)")
    lines.append("        raise")
    if dynamic:
        lines.append(f"    return {name}_cls(**kw)")
    else:
        lines.append(f"    return {name}_cls({', '.join(call_args)})")
    _compile(name, "\n".join(lines) + "\n", cls)


def _field_lines(f: _ClassField, strict: int, indent: str) -> list[str]:
    if f.codec is not None and f.codec.decode is not None:
        fname = _fresh("wire", f.key)
        _NS[fname] = f.codec.decode
        return [f"{indent}if v is not None: v = {fname}(v)"]
    return _inline(f.type, strict, indent)


def _typeddict_decoder(cls: type, strict: int, name: str) -> None:
    hints = _type_hints(cls)
    required = cls.__required_keys__  # type: ignore[attr-defined]
    lines = [
        f"def {name}(d):",
        "    if d.__class__ is not dict: d = _as_dict(d)",
        "    out = {}",
        "    k = None",
        "    try:",
    ]
    for key, tp in hints.items():
        lines.append(f"        k = {key!r}; v = d.get(k, _M)")
        if key in required:
            lines.append("        if v is _M: raise _missing(k)")
            lines.extend(_inline(tp, strict, "        "))
            lines.append("        out[k] = v")
        else:
            lines.append("        if v is not _M:")
            lines.extend(_inline(tp, strict, "            "))
            lines.append("            out[k] = v")
    if strict == STRICT:
        _NS[name + "_keys"] = frozenset(hints)
        lines.append("        k = None")
        lines.append(
            f"        if not {name}_keys.issuperset(d): raise _unknown_keys(d, {name}_keys)"
        )
    lines.append("    except Failure as e:")
    lines.append("        if k is not None: e.path.append(k)")
    lines.append("        raise")
    lines.append("    return out")
    _compile(name, "\n".join(lines) + "\n", cls)


def _event_class_decoder(cls: type, strict: int, name: str) -> None:
    """Decoders for ``lambdago.events`` types.

    Every field is optional and defaults to ``None``; the instance keeps a reference to
    the object it was decoded from (``_lg_src``) so that encoding it again can tell an
    absent key from a ``null`` one, keep keys it does not model, and keep the exact
    spelling of values it converted (times, base64). ``__init__`` is bypassed: these
    classes have no validators, and setting slots directly is the cheapest construction.
    """
    fields = class_fields(cls)
    _NS[name + "_cls"] = cls
    roles = _field_roles(fields)
    raw = {i for i, _f in roles.plain}
    # In the LAZY mode, nested event objects are decoded when first read.
    lazy = {id(f) for f in roles.nested} if strict == LAZY else set()
    if lazy:
        _compile_lazy_fields(cls, name, [(i, f) for i, f in enumerate(fields) if id(f) in lazy])
    lines = [
        f"def {name}(d):",
        "    if d.__class__ is not dict: d = _as_dict(d)",
        "    g = d.get",
        f"    o = _new({name}_cls)",
        "    k = None",
        "    try:",
    ]
    lines.append("        pass")  # a class may have no fields at all
    for i, f in enumerate(fields):
        if id(f) in lazy:
            lines.append(f"        o.{_slot_alias(cls, f.attr)} = _UNREAD")
            continue
        # A plain field's JSON value is kept as it came (w<i>) for the snapshot.
        take = f"v = w{i} = g(k)" if i in raw else "v = g(k)"
        lines.append(f"        k = {f.key!r}; {take}")
        also = _other_spellings(f)
        if also:
            lines.append("        if v is None and k not in d:")
            for n, other in enumerate(also):
                keyword = "if" if n == 0 else "elif"
                lines.append(
                    f"            {keyword} {other!r} in d: k = {other!r}; "
                    + (f"v = w{i} = d[k]" if i in raw else "v = d[k]")
                )
        lines.extend(_field_lines(f, strict, "        "))
        lines.append(f"        o.{f.attr} = v")
    if strict == STRICT:
        _NS[name + "_keys"] = frozenset(
            key for f in fields for key in (f.key, *_other_spellings(f))
        )
        lines.append("        k = None")
        lines.append(
            f"        if not {name}_keys.issuperset(d): raise _unknown_keys(d, {name}_keys)"
        )
    lines.append("    except Failure as e:")
    lines.append("        if k is not None: e.path.append(k)")
    lines.append("        raise")
    lines.append("    o._lg_src = d")
    if roles.plain or roles.frozen:
        # The snapshot the encoder compares with: each plain field's JSON value, and what
        # each immutable wire decoded.
        snap = [f"w{i}, " for i, _f in roles.plain]
        for i, f in roles.frozen:
            copy = roles.snapshots[i]
            if copy is None:
                snap.append(f"o.{f.attr}, ")
            else:
                _NS[f"{name}_s{i}"] = copy
                snap.append(f"None if o.{f.attr} is None else {name}_s{i}(o.{f.attr}), ")
        lines.append("    o._lg_snap = (" + "".join(snap) + ")")
    if hasattr(cls, "_after_decode"):
        # A class may fill derived fields once decoded (S3's urlDecodedKey).
        lines.append("    o._after_decode()")
    lines.append("    return o")
    _compile(name, "\n".join(lines) + "\n", cls)


# -- encoders -------------------------------------------------------------------------------
#
# The JSON engines serialise dicts, lists, strings and numbers themselves and call
# ``encode_default`` for anything else; the value it returns is serialised in turn. So an
# encoder only needs to turn one object into a dict (or list, or string) of its fields and
# leave nested objects for the engine to hand back to us.

_encoders: dict[type, Encoder] = {}

# -- lazy decoding ------------------------------------------------------------------------
#
# In the LAZY mode an event class's decoder does not decode its nested event fields: it
# puts ``_UNREAD`` in their slots. Those fields are read through a ``_LazySlot``
# descriptor, put on the class when its first lazy decoder is compiled: it returns what the
# slot holds, and for ``_UNREAD`` decodes the field from the instance's source and stores
# it there. The encoder of a decoded instance reads the slots directly (through an alias,
# see ``_slot_alias``): a field never read nor set is still ``_UNREAD``, exactly its source,
# and is not decoded for nothing.
#
# (A marker rather than an unset slot: reading an unset slot raises an AttributeError,
# which costs more than encoding a small event whole. A ``__getattr__`` on the event
# classes would do without a descriptor, but a class with one loses CPython's fast path for
# every attribute read, not only these.)


class _Unread:
    """The type of ``_UNREAD``, the marker of a nested field not decoded yet."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<lambdago: not decoded yet>"

    def __reduce__(self) -> str:
        return "_UNREAD"


_UNREAD = _Unread()
_NS["_UNREAD"] = _UNREAD


class _LazySlot:
    """The descriptor of a nested event field of a class decoded lazily (see above)."""

    __slots__ = ("decode", "key", "member")

    def __init__(self, member: Any, key: str, decode: Decoder) -> None:
        self.member = member  # the slot's own descriptor, which holds the value
        self.key = key
        self.decode = decode

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = self.member.__get__(obj)  # an unset (deleted) slot raises, as any slot does
        if value is _UNREAD:
            return self._decode_into(obj)
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        self.member.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self.member.__delete__(obj)

    def _decode_into(self, obj: Any) -> Any:
        value = obj._lg_src.get(self.key)  # only decoded instances hold _UNREAD
        if value is not None:
            try:
                value = self.decode(value)
            except Failure as failure:
                from .errors import DecodeError

                failure.path.append(self.key)
                reason = (
                    f"{failure.reason} (in a {obj.__class__.__name__}, decoded when first read)"
                )
                raise DecodeError(reason, failure.dotted_path()) from None
        self.member.__set__(obj, value)
        return value


def _slot_alias(cls: type, attr: str) -> str:
    """A second name on ``cls`` for the slot of field ``attr``, bound to the slot's own
    descriptor: generated code reads and writes the slot through it at the speed of any
    slot (CPython specialises the access), bypassing a ``_LazySlot`` on the field's name."""
    alias = f"_lg_slot_{attr}"
    if alias not in cls.__dict__:
        type.__setattr__(cls, alias, _slot_of(cls, attr))
    return alias


def _slot_of(cls: type, attr: str) -> Any:
    """The slot descriptor holding field ``attr`` of ``cls`` (declared by it or a base)."""
    for klass in cls.__mro__:
        member = klass.__dict__.get(attr)
        if member is not None:
            return member.member if isinstance(member, _LazySlot) else member
    raise UnsupportedType(f"{_type_name(cls)} has no slot {attr!r}")


def _compile_lazy_fields(cls: type, name: str, fields: list[tuple[int, _ClassField]]) -> None:
    for i, f in fields:
        body = _field_lines(f, LAZY, "    ") or ["    pass"]
        fname = f"{name}_z{i}"
        _compile(fname, "\n".join([f"def {fname}(v):", *body, "    return v"]) + "\n", cls)
        if not isinstance(cls.__dict__.get(f.attr), _LazySlot):
            lazy = _LazySlot(_slot_of(cls, f.attr), f.key, _NS[fname])
            type.__setattr__(cls, f.attr, lazy)


class Unencodable(TypeError):
    """A value of a type no encoder exists for."""


def encode_default(obj: Any) -> Any:
    """The ``default`` hook of the JSON engines: one level of conversion for ``obj``."""
    fn = _encoders.get(obj.__class__)
    if fn is None:
        fn = encoder_for_class(obj.__class__)
    return fn(obj)


def encoder_for_class(cls: type) -> Encoder:
    """The encoder for instances of ``cls`` (compiled on first use)."""
    fn = _encoders.get(cls)
    if fn is not None:
        return fn
    with _lock:
        fn = _encoders.get(cls)
        if fn is None:
            fn = _build_encoder(cls)
            _encoders[cls] = fn
        return fn


def _build_encoder(cls: type) -> Encoder:
    custom = getattr(cls, "__lambdago_encode__", None)
    if custom is not None:
        fn: Encoder = custom  # an unbound method: called with the instance
        return fn
    if issubclass(cls, (bytes, bytearray, memoryview)):
        return _encode_bytes
    if issubclass(cls, (set, frozenset)) or _is_namedtuple(cls):
        return list
    if is_event_class(cls):
        return _event_class_encoder(cls)
    if _is_attrs(cls) or _is_dataclass(cls):
        return _class_encoder(cls)
    if issubclass(cls, tuple):
        return list
    raise Unencodable(f"values of type {_qualname(cls).lstrip('.')} cannot be encoded as JSON")


def _encode_bytes(b: bytes | bytearray | memoryview) -> str:
    import binascii

    return binascii.b2a_base64(b, newline=False).decode("ascii")


def _class_encoder(cls: type) -> Encoder:
    fields = class_fields(cls)
    name = _fresh("enc", cls)
    items = ", ".join(f"{f.key!r}: o.{f.attr}" for f in fields)
    _compile(name, f"def {name}(o):\n    return {{{items}}}\n", cls)
    fn: Encoder = _NS[name]
    return fn


_event_encoder_names: dict[type, str] = {}


def _event_encoder_name(cls: type) -> str:
    """The name in ``_NS`` of the encoder for event class ``cls``, compiling it if needed.

    The name is reserved before the source is compiled, so classes that contain each other
    (or themselves) refer to each other's encoders by name.
    """
    name = _event_encoder_names.get(cls)
    if name is None:
        name = _event_encoder_names[cls] = _fresh("eev", cls)
        _compile_event_encoder(cls, name)
        _encoders[cls] = _NS[name]
    return name


def _event_class_encoder(cls: type) -> Encoder:
    fn: Encoder = _NS[_event_encoder_name(cls)]
    return fn


def _nested_events(f: _ClassField) -> tuple[str, type] | None:
    """How field ``f`` holds event objects, if it does: ``("one", cls)``, ``("list", cls)``
    or ``("dict", cls)`` (optionally ``None``). Such values are encoded by a direct call of
    their encoder, which costs a fraction of the JSON engine's ``default`` callback."""
    tp = _unwrap(f.type)
    members = union_members(tp)
    if members is not None:
        rest = [m for m in members if m is not _NoneType]
        if len(rest) != 1:
            return None
        tp = _unwrap(rest[0])
    if is_event_class(tp):
        return ("one", tp)
    origin = getattr(tp, "__origin__", None)
    args: tuple[Any, ...] = getattr(tp, "__args__", ())
    if origin is list and len(args) == 1 and is_event_class(_unwrap(args[0])):
        return ("list", _unwrap(args[0]))
    if origin is dict and len(args) == 2 and is_event_class(_unwrap(args[1])):
        return ("dict", _unwrap(args[1]))
    return None


def _compile_event_encoder(cls: type, name: str) -> None:
    """Encoders for ``lambdago.events`` types.

    An instance built in code becomes a dict of its fields, ``None`` ones left out, nested
    event objects encoded in place, wire fields in their JSON form.

    A decoded instance is encoded *against its source*, copy on write: when no field has
    changed since decoding, the encoder returns the very JSON object the instance was
    decoded from (so ``null`` stays ``null``, keys the class does not model stay, values
    keep their exact spelling, keys their order) and the JSON engine writes it at its own
    speed. What decides "unchanged" is cheap and exact for each kind of field:

    * plain JSON fields (strings, numbers, lists and dicts of them): the value still equals
      the JSON value it was decoded from (a list changed in place is the source's own list,
      so the source shows the change);
    * fields converted by an immutable wire (times, base64, durations): the value still
      equals what decoding produced (for a wire whose values can change in place, a
      copy of it);

    both against the snapshot the decoder left in ``_lg_snap``, in one tuple comparison
    (identity first, in C);

    * nested event objects: their own encoder returned their source object;
    * anything else (mutable converted values, other types) is written out every time.

    A changed field is patched into a copy of the source: its key keeps its place, a field
    set to ``None`` drops its key (unless the source had ``null``), a new one is appended.
    """
    fields = class_fields(cls)
    _NS[name + "_cls"] = cls
    roles = _field_roles(fields)
    plain, frozen, always, nested = roles.plain, roles.frozen, roles.always, roles.nested
    for i, f in enumerate(fields):
        if f.codec is not None and f.codec.encode is not None:
            _NS[f"{name}_e{i}"] = f.codec.encode
            _NS[f"{name}_d{i}"] = f.codec.decode
    _compile_built_encoder(name + "_b", cls, fields, name)

    lines = [
        f"def {name}(o):",
        "    s = o._lg_src",
        f"    if s is None: return {name}_b(o)",
        "    r = s",
    ]
    if plain or frozen:
        # One comparison decides for every plain and immutable-wire field: identity first,
        # in C; only an instance with a changed field goes through the patching function.
        values = "(" + "".join(f"o.{f.attr}, " for _i, f in plain + frozen) + ")"
        lines.append(f"    if {values} != o._lg_snap: r = {name}_p(o, s)")
        _compile_patch(name, plain, frozen, cls)
    for i, f in always:
        key = repr(f.key)
        if f.codec is not None and f.codec.encode is not None:
            value = f"sv if sv is not None and _same({name}_d{i}, sv, v) else {name}_e{i}(v)"
        else:
            value = "v"
        lines += [
            f"    v = o.{f.attr}",
            f"    sv = s.get({key})",
            "    if v is not None:",
            f"        v = {value}",
            "        if v is not sv:",
            "            if r is s: r = dict(s)",
            f"            r[{key}] = v",
            "    elif sv is not None:",
            "        if r is s: r = dict(s)",
            f"        del r[{key}]",
        ]
    for f in nested:
        key = repr(f.key)
        # Read through the slot itself: a field never read (nor set) since a lazy decode
        # still holds _UNREAD and is its source's; reading it here would decode it for
        # nothing. (A slot deleted by the caller keeps the source's value too.)
        lines += [
            f"    try: v = o.{_slot_alias(cls, f.attr)}",
            "    except AttributeError: v = _UNREAD",
            "    if v is not _UNREAD:",
            f"      sv = s.get({key})",
            "      if v is not None:",
            f"        v = {_nested_value_expr(f)}",
            "        if v is not sv:",
            "            if r is s: r = dict(s)",
            f"            r[{key}] = v",
            "      elif sv is not None:",
            "        if r is s: r = dict(s)",
            f"        del r[{key}]",
        ]
    lines.append("    return r")
    _NS["_same"] = _same_value
    _NS["_same_items"] = _same_items
    _compile(name, "\n".join(lines) + "\n", cls)


class _FieldRoles:
    """How an event class's fields are encoded against the source (see
    :func:`_compile_event_encoder`); each entry is (field index, field)."""

    __slots__ = ("always", "frozen", "nested", "plain", "snapshots")

    def __init__(self) -> None:
        self.plain: list[tuple[int, _ClassField]] = []
        # Compared with what decoding produced (or a copy of it: ``snapshots[i]``).
        self.frozen: list[tuple[int, _ClassField]] = []
        self.snapshots: dict[int, Callable[[Any], Any] | None] = {}
        self.always: list[tuple[int, _ClassField]] = []
        self.nested: list[_ClassField] = []


def _field_roles(fields: list[_ClassField]) -> _FieldRoles:
    roles = _FieldRoles()
    for i, f in enumerate(fields):
        if f.codec is not None and f.codec.encode is not None:
            if f.codec.comparable:
                roles.frozen.append((i, f))
                roles.snapshots[i] = f.codec.snapshot
            else:
                roles.always.append((i, f))
        elif _nested_events(f) is not None:
            roles.nested.append(f)
        elif _json_native(f.type):
            roles.plain.append((i, f))
        elif (copy := _immutable_items(f.type)) is not None:
            roles.frozen.append((i, f))
            roles.snapshots[i] = None if copy is _identity else copy
        else:
            roles.always.append((i, f))
    for _i, f in roles.always:
        _no_other_spellings(f)
    for f in roles.nested:
        _no_other_spellings(f)
    return roles


def _other_spellings(f: _ClassField) -> tuple[str, ...]:
    """The other spellings of field ``f``'s key (``FieldCodec.also``)."""
    return f.codec.also if f.codec is not None else ()


def _no_other_spellings(f: _ClassField) -> None:
    # Only fields whose change the encoder detects by comparison (plain and immutable-wire
    # ones) may have other spellings: its patch is where a changed value leaves them behind.
    if _other_spellings(f):
        raise UnsupportedType(f"field {f.attr!r}: other key spellings need a plain JSON value")


def _immutable_items(tp: Any) -> Callable[[Any], Any] | None:
    """For a type whose decoded values are immutable objects (a class declaring
    ``__lambdago_immutable__``, such as DynamoDB's attribute values), or a list or dict of
    them: the copy that keeps a decoded value as it was (``_identity`` for the object
    itself); else None."""
    tp = _unwrap(tp)
    members = union_members(tp)
    if members is not None:
        rest = [m for m in members if m is not _NoneType]
        if len(rest) != 1:
            return None
        tp = _unwrap(rest[0])
    if getattr(tp, "__lambdago_immutable__", False) is True:
        return _identity
    origin = getattr(tp, "__origin__", None)
    args: tuple[Any, ...] = getattr(tp, "__args__", ())
    if not args or getattr(_unwrap(args[-1]), "__lambdago_immutable__", False) is not True:
        return None
    if origin is list and len(args) == 1:
        return list
    if origin is dict and len(args) == 2 and _unwrap(args[0]) is str:
        return dict
    return None


def _compile_patch(
    name: str,
    plain: list[tuple[int, _ClassField]],
    frozen: list[tuple[int, _ClassField]],
    cls: type,
) -> None:
    """``{name}_p(o, s)``: a copy of the source ``s`` with the plain and immutable-wire
    fields of ``o`` that differ from their decode-time snapshot written in."""
    lines = [f"def {name}_p(o, s):", "    r = dict(s)", "    n = o._lg_snap"]
    for j, (i, f) in enumerate(plain + frozen):
        key = repr(f.key)
        lines += [f"    v = o.{f.attr}", f"    if v is not n[{j}] and v != n[{j}]:"]
        wired = f.codec is not None and f.codec.encode is not None
        value = f"{name}_e{i}(v)" if wired and j >= len(plain) else "v"
        lines += [
            f"        if v is not None: r[{key}] = {value}",
            f"        elif s.get({key}) is not None: del r[{key}]",
        ]
        for other in _other_spellings(f):
            # The value changed: a value goes out under the field's own key only; None
            # drops the other spelling too, unless that held null (as for the key above).
            lines.append(
                f"        if {other!r} in s and (v is not None or s[{other!r}] is not None): "
                f"del r[{other!r}]"
            )
    lines.append("    return r")
    _compile(name + "_p", "\n".join(lines) + "\n", cls)


def _compile_built_encoder(name: str, cls: type, fields: list[_ClassField], owner: str) -> None:
    """The encoder of an instance built in code: its fields, the ``None`` ones left out.

    One test per field, its key written only when set: instances built in code usually set
    a few of their fields (a response, a batch failure), and building the dict of all of
    them to filter it afterwards costs twice as much (measured over the benchmark's 266
    events: 8.5x ``orjson.dumps`` that way, 4.5x this way)."""
    lines = [f"def {name}(o):", "    r = {}"]
    for i, f in enumerate(fields):
        key = repr(f.key)
        lines.append(f"    v = o.{f.attr}")
        if f.codec is not None and f.codec.encode is not None:
            lines.append(f"    if v is not None: r[{key}] = {owner}_e{i}(v)")
        elif _nested_events(f) is not None:
            lines.append(f"    if v is not None: r[{key}] = {_nested_value_expr(f, built=True)}")
        else:
            lines.append(f"    if v is not None: r[{key}] = v")
    lines.append("    return r")
    _compile(name, "\n".join(lines) + "\n", cls)


def _nested_value_expr(f: _ClassField, built: bool = False) -> str:
    """An expression turning ``v`` (a nested event object, or a list or dict of them) into
    its JSON form; a list or dict whose items all come back as the source's own (``sv``)
    is the source's, so that an unchanged part is not copied. ``built``: for an instance
    built in code, which has no source to compare with."""
    nested = _nested_events(f)
    assert nested is not None
    shape, cls = nested
    enc = _event_encoder_name(cls)
    if shape == "one":
        return f"{enc}(v) if v.__class__ is {enc}_cls else v"
    if shape == "list":
        items = f"[{enc}(x) if x.__class__ is {enc}_cls else x for x in v]"
    else:
        items = f"{{k: {enc}(x) if x.__class__ is {enc}_cls else x for k, x in v.items()}}"
    kind = "list" if shape == "list" else "dict"
    if built:
        return f"{items} if v.__class__ is {kind} else v"
    return f"_same_items(sv, {items}) if v.__class__ is {kind} else v"


def _same_items(source: Any, encoded: Any) -> Any:
    """``source`` when ``encoded`` (a list or dict just built from nested objects) holds
    exactly the source's own items, so that an unchanged part is not copied; else
    ``encoded``."""
    if source.__class__ is not encoded.__class__ or len(source) != len(encoded):
        return encoded
    if encoded.__class__ is list:
        return source if all(map(_is, source, encoded)) else encoded  # compared in C
    for k, b in encoded.items():
        if source.get(k, _MISSING) is not b:
            return encoded
    return source


def _json_native(tp: Any) -> bool:
    """Whether values of ``tp`` decode to plain JSON values (strings, numbers, booleans,
    ``None``, lists and dicts of them): values that can be compared with their source."""
    tp = _unwrap(tp)
    if is_any(tp) or tp in (str, int, float, bool, None, _NoneType, list, dict):
        return True
    members = union_members(tp)
    if members is not None:
        return all(_json_native(m) for m in members)
    origin = getattr(tp, "__origin__", None)
    args: tuple[Any, ...] = getattr(tp, "__args__", ())
    if origin is list and len(args) == 1:
        return _json_native(args[0])
    if origin is dict and len(args) == 2:
        return _unwrap(args[0]) is str and _json_native(args[1])
    return False


def _same_value(decode: Decoder, source: Any, value: Any) -> bool:
    """Whether the JSON ``source`` still decodes to ``value`` (so it can be re-emitted)."""
    try:
        return bool(decode(source) == value)
    except Exception:
        return False


def check_encodable(tp: Any) -> None:
    """Raise :class:`UnsupportedType` unless values annotated ``tp`` can be encoded.

    Used on handler return annotations at wrap time. Generic containers are checked
    recursively; classes must be JSON natives, attrs classes, dataclasses, enums or one of
    the standard value types the engines know.
    """
    _check_encodable(tp, set())


def _check_encodable(tp: Any, seen: set[int]) -> None:
    tp = _unwrap(tp)
    if id(tp) in seen:
        return
    seen.add(id(tp))
    if is_any(tp) or tp is None or tp is _NoneType:
        return
    members = union_members(tp)
    if members is not None:
        for m in members:
            _check_encodable(m, seen)
        return
    origin = getattr(tp, "__origin__", None)
    if origin is not None:
        if _is_special(origin, "Literal"):
            return
        oname = _qualname(origin)
        if oname in {
            "collections.abc.Iterator",
            "collections.abc.Generator",
            "collections.abc.AsyncIterator",
            "collections.abc.AsyncGenerator",
            "collections.abc.Iterable",
            "collections.abc.AsyncIterable",
        }:
            return  # streamed responses: checked piece by piece when produced
        for a in getattr(tp, "__args__", ()):
            if a is not Ellipsis:
                _check_encodable(a, seen)
        if isinstance(origin, type) and (_is_attrs(origin) or _is_dataclass(origin)):
            return
        if origin in (list, tuple, dict, set, frozenset) or oname in (
            _SEQUENCE_ORIGINS | _SET_ORIGINS | _MAPPING_ORIGINS
        ):
            return
        raise UnsupportedType(f"{_type_name(tp)} cannot be encoded as JSON")
    if not isinstance(tp, type):
        raise UnsupportedType(f"{_type_name(tp)} cannot be encoded as JSON")
    if tp in (
        str,
        int,
        float,
        bool,
        list,
        dict,
        tuple,
        set,
        frozenset,
        bytes,
        bytearray,
        memoryview,
    ):
        return
    if _qualname(tp) in {
        "datetime.datetime",
        "datetime.date",
        "datetime.time",
        "decimal.Decimal",
        "uuid.UUID",
    }:
        return
    if (
        _is_enum(tp)
        or _is_typeddict(tp)
        or _is_namedtuple(tp)
        or hasattr(tp, "__lambdago_encode__")
    ):
        return
    if _is_attrs(tp) or _is_dataclass(tp):
        for f in class_fields(tp):
            _check_encodable(f.type, seen)
        return
    if issubclass(tp, (str, int, float, list, dict, tuple)):
        return
    raise UnsupportedType(f"{_type_name(tp)} cannot be encoded as JSON")
