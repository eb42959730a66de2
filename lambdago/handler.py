"""Wrapping a function as a Lambda handler: aws-lambda-go's rules, in Python.

A handler takes 0, 1 or 2 positional parameters. With two, the first receives the
:class:`~lambdago.Context` and the second the event; with one, it receives the event,
unless it is annotated ``Context``. It returns a value to encode, or nothing, and reports
failure by raising. ``def`` and ``async def`` are both fine. So the twelve shapes Go allows
(``()``, ``(ctx)``, ``(event)``, ``(ctx, event)``, each with or without a result) and
their ``async`` forms.

The signature is inspected once, in :func:`new_handler`, which raises
:class:`~lambdago.HandlerError` for anything else; each invocation then runs a call path
chosen for that shape. Inspection reads the function's code object directly: importing
``inspect`` would cost a cold start ~17 ms, so it is used only for unusual callables.
"""

from __future__ import annotations

from . import _aio, _converters
from .codec import CodecOptions, make_decoder, make_encoder
from .context import Context, _current
from .errors import HandlerError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .runtime.streaming import Stream

__all__ = ["FunctionHandler", "Handler", "new_handler"]

CONTENT_TYPE_JSON = "application/json"
CONTENT_TYPE_BYTES = "application/octet-stream"

# Results that are never streamed: one set lookup settles the common case.
_PLAIN_RESULTS = frozenset({dict, list, str, int, float, bool, type(None), tuple})
_stream_classes: dict[type, bool] = {}


def is_stream_class(cls: type) -> bool:
    """Whether results of class ``cls`` are streamed rather than encoded as JSON.

    Streamed: iterators and generators (``__next__``), async iterators and async
    generators (``__anext__``), readable file objects (``read`` and ``readable``) and
    objects that say how to stream themselves (``__lambdago_stream__``, as the function URL
    and API Gateway streaming responses do). Decided once per class.
    """
    known = _stream_classes.get(cls)
    if known is None:
        known = _stream_classes[cls] = (
            hasattr(cls, "__lambdago_stream__")
            or hasattr(cls, "__anext__")
            or hasattr(cls, "__next__")
            or (hasattr(cls, "read") and hasattr(cls, "readable"))
        )
    return known


_CO_VARARGS = 0x04
_CO_VARKEYWORDS = 0x08
_CO_COROUTINE = 0x80
_CO_ITERABLE_COROUTINE = 0x100


class Handler:
    """Anything the runtime can serve: raw payload bytes in, response bytes out.

    aws-lambda-go's ``Handler`` interface. :func:`new_handler` returns one; an object of
    your own with an ``invoke(payload, context)`` method returning ``bytes`` is served as
    it is (subclassing this class is optional).
    """

    def invoke(self, payload: bytes, context: Context | None = None) -> bytes:
        """Serve one invocation: decode ``payload``, run the handler, encode its result.

        Exceptions the handler raises propagate unchanged.
        """
        raise NotImplementedError


