"""Function-level metadata, mirroring aws-lambda-go's ``lambdacontext`` package.

The values below are read once, when this module is first imported, from the reserved
environment variables Lambda sets in every execution environment:

================================  ==================================
``function_name``                 ``AWS_LAMBDA_FUNCTION_NAME``
``function_version``              ``AWS_LAMBDA_FUNCTION_VERSION``
``memory_limit_in_mb``            ``AWS_LAMBDA_FUNCTION_MEMORY_SIZE`` (0 when unparsable)
``log_group_name``                ``AWS_LAMBDA_LOG_GROUP_NAME``
``log_stream_name``               ``AWS_LAMBDA_LOG_STREAM_NAME``
================================  ==================================

Outside Lambda the strings are empty and the memory size is 0, as in Go.
Per-invocation metadata lives on :class:`lambdago.Context`; :func:`from_context` and
:func:`new_context` are the Go package's ``FromContext`` and ``NewContext``;
:func:`new_logger` and :func:`new_log_handler` its ``NewLogger`` and ``NewLogHandler``.
"""

from __future__ import annotations

import os

from .context import Context, current_context

TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging

    from .context import ClientContext, CognitoIdentity

__all__ = [
    "from_context",
    "function_name",
    "function_version",
    "log_group_name",
    "log_stream_name",
    "max_concurrency",
    "memory_limit_in_mb",
    "new_context",
    "new_log_handler",
    "new_logger",
]


def _int_from_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, ""))
    except ValueError:
        return default


function_name: str = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
"""The name of the function (``AWS_LAMBDA_FUNCTION_NAME``)."""

function_version: str = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "")
"""The version being executed, ``$LATEST`` or a number (``AWS_LAMBDA_FUNCTION_VERSION``)."""

memory_limit_in_mb: int = _int_from_env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", 0)
"""The configured memory in MB (``AWS_LAMBDA_FUNCTION_MEMORY_SIZE``), 0 when unparsable."""

log_group_name: str = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
"""The CloudWatch Logs group the function writes to (``AWS_LAMBDA_LOG_GROUP_NAME``)."""

log_stream_name: str = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
"""The CloudWatch Logs stream of this execution environment (``AWS_LAMBDA_LOG_STREAM_NAME``)."""

_max_concurrency: int = max(1, _int_from_env("AWS_LAMBDA_MAX_CONCURRENCY", 1))


def max_concurrency() -> int:
    """How many invocations this process may serve at once (``AWS_LAMBDA_MAX_CONCURRENCY``).

    1 unless Lambda Managed Instances configured more; values below 1 or unparsable count as 1.
    """
    return _max_concurrency


def from_context(ctx: object = None) -> Context | None:
    """Return the invocation context carried by ``ctx``, or the current one.

    Go's ``lambdacontext.FromContext``. With no argument (or ``None``) this is
    :func:`lambdago.current_context`; given a :class:`lambdago.Context` it returns it; given
    anything else it returns ``None``.
    """
    if ctx is None:
        return current_context()
    return ctx if isinstance(ctx, Context) else None


def new_context(
    aws_request_id: str,
    invoked_function_arn: str = "",
    deadline_ms: int = 0,
    *,
    identity: CognitoIdentity | None = None,
    client_context: ClientContext | None = None,
    trace_id: str | None = None,
    tenant_id: str | None = None,
) -> Context:
    """Build an invocation context from its parts (Go's ``lambdacontext.NewContext``).

    For tests, :func:`lambdago.testing.make_context` fills in realistic values for you.
    """
    return Context(
        aws_request_id=aws_request_id,
        invoked_function_arn=invoked_function_arn,
        deadline_ms=deadline_ms,
        identity=identity,
        client_context=client_context,
        trace_id=trace_id,
        tenant_id=tenant_id,
    )


def new_log_handler(*, function_arn: bool = False, tenant_id: bool = False) -> logging.Handler:
    """A ``logging`` handler for Lambda's log formats (Go's ``lambdacontext.NewLogHandler``).

    It writes to standard output in the format the function's configuration asks for
    (``AWS_LAMBDA_LOG_FORMAT``: ``JSON``, or the tab-separated text layout otherwise), and
    every record carries the request id of the invocation being served. ``function_arn``
    and ``tenant_id`` add the invoked function ARN (``functionArn``) and the tenant id
    (``tenantId``), as Go's ``WithFunctionARN()`` and ``WithTenantID()`` do; in the text
    layout they follow the message as ``key=value``. Records made outside an invocation
    have an empty request id and neither extra field.
    """
    from .runtime.logsetup import new_log_handler as build

    return build(function_arn=function_arn, tenant_id=tenant_id)


def new_logger(
    name: str = "lambda", *, function_arn: bool = False, tenant_id: bool = False
) -> logging.Logger:
    """The logger ``name`` set up for Lambda's log formats (Go's ``lambdacontext.NewLogger``).

    Its one handler is :func:`new_log_handler`'s (calling this again replaces it, so records
    are never written twice), its level is ``AWS_LAMBDA_LOG_LEVEL`` (``INFO`` when unset,
    as in Go), and it does not pass records on to the root logger's handlers.
    """
    import logging

    from .runtime.logsetup import LambdaLogHandler, lambda_log_level

    logger = logging.getLogger(name)
    for old in [h for h in logger.handlers if isinstance(h, LambdaLogHandler)]:
        logger.removeHandler(old)
    logger.addHandler(new_log_handler(function_arn=function_arn, tenant_id=tenant_id))
    level = lambda_log_level()
    logger.setLevel(level if level is not None else logging.INFO)
    logger.propagate = False
    return logger
