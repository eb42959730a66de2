"""The socket side of the emulator's HTTP: an :class:`asyncio.Protocol` per connection
that feeds :class:`~.http11.RequestParser` and writes what the application answers.

The application is any object with ``route(head, conn) -> Route``: called when a
request's head is complete, it decides how large a body it accepts and returns the
handler that runs once the body is in. A handler returns a :class:`Reply` or an
awaitable of one (the ``/next`` long poll and the invoke endpoint wait; the others
answer at once, without a task). Requests on one connection are answered in order,
one at a time (pipelined requests wait in the parser's buffer, and reading pauses
while that buffer is large).

A body larger than the route accepts is counted and thrown away, and the handler is
told (``Request.too_large``) so that it can answer 413 and keep the connection; one
that goes on past :data:`DISCARD_LIMIT` closes the connection. With
``Expect: 100-continue``, a ``Content-Length`` already over the limit is refused before
the client sends the body.

Streaming, both ways. A :class:`Reply` whose ``stream`` is a :class:`StreamBody` is
written with chunked framing: its head at once, then each piece the application writes
into it, then the last chunk with any trailers. A :class:`Route` with a ``sink`` receives
its request body piece by piece as it arrives (``sink.data``), instead of buffered; the
sink may answer before the body is complete (a 413), after which the rest of the body is
read and thrown away until the client stops sending (a lingering close, so that the early
answer is not lost to a reset), and the connection is closed. While the reader of a
streamed answer is slow (the transport's buffer is full), reading from the connection that
produces the stream is paused: memory stays bounded end to end.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from . import http11
from .http11 import NEED_DATA, HTTPError, RequestHead, RequestParser

__all__ = [
    "DISCARD_LIMIT",
    "Application",
    "BodySink",
    "Connection",
    "Deferred",
    "Reply",
    "Request",
    "Route",
    "StreamBody",
]

DISCARD_LIMIT = 64 * 1024 * 1024  # body bytes past a route's limit before we hang up
_PAUSE_AT = 1024 * 1024  # pause reading when this much unparsed input waits
LINGER_S = 10.0  # after an early answer, how long the rest of a body is read and dropped
# A request must arrive whole within this time from its first byte (streamed /response
# bodies excepted): a client that stalls mid-request (slowloris) gets 408 and is closed.
READ_TIMEOUT_S = 5.0


@dataclass(slots=True)
class Request:
    """A complete request: its head and (buffered) body."""

    head: RequestHead
    body: bytes
    body_size: int  # as sent, also when too large to keep
    too_large: bool
    conn: Connection
    # The trailers of a chunked body (lower-case names), in the order sent.
    trailers: tuple[tuple[str, str], ...] = ()


class ChunkWriter(Protocol):
    """Where a :class:`StreamBody`'s pieces go: a connection, or something that reframes
    them (the event stream of ``InvokeWithResponseStream``)."""

    def _stream_piece(self, data: bytes) -> None: ...

    def _stream_end(self, trailers: list[tuple[str, str]]) -> None: ...


class StreamBody:
    """The body of a streamed answer, fed by the application: :meth:`write` each piece as
    it comes, then :meth:`end` once (with trailers, if any).

    Pieces written before the connection takes the answer are kept and written then.
    ``producer``, when set, is the connection the pieces come from: its reading is paused
    while the reader of this answer is slow.
    """

    __slots__ = ("_conn", "_pending", "_trailers", "ended", "producer", "size")

    def __init__(self) -> None:
        self._conn: ChunkWriter | None = None
        self._pending: list[bytes] = []
        self._trailers: list[tuple[str, str]] | None = None
        self.ended = False
        self.producer: Connection | None = None
        self.size = 0

    def write(self, data: bytes) -> None:
        """Send one piece (nothing after :meth:`end`)."""
        if self.ended or not data:
            return
        self.size += len(data)
        if self._conn is None:
            self._pending.append(data)
        else:
            self._conn._stream_piece(data)

    def end(self, trailers: list[tuple[str, str]] | None = None) -> bool:
        """End the body (with ``trailers``); False if it had ended already."""
        if self.ended:
            return False
        self.ended = True
        if self.producer is not None:
            self.producer.hold_reading(False)
        if self._conn is None:
            self._trailers = list(trailers or [])
        else:
            self._conn._stream_end(list(trailers or []))
        return True

    def bind(self, conn: ChunkWriter) -> None:
        """The connection writing this answer (called once its head is written)."""
        self._conn = conn
        pending, self._pending = self._pending, []
        for data in pending:
            conn._stream_piece(data)
        if self.ended:
            conn._stream_end(self._trailers or [])

    def throttle(self, slow: bool) -> None:
        """The reader is slow (or no longer): pause (or resume) the producer's reading."""
        if self.producer is not None and not self.ended:
            self.producer.hold_reading(slow)


