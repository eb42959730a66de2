"""JSON bytes to Python values and back: orjson, plus a cold-start engine.

Two engines implement the same two functions:

``loads(data: bytes) -> value``
    Parse one JSON document (surrounding whitespace allowed, nothing else).
``dumps(value) -> bytes``
    Compact UTF-8 JSON, no trailing newline, ``<>&`` not escaped; attrs classes,
    dataclasses, ``bytes`` (base64), sets, ``datetime`` (RFC 3339, naive taken as UTC),
    ``UUID``, ``Enum`` and ``Decimal`` handled through ``_converters.encode_default``.

orjson is the steady-state engine: the fastest parser and serializer Python has. But
importing it costs about 24 ms on a small Lambda (it imports ``dataclasses``, ``uuid``,
``inspect`` …), more than the rest of a cold start. So the runtime serves its *first*
invocation with the C scanner and encoder that stdlib ``json`` is built on (``_json``, a
builtin module that costs nothing to import), then switches to orjson once the first
answer is posted. The cold engine is made to give exactly what orjson gives for the same
input: where the two could differ (lone surrogate escapes, NaN, integers beyond 64 bits,
non-string keys, Decimal), it hands the document to orjson instead. The only visible
difference is the spelling of some float exponents (``1e+16`` against ``1e16``): the same
number. See docs/design.md for the measurements behind this.

Callers use ``_jsonio.loads`` / ``_jsonio.dumps`` through the module, never ``from
_jsonio import loads``: the functions are rebound when the engine changes.
"""

from __future__ import annotations

import sys

from . import _converters

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_encoders = _converters._encoders  # the shared class -> encoder table
_encode_default = _converters.encode_default

# -- orjson ---------------------------------------------------------------------------------

_orjson: Any = None
_ORJSON_OPTIONS = 0


def _load_orjson() -> Any:
    global _orjson, _ORJSON_OPTIONS
    if _orjson is None:
        import orjson

        # Dates and times are written by ``_native_like_orjson`` for both engines: one
        # layout everywhere, and orjson 3.13 drops a leading zero of ``time`` microseconds
        # (10000 µs written as ".10000").
        _ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
        _orjson = orjson
    return _orjson


def _orjson_default(obj: Any) -> Any:
    fn = _encoders.get(obj.__class__)
    if fn is not None:
        return fn(obj)
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(obj, decimal.Decimal):
        return _orjson.Fragment(_decimal_text(obj))
    native = _native_like_orjson(obj, strict_time=True)
    if native is not _NOT_NATIVE:
        return native
    return _encode_default(obj)


def _decimal_text(d: Any) -> bytes:
    if not d.is_finite():
        raise _converters.Unencodable(f"Decimal {d} has no JSON representation")
    return str(d).encode("ascii")


def _orjson_loads(data: bytes | str) -> Any:
    return _orjson.loads(data)


def _orjson_dumps(value: Any, option: int = 0) -> bytes:
    orjson = _orjson
    top = _encoders.get(value.__class__)
    if top is not None:
        # A class value (an event, say) at the top: convert it here rather than through
        # orjson's ``default`` callback, which costs more than the conversion of a small
        # event. Failures read as they would from the callback.
        try:
            value = top(value)
        except (TypeError, ValueError, RecursionError):
            raise
        except Exception as exc:
            raise TypeError(f"Type is not JSON serializable: {type(value).__name__}") from exc
    try:
        out: bytes = orjson.dumps(value, default=_orjson_default, option=_ORJSON_OPTIONS | option)
        return out
    except TypeError as exc:
        # Go writes integer map keys as strings and Python users expect big integers to
        # work; orjson refuses both by default, and enabling them always would make every
        # call slower (OPT_NON_STR_KEYS doubles the cost), so retry only when needed.
        message = str(exc)
        if "Dict key must be str" in message:
            try:
                out = orjson.dumps(
                    value,
                    default=_orjson_default,
                    option=_ORJSON_OPTIONS | orjson.OPT_NON_STR_KEYS | option,
                )
                return out
            except TypeError as again:
                message = str(again)
                if "64-bit" not in message:
                    raise
        if "64-bit" in message or "Recursion limit" in message:
            # orjson writes at most 255 levels of nesting but reads 1024: what was decoded
            # must encode, so deeper values go through the stdlib encoder.
            return _stdlib_dumps(value, indent=2 if option else None)
        raise


def _lazy_loads(data: bytes | str) -> Any:
    use_orjson()
    return _orjson_loads(data)


def _lazy_dumps(value: Any) -> bytes:
    use_orjson()
    return _orjson_dumps(value)


loads: Callable[[bytes | str], Any] = _lazy_loads
dumps: Callable[[Any], bytes] = _lazy_dumps
engine = "orjson"


