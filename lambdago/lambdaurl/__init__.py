"""Web apps on Lambda: an ASGI or WSGI app behind a function URL, API Gateway or an ALB
(aws-lambda-go's ``lambdaurl``, for Python's two web-server protocols).

::

    from fastapi import FastAPI          # or Starlette, Django, Flask, ...
    from lambdago import lambdaurl

    app = FastAPI()

    @app.get("/hello")
    async def hello(name: str = "world"):
        return {"message": f"Hello, {name}!"}

    if __name__ == "__main__":
        lambdaurl.start(app)             # a bootstrap: python app.py

or, for the generic bootstrap (``python -m lambdago app.handler``),
``handler = lambdaurl.wrap(app)``.

* The request is rebuilt from the event: method, path, raw query string, headers, cookies,
  the body (base64 undone) and the client's address; the event and the context are in the
  ASGI scope (``scope["aws.event"]``, ``scope["aws.context"]``) and the WSGI environ
  (``environ["aws.event"]``, ``environ["aws.context"]``).
* For a function URL (invoke mode ``RESPONSE_STREAM``) the response is streamed as the app
  writes it (server-sent events work); ``Set-Cookie`` headers become ``cookies``. For API
  Gateway REST and HTTP APIs and ALB target groups, and with ``mode="buffered"``, the
  response is returned whole, in the JSON form each of them expects.
* ASGI or WSGI is told from the app (an ``async`` callable taking ``(scope, receive,
  send)``, or a callable taking ``(environ, start_response)``), or given: ``kind="asgi"``.
* An ASGI app's lifespan startup runs once, at init; its shutdown when Lambda sends
  SIGTERM (the runtime asks Lambda for it).

No web framework is imported here: ASGI and WSGI are plain calling conventions. See
docs/web-apps.md.
"""

from __future__ import annotations

import os

from .. import _aio
from ..context import Context
from ._http import STREAM_MODES, HTTPRequest, front_door, parse_event

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, NoReturn

__all__ = ["HTTPRequest", "detect_kind", "front_door", "parse_event", "start", "wrap"]

MODE_VARIABLE = "LAMBDAGO_HTTP_MODE"


def detect_kind(app: Any) -> str:
    """``"asgi"`` or ``"wsgi"``, from the app's call signature; ``TypeError`` when it cannot
    be told (then pass ``kind=``)."""
    import inspect

    if not callable(app):
        raise TypeError(f"a web app must be callable, not {type(app).__qualname__}")
    call = app if inspect.isroutine(app) or isinstance(app, type) else type(app).__call__
    is_async = inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(call)
    try:
        signature = inspect.signature(app)
    except (TypeError, ValueError):
        signature = None
    required = -1
    varargs = False
    if signature is not None:
        positional = [
            p
            for p in signature.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        required = len([p for p in positional if p.default is p.empty])
        varargs = any(p.kind is p.VAR_POSITIONAL for p in signature.parameters.values())
    if is_async and (required == 3 or varargs or required == -1):
        return "asgi"
    if not is_async and required == 2:
        return "wsgi"
    if not is_async and required == 3:
        return "asgi"  # a callable returning an awaitable, e.g. a wrapped ASGI app
    name = getattr(app, "__qualname__", None) or type(app).__qualname__
    raise TypeError(
        f"cannot tell whether {name} is an ASGI app (async (scope, receive, send)) or a WSGI "
        "app ((environ, start_response)); pass kind='asgi' or kind='wsgi'"
    )


def _mode(mode: str | None) -> str:
    chosen = mode or os.environ.get(MODE_VARIABLE, "") or "auto"
    chosen = chosen.strip().lower()
    if chosen == "response_stream":
        chosen = "stream"
    if chosen not in STREAM_MODES:
        raise ValueError(f"mode must be one of auto, stream, buffered; not {chosen!r}")
    return chosen


def wrap(
    app: Any,
    *,
    kind: str | None = None,
    mode: str | None = None,
    lifespan: str = "auto",
) -> Callable[[Context, object], Any]:
    """The Lambda handler serving ``app`` (Go's ``lambdaurl.Wrap``).

    ``kind``: ``"asgi"`` or ``"wsgi"`` (default: detected). ``mode``: ``"auto"`` (stream
    for function URLs, buffered for API Gateway and ALB), ``"stream"`` (also REST APIs
    whose integration streams) or ``"buffered"`` (a function URL with invoke mode
    ``BUFFERED``); default ``$LAMBDAGO_HTTP_MODE``, else ``"auto"``. ``lifespan`` (ASGI):
    ``"auto"`` runs the lifespan protocol if the app speaks it, ``"on"`` requires it,
    ``"off"`` skips it. Startup runs now, so call this at module level (init); shutdown is
    registered with :func:`lambdago.on_sigterm`.
    """
    chosen = _mode(mode)
    kind = (kind or detect_kind(app)).lower()
    name = getattr(app, "__qualname__", None) or type(app).__qualname__
    if kind == "asgi":
        from ._asgi import ASGIAdapter, Lifespan

        life: Lifespan | None = None
        if lifespan not in ("auto", "on", "off"):
            raise ValueError(f"lifespan must be auto, on or off; not {lifespan!r}")
        if lifespan != "off":
            life = Lifespan(app)
            if _aio.run(life.startup(required=lifespan == "on")):
                from ..runtime.sigterm import on_sigterm

                on_sigterm(life.shutdown)
            else:
                life = None
        asgi = ASGIAdapter(app, chosen, life)

        async def asgi_handler(context: Context, event: object) -> Any:
            return await asgi(context, event)

        asgi_handler.__qualname__ = f"lambdaurl.asgi({name})"
        asgi_handler.adapter = asgi  # type: ignore[attr-defined]
        return asgi_handler
    if kind == "wsgi":
        from ..runtime.entry import max_concurrency
        from ._wsgi import WSGIAdapter

        wsgi = WSGIAdapter(app, chosen, multithread=max_concurrency() > 1)

        def wsgi_handler(context: Context, event: object) -> Any:
            return wsgi(context, event)

        wsgi_handler.__qualname__ = f"lambdaurl.wsgi({name})"
        wsgi_handler.adapter = wsgi  # type: ignore[attr-defined]
        return wsgi_handler
    raise ValueError(f"kind must be 'asgi' or 'wsgi', not {kind!r}")


def start(
    app: Any,
    *,
    kind: str | None = None,
    mode: str | None = None,
    lifespan: str = "auto",
    on_sigterm: Iterable[Callable[[], Any]] | None = None,
) -> NoReturn:
    """Serve ``app`` from the Lambda Runtime API, forever (Go's ``lambdaurl.Start``).

    The options are :func:`wrap`'s; ``on_sigterm`` adds shutdown callbacks, as for
    :func:`lambdago.start`. An app that cannot be served (its kind cannot be told, its
    lifespan startup fails) is reported as an init error.
    """
    from ..runtime.entry import report_init_error, runtime_client, serve_handler

    client = runtime_client()
    try:
        handler = wrap(app, kind=kind, mode=mode, lifespan=lifespan)
    except Exception as exc:
        from ..runtime.failure import error_type_of

        report_init_error(client, error_type_of(exc), str(exc))
    serve_handler(client, handler, on_sigterm)
