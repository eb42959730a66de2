"""Graceful shutdown: run callbacks when Lambda sends SIGTERM (Go's ``WithEnableSIGTERM``).

By default Lambda ends an execution environment with SIGKILL: nothing gets to flush a
buffer or close a connection. Once any extension is registered, Lambda sends SIGTERM
first and waits a moment (its shutdown phase: 500 ms with an internal extension) before
the SIGKILL. So, before its first ``GET /next``, the runtime registers an *internal*
extension that asks for no events (``POST /2020-01-01/extension/register``), sends that
extension's ``GET /extension/event/next`` on a connection of its own (which is how an
extension says its init is done; no answer ever comes), and installs a SIGTERM handler.

On SIGTERM the callbacks run in order, in the main thread, whatever the runtime was doing:
waiting on ``/next`` (which the official Python client cannot interrupt), serving an
invocation, or running several loops at once. A callback may be a plain function or an
``async def`` one (awaited on the process's event loop). An exception from one is logged
and the next still runs. Then the process exits with status 0.

Callbacks come from ``lambdago.start(handler, on_sigterm=[...])`` and from
:func:`on_sigterm`, which registers one at module level, for the generic bootstrap
(``python -m lambdago app.handler``), and also works as a decorator::

    @lambdago.on_sigterm
    def flush_metrics():
        metrics.flush()

Nothing here is imported, and no signal handler installed, unless a callback is given.
"""

from __future__ import annotations

import sys

from .. import _aio

_signal: Any = __import__("_signal")  # the builtin: no enum import, unlike ``signal``

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, TypeVar

    from .client import RuntimeAPIClient

    F = TypeVar("F", bound=Callable[[], Any])

__all__ = ["EXTENSION_NAME", "Terminated", "enable", "on_sigterm", "registered"]

EXTENSION_NAME = "lambdago-sigterm"

_registered: list[Callable[[], Any]] = []
_callbacks: list[Callable[[], Any]] = []
_keep: list[Any] = []  # the extension's parked connection, open for the life of the process
_started = False


class Terminated(SystemExit):
    """Raised (in the main thread) once the SIGTERM callbacks have run: the process exits.

    If it interrupts an invocation, that invocation is reported failed with this type.
    """

    error_type = "Runtime.Terminated"
    lambdago_terminated = True

    def __init__(self) -> None:
        super().__init__(0)

    def __str__(self) -> str:
        return "the execution environment is shutting down (SIGTERM)"


def on_sigterm(fn: F) -> F:
    """Run ``fn()`` when Lambda shuts the environment down; returns ``fn`` (a decorator).

    Register at module level (during init): the runtime asks Lambda for SIGTERM only if
    callbacks exist before its first ``/next``. ``fn`` may be ``async def``.
    """
    if not callable(fn):
        raise TypeError(f"on_sigterm wants a callable, not {type(fn).__qualname__}")
    _registered.append(fn)
    if _started:
        _callbacks.append(fn)
    return fn


def registered() -> list[Callable[[], Any]]:
    """The callbacks :func:`on_sigterm` registered so far."""
    return list(_registered)


def enable(client: RuntimeAPIClient, callbacks: Iterable[Callable[[], Any]]) -> None:
    """Install the SIGTERM handler for ``callbacks`` and register the internal extension
    (before the first ``/next``). A failed registration is a warning, as in Go: SIGTERM may
    then not come, but the function still serves."""
    global _started
    _callbacks[:] = list(callbacks)
    _started = True
    try:
        _signal.signal(_signal.SIGTERM, _handle)
    except ValueError as exc:  # not the main thread
        sys.stderr.write(f"lambdago: warning: cannot handle SIGTERM here: {exc}\n")
        return
    from .client import RuntimeAPIError

    try:
        extension_id = client.register_extension(EXTENSION_NAME)
        _keep.append(client.wait_extension_events(extension_id))
    except (RuntimeAPIError, OSError) as exc:
        sys.stderr.write(
            "lambdago: warning: could not register the internal extension that enables "
            f"SIGTERM; shutdown callbacks may not run: {exc}\n"
        )


_running = False


def _handle(signum: int, frame: Any) -> None:
    global _running
    if _running:
        return  # a second SIGTERM while the callbacks run
    _running = True
    loop = _aio._loop
    if loop is not None and loop.is_running():
        # Inside the event loop (an async invocation, or the loops of multi-concurrency):
        # finish there, so that async callbacks (an ASGI app's lifespan shutdown) can run.
        loop.call_soon_threadsafe(_on_loop, loop)
        return
    for callback in _callbacks:
        try:
            result = callback()
            if hasattr(result, "__await__"):
                _aio.run(result)
        except Exception as exc:
            _log(callback, exc)
    _flush()
    raise Terminated


def _on_loop(loop: Any) -> None:
    loop.create_task(_run_on_loop())


async def _run_on_loop() -> None:
    for callback in _callbacks:
        try:
            result = callback()
            if hasattr(result, "__await__"):
                await result
        except Exception as exc:
            _log(callback, exc)
    _flush()
    # Raised from a plain callback rather than this task, so that no task is left holding
    # an exception nobody retrieves: a SystemExit leaves the loop, and the process.
    _aio.event_loop().call_soon(_terminate)


def _terminate() -> None:
    raise Terminated


def _log(callback: Any, exc: BaseException) -> None:
    import traceback

    name = getattr(callback, "__qualname__", None) or repr(callback)
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    sys.stderr.write(f"lambdago: the SIGTERM callback {name} failed:\n{text}")


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
