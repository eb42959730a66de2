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
from .server import Connection, Deferred, Reply, Request, Route, StreamBody, listen

__all__ = [
    "MAX_REQUEST_PAYLOAD",
    "MAX_RESPONSE_PAYLOAD",
    "MAX_STREAM_RESPONSE",
    "Config",
    "Environment",
    "Invocation",
    "Service",
]

MAX_REQUEST_PAYLOAD = 6 * 1024 * 1024  # 6291456: the Invoke API's limit
MAX_RESPONSE_PAYLOAD = 6 * 1024 * 1024 + 100  # 6291556: what a runtime may post
MAX_STREAM_RESPONSE = 200 * 1024 * 1024  # 209715200: a streamed response, all of it
STREAMING = "streaming"
TRAILER_ERROR_TYPE = "Lambda-Runtime-Function-Error-Type"
TRAILER_ERROR_BODY = "Lambda-Runtime-Function-Error-Body"
MAX_CLIENT_CONTEXT = 3583  # base64 characters, as the Invoke API allows
LOG_TAIL_BYTES = 4096
ACCOUNT_ID = "000000000000"
VERSION = "$LATEST"
INVOKE_PATH_RE = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")
STREAM_INVOKE_PATH_RE = re.compile(
    r"^/2021-11-15/functions/([^/]+)/response-streaming-invocations$"
)
INVOCATION_RE = re.compile(r"^/2018-06-01/runtime/invocation/([^/]+)/(response|error)$")
JSON = "application/json"

# Error trailers of a streamed response carry base64 error JSON: allow them room.
_API_LIMITS = Limits(max_trailer_bytes=1024 * 1024)


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _error_body(error_type: str, message: str) -> bytes:
    return _json({"errorMessage": message, "errorType": error_type})


def _trailer_error(trailers: tuple[tuple[str, str], ...]) -> tuple[str, bytes] | None:
    """The error a runtime's body ended with, as ``(error type, error JSON)``: from the
    ``Lambda-Runtime-Function-Error-Type`` trailer and the base64 JSON of
    ``Lambda-Runtime-Function-Error-Body`` (made up when missing or not base64); None
    without an error type."""
    fields = dict(trailers)
    error_type = fields.get("lambda-runtime-function-error-type")
    if not error_type:
        return None
    try:
        error_json = base64.b64decode(
            fields.get("lambda-runtime-function-error-body", ""), validate=True
        )
    except (binascii.Error, ValueError):
        error_json = b""
    if not error_json.strip():
        error_json = _error_body(error_type, "")
    return error_type, error_json


