"""The machinery every ``lambdago.events`` type is built with.

An event type is a slotted class declared with :func:`event` (built by ``_eventclass``; an
attrs class to attrs), whose fields are all optional and declared with :func:`field`, naming
the JSON key exactly as AWS sends it::

    @event
    class SQSMessage:
        \"\"\"One message of an SQS batch.\"\"\"

        message_id: str | None = field("messageId")
        sent: datetime | None = field("sentAt", wire=EPOCH_MILLIS)

Decoding is compiled once per class by ``lambdago._converters`` (straight-line code, no
per-field dispatch). Fidelity comes from :class:`EventBase`: a decoded instance keeps a
reference to the JSON object it came from, so encoding it again re-creates ``null`` where
the source had ``null`` (an unset field is otherwise left out), keeps keys the class does
not model (AWS adds fields over time), and keeps the source spelling of converted values
(``"2019-03-01T10:01:23.000Z"`` stays exactly that) unless the value was changed.

A *wire* converts a field between its JSON form and a richer Python type: times sent as
RFC 3339 strings, epoch seconds or epoch milliseconds become ``datetime``; base64 strings
become ``bytes``.

Two hooks cover what fields cannot express:

* ``_after_decode(self)``: called on each decoded instance, to fill derived fields
  (S3's ``urlDecodedKey``).
* ``__lambdago_decode__`` (a classmethod taking the JSON value, raising
  ``lambdago._converters.Failure`` when it does not fit) and ``__lambdago_encode__`` (a
  method returning a JSON value): a type with its own JSON form, such as DynamoDB's
  attribute values. Such a class need not be an event class at all.
"""

from __future__ import annotations

import binascii
import datetime as _dt

from .._converters import Failure, FieldCodec, json_type_name
from .._typing_shims import dataclass_transform
from ._eventclass import FieldSpec, build_event_class

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    C = TypeVar("C", bound=type)


__all__ = [
    "BASE64",
    "EPOCH_MILLIS",
    "EPOCH_SECONDS",
    "LENIENT_INT",
    "RFC3339",
    "STRING_MAP",
    "STRING_MAP_NULLABLE",
    "EventBase",
    "Wire",
    "decode_value",
    "event",
    "field",
]

_UTC = _dt.UTC
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)


class EventBase:
    """Base of every event type: holds the JSON object an instance was decoded from.

    ``_lg_src`` is the decoded JSON object, or ``None`` for an instance built in code;
    ``_lg_snap`` is what the encoder compares with to tell whether a decoded instance
    changed: the JSON values of its plain fields and what its immutable wires decoded.
    """

    __slots__ = ("_lg_snap", "_lg_src")
    __lambdago_event__ = True

    def __attrs_post_init__(self) -> None:
        # Instances built in code have no source; decoders bypass __init__ and set it, and
        # ``_lg_snap``, the snapshot the encoder compares with.
        self._lg_src = None
        self._lg_snap = None


@dataclass_transform(kw_only_default=True)
def event(cls: C) -> C:
    """Make ``cls`` an event type: a slotted class with keyword-only fields, an attrs class
    to attrs and cattrs (``attrs.fields``, ``attrs.evolve`` … work on it).

    ``dataclass_transform`` tells type checkers the class gets an ``__init__`` taking
    every field as a keyword. ``field`` is deliberately not declared a field specifier:
    its call is then the field's default, so every field is optional, as intended.

    The class gains :class:`EventBase` as a base if it does not have it already. It is
    built without importing attrs (see ``_eventclass``): a cold start that uses event
    types does not pay for attrs unless the function's own code imports it.
    """
    return build_event_class(cls, EventBase)  # type: ignore[return-value]


class Wire:
    """A conversion between a field's JSON form and its Python type.

    ``immutable`` says that ``decode`` gives values that cannot change in place (times,
    ``bytes``, numbers); for values that can (a list of ``bytes``), ``snapshot`` copies one
    deep enough to keep it as decoded. Either lets the encoder of a decoded instance tell an
    unchanged value, and write the source's spelling of it, without decoding the source
    again; without them the value is compared with the source decoded anew.
    """

    __slots__ = ("decode", "encode", "immutable", "name", "snapshot")

    def __init__(
        self,
        name: str,
        decode: Callable[[Any], Any],
        encode: Callable[[Any], Any],
        *,
        immutable: bool = False,
        snapshot: Callable[[Any], Any] | None = None,
    ) -> None:
        self.name = name
        self.decode = decode
        self.encode = encode
        self.immutable = immutable
        self.snapshot = snapshot

    def __repr__(self) -> str:
        return f"<wire {self.name}>"


