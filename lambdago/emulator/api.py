"""The Python API: :class:`Emulator`, run in a background thread (``with Emulator(...)``)
or in the foreground (``serve_forever``, what ``lambdago serve`` does)."""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import http.client
import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

from . import core
from .process import function_name_for

__all__ = ["Emulator", "InvokeResult", "StreamedInvokeResult"]

_T = TypeVar("_T")


class _Stdout:
    """Marks "the emulator's stdout at the time it starts" as the default echo."""


_STDOUT: Any = _Stdout()


@dataclass(frozen=True)
class InvokeResult:
    """The invoke endpoint's answer."""

    status: int
    payload: bytes
    function_error: str | None
    headers: dict[str, str] = field(repr=False)
    log_tail: str | None = None

    @property
    def request_id(self) -> str | None:
        """``X-Amzn-RequestId``."""
        return self.headers.get("x-amzn-requestid")

    def json(self) -> Any:
        """The payload decoded as JSON."""
        return json.loads(self.payload)


class StreamedInvokeResult:
    """An invoke endpoint answer read as it arrives: what :meth:`Emulator.invoke_stream`
    returns. A streamed response (``Transfer-Encoding: chunked``) is read piece by piece.

    Iterate it (or call :meth:`read_all`) for the body's pieces, each as it arrived; then
    ``trailers`` holds the trailer fields (lower-case names): for a streamed response that
    failed, ``x-amz-function-error``, ``lambda-runtime-function-error-type`` and
    ``lambda-runtime-function-error-body`` (base64 of the error JSON). ``arrivals`` has the
    ``time.monotonic()`` of each piece.
    """

    def __init__(self, sock: socket.socket, status: int, headers: dict[str, str], rest: bytes):
        self._sock = sock
        self.status = status
        self.headers = headers
        self.trailers: dict[str, str] = {}
        self.pieces: list[bytes] = []
        self.arrivals: list[float] = []
        self._buffer = bytearray(rest)
        self._done = False

    @property
    def streamed(self) -> bool:
        """Whether the body is chunked (a streamed response)."""
        return self.headers.get("transfer-encoding", "").lower() == "chunked"

    @property
    def function_error(self) -> str | None:
        """``X-Amz-Function-Error``, from the headers or, for a stream, the trailers."""
        return self.headers.get("x-amz-function-error") or self.trailers.get("x-amz-function-error")

    @property
    def error(self) -> Any:
        """The error JSON a failed stream's trailers carry (decoded), or None."""
        body = self.trailers.get("lambda-runtime-function-error-body")
        if body is None:
            return None
        return json.loads(base64.b64decode(body))

    def __iter__(self) -> Iterator[bytes]:
        return self._read()

    def read_all(self) -> bytes:
        """The whole body (after reading whatever is left of it)."""
        for _piece in self._read():
            pass
        return b"".join(self.pieces)

    def close(self) -> None:
        self._done = True
        self._sock.close()

    def _fill(self) -> bool:
        data = self._sock.recv(65536)
        if not data:
            return False
        self._buffer += data
        return True

    def _line(self) -> bytes:
        while True:
            end = self._buffer.find(b"\r\n")
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 2]
                return line
            if not self._fill():
                raise ConnectionError("the invoke endpoint closed the connection mid-answer")

    def _piece(self, data: bytes) -> bytes:
        self.pieces.append(data)
        self.arrivals.append(time.monotonic())
        return data

    def _read(self) -> Iterator[bytes]:
        if self._done:
            return
        if not self.streamed:
            length = int(self.headers.get("content-length", "0"))
            while len(self._buffer) < length:
                if not self._fill():
                    break
            body = bytes(self._buffer[:length])
            self._done = True
            self._sock.close()
            if body:
                yield self._piece(body)
            return
        while True:
            size = int(self._line().split(b";", 1)[0], 16)
            if size == 0:
                while True:
                    line = self._line()
                    if not line:
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    self.trailers[name.strip().lower()] = value.strip()
                self._done = True
                self._sock.close()
                return
            left = size
            while left:
                if not self._buffer and not self._fill():
                    raise ConnectionError("the invoke endpoint closed the connection mid-chunk")
                take = bytes(self._buffer[:left])
                del self._buffer[: len(take)]
                left -= len(take)
                yield self._piece(take)
            while len(self._buffer) < 2:
                if not self._fill():
                    raise ConnectionError("the invoke endpoint closed the connection mid-chunk")
            del self._buffer[:2]


