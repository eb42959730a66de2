"""HTTP/1.1 for the emulator's servers, sans-IO: bytes in, events out; no sockets here.

:class:`RequestParser` turns the bytes a client sends into a stream of events, one
request after another on a keep-alive connection::

    parser.feed(data)            # b"" is not EOF; call feed_eof() for that
    while (event := parser.next_event()) is not NEED_DATA:
        ...                      # RequestHead, then Data*, then EndOfMessage; or Closed

A malformed request raises :class:`HTTPError` carrying the 4xx/5xx status to answer
with; the connection must then be closed (the parser cannot find the next request in
garbage, and stays failed). Limits (:class:`Limits`) bound every buffer: the request line,
the header section, the number of headers, chunk-size lines and trailers. The body's size
is the application's business (a Lambda payload limit is not an HTTP one): the parser
hands the body out in :class:`Data` events as it arrives and never buffers more of it
than one ``feed``.

:func:`response_head` and :func:`chunk` build what the server writes back.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Final

__all__ = [
    "NEED_DATA",
    "Closed",
    "Data",
    "EndOfMessage",
    "Event",
    "HTTPError",
    "Limits",
    "RequestHead",
    "RequestParser",
    "chunk",
    "last_chunk",
    "reason_phrase",
    "response_head",
]


class HTTPError(Exception):
    """The request is malformed or unacceptable: answer ``status`` and close."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may hold before it is refused."""

    max_request_line: int = 8 * 1024  # 414 beyond
    max_header_bytes: int = 64 * 1024  # the whole header section; 431 beyond
    max_headers: int = 100  # 431 beyond
    max_chunk_line: int = 4 * 1024  # a chunk-size line, extensions included; 400 beyond
    max_trailer_bytes: int = 16 * 1024  # 431 beyond


DEFAULT_LIMITS: Final = Limits()


@dataclass(slots=True)
class RequestHead:
    """The request line and headers (names lower-cased, values as sent, OWS stripped)."""

    method: str
    target: str
    version: str  # "1.1" or "1.0"
    headers: list[tuple[str, str]]
    keep_alive: bool
    expect_continue: bool
    content_length: int | None  # None for chunked (or no body)
    chunked: bool
    _index: dict[str, str] = field(default_factory=dict, repr=False)

    def get(self, name: str, default: str | None = None) -> str | None:
        """A header by lower-case name; repeated headers are joined with ``", "``."""
        if not self._index and self.headers:
            index: dict[str, str] = {}
            for key, value in self.headers:
                index[key] = f"{index[key]}, {value}" if key in index else value
            self._index = index
        return self._index.get(name, default)

    @property
    def path(self) -> str:
        """The target without its query string."""
        return self.target.partition("?")[0]

    @property
    def has_body(self) -> bool:
        """Whether Data events may follow."""
        return self.chunked or bool(self.content_length)


@dataclass(frozen=True, slots=True)
class Data:
    """A piece of the body, in order."""

    data: bytes


@dataclass(frozen=True, slots=True)
class EndOfMessage:
    """The request is complete (``trailers`` from a chunked body, lower-case names)."""

    trailers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Closed:
    """The client closed the connection between requests (a clean end)."""


class _NeedData(enum.Enum):
    NEED_DATA = "NEED_DATA"


NEED_DATA: Final = _NeedData.NEED_DATA
"""Returned by :meth:`RequestParser.next_event` until more bytes are fed."""

Event = RequestHead | Data | EndOfMessage | Closed


class _State(enum.Enum):
    HEAD = 1
    BODY = 2
    CHUNK_SIZE = 3
    CHUNK_DATA = 4
    CHUNK_END = 5
    TRAILERS = 6
    CLOSED = 7
    FAILED = 8


# Validation runs in C (bytes.translate, re) rather than byte by byte in Python: it is on
# the path of every request.
_TOKEN = b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_HEX = b"0123456789abcdefABCDEF"
_BAD_VALUE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")  # CTLs but HTAB, and DEL
_BAD_TARGET = re.compile(rb"[\x00-\x20\x7f-\xff]")
_MAX_LENGTH_DIGITS = 18  # Content-Length beyond 10**18 is nonsense, and int() stays cheap


def _is_token(value: bytes) -> bool:
    return bool(value) and not value.translate(None, _TOKEN)


def _bad_value(value: bytes) -> bool:
    """Control characters (other than HTAB) or DEL in a field value."""
    return _BAD_VALUE.search(value) is not None


def _split_list(value: str) -> list[str]:
    return [part.strip().lower() for part in value.split(",") if part.strip()]


