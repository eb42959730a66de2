"""The emulated Lambda service: the invoke endpoint, the FIFO queue, and execution
environments, each with one runtime process and its own Runtime API listener.

Everything here runs on one asyncio event loop; nothing blocks it (process output is
read from non-blocking pipes, exits arrive through pidfds). An :class:`Invocation` is
answered exactly once (:meth:`Invocation.answer` ignores any later answer), and every
path that ends an environment's runtime (its exit, a timeout, a shutdown) answers the
invocation it held, so none is lost.

Each environment has its own Runtime API port: a request on it can only come from that
environment's runtime, which is how the emulator knows who is asking, as Lambda does.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import collections
import contextlib
import json
import math
import os
import re
import secrets
import signal
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import unquote

from . import process as proc_mod
from .http11 import Limits, RequestHead
from .server import Connection, Deferred, Reply, Request, Route, listen

__all__ = [
    "MAX_REQUEST_PAYLOAD",
    "MAX_RESPONSE_PAYLOAD",
    "Config",
    "Environment",
    "Invocation",
    "Service",
]

MAX_REQUEST_PAYLOAD = 6 * 1024 * 1024  # 6291456: the Invoke API's limit
MAX_RESPONSE_PAYLOAD = 6 * 1024 * 1024 + 100  # 6291556: what a runtime may post
MAX_CLIENT_CONTEXT = 3583  # base64 characters, as the Invoke API allows
LOG_TAIL_BYTES = 4096
ACCOUNT_ID = "000000000000"
VERSION = "$LATEST"
INVOKE_PATH_RE = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")
INVOCATION_RE = re.compile(r"^/2018-06-01/runtime/invocation/([^/]+)/(response|error)$")
JSON = "application/json"

_API_LIMITS = Limits()


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _error_body(error_type: str, message: str) -> bytes:
    return _json({"errorMessage": message, "errorType": error_type})


def _api_error(status: int, error_type: str, message: str) -> Reply:
    """A Runtime API error answer (``{"errorMessage", "errorType"}``)."""
    return Reply(status, _error_body(error_type, message), [("Content-Type", JSON)])


def _service_error(status: int, error_type: str, message: str) -> Reply:
    """An Invoke API error answer, as Lambda's front end gives it."""
    return Reply(
        status,
        _json({"Type": "User" if status < 500 else "Service", "message": message}),
        [
            ("Content-Type", JSON),
            ("x-amzn-ErrorType", error_type),
            ("X-Amzn-RequestId", str(uuid.uuid4())),
        ],
    )


def iso_now() -> str:
    """``2026-11-25T21:30:00.123Z``."""
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}Z"


def new_trace_id() -> str:
    """An X-Ray trace header in Lambda's format."""
    return (
        f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)};"
        f"Parent={secrets.token_hex(8)};Sampled=0"
    )


@dataclass
class Config:
    """What the emulator runs and how (see :class:`lambdago.emulator.Emulator`)."""

    command: list[str]
    task_root: str
    env: dict[str, str] = field(default_factory=dict)
    timeout: float = 3.0
    memory: int = 128
    concurrency: int = 1
    host: str = "127.0.0.1"
    invoke_port: int = 9000
    runtime_host: str = "127.0.0.1"
    function_name: str = "function"
    handler: str = ""
    region: str = "us-east-1"
    init_timeout: float = 10.0
    shutdown_grace: float = 0.5
    pass_aws_credentials: bool = False
    echo: IO[str] | None = None
    watch: bool = False
    watch_interval: float = 0.5

    @property
    def function_arn(self) -> str:
        """``arn:aws:lambda:<region>:000000000000:function:<name>``."""
        return f"arn:aws:lambda:{self.region}:{ACCOUNT_ID}:function:{self.function_name}"


@dataclass(slots=True)
class Outcome:
    """What the caller gets: a payload, and the function error if it failed."""

    payload: bytes
    function_error: str | None = None
    content_type: str = JSON
    error_type: str | None = None  # for the REPORT line