def use_orjson() -> None:
    """Make orjson the engine from now on (importing it if needed)."""
    global loads, dumps, engine
    _load_orjson()
    loads = _orjson.loads  # orjson's own function: no Python frame in between
    dumps = _orjson_dumps
    engine = "orjson"


def use_cold_start_engine() -> bool:
    """Serve the next documents with the builtin C scanner, until :func:`use_orjson`.

    Does nothing (and returns False) when orjson is already imported, since then it is
    free and faster, or when this interpreter's ``_json`` lacks what the engine needs.
    """
    global loads, dumps, engine
    if "orjson" in sys.modules:
        use_orjson()
        return False
    if not _cold_ready():
        return False
    loads = _cold_loads
    dumps = _cold_dumps
    engine = "cold"
    return True


# -- the cold-start engine --------------------------------------------------------------------

_JSON_WS = " \t\n\r"
_cold_scan: Any = None
_cold_scan_exact: Any = None
_cold_encode: Any = None


def _cold_int(text: str) -> int | float:
    value = int(text)
    # orjson keeps integers that fit 64 bits (signed or unsigned) and reads the rest as
    # floats; do the same so the first invocation sees what every later one sees.
    if -9223372036854775808 <= value <= 18446744073709551615:
        return value
    return float(text)


def _cold_float(text: str) -> float:
    value = float(text)
    if value - value != 0.0:  # inf: orjson rejects numbers that overflow a double
        raise ValueError("number out of range")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class _ScannerSettings:
    """The attributes ``_json.make_scanner`` reads from ``json.JSONDecoder``."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_constant = staticmethod(_reject_constant)

    def __init__(self, parse_float: Callable[[str], Any], parse_int: Callable[[str], Any]) -> None:
        self.parse_float = parse_float
        self.parse_int = parse_int
        self.memo: dict[str, str] = {}


def _cold_ready() -> bool:
    global _cold_scan, _cold_encode
    if _cold_scan is not None:
        return True
    try:
        import _json

        _cold_scan = _json.make_scanner(_ScannerSettings(_cold_float, _cold_int))  # type: ignore[arg-type]
        _cold_encode = _json.make_encoder(
            None, _cold_default, _json.encode_basestring, None, ":", ",", False, False, False
        )
    except Exception:  # an interpreter without the C accelerator, or a changed signature
        _cold_scan = None
        return False
    return True


def _scan_document(scan: Any, data: bytes | str) -> Any:
    text = data.decode("utf-8") if isinstance(data, (bytes, bytearray, memoryview)) else data
    start = len(text) - len(text.lstrip(_JSON_WS))
    value, end = scan(text, start)
    if text[end:].strip(_JSON_WS):
        raise ValueError("trailing data")
    return value


def _may_differ(data: bytes | str) -> bool:
    """Whether a document has lone-surrogate candidates, where the engines could disagree."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return b"\\ud" in data or b"\\uD" in data


def _cold_loads(data: bytes | str) -> Any:
    if not _may_differ(data):
        try:
            return _scan_document(_cold_scan, data)
        except Exception:
            # StopIteration or ValueError for bad JSON; SystemError too, since the C
            # scanner builds its error from json.decoder, which is not imported here.
            pass
    # Anything unusual goes to orjson, for the same value or the same error.
    use_orjson()
    return _orjson_loads(data)


def _cold_dumps(value: Any) -> bytes:
    try:
        return "".join(_cold_encode(value, 0)).encode("utf-8")
    except Exception:
        pass
    use_orjson()
    return _orjson_dumps(value)


class _NeedsOrjson(Exception):
    """Raised inside the cold encoder for values only orjson writes (Decimal)."""


def _cold_default(obj: Any) -> Any:
    fn = _encoders.get(obj.__class__)
    if fn is not None:
        return fn(obj)
    native = _native_like_orjson(obj)
    if native is not _NOT_NATIVE:
        return native
    return _encode_default(obj)


_NOT_NATIVE = object()


def _native_like_orjson(obj: Any, strict_time: bool = False) -> Any:
    """How datetime, date, time, UUID and Enum are written (orjson's layout); else _NOT_NATIVE.

    Naive datetimes are taken as UTC (Lambda runs with ``TZ=:UTC``); a UTC offset is
    written ``Z``. A time of day with a time zone has no JSON form: ``strict_time``
    raises for it, the cold engine hands it to orjson (which raises).
    """
    datetime = sys.modules.get("datetime")
    if datetime is not None:
        if isinstance(obj, datetime.datetime):
            text = obj.isoformat()
            if obj.utcoffset() is None:
                return text + "Z"
            if text.endswith("+00:00"):
                return text[:-6] + "Z"
            return text
        if isinstance(obj, datetime.date):
            return obj.isoformat()
        if isinstance(obj, datetime.time):
            if obj.tzinfo is not None:
                if strict_time:
                    raise _converters.Unencodable(
                        "a time of day with a time zone cannot be encoded"
                    )
                raise _NeedsOrjson
            return obj.isoformat()
    uuid = sys.modules.get("uuid")
    if uuid is not None and isinstance(obj, uuid.UUID):
        return str(obj)
    enum = sys.modules.get("enum")
    if enum is not None and isinstance(obj, enum.Enum):
        return obj.value
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(obj, decimal.Decimal):
        raise _NeedsOrjson
    return _NOT_NATIVE


