"""The public JSON codec: ``decode(data, type)`` and ``encode(value)``.

The same functions every handler uses for its events and results, for decoding nested
payloads (an SNS message, an SQS body) and for tests. Options mirror aws-lambda-go's
handler options:

=================  ===============================  ======================================
option             Go                               effect
=================  ===============================  ======================================
``escape_html``    ``WithSetEscapeHTML``            ``<``, ``>``, ``&`` written as ``\\u003c``…
``indent``         ``WithSetIndent``                pretty output ending in a newline
``use_decimal``    ``WithUseNumber``                numbers decode losslessly (``Decimal``)
``strict``         ``WithDisallowUnknownFields``    an unknown object key is an error
``lazy``           (none)                           nested parts of ``lambdago.events``
                                                    types decoded when first read
=================  ===============================  ======================================

``lazy=True`` is for handlers that read a few fields of large events: decoding then
builds only the top of the event, and each nested event object (a record, a request
context) is decoded, and checked, the first time the program reads it. A value that does
not fit then raises :class:`lambdago.DecodeError` at that read, inside the handler, rather
than before it runs (the runtime reports it as ``Runtime.UnmarshalError`` all the same,
unless the handler catches it). It cannot be combined with ``strict``, which checks
everything at once. See docs/events.md#lazy-decoding.

Unlike Go, trailing bytes after the JSON document are an error rather than ignored.
"""

from __future__ import annotations

from . import _converters, _jsonio
from .errors import DecodeError, EncodeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    T = TypeVar("T")

__all__ = ["CodecOptions", "decode", "encode"]


class CodecOptions:
    """Validated codec options, shared by a handler's decoder and encoder."""

    __slots__ = ("escape_html", "indent", "lazy", "strict", "use_decimal")

    def __init__(
        self,
        *,
        escape_html: bool = False,
        indent: int | str | None = None,
        use_decimal: bool = False,
        strict: bool = False,
        lazy: bool = False,
    ) -> None:
        for name, flag in (
            ("escape_html", escape_html),
            ("use_decimal", use_decimal),
            ("strict", strict),
            ("lazy", lazy),
        ):
            if not isinstance(flag, bool):
                raise TypeError(f"the {name} option must be True or False, got {flag!r}")
        if strict and lazy:
            raise ValueError(
                "the strict and lazy options exclude each other: strict checks the whole "
                "event at once, lazy decodes its nested parts when they are first read"
            )
        if indent is not None:
            if isinstance(indent, bool) or not isinstance(indent, (int, str)):
                raise TypeError(f"the indent option must be None, an int or a str, got {indent!r}")
            if isinstance(indent, int):
                if indent < 0:
                    raise ValueError(f"the indent option must not be negative, got {indent}")
                indent = " " * indent
            elif indent.strip(" \t"):
                raise ValueError(f"the indent option may only hold spaces and tabs, got {indent!r}")
        self.escape_html = escape_html
        self.indent: str | None = indent
        self.use_decimal = use_decimal
        self.strict = strict
        self.lazy = lazy

    def __repr__(self) -> str:
        return (
            f"CodecOptions(escape_html={self.escape_html!r}, indent={self.indent!r}, "
            f"use_decimal={self.use_decimal!r}, strict={self.strict!r}, lazy={self.lazy!r})"
        )

    @property
    def mode(self) -> int:
        """The decoding mode these options select (``lambdago._converters.LENIENT``,
        ``STRICT`` or ``LAZY``)."""
        if self.strict:
            return _converters.STRICT
        return _converters.LAZY if self.lazy else _converters.LENIENT

    def key(self) -> tuple[bool, str | None, bool, bool, bool]:
        """A hashable summary, for caches."""
        return (self.escape_html, self.indent, self.use_decimal, self.strict, self.lazy)


_DEFAULT_OPTIONS = CodecOptions()
_DEFAULT_KEY = _DEFAULT_OPTIONS.key()


def _options(
    escape_html: bool, indent: int | str | None, use_decimal: bool, strict: bool, lazy: bool
) -> CodecOptions:
    """The options of one ``decode`` or ``encode`` call, checked.

    The common call (``encode(value)``, ``decode(data, T)``) passes every default: it gets
    the shared default options, since building and checking a :class:`CodecOptions` would
    cost more than encoding a small event does. A falsy value that is not ``False`` still
    goes through the checks (and is refused).
    """
    if (
        escape_html is False
        and indent is None
        and use_decimal is False
        and strict is False
        and lazy is False
    ):
        return _DEFAULT_OPTIONS
    return CodecOptions(
        escape_html=escape_html, indent=indent, use_decimal=use_decimal, strict=strict, lazy=lazy
    )


