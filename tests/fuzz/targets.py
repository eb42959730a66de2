"""Fuzz targets: each takes arbitrary bytes and fails (raises ``AssertionError`` or lets an
undocumented exception escape) only when lambdago misbehaves.

Every parser of untrusted input is here, with the one error type it is documented to
raise for bad input:

=====================  ==================================================  ==========================
target                 what it feeds                                       documented rejection
=====================  ==================================================  ==========================
``response_parser``    the Runtime API answer parser, in pieces            ``ProtocolError``
``context_headers``    ``Context.from_headers``                            ``ContextError``
``event_codec``        ``lambdago.decode`` into any event type, then        ``DecodeError``
                       ``encode`` and decode again                         (``EncodeError`` encoding)
``mutated_event``      a sample or conformance event, mutated structurally  ``DecodeError``
``dynamodb``           the DynamoDB attribute value codec and converters   ``DecodeError``
``handler_name``       the bootstrap's handler string parser               ``InitError``
                                                                           (``Runtime.MalformedHandlerName``)
``http11_request``     the emulator's request parser, in pieces            ``HTTPError`` (4xx/5xx)
=====================  ==================================================  ==========================

They run three ways: as hypothesis tests (tests/fuzz/test_fuzz.py, in every test run),
under atheris, coverage-guided (``python -m tests.fuzz.fuzz TARGET``), and replaying a
crash file (``python -m tests.fuzz.fuzz TARGET crash-…``). docs/reliability.md has the
commands.
"""

from __future__ import annotations

import functools
import json
import pathlib
import random
from collections.abc import Callable, Iterator
from typing import Any

import lambdago
import lambdago.events
from lambdago.context import Context
from lambdago.emulator.http11 import NEED_DATA, Closed, Data, EndOfMessage, HTTPError, RequestParser
from lambdago.errors import ContextError, DecodeError, EncodeError
from lambdago.runtime.bootstrap import InitError, parse_handler
from lambdago.runtime.protocol import MAX_HEAD_BYTES, ProtocolError, ResponseParser

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT.parent / "shared" / "conformance" / "aws-lambda-go"

# -- helpers ------------------------------------------------------------------------------------


def _cuts(data: bytes, selector: int) -> Iterator[bytes]:
    """``data`` in pieces whose sizes follow from ``selector`` (1 to 97 bytes each)."""
    if selector % 3 == 0:
        yield data
        return
    i = 0
    step = selector % 97 + 1
    while i < len(data):
        yield data[i : i + step]
        i += step
        step = (step * 7 + 3) % 97 + 1


@functools.cache
def event_types() -> tuple[type, ...]:
    """Every class lambdago.events exports that the codec decodes into."""
    found = []
    for name in lambdago.events.__all__:
        value = getattr(lambdago.events, name)
        if not isinstance(value, type):
            continue
        try:
            lambdago.decode(b"{}", value)
        except DecodeError:
            pass
        except TypeError:  # not a decodable type (an error class, a helper)
            continue
        found.append(value)
    return tuple(found)


@functools.cache
def seed_events() -> tuple[tuple[str, bytes], ...]:
    """(type name, JSON) of every sample event and every conformance file (when present)."""
    seeds = [
        (type_name, lambdago.events.sample(name))
        for name, type_name in lambdago.events.sample_names().items()
    ]
    manifest = CONFORMANCE / "manifest.json"
    if manifest.exists():
        for entry in json.loads(manifest.read_text(encoding="utf-8")):
            path = CONFORMANCE / entry["dir"] / entry["file"]
            if path.exists() and hasattr(lambdago.events, entry["type"]):
                seeds.append((entry["type"], path.read_bytes()))
    return tuple(seeds)


def _deep(depth: int, kind: str) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value] if kind == "list" else {"k": value}
    return value


# Values put at random positions of real events: wrong types, edge numbers, hostile text.
HOSTILE_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    2**63,
    2**64,
    -(2**63) - 1,
    10**30,
    1e308,
    -0.0,
    0.5,
    "",
    "\x00",
    "a\x00b",
    "\ud800",
    "\udfff",
    "\ufeff",
    "x" * 70_000,
    "1e999",
    "-1",
    "99999999999999999999999",
    "NaN",
    "2020-13-45T99:99:99Z",
    "1970-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999Z",
    [],
    {},
    [None],
    {"": None},
    {"\x00": 1},
    {"k" * 70_000: 1},
    _deep(200, "list"),
    _deep(200, "dict"),
    _deep(500, "list"),
    {"S": "x"},
    {"N": "1e9999999999"},
    {"N": "not a number"},
    {"B": "!!!not base64"},
    {"NULL": False},
    {"SS": [1]},
    {"M": _deep(100, "dict")},
    {"L": [{"L": [{"L": []}]}]},
)


