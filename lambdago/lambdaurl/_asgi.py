"""ASGI apps (Starlette, FastAPI, Django's ASGIHandler, Quart…) behind Lambda.

One invocation is one HTTP request: the scope is built from the event, ``receive`` hands
over the whole body and then, once the response is complete, ``http.disconnect``; what
the app ``send``\\s becomes the response. Streamed (function URLs with ``RESPONSE_STREAM``),
the status and headers go as soon as ``http.response.start`` arrives and each
``http.response.body`` piece is sent as it is produced, so server-sent events reach the
client as they happen; buffered, the response is collected and returned whole.

The app runs as a task on the process's one event loop, so that what it keeps between
requests (connection pools, caches) lives on. The lifespan protocol runs once: startup at
init (before the first request), shutdown when Lambda sends SIGTERM.
"""

from __future__ import annotations

import asyncio
import sys

from . import _http

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
    from typing import Any

    Message = MutableMapping[str, Any]
    Receive = Callable[[], Awaitable[Message]]
    Send = Callable[[Message], Awaitable[None]]
    ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

__all__ = ["ASGIAdapter", "Lifespan", "LifespanFailed"]

ASGI_VERSION = {"version": "3.0", "spec_version": "2.3"}
_QUEUE_DEPTH = 16  # body pieces the app may produce ahead of the network


class LifespanFailed(Exception):
    """The app reported ``lifespan.startup.failed`` (or ``shutdown.failed``)."""

    error_type = "Runtime.LifespanStartupFailed"


