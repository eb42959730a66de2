"""The ``logging`` integration: the request id on every record, and Lambda's log layout.

Imported and installed only once the function's code has imported ``logging`` (the
invoke loop checks after init and at the start of each invocation), so a function that
never logs never pays the ~7 ms ``import logging`` costs a cold start.

* Every record gets ``aws_request_id`` (the official runtime's attribute name) and
  ``tenant_id``, through the log record factory, whatever handlers format them.
* If the root logger has no handler yet, one is added that writes to stdout in the
  managed runtimes' layout: ``[LEVEL]\\t<time>Z\\t<request id>\\t<message>``, or one JSON
  object per line with ``AWS_LAMBDA_LOG_FORMAT=JSON`` (``timestamp``, ``level``,
  ``message``, ``logger``, ``requestId``, ``location``, the record's ``extra`` fields,
  and ``errorType``/``errorMessage``/``stackTrace`` for exceptions), as the official
  Python runtime writes them. ``AWS_LAMBDA_LOG_LEVEL`` sets the root level. A logging
  configuration the user already made (any root handler) is left alone.
* :func:`new_log_handler` builds the same handler on demand, for
  ``lambdago.lambdacontext.new_logger`` (aws-lambda-go's ``lambdacontext.NewLogger``).
"""

from __future__ import annotations

import logging
import os
import sys
import time

from ..context import _current

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LambdaLogHandler", "install", "lambda_log_level", "new_log_handler"]

_installed = False

# Lambda's level names (AWS_LAMBDA_LOG_LEVEL); "TRACE" and "FATAL" map onto the nearest
# logging levels.
_LEVELS = {
    "TRACE": 5,
    "DEBUG": 10,
    "INFO": 20,
    "WARN": 30,
    "WARNING": 30,
    "ERROR": 40,
    "FATAL": 50,
    "CRITICAL": 50,
}

# Attributes every LogRecord has (the Python version decides which: 3.12 added
# ``taskName``), plus the two the record factory below adds: whatever else a record
# carries came from ``extra=`` and goes into the JSON layout as its own field.
_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "aws_request_id",
    "tenant_id",
}


def lambda_log_level() -> int | None:
    """The ``logging`` level ``AWS_LAMBDA_LOG_LEVEL`` asks for, or ``None`` when unset/unknown."""
    return _LEVELS.get(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper())


def _json_format_wanted() -> bool:
    return os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON"


def install() -> None:
    """Install the record factory, and Lambda's handler if logging is unconfigured."""
    global _installed
    if _installed:
        return
    _installed = True
    previous = logging.getLogRecordFactory()

    def record_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        ctx = _current.get()
        record.aws_request_id = ctx.aws_request_id if ctx is not None else ""
        record.tenant_id = ctx.tenant_id if ctx is not None else None
        return record

    logging.setLogRecordFactory(record_factory)

    root = logging.getLogger()
    if root.handlers:
        return
    root.addHandler(new_log_handler())
    level = lambda_log_level()
    if level is not None:
        root.setLevel(level)


class LambdaLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes records to stdout in Lambda's text or JSON layout (``AWS_LAMBDA_LOG_FORMAT``).

    The request id (and, when asked for, the invoked function ARN and the tenant id) come
    from the invocation being served when the record is written, so the handler works
    whether or not the runtime installed its record factory.
    """

    def __init__(self, *, json_format: bool, function_arn: bool = False, tenant_id: bool = False):
        super().__init__(sys.stdout)
        self.setFormatter(_JsonFormatter() if json_format else _TextFormatter())
        self.include_function_arn = function_arn
        self.include_tenant_id = tenant_id

    def emit(self, record: logging.LogRecord) -> None:
        """Attach the invocation's fields to ``record``, then write it."""
        ctx = _current.get()
        if not hasattr(record, "aws_request_id"):
            record.aws_request_id = ctx.aws_request_id if ctx is not None else ""
        if not hasattr(record, "tenant_id"):
            record.tenant_id = ctx.tenant_id if ctx is not None else None
        fields: dict[str, str] = {}
        if ctx is not None:
            if self.include_function_arn and ctx.invoked_function_arn:
                fields["functionArn"] = ctx.invoked_function_arn
            if self.include_tenant_id and ctx.tenant_id:
                fields["tenantId"] = ctx.tenant_id
        record._lambdago_fields = fields
        super().emit(record)


def new_log_handler(*, function_arn: bool = False, tenant_id: bool = False) -> LambdaLogHandler:
    """A handler writing to stdout in the layout ``AWS_LAMBDA_LOG_FORMAT`` names."""
    return LambdaLogHandler(
        json_format=_json_format_wanted(), function_arn=function_arn, tenant_id=tenant_id
    )


def _timestamp(record: logging.LogRecord) -> str:
    seconds = time.gmtime(record.created)
    return time.strftime("%Y-%m-%dT%H:%M:%S", seconds) + f".{int(record.msecs):03d}Z"


class _TextFormatter(logging.Formatter):
    """``[LEVEL]\t<UTC time>Z\t<request id>\t<message>``, the managed runtimes' layout,
    with the handler's optional fields after the message as ``key=value``."""

    def __init__(self) -> None:
        super().__init__(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
            "%Y-%m-%dT%H:%M:%S",
        )
        self.converter = time.gmtime  # Lambda's log times are UTC

    def formatMessage(self, record: logging.LogRecord) -> str:
        """The first line of the record (the traceback, if any, follows it)."""
        line = super().formatMessage(record)
        for key, value in getattr(record, "_lambdago_fields", {}).items():
            line += f"\t{key}={value}"
        return line


class _JsonFormatter(logging.Formatter):
    """One JSON object per record, with the field names of Lambda's JSON log format."""

    def format(self, record: logging.LogRecord) -> str:
        from .. import _jsonio

        # A dict logged on its own (logger.info({"order": 7})) stays an object, as the
        # official runtime writes it; anything else is the formatted message.
        message: Any = (
            record.msg if isinstance(record.msg, dict) and not record.args else record.getMessage()
        )
        entry: dict[str, Any] = {
            "timestamp": _timestamp(record),
            "level": record.levelname,
            "message": message,
            "logger": record.name,
        }
        request_id = getattr(record, "aws_request_id", "")
        if request_id:
            entry["requestId"] = request_id
        tenant_id = getattr(record, "tenant_id", None)
        if tenant_id:
            entry["tenantId"] = tenant_id
        if record.exc_info and record.exc_info[1] is not None:
            import traceback

            exc = record.exc_info[1]
            entry["errorType"] = type(exc).__name__
            entry["errorMessage"] = str(exc)
            entry["stackTrace"] = traceback.format_tb(exc.__traceback__)
        entry["location"] = f"{record.pathname}:{record.funcName}:{record.lineno}"
        entry.update(getattr(record, "_lambdago_fields", {}))
        # Fields given with extra= (logger.info("paid", extra={"order_id": 7})) become
        # fields of the line, after Lambda's own, which they cannot replace.
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and key not in entry and key[:10] != "_lambdago_":
                entry[key] = value
        try:
            return _jsonio.dumps(entry).decode("utf-8")
        except Exception:
            # A value JSON cannot carry (an object, a non-string key): written as its str().
            return _jsonio.dumps({k: _plain(v) for k, v in entry.items()}).decode("utf-8")


def _plain(value: object) -> object:
    """``value`` if it is a JSON scalar or a list of strings, else its ``str()``."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return str(value)
