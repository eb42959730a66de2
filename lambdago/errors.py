"""The exceptions lambdago raises, and the one a handler raises to control its error report.

Every class carries an ``error_type``: the ``errorType`` string the runtime reports to
Lambda when the exception escapes an invocation. A user's own exception class may define
``error_type`` too (a class attribute or an instance attribute holding a string); Step
Functions retriers and catchers match on that string. Without it the class's ``__name__``
is reported, as the official Python runtime does.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "ContextError",
    "DecodeError",
    "EncodeError",
    "HandlerError",
    "InvokeError",
]


class HandlerError(TypeError):
    """A function that cannot serve as a Lambda handler.

    Raised once, when the function is wrapped (``new_handler`` or ``start``), never per
    invocation. The message names the function and says what is wrong with it. The
    bootstrap reports it as the init error ``Runtime.InvalidHandler``.
    """

    error_type = "Runtime.InvalidHandler"


class DecodeError(ValueError):
    """A payload that could not be decoded into the handler's event type.

    ``path`` locates the offending value in the document (``Records[0].body``), empty
    for a problem with the whole document (malformed JSON, empty payload); ``reason``
    is the message without the path. ``str(error)`` joins both:
    ``requestContext.identity.sourceIp: expected str, got int``.
    """

    error_type = "Runtime.UnmarshalError"

    def __init__(self, reason: str, path: str = "") -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


class EncodeError(TypeError):
    """A handler result (or a value given to ``lambdago.encode``) that cannot be encoded.

    The message names the type of the value that could not be encoded.
    """

    error_type = "Runtime.MarshalError"


class ContextError(ValueError):
    """Invocation metadata from the Runtime API that cannot be parsed.

    Raised for a missing or non-numeric ``Lambda-Runtime-Deadline-Ms``, a missing request
    id, and malformed ``Lambda-Runtime-Client-Context`` or ``Lambda-Runtime-Cognito-Identity``
    JSON. The runtime reports it for that invocation and serves the next one.
    """

    error_type = "Runtime.LambdaContextUnmarshalError"


class InvokeError(Exception):
    """An error to report exactly as given (aws-lambda-go's ``messages.InvokeResponse_Error``).

    Raise it from a handler to choose the ``errorMessage`` and ``errorType`` Lambda
    reports, and optionally the ``stackTrace`` lines. With ``should_exit=True`` the runtime
    reports the error and then exits the process, as a Go panic does, so Lambda starts a
    fresh execution environment for the next invocation.
    """

    def __init__(
        self,
        message: str,
        error_type: str = "InvokeError",
        *,
        should_exit: bool = False,
        stack_trace: Sequence[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.error_type = error_type
        self.should_exit = should_exit
        self.stack_trace = list(stack_trace) if stack_trace is not None else None

    def __repr__(self) -> str:
        return (
            f"InvokeError({self.message!r}, error_type={self.error_type!r}, "
            f"should_exit={self.should_exit!r})"
        )