def _error_trailers(error_type: str, error_json: bytes) -> list[tuple[str, str]]:
    """The trailers that end a failed streamed answer."""
    return [
        ("X-Amz-Function-Error", "Unhandled"),
        (TRAILER_ERROR_TYPE, error_type),
        (TRAILER_ERROR_BODY, base64.b64encode(error_json).decode("ascii")),
    ]


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
    max_concurrency: int = 1  # invocations one runtime process holds at once
    stream_limit: int = MAX_STREAM_RESPONSE
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
    stream: StreamBody | None = None  # a streamed response, passed on as it arrives


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
        self.conn: Connection | None = None  # the /next connection it went out on
        self._stream_end: list[tuple[str, str]] | None = None  # held for the log tail
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
        if not self.log_tail or outcome.stream is not None:
            self._resolve()
        return True

    @property
    def streaming(self) -> bool:
        """A streamed response is being passed on and the runtime has not ended it yet."""
        outcome = self.outcome
        return (
            outcome is not None
            and outcome.stream is not None
            and not outcome.stream.ended
            and self._stream_end is None
        )

    def end_stream(self, error_type: str | None = None, error_body: bytes | None = None) -> None:
        """End the caller's streamed body: cleanly, or with the error trailers.

        The error JSON travels base64-encoded in ``Lambda-Runtime-Function-Error-Body``, as
        the runtime sends it; ``X-Amz-Function-Error: Unhandled`` marks the failure. With a
        log tail the end waits for :meth:`finish`, so that the tail holds END and REPORT.
        """
        outcome = self.outcome
        if not self.streaming:
            return
        assert outcome is not None and outcome.stream is not None
        trailers: list[tuple[str, str]] = []
        if error_type is not None:
            outcome.function_error = "Unhandled"
            outcome.error_type = error_type
            trailers = _error_trailers(error_type, error_body or _error_body(error_type, ""))
        if self.log_tail and not self.finished:
            self._stream_end = trailers  # sent with the tail, once END and REPORT are out
            return
        outcome.stream.end(trailers)

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
        if outcome.stream is not None:
            # Streamed: the status and headers go now; a failure and the log tail come as
            # trailers at the end.
            names = ["X-Amz-Function-Error", TRAILER_ERROR_TYPE, TRAILER_ERROR_BODY]
            if self.log_tail:
                names.append("X-Amz-Log-Result")
            headers.append(("Lambda-Runtime-Function-Response-Mode", STREAMING))
            headers.append(("Trailer", ", ".join(names)))
            self.reply.set(Reply(200, b"", headers, stream=outcome.stream))
            return
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
        outcome = self.outcome
        if outcome.stream is not None:
            if not outcome.stream.ended:
                trailers = self._stream_end
                if trailers is None:  # a safety net: every path ends the stream first
                    outcome.function_error = "Unhandled"
                    outcome.error_type = "Runtime.Unknown"
                    trailers = _error_trailers(
                        "Runtime.Unknown",
                        _error_body(
                            "Runtime.Unknown",
                            f"RequestId: {self.request_id} Error: the response stream was "
                            "not completed",
                        ),
                    )
                if self.log_tail:
                    tail = bytes(self.log[-LOG_TAIL_BYTES:])
                    trailers.append(("X-Amz-Log-Result", base64.b64encode(tail).decode("ascii")))
                outcome.stream.end(trailers)
            return
        self._resolve()

    def fail(self, error_type: str, message: str) -> bool:
        """Answer with an error the emulator builds (Unhandled); a streamed response that
        is still open ends with it in its trailers."""
        if self.streaming:
            self.end_stream(error_type, _error_body(error_type, message))
            return True
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

    def forget_waiter(self, conn: Connection) -> None:
        """``conn`` closed: an ``/event/next`` parked on it waits no more."""
        if self.waiter is not None and self.waiter[0] is conn:
            self.waiter = None

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
    """One execution environment: a Runtime API listener and at most one runtime process.

    The process holds one invocation at a time, or up to ``max_concurrency`` at once (Lambda
    Managed Instances: ``AWS_LAMBDA_MAX_CONCURRENCY`` is set for it, and each of its
    ``/next`` connections may hold an invocation)."""

    def __init__(self, service: Service, index: int) -> None:
        self.service = service
        self.config = service.config
        self.index = index
        self.capacity = max(1, self.config.max_concurrency)
        self.multi = self.capacity > 1
        self.server: asyncio.Server | None = None
        self.port = 0
        self.proc: proc_mod.RuntimeProcess | None = None
        self.initialized = False  # the runtime has asked for its first event
        self.init_duration: float | None = None  # ms, until reported once
        self.init_failure: Outcome | None = None
        self.invocations: list[Invocation] = []  # assigned here, delivered or not, in order
        self.waiters: list[tuple[Connection, Deferred]] = []  # parked /next long polls
        self.extensions: dict[str, Extension] = {}
        self.conns: set[Connection] = set()
        self.retiring = False  # the process is being stopped: not free until it exits
        self.stale = False  # stop the process once its invocations are over (--watch)
        self.exited: asyncio.Event = asyncio.Event()
        self.exited.set()
        self._expired: collections.deque[str] = collections.deque(maxlen=1000)
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
    def current(self) -> Invocation | None:
        """The (oldest) invocation this environment holds."""
        return self.invocations[0] if self.invocations else None

    @property
    def free(self) -> bool:
        return (
            len(self.invocations) < self.capacity
            and not self.retiring
            and not self.stale
            and not self.service.closing
        )

    # -- the process --------------------------------------------------------------------------

    def assign(self, inv: Invocation) -> None:
        """Give ``inv`` to this (free) environment."""
        self.invocations.append(inv)
        if self.proc is None:
            self._spawn(inv)
        else:
            self._deliver_waiting()

    def _spawn(self, inv: Invocation) -> None:
        config = self.config
        self.initialized = False
        self.init_duration = None
        self.init_failure = None
        self.extensions = {}
        self._partial = {}
        user_env = dict(config.env)
        if self.multi:
            user_env.setdefault("AWS_LAMBDA_MAX_CONCURRENCY", str(self.capacity))
        env = proc_mod.runtime_environment(
            handler=config.handler,
            task_root=config.task_root,
            runtime_api=self.address,
            function_name=config.function_name,
            memory=config.memory,
            region=config.region,
            user_env=user_env,
            pass_aws_credentials=config.pass_aws_credentials,
        )
        if not os.path.isdir(config.task_root):
            self._spawn_failed(
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
                "Runtime.InvalidEntrypoint",
                f"fork/exec {config.command[0] if config.command else ''}: {reason.lower()}",
            )
            return
        self.proc = proc
        self.exited = asyncio.Event()
        self.service.pids_changed()
        loop = self.service.loop
        self._init_timer = loop.call_later(config.init_timeout, self._init_timed_out, proc)

    def _spawn_failed(self, error_type: str, message: str) -> None:
        for inv in list(self.invocations):
            text = f"RequestId: {inv.request_id} Error: {message}"
            self._log(f"{text}\n{error_type}\n".encode(), inv)
            inv.status = "error"
            inv.fail(error_type, text)
            self._finish(inv, init_failed=True)

    def _output(self, data: bytes, stream: int) -> None:
        # Output belongs to the invocation being served; with several at once, to each of
        # them (it cannot be told apart).
        for inv in self.invocations:
            if not inv.finished:
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
        reason = proc_mod.describe_exit(code)
        held = [inv for inv in self.invocations if not inv.finished]
        for inv in held:
            if inv.outcome is None or inv.streaming:
                if inv.rejected_size is not None and inv.outcome is None:
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
            self._finish(inv, init_failed=inv.delivered is None)
        if not held and not self.retiring and not self.service.closing:
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
        self._drop_waiters()
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
        limit = self.config.init_timeout
        for inv in self.invocations:
            inv.status = "timeout"
            text = f"{iso_now()} {inv.request_id} Init timed out after {limit:.2f} seconds"
            self._log(f"{text}\n".encode(), inv)
            inv.fail("Sandbox.Timedout", text)
        self.kill()

    def _timed_out(self, inv: Invocation) -> None:
        inv.timer = None
        if inv not in self.invocations or inv.finished:
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
        if self.multi:
            # The others go on: this one is over, and whatever the runtime posts for it later
            # is accepted and dropped.
            self._expired.append(inv.request_id)
            self._finish(inv)
            self.service.dispatch()
            return
        self.kill()  # _on_exit writes END/REPORT and frees the environment

    # -- delivering and finishing ---------------------------------------------------------------

    def _drop_waiters(self) -> None:
        waiters, self.waiters = self.waiters, []
        for conn, future in waiters:
            future.cancel()
            conn.close()

    def _deliver_waiting(self) -> None:
        """Hand undelivered invocations to parked ``/next`` requests, oldest first."""
        while self.waiters:
            inv = next((i for i in self.invocations if i.delivered is None), None)
            if inv is None:
                return
            conn, future = self.waiters.pop(0)
            if not conn.usable or future.done():
                continue
            future.set(self._deliver(inv, conn))

    def _deliver(self, inv: Invocation, conn: Connection) -> Reply:
        config = self.config
        inv.delivered = time.monotonic()
        inv.conn = conn
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
        """Finish the (oldest) invocation (one at a time: the one being served)."""
        inv = self.current
        if inv is not None:
            self._finish(inv, init_failed)

    def _finish(self, inv: Invocation, init_failed: bool = False) -> None:
        """END and REPORT for ``inv``; it leaves this environment and its caller has all."""
        if inv not in self.invocations:
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
        self.invocations.remove(inv)
        inv.finish()
        self.service.finished(inv)
        if self.stale and not self.invocations:
            self.retire()

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
        conn = request.conn
        # One at a time, a /next says the runtime is done with what it was given before.
        # Several at once, it says nothing about the others: each ends with its own answer
        # (or its timeout), as with Lambda Managed Instances. A connection proves nothing
        # either: a runtime whose HTTP client pools connections (aws-lambda-go's net/http)
        # sends one loop's /next on a connection another loop used a moment ago.
        done = [] if self.multi else [inv for inv in self.invocations if inv.delivered is not None]
        for inv in done:
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
            elif inv.streaming:
                inv.status = "error"
                text = (
                    f"RequestId: {inv.request_id} Error: the runtime asked for the next "
                    "invocation before its streamed response was complete"
                )
                self._log(f"{text}\nRuntime.NoResponse\n".encode(), inv)
                inv.fail("Runtime.NoResponse", text)
            self._finish(inv)
        if done:
            if self.stale:
                return self._park(conn)  # retiring: parked until the process goes
            self.service.dispatch()
        waiting = next((i for i in self.invocations if i.delivered is None), None)
        if waiting is not None and not self.waiters:
            return self._deliver(waiting, conn)
        return self._park(conn)

    def _park(self, conn: Connection) -> Deferred:
        # One at a time: a newer /next replaces an older one (whose client is gone or
        # confused). Several at once: each loop of the runtime waits on its own connection.
        if not self.multi:
            for _old_conn, old_future in self.waiters:
                if not old_future.done():
                    old_future.set(
                        _api_error(
                            403,
                            "InvalidStateTransition",
                            "Another /next request replaced this one.",
                        )
                    )
            self.waiters = []
        future = Deferred()
        self.waiters.append((conn, future))
        # Once per connection, not once per /next: a runtime's keep-alive connection asks
        # for millions of invocations, and a callback per request would pile up on it.
        if self._forget_waiters not in conn.on_close:
            conn.on_close.append(self._forget_waiters)
        self._deliver_waiting()
        return future

    def _forget_waiters(self, conn: Connection) -> None:
        """A runtime connection closed: its parked ``/next`` requests wait no more."""
        self.waiters = [w for w in self.waiters if w[0] is not conn]

    def _check_id(self, request_id: str) -> Invocation | None:
        for inv in self.invocations:
            if inv.request_id == request_id:
                if inv.delivered is None or inv.outcome is not None or inv.finished:
                    return None
                return inv
        return None

    def _expired_answer(self, request_id: str) -> Reply | None:
        """With several at once, a late answer for a timed-out invocation is dropped (202)."""
        if self.multi and request_id in self._expired:
            line = f"RequestId: {request_id} Error: an answer after the timeout was dropped\n"
            self._log(line.encode(), None)
            return Reply(202, b'{"status":"OK"}', [("Content-Type", JSON)])
        return None

    def response(self, request: Request, request_id: str) -> Reply:
        inv = self._check_id(request_id)
        if inv is None:
            late = self._expired_answer(request_id)
            if late is not None:
                return late
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
        failure = _trailer_error(request.trailers)
        if failure is not None:
            # A buffered response whose body ended with error trailers (aws-lambda-go sends
            # them when the reader it was given fails half-way): Lambda reports the
            # invocation as failed with that type, and the trailer's error JSON as payload.
            error_type, error_json = failure
            self._log(
                f"RequestId: {inv.request_id} Error: the response ended with error trailers: "
                f"{error_type}\n".encode(),
                inv,
            )
            inv.answer(Outcome(error_json, "Unhandled", JSON, error_type))
        else:
            content_type = request.head.get("content-type") or JSON
            inv.answer(Outcome(request.body, None, content_type))
        if self.multi:
            self._finish(inv)
            self.service.dispatch()
        return Reply(202, b'{"status":"OK"}', [("Content-Type", JSON)])

    def stream_response(self, head: RequestHead, conn: Connection, request_id: str) -> Route:
        """The route of a streamed ``/response``: passed on to the caller as it arrives."""
        inv = self._check_id(request_id)
        if inv is None:
            late = self._expired_answer(request_id)
            if late is not None:
                return _fixed(late)
            return _fixed(_api_error(400, "InvalidRequestID", "Invalid request ID"))
        return Route(_unused_handler, 0, ResponseStream(self, inv, head, conn))

    def error(self, request: Request, request_id: str) -> Reply:
        inv = self._check_id(request_id)
        if inv is None:
            late = self._expired_answer(request_id)
            if late is not None:
                return late
            return _api_error(400, "InvalidRequestID", "Invalid request ID")
        if self.proc is not None:
            self.proc.drain()
        error_type = request.head.get("lambda-runtime-function-error-type") or "Runtime.Unknown"
        body = request.body
        if request.too_large or not body.strip():
            body = _error_body(error_type, "")
        inv.answer(Outcome(body, "Unhandled", JSON, error_type))
        if self.multi:
            self._finish(inv)
            self.service.dispatch()
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
        for inv in self.invocations:
            inv.status = "error"
            inv.answer(Outcome(body, "Unhandled", JSON, error_type))
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
        if ext.forget_waiter not in conn.on_close:  # once per connection, as for /next
            conn.on_close.append(ext.forget_waiter)
        return future

    def extension_error(self, request: Request, kind: str) -> Reply:
        error_type = request.head.get("lambda-extension-function-error-type") or "Extension.Unknown"
        self._log(f"Extension {kind} error: {error_type}\n".encode(), self.current)
        return Reply(202, b'{"status":"OK"}', [("Content-Type", JSON)])