# -- exact numbers (use_decimal=True) ---------------------------------------------------------


def loads_exact(data: bytes | str) -> Any:
    """Parse like :func:`loads`, but floats become ``Decimal`` and integers stay exact.

    aws-lambda-go's ``WithUseNumber``: no precision is lost on the way in. orjson cannot
    do this, so this always uses the C scanner (orjson still validates the odd documents
    where the two could disagree, so the same inputs are rejected).
    """
    global _cold_scan_exact
    if _cold_scan_exact is None:
        import _json
        import decimal

        _cold_scan_exact = _json.make_scanner(_ScannerSettings(decimal.Decimal, int))  # type: ignore[arg-type]
    if _may_differ(data):
        use_orjson()
        _orjson_loads(data)  # raises for what orjson rejects
    try:
        return _scan_document(_cold_scan_exact, data)
    except Exception:
        use_orjson()
        _orjson_loads(data)  # the canonical error message
        raise ValueError("malformed JSON") from None


# -- pretty output ----------------------------------------------------------------------------


def dumps_indented(value: Any, indent: str) -> bytes:
    """Indented JSON ending in a newline, in the layout of Go's ``json.MarshalIndent``.

    Two-space indentation is orjson's own; any other indent re-lays orjson's compact
    output (so numbers and strings are written by the same code either way).
    """
    use_orjson()
    if indent == "  ":
        return _orjson_dumps(value, _orjson.OPT_INDENT_2) + b"\n"
    return reindent(_orjson_dumps(value), indent) + b"\n"


def reindent(compact: bytes, indent: str) -> bytes:
    """Lay out compact JSON with one value per line, ``indent`` per level."""
    unit = indent.encode("utf-8")
    out = bytearray()
    depth = 0
    i = 0
    n = len(compact)
    quote, backslash = 0x22, 0x5C
    while i < n:
        c = compact[i]
        if c == quote:  # copy a whole string, escapes included
            j = i + 1
            while True:
                j = compact.index(b'"', j)
                k = j - 1
                while compact[k] == backslash:
                    k -= 1
                if (j - 1 - k) % 2 == 0:
                    break
                j += 1
            out += compact[i : j + 1]
            i = j + 1
            continue
        if c in (0x7B, 0x5B):  # { [
            close = 0x7D if c == 0x7B else 0x5D
            if i + 1 < n and compact[i + 1] == close:
                out.append(c)
                out.append(close)
                i += 2
                continue
            depth += 1
            out.append(c)
            out += b"\n" + unit * depth
        elif c in (0x7D, 0x5D):  # } ]
            depth -= 1
            out += b"\n" + unit * depth
            out.append(c)
        elif c == 0x2C:  # ,
            out += b",\n" + unit * depth
        elif c == 0x3A:  # :
            out += b": "
        else:
            out.append(c)
        i += 1
    return bytes(out)


def _stdlib_dumps(value: Any, indent: int | None = None) -> bytes:
    """The last resort for integers wider than 64 bits and values nested more than 255
    levels deep, which orjson refuses."""
    import json

    def default(obj: Any) -> Any:
        fn = _encoders.get(obj.__class__)
        if fn is not None:
            return fn(obj)
        decimal = sys.modules.get("decimal")
        if decimal is not None and isinstance(obj, decimal.Decimal):
            _decimal_text(obj)  # rejects NaN and infinities
            return float(obj)
        native = _native_like_orjson(obj)
        if native is not _NOT_NATIVE:
            return native
        return _encode_default(obj)

    text = json.dumps(
        value,
        default=default,
        ensure_ascii=False,
        allow_nan=False,
        indent=indent,
        separators=(",", ": ") if indent is not None else (",", ":"),
    )
    return text.encode("utf-8")


def escape_html(data: bytes) -> bytes:
    """Escape ``<``, ``>``, ``&``, U+2028 and U+2029 as Go's ``SetEscapeHTML(true)`` does.

    Safe on any JSON text: those characters can only occur inside strings.
    """
    return (
        data.replace(b"<", b"\\u003c")
        .replace(b">", b"\\u003e")
        .replace(b"&", b"\\u0026")
        .replace("\u2028".encode(), b"\\u2028")
        .replace("\u2029".encode(), b"\\u2029")
    )