class FunctionHandler(Handler):
    """A function wrapped by :func:`new_handler`, with its call path prepared."""

    __slots__ = (
        "_call",
        "_decode",
        "_encode",
        "event_type",
        "function",
        "is_async",
        "name",
        "options",
        "takes_context",
        "takes_event",
    )

    def __init__(
        self,
        function: Callable[..., Any],
        *,
        name: str,
        takes_context: bool,
        takes_event: bool,
        event_type: Any,
        is_async: bool,
        options: CodecOptions,
    ) -> None:
        self.function = function
        self.name = name
        self.takes_context = takes_context
        self.takes_event = takes_event
        self.event_type = event_type
        self.is_async = is_async
        self.options = options
        self._decode = make_decoder(event_type, options) if takes_event else None
        self._encode = make_encoder(options)
        self._call = _call_path(function, takes_context, takes_event)

    def __repr__(self) -> str:
        params = ", ".join(
            p for p, used in (("context", self.takes_context), ("event", self.takes_event)) if used
        )
        kind = "async " if self.is_async else ""
        return f"<FunctionHandler {kind}{self.name}({params})>"

    def invoke(self, payload: bytes, context: Context | None = None) -> bytes:
        """Serve one invocation and return the encoded result (raw for ``bytes`` results).

        With no ``context``, a realistic one from :func:`lambdago.testing.make_context`
        is used. Exceptions the handler raises propagate unchanged.
        """
        if context is None:
            from .testing import make_context

            context = make_context()
        body, _content_type = self.handle(payload, context)
        if body.__class__ is not bytes:
            return body.collect()  # type: ignore[union-attr]
        return body

    def handle(self, payload: bytes, context: Context) -> tuple[bytes | Stream, str]:
        """Serve one invocation: the response body (or the stream to send) and its content
        type."""
        return self.encode_result(self.call(payload, context))

    async def handle_async(self, payload: bytes, context: Context) -> tuple[bytes | Stream, str]:
        """:meth:`handle` inside the event loop: the coroutine is awaited, not run."""
        event = self._decode(payload) if self._decode is not None else None
        token = _current.set(context)
        try:
            result: Any = self._call(context, event)
            if result.__class__ is _aio.CoroutineType:
                result = await result
        finally:
            _current.reset(token)
        return self.encode_result(result)

    def call(self, payload: bytes, context: Context) -> Any:
        """Decode ``payload`` and run the function (to completion, if async)."""
        event = self._decode(payload) if self._decode is not None else None
        token = _current.set(context)
        try:
            result: Any = self._call(context, event)
            if result.__class__ is _aio.CoroutineType:
                result = _aio.run(result)
        finally:
            _current.reset(token)
        return result

    async def invoke_async(self, payload: bytes, context: Context | None = None) -> bytes:
        """:meth:`invoke` for callers already inside an event loop (async tests)."""
        if context is None:
            from .testing import make_context

            context = make_context()
        event = self._decode(payload) if self._decode is not None else None
        token = _current.set(context)
        try:
            result: Any = self._call(context, event)
            if result.__class__ is _aio.CoroutineType:
                result = await result
        finally:
            _current.reset(token)
        body, _content_type = self.encode_result(result)
        if body.__class__ is not bytes:
            return await body.acollect()  # type: ignore[union-attr]
        return body

    def encode_result(self, result: Any) -> tuple[bytes | Stream, str]:
        """Encode a handler result: ``bytes`` as they are, a stream (see
        :func:`is_stream_class`) as a :class:`~lambdago.runtime.streaming.Stream` to send,
        anything else as JSON."""
        cls = result.__class__
        if cls in _PLAIN_RESULTS:  # the usual case first: one set lookup
            return self._encode(result), CONTENT_TYPE_JSON
        if cls is bytes:
            return result, CONTENT_TYPE_BYTES
        if cls is bytearray or cls is memoryview:
            return bytes(result), CONTENT_TYPE_BYTES
        if is_stream_class(cls):
            from .runtime.streaming import Stream

            stream = Stream.of(result)
            return stream, stream.content_type
        return self._encode(result), CONTENT_TYPE_JSON


def _call_path(
    function: Callable[..., Any], takes_context: bool, takes_event: bool
) -> Callable[[Context, Any], Any]:
    # One small closure per shape, so an invocation does no branching on the shape.
    if takes_context and takes_event:
        return function
    if takes_context:
        return lambda ctx, _event: function(ctx)
    if takes_event:
        return lambda _ctx, event: function(event)
    return lambda _ctx, _event: function()


# -- inspecting the function ------------------------------------------------------------------


class _Param:
    __slots__ = ("annotation", "has_default", "name")

    def __init__(self, name: str, has_default: bool, annotation: Any) -> None:
        self.name = name
        self.has_default = has_default
        self.annotation = annotation


_EMPTY = object()


class _Signature:
    """The parts of a signature the shape rules look at."""

    __slots__ = ("has_varargs", "is_async", "positional", "required_kwonly", "return_annotation")

    def __init__(
        self,
        positional: list[_Param],
        required_kwonly: list[str],
        has_varargs: bool,
        is_async: bool,
        return_annotation: Any,
    ) -> None:
        self.positional = positional
        self.required_kwonly = required_kwonly
        self.has_varargs = has_varargs
        self.is_async = is_async
        self.return_annotation = return_annotation


def _describe(fn: object) -> str:
    inner = getattr(fn, "func", None)
    if inner is not None and type(fn).__name__ == "partial":
        return f"functools.partial({_describe(inner)})"
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    if name is None:
        name = type(fn).__qualname__ + " instance"
    module = getattr(fn, "__module__", None)
    return f"{module}.{name}" if module and module not in ("__main__", "builtins") else str(name)


