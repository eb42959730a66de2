"""Turning an exception into what Lambda expects: the error payload, the error type and
the X-Ray cause; and writing it to the function's log.

The payload is the official Python runtime's shape, ``{"errorMessage", "errorType",
"requestId", "stackTrace"}``, with ``stackTrace`` a list of formatted frames
(``traceback.format_list``) from which lambdago's own frames are left out: a user sees
their code, not ours. The X-Ray cause is ``{"working_directory", "exceptions": [{"type",
"message", "stack": [{"path", "line", "label"}]}], "paths"}``.

This module runs only when something failed, so it may import ``traceback`` freely.
"""

from __future__ import annotations

import os
import sys

from .. import _jsonio
from ..errors import InvokeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import traceback

__all__ = ["Failure", "describe", "error_type_of", "log_failure"]

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
MAX_MESSAGE_CHARS = 256 * 1024


class Failure:
    """An error ready to report: payload JSON, error type and X-Ray cause JSON."""

    __slots__ = ("error_type", "message", "payload", "stack_trace", "xray_cause")

    def __init__(
        self,
        message: str,
        error_type: str,
        stack_trace: list[str],
        payload: bytes,
        xray_cause: bytes,
    ) -> None:
        self.message = message
        self.error_type = error_type
        self.stack_trace = stack_trace
        self.payload = payload
        self.xray_cause = xray_cause


def error_type_of(exc: BaseException) -> str:
    """The ``errorType`` for ``exc``: its ``error_type`` string if it has one, else its
    class name."""
    declared = getattr(exc, "error_type", None)
    if isinstance(declared, str) and declared:
        return declared
    return type(exc).__name__


def _message_of(exc: BaseException) -> str:
    if isinstance(exc, InvokeError):
        message = exc.message
    else:
        try:
            message = str(exc)
        except Exception:  # a broken __str__ must not break error reporting
            message = f"<{type(exc).__name__} with an unprintable message>"
    if len(message) > MAX_MESSAGE_CHARS:
        message = (
            message[:MAX_MESSAGE_CHARS]
            + f"... ({len(message) - MAX_MESSAGE_CHARS} more characters)"
        )
    return message


def _user_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    return [f for f in frames if not os.path.abspath(f.filename).startswith(_PACKAGE_DIR)]


def describe(exc: BaseException, request_id: str = "") -> Failure:
    """Build the report for ``exc`` (never raises)."""
    import traceback

    error_type = error_type_of(exc)
    message = _message_of(exc)
    frames = _user_frames(exc)
    if isinstance(exc, InvokeError) and exc.stack_trace is not None:
        stack_trace = list(exc.stack_trace)
    else:
        stack_trace = traceback.format_list(frames)
    payload = {
        "errorMessage": message,
        "errorType": error_type,
        "requestId": request_id,
        "stackTrace": stack_trace,
    }
    paths: list[str] = []
    for f in frames:
        if f.filename not in paths:
            paths.append(f.filename)
    cause = {
        "working_directory": _cwd(),
        "exceptions": [
            {
                "type": error_type,
                "message": message,
                "stack": [{"path": f.filename, "line": f.lineno, "label": f.name} for f in frames],
            }
        ],
        "paths": paths,
    }
    return Failure(message, error_type, stack_trace, _dumps(payload), _dumps(cause))


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError:
        return ""


def _dumps(value: object) -> bytes:
    try:
        return _jsonio.dumps(value)
    except Exception:
        import json

        return json.dumps(value, default=str).encode("utf-8")


def log_failure(failure: Failure) -> None:
    """Write the error to stderr, as one log event.

    Text logs use the managed runtimes' layout (``[ERROR] Type: message`` then the
    traceback), joined with carriage returns so CloudWatch keeps them as one event;
    ``AWS_LAMBDA_LOG_FORMAT=JSON`` gives one JSON object.
    """
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON":
        import time

        record = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "level": "ERROR",
            "message": failure.message,
            "errorType": failure.error_type,
            "errorMessage": failure.message,
            "stackTrace": failure.stack_trace,
        }
        line = _dumps(record).decode("utf-8")
    else:
        parts = [
            f"[ERROR] {failure.error_type}: {failure.message}"
            if failure.message
            else f"[ERROR] {failure.error_type}"
        ]
        if failure.stack_trace:
            parts.append("Traceback (most recent call last):")
            for frame in failure.stack_trace:
                parts.extend(frame.rstrip("\n").split("\n"))
        line = "\r".join(parts)
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except Exception:
        pass
