"""The invocation context: who called, until when, and on whose behalf.

A :class:`Context` is built for every invocation from the Runtime API's response headers
(:meth:`Context.from_headers`) and handed to handlers that ask for it. It also answers the
attribute names of the official Python runtime's context object (``function_name``,
``memory_limit_in_mb``, ``get_remaining_time_in_millis()`` …) so logging and tracing helpers
written for that runtime accept it.

This module is imported on every cold start, so it stays small: plain slotted classes,
no attrs, no typing at run time.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from .errors import ContextError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping
    from typing import Any

__all__ = [
    "ClientApplication",
    "ClientContext",
    "CognitoIdentity",
    "Context",
    "current_context",
]

# Header names as the Runtime API sends them; lookups are case-insensitive.
HEADER_REQUEST_ID = "lambda-runtime-aws-request-id"
HEADER_DEADLINE_MS = "lambda-runtime-deadline-ms"
HEADER_FUNCTION_ARN = "lambda-runtime-invoked-function-arn"
HEADER_TRACE_ID = "lambda-runtime-trace-id"
HEADER_CLIENT_CONTEXT = "lambda-runtime-client-context"
HEADER_COGNITO_IDENTITY = "lambda-runtime-cognito-identity"
HEADER_TENANT_ID = "lambda-runtime-aws-tenant-id"

_new = object.__new__


class _Slotted:
    """Equality and repr over ``__slots__``, shared by the small context classes."""

    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, s) == getattr(other, s) for s in self.__slots__)

    def __hash__(self) -> int:
        return hash(tuple(repr(getattr(self, s)) for s in self.__slots__))

    def __repr__(self) -> str:
        fields = ", ".join(f"{s}={getattr(self, s)!r}" for s in self.__slots__)
        return f"{self.__class__.__name__}({fields})"


class CognitoIdentity(_Slotted):
    """The Amazon Cognito identity that authorized the invocation, when there is one.

    Filled from the ``Lambda-Runtime-Cognito-Identity`` header (JSON with
    ``cognitoIdentityId`` and ``cognitoIdentityPoolId``); both are ``None`` otherwise.
    """

    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")

    def __init__(
        self, cognito_identity_id: str | None = None, cognito_identity_pool_id: str | None = None
    ) -> None:
        self.cognito_identity_id = cognito_identity_id
        self.cognito_identity_pool_id = cognito_identity_pool_id


class ClientApplication(_Slotted):
    """The mobile application that made the call, from the client context's ``client``."""

    # In the order the official runtime declares them; repr shows them so.
    __slots__ = (
        "installation_id",
        "app_title",
        "app_version_name",
        "app_version_code",
        "app_package_name",
    )

    def __init__(
        self,
        installation_id: str | None = None,
        app_title: str | None = None,
        app_version_name: str | None = None,
        app_version_code: str | None = None,
        app_package_name: str | None = None,
    ) -> None:
        self.installation_id = installation_id
        self.app_title = app_title
        self.app_version_name = app_version_name
        self.app_version_code = app_version_code
        self.app_package_name = app_package_name


class ClientContext(_Slotted):
    """Client information sent by the caller (AWS Mobile SDK, or ``--client-context``).

    Filled from the ``Lambda-Runtime-Client-Context`` header. ``env`` and ``custom`` keep
    the values exactly as decoded from JSON (aws-lambda-go turns non-string ``custom``
    values back into JSON text; the official Python runtime keeps them, and so do we).
    """

    __slots__ = ("client", "env", "custom")

    def __init__(
        self,
        client: ClientApplication | None = None,
        env: dict[str, Any] | None = None,
        custom: dict[str, Any] | None = None,
    ) -> None:
        self.client = client
        self.env = env if env is not None else {}
        self.custom = custom if custom is not None else {}


