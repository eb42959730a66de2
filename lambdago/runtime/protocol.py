"""The Lambda Runtime API as bytes: requests that know how to become HTTP, and a parser
for the answers. No sockets here (h11's sans-IO style), so all of it is tested without a
network and the transport stays a thin loop around ``send`` and ``recv``.

Every request is a small value with ``to_bytes(host)``; the bytes of the most frequent
one, ``GET /next``, are built once per connection.
"""

from __future__ import annotations

from .. import _version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "ErrorRequest",
    "ExtensionNextRequest",
    "InitErrorRequest",
    "NextRequest",
    "ProtocolError",
    "RegisterExtensionRequest",
    "Response",
    "ResponseParser",
    "ResponseRequest",
    "StreamingResponseRequest",
    "quote_request_id",
]

API_VERSION = "2018-06-01"
EXTENSION_API_VERSION = "2020-01-01"
CONTENT_TYPE_JSON = "application/json"
HEADER_ERROR_TYPE = "Lambda-Runtime-Function-Error-Type"
HEADER_XRAY_CAUSE = "Lambda-Runtime-Function-XRay-Error-Cause"
HEADER_RESPONSE_MODE = "Lambda-Runtime-Function-Response-Mode"
TRAILER_ERROR_TYPE = "Lambda-Runtime-Function-Error-Type"
TRAILER_ERROR_BODY = "Lambda-Runtime-Function-Error-Body"
XRAY_CAUSE_LIMIT = 1024 * 1024  # the cause is sent only when smaller than this

# Limits on what we accept from the Runtime API: generous for real answers (the client
# context header alone may be ~3.5 KB), small enough that a broken peer cannot make the
# runtime buffer without bound.
MAX_HEAD_BYTES = 1024 * 1024
MAX_HEADERS = 256


def user_agent() -> str:
    """``lambdago/<version> python/<version>``, sent on every Runtime API call."""
    import sys

    v = sys.version_info
    return f"lambdago/{_version.__version__} python/{v.major}.{v.minor}.{v.micro}"


_SAFE_ID_TEXT = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
_SAFE_ID_CHARS = frozenset(_SAFE_ID_TEXT)


def quote_request_id(request_id: str) -> str:
    """The request id made safe for a URL path segment (percent-encoding anything odd).

    Lambda's ids are UUIDs, which pass unchanged; a malformed id must never be able to
    break the request line (a space or CR/LF would otherwise inject into HTTP).
    """
    if not request_id.strip(_SAFE_ID_TEXT):  # nothing left: only safe characters
        return request_id
    return "".join(
        c if c in _SAFE_ID_CHARS else "".join(f"%{b:02X}" for b in c.encode("utf-8"))
        for c in request_id
    )


_common_cache: dict[str, str] = {}


def common_headers(host: str) -> str:
    """``Host`` and ``User-Agent`` lines, the same on every request: built once per host."""
    common = _common_cache.get(host)
    if common is None:
        common = _common_cache[host] = f"Host: {host}\r\nUser-Agent: {user_agent()}\r\n"
    return common