class ResponseStream:
    """A streamed ``/response`` (``Lambda-Runtime-Function-Response-Mode: streaming``):
    each piece goes on to the caller the moment it arrives, in a chunked answer.

    The runtime's error trailers end the caller's body with the same trailers (and
    ``X-Amz-Function-Error: Unhandled``). Past ``stream_limit`` bytes (Lambda's 200 MiB) the
    runtime is answered 413 at once and the caller's body ends with a
    ``Function.ResponseSizeTooLarge`` error.
    """

    def __init__(
        self, env: Environment, inv: Invocation, head: RequestHead, conn: Connection
    ) -> None:
        self.env = env
        self.inv = inv
        self.size = 0
        self.limit = env.config.stream_limit
        self.cut = False
        self.body = StreamBody()
        self.body.producer = conn
        if env.proc is not None:
            env.proc.drain()
        content_type = head.get("content-type") or "application/octet-stream"
        inv.answer(Outcome(b"", None, content_type, stream=self.body))

    def data(self, data: bytes) -> Reply | None:
        if self.cut or not self.inv.streaming:
            return None  # over, or ended by a timeout: the rest is dropped
        self.size += len(data)
        if self.size > self.limit:
            self.cut = True
            env, inv = self.env, self.inv
            message = (
                f"Response payload size exceeded maximum allowed payload size ({self.limit} bytes)."
            )
            env._log(f"RequestId: {inv.request_id} Error: {message}\n".encode(), inv)
            inv.status = "error"
            inv.end_stream(
                "Function.ResponseSizeTooLarge",
                _error_body("Function.ResponseSizeTooLarge", message),
            )
            if env.multi:
                env._finish(inv)
                env.service.dispatch()
            return _api_error(
                413,
                "RequestEntityTooLarge",
                f"Exceeded maximum allowed payload size for a streamed response ({self.limit} "
                "bytes).",
            )
        self.body.write(data)
        return None

    def end(self, trailers: tuple[tuple[str, str], ...]) -> Reply:
        env, inv = self.env, self.inv
        if env.proc is not None:
            env.proc.drain()
        if inv.streaming:
            failure = _trailer_error(trailers)
            if failure is not None:
                error_type, error_json = failure
                inv.status = "error"
                env._log(
                    f"RequestId: {inv.request_id} Error: the streamed response failed: "
                    f"{error_type}\n".encode(),
                    inv,
                )
                inv.end_stream(error_type, error_json)
            else:
                inv.end_stream()
            if env.multi:
                env._finish(inv)
                env.service.dispatch()
        return Reply(202, b'{"status":"OK"}', [("Content-Type", JSON)])

    def abort(self) -> None:
        if self.cut or not self.inv.streaming:
            return
        # The runtime's connection went away mid-stream. If the process is exiting, its
        # exit ends the stream (Runtime.ExitError); give that a moment to be noticed.
        self.env.service.loop.call_later(0.2, self._aborted)

    def _aborted(self) -> None:
        env, inv = self.env, self.inv
        if not inv.streaming:
            return
        proc = env.proc
        if proc is not None and proc.alive and proc.popen.poll() is not None:
            return  # exited: _on_exit is about to end it
        inv.status = "error"
        text = (
            f"RequestId: {inv.request_id} Error: the runtime closed its connection in the "
            "middle of a streamed response"
        )
        env._log(f"{text}\nRuntime.StreamInterrupted\n".encode(), inv)
        inv.fail("Runtime.StreamInterrupted", text)
        if env.multi:
            env._finish(inv)
            env.service.dispatch()


