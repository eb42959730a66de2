"""A small Runtime API server for tests, with fault injection.

It speaks the 2018-06-01 Runtime API over real loopback sockets, hands out queued
invocations on ``GET /next`` and records every response, error and init error. Faults
(statuses, dropped or cut connections, answers that never come) are switched on per test.
It is deliberately independent of lambdago's own code, so it can judge it.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    """One request the runtime made."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    # For chunked (streamed) bodies: each chunk with its arrival time (monotonic), and the
    # trailers (lower-case names).
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    trailers: dict[str, str] = field(default_factory=dict)
    client: tuple[str, int] = ("", 0)
    received: float = 0.0  # when the request was complete (monotonic)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Faults:
    """Switches for misbehaviour; each applies to every matching request while set."""

    next_status: int | None = None  # answer /next with this status and no invocation
    post_status: int | None = None  # answer every POST with this status
    response_413_over: int | None = None  # answer /response with 413 above this size
    drop_next: bool = False  # close the connection on /next without answering
    cut_next_body: bool = False  # promise a body on /next, send half, close
    post_never_answers: bool = False  # accept POSTs and never answer
    close_after_each: bool = False  # answer with Connection: close
    stream_413_after: int | None = None  # answer a streamed /response 413 past this many bytes
    stream_cut_after: int | None = None  # close a streamed /response's connection past this
    register_status: int | None = None  # answer extension registration with this status


@dataclass
class _Invocation:
    request_id: str
    payload: bytes
    headers: dict[str, str]


