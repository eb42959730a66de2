"""The event stream framing the emulator writes for InvokeWithResponseStream, without
sockets: round trips, the exact bytes of a known message, and corrupted input refused."""

from __future__ import annotations

import json
import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambdago.emulator.eventstream import (
    EventStreamError,
    decode_messages,
    encode_message,
    invoke_complete,
    payload_chunk,
)

_names = st.text(min_size=1, max_size=40).filter(lambda s: len(s.encode()) <= 255)
_values = st.text(max_size=200)


def test_a_message_is_laid_out_as_aws_specifies() -> None:
    data = encode_message([(":event-type", "PayloadChunk")], b"hi")
    header = b"\x0b:event-type" + b"\x07" + struct.pack(">H", 12) + b"PayloadChunk"
    total = 12 + len(header) + 2 + 4
    assert data[:8] == struct.pack(">II", total, len(header))
    assert data[8:12] == struct.pack(">I", zlib.crc32(data[:8]))
    assert data[12 : 12 + len(header)] == header
    assert data[12 + len(header) : -4] == b"hi"
    assert data[-4:] == struct.pack(">I", zlib.crc32(data[:-4]))
    assert len(data) == total


@given(st.lists(st.tuples(_names, _values), max_size=6, unique_by=lambda h: h[0]), st.binary())
def test_messages_round_trip(headers: list[tuple[str, str]], payload: bytes) -> None:
    data = encode_message(headers, payload)
    messages, rest = decode_messages(data + data[:5])
    assert rest == data[:5]  # an incomplete message waits for more bytes
    assert len(messages) == 1
    assert messages[0].headers == dict(headers)
    assert messages[0].payload == payload


@given(st.binary(min_size=1, max_size=300), st.data())
def test_any_flipped_byte_is_refused_or_waits(payload: bytes, data: st.DataObject) -> None:
    message = bytearray(payload_chunk(payload))
    i = data.draw(st.integers(0, len(message) - 1))
    message[i] ^= data.draw(st.integers(1, 255))
    try:
        messages, rest = decode_messages(bytes(message))
    except EventStreamError:
        return
    # A corrupted length can only make the decoder wait for bytes that never come.
    assert messages == [] and rest == bytes(message)


@given(st.binary(max_size=200))
def test_random_bytes_never_crash_the_decoder(data: bytes) -> None:
    try:
        decode_messages(data)
    except EventStreamError:
        pass


def test_the_two_lambda_events() -> None:
    (chunk,), _ = decode_messages(payload_chunk(b"\x00\x01"))
    assert chunk.event_type == "PayloadChunk"
    assert chunk.headers == {
        ":event-type": "PayloadChunk",
        ":content-type": "application/octet-stream",
        ":message-type": "event",
    }
    assert chunk.payload == b"\x00\x01"
    (done,), _ = decode_messages(invoke_complete())
    assert done.event_type == "InvokeComplete"
    assert done.headers[":content-type"] == "application/json"
    assert json.loads(done.payload) == {}
    (failed,), _ = decode_messages(invoke_complete("ValueError", "boom", "bG9n"))
    assert json.loads(failed.payload) == {
        "ErrorCode": "ValueError",
        "ErrorDetails": "boom",
        "LogResult": "bG9n",
    }


def test_oversized_headers_are_refused() -> None:
    with pytest.raises(EventStreamError, match="too long"):
        encode_message([("x" * 256, "v")], b"")
    with pytest.raises(EventStreamError, match="too long"):
        encode_message([("x", "v" * 65536)], b"")
