"""AWS CloudFormation custom resources: the request CloudFormation sends a function backing
a custom resource (``Custom::*`` or ``AWS::CloudFormation::CustomResource``) when the
stack creates, updates or deletes it, and the response the function must upload to the
request's pre-signed ``ResponseURL``.

CloudFormation does not read the function's return value: it waits (up to an hour, or
the resource's ``ServiceTimeout``) for a response object to appear at ``ResponseURL``. A
function that fails without sending one leaves the stack waiting. :func:`custom_resource`
wraps a function so that a response is always sent::

    @custom_resource
    def handler(event: CloudFormationCustomResourceRequest) -> tuple[str, dict[str, str]]:
        if event.is_delete():
            delete_bucket(event.physical_resource_id)
            return event.physical_resource_id, {}
        name = create_bucket(event.decode_properties(BucketSpec))
        return name, {"Arn": f"arn:aws:s3:::{name}"}

    lambdago.start(handler)

To send responses by hand, build one with :meth:`CloudFormationCustomResourceRequest.success`
or :meth:`CloudFormationCustomResourceRequest.failed` and call
:meth:`CloudFormationCustomResourceRequest.send`.

These types cover aws-lambda-go's ``cfn.Event`` and ``cfn.Response`` (package ``cfn``, not
``events``) and the custom resource wrapper is the counterpart of its ``cfn.LambdaWrap``.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Mapping

from .._typing_shims import overload
from ..context import Context
from ._base import decode_value, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Final, TypeAlias

__all__ = [
    "CloudFormationCustomResourceRequest",
    "CloudFormationCustomResourceResponse",
    "CloudFormationRequestTypeCreate",
    "CloudFormationRequestTypeDelete",
    "CloudFormationRequestTypeUpdate",
    "CloudFormationResponseError",
    "CloudFormationStatusFailed",
    "CloudFormationStatusSuccess",
    "custom_resource",
]

SAMPLES = {
    "cloudformation-custom-resource-create": "CloudFormationCustomResourceRequest",
    "cloudformation-custom-resource-update": "CloudFormationCustomResourceRequest",
    "cloudformation-custom-resource-delete": "CloudFormationCustomResourceRequest",
    "cloudformation-custom-resource-response": "CloudFormationCustomResourceResponse",
}

CloudFormationRequestTypeCreate: Final = "Create"
"""``RequestType`` when the stack creates the resource."""

CloudFormationRequestTypeUpdate: Final = "Update"
"""``RequestType`` when the resource's properties change (or a rollback restores them)."""

CloudFormationRequestTypeDelete: Final = "Delete"
"""``RequestType`` when the stack deletes the resource (also after a failed create, on
rollback, and for the old resource after an update that replaced it)."""

CloudFormationStatusSuccess: Final = "SUCCESS"
"""Response ``Status``: the operation succeeded."""

CloudFormationStatusFailed: Final = "FAILED"
"""Response ``Status``: the operation failed; ``Reason`` says why (shown in the stack's
events) and the stack rolls back."""

_Handler: TypeAlias = "Callable[[Context, CloudFormationCustomResourceRequest], Any]"
"""What :func:`custom_resource` returns: a handler taking the context and the request."""

MAX_RESPONSE_BYTES: Final = 4096
"""The largest response body CloudFormation accepts; a longer one is rejected and the
stack keeps waiting."""


class CloudFormationResponseError(Exception):
    """A custom resource response could not be delivered to its ``ResponseURL``.

    ``status`` is the last HTTP status received (``None`` when no answer came) and
    ``body`` what the server said (S3 explains a refusal in an XML body).
    """

    def __init__(self, message: str, *, status: int | None = None, body: bytes = b"") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