class Invocation:
    """One call of the function, from the queue to its END line."""

    def __init__(
        self,
        payload: bytes,
        *,
        log_tail: bool,
        asynchronous: bool,
        client_context: str | None,
        tenant_id: str | None,
        trace_id: str,
    ) -> None:
        self.request_id = str(uuid.uuid4())
        self.payload = payload
        self.log_tail = log_tail
        self.asynchronous = asynchronous
        self.client_context = client_context
        self.tenant_id = tenant_id
        self.trace_id = trace_id
        self.reply = Deferred()
        self.outcome: Outcome | None = None
        self.finished = False
        self.log = bytearray()
        self.rejected_size: int | None = None  # a /response refused as too large
        self.received = time.monotonic()
        self.delivered: float | None = None  # when /next handed it out
        self.responded: float | None = None  # when the result arrived
        self.deadline_ms = 0
        self.timer: asyncio.TimerHandle | None = None
        self.status = ""  # "timeout" or "error" for the REPORT line

    def add_log(self, data: bytes) -> None:
        """Keep the end of this invocation's log (for ``X-Amz-Log-Result``)."""
        log = self.log
        log += data
        if len(log) > 4 * LOG_TAIL_BYTES:
            del log[: len(log) - LOG_TAIL_BYTES]

    def answer(self, outcome: Outcome) -> bool:
        """Record the result; the first answer wins, later ones are refused (False)."""
        if self.outcome is not None:
            return False
        self.outcome = outcome
        if self.responded is None:
            self.responded = time.monotonic()
        if not self.log_tail:
            self._resolve()
        return True

    def _resolve(self) -> None:
        if self.reply.done():
            return
        outcome = self.outcome
        assert outcome is not None
        headers = [
            ("Content-Type", outcome.content_type or JSON),
            ("X-Amzn-RequestId", self.request_id),
            ("X-Amz-Executed-Version", VERSION),
            ("X-Amzn-Trace-Id", self.trace_id),
        ]
        if outcome.function_error:
            headers.append(("X-Amz-Function-Error", outcome.function_error))
        if self.log_tail:
            tail = bytes(self.log[-LOG_TAIL_BYTES:])
            headers.append(("X-Amz-Log-Result", base64.b64encode(tail).decode("ascii")))
        self.reply.set(Reply(200, outcome.payload, headers))

    def finish(self) -> None:
        """The invocation is over (END/REPORT written): answer now if not yet done."""
        if self.finished:
            return
        self.finished = True
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.outcome is None:  # every path answers first; this is a safety net
            self.outcome = Outcome(
                _error_body("Runtime.Unknown", f"RequestId: {self.request_id} Error: no response"),
                "Unhandled",
                error_type="Runtime.Unknown",
            )
        self._resolve()

    def fail(self, error_type: str, message: str) -> bool:
        """Answer with an error the emulator builds (Unhandled)."""
        return self.answer(
            Outcome(_error_body(error_type, message), "Unhandled", error_type=error_type)
        )


class LogSink:
    """Where runtime output and the START/END/REPORT lines are echoed."""

    def __init__(self, stream: IO[str] | None) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        stream = self.stream
        if stream is None or not data:
            return
        try:
            buffer = getattr(stream, "buffer", None)
            if buffer is not None:
                stream.flush()
                buffer.write(data)
                buffer.flush()
            else:
                stream.write(data.decode("utf-8", "replace"))
                stream.flush()
        except (OSError, ValueError):
            self.stream = None  # a closed terminal must not stop the emulator


class Extension:
    """An extension registered through the Extensions API (2020-01-01)."""

    def __init__(self, name: str, events: set[str]) -> None:
        self.id = str(uuid.uuid4())
        self.name = name
        self.events = events
        self.queue: collections.deque[bytes] = collections.deque(maxlen=100)
        self.waiter: tuple[Connection, Deferred] | None = None

    def push(self, event: dict[str, Any]) -> None:
        self.queue.append(_json(event))
        self._flush()

    def _flush(self) -> None:
        if self.waiter is None or not self.queue:
            return
        conn, future = self.waiter
        self.waiter = None
        if not conn.usable or future.done():
            return
        future.set(self._reply(self.queue.popleft()))

    @staticmethod
    def _reply(body: bytes) -> Reply:
        return Reply(
            200,
            body,
            [("Content-Type", JSON), ("Lambda-Extension-Event-Identifier", str(uuid.uuid4()))],
        )


