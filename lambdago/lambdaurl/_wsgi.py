"""WSGI apps (Flask, Django, Bottle, Pyramid…) behind Lambda (PEP 3333).

One invocation is one request: the environ is built from the event (``wsgi.input`` holds
the whole body), ``start_response`` gives the status and headers, and the iterable the app
returns is the body. Streamed (function URLs with ``RESPONSE_STREAM``), the status and
headers go as soon as ``start_response`` has been called (at the latest with the first
body piece, as PEP 3333 has servers do) and each piece the iterable yields is sent as it
is produced; buffered, the body is collected. The iterable's ``close()`` is called once
it has been sent, as PEP 3333 requires.
"""

from __future__ import annotations

import io
import sys

from . import _http

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import Any

    WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

__all__ = ["WSGIAdapter"]

_ERROR_HEADERS = [("Content-Type", "text/plain; charset=utf-8")]
_ERROR_BODY = b"Internal Server Error"


class WSGIAdapter:
    """A WSGI app as a Lambda handler: ``adapter(context, event)``."""

    def __init__(self, app: WSGIApp, mode: str, multithread: bool = False) -> None:
        self.app = app
        self.mode = mode
        self.multithread = multithread

    def environ(self, request: _http.HTTPRequest, event: Any, context: Any) -> dict[str, Any]:
        """The WSGI environ of ``request``."""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": request.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": _http.raw_path_bytes(request.raw_path.decode("latin-1")).decode("latin-1"),
            "QUERY_STRING": request.query.decode("latin-1"),
            "SERVER_NAME": request.host,
            "SERVER_PORT": "443",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": request.client,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(request.body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": self.multithread,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "aws.event": event,
            "aws.context": context,
        }
        for name, value in request.headers:
            key = name.decode("latin-1").upper().replace("-", "_")
            text = value.decode("latin-1")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = text
                continue
            if key == "CONTENT_LENGTH":
                continue  # set from the body below
            key = "HTTP_" + key
            if key in environ:
                sep = "; " if key == "HTTP_COOKIE" else ","
                environ[key] = f"{environ[key]}{sep}{text}"
            else:
                environ[key] = text
        if request.body or request.method in ("POST", "PUT", "PATCH"):
            environ["CONTENT_LENGTH"] = str(len(request.body))
        return environ

    def __call__(self, context: Any, event: Any) -> Any:
        request = _http.parse_event(event)
        streaming = _http.stream_for(request, self.mode)
        environ = self.environ(request, event, context)
        head: list[Any] = []
        written: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            if exc_info is not None and head and head[0] is _SENT:
                raise exc_info[1].with_traceback(exc_info[2])
            head[:] = [status, list(headers)]
            return written.append  # the legacy write(): pieces go out before the iterable's

        try:
            result = self.app(environ, start_response)
        except Exception as exc:
            return self._error(request, streaming, exc)
        iterator = iter(result)
        first: list[bytes] = []
        try:
            # PEP 3333: start_response may be called as late as just before the first piece.
            while not head:
                piece = next(iterator)
                if piece:
                    first.append(piece)
        except StopIteration:
            pass
        except Exception as exc:
            _close(result)
            return self._error(request, streaming, exc)
        if not head:
            _close(result)
            return self._error(
                request, streaming, RuntimeError("the WSGI app never called start_response")
            )
        status_text, headers = head
        status = int(str(status_text).split(" ", 1)[0])
        if not streaming:
            try:
                rest = [piece for piece in iterator if piece]
            except Exception as exc:
                return self._error(request, streaming, exc)
            finally:
                _close(result)
            body = b"".join(written) + b"".join(first) + b"".join(rest)
            return _http.buffered_response(request, status, headers, body)
        head[0] = _SENT
        return _http.streaming_response(
            request, status, headers, _stream(written, first, iterator, result)
        )

    def _error(self, request: _http.HTTPRequest, streaming: bool, exc: BaseException) -> Any:
        import traceback

        sys.stderr.write("lambdago: the WSGI app failed (answered 500):\n")
        traceback.print_exception(type(exc), exc, exc.__traceback__)
        sys.stderr.flush()
        if streaming:
            return _http.streaming_response(request, 500, _ERROR_HEADERS, _ERROR_BODY)
        return _http.buffered_response(request, 500, _ERROR_HEADERS, _ERROR_BODY)


_SENT: Any = object()


def _stream(
    written: list[bytes], first: list[bytes], iterator: Iterator[bytes], result: Any
) -> Iterator[bytes]:
    """The body as the app produces it; the iterable is closed at the end (the runtime
    closes this generator once the stream is sent, even when it was cut short)."""
    try:
        yield from written
        written.clear()
        yield from first
        for piece in iterator:
            if written:
                yield from written
                written.clear()
            if piece:
                yield piece
        if written:
            yield from written
    finally:
        _close(result)


def _close(result: Any) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()
