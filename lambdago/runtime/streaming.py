"""Response streaming: a handler result sent to Lambda piece by piece, as it is produced.

A handler streams by returning an iterator or generator of ``bytes``/``str``, an async
iterator or async generator of them, a readable file object, or an object that says how to
stream itself with ``__lambdago_stream__() -> (content type, first bytes, body)`` (the
function URL and API Gateway streaming responses, whose first bytes are the HTTP
integration prelude). :func:`lambdago.handler.is_stream_class` decides, once per class.

The runtime posts such a result with ``Lambda-Runtime-Function-Response-Mode: streaming``
and a chunked body: each piece becomes one chunk the moment the source yields it. If the
source raises, the body ends with the ``Lambda-Runtime-Function-Error-Type`` and
``Lambda-Runtime-Function-Error-Body`` trailers (the base64 of the error JSON an
``/error`` post would carry) and the loop goes on. The source is closed after the post
(``close()``, or ``aclose()`` for async generators), whatever happened.

This module is imported only when a handler first returns a stream.
"""

from __future__ import annotations

from .. import _aio

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Generator
    from typing import Any

    from .client import RuntimeAPIClient

__all__ = ["CONTENT_TYPE_STREAM", "Stream", "error_trailers", "send"]

CONTENT_TYPE_STREAM = "application/octet-stream"
READ_SIZE = 64 * 1024  # what one read of a file source asks for
MAX_TRAILER_PAYLOAD = 32 * 1024  # error JSON larger than this is trimmed for the trailer

_TEXT_CLASSES = (bytes, bytearray, memoryview, str)
_END: Any = object()


def as_bytes(piece: Any) -> bytes:
    """One piece of a stream as bytes (``str`` is UTF-8); anything else is an error."""
    cls = piece.__class__
    if cls is bytes:
        return piece  # type: ignore[no-any-return]
    if cls is str:
        return piece.encode("utf-8")  # type: ignore[no-any-return]
    if isinstance(piece, (bytes, bytearray, memoryview)):
        return bytes(piece)
    if isinstance(piece, str):
        return piece.encode("utf-8")
    raise TypeError(f"a streamed response yields bytes or str, not {type(piece).__qualname__}")


async def _anext(iterator: Any) -> Any:
    try:
        return await iterator.__anext__()
    except StopAsyncIteration:
        return _END


def _reader(body: Any) -> Any:
    # read1 returns what is there (a pipe, a socket file) rather than waiting for a full
    # READ_SIZE, so a slow producer is streamed as it writes.
    read1 = getattr(body, "read1", None)
    return read1 if read1 is not None else body.read


class Stream:
    """A result to stream: its body, content type and first bytes (a prelude).

    ``body`` is ``None``, ``bytes``/``str``, an iterator or iterable of pieces, an async
    iterator, or a readable file object.
    """

    __slots__ = ("body", "content_type", "first")

    def __init__(
        self, body: Any, content_type: str = CONTENT_TYPE_STREAM, first: bytes = b""
    ) -> None:
        self.body = body
        self.content_type = content_type
        self.first = first

    def __repr__(self) -> str:
        return f"<Stream {self.content_type} of {type(self.body).__qualname__}>"

    @classmethod
    def of(cls, result: Any) -> Stream:
        """The stream for a handler result that :func:`is_stream_class` accepted."""
        describe = getattr(result, "__lambdago_stream__", None)
        if describe is not None:
            content_type, first, body = describe()
            return cls(body, content_type, first)
        return cls(result)

    @property
    def is_async(self) -> bool:
        """Whether the body is an async iterator."""
        body = self.body
        return body is not None and (hasattr(body, "__anext__") or hasattr(body, "__aiter__"))

    # -- reading the pieces ----------------------------------------------------------------

    def pieces(self) -> Generator[bytes, None, None]:
        """The body's pieces, in order (an async body is driven on the process's loop)."""
        body = self.body
        if body is None:
            return
        if isinstance(body, _TEXT_CLASSES):
            yield as_bytes(body)
            return
        if hasattr(body, "read") and hasattr(body, "readable"):
            read = _reader(body)
            while True:
                data = read(READ_SIZE)
                if not data:
                    return
                yield as_bytes(data)
        elif hasattr(body, "__anext__") or hasattr(body, "__aiter__"):
            iterator = body.__aiter__()
            run = _aio.run
            while True:
                piece = run(_anext(iterator))
                if piece is _END:
                    return
                yield as_bytes(piece)
        else:
            for piece in body:
                yield as_bytes(piece)

    async def apieces(self) -> AsyncGenerator[bytes, None]:
        """The body's pieces inside the event loop (a sync body is read in place)."""
        body = self.body
        if body is None:
            return
        if isinstance(body, _TEXT_CLASSES):
            yield as_bytes(body)
            return
        if hasattr(body, "read") and hasattr(body, "readable"):
            read = _reader(body)
            while True:
                data = read(READ_SIZE)
                if not data:
                    return
                yield as_bytes(data)
        elif hasattr(body, "__anext__") or hasattr(body, "__aiter__"):
            async for piece in body:
                yield as_bytes(piece)
        else:
            for piece in body:
                yield as_bytes(piece)

    # -- closing -----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the body (``close()``, or ``aclose()`` run on the loop); errors are logged."""
        body, self.body = self.body, None
        if body is None or isinstance(body, _TEXT_CLASSES):
            return
        try:
            aclose = getattr(body, "aclose", None)
            if aclose is not None:
                _aio.run(aclose())
                return
            close = getattr(body, "close", None)
            if close is not None:
                close()
        except Exception as exc:
            _log_close_error(exc)

    async def aclose(self) -> None:
        """:meth:`close` inside the event loop."""
        body, self.body = self.body, None
        if body is None or isinstance(body, _TEXT_CLASSES):
            return
        try:
            aclose = getattr(body, "aclose", None)
            if aclose is not None:
                await aclose()
                return
            close = getattr(body, "close", None)
            if close is not None:
                close()
        except Exception as exc:
            _log_close_error(exc)

    def collect(self) -> bytes:
        """The whole stream as one ``bytes`` (tests: ``Handler.invoke``), then closed."""
        try:
            return self.first + b"".join(self.pieces())
        finally:
            self.close()

    async def acollect(self) -> bytes:
        """:meth:`collect` inside the event loop."""
        try:
            return self.first + b"".join([piece async for piece in self.apieces()])
        finally:
            await self.aclose()


