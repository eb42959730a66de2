"""Runtime processes: their environment, starting them so that they can never outlive
the emulator, reading their output, noticing their exit, and killing them.

No orphans, by three independent means:

* each runtime starts in its own session and process group (``start_new_session``), and
  every kill is a kill of the whole group (``killpg``), grandchildren included;
* on Linux each runtime asks the kernel for ``SIGKILL`` when the thread that started it
  dies (``prctl(PR_SET_PDEATHSIG)`` in the child between fork and exec, through a libc
  function resolved before the fork; if the parent is already gone by then, the child
  exits at once);
* a small watchdog process (one per emulator) holds the read end of a pipe; the
  emulator tells it each process group it starts and forgets; when the pipe closes (the
  emulator exited or was killed, however), the watchdog kills every group still on its
  list. This catches grandchildren, which the death signal does not reach.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import IO

__all__ = [
    "PASSTHROUGH",
    "PASSTHROUGH_PREFIXES",
    "RuntimeProcess",
    "Watchdog",
    "describe_exit",
    "function_name_for",
    "max_memory_mb",
    "runtime_environment",
]

# The parent's variables a runtime sees (besides Lambda's own and the user's --env):
# what programs need to start and find their libraries, certificates and proxies.
PASSTHROUGH = frozenset(
    {
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "SHELL",
        "LANG",
        "LANGUAGE",
        "TERM",
        "TMPDIR",
        "LD_LIBRARY_PATH",
        "LD_PRELOAD",
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
        "NODE_EXTRA_CA_CERTS",
        "NODE_PATH",
        "NODE_OPTIONS",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "GOCOVERDIR",
        "GODEBUG",
        "GOTRACEBACK",
    }
)
PASSTHROUGH_PREFIXES = ("PYTHON", "LC_", "COVERAGE_", "COV_CORE_")

# What a runtime gets with pass_aws_credentials=True (otherwise none of the parent's AWS_*).
AWS_CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CA_BUNDLE",
    "AWS_ENDPOINT_URL",
)


def function_name_for(handler: str, command: Sequence[str] = ()) -> str:
    """A function name from a handler (``app.handler`` → ``app``; ``src/hello.py:main`` →
    ``hello``) or, without one, from the command's executable."""
    base = ""
    if handler:
        module = handler
        if ":" in module:
            module = module.rpartition(":")[0]
        elif "." in module and not module.endswith(".py"):
            module = module.rpartition(".")[0]
        module = module.removesuffix(".py").replace("\\", "/")
        base = module.rstrip("/").rpartition("/")[2].rpartition(".")[2]
    if not base and command:
        base = os.path.basename(command[0])
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-")[:64]
    return name or "function"


def log_stream_name(now: float | None = None) -> str:
    """``2026/11/25/[$LATEST]<32 hex>``, as Lambda names a new environment's stream."""
    when = time.gmtime(time.time() if now is None else now)
    return time.strftime("%Y/%m/%d", when) + "/[$LATEST]" + secrets.token_hex(16)


