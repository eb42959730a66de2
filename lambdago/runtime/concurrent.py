"""Several invocations at once in one process (Lambda Managed Instances).

When ``AWS_LAMBDA_MAX_CONCURRENCY`` is N > 1, Lambda may hand one process up to N
invocations at a time, each through its own ``GET /next``. As aws-lambda-go does with N
goroutines, the runtime then runs N poll loops, each with its own connection:

* an ``async def`` handler gets N tasks on the process's one event loop (so a handler that
  awaits I/O overlaps with the others; ``aiohttp`` sessions and pools made at init are
  shared);
* any other handler gets N threads, each running the ordinary blocking loop.

Each invocation's :class:`~lambdago.Context` is its own (``current_context()`` is a
context variable: per thread, per task); ``_X_AMZN_TRACE_ID`` is not set, since one
process-wide variable cannot hold N trace ids (read ``context.trace_id``). The first fatal
error (the Runtime API failing, a handler raising ``SystemExit`` or a fatal
``InvokeError``) ends the process, and so every loop, as Go's cancelled context does.

Imported only when N > 1; threads are started only for sync handlers.
"""

from __future__ import annotations

import sys

from .. import _aio
from ..context import Context
from ..errors import ContextError
from ..handler import FunctionHandler
from .client import RuntimeAPIClient, RuntimeAPIError
from .invoke_loop import _exit_after, _flush_output, fatal, must_exit, serve
from .protocol import ErrorRequest, ResponseRequest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

    from .aio_client import AsyncRuntimeAPIClient
    from .streaming import Stream

__all__ = ["serve_concurrently"]


def serve_concurrently(client: RuntimeAPIClient, handler: Any, concurrency: int) -> NoReturn:
    """Serve ``handler`` with ``concurrency`` loops; ``client`` is the first loop's."""
    if "logging" in sys.modules:
        from . import logsetup

        logsetup.install()
    if isinstance(handler, FunctionHandler) and handler.is_async:
        _serve_tasks(client, handler, concurrency)
    _serve_threads(client, handler, concurrency)


# -- sync handlers: threads ----------------------------------------------------------------


def _serve_threads(client: RuntimeAPIClient, handler: Any, concurrency: int) -> NoReturn:
    import threading

    from .entry import handle_function

    _aio.per_thread_loops()
    handle = handle_function(handler)
    stop = threading.Event()
    ended: list[BaseException] = []

    def loop(own: RuntimeAPIClient) -> None:
        try:
            serve(own, handle, set_trace_env=False)
        except BaseException as exc:  # SystemExit from fatal() and _exit_after(), or a bug
            ended.append(exc)
            stop.set()

    clients = [client] + [RuntimeAPIClient(client.address) for _ in range(concurrency - 1)]
    threads = [
        threading.Thread(target=loop, args=(own,), name=f"lambdago-loop-{index}", daemon=True)
        for index, own in enumerate(clients)
    ]
    # Started while the main thread blocks SIGTERM, the loop threads inherit the block
    # from their first instruction (blocking it inside each thread would leave a moment
    # in which the kernel could still hand SIGTERM to one of them). A SIGTERM arriving
    # meanwhile waits, pending, until the main thread unblocks it below.
    newly_blocked = _block_sigterm()
    try:
        for thread in threads:
            thread.start()
    finally:
        if newly_blocked:
            _unblock_sigterm()
    stop.wait()  # SIGTERM interrupts this wait, in this (the main) thread
    exc = ended[0]
    if isinstance(exc, SystemExit):
        raise exc
    fatal(f"a runtime loop failed: {type(exc).__name__}: {exc}")


def _block_sigterm() -> bool:
    """Block SIGTERM in the calling thread (and the threads it starts from now on);
    whether it was not blocked before (and the platform can block it)."""
    # Linux hands a process-directed signal to any thread that does not block it. Python
    # runs signal handlers in the main thread only, at its next bytecode: if SIGTERM landed
    # on a loop thread parked in recv(), the main thread would sleep on in stop.wait() and
    # the shutdown callbacks would never run before the SIGKILL. Blocking SIGTERM in every
    # other thread makes the kernel deliver it to the main thread, whose wait it
    # interrupts. (Threads a handler starts inherit the mask, which is what we want too.)
    _signal: Any = __import__("_signal")
    try:
        before = _signal.pthread_sigmask(_signal.SIG_BLOCK, [_signal.SIGTERM])
    except (AttributeError, OSError, ValueError):
        return False  # no pthread_sigmask on this platform: keep the default delivery
    return _signal.SIGTERM not in before


def _unblock_sigterm() -> None:
    _signal: Any = __import__("_signal")
    _signal.pthread_sigmask(_signal.SIG_UNBLOCK, [_signal.SIGTERM])


# -- async handlers: tasks on the event loop -------------------------------------------------


class _Stop(Exception):
    """A loop must end the process with ``code`` (its message is already written)."""

    def __init__(self, code: Any) -> None:
        super().__init__(code)
        self.code = code


