"""lambdago: the aws-lambda-go programming model for Python.

``lambdago.start(handler)`` checks the handler's shape and serves invocations from the
Lambda Runtime API; ``lambdago.new_handler(fn).invoke(payload, ctx)`` runs the same path
in a unit test. Typed events live in :mod:`lambdago.events`, function metadata in
:mod:`lambdago.lambdacontext`.

Importing this package is cheap by design (it runs on every cold start): names whose
modules pull in more are loaded on first use.
"""

from __future__ import annotations

from ._version import __version__
from .context import ClientApplication, ClientContext, CognitoIdentity, Context, current_context
from .errors import ContextError, DecodeError, EncodeError, HandlerError, InvokeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .codec import decode as decode
    from .codec import encode as encode
    from .handler import Handler as Handler
    from .handler import new_handler as new_handler
    from .runtime import start as start
    from .runtime.sigterm import on_sigterm as on_sigterm

__all__ = [
    "ClientApplication",
    "ClientContext",
    "CognitoIdentity",
    "Context",
    "ContextError",
    "DecodeError",
    "EncodeError",
    "Handler",
    "HandlerError",
    "InvokeError",
    "__version__",
    "current_context",
    "decode",
    "encode",
    "new_handler",
    "on_sigterm",
    "start",
]

_LAZY = {
    "decode": ".codec",
    "encode": ".codec",
    "Handler": ".handler",
    "new_handler": ".handler",
    "start": ".runtime",
    "on_sigterm": ".runtime.sigterm",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lambdago' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
