"""Event classes are built without attrs, yet behave as attrs classes to attrs and cattrs."""

from __future__ import annotations

import copy
import inspect
import pathlib
import pickle
import subprocess
import sys
import sysconfig
import textwrap
import weakref
from typing import Any, ClassVar

import attrs
import cattrs
import pytest

import lambdago
from lambdago.events import (
    APIGatewayProxyResponse,
    CognitoEventUserPoolsPreSignup,
    SQSEvent,
    SQSMessage,
)
from lambdago.events._base import event, field

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_keyword_only_init_with_every_field_defaulting_to_none() -> None:
    message = SQSMessage(message_id="m-1", body="hello")
    assert message.message_id == "m-1"
    assert message.body == "hello"
    assert message.receipt_handle is None
    with pytest.raises(TypeError, match="positional"):
        SQSMessage("m-1")  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        SQSMessage(bogus=1)  # type: ignore[call-arg]
    params = inspect.signature(SQSMessage).parameters
    assert list(params)[:3] == ["message_id", "receipt_handle", "body"]
    assert all(p.kind is p.KEYWORD_ONLY and p.default is None for p in params.values())


def test_repr_eq_and_hash_as_attrs_defines_them() -> None:
    a = SQSMessage(message_id="m-1", body="x")
    assert repr(a).startswith("SQSMessage(message_id='m-1', receipt_handle=None, body='x',")
    assert a == SQSMessage(message_id="m-1", body="x")
    assert a != SQSMessage(message_id="m-2", body="x")
    assert (a != SQSMessage(message_id="m-1", body="x")) is False
    assert a != "m-1"
    assert (a == object()) is False
    with pytest.raises(TypeError, match="unhashable"):
        hash(a)
    assert SQSMessage.__match_args__ == ()


def test_slotted_weakref_pickle_and_copy() -> None:
    response = APIGatewayProxyResponse(status_code=201, body="made", headers={"a": "b"})
    assert not hasattr(response, "__dict__")
    with pytest.raises(AttributeError):
        response.not_a_field = 1  # type: ignore[attr-defined]
    assert weakref.ref(response)() is response
    again = pickle.loads(pickle.dumps(response))
    assert again == response
    assert lambdago.encode(again) == lambdago.encode(response)
    deep = copy.deepcopy(response)
    assert deep == response and deep.headers is not response.headers
    assert copy.copy(response) == response


def test_attrs_sees_an_attrs_class() -> None:
    assert attrs.has(SQSMessage)
    names = [a.name for a in attrs.fields(SQSMessage)]
    assert names[:2] == ["message_id", "receipt_handle"]
    assert attrs.fields(SQSMessage).body.metadata["lambdago"].key == "body"
    assert all(a.kw_only and a.default is None for a in attrs.fields(SQSMessage))
    message = SQSMessage(message_id="m-1", body="x")
    changed = attrs.evolve(message, body="y")
    assert changed.body == "y" and changed.message_id == "m-1"
    assert attrs.asdict(SQSEvent(records=[message]))["records"][0]["body"] == "x"


def test_a_decoded_event_keeps_attrs_interop() -> None:
    decoded = lambdago.decode(b'{"Records":[{"messageId":"m-1","body":"x"}]}', SQSEvent)
    assert decoded.records is not None
    evolved = attrs.evolve(decoded.records[0], body="changed")
    assert lambdago.encode(evolved) == b'{"messageId":"m-1","body":"changed"}'


def test_cattrs_structures_a_user_class_holding_an_event() -> None:
    @attrs.define
    class Envelope:
        message: SQSMessage
        note: str

    converter = cattrs.Converter()
    envelope = converter.structure(
        {"message": {"message_id": "m-1", "body": "x"}, "note": "n"}, Envelope
    )
    assert envelope.message == SQSMessage(message_id="m-1", body="x")


def test_an_attrs_subclass_of_an_event_type_encodes() -> None:
    @attrs.define(kw_only=True)
    class Tagged(SQSMessage):  # type: ignore[misc]
        tag: str = "t"

    tagged = Tagged(message_id="m-1", tag="x")
    assert tagged.message_id == "m-1" and tagged.tag == "x"
    assert [a.name for a in attrs.fields(Tagged)][-1] == "tag"


def test_a_plain_subclass_inherits_the_attrs_fields() -> None:
    class Plain(SQSMessage):  # type: ignore[misc]
        pass

    assert attrs.has(Plain)
    assert attrs.fields(Plain) == attrs.fields(SQSMessage)
    assert Plain(message_id="m-1").message_id == "m-1"