def _serve_tasks(client: RuntimeAPIClient, handler: FunctionHandler, concurrency: int) -> NoReturn:
    client.close()  # registration (SIGTERM) used it; the loops open their own
    loop = _aio.event_loop()
    # The loop's worker threads (name resolution for open_connection, a handler's
    # run_in_executor) must not take SIGTERM either: the main thread, in the loop, does.
    from concurrent.futures import ThreadPoolExecutor

    loop.set_default_executor(
        ThreadPoolExecutor(thread_name_prefix="lambdago-executor", initializer=_block_sigterm)
    )
    try:
        code = loop.run_until_complete(_run_tasks(client.address, handler, concurrency))
    except SystemExit:  # SIGTERM's callbacks ran (see .sigterm): stop the loops quietly
        _cancel_all(loop)
        raise
    _flush_output()
    raise SystemExit(code)


def _cancel_all(loop: Any) -> None:
    import asyncio

    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        try:
            loop.run_until_complete(asyncio.wait(tasks, timeout=0.1))
        except BaseException:
            pass


async def _run_tasks(address: str, handler: FunctionHandler, concurrency: int) -> Any:
    import asyncio

    from .aio_client import AsyncRuntimeAPIClient

    clients = [AsyncRuntimeAPIClient(address) for _ in range(concurrency)]
    tasks = [asyncio.ensure_future(_task_loop(c, handler)) for c in clients]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)
    for c in clients:
        c.close()
    for task in done:
        exc = task.exception()
        if isinstance(exc, _Stop):
            return exc.code
        if exc is not None:
            sys.stderr.write(
                f"lambdago: fatal: a runtime loop failed: {type(exc).__name__}: {exc}\n"
            )
            return 1
    return 1


async def _task_loop(client: AsyncRuntimeAPIClient, handler: FunctionHandler) -> None:
    try:
        await _serve_async(client, handler)
    except SystemExit as exc:  # from fatal() or _exit_after(): stop every loop
        raise _Stop(exc.code) from None


async def _serve_async(client: AsyncRuntimeAPIClient, handler: FunctionHandler) -> None:
    import asyncio

    from .. import _jsonio

    handle = handler.handle_async
    first = True
    logging_ready = False
    while True:
        try:
            invocation = await client.next()
        except RuntimeAPIError as exc:
            fatal(str(exc))
        request_id = invocation.request_id
        if not logging_ready and "logging" in sys.modules:
            from . import logsetup

            logsetup.install()
            logging_ready = True
        try:
            context = Context._from_lowercase_headers(invocation.headers)
        except ContextError as exc:
            await _report(client, request_id, exc)
            continue
        try:
            body, content_type = await handle(invocation.payload, context)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # the process is stopping
            await _report(client, request_id, _Cancelled())
            continue
        except Exception as exc:
            await _report(client, request_id, exc)
            if must_exit(exc):
                _exit_after(exc)
            continue
        except BaseException as exc:
            await _report(client, request_id, exc)
            _exit_after(exc)
        if body.__class__ is not bytes:
            await _send_stream(client, request_id, body)  # type: ignore[arg-type]
        else:
            try:
                answer = await client.post_response(ResponseRequest(request_id, body, content_type))
            except RuntimeAPIError as exc:
                fatal(str(exc))
            if answer.status == 413:
                from .invoke_loop import _too_large

                await _report(client, request_id, _too_large(len(body)))
            elif answer.status != 202:
                path = ResponseRequest(request_id, b"").path
                fatal(f"POST {client.url(path)} answered {answer.status} {answer.reason}")
        if first:
            first = False
            _jsonio.use_orjson()


class _Cancelled(Exception):
    """A handler's own code raised CancelledError (not a shutdown)."""

    error_type = "Runtime.Cancelled"

    def __str__(self) -> str:
        return "the handler was cancelled"


async def _send_stream(client: AsyncRuntimeAPIClient, request_id: str, stream: Stream) -> None:
    from .protocol import StreamingResponseRequest
    from .streaming import error_trailers, report_too_large

    request = StreamingResponseRequest(request_id, stream.content_type)
    pieces = stream.apieces()
    try:
        answer, failure = await client.post_stream(
            request, pieces, lambda exc: error_trailers(exc, request_id), stream.first
        )
    except RuntimeAPIError as exc:
        await pieces.aclose()
        await stream.aclose()
        fatal(str(exc))
    await pieces.aclose()
    await stream.aclose()
    if answer.status == 413:
        report_too_large(request_id)
    elif answer.status != 202:
        fatal(f"POST {client.url(request.path)} answered {answer.status} {answer.reason}")
    if failure is not None and must_exit(failure):
        _exit_after(failure)


async def _report(client: AsyncRuntimeAPIClient, request_id: str, exc: BaseException) -> None:
    from .failure import describe, log_failure

    failure = describe(exc, request_id)
    log_failure(failure)
    request = ErrorRequest(request_id, failure.payload, failure.error_type, failure.xray_cause)
    try:
        answer = await client.post_error(request)
    except RuntimeAPIError as err:
        fatal(str(err))
    if answer.status != 202:
        fatal(f"POST {client.url(request.path)} answered {answer.status} {answer.reason}")