def _head(
    method: str, path: str, host: str, headers: Sequence[tuple[str, str]], length: int | None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1\r\n{common_headers(host)}"]
    for name, value in headers:
        if "\r" in value or "\n" in value:
            raise ValueError(f"header {name} holds a line break")
        lines.append(f"{name}: {value}\r\n")
    if length is not None:
        lines.append(f"Content-Length: {length}\r\n")
    lines.append("\r\n")
    return "".join(lines).encode("latin-1", "backslashreplace")


class NextRequest:
    """``GET /2018-06-01/runtime/invocation/next``: wait for the next invocation."""

    __slots__ = ()
    path = f"/{API_VERSION}/runtime/invocation/next"

    def to_bytes(self, host: str) -> bytes:
        """The whole request."""
        return _head("GET", self.path, host, (), None)


class ResponseRequest:
    """``POST /2018-06-01/runtime/invocation/{id}/response``: the handler's result."""

    __slots__ = ("body", "content_type", "request_id")

    def __init__(self, request_id: str, body: bytes, content_type: str = CONTENT_TYPE_JSON) -> None:
        self.request_id = request_id
        self.body = body
        self.content_type = content_type

    @property
    def path(self) -> str:
        """The request path, with the id quoted."""
        return f"/{API_VERSION}/runtime/invocation/{quote_request_id(self.request_id)}/response"

    def head(self, host: str) -> bytes:
        """The request line and headers; the body follows them unchanged."""
        # The hot path of every invocation: one f-string, no list, no checks beyond the id.
        return (
            f"POST /{API_VERSION}/runtime/invocation/{quote_request_id(self.request_id)}"
            f"/response HTTP/1.1\r\n{common_headers(host)}Content-Type: {self.content_type}\r\n"
            f"Content-Length: {len(self.body)}\r\n\r\n"
        ).encode("latin-1")

    def to_bytes(self, host: str) -> bytes:
        """The whole request (tests; the transport sends ``head`` and ``body`` separately)."""
        return self.head(host) + self.body


class StreamingResponseRequest:
    """``POST /2018-06-01/runtime/invocation/{id}/response``, streamed.

    The head announces ``Lambda-Runtime-Function-Response-Mode: streaming``, a chunked body
    and the two error trailers; then :meth:`chunk` frames each piece as it is produced and
    :meth:`end` closes the body, with the error trailers when the stream failed part way
    (Lambda then reports the invocation as failed, with that error).
    """

    __slots__ = ("content_type", "request_id")

    def __init__(self, request_id: str, content_type: str = "application/octet-stream") -> None:
        self.request_id = request_id
        self.content_type = content_type

    @property
    def path(self) -> str:
        """The request path, with the id quoted."""
        return f"/{API_VERSION}/runtime/invocation/{quote_request_id(self.request_id)}/response"

    def head(self, host: str) -> bytes:
        """The request line and headers; chunks follow."""
        return _head(
            "POST",
            self.path,
            host,
            (
                ("Content-Type", _header_safe(self.content_type)),
                (HEADER_RESPONSE_MODE, "streaming"),
                ("Transfer-Encoding", "chunked"),
                ("Trailer", f"{TRAILER_ERROR_TYPE}, {TRAILER_ERROR_BODY}"),
            ),
            None,
        )

    @staticmethod
    def chunk_prefix(size: int) -> bytes:
        """The size line that goes before ``size`` bytes of data (then ``CRLF``)."""
        return b"%x\r\n" % size

    @staticmethod
    def chunk(data: bytes) -> bytes:
        """One piece of the body, framed; empty data gives nothing (it would end the body)."""
        if not data:
            return b""
        return b"%x\r\n%s\r\n" % (len(data), data)

    @staticmethod
    def end(error_type: str | None = None, error_body: bytes | None = None) -> bytes:
        """The last chunk: with the error trailers when ``error_type`` is given.

        ``error_body`` is the error JSON (the payload an ``/error`` post would carry); it
        travels base64-encoded, as Lambda expects.
        """
        if error_type is None:
            return b"0\r\n\r\n"
        import binascii

        encoded = binascii.b2a_base64(error_body or b"", newline=False).decode("ascii")
        return (
            f"0\r\n{TRAILER_ERROR_TYPE}: {_header_safe(error_type)}\r\n"
            f"{TRAILER_ERROR_BODY}: {encoded}\r\n\r\n"
        ).encode("ascii")


class ErrorRequest:
    """``POST /2018-06-01/runtime/invocation/{id}/error``: the invocation failed.

    ``payload`` is the error JSON (``errorMessage``, ``errorType``, ``requestId``,
    ``stackTrace``); ``xray_cause`` the X-Ray cause JSON, sent only under 1 MiB.
    """

    __slots__ = ("error_type", "payload", "request_id", "xray_cause")

    def __init__(
        self, request_id: str, payload: bytes, error_type: str, xray_cause: bytes | None = None
    ) -> None:
        self.request_id = request_id
        self.payload = payload
        self.error_type = error_type
        self.xray_cause = xray_cause

    @property
    def path(self) -> str:
        """The request path, with the id quoted."""
        return f"/{API_VERSION}/runtime/invocation/{quote_request_id(self.request_id)}/error"

    def headers(self) -> list[tuple[str, str]]:
        """Content type, error type and, when small enough, the X-Ray cause."""
        headers = [
            ("Content-Type", CONTENT_TYPE_JSON),
            (HEADER_ERROR_TYPE, _header_safe(self.error_type)),
        ]
        if self.xray_cause is not None and len(self.xray_cause) < XRAY_CAUSE_LIMIT:
            headers.append((HEADER_XRAY_CAUSE, _header_safe(self.xray_cause.decode("utf-8"))))
        return headers

    def head(self, host: str) -> bytes:
        """The request line and headers."""
        return _head("POST", self.path, host, self.headers(), len(self.payload))

    def to_bytes(self, host: str) -> bytes:
        """The whole request."""
        return self.head(host) + self.payload

    @property
    def body(self) -> bytes:
        """The error JSON."""
        return self.payload


class InitErrorRequest(ErrorRequest):
    """``POST /2018-06-01/runtime/init/error``: the function could not be initialised."""

    __slots__ = ()

    def __init__(self, payload: bytes, error_type: str) -> None:
        super().__init__("", payload, error_type, None)

    @property
    def path(self) -> str:
        """The init error path."""
        return f"/{API_VERSION}/runtime/init/error"


class RegisterExtensionRequest:
    """``POST /2020-01-01/extension/register``: register an (internal) extension.

    Registering with no events is how a runtime asks Lambda for a SIGTERM before the
    environment shuts down (aws-lambda-go's ``WithEnableSIGTERM``).
    """

    __slots__ = ("events", "name")

    path = f"/{EXTENSION_API_VERSION}/extension/register"

    def __init__(self, name: str, events: Sequence[str] = ()) -> None:
        self.name = name
        self.events = list(events)

    @property
    def body(self) -> bytes:
        """``{"events": [...]}``."""
        items = ",".join(f'"{e}"' for e in self.events)
        return f'{{"events":[{items}]}}'.encode()

    def head(self, host: str) -> bytes:
        """The request line and headers."""
        return _head(
            "POST",
            self.path,
            host,
            (
                ("Lambda-Extension-Name", _header_safe(self.name)),
                ("Content-Type", CONTENT_TYPE_JSON),
            ),
            len(self.body),
        )

    def to_bytes(self, host: str) -> bytes:
        """The whole request."""
        return self.head(host) + self.body


class ExtensionNextRequest:
    """``GET /2020-01-01/extension/event/next``: an extension waits for its next event.

    An internal extension registered for no events sends this once to tell Lambda its init
    is done, and never gets an answer (aws-lambda-go parks a goroutine on it).
    """

    __slots__ = ("extension_id",)

    path = f"/{EXTENSION_API_VERSION}/extension/event/next"

    def __init__(self, extension_id: str) -> None:
        self.extension_id = extension_id

    def to_bytes(self, host: str) -> bytes:
        """The whole request."""
        return _head(
            "GET",
            self.path,
            host,
            (("Lambda-Extension-Identifier", _header_safe(self.extension_id)),),
            None,
        )


def _header_safe(value: str) -> str:
    """A header value with control characters and non-ASCII escaped (JSON-style)."""
    if value.isascii() and value.isprintable():
        return value
    return "".join(
        c if (" " <= c <= "~") else (f"\\u{ord(c):04x}" if ord(c) < 0x10000 else _surrogates(c))
        for c in value
    )


def _surrogates(c: str) -> str:
    n = ord(c) - 0x10000
    return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"


# -- answers ------------------------------------------------------------------------------------


class ProtocolError(Exception):
    """The Runtime API answered with something that is not valid HTTP/1.1."""


class Response:
    """One HTTP answer: status, headers (names lower-cased) and the whole body."""

    __slots__ = ("body", "headers", "keep_alive", "reason", "status")

    def __init__(
        self, status: int, reason: str, headers: dict[str, str], body: bytes, keep_alive: bool
    ) -> None:
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.keep_alive = keep_alive

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.reason} ({len(self.body)} bytes)>"


