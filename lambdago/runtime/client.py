"""The transport: one keep-alive connection to the Runtime API.

Deliberately thin: requests come from :mod:`.protocol` as bytes, answers go through its
parser. Built on the ``_socket`` builtin rather than ``socket`` (whose import costs a cold
start ~9 ms for conveniences not needed here). ``GET /next`` has no read timeout (it is a
long poll that may legitimately wait for hours, across environment freezes); a post that
is not answered within :data:`POST_TIMEOUT_S` is a fatal error rather than a silent hang.
"""

from __future__ import annotations

import _socket
import sys

from .protocol import (
    ErrorRequest,
    ExtensionNextRequest,
    InitErrorRequest,
    NextRequest,
    ProtocolError,
    RegisterExtensionRequest,
    Response,
    ResponseParser,
    ResponseRequest,
    StreamingResponseRequest,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import Any

    # What to put in the trailers when the stream's source fails: (error type, error JSON).
    ErrorTrailers = Callable[[BaseException], tuple[str, bytes]]

__all__ = ["Invocation", "RuntimeAPIClient", "RuntimeAPIError"]


def _post_timeout() -> float:
    """``LAMBDAGO_POST_TIMEOUT_S`` (default 60): how long a post may go unanswered or unread."""
    import os

    try:
        value = float(os.environ.get("LAMBDAGO_POST_TIMEOUT_S", "60"))
    except ValueError:
        return 60.0
    return value if value > 0 else 60.0


POST_TIMEOUT_S = _post_timeout()
# The kernel's socket timeouts fire every slice; a long poll then simply reads again, while a
# post adds the slice to its wait and gives up past POST_TIMEOUT_S.
SLICE_S = min(20.0, POST_TIMEOUT_S)
_RECV_SIZE = 256 * 1024


def _timeval(seconds: float) -> bytes:
    """``struct timeval {long tv_sec; long tv_usec;}``, for the 64-bit Linux Lambda runs on."""
    whole = int(seconds)
    micros = int((seconds - whole) * 1_000_000)
    return whole.to_bytes(8, sys.byteorder) + micros.to_bytes(8, sys.byteorder)


_TIMEVAL = _timeval(SLICE_S)


class RuntimeAPIError(Exception):
    """The Runtime API could not be reached or answered unexpectedly: fatal for the runtime.

    The message names the URL and, when there was an answer, its status.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Invocation:
    """One invocation, as ``GET /next`` delivered it."""

    __slots__ = ("headers", "payload", "request_id")

    def __init__(self, request_id: str, headers: dict[str, str], payload: bytes) -> None:
        self.request_id = request_id
        self.headers = headers
        self.payload = payload

    def __repr__(self) -> str:
        return f"<Invocation {self.request_id} ({len(self.payload)} bytes)>"


def parse_address(address: str) -> tuple[str, int]:
    """``host:port`` (or ``[v6]:port``) from ``AWS_LAMBDA_RUNTIME_API``."""
    address = address.strip()
    if address.startswith("http://"):
        address = address[len("http://") :].rstrip("/")
    host, sep, port_text = address.rpartition(":")
    if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"AWS_LAMBDA_RUNTIME_API is not host:port: {address!r}")
    return host.strip("[]"), int(port_text)


class RuntimeAPIClient:
    """Runtime API calls over one reused connection."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.host, self.port = parse_address(address)
        self._sock: _socket.socket | None = None
        self._parser = ResponseParser()
        # One receive buffer for the life of the client: a fresh 256 KB bytes object per
        # recv() costs three system calls (mmap, mremap, munmap) on every read.
        self._recv_buffer = bytearray(_RECV_SIZE)
        self._recv_view = memoryview(self._recv_buffer)
        self._next_request = NextRequest().to_bytes(address)

    # -- the four calls of the invoke loop ----------------------------------------------------

    def next(self) -> Invocation:
        """Wait for the next invocation (``GET /runtime/invocation/next``)."""
        try:
            response = self._exchange(self._next_request, None, timeout=None, retry=True)
        except (OSError, ProtocolError) as exc:
            raise RuntimeAPIError(
                f"GET {self._url(NextRequest.path)} failed: {_reason(exc)}"
            ) from exc
        return self._invocation(response)

    def post_response(self, request: ResponseRequest) -> Response:
        """Post a result; returns the answer (202 expected, 413 means too large)."""
        return self._post(request, request.head(self.address), request.body)

    def post_response_then_next(
        self, request: ResponseRequest
    ) -> tuple[Response, Invocation | None]:
        """Post a result and ask for the next invocation in the same write (HTTP/1.1
        pipelining): the answer to the post, then the next invocation once it comes.

        The Runtime API answers the requests of a connection in order, so the ``GET /next``
        is read only once the post is answered; sending both at once saves a system call
        and a wake-up per invocation. The invocation is ``None`` when the ``/next`` was not
        served: the post was answered neither 202 nor 413 (fatal for the caller, who then
        does not wait), or it was refused (413) on a connection the Runtime API then closed,
        which leaves the posted invocation open for an ``/error``. After a 202 on a closing
        connection, the ``/next`` is sent again on a new one.
        """
        answer = self._post(request, request.head(self.address), request.body, self._next_request)
        if not answer.keep_alive:
            # The Runtime API reads no further request on this connection (now closed), so
            # the /next was not served: after a 202 it is sent again, alone, on a new
            # connection; after anything else the posted invocation is still open.
            return answer, (self.next() if answer.status == 202 else None)
        sock = self._sock
        assert sock is not None  # kept open: the answer was keep-alive
        if answer.status not in (202, 413):
            # Fatal for the caller: the process ends without waiting for the /next. Hanging
            # up now tells the Runtime API not to hand that /next an invocation.
            self.close()
            return answer, None
        # The /next is served next on this connection: its answer is the next invocation
        # (after a 413 too, the Runtime API having closed the refused one).
        try:
            response = self._receive(sock, None)
        except (OSError, ProtocolError) as exc:
            self.close()
            if _closed_before_answer(exc):
                return answer, self.next()  # the /next was not answered: ask again
            raise RuntimeAPIError(
                f"GET {self._url(NextRequest.path)} failed: {_reason(exc)}"
            ) from exc
        except BaseException:
            self.close()
            raise
        if not response.keep_alive:
            self.close()
        return answer, self._invocation(response)

    def _invocation(self, response: Response) -> Invocation:
        """The invocation a ``GET /next`` answer carries; RuntimeAPIError when it does not."""
        if response.status != 200:
            raise RuntimeAPIError(
                f"GET {self._url(NextRequest.path)} answered {response.status} {response.reason}"
                f"{_body_hint(response)}",
                response.status,
            )
        request_id = response.headers.get("lambda-runtime-aws-request-id", "")
        if not request_id:
            raise RuntimeAPIError(
                f"GET {self._url(NextRequest.path)} answered without a "
                "Lambda-Runtime-Aws-Request-Id header"
            )
        return Invocation(request_id, response.headers, response.body)

    def post_stream(
        self,
        request: StreamingResponseRequest,
        pieces: Iterator[bytes],
        on_error: ErrorTrailers,
        first: bytes = b"",
    ) -> tuple[Response, BaseException | None]:
        """Stream a result: ``first`` (if any) and each piece of ``pieces`` as one chunk, sent
        as soon as it is produced.

        An exception from ``pieces`` ends the body with the error trailers ``on_error``
        builds for it; it is returned with the answer (the caller decides whether the
        process goes on). An answer that arrives before the body is complete (413: the
        stream grew past Lambda's limit) stops the stream: it is returned, and the
        connection, whose request is unfinished, is closed. A connection that fails or is
        closed without an answer raises :class:`RuntimeAPIError`.
        """
        try:
            return self._stream(request, pieces, on_error, first)
        except (OSError, ProtocolError) as exc:
            self.close()
            raise RuntimeAPIError(f"POST {self._url(request.path)} failed: {_reason(exc)}") from exc
        except BaseException:
            self.close()
            raise

    def post_error(self, request: ErrorRequest) -> Response:
        """Post an invocation error or an init error; returns the answer (202 expected)."""
        return self._post(request, request.head(self.address), request.payload)

    def post_init_error(self, request: InitErrorRequest) -> Response:
        """Post an init error (``/runtime/init/error``)."""
        return self.post_error(request)

    def register_extension(self, name: str, events: Sequence[str] = ()) -> str:
        """Register an internal extension; returns its ``Lambda-Extension-Identifier``."""
        request = RegisterExtensionRequest(name, events)
        response = self._post(request, request.head(self.address), request.body)
        if response.status != 200:
            raise RuntimeAPIError(
                f"POST {self._url(request.path)} answered {response.status} {response.reason}"
                f"{_body_hint(response)}",
                response.status,
            )
        return response.headers.get("lambda-extension-identifier", "")

    def wait_extension_events(self, extension_id: str) -> _socket.socket:
        """Send ``GET /extension/event/next`` for an extension registered for no events, on
        a connection of its own, and never read the answer (there is none to come).

        This is how an internal extension tells Lambda its init is done; the socket is
        returned so that the caller keeps it open for the life of the process.
        """
        sock = self._connect()
        try:
            _send_all(sock, ExtensionNextRequest(extension_id).to_bytes(self.address), None)
        except OSError:
            sock.close()
            raise
        return sock

    def close(self) -> None:
        """Close the connection (a new one opens on the next call)."""
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass
        self._parser = ResponseParser()

    def url(self, path: str) -> str:
        """The full URL of ``path`` on this Runtime API, for messages."""
        return self._url(path)

    # -- plumbing -------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"http://{self.address}{path}"

    def _post(self, request: Any, head: bytes, body: bytes, tail: bytes = b"") -> Response:
        try:
            return self._exchange(head, body, tail, timeout=POST_TIMEOUT_S, retry=False)
        except (OSError, ProtocolError) as exc:
            raise RuntimeAPIError(f"POST {self._url(request.path)} failed: {_reason(exc)}") from exc

    def _stream(
        self,
        request: StreamingResponseRequest,
        pieces: Iterator[bytes],
        on_error: ErrorTrailers,
        first: bytes,
    ) -> tuple[Response, BaseException | None]:
        sock = self._sock if self._sock is not None else self._connect()
        self._sock = sock
        parser = self._parser
        head = request.head(self.address)
        early: Response | None = None
        failure: BaseException | None = None
        try:
            _send_all(sock, head + request.chunk(first) if first else head, None)
            early = self._early_answer(sock)
            while early is None:
                try:
                    piece = next(pieces)
                except StopIteration:
                    break
                except BaseException as exc:
                    failure = exc
                    break
                if piece:
                    _send_all(sock, request.chunk_prefix(len(piece)), piece, b"\r\n")
                    early = self._early_answer(sock)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            # The Runtime API stopped reading: it may have answered first (413) before
            # closing; if so, that answer is the outcome.
            early = self._early_answer(sock, final=True)
            if early is None:
                raise
        if early is not None:
            self.close()  # the request was cut short: this connection cannot go on
            return early, failure
        if failure is None:
            _send_all(sock, request.end(), None)
        else:
            error_type, error_body = on_error(failure)
            _send_all(sock, request.end(error_type, error_body), None)
        response = self._receive(sock, POST_TIMEOUT_S)
        if not response.keep_alive or parser is not self._parser:
            self.close()
        return response, failure

    def _early_answer(self, sock: _socket.socket, final: bool = False) -> Response | None:
        """An answer that arrived while the body is still being sent, if any (no wait)."""
        parser = self._parser
        while True:
            try:
                n = sock.recv_into(self._recv_buffer, 0, _socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                return None
            except OSError:
                if final:
                    return None
                raise
            if n == 0:
                if final:
                    try:
                        return parser.eof()
                    except ProtocolError:
                        return None
                raise ConnectionResetError("the Runtime API closed the connection mid-stream")
            response = parser.feed(self._recv_view[:n].tobytes())
            if response is not None:
                return response

    def _connect(self) -> _socket.socket:
        # An ASCII host as bytes: a str would make getaddrinfo import the idna codec
        # (and re with it), ~4 ms of a cold start for nothing.
        host: str | bytes = self.host.encode("ascii") if self.host.isascii() else self.host
        infos = _socket.getaddrinfo(host, self.port, 0, _socket.SOCK_STREAM)
        last: OSError | None = None
        for family, socktype, proto, _name, addr in infos:
            sock = _socket.socket(family, socktype, proto)
            try:
                sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
                # Kernel socket timeouts instead of poll() before each read: no extra
                # system call per answer. GET /next simply reads again when one fires; a
                # post that gets no answer, or whose body is not read, gives up.
                try:
                    sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_RCVTIMEO, _TIMEVAL)
                    sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_SNDTIMEO, _TIMEVAL)
                except OSError:
                    pass  # not a 64-bit Linux: posts then wait without a limit
                sock.connect(addr)
            except OSError as exc:
                sock.close()
                last = exc
                continue
            return sock
        raise last or OSError(f"no address for {self.host}")

    def _exchange(
        self,
        head: bytes,
        body: bytes | None,
        tail: bytes = b"",
        *,
        timeout: float | None,
        retry: bool,
    ) -> Response:
        """Send ``head``, ``body`` and ``tail`` (a second, pipelined request) and read one
        answer; the connection is closed on failure and when the answer does not keep it."""
        reused = self._sock is not None
        sock = self._sock if self._sock is not None else self._connect()
        self._sock = sock
        try:
            _send_all(sock, head, body, tail)
            response = self._receive(sock, timeout)
        except (ConnectionError, ProtocolError) as exc:
            self.close()
            # A keep-alive connection the server closed while idle fails on first use;
            # only a request that cannot have been acted on (GET /next) is retried.
            if reused and retry and _closed_before_answer(exc):
                return self._exchange(head, body, tail, timeout=timeout, retry=False)
            raise
        except BaseException:
            self.close()
            raise
        if not response.keep_alive:
            self.close()
        return response

    def _receive(self, sock: _socket.socket, timeout: float | None) -> Response:
        parser = self._parser
        # Bytes left over from the previous answer may already hold this one.
        response: Response | None = parser.feed(b"") if parser.pending else None
        waited = 0.0
        while response is None:
            hint = parser.body_length_hint()
            try:
                if hint > _RECV_SIZE:
                    data = _recv_exactly(sock, hint)
                else:
                    n = sock.recv_into(self._recv_buffer)
                    data = self._recv_view[:n].tobytes()
            except BlockingIOError:
                # SO_RCVTIMEO fired: nothing arrived for SLICE_S seconds.
                waited += SLICE_S
                if timeout is not None and waited >= timeout:
                    raise TimeoutError(f"no answer within {timeout:g} s") from None
                continue
            if not data:
                response = parser.eof()
                break
            response = parser.feed(data)
        assert response is not None
        return response