def make_decoder(tp: Any, options: CodecOptions = _DEFAULT_OPTIONS) -> Callable[[bytes], Any]:
    """A function decoding a JSON payload into ``tp``, built once.

    ``bytes`` means the raw payload, undecoded. Raises
    ``_converters.UnsupportedType`` when ``tp`` cannot be decoded into.
    """
    if tp is bytes:
        return _raw_payload
    typed = not (_converters.is_any(tp) and not options.strict)
    convert = _converters.decoder(tp, options.mode) if typed else None
    exact = options.use_decimal

    def decode_payload(data: bytes) -> Any:
        if not data or (data[0] in b" \t\r\n" and not data.strip()):
            raise DecodeError("the payload is empty; expected a JSON document")
        try:
            value = _jsonio.loads_exact(data) if exact else _jsonio.loads(data)
        except ValueError as exc:
            raise DecodeError(f"malformed JSON: {exc}") from None
        if convert is None:
            return value
        try:
            return convert(value)
        except _converters.Failure as failure:
            raise DecodeError(failure.reason, failure.dotted_path()) from None

    return decode_payload


def _raw_payload(data: bytes) -> bytes:
    return data


def make_encoder(options: CodecOptions = _DEFAULT_OPTIONS) -> Callable[[Any], bytes]:
    """A function encoding a value to JSON bytes under ``options``, built once."""
    indent = options.indent
    escape = options.escape_html

    def encode_value(value: Any) -> bytes:
        try:
            out = _jsonio.dumps(value) if indent is None else _jsonio.dumps_indented(value, indent)
        except (TypeError, ValueError, RecursionError) as exc:
            raise _encode_error(value, exc) from exc
        return _jsonio.escape_html(out) if escape else out

    return encode_value


def _encode_error(value: Any, exc: BaseException) -> EncodeError:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, _converters.Unencodable):
            detail = str(cause)
            break
        cause = cause.__cause__ or cause.__context__
    else:
        detail = str(exc) or exc.__class__.__name__
    outer = type(value)
    return EncodeError(
        f"cannot encode a value of type {outer.__module__}.{outer.__qualname__} as JSON: {detail}"
        if outer.__module__ != "builtins"
        else f"cannot encode a value of type {outer.__qualname__} as JSON: {detail}"
    )


_decoders: dict[tuple[Any, tuple[bool, str | None, bool, bool, bool]], Callable[[bytes], Any]] = {}
_encoders: dict[tuple[bool, str | None, bool, bool, bool], Callable[[Any], bytes]] = {}


def decode(
    data: bytes | bytearray | memoryview | str,
    type: type[T] | Any = object,
    *,
    escape_html: bool = False,
    indent: int | str | None = None,
    use_decimal: bool = False,
    strict: bool = False,
    lazy: bool = False,
) -> T:
    """Decode one JSON document into ``type`` (``Any`` / ``object``: plain JSON values).

    Raises :class:`lambdago.DecodeError` naming the position of malformed JSON or the path
    of a value that does not fit the type (``Records[0].body: expected str, got int``).
    With ``lazy=True`` the nested parts of ``lambdago.events`` types are decoded, and
    checked, when first read (see the module's docs). ``escape_html`` and ``indent`` are
    accepted, so one options dict serves both directions, and ignored.
    """
    options = _options(escape_html, indent, use_decimal, strict, lazy)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    elif not isinstance(data, bytes):
        data = bytes(data)
    try:
        key = (type, _DEFAULT_KEY if options is _DEFAULT_OPTIONS else options.key())
        fn = _decoders.get(key)
    except TypeError:
        key, fn = None, None
    if fn is None:
        try:
            fn = make_decoder(type, options)
        except _converters.UnsupportedType as exc:
            raise TypeError(str(exc)) from None
        if key is not None:
            _decoders[key] = fn
    result: T = fn(data)
    return result


def encode(
    value: Any,
    *,
    escape_html: bool = False,
    indent: int | str | None = None,
    use_decimal: bool = False,
    strict: bool = False,
    lazy: bool = False,
) -> bytes:
    """Encode ``value`` as compact UTF-8 JSON (pretty, newline-terminated with ``indent``).

    attrs classes and dataclasses become objects of their fields, ``datetime`` an RFC 3339
    string (naive values are taken as UTC), ``Decimal`` an exact number, ``UUID`` and
    ``Enum`` their value, ``bytes`` a base64 string and sets lists. Raises
    :class:`lambdago.EncodeError` naming the type that cannot be encoded. ``use_decimal``,
    ``strict`` and ``lazy`` are accepted and ignored.
    """
    options = _options(escape_html, indent, use_decimal, strict, lazy)
    key = _DEFAULT_KEY if options is _DEFAULT_OPTIONS else options.key()
    fn = _encoders.get(key)
    if fn is None:
        fn = _encoders[key] = make_encoder(options)
    return fn(value)