class RequestParser:
    """Incremental HTTP/1.1 request parser for one connection (see the module doc)."""

    __slots__ = ("_buf", "_eof", "_error", "_limits", "_remaining", "_scan", "_state")

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self._limits = limits
        self._buf = bytearray()
        self._eof = False
        self._state = _State.HEAD
        self._remaining = 0  # body bytes (BODY) or chunk bytes (CHUNK_DATA) still due
        self._scan = 0  # where the search for the end of the head resumes
        self._error: HTTPError | None = None

    # -- input ------------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """Add bytes received from the client."""
        if data:
            if self._eof:
                raise RuntimeError("feed() after feed_eof()")
            self._buf += data

    def feed_eof(self) -> None:
        """The client closed its side of the connection."""
        self._eof = True

    @property
    def buffered(self) -> int:
        """Bytes received and not yet turned into events."""
        return len(self._buf)

    # -- output -----------------------------------------------------------------------------

    def next_event(self) -> Event | _NeedData:
        """The next event, :data:`NEED_DATA`, or :class:`HTTPError` for a bad request."""
        if self._error is not None:
            raise self._error
        try:
            return self._next()
        except HTTPError as exc:
            self._state = _State.FAILED
            self._error = exc
            self._buf.clear()
            raise

    def _next(self) -> Event | _NeedData:
        state = self._state
        if state is _State.HEAD:
            return self._head()
        if state is _State.BODY:
            return self._body()
        if state is _State.CHUNK_SIZE:
            return self._chunk_size()
        if state is _State.CHUNK_DATA:
            return self._chunk_data()
        if state is _State.CHUNK_END:
            return self._chunk_end()
        if state is _State.TRAILERS:
            return self._trailers()
        return Closed()

    # -- the head ---------------------------------------------------------------------------

    def _head(self) -> Event | _NeedData:
        buf = self._buf
        # Empty lines before a request line are ignored (RFC 9112, 2.2).
        skip = 0
        while skip < len(buf) and buf[skip] in (0x0D, 0x0A):
            skip += 1
        if skip:
            del buf[:skip]
            self._scan = 0
        if not buf:
            if self._eof:
                self._state = _State.CLOSED
                return Closed()
            return NEED_DATA
        end, sep = self._find_blank_line()
        if end < 0:
            limits = self._limits
            first_line_end = buf.find(b"\n")
            space = buf.find(b" ", 0, first_line_end if first_line_end >= 0 else len(buf))
            if not _is_token(bytes(buf[: space if space >= 0 else min(len(buf), 32)])):
                raise HTTPError(400, "not an HTTP request")  # TLS, binary noise: say so now
            if first_line_end < 0:
                if len(buf) > limits.max_request_line:
                    raise HTTPError(414, "request line too long")
            elif first_line_end > limits.max_request_line + 1:
                raise HTTPError(414, "request line too long")
            elif len(buf) - first_line_end > limits.max_header_bytes:
                raise HTTPError(431, "request header section too large")
            if self._eof:
                raise HTTPError(400, "connection closed in the middle of a request head")
            return NEED_DATA
        head = bytes(buf[:end])
        del buf[: end + sep]
        self._scan = 0
        return self._parse_head(head)

    def _find_blank_line(self) -> tuple[int, int]:
        """Where the head ends (index of its last line break) and the separator length."""
        buf = self._buf
        start = max(0, self._scan - 3)
        pos = buf.find(b"\n", start)
        while pos >= 0:
            if pos + 1 < len(buf) and buf[pos + 1] == 0x0A:
                return pos, 2  # "\n\n"
            if pos + 2 < len(buf) and buf[pos + 1] == 0x0D and buf[pos + 2] == 0x0A:
                return pos, 3  # "\n\r\n"
            if pos + 2 >= len(buf):
                break  # the separator may still be arriving
            pos = buf.find(b"\n", pos + 1)
        self._scan = len(buf)
        return -1, 0

    def _parse_head(self, head: bytes) -> RequestHead:
        limits = self._limits
        lines = head.split(b"\n")
        request_line = lines[0].removesuffix(b"\r")
        if len(request_line) > limits.max_request_line:
            raise HTTPError(414, "request line too long")
        if len(head) - len(lines[0]) > limits.max_header_bytes:
            raise HTTPError(431, "request header section too large")
        if len(lines) - 1 > limits.max_headers:
            raise HTTPError(431, f"more than {limits.max_headers} request headers")
        method, target, version = self._request_line(request_line)
        headers: list[tuple[str, str]] = []
        for raw in lines[1:]:
            line = raw.removesuffix(b"\r")
            if not line:
                continue
            if line[0] in (0x20, 0x09):
                raise HTTPError(400, "obsolete line folding in a header")
            name, colon, value = line.partition(b":")
            if not colon:
                raise HTTPError(400, "header line without a colon")
            if not _is_token(name):
                raise HTTPError(400, "invalid header name")
            value = value.strip(b" \t")
            if _bad_value(value):
                raise HTTPError(400, "control character in a header value")
            headers.append((name.decode("ascii").lower(), value.decode("latin-1")))
        return self._begin(method, target, version, headers)

    @staticmethod
    def _request_line(line: bytes) -> tuple[str, str, str]:
        parts = line.split(b" ")
        if len(parts) != 3:
            raise HTTPError(400, "malformed request line")
        method, target, version = parts
        if not _is_token(method):
            raise HTTPError(400, "invalid method")
        if not target or _BAD_TARGET.search(target) is not None:
            raise HTTPError(400, "invalid request target")
        if version == b"HTTP/1.1":
            v = "1.1"
        elif version == b"HTTP/1.0":
            v = "1.0"
        elif (
            version.startswith(b"HTTP/")
            and len(version) == 8
            and version[5:6].isdigit()
            and version[6:7] == b"."
            and version[7:8].isdigit()
        ):
            raise HTTPError(505, "HTTP version not supported")
        else:
            raise HTTPError(400, "malformed HTTP version")
        return method.decode("ascii"), target.decode("ascii"), v

    def _begin(
        self, method: str, target: str, version: str, headers: list[tuple[str, str]]
    ) -> RequestHead:
        lengths: list[str] = []
        codings: list[str] = []
        connection: list[str] = []
        expect: list[str] = []
        hosts = 0
        for name, value in headers:
            if name == "content-length":
                lengths.extend(v.strip() for v in value.split(","))
            elif name == "transfer-encoding":
                codings.extend(_split_list(value))
            elif name == "connection":
                connection.extend(_split_list(value))
            elif name == "expect":
                expect.extend(_split_list(value))
            elif name == "host":
                hosts += 1
        if hosts > 1:
            raise HTTPError(400, "more than one Host header")
        chunked = False
        content_length: int | None = None
        if codings:
            if lengths:
                raise HTTPError(400, "both Content-Length and Transfer-Encoding")
            if version == "1.0":
                raise HTTPError(400, "Transfer-Encoding in an HTTP/1.0 request")
            if codings != ["chunked"]:
                if codings[-1] != "chunked":
                    raise HTTPError(400, "a request body's last transfer coding must be chunked")
                raise HTTPError(501, f"unsupported transfer coding {codings[0]!r}")
            chunked = True
        elif lengths:
            for text in lengths:
                if not text.isdigit() or not text.isascii() or len(text) > _MAX_LENGTH_DIGITS:
                    raise HTTPError(400, "invalid Content-Length")
            values = {int(text) for text in lengths}
            if len(values) != 1:
                raise HTTPError(400, "conflicting Content-Length values")
            content_length = values.pop()
        expect_continue = False
        if expect:
            if expect != ["100-continue"]:
                raise HTTPError(417, "unsupported expectation")
            expect_continue = version == "1.1"
        if version == "1.1":
            keep_alive = "close" not in connection
        else:
            keep_alive = "keep-alive" in connection and "close" not in connection
        head = RequestHead(
            method=method,
            target=target,
            version=version,
            headers=headers,
            keep_alive=keep_alive,
            expect_continue=expect_continue,
            content_length=content_length,
            chunked=chunked,
        )
        if chunked:
            self._state = _State.CHUNK_SIZE
        elif content_length:
            self._state = _State.BODY
            self._remaining = content_length
        else:
            self._state = _State.BODY
            self._remaining = 0
        return head

    # -- the body ---------------------------------------------------------------------------

    def _take(self, n: int) -> bytes:
        buf = self._buf
        if n >= len(buf):
            data = bytes(buf)
            buf.clear()
        else:
            data = bytes(buf[:n])
            del buf[:n]
        return data

    def _end_message(self, trailers: tuple[tuple[str, str], ...] = ()) -> EndOfMessage:
        self._state = _State.HEAD
        self._remaining = 0
        return EndOfMessage(trailers)

    def _body(self) -> Event | _NeedData:
        if self._remaining == 0:
            return self._end_message()
        if not self._buf:
            if self._eof:
                raise HTTPError(400, "connection closed in the middle of a request body")
            return NEED_DATA
        data = self._take(self._remaining)
        self._remaining -= len(data)
        return Data(data)

    def _chunk_size(self) -> Event | _NeedData:
        buf = self._buf
        end = buf.find(b"\n")
        if end < 0:
            if len(buf) > self._limits.max_chunk_line:
                raise HTTPError(400, "chunk-size line too long")
            if self._eof:
                raise HTTPError(400, "connection closed in the middle of a chunked body")
            return NEED_DATA
        if end > self._limits.max_chunk_line:
            raise HTTPError(400, "chunk-size line too long")
        line = bytes(buf[:end]).removesuffix(b"\r")
        del buf[: end + 1]
        size_text, _semi, extension = line.partition(b";")
        size_text = size_text.rstrip(b" \t")
        if not size_text or len(size_text) > 16 or size_text.translate(None, _HEX):
            raise HTTPError(400, "invalid chunk size")
        if _bad_value(extension):
            raise HTTPError(400, "control character in a chunk extension")
        size = int(size_text, 16)
        if size == 0:
            self._state = _State.TRAILERS
            return self._trailers()
        self._state = _State.CHUNK_DATA
        self._remaining = size
        return self._chunk_data()

    def _chunk_data(self) -> Event | _NeedData:
        if not self._buf:
            if self._eof:
                raise HTTPError(400, "connection closed in the middle of a chunked body")
            return NEED_DATA
        data = self._take(self._remaining)
        self._remaining -= len(data)
        if self._remaining == 0:
            self._state = _State.CHUNK_END
        return Data(data)

    def _chunk_end(self) -> Event | _NeedData:
        buf = self._buf
        if buf[:2] == b"\r\n":
            del buf[:2]
        elif buf[:1] == b"\n":
            del buf[:1]
        elif len(buf) == 0 or (len(buf) == 1 and buf[0] == 0x0D):
            if self._eof:
                raise HTTPError(400, "connection closed in the middle of a chunked body")
            return NEED_DATA
        else:
            raise HTTPError(400, "chunk data not followed by a line break")
        self._state = _State.CHUNK_SIZE
        return self._chunk_size()

    def _trailers(self) -> Event | _NeedData:
        buf = self._buf
        # The trailer section: header lines up to an empty line (often just the empty line).
        pos = 0
        trailers: list[tuple[str, str]] = []
        while True:
            end = buf.find(b"\n", pos)
            if end < 0:
                if len(buf) > self._limits.max_trailer_bytes:
                    raise HTTPError(431, "chunked trailer section too large")
                if self._eof:
                    raise HTTPError(400, "connection closed in the middle of a chunked body")
                return NEED_DATA
            if end > self._limits.max_trailer_bytes:
                raise HTTPError(431, "chunked trailer section too large")
            line = bytes(buf[pos:end]).removesuffix(b"\r")
            pos = end + 1
            if not line:
                break
            if len(trailers) >= self._limits.max_headers:
                raise HTTPError(431, "too many trailer fields")
            name, colon, value = line.partition(b":")
            if not colon or not _is_token(name):
                raise HTTPError(400, "malformed trailer field")
            value = value.strip(b" \t")
            if _bad_value(value):
                raise HTTPError(400, "control character in a trailer value")
            trailers.append((name.decode("ascii").lower(), value.decode("latin-1")))
        del buf[:pos]
        return self._end_message(tuple(trailers))