@dataclass(slots=True)
class Reply:
    """An answer. ``close`` ends the connection after it."""

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    close: bool = False
    stream: StreamBody | None = None  # a chunked body instead of ``body``


class Deferred:
    """An answer given later, by calling :meth:`set` once (later calls are ignored).

    Unlike a future, the answer is written at once, in the caller's stack frame, not on a
    later turn of the event loop: the ``/next`` long poll and the invoke endpoint are on
    every invocation's critical path.
    """

    __slots__ = ("_reply", "_write", "cancelled")

    def __init__(self) -> None:
        self._reply: Reply | None = None
        self._write: Callable[[Reply], None] | None = None
        self.cancelled = False

    def done(self) -> bool:
        """Answered or cancelled."""
        return self._reply is not None or self.cancelled

    def set(self, reply: Reply) -> bool:
        """Answer; False if it was answered or cancelled already."""
        if self.done():
            return False
        self._reply = reply
        if self._write is not None:
            self._write(reply)
        return True

    def cancel(self) -> None:
        """Give up: nothing will be written (the connection is closed instead)."""
        self.cancelled = True

    def bind(self, write: Callable[[Reply], None]) -> None:
        """Where the answer goes (the connection calls this)."""
        self._write = write
        if self._reply is not None:
            write(self._reply)


Handler = Callable[[Request], "Reply | Deferred | Awaitable[Reply]"]


class BodySink(Protocol):
    """Takes a request body piece by piece, as it arrives (a streamed ``/response``)."""

    def data(self, data: bytes) -> Reply | None:
        """One piece of the body; a reply answers now (the rest of the body is dropped)."""
        ...

    def end(self, trailers: tuple[tuple[str, str], ...]) -> Reply:
        """The body is complete: the answer."""
        ...

    def abort(self) -> None:
        """The body will never be complete (the connection failed or closed)."""
        ...


@dataclass(slots=True)
class Route:
    """How to take a request: the most body it keeps, and what answers it.

    With a ``sink``, the body is handed to it as it arrives instead (``max_body`` and
    ``handler`` are then unused).
    """

    handler: Handler
    max_body: int = 1024 * 1024
    sink: BodySink | None = None


class Application(Protocol):
    """What a server serves."""

    def route(self, head: RequestHead, conn: Connection) -> Route:
        """Choose the handler for a request whose head just arrived."""
        ...

    def error_reply(self, status: int, message: str) -> Reply:
        """The answer to a request the parser refused (4xx/5xx)."""
        ...


