"""Handler shapes: Go's twelve (and their async forms) accepted, everything else refused
once at wrap time with a message naming the function and the problem."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import socket
from typing import Any

import attrs
import pytest

import lambdago
from lambdago import Context, HandlerError, new_handler
from lambdago.testing import make_context

PAYLOAD = b'{"name": "ada"}'


def _call(fn: Any, payload: bytes = PAYLOAD) -> Any:
    ctx = make_context(aws_request_id="req-1")
    return json.loads(new_handler(fn).invoke(payload, ctx))


# -- the twelve shapes, sync ---------------------------------------------------------------


def test_no_params_no_result() -> None:
    calls = []

    def h() -> None:
        calls.append(1)

    assert _call(h) is None
    assert calls == [1]


def test_no_params_with_result() -> None:
    def h() -> str:
        return "ok"

    assert _call(h) == "ok"


def test_context_only() -> None:
    def h(ctx: Context) -> str:
        return ctx.aws_request_id

    assert _call(h) == "req-1"


def test_context_only_no_result() -> None:
    seen = []

    def h(ctx: Context) -> None:
        seen.append(ctx.aws_request_id)

    assert _call(h) is None
    assert seen == ["req-1"]


def test_event_only() -> None:
    def h(event: dict[str, Any]) -> dict[str, Any]:
        return {"hello": event["name"]}

    assert _call(h) == {"hello": "ada"}


def test_event_only_no_result() -> None:
    seen = []

    def h(event):  # type: ignore[no-untyped-def]
        seen.append(event)

    assert _call(h) is None
    assert seen == [{"name": "ada"}]


def test_context_and_event() -> None:
    def h(ctx, event):  # type: ignore[no-untyped-def]
        return [ctx.aws_request_id, event["name"]]

    assert _call(h) == ["req-1", "ada"]


def test_context_and_event_annotated() -> None:
    def h(ctx: Context, event: dict[str, str]) -> list[str]:
        return [ctx.aws_request_id, event["name"]]

    assert _call(h) == ["req-1", "ada"]


def test_context_and_event_no_result() -> None:
    seen = []

    def h(ctx: Context, event: dict[str, str]) -> None:
        seen.append((ctx.aws_request_id, event))

    assert _call(h) is None
    assert seen == [("req-1", {"name": "ada"})]


def test_optional_context_annotation_counts_as_context() -> None:
    def h(ctx: Context | None, event: dict[str, str]) -> str:
        assert ctx is not None
        return ctx.aws_request_id

    assert _call(h) == "req-1"


def test_single_parameter_annotated_context_receives_context() -> None:
    def h(context: lambdago.Context) -> str:
        return type(context).__name__

    assert _call(h) == "Context"


# -- async forms ---------------------------------------------------------------------------


def test_async_shapes() -> None:
    async def none() -> None:
        await asyncio.sleep(0)

    async def ctx_only(ctx: Context) -> str:
        await asyncio.sleep(0)
        return ctx.aws_request_id

    async def event_only(event: dict[str, str]) -> str:
        return event["name"]

    async def both(ctx: Context, event: dict[str, str]) -> list[str]:
        await asyncio.sleep(0)
        return [ctx.aws_request_id, event["name"]]

    assert _call(none) is None
    assert _call(ctx_only) == "req-1"
    assert _call(event_only) == "ada"
    assert _call(both) == ["req-1", "ada"]
    assert new_handler(both).is_async  # type: ignore[attr-defined]


def test_coroutines_share_one_loop_across_invocations() -> None:
    loops = []

    async def h() -> None:
        loops.append(asyncio.get_running_loop())

    handler = new_handler(h)
    handler.invoke(b"", make_context())
    handler.invoke(b"", make_context())
    new_handler(h).invoke(b"", make_context())
    assert loops[0] is loops[1] is loops[2]
    assert not loops[0].is_closed()


def test_client_created_in_first_invocation_works_in_the_next() -> None:
    state: dict[str, Any] = {}

    async def h() -> int:
        if "queue" not in state:
            state["queue"] = asyncio.Queue()
        await state["queue"].put(1)
        return state["queue"].qsize()

    handler = new_handler(h)
    assert handler.invoke(b"", make_context()) == b"1"
    assert handler.invoke(b"", make_context()) == b"2"


def test_sync_function_returning_a_coroutine_is_awaited() -> None:
    async def inner(event: dict[str, str]) -> str:
        return event["name"].upper()

    def h(event: dict[str, str]) -> Any:
        return inner(event)

    assert _call(h) == "ADA"


def test_invoke_async_inside_a_running_loop() -> None:
    async def h(event: dict[str, str]) -> str:
        return event["name"]

    async def main() -> bytes:
        return await new_handler(h).invoke_async(PAYLOAD)  # type: ignore[attr-defined,no-any-return]

    assert asyncio.run(main()) == b'"ada"'


# -- other callables -----------------------------------------------------------------------


def test_bound_method_and_callable_object() -> None:
    class Service:
        def __init__(self) -> None:
            self.prefix = "hi "

        def handle(self, ctx: Context, event: dict[str, str]) -> str:
            return self.prefix + event["name"]

        def __call__(self, event: dict[str, str]) -> str:
            return "called " + event["name"]

    service = Service()
    assert _call(service.handle) == "hi ada"
    assert _call(service) == "called ada"


def test_decorated_function_uses_the_wrapped_signature() -> None:
    def decorator(fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **kwargs)

        return wrapper

    @decorator
    def h(event: dict[str, str]) -> str:
        return event["name"]

    assert _call(h) == "ada"


def test_partial_is_inspected_through_inspect() -> None:
    def h(greeting: str, event: dict[str, str]) -> str:
        return f"{greeting} {event['name']}"

    assert _call(functools.partial(h, "hello")) == "hello ada"


def test_extra_parameters_with_defaults_keep_their_defaults() -> None:
    def h(ctx: Context, event: dict[str, str], suffix: str = "!") -> str:
        return event["name"] + suffix

    assert _call(h) == "ada!"


def test_raw_handler_object_is_used_as_is() -> None:
    class Raw:
        def invoke(self, payload: bytes, context: Context | None = None) -> bytes:
            return payload.upper()

    raw = Raw()
    assert new_handler(raw) is raw


def test_function_handler_is_returned_unchanged() -> None:
    handler = new_handler(lambda: None)
    assert new_handler(handler) is handler


def test_exceptions_propagate_unchanged() -> None:
    class Boom(Exception):
        pass

    def h(event: dict[str, Any]) -> None:
        raise Boom("bad")

    with pytest.raises(Boom, match="bad"):
        new_handler(h).invoke(PAYLOAD, make_context())


def test_current_context_is_set_only_during_the_call() -> None:
    seen = []

    def h() -> None:
        seen.append(lambdago.current_context())

    ctx = make_context()
    new_handler(h).invoke(b"", ctx)
    assert seen == [ctx]
    assert lambdago.current_context() is None


def test_invoke_without_context_makes_a_realistic_one() -> None:
    def h(ctx: Context) -> int:
        return ctx.get_remaining_time_in_millis()

    remaining = json.loads(new_handler(h).invoke(b""))
    assert 0 < remaining <= 3000


def test_bytes_result_is_raw_and_bytes_event_is_the_payload() -> None:
    def h(event: bytes) -> bytes:
        return event[::-1]

    assert new_handler(h).invoke(b"not json at all", make_context()) == b"lla ta nosj ton"


# -- rejections -----------------------------------------------------------------------------


def _refusal(fn: Any, **options: Any) -> str:
    with pytest.raises(HandlerError) as info:
        new_handler(fn, **options)
    assert isinstance(info.value, TypeError)
    return str(info.value)


def test_not_callable() -> None:
    message = _refusal(42)
    assert "42" in message and "not callable" in message and "int" in message


def test_three_required_parameters() -> None:
    def three(a, b, c):  # type: ignore[no-untyped-def]
        pass

    message = _refusal(three)
    assert "three(a, b, c)" in message and "3 parameters without defaults" in message


def test_required_keyword_only_parameter() -> None:
    def h(event: dict[str, Any], *, verbose: bool) -> None:
        pass

    message = _refusal(h)
    assert "test_handler_shapes" in message or "h" in message
    assert "keyword-only parameter 'verbose' has no default" in message


def test_first_of_two_annotated_as_something_else() -> None:
    def h(event: dict[str, Any], ctx: Context) -> None:
        pass

    message = _refusal(h)
    assert "the first receives the context" in message and "'event' is annotated dict" in message


def test_official_python_runtime_order_is_refused_with_a_hint() -> None:
    def handler(event, context):  # type: ignore[no-untyped-def]
        pass

    message = _refusal(handler)
    assert "passes the context first" in message and "(context, event)" in message


def test_only_varargs() -> None:
    def h(*args: Any) -> None:
        pass

    assert "*args" in _refusal(h)


def test_event_annotation_that_cannot_be_decoded() -> None:
    def h(event: socket.socket) -> None:
        pass

    message = _refusal(h)
    assert "event parameter 'event'" in message and "socket.socket" in message
    assert "cannot be decoded" in message


def test_return_annotation_that_cannot_be_encoded() -> None:
    def h(event: dict[str, Any]) -> socket.socket:
        raise NotImplementedError

    message = _refusal(h)
    assert "return annotation socket.socket cannot be encoded" in message


def test_unresolvable_string_annotation() -> None:
    def h(event: "NoSuchType") -> None:  # type: ignore[name-defined] # noqa: F821, UP037
        pass

    assert "cannot resolve the annotation 'NoSuchType'" in _refusal(h)


def test_bad_options() -> None:
    with pytest.raises(TypeError):
        new_handler(lambda: None, indent=True)
    with pytest.raises(ValueError, match="negative"):
        new_handler(lambda: None, indent=-1)
    with pytest.raises(TypeError):
        new_handler(lambda: None, strict="yes")  # type: ignore[arg-type]


def test_signature_is_inspected_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import lambdago.handler as handler_module

    calls = []
    original = handler_module._signature

    def counting(fn: Any) -> Any:
        calls.append(fn)
        return original(fn)

    monkeypatch.setattr(handler_module, "_signature", counting)

    def h(event: dict[str, Any]) -> dict[str, Any]:
        return event

    handler = new_handler(h)
    for _ in range(3):
        assert handler.invoke(PAYLOAD, make_context()) == b'{"name":"ada"}'
    assert calls == [h]


# -- typed events ----------------------------------------------------------------------------


@attrs.define
class Person:
    name: str
    age: int = 0


@dataclasses.dataclass
class Greeting:
    text: str
    person: Person


def test_typed_event_and_typed_result() -> None:
    def h(ctx: Context, person: Person) -> Greeting:
        return Greeting(text=f"hi {person.name}", person=person)

    assert _call(h, b'{"name": "ada", "age": 36}') == {
        "text": "hi ada",
        "person": {"name": "ada", "age": 36},
    }


def test_typed_event_decode_error_propagates() -> None:
    def h(person: Person) -> None:
        pass

    with pytest.raises(lambdago.DecodeError, match="age: expected int, got str"):
        new_handler(h).invoke(b'{"name": "ada", "age": "x"}', make_context())
