"""The invoke loop: next invocation, context, handler, answer; forever.

One invocation at a time per loop, with module-level code run once before the first
``GET /next``; with ``AWS_LAMBDA_MAX_CONCURRENCY`` above 1, :mod:`.concurrent` runs several
such loops in one process. A result that is a stream (:mod:`.streaming`) is posted piece
by piece. What happens to failures:

* an ``Exception`` from decoding, the handler or encoding is reported through
  ``/invocation/{id}/error`` and the loop serves the next invocation;
* a ``BaseException`` that is not an ``Exception`` (``SystemExit``, ``KeyboardInterrupt``)
  and an ``InvokeError(should_exit=True)`` are reported, then the process exits non-zero,
  as a Go panic does; Lambda then starts a fresh environment;
* a response the Runtime API refuses as too large (413) is reported as the error
  ``Function.ResponseSizeTooLarge`` so the caller learns why;
* anything else unexpected from the Runtime API itself is fatal: a message on stderr
  naming the URL and status, exit 1.
"""

from __future__ import annotations

import os
import sys

from .. import _jsonio
from ..context import Context
from ..errors import ContextError, InvokeError
from .client import RuntimeAPIClient, RuntimeAPIError
from .protocol import ErrorRequest, ResponseRequest
from .trace_env import TraceEnv

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

    from .client import Invocation
    from .streaming import Stream

    HandleFunction = Callable[[bytes, Context], tuple[bytes | Stream, str]]

__all__ = ["fatal", "must_exit", "serve"]

RESPONSE_SIZE_LIMIT = 6 * 1024 * 1024 + 100  # what Lambda accepts for a buffered response
# Results up to this size go out in one write with the next GET /next (pipelining, see
# RuntimeAPIClient.post_response_then_next): far below the limit, so that a 413 (which
# must be reported while the invocation is still open) never meets a /next already sent.
PIPELINE_MAX_BODY = 1024 * 1024


def fatal(message: str) -> NoReturn:
    """Report a fatal runtime error on stderr and exit 1."""
    _flush_output()
    sys.stderr.write(f"lambdago: fatal: {message}\n")
    sys.stderr.flush()
    raise SystemExit(1)


def _flush_output() -> None:
    try:  # the usual case, once per invocation: both flush
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        for stream in (sys.stdout, sys.stderr):  # one failed: each on its own, quietly
            try:
                stream.flush()
            except Exception:
                pass


def must_exit(exc: BaseException) -> bool:
    """Whether a failure ends the process (not an ``Exception``, or a fatal InvokeError)."""
    return not isinstance(exc, Exception) or (isinstance(exc, InvokeError) and exc.should_exit)


def serve(
    client: RuntimeAPIClient, handle: HandleFunction, *, set_trace_env: bool = True
) -> NoReturn:
    """Serve invocations from ``client`` with ``handle`` until the process must end.

    ``set_trace_env=False`` (several loops in one process) leaves ``_X_AMZN_TRACE_ID``
    alone: it would be one value for invocations running at once.
    """
    trace_env = TraceEnv()
    first = True
    logging_ready = False
    # LAMBDAGO_PIPELINE=0 turns pipelining off (each answer waits for its 202 before the
    # next GET /next goes out), in case a Runtime API ever mishandles it.
    pipeline = os.environ.get("LAMBDAGO_PIPELINE", "1") != "0"
    following: Invocation | None = None  # the next invocation, when it came with a 202
    while True:
        if following is not None:
            invocation, following = following, None
        else:
            try:
                invocation = client.next()
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
            _report(client, request_id, exc)
            continue
        if set_trace_env:
            trace_env.set(context.trace_id)

        try:
            body, content_type = handle(invocation.payload, context)
        except Exception as exc:
            _report(client, request_id, exc)
            if isinstance(exc, InvokeError) and exc.should_exit:
                _exit_after(exc)
            continue
        except BaseException as exc:
            _report(client, request_id, exc)
            _exit_after(exc)

        _flush_output()  # what the handler printed goes out before its answer
        if body.__class__ is not bytes:
            from .streaming import send

            send(client, request_id, body)  # type: ignore[arg-type]
            if first:
                first = False
                _after_first_answer(trace_env, set_trace_env)
            continue
        request = ResponseRequest(request_id, body, content_type)
        try:
            # The first answer goes alone: what runs after it (_after_first_answer) must
            # not hold up an invocation already received.
            if pipeline and not first and len(body) <= PIPELINE_MAX_BODY:
                answer, following = client.post_response_then_next(request)
            else:
                answer = client.post_response(request)
        except RuntimeAPIError as exc:
            fatal(str(exc))
        if answer.status != 202:
            if answer.status == 413 and following is None:
                _report(client, request_id, _too_large(len(body)))
            elif answer.status == 413:
                # The /next went out with the post: Lambda has closed the invocation
                # without a result. Say why here, where the function's logs are.
                sys.stderr.write(f"lambdago: {_too_large(len(body))} (request {request_id})\n")
                sys.stderr.flush()
            else:
                fatal(f"POST {client.url(request.path)} answered {answer.status} {answer.reason}")
        if first:
            first = False
            _after_first_answer(trace_env, set_trace_env)


def _after_first_answer(trace_env: TraceEnv, set_trace_env: bool) -> None:
    # The first answer is out: now load what later invocations run faster with, the
    # steady-state JSON engine (see _jsonio) and the leak-free trace variable (trace_env).
    _jsonio.use_orjson()
    if set_trace_env:
        trace_env.go_native()


class ResponseSizeTooLarge(Exception):
    """The Runtime API refused a response as larger than Lambda's limit."""

    error_type = "Function.ResponseSizeTooLarge"


def _too_large(size: int) -> ResponseSizeTooLarge:
    return ResponseSizeTooLarge(
        f"Response payload size ({size} bytes) exceeded maximum allowed payload size "
        f"({RESPONSE_SIZE_LIMIT} bytes)."
    )


def _report(client: RuntimeAPIClient, request_id: str, exc: BaseException) -> None:
    from .failure import describe, log_failure

    failure = describe(exc, request_id)
    log_failure(failure)
    _flush_output()
    request = ErrorRequest(request_id, failure.payload, failure.error_type, failure.xray_cause)
    try:
        answer = client.post_error(request)
    except RuntimeAPIError as err:
        fatal(str(err))
    if answer.status != 202:
        fatal(f"POST {client.url(request.path)} answered {answer.status} {answer.reason}")


def _exit_after(exc: BaseException) -> NoReturn:
    if getattr(exc, "lambdago_terminated", False):
        raise exc  # SIGTERM: the shutdown callbacks ran; exit as they decided
    code = exc.code if isinstance(exc, SystemExit) else 1
    if not isinstance(code, int) or code == 0:
        code = 1
    _flush_output()
    sys.stderr.write(
        f"lambdago: the handler raised {type(exc).__name__}; exiting so Lambda starts a fresh "
        "environment\n"
    )
    sys.stderr.flush()
    raise SystemExit(code)