def _log_close_error(exc: BaseException) -> None:
    import sys

    sys.stderr.write(
        f"lambdago: closing the streamed response failed: {type(exc).__name__}: {exc}\n"
    )


def error_trailers(exc: BaseException, request_id: str) -> tuple[str, bytes]:
    """The error type and error JSON for a stream whose source raised ``exc`` (logged)."""
    from .failure import _dumps, describe, log_failure

    failure = describe(exc, request_id)
    log_failure(failure)
    payload = failure.payload
    if len(payload) > MAX_TRAILER_PAYLOAD:
        # Trailers are headers: keep them small (the full error is in the log).
        payload = _dumps(
            {
                "errorMessage": failure.message[:4096],
                "errorType": failure.error_type,
                "requestId": request_id,
                "stackTrace": failure.stack_trace[-20:],
            }
        )
        if len(payload) > MAX_TRAILER_PAYLOAD:
            payload = _dumps(
                {
                    "errorMessage": failure.message[:4096],
                    "errorType": failure.error_type,
                    "requestId": request_id,
                    "stackTrace": [],
                }
            )
    return failure.error_type, payload


def too_large_message() -> str:
    """What is logged when the Runtime API refuses a stream as too large (413)."""
    return (
        "the streamed response was cut: the Runtime API refused it as larger than Lambda's "
        "limit for streamed responses (413)"
    )


def report_too_large(request_id: str) -> None:
    """Log a stream refused with 413 (the caller has part of it; nothing more to post)."""
    from .failure import Failure, _dumps, log_failure

    message = too_large_message()
    error_type = "Function.ResponseSizeTooLarge"
    payload = _dumps(
        {
            "errorMessage": message,
            "errorType": error_type,
            "requestId": request_id,
            "stackTrace": [],
        }
    )
    log_failure(Failure(message, error_type, [], payload, b""))


def send(client: RuntimeAPIClient, request_id: str, stream: Stream) -> None:
    """Post ``stream`` as the response of ``request_id``; exits the process when the
    Runtime API fails or the source raised a fatal error (as the invoke loop does)."""
    from .client import RuntimeAPIError
    from .invoke_loop import _exit_after, fatal, must_exit
    from .protocol import StreamingResponseRequest

    request = StreamingResponseRequest(request_id, stream.content_type)
    pieces = stream.pieces()
    try:
        answer, failure = client.post_stream(
            request, pieces, lambda exc: error_trailers(exc, request_id), stream.first
        )
    except RuntimeAPIError as exc:
        pieces.close()
        stream.close()
        fatal(str(exc))
    pieces.close()
    stream.close()
    if answer.status == 413:
        report_too_large(request_id)
    elif answer.status != 202:
        fatal(f"POST {client.url(request.path)} answered {answer.status} {answer.reason}")
    if failure is not None and must_exit(failure):
        _exit_after(failure)