class Context(_Slotted):
    """Everything the runtime knows about the invocation being served.

    ``deadline_ms`` is the deadline in milliseconds since the Unix epoch, exactly as the
    ``Lambda-Runtime-Deadline-Ms`` header gives it; :meth:`remaining` and
    :meth:`get_remaining_time_in_millis` say how much of it is left.
    """

    __slots__ = (
        "aws_request_id",
        "invoked_function_arn",
        "deadline_ms",
        "identity",
        "client_context",
        "trace_id",
        "tenant_id",
    )

    def __init__(
        self,
        aws_request_id: str,
        invoked_function_arn: str = "",
        deadline_ms: int = 0,
        identity: CognitoIdentity | None = None,
        client_context: ClientContext | None = None,
        trace_id: str | None = None,
        tenant_id: str | None = None,
    ) -> None:
        self.aws_request_id = aws_request_id
        self.invoked_function_arn = invoked_function_arn
        self.deadline_ms = deadline_ms
        self.identity = identity if identity is not None else CognitoIdentity()
        self.client_context = client_context
        self.trace_id = trace_id
        self.tenant_id = tenant_id

    # -- time left -------------------------------------------------------------------

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the deadline, never negative (the official runtime's name)."""
        left = self.deadline_ms - time.time_ns() // 1_000_000
        return left if left > 0 else 0

    def remaining(self) -> datetime.timedelta:
        """Time left before the deadline, as a ``timedelta`` (negative once it has passed)."""
        import datetime

        return datetime.timedelta(milliseconds=self.deadline_ms - time.time_ns() // 1_000_000)

    @property
    def deadline(self) -> datetime.datetime:
        """The deadline as an aware UTC ``datetime``."""
        import datetime

        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
        return epoch + datetime.timedelta(milliseconds=self.deadline_ms)

    # -- the official runtime's attribute names ----------------------------------------

    @property
    def function_name(self) -> str:
        """The function's name (``lambdacontext.function_name``)."""
        from . import lambdacontext

        return lambdacontext.function_name

    @property
    def function_version(self) -> str:
        """The function version being executed (``lambdacontext.function_version``)."""
        from . import lambdacontext

        return lambdacontext.function_version

    @property
    def memory_limit_in_mb(self) -> int:
        """The configured memory in MB (``lambdacontext.memory_limit_in_mb``)."""
        from . import lambdacontext

        return lambdacontext.memory_limit_in_mb

    @property
    def log_group_name(self) -> str:
        """The CloudWatch Logs group (``lambdacontext.log_group_name``)."""
        from . import lambdacontext

        return lambdacontext.log_group_name

    @property
    def log_stream_name(self) -> str:
        """The CloudWatch Logs stream (``lambdacontext.log_stream_name``)."""
        from . import lambdacontext

        return lambdacontext.log_stream_name

    def log(self, message: object) -> None:
        """Write ``message`` to standard output, as the official runtime's ``context.log`` does."""
        import sys

        sys.stdout.write(str(message))

    # -- building one from the Runtime API -------------------------------------------

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Context:
        """Build the context from the headers of a ``GET /runtime/invocation/next`` answer.

        Header names are matched without regard to case. Raises :class:`ContextError` for
        a missing request id, a missing or non-numeric deadline, and client-context or
        Cognito-identity headers that are not JSON objects.
        """
        if any(not k.islower() for k in headers):
            headers = {k.lower(): v for k, v in headers.items()}
        return cls._from_lowercase_headers(headers)

    @classmethod
    def _from_lowercase_headers(cls, headers: Mapping[str, str]) -> Context:
        # The runtime's parser already lower-cases names; it calls this directly.
        get = headers.get

        request_id = get(HEADER_REQUEST_ID)
        if not request_id:
            raise ContextError("the Lambda-Runtime-Aws-Request-Id header is missing")

        raw_deadline = get(HEADER_DEADLINE_MS)
        if raw_deadline is None:
            raise ContextError("the Lambda-Runtime-Deadline-Ms header is missing")
        try:
            deadline_ms = int(raw_deadline.strip())
        except ValueError:
            raise ContextError(
                f"the Lambda-Runtime-Deadline-Ms header is not an integer: {raw_deadline!r}"
            ) from None

        raw_identity = get(HEADER_COGNITO_IDENTITY)
        if raw_identity:
            fields = _json_object(raw_identity, "Lambda-Runtime-Cognito-Identity")
            identity = CognitoIdentity(
                _optional_str(fields, "cognitoIdentityId", "Lambda-Runtime-Cognito-Identity"),
                _optional_str(fields, "cognitoIdentityPoolId", "Lambda-Runtime-Cognito-Identity"),
            )
        else:
            identity = _new(CognitoIdentity)
            identity.cognito_identity_id = identity.cognito_identity_pool_id = None

        raw_client_context = get(HEADER_CLIENT_CONTEXT)
        client_context = _client_context(raw_client_context) if raw_client_context else None

        if cls.__init__ is not Context.__init__:  # a subclass with its own constructor
            return cls(
                aws_request_id=request_id,
                invoked_function_arn=get(HEADER_FUNCTION_ARN) or "",
                deadline_ms=deadline_ms,
                identity=identity,
                client_context=client_context,
                trace_id=get(HEADER_TRACE_ID) or None,
                tenant_id=get(HEADER_TENANT_ID) or None,
            )
        # Runs for every invocation: the slots are filled directly, which costs half of a
        # call to __init__ with keywords (the values are the ones it would store).
        context = _new(cls)
        context.aws_request_id = request_id
        context.invoked_function_arn = get(HEADER_FUNCTION_ARN) or ""
        context.deadline_ms = deadline_ms
        context.identity = identity
        context.client_context = client_context
        context.trace_id = get(HEADER_TRACE_ID) or None
        context.tenant_id = get(HEADER_TENANT_ID) or None
        return context


def _json_object(text: str, header: str) -> dict[str, Any]:
    from . import _jsonio

    try:
        value = _jsonio.loads(text.encode("utf-8", "surrogatepass"))
    except ValueError as exc:
        raise ContextError(f"the {header} header is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ContextError(f"the {header} header must be a JSON object, got {_json_kind(value)}")
    return value


def _optional_str(fields: Mapping[str, Any], key: str, header: str) -> str | None:
    value = fields.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ContextError(f"the {header} header's {key!r} must be a string, got {_json_kind(value)}")


def _optional_object(fields: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    value = fields.get(key)
    if value is None or isinstance(value, dict):
        return value
    raise ContextError(
        f"the Lambda-Runtime-Client-Context header's {key!r} must be a JSON object, "
        f"got {_json_kind(value)}"
    )


def _client_context(text: str) -> ClientContext:
    header = "Lambda-Runtime-Client-Context"
    fields = _json_object(text, header)
    # The mobile SDKs send "client"; aws-lambda-go declares "Client" and matches either.
    client_fields = _optional_object(fields, "client")
    if client_fields is None:
        client_fields = _optional_object(fields, "Client")
    client = None
    if client_fields is not None:
        client = ClientApplication(
            **{
                name: _optional_str(client_fields, name, header)
                for name in ClientApplication.__slots__
            }
        )
    return ClientContext(
        client, _optional_object(fields, "env"), _optional_object(fields, "custom")
    )


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


_current: ContextVar[Context | None] = ContextVar("lambdago_current_context", default=None)


def current_context() -> Context | None:
    """The context of the invocation running in this thread or task, or ``None`` outside one."""
    return _current.get()