class Emulator:
    """A local Lambda: the invoke endpoint of the Runtime Interface Emulator in front of a
    real runtime process speaking the Runtime API.

    ``command`` is the bootstrap (``[sys.executable, "-m", "lambdago", "app.handler"]``,
    ``[python, "-m", "awslambdaric", "app.handler"]``, ``["./bootstrap"]`` …), run in
    ``task_root`` (default: the current directory) with Lambda's environment plus ``env``.

    Use it as a context manager (the event loop runs in a background thread, and leaving
    the block stops everything, runtimes included), or call :meth:`serve_forever` in the
    foreground. Options:

    * ``timeout`` (s, default 3) and ``memory`` (MB, default 128) as configured on a
      function; ``init_timeout`` (10 s) bounds a cold start's init phase;
    * ``concurrency``: up to this many runtime processes; more callers wait in FIFO order;
    * ``max_concurrency``: invocations one runtime process holds at once (Lambda Managed
      Instances: ``AWS_LAMBDA_MAX_CONCURRENCY`` is set to it for the process); default 1;
    * ``stream_limit``: the most a streamed response may carry (default 200 MiB, Lambda's);
    * ``invoke_port`` (default 9000; 0 picks a free one) and ``host`` (default 127.0.0.1)
      of the invoke endpoint; the Runtime API always listens on 127.0.0.1;
    * ``function_name`` (default: from the handler), ``handler`` (``_HANDLER``; default:
      the command's last argument), ``region`` (default: ``AWS_REGION``, else us-east-1);
    * ``pass_aws_credentials``: hand the parent's AWS credentials to the runtime;
    * ``echo``: where runtime output and START/END/REPORT lines go (default: stdout;
      None discards them);
    * ``watch``: restart the runtime when a file under ``task_root`` changes.
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        task_root: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 3.0,
        memory: int = 128,
        concurrency: int = 1,
        max_concurrency: int = 1,
        stream_limit: int = core.MAX_STREAM_RESPONSE,
        invoke_port: int = 9000,
        host: str = "127.0.0.1",
        function_name: str | None = None,
        handler: str | None = None,
        region: str | None = None,
        init_timeout: float = 10.0,
        pass_aws_credentials: bool = False,
        echo: IO[str] | None = _STDOUT,
        watch: bool = False,
        watch_interval: float = 0.5,
        shutdown_grace: float = 0.5,
    ) -> None:
        command = [os.fspath(part) for part in command]
        if not command:
            raise ValueError("the runtime command is empty")
        if timeout <= 0 or init_timeout <= 0:
            raise ValueError("timeouts must be positive")
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        if handler is None:
            handler = command[-1] if len(command) > 1 else ""
        if region is None:
            region = (
                os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
            )
        self.config = core.Config(
            command=command,
            task_root=os.path.abspath(
                os.fspath(task_root) if task_root is not None else os.getcwd()
            ),
            env=dict(env or {}),
            timeout=float(timeout),
            memory=int(memory),
            concurrency=int(concurrency),
            max_concurrency=int(max_concurrency),
            stream_limit=int(stream_limit),
            host=host,
            invoke_port=int(invoke_port),
            function_name=function_name or function_name_for(handler, command),
            handler=handler,
            region=region,
            init_timeout=float(init_timeout),
            shutdown_grace=float(shutdown_grace),
            pass_aws_credentials=pass_aws_credentials,
            echo=None,
            watch=watch,
            watch_interval=float(watch_interval),
        )
        self._echo = echo
        self._service: core.Service | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stop: asyncio.Event | None = None
        self._pids: list[int] = []
        self._pids_lock = threading.Lock()
        self._local = threading.local()
        self._clients: list[http.client.HTTPConnection] = []
        self._clients_lock = threading.Lock()
        self._closed = False

    # -- addresses ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The invoke endpoint's port."""
        if self._service is None:
            raise RuntimeError("the emulator is not running")
        return self._service.invoke_port

    @property
    def invoke_url(self) -> str:
        """``http://127.0.0.1:<port>/2015-03-31/functions/function/invocations``."""
        return f"http://{self._url_host()}:{self.port}/2015-03-31/functions/function/invocations"

    def _url_host(self) -> str:
        host = self.config.host
        if host in ("", "0.0.0.0"):
            return "127.0.0.1"
        if host == "::":
            return "[::1]"
        return f"[{host}]" if ":" in host else host

    @property
    def runtime_api(self) -> str:
        """``127.0.0.1:<port>``: the first environment's Runtime API."""
        return self.runtime_apis[0]

    @property
    def runtime_apis(self) -> list[str]:
        """Each environment's Runtime API address (one per unit of concurrency)."""
        if self._service is None:
            raise RuntimeError("the emulator is not running")
        return [env.address for env in self._service.envs]

    @property
    def processes(self) -> list[int]:
        """The pids of the live runtime processes."""
        with self._pids_lock:
            return list(self._pids)

    def _set_pids(self, pids: list[int]) -> None:
        with self._pids_lock:
            self._pids = pids

    # -- running --------------------------------------------------------------------------------

    async def _main(self, ready: concurrent.futures.Future[None], signals: bool) -> None:
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._stop = asyncio.Event()
        if self._echo is _STDOUT:
            self.config.echo = sys.stdout
        else:
            self.config.echo = self._echo
        service = core.Service(self.config, loop)
        service.on_pids = self._set_pids
        self._service = service
        try:
            await service.start()
        except BaseException as exc:
            await service.shutdown()
            ready.set_exception(exc)
            return
        if signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self._stop.set)
        ready.set_result(None)
        try:
            await self._stop.wait()
        finally:
            if signals:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(sig)
            await service.shutdown()

    def start(self) -> Emulator:
        """Start in a background thread; returns once both listeners are up."""
        if self._thread is not None or self._closed:
            raise RuntimeError("an Emulator starts once")
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()

        def run() -> None:
            try:
                asyncio.run(self._main(ready, signals=False))
            except BaseException as exc:  # pragma: no cover - reported through ready
                if not ready.done():
                    ready.set_exception(exc)

        self._thread = threading.Thread(target=run, name="lambdago-emulator", daemon=True)
        self._thread.start()
        try:
            ready.result()
        except BaseException:
            self._thread.join()
            self._thread = None
            raise
        return self

    def serve_forever(self, ready: Callable[[Emulator], None] | None = None) -> None:
        """Run in the calling (main) thread until SIGINT or SIGTERM, then stop
        everything. ``ready`` is called once the listeners are up."""
        started: concurrent.futures.Future[None] = concurrent.futures.Future()
        if ready is not None:
            started.add_done_callback(lambda f: ready(self) if f.exception() is None else None)
        asyncio.run(self._main(started, signals=True))
        if started.done() and started.exception() is not None:
            raise started.exception()  # type: ignore[misc]

    def stop(self) -> None:
        """Ask a running emulator to stop (from any thread)."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stop.set)

    def close(self) -> None:
        """Stop the emulator and everything it started, and wait for that."""
        self._closed = True
        with self._clients_lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.close()
        self.stop()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, fn: Callable[[], _T]) -> _T:
        """Run ``fn`` on the emulator's event loop and return its result."""
        loop = self._loop
        if loop is None:
            raise RuntimeError("the emulator is not running")
        result: concurrent.futures.Future[_T] = concurrent.futures.Future()

        def run() -> None:
            try:
                result.set_result(fn())
            except BaseException as exc:
                result.set_exception(exc)

        loop.call_soon_threadsafe(run)
        return result.result()

    def restart_runtimes(self) -> None:
        """Stop the runtimes (busy ones after their invocation); the next invocation
        cold-starts. What ``--watch`` does on a change."""
        service = self._service
        if service is not None:
            self.call(service.restart_runtimes)

    # -- invoking -------------------------------------------------------------------------------

    def _client(self) -> http.client.HTTPConnection:
        client: http.client.HTTPConnection | None = getattr(self._local, "client", None)
        if client is None:
            limit = self.config.timeout + self.config.init_timeout + 60
            client = http.client.HTTPConnection(
                self._url_host().strip("[]"), self.port, timeout=limit
            )
            self._local.client = client
            with self._clients_lock:
                self._clients.append(client)
        return client

    def invoke(
        self,
        payload: bytes | str = b"{}",
        client_context: Mapping[str, Any] | str | None = None,
        log_tail: bool = False,
        invocation_type: str = "RequestResponse",
        headers: Mapping[str, str] | None = None,
    ) -> InvokeResult:
        """Invoke through the invoke endpoint (a keep-alive connection per thread).

        ``client_context`` is the JSON object (a dict, or its JSON text) that the caller's
        ``X-Amz-Client-Context`` carries; it is base64-encoded here.
        """
        body = payload.encode() if isinstance(payload, str) else bytes(payload)
        sent: dict[str, str] = {"Content-Type": "application/json"}
        if invocation_type != "RequestResponse":
            sent["X-Amz-Invocation-Type"] = invocation_type
        if log_tail:
            sent["X-Amz-Log-Type"] = "Tail"
        if client_context is not None:
            text = client_context if isinstance(client_context, str) else json.dumps(client_context)
            sent["X-Amz-Client-Context"] = base64.b64encode(text.encode()).decode("ascii")
        if headers:
            sent.update(headers)
        client = self._client()
        try:
            client.request("POST", "/2015-03-31/functions/function/invocations", body, sent)
            response = client.getresponse()
            data = response.read()
        except BaseException:
            client.close()
            raise
        got = {name.lower(): value for name, value in response.getheaders()}
        tail = got.get("x-amz-log-result")
        return InvokeResult(
            status=response.status,
            payload=data,
            function_error=got.get("x-amz-function-error"),
            headers=got,
            log_tail=base64.b64decode(tail).decode("utf-8", "replace")
            if tail is not None
            else None,
        )

    def invoke_stream(
        self,
        payload: bytes | str = b"{}",
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        client_context: Mapping[str, Any] | str | None = None,
    ) -> StreamedInvokeResult:
        """Invoke on a connection of its own and return as soon as the answer's head is in:
        the body (a streamed response's pieces, as the runtime sends them) is read while
        it is iterated."""
        body = payload.encode() if isinstance(payload, str) else bytes(payload)
        sent = {"Content-Type": "application/json", "Content-Length": str(len(body))}
        if client_context is not None:
            text = client_context if isinstance(client_context, str) else json.dumps(client_context)
            sent["X-Amz-Client-Context"] = base64.b64encode(text.encode()).decode("ascii")
        if headers:
            sent.update(headers)
        limit = (
            timeout if timeout is not None else self.config.timeout + self.config.init_timeout + 60
        )
        sock = socket.create_connection((self._url_host().strip("[]"), self.port), timeout=limit)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        lines = [
            "POST /2015-03-31/functions/function/invocations HTTP/1.1",
            f"Host: {self._url_host()}",
        ]
        lines += [f"{k}: {v}" for k, v in sent.items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        buffer = bytearray()
        while b"\r\n\r\n" not in buffer:
            data = sock.recv(65536)
            if not data:
                sock.close()
                raise ConnectionError("the invoke endpoint closed the connection before answering")
            buffer += data
        head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        got: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            got[name.strip().lower()] = value.strip()
        return StreamedInvokeResult(sock, int(status_line.split(" ")[1]), got, rest)