@event
class CloudFormationCustomResourceRequest:
    """What CloudFormation sends the function behind a custom resource: the operation
    (``RequestType``), where to upload the response (``ResponseURL``, valid for about two
    hours), the ids to echo back, the resource's properties from the template (values
    arrive as strings) and, for an update, its previous properties."""

    request_type: str | None = field("RequestType")
    service_token: str | None = field("ServiceToken")
    response_url: str | None = field("ResponseURL")
    stack_id: str | None = field("StackId")
    request_id: str | None = field("RequestId")
    logical_resource_id: str | None = field("LogicalResourceId")
    physical_resource_id: str | None = field("PhysicalResourceId")
    resource_type: str | None = field("ResourceType")
    resource_properties: dict[str, Any] | None = field("ResourceProperties")
    old_resource_properties: dict[str, Any] | None = field("OldResourceProperties")

    def is_create(self) -> bool:
        """Whether CloudFormation is creating the resource."""
        return self.request_type == CloudFormationRequestTypeCreate

    def is_update(self) -> bool:
        """Whether CloudFormation is updating the resource."""
        return self.request_type == CloudFormationRequestTypeUpdate

    def is_delete(self) -> bool:
        """Whether CloudFormation is deleting the resource."""
        return self.request_type == CloudFormationRequestTypeDelete

    def decode_properties(self, type: Any = object, **options: Any) -> Any:
        """``ResourceProperties`` decoded into ``type`` (``lambdago.decode`` options
        apply). CloudFormation sends numbers and booleans of the template as strings, so
        declare them ``str`` (or convert them yourself)."""
        return decode_value(self.resource_properties or {}, type, "ResourceProperties", options)

    def decode_old_properties(self, type: Any = object, **options: Any) -> Any:
        """``OldResourceProperties`` (update requests only) decoded into ``type``."""
        if self.old_resource_properties is None:
            raise ValueError("the request has no OldResourceProperties (it is not an update)")
        return decode_value(self.old_resource_properties, type, "OldResourceProperties", options)

    def fallback_physical_resource_id(self) -> str:
        """The physical resource id to report when the function names none: the
        request's own for an update or a delete (CloudFormation would otherwise take a
        new id for a replacement), and on create the ``RequestId`` (unique per request
        and the same if Lambda retries it), or a generated id when that is missing."""
        if not self.is_create() and self.physical_resource_id:
            return self.physical_resource_id
        if self.request_id:
            return self.request_id
        import uuid

        return f"{self.logical_resource_id or 'CustomResource'}-{uuid.uuid4().hex[:16]}"

    def response(
        self,
        status: str,
        *,
        reason: str | None = None,
        physical_resource_id: str | None = None,
        data: Mapping[str, Any] | None = None,
        no_echo: bool | None = None,
    ) -> CloudFormationCustomResourceResponse:
        """A response to this request: ``status`` (``SUCCESS`` or ``FAILED``) with the
        request's stack, request and logical ids echoed, and the physical resource id
        given or :meth:`fallback_physical_resource_id`."""
        if status not in (CloudFormationStatusSuccess, CloudFormationStatusFailed):
            raise ValueError(f"status must be 'SUCCESS' or 'FAILED', got {status!r}")
        return CloudFormationCustomResourceResponse(
            status=status,
            reason=reason,
            physical_resource_id=physical_resource_id or self.fallback_physical_resource_id(),
            stack_id=self.stack_id,
            request_id=self.request_id,
            logical_resource_id=self.logical_resource_id,
            no_echo=no_echo,
            data=dict(data) if data is not None else None,
        )

    def success(
        self,
        physical_resource_id: str | None = None,
        data: Mapping[str, Any] | None = None,
        *,
        no_echo: bool | None = None,
    ) -> CloudFormationCustomResourceResponse:
        """A ``SUCCESS`` response; ``data`` becomes the resource's ``Fn::GetAtt``
        attributes, and ``no_echo=True`` masks them in the console and API output."""
        return self.response(
            CloudFormationStatusSuccess,
            physical_resource_id=physical_resource_id,
            data=data,
            no_echo=no_echo,
        )

    def failed(
        self, reason: str, physical_resource_id: str | None = None
    ) -> CloudFormationCustomResourceResponse:
        """A ``FAILED`` response with ``reason`` (shown in the stack's events)."""
        return self.response(
            CloudFormationStatusFailed, reason=reason, physical_resource_id=physical_resource_id
        )

    def send(
        self,
        response: CloudFormationCustomResourceResponse,
        *,
        timeout: float = 10.0,
        attempts: int = 5,
        backoff: float = 0.5,
        time_limit: float | None = None,
    ) -> None:
        """Upload ``response`` to this request's ``ResponseURL``; see
        :meth:`CloudFormationCustomResourceResponse.send`."""
        if not self.response_url:
            raise ValueError("the request has no ResponseURL")
        response.send(
            self.response_url,
            timeout=timeout,
            attempts=attempts,
            backoff=backoff,
            time_limit=time_limit,
        )