# As JSON text: every use gets a fresh copy, so that no mutation can alias another.
_HOSTILE_TEXTS = tuple(
    json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass") for v in HOSTILE_VALUES
)


def _hostile(rng: random.Random) -> Any:
    return json.loads(rng.choice(_HOSTILE_TEXTS).decode("utf-8", "surrogatepass"))


def mutate_json(value: Any, rng: random.Random, rounds: int) -> Any:
    """``value`` (a decoded JSON document) with ``rounds`` structural mutations."""
    for _ in range(rounds):
        value = _mutate_once(value, rng)
    return value


def _mutate_once(value: Any, rng: random.Random) -> Any:
    # Walk down a random path, then replace, delete, add or duplicate there.
    if isinstance(value, dict) and value and rng.random() < 0.75:
        key = rng.choice(list(value))
        roll = rng.random()
        if roll < 0.1:
            del value[key]
        elif roll < 0.15:
            value[key + rng.choice(("", "X", "\x00", "\ud800"))] = _hostile(rng)
        else:
            value[key] = _mutate_once(value[key], rng)
        return value
    if isinstance(value, list) and value and rng.random() < 0.75:
        i = rng.randrange(len(value))
        roll = rng.random()
        if roll < 0.1:
            del value[i]
        elif roll < 0.2:
            value.append(json.loads(_dumps(value[i]).decode("utf-8", "surrogatepass")))
        else:
            value[i] = _mutate_once(value[i], rng)
        return value
    return _hostile(rng)


def _dumps(value: Any) -> bytes:
    # surrogatepass: lone surrogates travel as the (invalid) UTF-8 a hostile peer would send.
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


# -- the targets --------------------------------------------------------------------------------


def response_parser(data: bytes) -> None:
    """Runtime API answers: only ProtocolError, never an unbounded buffer."""
    selector = data[0] if data else 0
    parser = ResponseParser()
    try:
        for piece in _cuts(data[1:], selector):
            response = parser.feed(piece)
            while response is not None:
                assert 100 <= response.status <= 999, response
                assert all(k == k.lower() for k in response.headers)
                response = parser.feed(b"")
            # Head bytes are bounded; a body of known length may be buffered up to its length.
            assert parser._head is not None or parser.pending <= MAX_HEAD_BYTES + 100
        parser.eof()
    except ProtocolError as exc:
        assert str(exc), "a ProtocolError without a message"


_CONTEXT_HEADERS = (
    "Lambda-Runtime-Aws-Request-Id",
    "Lambda-Runtime-Deadline-Ms",
    "Lambda-Runtime-Invoked-Function-Arn",
    "Lambda-Runtime-Trace-Id",
    "Lambda-Runtime-Client-Context",
    "Lambda-Runtime-Cognito-Identity",
    "Lambda-Runtime-Aws-Tenant-Id",
)


def context_headers(data: bytes) -> None:
    """``Context.from_headers`` on header values as the answer parser would give them."""
    headers: dict[str, str] = {}
    for line in data.split(b"\n"):
        if not line:
            continue
        name = _CONTEXT_HEADERS[line[0] % len(_CONTEXT_HEADERS)]
        if line[0] & 0x80:
            name = name.upper()
        headers[name] = line[1:].decode("utf-8", "surrogateescape")
    try:
        ctx = Context.from_headers(headers)
    except ContextError as exc:
        assert str(exc)
        return
    lowered = {k.lower(): v for k, v in headers.items()}
    assert ctx.aws_request_id == lowered["lambda-runtime-aws-request-id"]
    assert isinstance(ctx.deadline_ms, int)
    ctx.get_remaining_time_in_millis()
    repr(ctx)


def _decode_encode(data: bytes, cls: Any, **options: Any) -> None:
    try:
        value = lambdago.decode(data, cls, **options)
    except DecodeError as exc:
        assert str(exc)
        return
    assert not isinstance(cls, type) or isinstance(value, cls)
    try:
        encoded = lambdago.encode(value)
    except EncodeError as exc:
        # A decoded event must come back out, unless it is nested too deeply for the
        # encoder (hundreds of levels: see docs/reliability.md, "Nesting").
        if "recursion" in str(exc).lower():
            return
        raise AssertionError(f"{cls.__name__} decoded but does not encode: {exc}") from exc
    again = lambdago.decode(encoded, cls, **options)  # what we wrote, we read
    assert lambdago.encode(again) == encoded, f"{cls.__name__}: encoding is not stable"