class FakeRuntimeAPI:
    """The server; use as a context manager. ``address`` is ``host:port``."""

    def __init__(self, deadline_s: float = 30.0) -> None:
        self.deadline_s = deadline_s
        self.faults = Faults()
        self.requests: list[Recorded] = []
        self.results: dict[str, list[Recorded]] = {}
        self.init_errors: list[Recorded] = []
        self.next_calls = 0
        self.lingered_bytes = 0  # body bytes read and dropped after an early 413
        self._queue: queue.Queue[_Invocation | None] = queue.Queue()
        self._lock = threading.Condition()
        self._parked = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def __enter__(self) -> FakeRuntimeAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._parked.set()
        self._queue.put(None)
        self._server.shutdown()
        self._server.server_close()

    # -- driving it ----------------------------------------------------------------------

    def add(
        self, payload: bytes, request_id: str | None = None, headers: dict[str, str] | None = None
    ) -> str:
        """Queue an invocation; returns its request id."""
        rid = request_id if request_id is not None else str(uuid.uuid4())
        base = {
            "Lambda-Runtime-Aws-Request-Id": rid,
            "Lambda-Runtime-Deadline-Ms": str(int((time.time() + self.deadline_s) * 1000)),
            "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:123456789012:function:test",
            "Lambda-Runtime-Trace-Id": f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Parent={uuid.uuid4().hex[:16]};Sampled=1",
            "Content-Type": "application/json",
        }
        if headers is not None:
            base.update(headers)
            base = {k: v for k, v in base.items() if v is not None}
        self._queue.put(_Invocation(rid, payload, base))
        return rid

    def wait_result(self, request_id: str, timeout: float = 20.0) -> Recorded:
        """The first response or error posted for ``request_id``."""
        end = time.monotonic() + timeout
        with self._lock:
            while not self.results.get(request_id):
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no result for {request_id}")
                self._lock.wait(left)
            return self.results[request_id][0]

    def wait_init_error(self, timeout: float = 20.0) -> Recorded:
        end = time.monotonic() + timeout
        with self._lock:
            while not self.init_errors:
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no init error")
                self._lock.wait(left)
            return self.init_errors[0]

    def _record(self, rec: Recorded) -> None:
        with self._lock:
            self.requests.append(rec)
            parts = rec.path.split("/")
            if rec.path.endswith("/init/error"):
                self.init_errors.append(rec)
            elif (
                len(parts) >= 6 and parts[3] == "invocation" and parts[-1] in ("response", "error")
            ):
                self.results.setdefault(parts[4], []).append(rec)
            self._lock.notify_all()

    def _take(self) -> _Invocation | None:
        with self._lock:
            self.next_calls += 1
        item = self._queue.get()
        if item is None:
            self._queue.put(None)  # wake other waiters too
        return item


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def _make_handler(api: FakeRuntimeAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _body(self) -> bytes:
            if (self.headers.get("Transfer-Encoding") or "").lower() == "chunked":
                return self._chunked()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _chunked(self) -> bytes:
            """Read a chunked body, noting each chunk's arrival (and applying faults)."""
            self.chunks: list[tuple[float, bytes]] = []
            self.trailers: dict[str, str] = {}
            self.fault = ""
            total = 0
            f = api.faults
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    self.fault = "eof"
                    break
                size = int(line.split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while True:
                        trailer = self.rfile.readline(65537).rstrip(b"\r\n")
                        if not trailer:
                            break
                        name, _, value = trailer.decode("latin-1").partition(":")
                        self.trailers[name.strip().lower()] = value.strip()
                    break
                data = self.rfile.read(size)
                self.rfile.read(2)
                self.chunks.append((time.monotonic(), data))
                total += size
                if f.stream_cut_after is not None and total > f.stream_cut_after:
                    self.fault = "cut"
                    break
                if f.stream_413_after is not None and total > f.stream_413_after:
                    self.fault = "413"
                    break
            return b"".join(data for _, data in self.chunks)

        def setup(self) -> None:
            super().setup()
            # Without this, the body written after the head can sit behind Nagle's
            # algorithm waiting for an ACK; on some kernels that wait never ends.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _send(
            self, status: int, body: bytes = b"", headers: dict[str, str] | None = None
        ) -> None:
            lines = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}"]
            for k, v in (headers or {}).items():
                lines.append(f"{k}: {v}")
            lines.append(f"Content-Length: {len(body)}")
            if api.faults.close_after_each:
                lines.append("Connection: close")
                self.close_connection = True
            head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
            self.wfile.write(head + body)  # one write: head and body leave together

        def do_GET(self) -> None:
            rec = Recorded("GET", self.path, {k.lower(): v for k, v in self.headers.items()}, b"")
            rec.client = self.client_address[:2]
            rec.received = time.monotonic()
            api._record(rec)
            if self.path.endswith("/extension/event/next"):
                # An extension registered for no events: never answered (until shutdown).
                api._parked.wait()
                self.close_connection = True
                return
            if not self.path.endswith("/runtime/invocation/next"):
                self._send(404, b'{"errorType":"NotFound"}')
                return
            f = api.faults
            if f.drop_next:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if f.next_status is not None:
                self._send(f.next_status, b'{"errorMessage":"injected","errorType":"Injected"}')
                return
            inv = api._take()
            if inv is None:
                self.close_connection = True
                return
            if f.cut_next_body:
                lines = ["HTTP/1.1 200 OK", *(f"{k}: {v}" for k, v in inv.headers.items())]
                lines.append(f"Content-Length: {len(inv.payload) + 100}")
                head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
                self.wfile.write(head + inv.payload[: len(inv.payload) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self._send(200, inv.payload, inv.headers)

        def do_POST(self) -> None:
            body = self._body()
            rec = Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            rec.client = self.client_address[:2]
            rec.received = time.monotonic()
            rec.chunks = getattr(self, "chunks", [])
            rec.trailers = getattr(self, "trailers", {})
            fault = getattr(self, "fault", "")
            f = api.faults
            if fault == "cut":
                api._record(rec)
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault == "413":
                api._record(rec)
                # Answer at once, then read on until the client gives up (a lingering close,
                # so that the answer is not lost to a reset).
                self._send(
                    413,
                    b'{"errorMessage":"too large","errorType":"RequestEntityTooLarge"}',
                    {"Connection": "close"},
                )
                self.close_connection = True
                self.connection.settimeout(5)
                try:
                    while data := self.connection.recv(65536):
                        api.lingered_bytes += len(data)
                except OSError:
                    pass
                return
            if f.post_never_answers:
                api._record(rec)
                time.sleep(3600)
                return
            if (
                self.path.endswith("/response")
                and f.response_413_over is not None
                and len(body) > f.response_413_over
            ):
                self._send(413, b'{"errorMessage":"too large","errorType":"RequestEntityTooLarge"}')
                return
            api._record(rec)
            if f.post_status is not None:
                self._send(f.post_status, b'{"errorMessage":"injected","errorType":"Injected"}')
                return
            if self.path.endswith("/extension/register"):
                if f.register_status is not None:
                    self._send(f.register_status, b'{"errorType":"Injected"}')
                    return
                self._send(200, b"{}", {"Lambda-Extension-Identifier": str(uuid.uuid4())})
                return
            self._send(202, b'{"status":"OK"}')

    return Handler


__all__ = ["FakeRuntimeAPI", "Faults", "Recorded", "field"]