class Environment:
    """One execution environment: a Runtime API listener and at most one runtime process,
    which handles one invocation at a time."""

    def __init__(self, service: Service, index: int) -> None:
        self.service = service
        self.config = service.config
        self.index = index
        self.server: asyncio.Server | None = None
        self.port = 0
        self.proc: proc_mod.RuntimeProcess | None = None
        self.initialized = False  # the runtime has asked for its first event
        self.init_duration: float | None = None  # ms, until reported once
        self.init_failure: Outcome | None = None
        self.current: Invocation | None = None
        self.delivered = False
        self.waiter: tuple[Connection, Deferred] | None = None
        self.extensions: dict[str, Extension] = {}
        self.conns: set[Connection] = set()
        self.retiring = False  # the process is being stopped: not free until it exits
        self.stale = False  # stop the process once its invocation is over (--watch)
        self.exited: asyncio.Event = asyncio.Event()
        self.exited.set()
        self._partial: dict[int, bytes] = {}
        self._init_timer: asyncio.TimerHandle | None = None
        self._kill_timer: asyncio.TimerHandle | None = None

    # -- the listener -----------------------------------------------------------------------

    async def start(self) -> None:
        self.server = await listen(
            RuntimeAPI(self), self.config.runtime_host, 0, _API_LIMITS, register=self._register
        )
        self.port = self.server.sockets[0].getsockname()[1]

    @property
    def address(self) -> str:
        """``host:port`` for ``AWS_LAMBDA_RUNTIME_API``."""
        host = self.config.runtime_host
        return f"[{host}]:{self.port}" if ":" in host else f"{host}:{self.port}"

    def _register(self, conn: Connection) -> None:
        conn.tag = self
        self.conns.add(conn)
        conn.on_close.append(self.conns.discard)

    @property
    def free(self) -> bool:
        return self.current is None and not self.retiring and not self.service.closing

    # -- the process --------------------------------------------------------------------------

    def assign(self, inv: Invocation) -> None:
        """Give ``inv`` to this (free) environment."""
        self.current = inv
        self.delivered = False
        if self.proc is None:
            self._spawn(inv)
        else:
            self._deliver_if_waiting()

    def _spawn(self, inv: Invocation) -> None:
        config = self.config
        self.initialized = False
        self.init_duration = None
        self.init_failure = None
        self.extensions = {}
        self._partial = {}
        env = proc_mod.runtime_environment(
            handler=config.handler,
            task_root=config.task_root,
            runtime_api=self.address,
            function_name=config.function_name,
            memory=config.memory,
            region=config.region,
            user_env=config.env,
            pass_aws_credentials=config.pass_aws_credentials,
        )
        if not os.path.isdir(config.task_root):
            self._spawn_failed(
                inv,
                "Runtime.InvalidWorkingDir",
                f"chdir {config.task_root}: no such file or directory",
            )
            return
        try:
            proc = proc_mod.RuntimeProcess(
                config.command,
                cwd=config.task_root,
                env=env,
                loop=self.service.loop,
                on_output=self._output,
                on_exit=self._on_exit,
                watchdog=self.service.watchdog,
            )
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self._spawn_failed(
                inv,
                "Runtime.InvalidEntrypoint",
                f"fork/exec {config.command[0] if config.command else ''}: {reason.lower()}",
            )
            return
        self.proc = proc
        self.exited = asyncio.Event()
        self.service.pids_changed()
        loop = self.service.loop
        self._init_timer = loop.call_later(config.init_timeout, self._init_timed_out, proc)

    def _spawn_failed(self, inv: Invocation, error_type: str, message: str) -> None:
        text = f"RequestId: {inv.request_id} Error: {message}"
        self._log(f"{text}\n{error_type}\n".encode(), inv)
        inv.status = "error"
        inv.fail(error_type, text)
        self._finish_current(init_failed=True)

    def _output(self, data: bytes, stream: int) -> None:
        inv = self.current
        if inv is not None and not inv.finished:
            inv.add_log(data)
        # Echo whole lines only, so that concurrent runtimes do not interleave mid-line.
        pending = self._partial.get(stream, b"") + data
        cut = pending.rfind(b"\n") + 1
        if cut:
            self.service.sink.write(pending[:cut])
        self._partial[stream] = pending[cut:]
        if len(self._partial[stream]) > 65536:
            self._flush_partial()

    def _flush_partial(self) -> None:
        for stream, rest in list(self._partial.items()):
            if rest:
                self.service.sink.write(rest if rest.endswith(b"\n") else rest + b"\n")
            self._partial[stream] = b""

    def _log(self, line: bytes, inv: Invocation | None) -> None:
        """A platform line (START, END, …): to the echo and the invocation's log."""
        self._flush_partial()
        if inv is not None:
            inv.add_log(line)
        self.service.sink.write(line)

    def _on_exit(self, code: int) -> None:
        proc = self.proc
        self._cancel_timers()
        inv = self.current
        reason = proc_mod.describe_exit(code)
        if inv is not None and not inv.finished:
            if inv.outcome is None:
                if inv.rejected_size is not None:
                    self._answer_too_large(inv)
                else:
                    inv.status = "error"
                    prefix = f"RequestId: {inv.request_id} Error: Runtime exited"
                    if code == 0:
                        text = f"{prefix} without providing a reason"
                    else:
                        text = f"{prefix} with error: {reason}"
                    self._log(f"{text}\nRuntime.ExitError\n".encode(), inv)
                    inv.fail("Runtime.ExitError", text)
            elif inv.status != "timeout" and not self.retiring and code != 0:
                line = f"RequestId: {inv.request_id} Error: Runtime exited with error: {reason}\n"
                self._log(line.encode(), inv)
            self._finish_current(init_failed=not self.delivered)
        elif not self.retiring and not self.service.closing:
            what = f"with error: {reason}" if code else "between invocations"
            self._log(f"Runtime exited {what}\n".encode(), None)
        self._flush_partial()
        if proc is not None:
            proc.close()
        self.proc = None
        self.initialized = False
        self.retiring = False
        self.stale = False
        for conn in list(self.conns):
            conn.close()
        self._drop_waiter()
        for ext in self.extensions.values():
            if ext.waiter is not None:
                ext.waiter[0].close()
        self.extensions = {}
        self.exited.set()
        self.service.pids_changed()
        self.service.dispatch()

    def _cancel_timers(self) -> None:
        for timer in (self._init_timer, self._kill_timer):
            if timer is not None:
                timer.cancel()
        self._init_timer = self._kill_timer = None

    def kill(self) -> None:
        """SIGKILL the runtime's process group now (its exit is handled as usual)."""
        if self.proc is not None and self.proc.alive:
            self.retiring = True
            self.proc.kill_group(signal.SIGKILL)

    async def stop(self) -> None:
        """Shut the runtime down as Lambda does: SIGTERM first (and a SHUTDOWN event)
        for a runtime that registered an extension, then SIGKILL after the grace time."""
        proc = self.proc
        if proc is None or not proc.alive:
            return
        self.retiring = True
        if proc.registered_extension:
            deadline = int((time.time() + self.config.shutdown_grace) * 1000)
            for ext in self.extensions.values():
                if "SHUTDOWN" in ext.events:
                    ext.push(
                        {
                            "eventType": "SHUTDOWN",
                            "shutdownReason": "spindown",
                            "deadlineMs": deadline,
                        }
                    )
            proc.kill_group(signal.SIGTERM)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.exited.wait(), self.config.shutdown_grace)
        if self.proc is proc and proc.alive:
            proc.kill_group(signal.SIGKILL)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.exited.wait(), 5.0)

    def retire(self) -> None:
        """Stop the runtime in the background (the next invocation cold-starts)."""
        if self.proc is None or self.retiring:
            return
        task = self.service.loop.create_task(self.stop())
        self.service.tasks.add(task)
        task.add_done_callback(self.service.tasks.discard)

    # -- timers ---------------------------------------------------------------------------------

    def _init_timed_out(self, proc: proc_mod.RuntimeProcess) -> None:
        self._init_timer = None
        if self.proc is not proc or self.initialized:
            return
        inv = self.current
        if inv is not None:
            inv.status = "timeout"
            limit = self.config.init_timeout
            text = f"{iso_now()} {inv.request_id} Init timed out after {limit:.2f} seconds"
            self._log(f"{text}\n".encode(), inv)
            inv.fail("Sandbox.Timedout", text)
        self.kill()

    def _timed_out(self, inv: Invocation) -> None:
        inv.timer = None
        if self.current is not inv or inv.finished:
            return
        inv.status = "timeout"
        if self.proc is not None:
            self.proc.drain()
            self.proc.sample_memory()
        text = (
            f"{iso_now()} {inv.request_id} Task timed out after {self.config.timeout:.2f} seconds"
        )
        self._log(f"{text}\n".encode(), inv)
        inv.fail("Sandbox.Timedout", text)
        self.kill()  # _on_exit writes END/REPORT and frees the environment

    # -- delivering and finishing ---------------------------------------------------------------

    def _drop_waiter(self) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None:
            waiter[1].cancel()
            waiter[0].close()

    def _deliver_if_waiting(self) -> None:
        inv = self.current
        if inv is None or self.delivered or self.waiter is None:
            return
        conn, future = self.waiter
        self.waiter = None
        if not conn.usable or future.done():
            return
        future.set(self._deliver(inv))

    def _deliver(self, inv: Invocation) -> Reply:
        config = self.config
        self.delivered = True
        inv.delivered = time.monotonic()
        inv.deadline_ms = int((time.time() + config.timeout) * 1000)
        if self.proc is not None and self.proc.peak_memory_mb is None:
            self.proc.sample_memory()  # a first reading, in case the process dies
        inv.timer = self.service.loop.call_later(config.timeout, self._timed_out, inv)
        headers = [
            ("Content-Type", JSON),
            ("Lambda-Runtime-Aws-Request-Id", inv.request_id),
            ("Lambda-Runtime-Deadline-Ms", str(inv.deadline_ms)),
            ("Lambda-Runtime-Invoked-Function-Arn", config.function_arn),
            ("Lambda-Runtime-Trace-Id", inv.trace_id),
        ]
        if inv.client_context is not None:
            headers.append(("Lambda-Runtime-Client-Context", inv.client_context))
        if inv.tenant_id:
            headers.append(("Lambda-Runtime-Aws-Tenant-Id", inv.tenant_id))
        self._log(f"START RequestId: {inv.request_id} Version: {VERSION}\n".encode(), inv)
        for ext in self.extensions.values():
            if "INVOKE" in ext.events:
                ext.push(
                    {
                        "eventType": "INVOKE",
                        "deadlineMs": inv.deadline_ms,
                        "requestId": inv.request_id,
                        "invokedFunctionArn": config.function_arn,
                        "tracing": {"type": "X-Amzn-Trace-Id", "value": inv.trace_id},
                    }
                )
        return Reply(200, inv.payload, headers)

    def _answer_too_large(self, inv: Invocation) -> None:
        size = inv.rejected_size or 0
        inv.status = "error"
        inv.fail(
            "Function.ResponseSizeTooLarge",
            f"Response payload size ({size} bytes) exceeded maximum allowed payload size "
            f"({MAX_RESPONSE_PAYLOAD} bytes).",
        )

    def _finish_current(self, init_failed: bool = False) -> None:
        inv = self.current
        if inv is None:
            return
        proc = self.proc
        if proc is not None:
            proc.drain()
        memory = proc.sample_memory() if proc is not None else None
        now = time.monotonic()
        outcome = inv.outcome
        error_type = outcome.error_type if outcome is not None else None
        status = ""
        if inv.status == "timeout":
            status = "\tStatus: timeout"
        elif inv.status == "error" and error_type:
            status = f"\tStatus: error\tError Type: {error_type}"
        if init_failed:
            started = proc.started if proc is not None else now
            init_ms = (now - started) * 1000
            self._log(
                f"INIT_REPORT Init Duration: {init_ms:.2f} ms\tPhase: init{status}\n".encode(), inv
            )
            self._log(f"START RequestId: {inv.request_id} Version: {VERSION}\n".encode(), inv)
            duration = 0.0
            init_part = ""
            billed = 0
        else:
            assert inv.delivered is not None
            duration = (now - inv.delivered) * 1000
            if inv.status == "timeout":
                duration = min(duration, self.config.timeout * 1000)
            init_part = ""
            billed_ms = duration
            if self.init_duration is not None:
                init_part = f"\tInit Duration: {self.init_duration:.2f} ms"
                billed_ms += self.init_duration
                self.init_duration = None
            billed = max(1, math.ceil(billed_ms))
        memory_text = f"{memory} MB" if memory is not None else "- MB"
        self._log(
            (
                f"END RequestId: {inv.request_id}\n"
                f"REPORT RequestId: {inv.request_id}\tDuration: {duration:.2f} ms\t"
                f"Billed Duration: {billed} ms\tMemory Size: {self.config.memory} MB\t"
                f"Max Memory Used: {memory_text}{init_part}{status}\n"
            ).encode(),
            inv,
        )
        self.current = None
        self.delivered = False
        inv.finish()
        self.service.finished(inv)

    # -- the Runtime API --------------------------------------------------------------------------

    def next(self, request: Request) -> Reply | Deferred:
        proc = self.proc
        if proc is None or not proc.alive or self.init_failure is not None:
            return _api_error(
                403,
                "InvalidStateTransition",
                "State transition from Exited to Ready failed for runtime.",
            )
        proc.drain()
        if not self.initialized:
            self.initialized = True
            self.init_duration = (time.monotonic() - proc.started) * 1000
            if self._init_timer is not None:
                self._init_timer.cancel()
                self._init_timer = None
        inv = self.current
        if inv is not None and self.delivered:
            # The runtime is done with it (it asks for the next one).
            if inv.outcome is None:
                if inv.rejected_size is not None:
                    self._answer_too_large(inv)
                else:
                    inv.status = "error"
                    text = (
                        f"RequestId: {inv.request_id} Error: the runtime asked for the next "
                        "invocation without posting a response or an error for this one"
                    )
                    self._log(f"{text}\nRuntime.NoResponse\n".encode(), inv)
                    inv.fail("Runtime.NoResponse", text)
            self._finish_current()
            if self.stale:
                self.retire()  # the long poll below is parked until the process goes
            self.service.dispatch()
        inv = self.current
        if inv is not None and not self.delivered:
            return self._deliver(inv)
        # Park the long poll; a newer /next replaces an older one (whose client is gone or
        # confused).
        if self.waiter is not None:
            old_future = self.waiter[1]
            if not old_future.done():
                old_future.set(
                    _api_error(
                        403, "InvalidStateTransition", "Another /next request replaced this one."
                    )
                )
        future = Deferred()
        conn = request.conn
        self.waiter = (conn, future)

        def closed(c: Connection) -> None:
            if self.waiter is not None and self.waiter[0] is c:
                self.waiter = None

        conn.on_close.append(closed)
        return future

    def _check_id(self, request_id: str) -> Invocation | None:
        inv = self.current
        if (
            inv is None
            or not self.delivered
            or inv.request_id != request_id
            or inv.outcome is not None
            or inv.finished
        ):
            return None
        return inv

    def response(self, request: Request, request_id: str) -> Reply:
        inv = self._check_id(request_id)
        if inv is None:
            return _api_error(400, "InvalidRequestID", "Invalid request ID")
        if self.proc is not None:
            self.proc.drain()
        if request.too_large:
            inv.rejected_size = request.body_size
            self._log(
                (
                    f"RequestId: {inv.request_id} Error: Response payload size "
                    f"({request.body_size} bytes) exceeded maximum allowed payload size "
                    f"({MAX_RESPONSE_PAYLOAD} bytes).\n"
                ).encode(),
                inv,
            )
            return _api_error(
                413,
                "RequestEntityTooLarge",
                f"Exceeded maximum allowed payload size ({MAX_RESPONSE_PAYLOAD} bytes).",
            )
        content_type = request.head.get("content-type") or JSON
        inv.answer(Outcome(request.body, None, content_type))
        return Reply(202, b'{"status":"OK"}', [("Content-Type", JSON)])

    def error(self, request: Request, request_id: str) -> Reply:
        inv = self._check_id(request_id)
        if inv is None:
            return _api_error(400, "InvalidRequestID", "Invalid request ID")
        if self.proc is not None:
            self.proc.drain()
        error_type = request.head.get("lambda-runtime-function-error-type") or "Runtime.Unknown"
        body = request.body
        if request.too_large or not body.strip():
            body = _error_body(error_type, "")
        inv.answer(Outcome(body, "Unhandled", JSON, error_type))
        return Reply(202, b'{"status":"OK"}', [("Content-Type", JSON)])

    def init_error(self, request: Request) -> Reply:
        proc = self.proc
        if proc is None or self.initialized or self.init_failure is not None:
            return _api_error(
                403,
                "InvalidStateTransition",
                "State transition from Ready to InitError failed for runtime.",
            )
        proc.drain()
        error_type = request.head.get("lambda-runtime-function-error-type") or "Runtime.Unknown"
        body = request.body
        if request.too_large or not body.strip():
            body = _error_body(error_type, "")
        outcome = Outcome(body, "Unhandled", JSON, error_type)
        self.init_failure = outcome
        if self._init_timer is not None:
            self._init_timer.cancel()
            self._init_timer = None
        inv = self.current
        if inv is not None:
            inv.status = "error"
            inv.answer(outcome)
        # The runtime is expected to exit now; if it does not, it is killed.
        self._kill_timer = self.service.loop.call_later(1.0, self.kill)
        return Reply(202, b'{"status":"OK"}', [("Content-Type", JSON)])

    def register_extension(self, request: Request) -> Reply:
        proc = self.proc
        if proc is None:
            return _api_error(403, "Extension.RegistrationClosed", "No runtime is running.")
        if self.initialized:
            return _api_error(
                403, "Extension.RegistrationClosed", "Extension registration closed already"
            )
        name = request.head.get("lambda-extension-name")
        if not name:
            return _api_error(403, "Extension.MissingHeader", "Empty extension name")
        try:
            parsed = json.loads(request.body or b"{}")
            events = parsed.get("events") or []
            if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
                raise ValueError
        except (ValueError, AttributeError):
            return _api_error(400, "InvalidRequestFormat", "Invalid registration request body")
        bad = [e for e in events if e not in ("INVOKE", "SHUTDOWN")]
        if bad:
            return _api_error(400, "Extension.InvalidEventType", f"Invalid event type: {bad[0]}")
        ext = Extension(name, set(events))
        self.extensions[ext.id] = ext
        proc.registered_extension = True
        body = _json(
            {
                "functionName": self.config.function_name,
                "functionVersion": VERSION,
                "handler": self.config.handler,
            }
        )
        return Reply(200, body, [("Content-Type", JSON), ("Lambda-Extension-Identifier", ext.id)])

    def extension_next(self, request: Request) -> Reply | Deferred:
        ext_id = request.head.get("lambda-extension-identifier")
        if not ext_id:
            return _api_error(
                403,
                "Extension.MissingExtensionIdentifier",
                "Missing Lambda-Extension-Identifier header",
            )
        ext = self.extensions.get(ext_id)
        if ext is None:
            return _api_error(403, "Extension.UnknownExtensionIdentifier", "Unknown extension")
        if ext.queue:
            return ext._reply(ext.queue.popleft())
        if ext.waiter is not None and not ext.waiter[1].done():
            ext.waiter[1].set(
                _api_error(
                    403, "Extension.InvalidExtensionState", "Another /event/next replaced this one."
                )
            )
        future = Deferred()
        conn = request.conn
        ext.waiter = (conn, future)

        def closed(c: Connection) -> None:
            if ext.waiter is not None and ext.waiter[0] is c:
                ext.waiter = None

        conn.on_close.append(closed)
        return future

    def extension_error(self, request: Request, kind: str) -> Reply:
        error_type = request.head.get("lambda-extension-function-error-type") or "Extension.Unknown"
        self._log(f"Extension {kind} error: {error_type}\n".encode(), self.current)
        return Reply(202, b'{"status":"OK"}', [("Content-Type", JSON)])


