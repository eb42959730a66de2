"""The transport for ``async def`` handlers served several at a time: one keep-alive
connection per poll loop, on the process's event loop.

The same requests and parser as the blocking client (:mod:`.protocol`), over asyncio
streams (which set ``TCP_NODELAY``). Used only with ``AWS_LAMBDA_MAX_CONCURRENCY`` above 1
and an ``async def`` handler: one invocation at a time keeps the blocking client, which is
cheaper per call.
"""

from __future__ import annotations

import asyncio

from .client import POST_TIMEOUT_S, Invocation, RuntimeAPIError, _body_hint, _reason, parse_address
from .protocol import (
    ErrorRequest,
    NextRequest,
    ProtocolError,
    Response,
    ResponseParser,
    ResponseRequest,
    StreamingResponseRequest,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from .client import ErrorTrailers

__all__ = ["AsyncRuntimeAPIClient"]

_READ_SIZE = 256 * 1024


class AsyncRuntimeAPIClient:
    """Runtime API calls over one reused connection, awaited."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.host, self.port = parse_address(address)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._parser = ResponseParser()
        self._next_request = NextRequest().to_bytes(address)

    def url(self, path: str) -> str:
        """The full URL of ``path`` on this Runtime API, for messages."""
        return f"http://{self.address}{path}"

    async def next(self) -> Invocation:
        """Wait for the next invocation."""
        url = self.url(NextRequest.path)
        try:
            response = await self._exchange(self._next_request, None, retry=True)
        except (OSError, ProtocolError) as exc:
            raise RuntimeAPIError(f"GET {url} failed: {_reason(exc)}") from exc
        if response.status != 200:
            raise RuntimeAPIError(
                f"GET {url} answered {response.status} {response.reason}{_body_hint(response)}",
                response.status,
            )
        request_id = response.headers.get("lambda-runtime-aws-request-id", "")
        if not request_id:
            raise RuntimeAPIError(
                f"GET {url} answered without a Lambda-Runtime-Aws-Request-Id header"
            )
        return Invocation(request_id, response.headers, response.body)

    async def post_response(self, request: ResponseRequest) -> Response:
        """Post a result; returns the answer."""
        return await self._post(request.path, request.head(self.address), request.body)

    async def post_error(self, request: ErrorRequest) -> Response:
        """Post an invocation error; returns the answer."""
        return await self._post(request.path, request.head(self.address), request.payload)

    async def post_stream(
        self,
        request: StreamingResponseRequest,
        pieces: AsyncIterator[bytes],
        on_error: ErrorTrailers,
        first: bytes = b"",
    ) -> tuple[Response, BaseException | None]:
        """Stream a result, as :meth:`RuntimeAPIClient.post_stream` does."""
        try:
            return await self._stream(request, pieces, on_error, first)
        except (OSError, ProtocolError, asyncio.IncompleteReadError) as exc:
            self.close()
            raise RuntimeAPIError(f"POST {self.url(request.path)} failed: {_reason(exc)}") from exc
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the connection (a new one opens on the next call)."""
        writer, self._writer, self._reader = self._writer, None, None
        if writer is not None:
            writer.close()
        self._parser = ResponseParser()

    # -- plumbing -------------------------------------------------------------------------------

    async def _post(self, path: str, head: bytes, body: bytes) -> Response:
        try:
            return await asyncio.wait_for(self._exchange(head, body, retry=False), POST_TIMEOUT_S)
        except TimeoutError as exc:
            self.close()
            raise RuntimeAPIError(
                f"POST {self.url(path)} failed: no answer within {POST_TIMEOUT_S:g} s"
            ) from exc
        except (OSError, ProtocolError) as exc:
            raise RuntimeAPIError(f"POST {self.url(path)} failed: {_reason(exc)}") from exc

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port, limit=_READ_SIZE
            )
        return self._reader, self._writer

    async def _exchange(self, head: bytes, body: bytes | None, *, retry: bool) -> Response:
        reused = self._writer is not None
        reader, writer = await self._connection()
        try:
            if body:
                writer.writelines((head, body))
            else:
                writer.write(head)
            await writer.drain()
            response = await self._receive(reader)
        except (ConnectionError, ProtocolError) as exc:
            self.close()
            if reused and retry and _closed_before_answer(exc):
                return await self._exchange(head, body, retry=False)
            raise
        except BaseException:
            self.close()
            raise
        if not response.keep_alive:
            self.close()
        return response

    async def _receive(self, reader: asyncio.StreamReader) -> Response:
        parser = self._parser
        response = parser.feed(b"")
        while response is None:
            data = await reader.read(_READ_SIZE)
            if not data:
                response = parser.eof()
                break
            response = parser.feed(data)
        assert response is not None
        return response

    async def _stream(
        self,
        request: StreamingResponseRequest,
        pieces: AsyncIterator[bytes],
        on_error: ErrorTrailers,
        first: bytes,
    ) -> tuple[Response, BaseException | None]:
        reader, writer = await self._connection()
        head = request.head(self.address)
        writer.write(head + request.chunk(first) if first else head)
        # The answer may come before the body ends (413): read it alongside.
        answer = asyncio.ensure_future(self._receive(reader))
        failure: BaseException | None = None
        try:
            await writer.drain()
            iterator = pieces.__aiter__()
            while not answer.done():
                try:
                    piece = await iterator.__anext__()
                except StopAsyncIteration:
                    break
                except asyncio.CancelledError:
                    raise
                except BaseException as exc:
                    failure = exc
                    break
                if piece:
                    writer.writelines((request.chunk_prefix(len(piece)), piece, b"\r\n"))
                    await writer.drain()
        except (ConnectionError, OSError):
            # The Runtime API stopped reading; it may have answered before closing.
            try:
                response = await asyncio.wait_for(asyncio.shield(answer), 1.0)
            except Exception:
                answer.cancel()
                raise
            self.close()
            return response, failure
        except BaseException:
            answer.cancel()
            raise
        if answer.done():
            self.close()  # answered before the body was complete: the request is unfinished
            return answer.result(), failure
        if failure is None:
            writer.write(request.end())
        else:
            error_type, error_body = on_error(failure)
            writer.write(request.end(error_type, error_body))
        try:
            await writer.drain()
            response = await asyncio.wait_for(answer, POST_TIMEOUT_S)
        except TimeoutError:
            raise TimeoutError(f"no answer within {POST_TIMEOUT_S:g} s") from None
        if not response.keep_alive:
            self.close()
        return response, failure


def _closed_before_answer(exc: BaseException) -> bool:
    if isinstance(exc, ProtocolError):
        return str(exc) == "connection closed before a response"
    return isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError))