class Connection(asyncio.Protocol):
    """One client connection."""

    def __init__(self, app: Application, limits: http11.Limits = http11.DEFAULT_LIMITS) -> None:
        self.app = app
        self.parser = RequestParser(limits)
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.on_close: list[Callable[[Connection], None]] = []
        self.tag: object = None  # the application's mark (which sandbox, …)
        self._busy = False  # a request is being answered
        self._head: RequestHead | None = None
        self._route: Route | None = None
        self._body: list[bytes] = []
        self._size = 0
        self._paused = False
        self._held = False  # reading held by a slow reader downstream (see StreamBody)
        self._processing = False
        self._draining = False  # answered early: the rest of the body is dropped
        self._sink_open: BodySink | None = None  # a sink whose body is still arriving
        self._stream: StreamBody | None = None  # the streamed answer being written
        self._stream_keep_alive = False
        self.peer_eof = False  # the client closed its side: nothing it asks for can be sent
        self._read_timer: asyncio.TimerHandle | None = None

    # -- asyncio.Protocol -------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self._read_timer is None and not self._busy and self._sink_open is None:
            self._read_timer = asyncio.get_running_loop().call_later(
                READ_TIMEOUT_S, self._read_timed_out
            )
        self.parser.feed(data)
        self._process()

    def eof_received(self) -> bool:
        self.peer_eof = True
        self.parser.feed_eof()
        self._process()
        return True  # keep the transport to finish an answer in progress

    def _stop_read_timer(self) -> None:
        timer, self._read_timer = self._read_timer, None
        if timer is not None:
            timer.cancel()

    def _read_timed_out(self) -> None:
        self._read_timer = None
        if self.closed or self._busy or self._sink_open is not None:
            return
        if self.parser.buffered == 0 and self._head is None:
            return  # idle between requests: keep-alive is fine
        self._fail(HTTPError(408, "the request did not arrive in time"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._stop_read_timer()
        sink, self._sink_open = self._sink_open, None
        if sink is not None:
            sink.abort()
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.throttle(False)
        callbacks, self.on_close = self.on_close, []
        for callback in callbacks:
            callback(self)

    def pause_writing(self) -> None:
        if self._stream is not None:
            self._stream.throttle(True)

    def resume_writing(self) -> None:
        if self._stream is not None:
            self._stream.throttle(False)

    # -- the request loop -------------------------------------------------------------------

    @property
    def usable(self) -> bool:
        """Open, and not being closed: an answer written now can arrive."""
        return (
            not self.closed
            and not self.peer_eof
            and self.transport is not None
            and not self.transport.is_closing()
        )

    def close(self) -> None:
        """Close the connection now."""
        if self.transport is not None and not self.closed:
            self.transport.close()

    def peername(self) -> str:
        """The client's address, for messages."""
        if self.transport is None:
            return "?"
        peer = self.transport.get_extra_info("peername")
        return f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)

    def _process(self) -> None:
        if self._processing:
            return  # an answer written from inside the loop below: it goes on by itself
        self._processing = True
        try:
            self._process_events()
        finally:
            self._processing = False
        self._flow_control()

    def _process_events(self) -> None:
        while not self._busy and not self.closed:
            try:
                event = self.parser.next_event()
            except HTTPError as exc:
                if self._draining:
                    self.close()
                    return
                sink, self._sink_open = self._sink_open, None
                if sink is not None:
                    sink.abort()
                self._fail(exc)
                return
            if event is NEED_DATA:
                break
            if isinstance(event, RequestHead):
                self._start(event)
            elif isinstance(event, http11.Data):
                self._size += len(event.data)
                assert self._route is not None
                if self._draining:
                    if self._size > DISCARD_LIMIT:
                        self.close()
                        return
                elif self._route.sink is not None:
                    early = self._route.sink.data(event.data)
                    if early is not None:
                        self._answer_early(early)
                elif self._size <= self._route.max_body:
                    self._body.append(event.data)
                elif self._size > self._route.max_body + DISCARD_LIMIT:
                    self._fail(HTTPError(413, "request body far too large"))
                    return
            elif isinstance(event, http11.EndOfMessage):
                if self._draining:
                    self.close()
                    return
                if self._route is not None and self._route.sink is not None:
                    self._sink_end(event.trailers)
                else:
                    self._dispatch(event.trailers)
            else:  # Closed
                self.close()
                return

    def hold_reading(self, hold: bool) -> None:
        """Pause (or resume) reading for a slow reader downstream."""
        if hold != self._held:
            self._held = hold
            self._flow_control()

    def _flow_control(self) -> None:
        if self.transport is None or self.closed:
            return
        big = self.parser.buffered > _PAUSE_AT or self._held
        if big and not self._paused:
            self.transport.pause_reading()
            self._paused = True
        elif not big and self._paused:
            self.transport.resume_reading()
            self._paused = False

    def _start(self, head: RequestHead) -> None:
        self._head = head
        self._body = []
        self._size = 0
        route = self.app.route(head, self)
        self._route = route
        if route.sink is not None:
            self._sink_open = route.sink
            self._stop_read_timer()  # a streamed body may legitimately take minutes
        if head.expect_continue and head.has_body and self.transport is not None:
            if head.content_length is not None and head.content_length > route.max_body:
                # Refuse before the body is sent; the client may or may not send it, so
                # the connection cannot be reused.
                self._busy = True
                self._finish(Request(head, b"", head.content_length, True, self), close_after=True)
                return
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _dispatch(self, trailers: tuple[tuple[str, str], ...] = ()) -> None:
        self._stop_read_timer()
        head, route = self._head, self._route
        assert head is not None
        assert route is not None
        body = b"".join(self._body) if len(self._body) != 1 else self._body[0]
        self._body = []
        too_large = self._size > route.max_body
        self._busy = True
        self._finish(
            Request(head, b"" if too_large else body, self._size, too_large, self, trailers)
        )

    def _sink_end(self, trailers: tuple[tuple[str, str], ...]) -> None:
        head, route = self._head, self._route
        assert head is not None and route is not None and route.sink is not None
        self._sink_open = None
        self._busy = True
        try:
            reply = route.sink.end(trailers)
        except Exception as exc:  # a bug in a sink must not take the server down
            import traceback

            traceback.print_exc()
            reply = self.app.error_reply(500, f"internal error: {exc!r}")
        self._write(head, reply, False)

    def _answer_early(self, reply: Reply) -> None:
        """Answer before the request body is complete, then drop the rest of the body."""
        head = self._head
        assert head is not None
        self._sink_open = None
        self._draining = True
        if self.transport is None or self.closed:
            return
        data = http11.response_head(
            reply.status,
            reply.headers,
            content_length=len(reply.body),
            keep_alive=False,
            version=head.version,
        )
        self.transport.write(data + reply.body)
        loop = asyncio.get_running_loop()
        loop.call_later(LINGER_S, self.close)

    def _finish(self, request: Request, close_after: bool = False) -> None:
        assert self._route is not None
        try:
            result = self._route.handler(request)
        except Exception as exc:  # a bug in a handler must not take the server down
            import traceback

            traceback.print_exc()
            result = self.app.error_reply(500, f"internal error: {exc!r}")
        if isinstance(result, Reply):
            self._write(request.head, result, close_after)
            return
        if isinstance(result, Deferred):
            head = request.head
            result.bind(lambda reply: self._write(head, reply, close_after))
            return
        future = asyncio.ensure_future(result)

        def done(f: asyncio.Future[Reply]) -> None:
            if f.cancelled():
                self.close()
                return
            exc = f.exception()
            if exc is not None:
                reply = self.app.error_reply(500, f"internal error: {exc!r}")
            else:
                reply = f.result()
            self._write(request.head, reply, close_after)

        future.add_done_callback(done)

    def _write(self, head: RequestHead, reply: Reply, close_after: bool) -> None:
        if self.closed or self.transport is None:
            return
        keep_alive = head.keep_alive and not reply.close and not close_after
        if reply.stream is not None:
            data = http11.response_head(
                reply.status,
                reply.headers,
                content_length=None,
                keep_alive=keep_alive,
                version=head.version,
            )
            self.transport.write(data)
            self._stream = reply.stream
            self._stream_keep_alive = keep_alive
            reply.stream.bind(self)
            return
        data = http11.response_head(
            reply.status,
            reply.headers,
            content_length=len(reply.body),
            keep_alive=keep_alive,
            version=head.version,
        )
        if head.method == "HEAD" or reply.status in (204, 304):
            self.transport.write(data)
        elif len(reply.body) < 64 * 1024:
            self.transport.write(data + reply.body)
        else:
            self.transport.writelines((data, reply.body))
        self._next_request(keep_alive)

    def _stream_piece(self, data: bytes) -> None:
        if self.transport is not None and not self.closed:
            self.transport.write(http11.chunk(data))

    def _stream_end(self, trailers: list[tuple[str, str]]) -> None:
        self._stream = None
        if self.transport is None or self.closed:
            return
        self.transport.write(http11.last_chunk(trailers))
        self._next_request(self._stream_keep_alive)

    def _next_request(self, keep_alive: bool) -> None:
        self._busy = False
        self._head = None
        self._route = None
        self._draining = False
        if not keep_alive:
            if self.transport is not None:
                with contextlib.suppress(Exception):
                    self.transport.write_eof()
                self.transport.close()
            return
        if not self.closed:
            self._process()

    def _fail(self, exc: HTTPError) -> None:
        self._busy = True
        if self.transport is not None and not self.closed:
            reply = self.app.error_reply(exc.status, exc.message)
            data = http11.response_head(
                reply.status, reply.headers, content_length=len(reply.body), keep_alive=False
            )
            self.transport.write(data + reply.body)
            self.transport.close()


async def listen(
    app: Application,
    host: str,
    port: int,
    limits: http11.Limits = http11.DEFAULT_LIMITS,
    *,
    register: Callable[[Connection], None] | None = None,
) -> asyncio.Server:
    """Serve ``app`` on ``host:port`` (0 picks a free port)."""
    loop = asyncio.get_running_loop()

    def factory() -> Connection:
        conn = Connection(app, limits)
        if register is not None:
            register(conn)
        return conn

    return await loop.create_server(factory, host, port, reuse_address=True, backlog=256)