class ResponseParser:
    """Incremental parser for one HTTP/1.1 response at a time.

    ``feed(data)`` returns the :class:`Response` once it is complete, else ``None``;
    bytes after it are kept for the next one. ``eof()`` tells the parser the peer closed
    the connection (completing a body delimited by close, or raising). Raises
    :class:`ProtocolError` for anything malformed: a bad status line, a header without a
    colon, a missing, negative, non-numeric or conflicting Content-Length, bad chunk
    sizes, too many or too large headers.
    """

    __slots__ = (
        "_buffer",
        "_chunks",
        "_head",
        "_length",
        "_mode",
        "_need_body_for",
        "_last_head",
        "_last_parsed",
        "_rest",
    )

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._head: tuple[int, str, dict[str, str], bool] | None = None
        self._mode = ""  # "length", "chunked", "close", or "" while reading the head
        self._length = 0
        self._chunks: list[bytes] = []
        self._need_body_for = ""
        # Bytes that came after a complete answer read in one piece (the next answer, or
        # its start, when a pipelined /next is answered right after the 202): kept as
        # they are, so that the next feed parses them in place too.
        self._rest = b""
        # The last 202 head parsed in the fast path, and what it gave (head, mode, length).
        # The Runtime API answers every post with the same head but for its Date line, so
        # within a second the 202 costs a bytes comparison instead of a parse. (The heads
        # of /next answers differ each time, by the request id: they are not kept.)
        self._last_head = b""
        self._last_parsed: tuple[tuple[int, str, dict[str, str], bool], str, int] | None = None

    def expect_no_body(self, method: str) -> None:
        """Declare the request method (answers to HEAD carry no body)."""
        self._need_body_for = method

    def feed(self, data: bytes) -> Response | None:
        """Add received bytes; the response once complete."""
        rest = self._rest
        if rest:
            self._rest = b""
            data = rest + data if data else rest
        if not self._buffer and self._head is None and data:
            # The usual case: a whole answer in one read. Parse it in place, no copies, and
            # build the answer straight from the parsed head.
            end = data.find(b"\r\n\r\n")
            if end >= 0:
                head = data[:end]
                last = self._last_parsed
                if last is not None and head == self._last_head and not self._need_body_for:
                    (status, reason, headers, keep), mode, length = last
                    headers = dict(headers)  # a caller may keep (or change) the headers
                else:
                    status, reason, headers, keep = _parse_head(head)
                    mode, length = self._body_mode(status, headers)
                    if status == 202 and not self._need_body_for:
                        self._last_head = head
                        self._last_parsed = ((status, reason, dict(headers), keep), mode, length)
                if mode == "length":
                    stop = end + 4 + length
                    if len(data) >= stop:
                        if len(data) > stop:
                            self._rest = data[stop:]
                        self._need_body_for = ""
                        return Response(status, reason, headers, data[end + 4 : stop], keep)
                self._head = (status, reason, headers, keep)
                self._mode, self._length = mode, length
                self._buffer += data[end + 4 :]
                return self._try_body()
        if data:
            self._buffer += data
        if self._head is None:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > MAX_HEAD_BYTES:
                    raise ProtocolError("response head larger than 1 MiB")
                return None
            self._head = _parse_head(bytes(self._buffer[:end]))
            del self._buffer[: end + 4]
            self._mode, self._length = self._body_mode(self._head[0], self._head[2])
        return self._try_body()

    def eof(self) -> Response | None:
        """The peer closed the connection: finish a close-delimited body, or fail."""
        if self._rest:
            response = self.feed(b"")  # what arrived before the close comes first
            if response is not None:
                return response
        if self._head is not None and self._mode == "close":
            body = bytes(self._buffer)
            self._buffer.clear()
            return self._finish(body, keep_alive=False)
        if self._head is None and not self._buffer:
            raise ProtocolError("connection closed before a response")
        raise ProtocolError("connection closed in the middle of a response")

    @property
    def pending(self) -> int:
        """Bytes received but not yet part of a complete response."""
        return len(self._buffer) + len(self._rest)

    def body_length_hint(self) -> int:
        """How many body bytes are still expected, when known (for buffer sizing)."""
        if self._mode == "length":
            return max(0, self._length - len(self._buffer))
        return 0

    def _body_mode(self, status: int, headers: dict[str, str]) -> tuple[str, int]:
        """How the body of an answer with this status and these headers is delimited:
        ("length", n), ("chunked", 0) or ("close", 0)."""
        if (100 <= status < 200) or status in (204, 304) or self._need_body_for == "HEAD":
            return "length", 0
        encoding = headers.get("transfer-encoding")
        if encoding is not None:
            if encoding.strip().lower() != "chunked":
                raise ProtocolError(f"unsupported Transfer-Encoding {encoding!r}")
            return "chunked", 0
        length = headers.get("content-length")
        if length is None:
            return "close", 0
        if length.isdigit() and length.isascii():  # the usual case: one plain number
            return "length", int(length)
        values = {v.strip() for v in length.split(",")}
        if len(values) != 1:
            raise ProtocolError(f"conflicting Content-Length {length!r}")
        text = values.pop()
        if not text.isdigit() or not text.isascii():
            raise ProtocolError(f"invalid Content-Length {length!r}")
        return "length", int(text)

    def _try_body(self) -> Response | None:
        if self._mode == "length":
            if len(self._buffer) < self._length:
                return None
            body = bytes(self._buffer[: self._length])
            del self._buffer[: self._length]
            return self._finish(body)
        if self._mode == "chunked":
            return self._try_chunks()
        return None  # "close": only eof() completes it

    def _try_chunks(self) -> Response | None:
        buf = self._buffer
        while True:
            line_end = buf.find(b"\r\n")
            if line_end < 0:
                if len(buf) > 4096:
                    raise ProtocolError("chunk size line too long")
                return None
            size_text = bytes(buf[:line_end]).split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise ProtocolError(f"invalid chunk size {size_text!r}") from None
            if size < 0 or size_text.startswith((b"-", b"+")) or size_text[:2].lower() == b"0x":
                raise ProtocolError(f"invalid chunk size {size_text!r}")
            if size == 0:
                # The last chunk; optional trailer lines end with an empty line.
                trailer_end = buf.find(b"\r\n\r\n", line_end)
                if trailer_end < 0:
                    if len(buf) > MAX_HEAD_BYTES:
                        raise ProtocolError("chunked trailers larger than 1 MiB")
                    return None
                del buf[: trailer_end + 4]
                body = b"".join(self._chunks)
                self._chunks = []
                return self._finish(body)
            start = line_end + 2
            if len(buf) < start + size + 2:
                return None
            if bytes(buf[start + size : start + size + 2]) != b"\r\n":
                raise ProtocolError("chunk not followed by CRLF")
            self._chunks.append(bytes(buf[start : start + size]))
            del buf[: start + size + 2]

    def _finish(self, body: bytes, keep_alive: bool | None = None) -> Response:
        assert self._head is not None
        status, reason, headers, keep = self._head
        self._head = None
        self._mode = ""
        self._need_body_for = ""
        return Response(status, reason, headers, body, keep if keep_alive is None else keep_alive)