def event_codec(data: bytes) -> None:
    """Any bytes, decoded into an event type chosen by the first two bytes."""
    types = event_types()
    if len(data) < 2:
        return
    cls = types[int.from_bytes(data[:2], "big") % len(types)]
    options = {"strict": True} if data[0] & 0x80 else {}
    _decode_encode(data[2:], cls, **options)


def mutated_event(data: bytes) -> None:
    """A real event (sample or conformance file) mutated structurally, seeded by ``data``."""
    seeds = seed_events()
    if len(data) < 4:
        return
    rng = random.Random(data)
    type_name, raw = seeds[int.from_bytes(data[:2], "big") % len(seeds)]
    try:
        document = json.loads(raw)
    except ValueError:  # a conformance file that must fail to decode
        _decode_encode(raw, getattr(lambdago.events, type_name))
        return
    document = mutate_json(document, rng, 1 + data[2] % 4)
    payload = _dumps(document)
    _decode_encode(payload, getattr(lambdago.events, type_name))
    if data[3] & 1:  # and into a type it was not written for
        types = event_types()
        _decode_encode(payload, types[data[3] % len(types)])


def dynamodb(data: bytes) -> None:
    """The DynamoDB attribute value codec: decoding, accessors, converters, round trips."""
    from lambdago.events.dynamodb import (
        DynamoDBAttributeValue,
        dynamodb_from_python,
        dynamodb_to_python,
    )

    try:
        image = lambdago.decode(data, dict[str, DynamoDBAttributeValue])
    except DecodeError as exc:
        assert str(exc)
        return
    try:
        encoded = lambdago.encode(image)
    except EncodeError as exc:  # hundreds of levels deep (DynamoDB itself allows 32)
        assert "recursion" in str(exc).lower(), exc
        return
    again = lambdago.decode(encoded, dict[str, DynamoDBAttributeValue])
    try:
        assert again == image
    except RecursionError:
        # Comparing hundreds of levels is deeper than Python's own == goes (as for nested
        # lists); the round trip is then checked on the encoded bytes instead.
        assert lambdago.encode(again) == encoded
    for integral in (False, True):
        try:
            plain = dynamodb_to_python(image, integral_as_int=integral)
        except DecodeError as exc:  # an invalid number string, or hundreds of levels deep
            assert "number" in str(exc) or "nested more deeply" in str(exc), exc
            continue
        try:
            back = dynamodb_from_python(plain)
        except ValueError as exc:  # an empty SS/NS/BS decodes, but has no DynamoDB type
            assert "empty set" in str(exc) or "nested more deeply" in str(exc), exc
            continue
        assert set(back) == set(image)
    for value in image.values():
        repr(value)
        value.data_type  # noqa: B018
        try:
            value.to_python(integral_as_int=True)
        except DecodeError:
            pass
        if value.data_type == "N":
            for accessor in (value.as_decimal, value.as_int, value.as_float):
                try:
                    accessor()
                except ValueError as exc:  # not a number, out of range, not integral
                    assert "DynamoDB number" in str(exc)


def handler_name(data: bytes) -> None:
    """The bootstrap's handler string: parsed, or Runtime.MalformedHandlerName."""
    text = data.decode("utf-8", "surrogateescape")
    try:
        spec = parse_handler(text)
    except InitError as exc:
        assert exc.error_type == "Runtime.MalformedHandlerName", exc.error_type
        assert exc.message.startswith("Bad handler ")
        return
    assert spec.attribute and all(part.isidentifier() for part in spec.attribute.split("."))
    assert (spec.module is None) != (spec.path is None)


def http11_request(data: bytes) -> None:
    """The emulator's request parser: events, or HTTPError with a 4xx/5xx status."""
    selector = data[0] if data else 0
    parser = RequestParser()
    try:
        for piece in _cuts(data[1:], selector):
            parser.feed(piece)
            while True:
                event = parser.next_event()
                if event is NEED_DATA or isinstance(event, Closed):
                    break
                assert isinstance(event, (Data, EndOfMessage)) or event.method
            assert parser.buffered <= len(data)
        parser.feed_eof()
        while True:
            event = parser.next_event()
            if event is NEED_DATA or isinstance(event, Closed):
                break
    except HTTPError as exc:
        assert 400 <= exc.status < 600, exc.status
        assert exc.message


TARGETS: dict[str, Callable[[bytes], None]] = {
    "response_parser": response_parser,
    "context_headers": context_headers,
    "event_codec": event_codec,
    "mutated_event": mutated_event,
    "dynamodb": dynamodb,
    "handler_name": handler_name,
    "http11_request": http11_request,
}