def test_inherited_fields_come_first() -> None:
    fields = CognitoEventUserPoolsPreSignup.__lambdago_fields__
    names = [f.name for f in fields]
    assert names.index("version") < names.index("request")
    assert {f.name for f in fields} == {
        a.name for a in attrs.fields(CognitoEventUserPoolsPreSignup)
    }


def test_declaring_event_classes() -> None:
    @event
    class Base:
        """A base."""

        first: str | None = field("First")

    @event
    class Child(Base):
        """A child, with a class variable that is not a field."""

        kind: ClassVar[str] = "child"
        second: int | None = field("Second")

    child = Child(first="a", second=2)
    assert [f.name for f in Child.__lambdago_fields__] == ["first", "second"]
    assert Child.kind == "child"
    assert lambdago.encode(child) == b'{"First":"a","Second":2}'
    assert lambdago.decode(b'{"First":"b","Second":3,"Other":1}', Child) == Child(
        first="b", second=3
    )

    with pytest.raises(TypeError, match=r"Broken\.plain: an event field must be declared"):

        @event
        class Broken:
            plain: str | None = None


def test_annotations_naming_typing_only_imports_resolve() -> None:
    # Modules import ``Any`` only for type checkers; the annotation still resolves.
    namespace: dict[str, Any] = {"__name__": "lambdago_test_any_module"}
    exec(
        textwrap.dedent(
            """
            from __future__ import annotations
            from lambdago.events._base import event, field

            @event
            class Holder:
                anything: dict[str, Any] | None = field("anything")
                choice: Literal["a", "b"] | None = field("choice")
            """
        ),
        namespace,
    )
    holder = namespace["Holder"]
    sys.modules["lambdago_test_any_module"] = type(sys)("lambdago_test_any_module")
    vars(sys.modules["lambdago_test_any_module"]).update(namespace)
    try:
        decoded = lambdago.decode(b'{"anything":{"x":[1]},"choice":"b"}', holder)
        assert decoded.anything == {"x": [1]} and decoded.choice == "b"
        with pytest.raises(lambdago.DecodeError):
            lambdago.decode(b'{"choice":"c"}', holder, strict=True)
    finally:
        del sys.modules["lambdago_test_any_module"]


def test_event_sources_load_without_attrs_or_typing() -> None:
    # A cold start with event types pays for neither attrs (~30 ms) nor typing: run the
    # way a packaged function runs (no site), then decode and encode with a few sources.
    program = textwrap.dedent(
        """
        import sys
        import lambdago
        from lambdago.events import SQSEvent, APIGatewayProxyRequest, DynamoDBEvent, SNSEvent
        from lambdago.events import APIGatewayProxyResponse
        for cls in (SQSEvent, APIGatewayProxyRequest, DynamoDBEvent, SNSEvent):
            lambdago.encode(lambdago.decode(b"{}", cls))
        lambdago.encode(APIGatewayProxyResponse(status_code=200, body="ok"))
        """
    )
    assert _heavy_modules_loaded_by(program) == "[]"


def test_no_source_module_imports_typing_or_attrs() -> None:
    # The rule of docs/adding-event-types.md, for every source: import it and prepare the
    # decoder and encoder of each of its classes.
    program = textwrap.dedent(
        """
        import os, sys
        import lambdago.events as events
        from lambdago import _converters
        # (pkgutil and importlib.util would import typing themselves.)
        for name in sorted(os.listdir(events.__path__[0])):
            if name.startswith("_") or not name.endswith(".py"):
                continue
            __import__("lambdago.events." + name[:-3])
            module = sys.modules["lambdago.events." + name[:-3]]
            for value in vars(module).values():
                if isinstance(value, type) and "__lambdago_fields__" in value.__dict__:
                    _converters.decoder(value)
                    _converters.encoder_for_class(value)
        """
    )
    assert _heavy_modules_loaded_by(program) == "[]"


def _heavy_modules_loaded_by(program: str) -> str:
    """Run ``program`` as a packaged function runs (no ``site``); which of attrs, cattrs and
    typing it left loaded."""
    paths = [str(ROOT), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    check = 'print(sorted(m for m in ("attr", "attrs", "cattrs", "typing") if m in sys.modules))'
    out = subprocess.run(
        [sys.executable, "-S", "-c", f"import sys; sys.path[:0] = {paths!r}\n{program}\n{check}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() or out.stderr