def field(key: str, *, wire: Wire | None = None, also: tuple[str, ...] = ()) -> Any:
    """Declare an optional event field travelling under the JSON ``key``.

    Its value is ``None`` when the key is absent (or ``null``); ``wire`` converts it
    between its JSON form and its Python type. ``also``: other spellings of the key that
    are read when ``key`` is absent (see docs/events.md, "Sample events written loosely").
    """
    codec = (
        FieldCodec(key, wire.decode, wire.encode, wire.immutable, wire.snapshot, also)
        if wire is not None
        else FieldCodec(key, also=also)
    )
    return FieldSpec(codec)


# -- times ------------------------------------------------------------------------------------


def _aware(value: _dt.datetime) -> _dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=_UTC)


def format_rfc3339(value: _dt.datetime) -> str:
    """RFC 3339 with Go's ``RFC3339Nano`` layout: ``Z`` for UTC, no trailing zero digits."""
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    value = _aware(value)
    text = value.isoformat()
    if value.microsecond:
        head, _, rest = text.partition(".")
        digits, offset = rest[:6], rest[6:]
        text = f"{head}.{digits.rstrip('0')}{offset}"
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


def _decode_rfc3339(value: Any) -> _dt.datetime:
    if value.__class__ is not str:
        raise Failure(f"expected str (an RFC 3339 time), got {type(value).__name__}")
    try:
        return _dt.datetime.fromisoformat(value)
    except ValueError:
        raise Failure(f"invalid RFC 3339 time: {value!r}") from None


def _time_text(value: str, unit: str) -> Any:
    # Epoch times are JSON numbers on the wire; samples in AWS's documentation and the SAM
    # CLI's generated events also carry them as strings, a number or an RFC 3339 time.
    # Either is read; the source spelling is kept on re-encoding while the value is unchanged.
    text = value.strip()
    try:
        return int(text) if text.isdigit() else float(text)
    except ValueError:
        pass
    try:
        parsed = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise Failure(
            f"expected a number (epoch {unit}) or an RFC 3339 time, got {value!r}"
        ) from None
    return _aware(parsed)


def _decode_epoch_seconds(value: Any) -> _dt.datetime:
    if value.__class__ is str:
        value = _time_text(value, "seconds")
        if value.__class__ is _dt.datetime:
            return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Failure(f"expected a number (epoch seconds), got {type(value).__name__}")
    try:
        if isinstance(value, int):
            return _EPOCH + _dt.timedelta(seconds=value)
        return _dt.datetime.fromtimestamp(value, _UTC)
    except (OverflowError, ValueError, OSError):
        raise Failure(f"epoch seconds out of range: {value!r}") from None


def _encode_epoch_seconds(value: _dt.datetime) -> int | float:
    delta = _aware(value) - _EPOCH
    seconds = delta.days * 86400 + delta.seconds
    if not delta.microseconds:
        return seconds
    # Through decimal text, so 1480641523.477 comes back as 1480641523.477.
    return float(f"{seconds}.{delta.microseconds:06d}")


def _decode_epoch_millis(value: Any) -> _dt.datetime:
    if value.__class__ is str:
        value = _time_text(value, "milliseconds")
        if value.__class__ is _dt.datetime:
            return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Failure(f"expected a number (epoch milliseconds), got {type(value).__name__}")
    try:
        return _EPOCH + _dt.timedelta(milliseconds=value)
    except (OverflowError, ValueError):
        raise Failure(f"epoch milliseconds out of range: {value!r}") from None


def _encode_epoch_millis(value: _dt.datetime) -> int:
    delta = _aware(value) - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


RFC3339 = Wire("rfc3339", _decode_rfc3339, format_rfc3339, immutable=True)
"""A time sent as an RFC 3339 string (``2019-03-01T10:01:23.000Z``)."""

EPOCH_SECONDS = Wire("epoch-seconds", _decode_epoch_seconds, _encode_epoch_seconds, immutable=True)
"""A time sent as a JSON number of seconds since the Unix epoch, maybe fractional."""

EPOCH_MILLIS = Wire("epoch-millis", _decode_epoch_millis, _encode_epoch_millis, immutable=True)
"""A time sent as a JSON number of milliseconds since the Unix epoch."""


# -- binary -----------------------------------------------------------------------------------