def _unused_handler(_request: Request) -> Reply:
    return Reply(500)  # a sink route answers through its sink


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
                mode = head.get("lambda-runtime-function-response-mode") or ""
                if head.chunked and mode.lower() == STREAMING:
                    return env.stream_response(head, conn, request_id)
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
        if INVOKE_PATH_RE.match(path) is not None:
            handle = self.invoke
        elif STREAM_INVOKE_PATH_RE.match(path) is not None:
            handle = self.invoke_with_response_stream
        else:
            return _fixed(_service_error(404, "ResourceNotFoundException", f"No route for {path}"))
        if head.method != "POST":
            reply = _service_error(
                405, "MethodNotAllowedException", "Use POST to invoke a function"
            )
            reply.headers.append(("Allow", "POST"))
            return _fixed(reply)
        return Route(handle, MAX_REQUEST_PAYLOAD)

    def invoke(self, request: Request) -> Reply | Deferred:
        """``Invoke``: the response as one body (or chunked, from a streaming function)."""
        started = self._start(request, ("Event", "RequestResponse", "DryRun"))
        if isinstance(started, Reply):
            return started
        return started.reply

    def invoke_with_response_stream(self, request: Request) -> Reply | Deferred:
        """``InvokeWithResponseStream``: the response as AWS event stream messages."""
        from .streaming_invoke import as_event_stream

        started = self._start(request, ("RequestResponse", "DryRun"))
        if isinstance(started, Reply):
            return started
        return as_event_stream(started)

    def _start(self, request: Request, invocation_types: tuple[str, ...]) -> Reply | Invocation:
        """Validate an invoke request and queue its invocation; or the answer at once."""
        head = request.head
        service = self.service
        if service.closing:
            return _service_error(503, "ServiceException", "The emulator is shutting down")
        invocation_type = head.get("x-amz-invocation-type") or "RequestResponse"
        if invocation_type not in invocation_types:
            return _service_error(
                400,
                "ValidationException",
                f"1 validation error detected: Value '{invocation_type}' at 'invocationType' "
                "failed to satisfy constraint: Member must satisfy enum value set: "
                f"[{', '.join(invocation_types)}]",
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
        if invocation_type == "Event":
            # Answered first: a cold start (forking the runtime) must not delay the 202.
            service.loop.call_soon(service.enqueue, inv)
            return Reply(202, b"", [("X-Amzn-RequestId", inv.request_id)])
        service.enqueue(inv)
        return inv


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
