"""``lambdago.start``: the one entry point of a function (Go's ``lambda.Start``)."""

from __future__ import annotations

import os
import sys

from .. import _jsonio
from ..context import _current
from ..errors import EncodeError, HandlerError
from ..handler import CONTENT_TYPE_JSON, FunctionHandler, new_handler
from .client import RuntimeAPIClient, RuntimeAPIError
from .protocol import InitErrorRequest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, NoReturn

    from ..context import Context
    from .invoke_loop import HandleFunction

__all__ = ["report_init_error", "runtime_client", "start"]

NO_RUNTIME_API = (
    "lambdago: AWS_LAMBDA_RUNTIME_API is not set, so there is no Lambda Runtime API to serve.\n"
    "This program is a Lambda function: Lambda starts it with that variable set. To run it\n"
    "on this machine, use the local emulator, for example:\n"
    "    lambdago serve app.handler      (or: lambdago invoke app.handler --event event.json)\n"
    "See docs/emulator.md.\n"
)


def runtime_client() -> RuntimeAPIClient:
    """A client for ``AWS_LAMBDA_RUNTIME_API``; exits 1 with guidance when it is not set."""
    address = os.environ.get("AWS_LAMBDA_RUNTIME_API", "")
    if not address:
        sys.stderr.write(NO_RUNTIME_API)
        sys.stderr.flush()
        raise SystemExit(1)
    try:
        return RuntimeAPIClient(address)
    except ValueError as exc:
        sys.stderr.write(f"lambdago: {exc}\n")
        raise SystemExit(1) from None


def report_init_error(
    client: RuntimeAPIClient, error_type: str, message: str, stack_trace: list[str] | None = None
) -> NoReturn:
    """Report an init failure to ``/runtime/init/error`` and exit 1, before any ``/next``."""
    from .failure import Failure, _dumps, log_failure

    payload = _dumps(
        {
            "errorMessage": message,
            "errorType": error_type,
            "requestId": "",
            "stackTrace": stack_trace or [],
        }
    )
    log_failure(Failure(message, error_type, stack_trace or [], payload, b""))
    try:
        answer = client.post_init_error(InitErrorRequest(payload, error_type))
        if answer.status != 202:
            sys.stderr.write(
                f"lambdago: POST {client.url(InitErrorRequest(b'', '').path)} answered "
                f"{answer.status} {answer.reason}\n"
            )
    except RuntimeAPIError as exc:
        sys.stderr.write(f"lambdago: could not report the init error: {exc}\n")
    sys.stderr.flush()
    raise SystemExit(1)


def handle_function(handler: Any) -> HandleFunction:
    """The ``(payload, context) -> (body, content type)`` function the loop calls."""
    if isinstance(handler, FunctionHandler):
        return handler.handle
    invoke = handler.invoke

    def handle_raw(payload: bytes, context: Context) -> tuple[bytes, str]:
        token = _current.set(context)
        try:
            out = invoke(payload, context)
        finally:
            _current.reset(token)
        if out.__class__ is bytes:
            return out, CONTENT_TYPE_JSON
        if isinstance(out, (bytes, bytearray, memoryview)):
            return bytes(out), CONTENT_TYPE_JSON
        raise EncodeError(
            f"{type(handler).__qualname__}.invoke returned {type(out).__qualname__}, not bytes"
        )

    return handle_raw


def max_concurrency() -> int:
    """``AWS_LAMBDA_MAX_CONCURRENCY`` (Lambda Managed Instances), 1 when unset or invalid."""
    text = os.environ.get("AWS_LAMBDA_MAX_CONCURRENCY")
    if not text:
        return 1
    try:
        value = int(text)
    except ValueError:
        return 1
    return value if value > 1 else 1


def serve_handler(
    client: RuntimeAPIClient,
    handler: Any,
    on_sigterm: Iterable[Callable[[], Any]] | None = None,
    **options: Any,
) -> NoReturn:
    """Wrap ``handler`` (reporting an unacceptable one as an init error) and serve it.

    SIGTERM callbacks (``on_sigterm`` and those :func:`lambdago.on_sigterm` registered)
    are enabled before the first ``/next``; with ``AWS_LAMBDA_MAX_CONCURRENCY`` above 1,
    that many invocations are served at once.
    """
    from .invoke_loop import serve

    try:
        wrapped = new_handler(handler, **options)
    except HandlerError as exc:
        report_init_error(client, HandlerError.error_type, str(exc))
    callbacks = list(on_sigterm or ())
    registry = sys.modules.get("lambdago.runtime.sigterm")
    if registry is not None:
        callbacks += registry.registered()
    if callbacks:
        from . import sigterm

        sigterm.enable(client, callbacks)
    _jsonio.use_cold_start_engine()
    concurrency = max_concurrency()
    if concurrency > 1:
        from . import concurrent

        concurrent.serve_concurrently(client, wrapped, concurrency)
    serve(client, handle_function(wrapped))


def start(
    handler: Any,
    *,
    on_sigterm: Iterable[Callable[[], Any]] | None = None,
    escape_html: bool = False,
    indent: int | str | None = None,
    use_decimal: bool = False,
    strict: bool = False,
    lazy: bool = False,
) -> NoReturn:
    """Serve ``handler`` from the Lambda Runtime API, forever (Go's ``lambda.Start``).

    ``handler`` is wrapped as :func:`lambdago.new_handler` does (the same options); one
    that does not have an accepted shape is reported once as the init error
    ``Runtime.InvalidHandler`` and the process exits 1 before the first invocation. (Go
    instead fails every invocation with the message; failing init makes Lambda show the
    problem at deploy time and retry init rather than billing failed invocations.)

    A handler may stream its result by returning an iterator, a generator, an async
    generator or a binary file object, or a function URL / API Gateway streaming response
    (see docs/streaming.md).

    ``on_sigterm`` (Go's ``WithEnableSIGTERM``): callbacks run when Lambda shuts the
    environment down; the runtime then registers an internal extension so that Lambda sends
    SIGTERM before SIGKILL (see docs/shutdown-and-concurrency.md). Callbacks registered
    with :func:`lambdago.on_sigterm` are added to these.

    With ``AWS_LAMBDA_MAX_CONCURRENCY`` above 1 (Lambda Managed Instances), that many
    invocations are served at once: as many loops on the event loop for an ``async def``
    handler, as many threads otherwise.

    Without ``AWS_LAMBDA_RUNTIME_API`` (that is, outside Lambda or the emulator) this
    prints how to run the function locally and exits 1.
    """
    client = runtime_client()
    serve_handler(
        client,
        handler,
        on_sigterm,
        escape_html=escape_html,
        indent=indent,
        use_decimal=use_decimal,
        strict=strict,
        lazy=lazy,
    )