class RuntimeAPI:
    """The Runtime API (2018-06-01) and Extensions API (2020-01-01) of one environment."""

    def __init__(self, env: Environment) -> None:
        self.env = env

    def error_reply(self, status: int, message: str) -> Reply:
        return _api_error(
            status, "InvalidRequestFormat" if status < 500 else "InternalServerError", message
        )

    def route(self, head: RequestHead, conn: Connection) -> Route:
        env = self.env
        path = head.path
        method = head.method
        if path == "/2018-06-01/runtime/invocation/next":
            if method != "GET":
                return _fixed(_method_not_allowed("GET"))
            return Route(env.next, 0)
        match = INVOCATION_RE.match(path)
        if match is not None:
            if method != "POST":
                return _fixed(_method_not_allowed("POST"))
            request_id = unquote(match.group(1))
            if match.group(2) == "response":
                return Route(lambda r: env.response(r, request_id), MAX_RESPONSE_PAYLOAD)
            return Route(lambda r: env.error(r, request_id), MAX_RESPONSE_PAYLOAD)
        if path == "/2018-06-01/runtime/init/error":
            if method != "POST":
                return _fixed(_method_not_allowed("POST"))
            return Route(env.init_error, MAX_RESPONSE_PAYLOAD)
        if path == "/2020-01-01/extension/register":
            if method != "POST":
                return _fixed(_method_not_allowed("POST"))
            return Route(env.register_extension, 64 * 1024)
        if path == "/2020-01-01/extension/event/next":
            if method != "GET":
                return _fixed(_method_not_allowed("GET"))
            return Route(env.extension_next, 0)
        if path in ("/2020-01-01/extension/init/error", "/2020-01-01/extension/exit/error"):
            if method != "POST":
                return _fixed(_method_not_allowed("POST"))
            kind = "init" if "/init/" in path else "exit"
            return Route(lambda r: env.extension_error(r, kind), 1024 * 1024)
        return _fixed(_api_error(404, "NotFound", f"No such resource: {path}"))


