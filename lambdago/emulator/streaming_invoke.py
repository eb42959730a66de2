"""``InvokeWithResponseStream``: an invocation's answer rewritten as AWS event stream messages.

``POST /2021-11-15/functions/{name}/response-streaming-invocations`` is what the AWS SDKs
call for ``invoke_with_response_stream``. The invocation runs exactly as for ``Invoke``
(:class:`~lambdago.emulator.core.Invocation`); only the answer's form differs:

* every piece of the response becomes one ``PayloadChunk`` event, sent as it arrives
  (a function that streams its response) or as one chunk (a buffered response);
* an ``InvokeComplete`` event ends the stream. When the invocation failed it carries
  ``ErrorCode`` (the error type, e.g. ``ValueError`` or ``Sandbox.Timedout``) and
  ``ErrorDetails`` (the error message); with ``X-Amz-Log-Type: Tail`` it carries
  ``LogResult``, the base64 end of the log.

A buffered error response is also sent as a ``PayloadChunk`` holding the error document
(``errorMessage``, ``errorType``, ``stackTrace``), the body ``Invoke`` would have
answered, so a caller that prints the payload sees the whole error.
"""

from __future__ import annotations

import base64
import binascii
import json

from .eventstream import invoke_complete, payload_chunk
from .server import Deferred, Reply, StreamBody

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .core import Invocation

__all__ = ["EVENT_STREAM", "as_event_stream"]

EVENT_STREAM = "application/vnd.amazon.eventstream"

# Headers of the invocation's own answer that describe the response itself: they become
# event stream content (or do not apply) rather than headers of the event stream answer.
_DROPPED = frozenset(
    {
        "content-type",
        "x-amz-function-error",
        "x-amz-log-result",
        "trailer",
        "lambda-runtime-function-response-mode",
    }
)


def as_event_stream(invocation: Invocation) -> Deferred:
    """The caller's answer to ``invocation``, as an event stream once it is known."""
    answer = Deferred()

    def reframe(reply: Reply) -> None:
        answer.set(_reframe(reply))

    invocation.reply.bind(reframe)
    return answer


def _reframe(reply: Reply) -> Reply:
    if reply.status != 200:
        return reply  # not an invocation's result (an error of the service): as it is
    headers = [(name, value) for name, value in reply.headers if name.lower() not in _DROPPED]
    headers.insert(0, ("Content-Type", EVENT_STREAM))
    if reply.stream is not None:
        outer = StreamBody()
        outer.producer = reply.stream.producer  # a slow caller slows the runtime's post
        reply.stream.bind(_Reframer(outer))
        return Reply(200, b"", headers, stream=outer)
    found = {name.lower(): value for name, value in reply.headers}
    error_code = error_details = None
    if found.get("x-amz-function-error"):
        error_code, error_details = _error_of(reply.body)
        error_code = error_code or found["x-amz-function-error"]
    body = payload_chunk(reply.body) if reply.body else b""
    body += invoke_complete(error_code, error_details, found.get("x-amz-log-result"))
    return Reply(200, body, headers)


class _Reframer:
    """Takes a streamed answer's pieces and end, writes them on as events."""

    __slots__ = ("_outer",)

    def __init__(self, outer: StreamBody) -> None:
        self._outer = outer

    def _stream_piece(self, data: bytes) -> None:
        self._outer.write(payload_chunk(data))

    def _stream_end(self, trailers: list[tuple[str, str]]) -> None:
        found = {name.lower(): value for name, value in trailers}
        error_code = found.get("lambda-runtime-function-error-type") or found.get(
            "x-amz-function-error"
        )
        error_details = None
        if error_code:
            raw = found.get("lambda-runtime-function-error-body", "")
            try:
                _, error_details = _error_of(base64.b64decode(raw, validate=True))
            except (binascii.Error, ValueError):
                error_details = None
        self._outer.write(invoke_complete(error_code, error_details, found.get("x-amz-log-result")))
        self._outer.end()


def _error_of(document: bytes) -> tuple[str | None, str | None]:
    """``errorType`` and ``errorMessage`` of an error document, when it is one."""
    try:
        value = json.loads(document)
    except ValueError:
        return None, None
    if not isinstance(value, dict):
        return None, None
    error_type = value.get("errorType")
    message = value.get("errorMessage")
    return (
        error_type if isinstance(error_type, str) else None,
        message if isinstance(message, str) else None,
    )
