"""The ``logging`` integration: the request id on every record, and Lambda's log layout.

Imported and installed only once the function's code has imported ``logging`` (the
invoke loop checks after init and at the start of each invocation), so a function that
never logs never pays the ~7 ms ``import logging`` costs a cold start.

* Every record gets ``aws_request_id`` (the official runtime's attribute name) and
  ``tenant_id``, through the log record factory, whatever handlers format them.
* If the root logger has no handler yet, one is added that writes to stdout in the
  managed runtimes' layout: ``[LEVEL]\\t<time>Z\\t<request id>\\t<message>``, or one JSON
  object per line with ``AWS_LAMBDA_LOG_FORMAT=JSON`` (``timestamp``, ``level``,
  ``message``, ``logger``, ``requestId``, and ``errorType``/``errorMessage``/``stackTrace``
  for exceptions). ``AWS_LAMBDA_LOG_LEVEL`` sets the root level. A logging configuration
  the user already made (any root handler) is left alone.
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

__all__ = ["install"]

_installed = False


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
    handler = logging.StreamHandler(sys.stdout)
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON":
        handler.setFormatter(_JsonFormatter())
    else:
        formatter = logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
            "%Y-%m-%dT%H:%M:%S",
        )
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
    root.addHandler(handler)
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    # Lambda's level names; "TRACE" and "FATAL" map onto the nearest logging levels.
    levels = {
        "TRACE": 5,
        "DEBUG": 10,
        "INFO": 20,
        "WARN": 30,
        "WARNING": 30,
        "ERROR": 40,
        "FATAL": 50,
        "CRITICAL": 50,
    }
    if level in levels:
        root.setLevel(levels[level])


class _JsonFormatter(logging.Formatter):
    """One JSON object per record, with Lambda's advanced logging field names."""

    def format(self, record: logging.LogRecord) -> str:
        from .. import _jsonio

        seconds = time.gmtime(record.created)
        entry: dict[str, Any] = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", seconds) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "message": record.getMessage(),
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
        try:
            return _jsonio.dumps(entry).decode("utf-8")
        except Exception:
            entry["message"] = str(entry["message"])
            return _jsonio.dumps({k: str(v) for k, v in entry.items()}).decode("utf-8")