def _recv_exactly(sock: _socket.socket, size: int) -> bytes:
    """A large body of known length, read straight into one buffer."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        try:
            n = sock.recv_into(view[got:])
        except BlockingIOError:
            if got:
                break  # hand over what arrived; the caller reads on
            raise
        if n == 0:
            break
        got += n
    return bytes(buffer[:got]) if got < size else bytes(buffer)


def _send_all(sock: _socket.socket, head: bytes, body: bytes | None, tail: bytes = b"") -> None:
    """Send head, body and tail; a peer that reads nothing for POST_TIMEOUT_S is an error.

    Scatter-gather (``sendmsg``), so a 6 MB body is never copied into one buffer with the
    head. SO_SNDTIMEO makes a stalled send return, so the wait can be counted.
    """
    parts = [head]
    if body:
        parts.append(body)
    if tail:
        parts.append(tail)
    try:
        sent = sock.sendmsg(parts)  # the usual case: the kernel takes it all, no views
    except BlockingIOError:  # a whole slice went by with nothing sent
        _send_rest(sock, parts, 0, SLICE_S)
        return
    if sent != sum(map(len, parts)):
        _send_rest(sock, parts, sent, 0.0)


def _send_rest(sock: _socket.socket, buffers: list[bytes], sent: int, waited: float) -> None:
    """What :func:`_send_all` has not sent of ``buffers`` yet, past the first ``sent``
    bytes, ``waited`` seconds into the wait for the peer to read."""
    parts = [memoryview(b) for b in buffers]
    while True:
        while parts and sent >= len(parts[0]):
            sent -= len(parts[0])
            parts.pop(0)
        if not parts:
            return
        if sent:
            parts[0] = parts[0][sent:]
        if waited >= POST_TIMEOUT_S:
            raise TimeoutError(f"no answer within {POST_TIMEOUT_S:g} s (the request was not read)")
        try:
            sent = sock.sendmsg(parts)
        except BlockingIOError:
            waited += SLICE_S
            sent = 0


def _closed_before_answer(exc: BaseException) -> bool:
    if isinstance(exc, ProtocolError):
        return str(exc) == "connection closed before a response"
    return isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the Runtime API"
    if isinstance(exc, TimeoutError):
        return str(exc) or "timed out"
    return str(exc) or type(exc).__name__


def _body_hint(response: Response) -> str:
    text = response.body[:200].decode("utf-8", "replace").strip()
    return f": {text}" if text else ""