class Lifespan:
    """The ASGI lifespan protocol: startup once, shutdown once, on the process's loop."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.state: dict[str, Any] = {}
        self.supported = False
        self._inbox: asyncio.Queue[Message] | None = None
        self._outbox: asyncio.Queue[Message] | None = None
        self._task: asyncio.Task[None] | None = None
        self._error: BaseException | None = None  # why an app without lifespan refused it

    async def startup(self, required: bool = False) -> bool:
        """Run startup; True once the app completed it, False when the app does not speak
        lifespan (unless ``required``). Raises :class:`LifespanFailed` if startup failed."""
        self._inbox = asyncio.Queue()
        self._outbox = asyncio.Queue()
        scope = {"type": "lifespan", "asgi": dict(ASGI_VERSION), "state": self.state}
        self._task = asyncio.ensure_future(self._run(scope))
        await self._inbox.put({"type": "lifespan.startup"})
        message = await self._next()
        if message is None:
            if required:
                raise LifespanFailed("the app does not support the ASGI lifespan protocol")
            return False
        if message["type"] == "lifespan.startup.failed":
            raise LifespanFailed(str(message.get("message") or "lifespan startup failed"))
        self.supported = message["type"] == "lifespan.startup.complete"
        return self.supported

    async def shutdown(self) -> None:
        """Run shutdown (after a completed startup); a failure is logged."""
        if not self.supported or self._inbox is None:
            return
        self.supported = False
        await self._inbox.put({"type": "lifespan.shutdown"})
        message = await self._next()
        if message is not None and message["type"] == "lifespan.shutdown.failed":
            sys.stderr.write(f"lambdago: ASGI lifespan shutdown failed: {message.get('message')}\n")

    async def _run(self, scope: dict[str, Any]) -> None:
        assert self._inbox is not None and self._outbox is not None
        inbox, outbox = self._inbox, self._outbox
        try:
            await self.app(scope, inbox.get, outbox.put)
        except Exception as exc:
            if not self.supported:
                # Startup never completed: the usual sign of an app without lifespan
                # support (it raises on the unknown scope type). Treated as "no lifespan".
                self._error = exc
            else:
                import traceback

                sys.stderr.write("lambdago: the ASGI lifespan task failed:\n")
                traceback.print_exception(type(exc), exc, exc.__traceback__)

    async def _next(self) -> Message | None:
        """The app's next lifespan message, or None if its lifespan task ended."""
        assert self._outbox is not None and self._task is not None
        getter = asyncio.ensure_future(self._outbox.get())
        await asyncio.wait({getter, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if getter.done():
            return getter.result()
        getter.cancel()
        return None


_END: Any = object()


class _Failed:
    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class _Exchange:
    """One request and its response, between the adapter and the app."""

    def __init__(self, body: bytes, streaming: bool) -> None:
        self.body = body
        self.streaming = streaming
        self.body_sent = False
        self.started = asyncio.Event()
        self.done = asyncio.Event()
        self.status = 500
        self.headers: list[tuple[str, str]] = []
        self.pieces: list[bytes] = []
        self.queue: asyncio.Queue[Any] = asyncio.Queue(_QUEUE_DEPTH)
        self._closing: asyncio.Future[None] | None = None

    async def receive(self) -> Message:
        if not self.body_sent:
            self.body_sent = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        await self.done.wait()  # nothing more comes: the client is gone once it has all
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            if self.started.is_set():
                raise RuntimeError("http.response.start sent twice")
            self.status = int(message["status"])
            self.headers = [
                (bytes(name).decode("latin-1"), bytes(value).decode("latin-1"))
                for name, value in message.get("headers") or ()
            ]
            self.started.set()
        elif kind == "http.response.body":
            if not self.started.is_set():
                raise RuntimeError("http.response.body sent before http.response.start")
            if self.done.is_set():
                return
            data = bytes(message.get("body") or b"")
            more = bool(message.get("more_body", False))
            if self.streaming:
                if data:
                    await self.queue.put(data)
                if not more:
                    self.done.set()
                    await self.queue.put(_END)
            else:
                if data:
                    self.pieces.append(data)
                if not more:
                    self.done.set()

    def finish(self, exc: BaseException | None) -> None:
        """The app returned (or raised): make sure the reader of the body is not left
        waiting."""
        if self.done.is_set():
            return
        self.done.set()
        if self.streaming:
            # The queue may be full; the reader drains it, then meets the end.
            item = _Failed(exc) if exc is not None else _END
            try:
                self.queue.put_nowait(item)
            except asyncio.QueueFull:
                self._closing = asyncio.ensure_future(self.queue.put(item))


class ASGIAdapter:
    """An ASGI app as a Lambda handler: ``await adapter(context, event)``."""

    def __init__(self, app: ASGIApp, mode: str, lifespan: Lifespan | None = None) -> None:
        self.app = app
        self.mode = mode
        self.lifespan = lifespan

    def scope(self, request: _http.HTTPRequest, event: Any, context: Any) -> dict[str, Any]:
        """The ASGI ``http`` scope of ``request``."""
        return {
            "type": "http",
            "asgi": dict(ASGI_VERSION),
            "http_version": "1.1",
            "method": request.method,
            "scheme": "https",
            "path": request.path,
            "raw_path": request.raw_path,
            "query_string": request.query,
            "root_path": "",
            "headers": request.headers,
            "client": (request.client, 0) if request.client else None,
            "server": (request.host, 443),
            "state": dict(self.lifespan.state) if self.lifespan is not None else {},
            "extensions": {},
            "aws.event": event,
            "aws.context": context,
        }

    async def __call__(self, context: Any, event: Any) -> Any:
        request = _http.parse_event(event)
        streaming = _http.stream_for(request, self.mode)
        exchange = _Exchange(request.body, streaming)
        task = asyncio.ensure_future(self._run(self.scope(request, event, context), exchange))
        if not streaming:
            await task
            if task.result() is not None or not exchange.started.is_set():
                return _http.buffered_response(request, 500, _ERROR_HEADERS, _ERROR_BODY)
            return _http.buffered_response(
                request, exchange.status, exchange.headers, b"".join(exchange.pieces)
            )
        started = asyncio.ensure_future(exchange.started.wait())
        await asyncio.wait({started, task}, return_when=asyncio.FIRST_COMPLETED)
        if not exchange.started.is_set():
            started.cancel()
            await task
            return _http.streaming_response(request, 500, _ERROR_HEADERS, _ERROR_BODY)
        return _http.streaming_response(
            request, exchange.status, exchange.headers, _body(exchange, task)
        )

    async def _run(self, scope: dict[str, Any], exchange: _Exchange) -> BaseException | None:
        try:
            await self.app(scope, exchange.receive, exchange.send)
        except Exception as exc:
            if not exchange.started.is_set() or not exchange.streaming:
                _log_app_error(exc, "answered 500")  # as an HTTP server would
            elif exchange.done.is_set():
                _log_app_error(exc, "after its response was complete")
            # (a stream that fails part way is logged by the runtime, with its trailers)
            exchange.finish(exc)
            return exc
        exchange.finish(None)
        return None


_ERROR_HEADERS = [("content-type", "text/plain; charset=utf-8")]
_ERROR_BODY = b"Internal Server Error"


async def _body(
    exchange: _Exchange, task: asyncio.Future[BaseException | None]
) -> AsyncIterator[bytes]:
    """The response body as the app sends it. An app that fails part way makes this raise:
    the runtime then ends the stream with the error trailers."""
    queue = exchange.queue
    try:
        while True:
            item = await queue.get()
            if item is _END:
                break
            if isinstance(item, _Failed):
                raise item.exc
            yield item
        # Work the app does after its response (background tasks) finishes within the
        # invocation: the environment may be frozen once it is over. A failure then is
        # logged (the response was complete).
        await task
    finally:
        if not task.done():
            exchange.done.set()
            task.cancel()


def _log_app_error(exc: BaseException, what: str) -> None:
    import traceback

    sys.stderr.write(f"lambdago: the ASGI app failed ({what}):\n")
    traceback.print_exception(type(exc), exc, exc.__traceback__)
    sys.stderr.flush()