@event
class CloudFormationCustomResourceResponse:
    """What a custom resource function uploads to the request's ``ResponseURL``: whether
    the operation succeeded (with a ``Reason`` when not), the resource's physical id, the
    request's ids echoed back, and ``Data``, the attributes ``Fn::GetAtt`` reads.
    CloudFormation accepts at most 4096 bytes of it."""

    status: str | None = field("Status")
    reason: str | None = field("Reason")
    physical_resource_id: str | None = field("PhysicalResourceId")
    stack_id: str | None = field("StackId")
    request_id: str | None = field("RequestId")
    logical_resource_id: str | None = field("LogicalResourceId")
    no_echo: bool | None = field("NoEcho")
    data: dict[str, Any] | None = field("Data")

    def body(self) -> bytes:
        """The JSON body that is uploaded."""
        from ..codec import encode

        return encode(self)

    def send(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        attempts: int = 5,
        backoff: float = 0.5,
        time_limit: float | None = None,
    ) -> None:
        """Upload the response to ``url`` (the request's pre-signed ``ResponseURL``) as
        CloudFormation expects: an HTTP ``PUT`` of the JSON body with an empty
        ``Content-Type`` (the URL is signed for one) and its ``Content-Length``.

        Connection failures, timeouts (``timeout`` seconds per attempt) and answers 408,
        429 and 5xx are retried, up to ``attempts`` tries, waiting ``backoff`` seconds
        and doubling (at most 8 s) between tries; ``time_limit`` bounds the whole in
        seconds. Raises :class:`CloudFormationResponseError` when the upload does not
        succeed (at once for other answers, such as 403 for an expired URL), and
        ``ValueError`` when the body exceeds :data:`MAX_RESPONSE_BYTES` or the URL is
        not HTTP(S).
        """
        body = self.body()
        if len(body) > MAX_RESPONSE_BYTES:
            raise ValueError(
                f"the response is {len(body)} bytes; CloudFormation accepts at most "
                f"{MAX_RESPONSE_BYTES} (make Data or Reason smaller)"
            )
        _put_response(
            url,
            body,
            timeout=timeout,
            attempts=attempts,
            backoff=backoff,
            time_limit=time_limit,
        )


# -- uploading --------------------------------------------------------------------------------