def runtime_environment(
    *,
    handler: str,
    task_root: str,
    runtime_api: str,
    function_name: str,
    memory: int,
    region: str,
    user_env: Mapping[str, str],
    pass_aws_credentials: bool = False,
    parent_env: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a runtime process.

    Lambda's reserved variables, over a small selection of the parent's (see
    :data:`PASSTHROUGH`), under the user's ``--env`` (which wins over everything but
    ``AWS_LAMBDA_RUNTIME_API``, which must point at the emulator). The parent's AWS
    credentials pass only with ``pass_aws_credentials``; without it, the shared config
    and credentials files are pointed at an empty file, so that an SDK in the function
    does not quietly pick up the developer's ``~/.aws`` either.
    """
    parent = os.environ if parent_env is None else parent_env
    env: dict[str, str] = {}
    for key, value in parent.items():
        if key in PASSTHROUGH or key.startswith(PASSTHROUGH_PREFIXES):
            env[key] = value
    if pass_aws_credentials:
        for key in AWS_CREDENTIAL_VARIABLES:
            if key in parent:
                env[key] = parent[key]
    else:
        env["AWS_CONFIG_FILE"] = os.devnull
        env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    env.update(
        {
            "_HANDLER": handler,
            "LAMBDA_TASK_ROOT": task_root,
            "AWS_LAMBDA_FUNCTION_NAME": function_name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function_name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": log_stream_name(),
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "TZ": ":UTC",
        }
    )
    env.update(user_env)
    env["AWS_LAMBDA_RUNTIME_API"] = runtime_api
    return env


def describe_exit(returncode: int) -> str:
    """Go's wording of an exit status, as Lambda reports it: ``exit status 1``,
    ``signal: killed``."""
    if returncode >= 0:
        return f"exit status {returncode}"
    number = -returncode
    try:
        name = signal.strsignal(number) or f"signal {number}"
    except ValueError:
        name = f"signal {number}"
    return f"signal: {name.lower()}"


def max_memory_mb(pid: int) -> int | None:
    """The peak resident size of ``pid`` (``VmHWM``), in MB rounded up; None if unknown."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    kib = int(line.split()[1])
                    return -(-kib // 1024)
    except (OSError, ValueError, IndexError):
        return None
    return None


# -- the death signal -----------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def _resolve_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
        prctl.argtypes = [
            ctypes.c_int,
            ctypes.c_ulong,
            ctypes.c_ulong,
            ctypes.c_ulong,
            ctypes.c_ulong,
        ]
        prctl.restype = ctypes.c_int
        resolved: Callable[..., int] = prctl
        return resolved
    except (OSError, AttributeError, ImportError):
        return None


_PRCTL = _resolve_prctl()


def _child_setup_factory() -> Callable[[], None] | None:
    """The function to run in the child between fork and exec (Linux only)."""
    prctl = _PRCTL
    if prctl is None:
        return None
    parent = os.getpid()
    sigkill = int(signal.SIGKILL)

    def setup() -> None:
        # Kept minimal: no imports, no allocation beyond small ints, nothing that locks.
        prctl(_PR_SET_PDEATHSIG, sigkill, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the death signal was armed
            os._exit(127)

    return setup


# -- the watchdog -----------------------------------------------------------------------------

_WATCHDOG_CODE = """\
import os, signal, sys
groups = set()
for line in sys.stdin:
    op, _, value = line.strip().partition(" ")
    if not value.isdigit():
        continue
    if op == "+":
        groups.add(int(value))
    elif op == "-":
        groups.discard(int(value))
for group in groups:
    try:
        os.killpg(group, signal.SIGKILL)
    except OSError:
        pass
"""


class Watchdog:
    """The process that kills what is left when the emulator goes away (see module doc)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._stdin: IO[bytes] | None = None
        try:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _WATCHDOG_CODE],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C in a terminal must not reach it first
                close_fds=True,
            )
        except OSError:
            return
        self._proc = proc
        self._stdin = proc.stdin

    @property
    def pid(self) -> int | None:
        """The watchdog's pid (None if it could not start)."""
        return self._proc.pid if self._proc is not None else None

    def _send(self, line: str) -> None:
        with self._lock:
            if self._stdin is None:
                return
            try:
                self._stdin.write(line.encode())
                self._stdin.flush()
            except (OSError, ValueError):
                self._stdin = None

    def watch(self, pgid: int) -> None:
        """Kill this group if the emulator dies."""
        self._send(f"+ {pgid}\n")

    def forget(self, pgid: int) -> None:
        """The group is gone (its id may be reused)."""
        self._send(f"- {pgid}\n")

    def close(self) -> None:
        """Stop the watchdog (it kills the groups it still knows, normally none)."""
        with self._lock:
            stdin, self._stdin = self._stdin, None
        if stdin is not None:
            with contextlib.suppress(OSError):
                stdin.close()
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


# -- one runtime process -------------------------------------------------------------------


class RuntimeProcess:
    """A started runtime: its output arrives through ``on_output(data, stream)`` (stream
    1 or 2) and its end through ``on_exit(returncode)``, both on the event loop."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        cwd: str,
        env: Mapping[str, str],
        loop: asyncio.AbstractEventLoop,
        on_output: Callable[[bytes, int], None],
        on_exit: Callable[[int], None],
        watchdog: Watchdog | None,
    ) -> None:
        self.loop = loop
        self.on_output = on_output
        self.on_exit = on_exit
        self.watchdog = watchdog
        self.started = time.monotonic()
        self.returncode: int | None = None
        self.registered_extension = False  # asked for SIGTERM before SIGKILL
        self.peak_memory_mb: int | None = None
        self._sampled = 0.0
        self._pidfd = -1
        self._fds: dict[int, int] = {}  # fd -> 1 (stdout) or 2 (stderr), while open
        self._pipes: dict[int, IO[bytes]] = {}
        self.popen: subprocess.Popen[bytes] = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            close_fds=True,
            preexec_fn=_child_setup_factory(),
        )
        self.pid = self.popen.pid
        self.pgid = self.pid  # start_new_session: the child leads its own group
        if watchdog is not None:
            watchdog.watch(self.pgid)
        for stream, pipe in ((1, self.popen.stdout), (2, self.popen.stderr)):
            assert pipe is not None
            fd = pipe.fileno()
            os.set_blocking(fd, False)
            self._fds[fd] = stream
            self._pipes[fd] = pipe
            loop.add_reader(fd, self._readable, fd)
        self._watch_exit()

    # -- output ---------------------------------------------------------------------------

    def _readable(self, fd: int) -> None:
        self._read(fd, once=True)

    def _read(self, fd: int, once: bool) -> None:
        stream = self._fds.get(fd)
        if stream is None:
            return
        while True:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                self._close_fd(fd)
                return
            self.on_output(data, stream)
            if once and len(data) < 65536:
                return

    def drain(self) -> None:
        """Read all output already written (call before acting on an API request, so that
        what the runtime printed before it is attributed correctly)."""
        for fd in list(self._fds):
            self._read(fd, once=False)

    def _close_fd(self, fd: int) -> None:
        if self._fds.pop(fd, None) is None:
            return
        with contextlib.suppress(Exception):
            self.loop.remove_reader(fd)
        pipe = self._pipes.pop(fd, None)
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()

    # -- exit ----------------------------------------------------------------------------------

    def _watch_exit(self) -> None:
        pidfd_open = getattr(os, "pidfd_open", None)
        if pidfd_open is not None:
            try:
                self._pidfd = pidfd_open(self.pid)
            except OSError:
                self._pidfd = -1
        if self._pidfd >= 0:
            self.loop.add_reader(self._pidfd, self._pidfd_ready)
            return

        def wait() -> None:
            code = self.popen.wait()
            with contextlib.suppress(RuntimeError):  # the loop is already closed
                self.loop.call_soon_threadsafe(self._exited, code)

        threading.Thread(target=wait, name=f"wait-{self.pid}", daemon=True).start()

    def _pidfd_ready(self) -> None:
        code = self.popen.poll()
        if code is None:
            return
        self.loop.remove_reader(self._pidfd)
        os.close(self._pidfd)
        self._pidfd = -1
        self._exited(code)

    def _exited(self, code: int) -> None:
        if self.returncode is not None:
            return
        self.returncode = code
        try:
            self.drain()
            # Grandchildren may keep the pipes open; what they write now is not ours.
            for fd in list(self._fds):
                self._close_fd(fd)
            self.kill_group(signal.SIGKILL)
            if self.watchdog is not None:
                self.watchdog.forget(self.pgid)
        finally:
            self.on_exit(code)  # whatever happened above, the exit must be handled

    @property
    def alive(self) -> bool:
        """Whether the process has not been seen to exit."""
        return self.returncode is None

    def sample_memory(self) -> int | None:
        """Refresh and return the peak memory (MB) while the process lives.

        ``VmHWM`` is a high-water mark, so a reading skipped now is caught by the next:
        readings are at most one per 50 ms (each costs a /proc read)."""
        now = time.monotonic()
        if self.returncode is None and (now - self._sampled > 0.05 or self.peak_memory_mb is None):
            self._sampled = now
            value = max_memory_mb(self.pid)
            if value is not None:
                self.peak_memory_mb = value
        return self.peak_memory_mb

    def kill_group(self, sig: int) -> None:
        """Send ``sig`` to the runtime's whole process group."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pgid, sig)

    def close(self) -> None:
        """Release the loop's watchers (after exit, or when the loop is going away)."""
        for fd in list(self._fds):
            self._close_fd(fd)
        if self._pidfd >= 0:
            with contextlib.suppress(Exception):
                self.loop.remove_reader(self._pidfd)
            os.close(self._pidfd)
            self._pidfd = -1