def _signature(fn: Any) -> _Signature:
    """Read ``fn``'s signature, from its code object when it has one."""
    target = fn
    skip_first = False
    while True:
        wrapped = getattr(target, "__wrapped__", None)
        if wrapped is None or not callable(wrapped):
            break
        target = wrapped
    func = getattr(target, "__func__", None)  # a bound method
    if func is not None and getattr(target, "__self__", None) is not None:
        target, skip_first = func, True
    elif not hasattr(target, "__code__") and not isinstance(target, type):
        # A callable instance: its class's __call__ function, less ``self``.
        call = type(target).__dict__.get("__call__") or next(
            (c.__dict__["__call__"] for c in type(target).__mro__ if "__call__" in c.__dict__),
            None,
        )
        if call is not None and hasattr(call, "__code__"):
            target, skip_first = call, True
    code = getattr(target, "__code__", None)
    if code is None or not hasattr(target, "__defaults__"):
        return _slow_signature(fn)

    is_async = bool(code.co_flags & (_CO_COROUTINE | _CO_ITERABLE_COROUTINE)) or bool(
        getattr(getattr(fn, "__code__", None), "co_flags", 0) & _CO_COROUTINE
    )
    annotations = _annotations(target)
    names = code.co_varnames
    argcount = code.co_argcount
    defaults = target.__defaults__ or ()
    first_default = argcount - len(defaults)
    positional = [
        _Param(names[i], i >= first_default, annotations.get(names[i], _EMPTY))
        for i in range(argcount)
    ]
    kwdefaults = target.__kwdefaults__ or {}
    kwonly = names[argcount : argcount + code.co_kwonlyargcount]
    if skip_first and positional:
        positional = positional[1:]
    return _Signature(
        positional,
        [n for n in kwonly if n not in kwdefaults],
        bool(code.co_flags & _CO_VARARGS),
        is_async,
        annotations.get("return", _EMPTY),
    )


def _slow_signature(fn: Any) -> _Signature:
    import inspect

    try:
        try:
            sig = inspect.signature(fn, eval_str=True)
        except (NameError, SyntaxError, AttributeError):
            sig = inspect.signature(fn)  # left as text; the shape rules report it
    except (TypeError, ValueError) as exc:
        raise HandlerError(f"handler {_describe(fn)}: cannot read its signature ({exc})") from None
    positional = []
    required_kwonly = []
    has_varargs = False
    for p in sig.parameters.values():
        ann = p.annotation
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            positional.append(
                _Param(p.name, p.default is not p.empty, _EMPTY if ann is p.empty else ann)
            )
        elif p.kind is p.KEYWORD_ONLY and p.default is p.empty:
            required_kwonly.append(p.name)
        elif p.kind is p.VAR_POSITIONAL:
            has_varargs = True
    ret = sig.return_annotation
    is_async = inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "func", None)
    )
    return _Signature(
        positional,
        required_kwonly,
        has_varargs,
        is_async,
        _EMPTY if ret is sig.empty else ret,
    )


def _annotations(fn: Any) -> dict[str, Any]:
    """``fn``'s annotations with string (postponed) ones evaluated where possible."""
    raw = getattr(fn, "__annotations__", None) or {}
    if not any(isinstance(v, str) for v in raw.values()):
        return dict(raw)
    namespace = dict(getattr(fn, "__globals__", {}))
    out = {}
    for name, value in raw.items():
        if isinstance(value, str):
            try:
                value = eval(value, namespace)
            except Exception:
                pass  # left as text; the shape rules say what they cannot read
        out[name] = value
    return out


def _is_context_annotation(ann: Any) -> bool:
    if ann is _EMPTY:
        return False
    if isinstance(ann, str):
        return ann.rsplit(".", 1)[-1] == "Context"
    members = _converters.union_members(ann)
    if members is not None:
        rest = [m for m in members if m is not type(None)]
        return len(rest) == 1 and _is_context_annotation(rest[0])
    return isinstance(ann, type) and issubclass(ann, Context)


def _show(ann: Any) -> str:
    if isinstance(ann, type):
        return (
            ann.__qualname__
            if ann.__module__ == "builtins"
            else f"{ann.__module__}.{ann.__qualname__}"
        )
    return repr(ann).replace("typing.", "")


_EVENT_NAMES = frozenset({"event", "evt", "payload"})
_CONTEXT_NAMES = frozenset({"context", "ctx", "lambda_context", "_context", "_ctx"})