_RETRIED_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def _put_once(url: str, body: bytes, timeout: float) -> tuple[int, bytes]:
    import http.client
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    host = parts.hostname
    if not host:
        raise ValueError(f"not an HTTP(S) URL: {url!r}")
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        import ssl

        connection = http.client.HTTPSConnection(
            host, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    elif parts.scheme == "http":
        connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    else:
        raise ValueError(f"not an HTTP(S) URL: {url!r}")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        # An empty Content-Type: the pre-signed URL is signed for exactly that, and
        # http.client adds none of its own when one is given.
        connection.request(
            "PUT",
            target,
            body=body,
            headers={"Content-Type": "", "Content-Length": str(len(body))},
        )
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def _put_response(
    url: str,
    body: bytes,
    *,
    timeout: float = 10.0,
    attempts: int = 5,
    backoff: float = 0.5,
    time_limit: float | None = None,
) -> None:
    """``PUT`` ``body`` to ``url`` with retries; the transport of
    :meth:`CloudFormationCustomResourceResponse.send`, whose documentation applies."""
    import http.client

    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    end = time.monotonic() + time_limit if time_limit is not None else None
    wait = backoff
    last: CloudFormationResponseError | None = None
    for attempt in range(1, attempts + 1):
        budget = timeout
        if end is not None:
            budget = min(timeout, end - time.monotonic())
            if budget <= 0:
                break
        try:
            status, answer = _put_once(url, body, budget)
        except (OSError, http.client.HTTPException) as exc:
            last = CloudFormationResponseError(f"uploading the response failed: {exc!r}")
            last.__cause__ = exc
        else:
            if 200 <= status < 300:
                return
            last = CloudFormationResponseError(
                f"uploading the response failed: HTTP {status}: "
                f"{answer[:300].decode('utf-8', 'replace')}",
                status=status,
                body=answer,
            )
            if status not in _RETRIED_STATUSES:
                raise last
        if attempt == attempts:
            break
        if end is not None and time.monotonic() + wait >= end:
            break
        time.sleep(wait)
        wait = min(wait * 2, 8.0)
    if last is None:
        last = CloudFormationResponseError("uploading the response failed: no time left")
    raise last


# -- the wrapper ------------------------------------------------------------------------------


def _log(message: str) -> None:
    sys.stderr.write(f"custom_resource: {message}\n")
    sys.stderr.flush()


def _fit_reason(response: CloudFormationCustomResourceResponse) -> None:
    """Shorten ``response.reason`` (ending it with ``...``) so that the body fits
    :data:`MAX_RESPONSE_BYTES`; drop it when even an empty reason does not fit."""
    reason = response.reason
    if not reason or len(response.body()) <= MAX_RESPONSE_BYTES:
        return
    # The longest prefix that fits, by bisection: characters cost 1 to 12 bytes.
    low, high = 0, len(reason)
    while low < high:
        mid = (low + high + 1) // 2
        response.reason = reason[:mid] + "..."
        if len(response.body()) <= MAX_RESPONSE_BYTES:
            low = mid
        else:
            high = mid - 1
    response.reason = reason[:low] + "..."
    if len(response.body()) > MAX_RESPONSE_BYTES:
        response.reason = None


def _exception_reason(exc: BaseException, context: Context) -> str:
    message = str(exc)
    reason = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    stream = context.log_stream_name
    if stream:
        reason += f" (details in CloudWatch log stream {stream})"
    return reason


def _as_response(
    request: CloudFormationCustomResourceRequest, result: Any
) -> CloudFormationCustomResourceResponse:
    """The response for what the user's function returned (see :func:`custom_resource`)."""
    if isinstance(result, CloudFormationCustomResourceResponse):
        if result.status is None:
            result.status = CloudFormationStatusSuccess
        if not result.physical_resource_id:
            result.physical_resource_id = request.fallback_physical_resource_id()
        if result.stack_id is None:
            result.stack_id = request.stack_id
        if result.request_id is None:
            result.request_id = request.request_id
        if result.logical_resource_id is None:
            result.logical_resource_id = request.logical_resource_id
        return result
    physical_id: Any = None
    data: Any = None
    if result is None:
        pass
    elif isinstance(result, str):
        physical_id = result
    elif isinstance(result, Mapping):
        data = result
    elif isinstance(result, tuple) and len(result) == 2:
        physical_id, data = result
    else:
        raise TypeError(
            "a custom resource function returns None, a physical resource id (str), a "
            "Data mapping, a (physical resource id, Data) tuple or a "
            f"CloudFormationCustomResourceResponse; got {type(result).__name__}"
        )
    if physical_id is not None and not isinstance(physical_id, str):
        raise TypeError(f"the physical resource id must be a str, got {type(physical_id).__name__}")
    if data is not None and not isinstance(data, Mapping):
        raise TypeError(f"Data must be a mapping, got {type(data).__name__}")
    return request.success(physical_id or None, data)


class _Reply:
    """Sends at most one response per request, from the handler or from the watchdog."""

    __slots__ = ("_claimed", "_lock", "attempts", "backoff", "context", "request", "timeout")

    def __init__(
        self,
        request: CloudFormationCustomResourceRequest,
        context: Context,
        timeout: float,
        attempts: int,
        backoff: float,
    ) -> None:
        self.request = request
        self.context = context
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self._claimed = False
        self._lock = threading.Lock()

    def claim(self) -> bool:
        with self._lock:
            if self._claimed:
                return False
            self._claimed = True
            return True

    def send(self, response: CloudFormationCustomResourceResponse) -> None:
        """Upload ``response`` (made to fit first), within the invocation's time left."""
        if response.status == CloudFormationStatusFailed:
            _fit_reason(response)
        size = len(response.body())
        if size > MAX_RESPONSE_BYTES:
            _log(f"the response is {size} bytes, over CloudFormation's limit; sending FAILED")
            response = self.request.failed(
                f"the custom resource response is {size} bytes; CloudFormation accepts at "
                f"most {MAX_RESPONSE_BYTES} (Data is too large)",
                response.physical_resource_id,
            )
        if response.status == CloudFormationStatusFailed:
            _log(f"sending FAILED: {response.reason}")
        limit = None
        if self.context.deadline_ms:
            limit = max(self.context.get_remaining_time_in_millis() / 1000 - 0.1, 0.5)
        url = self.request.response_url
        if not url:
            raise ValueError("the request has no ResponseURL; cannot answer CloudFormation")
        response.send(
            url,
            timeout=self.timeout,
            attempts=self.attempts,
            backoff=self.backoff,
            time_limit=limit,
        )


def _watchdog(reply: _Reply, margin: float) -> threading.Timer | None:
    """A timer sending FAILED ``margin`` seconds before the deadline (or half-way
    there, when less than twice ``margin`` is left); ``None`` without a deadline."""
    if not reply.context.deadline_ms:
        return None
    left = reply.context.get_remaining_time_in_millis() / 1000
    delay = max(left - margin, left / 2)

    def fire() -> None:
        if not reply.claim():
            return
        reason = (
            "the custom resource function did not finish in time: "
            f"{reply.context.get_remaining_time_in_millis() / 1000:.1f} s were left before "
            "its Lambda timeout"
        )
        try:
            reply.send(reply.request.failed(reason))
        except Exception as exc:
            _log(f"could not send the timeout response: {exc}")

    timer = threading.Timer(delay, fire)
    timer.daemon = True
    timer.start()
    return timer


def _finish(
    reply: _Reply,
    timer: threading.Timer | None,
    response: CloudFormationCustomResourceResponse,
) -> None:
    if timer is not None:
        timer.cancel()
    if not reply.claim():
        # The watchdog answered already; let it finish uploading before returning.
        if timer is not None:
            timer.join(max(reply.context.get_remaining_time_in_millis() / 1000, 0.1))
        _log("the function finished after the timeout response was sent; its result is dropped")
        return
    try:
        reply.send(response)
    except CloudFormationResponseError:
        raise
    except Exception as exc:
        raise CloudFormationResponseError(f"could not send the response: {exc}") from exc


def _outcome(
    request: CloudFormationCustomResourceRequest, context: Context, result: Any
) -> CloudFormationCustomResourceResponse:
    from ..errors import EncodeError

    try:
        response = _as_response(request, result)
    except TypeError as exc:
        _log(str(exc))
        return request.failed(_exception_reason(exc, context))
    try:
        response.body()  # Data must encode; a failure here must not leave the stack waiting
    except EncodeError as exc:
        _log(str(exc))
        # Keep the id the function named: a rollback then deletes what it created.
        return request.failed(_exception_reason(exc, context), response.physical_resource_id)
    return response


def _failure(
    request: CloudFormationCustomResourceRequest, context: Context, exc: BaseException
) -> CloudFormationCustomResourceResponse:
    import traceback

    traceback.print_exception(exc, file=sys.stderr)
    return request.failed(_exception_reason(exc, context))


@overload
def custom_resource(
    fn: Callable[..., Any],
    *,
    timeout_margin: float = ...,
    timeout: float = ...,
    attempts: int = ...,
    backoff: float = ...,
) -> _Handler: ...
@overload
def custom_resource(  # noqa: F811 (overload shim)
    fn: None = None,
    *,
    timeout_margin: float = ...,
    timeout: float = ...,
    attempts: int = ...,
    backoff: float = ...,
) -> Callable[[Callable[..., Any]], _Handler]: ...
def custom_resource(  # noqa: F811 (overload shim)
    fn: Callable[..., Any] | None = None,
    *,
    timeout_margin: float = 3.0,
    timeout: float = 10.0,
    attempts: int = 5,
    backoff: float = 0.5,
) -> _Handler | Callable[[Callable[..., Any]], _Handler]:
    """Wrap a custom resource function so that CloudFormation always gets a response
    (aws-lambda-go's ``cfn.LambdaWrap``). Use as ``@custom_resource`` or
    ``@custom_resource(timeout_margin=5)``; the result is the handler to serve.

    ``fn`` takes the request (``fn(event)``) or the context and the request
    (``fn(ctx, event)``), and may be ``async``. What it returns becomes a ``SUCCESS``
    response:

    * ``None``: no data, the fallback physical resource id;
    * a ``str``: the physical resource id;
    * a mapping: the ``Data`` attributes;
    * a ``(physical_resource_id, data)`` tuple (either may be ``None``);
    * a :class:`CloudFormationCustomResourceResponse` (from ``event.success(...)`` or
      ``event.failed(reason)``), sent as it is, missing ids filled in from the request.

    The physical resource id defaults to
    :meth:`CloudFormationCustomResourceRequest.fallback_physical_resource_id` (the
    request's own on update and delete, so a failure never replaces the resource).

    When ``fn`` raises, the traceback is logged and a ``FAILED`` response is sent, its
    reason the exception's type and message and the log stream's name; the invocation
    then succeeds, so Lambda does not retry it (a retry would answer CloudFormation a
    second time). ``BaseException``\\ s that are not ``Exception``\\ s are re-raised after
    the ``FAILED`` response.

    A watchdog thread sends ``FAILED`` ``timeout_margin`` seconds before the invocation's
    deadline (half-way there for a function with less than twice that left) if ``fn``
    is still running, so a slow function does not leave the stack waiting; whatever
    ``fn`` returns afterwards is then only logged. A reason is shortened to keep the
    response within CloudFormation's 4096 bytes, and a ``SUCCESS`` whose ``Data`` is too
    large is replaced by a ``FAILED`` saying so.

    ``timeout``, ``attempts`` and ``backoff`` are the upload's (see
    :meth:`CloudFormationCustomResourceResponse.send`). When the response cannot be
    uploaded, the wrapper raises :class:`CloudFormationResponseError`, failing the
    invocation.
    """

    def wrap(user: Callable[..., Any]) -> _Handler:
        from ..handler import _signature

        sig = _signature(user)
        count = min(len(sig.positional), 2)
        if count == 0:
            raise TypeError(
                "a custom resource function takes the request, or the context and the request"
            )
        with_context = count == 2

        if sig.is_async:

            async def async_handler(
                ctx: Context, event: CloudFormationCustomResourceRequest
            ) -> None:
                reply = _Reply(event, ctx, timeout, attempts, backoff)
                timer = _watchdog(reply, timeout_margin)
                try:
                    result = await (user(ctx, event) if with_context else user(event))
                except Exception as exc:
                    response = _failure(event, ctx, exc)
                except BaseException as exc:
                    _finish(reply, timer, _failure(event, ctx, exc))
                    raise
                else:
                    response = _outcome(event, ctx, result)
                _finish(reply, timer, response)

            handler: _Handler = async_handler
        else:

            def sync_handler(ctx: Context, event: CloudFormationCustomResourceRequest) -> None:
                reply = _Reply(event, ctx, timeout, attempts, backoff)
                timer = _watchdog(reply, timeout_margin)
                try:
                    result = user(ctx, event) if with_context else user(event)
                except Exception as exc:
                    response = _failure(event, ctx, exc)
                except BaseException as exc:
                    _finish(reply, timer, _failure(event, ctx, exc))
                    raise
                else:
                    response = _outcome(event, ctx, result)
                _finish(reply, timer, response)

            handler = sync_handler
        for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
            value = getattr(user, attr, None)
            if value is not None:
                setattr(handler, attr, value)
        # Deliberately no __wrapped__: the runtime must see the wrapper's (ctx, event).
        return handler

    if fn is not None:
        return wrap(fn)
    return wrap