def _method_not_allowed(allow: str) -> Reply:
    reply = _api_error(405, "MethodNotAllowed", "Method not allowed")
    reply.headers.append(("Allow", allow))
    return reply


def _fixed(reply: Reply) -> Route:
    """A route that answers ``reply`` whatever the body (kept up to 64 KiB, then dropped)."""
    return Route(lambda _r: Reply(reply.status, reply.body, list(reply.headers)), 0)


class InvokeAPI:
    """``POST /2015-03-31/functions/{name}/invocations``, as Lambda's Invoke API answers."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def error_reply(self, status: int, message: str) -> Reply:
        return _service_error(
            status,
            "InvalidRequestContentException" if status < 500 else "ServiceException",
            message,
        )

    def route(self, head: RequestHead, conn: Connection) -> Route:
        path = head.path
        if INVOKE_PATH_RE.match(path) is None:
            return _fixed(_service_error(404, "ResourceNotFoundException", f"No route for {path}"))
        if head.method != "POST":
            reply = _service_error(
                405, "MethodNotAllowedException", "Use POST to invoke a function"
            )
            reply.headers.append(("Allow", "POST"))
            return _fixed(reply)
        return Route(self.invoke, MAX_REQUEST_PAYLOAD)

    def invoke(self, request: Request) -> Reply | Deferred:
        head = request.head
        service = self.service
        if service.closing:
            return _service_error(503, "ServiceException", "The emulator is shutting down")
        invocation_type = head.get("x-amz-invocation-type") or "RequestResponse"
        if invocation_type not in ("RequestResponse", "Event", "DryRun"):
            return _service_error(
                400,
                "ValidationException",
                f"1 validation error detected: Value '{invocation_type}' at 'invocationType' "
                "failed to satisfy constraint: Member must satisfy enum value set: "
                "[Event, RequestResponse, DryRun]",
            )
        log_type = head.get("x-amz-log-type") or "None"
        if log_type not in ("None", "Tail"):
            return _service_error(
                400,
                "ValidationException",
                f"1 validation error detected: Value '{log_type}' at 'logType' failed to satisfy "
                "constraint: Member must satisfy enum value set: [Tail, None]",
            )
        if request.too_large:
            return _service_error(
                413,
                "RequestEntityTooLargeException",
                f"Request must be smaller than {MAX_REQUEST_PAYLOAD} bytes for the "
                "InvokeFunction operation",
            )
        client_context: str | None = None
        raw_context = head.get("x-amz-client-context")
        if raw_context:
            client_context = _decode_client_context(raw_context)
            if client_context is None:
                return _service_error(
                    400,
                    "InvalidRequestContentException",
                    "Client context must be a valid Base64-encoded JSON object.",
                )
        if invocation_type == "DryRun":
            return Reply(204, b"", [("X-Amzn-RequestId", str(uuid.uuid4()))])
        trace = head.get("x-amzn-trace-id") or ""
        inv = Invocation(
            request.body,
            log_tail=log_type == "Tail" and invocation_type == "RequestResponse",
            asynchronous=invocation_type == "Event",
            client_context=client_context,
            tenant_id=head.get("x-amz-tenant-id") or None,
            trace_id=trace if trace.startswith("Root=") else new_trace_id(),
        )
        service.enqueue(inv)
        if invocation_type == "Event":
            return Reply(202, b"", [("X-Amzn-RequestId", inv.request_id)])
        return inv.reply


def _decode_client_context(raw: str) -> str | None:
    if len(raw) > MAX_CLIENT_CONTEXT:
        return None
    try:
        text = base64.b64decode(raw, validate=True).decode("utf-8")
        json.loads(text)
    except (binascii.Error, ValueError):
        return None
    return text


class Service:
    """The whole emulator on its event loop: the invoke listener, the queue, the
    environments."""

    def __init__(self, config: Config, loop: asyncio.AbstractEventLoop) -> None:
        self.config = config
        self.loop = loop
        self.sink = LogSink(config.echo)
        self.queue: collections.deque[Invocation] = collections.deque()
        self.envs = [Environment(self, i) for i in range(max(1, config.concurrency))]
        self.invoke_server: asyncio.Server | None = None
        self.invoke_port = 0
        self.closing = False
        self.watchdog: proc_mod.Watchdog | None = None
        self.tasks: set[asyncio.Task[Any]] = set()
        self.on_pids: Callable[[list[int]], None] | None = None
        # (request id, received, delivered, responded, finished), monotonic seconds: for
        # benchmarks/emulator_latency.py, when record_timings is set.
        self.timings: collections.deque[tuple[str, float, float, float, float]] = collections.deque(
            maxlen=100000
        )
        self.record_timings = False
        self._invoke_conns: set[Connection] = set()

    async def start(self) -> None:
        self.watchdog = proc_mod.Watchdog()
        for env in self.envs:
            await env.start()

        def register(conn: Connection) -> None:
            self._invoke_conns.add(conn)
            conn.on_close.append(self._invoke_conns.discard)

        self.invoke_server = await listen(
            InvokeAPI(self), self.config.host, self.config.invoke_port, register=register
        )
        self.invoke_port = self.invoke_server.sockets[0].getsockname()[1]
        if self.config.watch:
            task = self.loop.create_task(self._watch())
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    # -- the queue ------------------------------------------------------------------------------

    def enqueue(self, inv: Invocation) -> None:
        self.queue.append(inv)
        self.dispatch()

    def dispatch(self) -> None:
        """Hand queued invocations to free environments, warm ones first (FIFO)."""
        while self.queue and not self.closing:
            best: Environment | None = None
            for env in self.envs:
                if not env.free:
                    continue
                if env.proc is not None and env.initialized:
                    best = env
                    break
                if best is None or (best.proc is None and env.proc is not None):
                    best = env
            if best is None:
                return
            best.assign(self.queue.popleft())

    def finished(self, inv: Invocation) -> None:
        outcome = inv.outcome
        if inv.asynchronous and outcome is not None and outcome.function_error:
            # Nobody waits for an Event invocation's answer: show its failure.
            text = outcome.payload[:1000].decode("utf-8", "replace")
            self.sink.write(f"Event invocation {inv.request_id} failed: {text}\n".encode())
        if self.record_timings and inv.delivered is not None and inv.responded is not None:
            self.timings.append(
                (inv.request_id, inv.received, inv.delivered, inv.responded, time.monotonic())
            )

    def pids_changed(self) -> None:
        if self.on_pids is not None:
            self.on_pids(self.pids())

    def pids(self) -> list[int]:
        return [env.proc.pid for env in self.envs if env.proc is not None and env.proc.alive]

    # -- --watch --------------------------------------------------------------------------------

    def restart_runtimes(self) -> None:
        """Stop every runtime (busy ones once their invocation is over)."""
        for env in self.envs:
            if env.proc is None:
                continue
            if env.current is None:
                env.retire()
            else:
                env.stale = True

    async def _watch(self) -> None:
        root = self.config.task_root
        before = await self.loop.run_in_executor(None, snapshot_mtimes, root)
        while not self.closing:
            await asyncio.sleep(self.config.watch_interval)
            after = await self.loop.run_in_executor(None, snapshot_mtimes, root)
            if after != before:
                changed = sorted(
                    k for k in after.keys() | before.keys() if after.get(k) != before.get(k)
                )
                shown = ", ".join(os.path.relpath(p, root) for p in changed[:3])
                more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
                self.sink.write(
                    f"lambdago: {shown}{more} changed; restarting the runtime\n".encode()
                )
                self.restart_runtimes()
                before = after

    # -- shutdown -------------------------------------------------------------------------------

    async def shutdown(self) -> None:
        """Stop everything: no new invocations, runtimes stopped, listeners closed."""
        if self.closing:
            return
        self.closing = True
        if self.invoke_server is not None:
            self.invoke_server.close()
        while self.queue:
            inv = self.queue.popleft()
            inv.answer(
                Outcome(
                    _error_body("ServiceException", "The emulator is shutting down"), "Unhandled"
                )
            )
            inv.finish()
        await asyncio.gather(*(env.stop() for env in self.envs))
        for task in list(self.tasks):
            task.cancel()
        for env in self.envs:
            for conn in list(env.conns):
                conn.close()
            if env.server is not None:
                env.server.close()
            if env.current is not None:  # only if a runtime could not be stopped
                env.current.fail("Sandbox.Shutdown", "The emulator shut down")
                env.current.finish()
        for conn in list(self._invoke_conns):
            conn.close()
        await asyncio.sleep(0)
        if self.watchdog is not None:
            await self.loop.run_in_executor(None, self.watchdog.close)


_SKIP_DIRS = frozenset(
    {
        ".git",
        "__pycache__",
        ".venv",
        "venv",
        "node_modules",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".hypothesis",
    }
)


def snapshot_mtimes(root: str, limit: int = 20000) -> dict[str, int]:
    """Modification times of the files under ``root`` (hidden and cache directories
    skipped), for ``--watch``."""
    found: dict[str, int] = {}
    stack = [root]
    while stack and len(found) < limit:
        top = stack.pop()
        try:
            entries = list(os.scandir(top))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in _SKIP_DIRS and not entry.name.startswith("."):
                        stack.append(entry.path)
                elif entry.is_file():
                    found[entry.path] = entry.stat().st_mtime_ns
            except OSError:
                continue
    return found


def default_echo() -> IO[str]:
    return sys.stdout