# -- writing ----------------------------------------------------------------------------------

_REASONS: Final = {
    100: "Continue",
    200: "OK",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    413: "Content Too Large",
    414: "URI Too Long",
    417: "Expectation Failed",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    505: "HTTP Version Not Supported",
}


def reason_phrase(status: int) -> str:
    """The standard reason phrase for ``status`` (``"Unknown"`` when there is none)."""
    return _REASONS.get(status, "Unknown")


def response_head(
    status: int,
    headers: list[tuple[str, str]],
    *,
    content_length: int | None,
    keep_alive: bool,
    version: str = "1.1",
) -> bytes:
    """The status line and headers of an answer, with its framing headers added.

    ``content_length=None`` means a chunked body follows (write :func:`chunk` pieces and
    :func:`last_chunk`); 204 and 304 answers never carry framing.
    """
    lines = [f"HTTP/1.1 {status} {reason_phrase(status)}"]
    for name, value in headers:
        if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
            raise ValueError(f"line break in header {name!r}")
        lines.append(f"{name}: {value}")
    if status not in (204, 304) and not 100 <= status < 200:
        if content_length is None:
            lines.append("Transfer-Encoding: chunked")
        else:
            lines.append(f"Content-Length: {content_length}")
    if not keep_alive:
        lines.append("Connection: close")
    elif version == "1.0":
        lines.append("Connection: keep-alive")
    lines.append("")
    lines.append("")
    return "\r\n".join(lines).encode("latin-1")


def chunk(data: bytes) -> bytes:
    """One piece of a chunked body (empty data gives nothing: it would end the body)."""
    if not data:
        return b""
    return b"%x\r\n%s\r\n" % (len(data), data)


def last_chunk(trailers: list[tuple[str, str]] | None = None) -> bytes:
    """The end of a chunked body, with ``trailers`` (name, value) if any."""
    if not trailers:
        return b"0\r\n\r\n"
    lines = ["0"]
    for name, value in trailers:
        if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
            raise ValueError(f"line break in trailer {name!r}")
        lines.append(f"{name}: {value}")
    lines.append("")
    lines.append("")
    return "\r\n".join(lines).encode("latin-1")