def _parse_head(head: bytes) -> tuple[int, str, dict[str, str], bool]:
    # One decode for the whole head: UTF-8, keeping undecodable bytes (a header value may
    # carry UTF-8 JSON, e.g. the client context); names are ASCII by the grammar. This
    # runs for every /next answer, so the loop is kept to the checks that matter.
    text = head.decode("utf-8", "surrogateescape")
    status_line, _, rest = text.partition("\r\n")
    status = _status_lines.get(status_line)
    if status is None:
        status = _parse_status_line(status_line)
    version, code, reason = status
    lines = rest.split("\r\n") if rest else []
    if len(lines) > MAX_HEADERS:
        raise ProtocolError(f"more than {MAX_HEADERS} headers")
    headers: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.partition(":")
        if not sep or " " in name:
            raise ProtocolError(f"invalid header line {line[:100]!r}")
        headers[name.lower()] = value.strip()
    if len(headers) != len(lines) or "" in headers:
        headers = _careful_headers(lines)
    connection = headers.get("connection")
    if version == "HTTP/1.1":
        keep_alive = connection is None or "close" not in connection.lower()
    else:
        keep_alive = connection is not None and "keep-alive" in connection.lower()
    return code, reason, headers, keep_alive


# Status lines already parsed: the Runtime API sends the same few ("HTTP/1.1 200 OK",
# "HTTP/1.1 202 Accepted") over and over, and a lookup costs a third of a parse.
_status_lines: dict[str, tuple[str, int, str]] = {}


def _parse_status_line(line: str) -> tuple[str, int, str]:
    version, _, rest = line.partition(" ")
    code, _, reason = rest.partition(" ")
    if (
        not version.startswith("HTTP/1.")
        or len(code) != 3
        or not (code.isascii() and code.isdigit())
    ):
        raise ProtocolError(f"invalid status line {line[:100]!r}")
    status = (version, int(code), reason)
    if len(_status_lines) < 32:  # bounded: a peer sending odd reasons cannot grow it
        _status_lines[line] = status
    return status


def _careful_headers(lines: list[str]) -> dict[str, str]:
    """The slow path: repeated names (joined with commas, as HTTP allows) and empty names."""
    headers: dict[str, str] = {}
    for line in lines:
        name, _, value = line.partition(":")
        if not name:
            raise ProtocolError(f"invalid header line {line[:100]!r}")
        key = name.lower()
        # Repeated Content-Length values are checked when the body length is chosen.
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return headers
