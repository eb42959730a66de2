"""AWS event stream framing (``application/vnd.amazon.eventstream``), sans-IO.

Lambda's ``InvokeWithResponseStream`` answers with a sequence of such messages instead of
a plain body: one ``PayloadChunk`` event per piece of the function's response, then one
``InvokeComplete`` event saying whether the invocation failed. The AWS SDKs (botocore,
the JavaScript, Go, Rust and Java SDKs) decode it, so the emulator must write it to the
byte.

A message is::

    total length      uint32, big-endian (the whole message, these 4 bytes included)
    headers length    uint32, big-endian
    prelude CRC       CRC-32 of the 8 bytes above
    headers           name length (uint8), name, value type (uint8), value
    payload
    message CRC       CRC-32 of everything before it

Only string header values (type 7: uint16 length, UTF-8 bytes) are written; the reader
here knows the other types well enough to skip them.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass, field

__all__ = [
    "EventStreamError",
    "Message",
    "decode_messages",
    "encode_message",
    "invoke_complete",
    "payload_chunk",
]

_STRING = 7
_PRELUDE = struct.Struct(">II")
# Byte lengths of the fixed-size header value types (0 and 1 are true and false: no value).
_FIXED_SIZES = {0: 0, 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16}
MAX_MESSAGE = 16 * 1024 * 1024  # what the SDKs accept for one message


class EventStreamError(ValueError):
    """Bytes that are not a well-formed event stream message."""


@dataclass(slots=True)
class Message:
    """One decoded message: its headers (string values only) and payload."""

    headers: dict[str, str] = field(default_factory=dict)
    payload: bytes = b""

    @property
    def event_type(self) -> str | None:
        """The ``:event-type`` header (``PayloadChunk``, ``InvokeComplete``)."""
        return self.headers.get(":event-type")


def encode_message(headers: list[tuple[str, str]], payload: bytes) -> bytes:
    """One message with string-valued ``headers`` and ``payload``."""
    encoded = bytearray()
    for name, value in headers:
        raw_name = name.encode("utf-8")
        raw_value = value.encode("utf-8")
        if len(raw_name) > 255 or len(raw_value) > 65535:
            raise EventStreamError(f"header {name!r} is too long for an event stream message")
        encoded += bytes((len(raw_name),)) + raw_name + bytes((_STRING,))
        encoded += struct.pack(">H", len(raw_value)) + raw_value
    total = 12 + len(encoded) + len(payload) + 4
    prelude = _PRELUDE.pack(total, len(encoded))
    head = prelude + struct.pack(">I", zlib.crc32(prelude)) + encoded
    crc = zlib.crc32(payload, zlib.crc32(head))
    return head + payload + struct.pack(">I", crc)


def _event(event_type: str, content_type: str, payload: bytes) -> bytes:
    return encode_message(
        [
            (":event-type", event_type),
            (":content-type", content_type),
            (":message-type", "event"),
        ],
        payload,
    )


def payload_chunk(data: bytes) -> bytes:
    """A ``PayloadChunk`` event carrying ``data``, a piece of the function's response."""
    return _event("PayloadChunk", "application/octet-stream", data)


def invoke_complete(
    error_code: str | None = None, error_details: str | None = None, log_result: str | None = None
) -> bytes:
    """The ``InvokeComplete`` event that ends the stream.

    ``error_code`` and ``error_details`` are set when the invocation failed;
    ``log_result`` is the base64 log tail when the caller asked for it.
    """
    body: dict[str, str] = {}
    if error_code:
        body["ErrorCode"] = error_code
    if error_details:
        body["ErrorDetails"] = error_details
    if log_result:
        body["LogResult"] = log_result
    return _event("InvokeComplete", "application/json", json.dumps(body).encode("utf-8"))


def decode_messages(data: bytes) -> tuple[list[Message], bytes]:
    """The complete messages at the start of ``data``, and the bytes left over.

    Raises :class:`EventStreamError` for a length, a CRC or a header that is wrong.
    """
    messages: list[Message] = []
    view = memoryview(data)
    offset = 0
    while len(data) - offset >= 12:
        total, headers_length = _PRELUDE.unpack_from(data, offset)
        (prelude_crc,) = struct.unpack_from(">I", data, offset + 8)
        if zlib.crc32(view[offset : offset + 8]) != prelude_crc:
            raise EventStreamError("prelude CRC mismatch")
        if total < 16 + headers_length or total > MAX_MESSAGE:
            raise EventStreamError(f"impossible message length {total}")
        if len(data) - offset < total:
            break
        end = offset + total
        (message_crc,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(view[offset : end - 4]) != message_crc:
            raise EventStreamError("message CRC mismatch")
        headers_start = offset + 12
        headers = _decode_headers(bytes(view[headers_start : headers_start + headers_length]))
        payload = bytes(view[headers_start + headers_length : end - 4])
        messages.append(Message(headers, payload))
        offset = end
    return messages, bytes(view[offset:])


def _decode_headers(raw: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    i = 0
    try:
        while i < len(raw):
            name_length = raw[i]
            name = raw[i + 1 : i + 1 + name_length].decode("utf-8")
            i += 1 + name_length
            kind = raw[i]
            i += 1
            if kind in (6, _STRING):  # byte array, string: uint16 length
                (length,) = struct.unpack_from(">H", raw, i)
                value = raw[i + 2 : i + 2 + length]
                if len(value) != length:
                    raise EventStreamError("header value cut short")
                i += 2 + length
                if kind == _STRING:
                    headers[name] = value.decode("utf-8")
            elif kind in _FIXED_SIZES:
                i += _FIXED_SIZES[kind]
            else:
                raise EventStreamError(f"unknown header value type {kind}")
    except (IndexError, struct.error, UnicodeDecodeError) as exc:
        raise EventStreamError(f"malformed headers: {exc}") from None
    if i != len(raw):
        raise EventStreamError("header value cut short")
    return headers