_BASE64_TEXT = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n"


def _decode_base64(value: Any) -> bytes:
    if value.__class__ is not str:
        raise Failure(f"expected str (base64), got {type(value).__name__}")
    try:
        return binascii.a2b_base64(value, strict_mode=True)
    except (binascii.Error, ValueError):
        pass
    # Line breaks, and padding followed by more data (samples such as the SAM CLI's
    # Firehose events have it), are read as a lenient decoder reads them; anything
    # outside the base64 alphabet, or a length no base64 text has, is still an error.
    if value.strip(_BASE64_TEXT):
        raise Failure("invalid base64 data: characters outside the base64 alphabet")
    try:
        return binascii.a2b_base64(value, strict_mode=False)
    except (binascii.Error, ValueError) as exc:
        raise Failure(f"invalid base64 data: {exc}") from None


def _encode_base64(value: bytes) -> str:
    return binascii.b2a_base64(value, newline=False).decode("ascii")


BASE64 = Wire("base64", _decode_base64, _encode_base64, immutable=True)
"""Binary data sent as a standard base64 string (padding required), ``bytes`` in Python."""


# -- maps of strings --------------------------------------------------------------------------


def _text_of(item: Any) -> str:
    # AWS sends these maps' values as strings; hand-written test events (and some samples
    # in AWS's own documentation) carry JSON booleans or numbers: read them as the strings
    # AWS would have sent ("true", "4").
    if item is True or item is False:
        return "true" if item else "false"
    if item.__class__ is int or item.__class__ is float:
        return str(item)
    raise Failure(f"expected str, got {json_type_name(item)}")


def _string_map(nullable: bool) -> Callable[[Any], dict[str, Any]]:
    def decode(value: Any) -> dict[str, Any]:
        if value.__class__ is not dict:
            raise Failure(f"expected object, got {json_type_name(value)}")
        out: dict[str, Any] = {}
        for name, item in value.items():
            if item.__class__ is str or (nullable and item is None):
                out[name] = item
            else:
                try:
                    out[name] = _text_of(item)
                except Failure as failure:
                    failure.path.append(name)
                    raise
        return out

    return decode


def _same(value: Any) -> Any:
    return value


STRING_MAP = Wire("string-map", _string_map(False), _same, snapshot=dict)
"""A map of strings (``dict[str, str]``); JSON booleans and numbers are read as strings."""

STRING_MAP_NULLABLE = Wire("string-map-nullable", _string_map(True), _same, snapshot=dict)
"""A map of strings or nulls (``dict[str, str | None]``); booleans and numbers read as strings."""


# -- integers sent as strings -----------------------------------------------------------------


def _decode_lenient_int(value: Any) -> int | None:
    if value.__class__ is int:
        return value
    if value.__class__ is str:
        # AWS's documented samples show some integer fields as strings ("123456", or ""
        # for none): read them as the number, or as absent.
        text = value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            pass
    raise Failure(f"expected int, got {json_type_name(value)}")


LENIENT_INT = Wire("lenient-int", _decode_lenient_int, _same, immutable=True)
"""An integer, also accepted as a string of digits (an empty string reads as absent)."""


# -- decoding a part of an event ---------------------------------------------------------------


def decode_value(value: Any, tp: Any, where: str, options: dict[str, Any]) -> Any:
    """``value`` (a decoded JSON value held by an event, e.g. CloudFormation's
    ``ResourceProperties``) decoded into ``tp`` with ``lambdago.decode``'s options.

    Raises :class:`lambdago.DecodeError` with a path starting at ``where``, and
    ``TypeError`` for a type the codec cannot decode into.
    """
    from .. import _converters
    from ..codec import CodecOptions, decode, encode
    from ..errors import DecodeError

    opts = CodecOptions(**options)
    if opts.use_decimal:
        # Exact numbers need the JSON text: go through it.
        try:
            return decode(encode(value), tp, **options)
        except DecodeError as exc:
            raise DecodeError(exc.reason, _under(where, exc.path)) from None
    try:
        convert = _converters.decoder(tp, opts.mode)
    except _converters.UnsupportedType as exc:
        raise TypeError(str(exc)) from None
    try:
        return convert(value)
    except _converters.Failure as failure:
        raise DecodeError(failure.reason, _under(where, failure.dotted_path())) from None


def _under(where: str, path: str) -> str:
    if not path:
        return where
    return f"{where}{path}" if path.startswith("[") else f"{where}.{path}"