def new_handler(
    fn: Any,
    *,
    escape_html: bool = False,
    indent: int | str | None = None,
    use_decimal: bool = False,
    strict: bool = False,
    lazy: bool = False,
) -> Handler:
    """Wrap ``fn`` once as a :class:`Handler`, checking its shape (Go's ``NewHandler``).

    The options are aws-lambda-go's ``WithSetEscapeHTML``, ``WithSetIndent``,
    ``WithUseNumber`` and ``WithDisallowUnknownFields``, and ``lazy`` (nested parts of
    ``lambdago.events`` types decoded when first read); see :mod:`lambdago.codec`. An
    object that already has an ``invoke(payload, context)`` method is returned as it is.
    Raises :class:`HandlerError` when ``fn`` does not have an accepted shape, or its event
    or return annotation cannot be decoded or encoded.
    """
    options = CodecOptions(
        escape_html=escape_html, indent=indent, use_decimal=use_decimal, strict=strict, lazy=lazy
    )
    if isinstance(fn, Handler) or (
        not _is_plain_callable(fn) and callable(getattr(fn, "invoke", None))
    ):
        return fn  # type: ignore[no-any-return]
    if not callable(fn):
        raise HandlerError(f"handler {fn!r} is not callable (got {type(fn).__qualname__})")

    name = _describe(fn)
    sig = _signature(fn)
    if sig.required_kwonly:
        raise HandlerError(
            f"handler {name}: keyword-only parameter {sig.required_kwonly[0]!r} has no default; "
            "the runtime passes only the context and the event, positionally"
        )
    params = sig.positional
    required = [p for p in params if not p.has_default]
    if len(required) > 2:
        shown = ", ".join(p.name for p in params)
        raise HandlerError(
            f"handler {name}({shown}) has {len(required)} parameters without defaults; "
            "a handler takes at most 2: (context, event)"
        )
    if not params and sig.has_varargs:
        raise HandlerError(
            f"handler {name} takes *args; declare its parameters, (context, event), explicitly"
        )
    used = params[:2]

    takes_context = takes_event = False
    event_param: _Param | None = None
    if len(used) == 2:
        first, second = used
        if (
            first.annotation is not _EMPTY
            and not _is_context_annotation(first.annotation)
            and not _converters.is_any(first.annotation)
        ):
            raise HandlerError(
                f"handler {name}: with two parameters the first receives the context, but "
                f"{first.name!r} is annotated {_show(first.annotation)}; annotate it "
                "lambdago.Context or leave it unannotated"
            )
        if (
            first.annotation is _EMPTY
            and first.name in _EVENT_NAMES
            and second.name in _CONTEXT_NAMES
        ):
            raise HandlerError(
                f"handler {name}({first.name}, {second.name}): lambdago passes the context "
                "first and the event second, as aws-lambda-go does; write "
                f"({second.name}, {first.name}) (see docs/migrating.md)"
            )
        takes_context = takes_event = True
        event_param = second
    elif len(used) == 1:
        if _is_context_annotation(used[0].annotation):
            takes_context = True
        else:
            takes_event = True
            event_param = used[0]

    event_type: Any = object
    if event_param is not None and event_param.annotation is not _EMPTY:
        event_type = event_param.annotation
        if isinstance(event_type, str):
            raise HandlerError(
                f"handler {name}: cannot resolve the annotation {event_type!r} of parameter "
                f"{event_param.name!r}; import the type at module level"
            )
        if _is_context_annotation(event_type):
            raise HandlerError(
                f"handler {name}: the event parameter {event_param.name!r} is annotated "
                "Context; with two parameters the context comes first"
            )

    ret = sig.return_annotation
    if ret is not _EMPTY and not isinstance(ret, str):
        try:
            _converters.check_encodable(ret)
        except _converters.UnsupportedType as exc:
            raise HandlerError(
                f"handler {name}: the return annotation {_show(ret)} cannot be encoded: {exc}"
            ) from None

    try:
        return FunctionHandler(
            fn,
            name=name,
            takes_context=takes_context,
            takes_event=takes_event,
            event_type=event_type,
            is_async=sig.is_async,
            options=options,
        )
    except _converters.UnsupportedType as exc:
        assert event_param is not None
        raise HandlerError(
            f"handler {name}: the event parameter {event_param.name!r} is annotated "
            f"{_show(event_type)}, which cannot be decoded: {exc}"
        ) from None


def _is_plain_callable(fn: Any) -> bool:
    return hasattr(fn, "__code__") or hasattr(fn, "__func__") or isinstance(fn, type)
