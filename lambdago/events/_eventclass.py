"""Building event classes without importing attrs.

``import attrs`` costs a cold start about 30 ms (it loads ``typing``, ``inspect``, ``re``
and builds its own classes), more than the rest of a typed handler's init. Every event
type is the same simple shape (slotted, keyword-only fields, each defaulting to ``None``),
so :func:`build_event_class` writes the few methods such a class needs itself: an
``__init__``, ``__repr__``, ``__eq__`` and ``__ne__``, as ``attrs.define(slots=True,
kw_only=True)`` would generate them.

The result is still an attrs class to everything that asks: ``__attrs_attrs__`` is
computed on first access (importing attrs then), so ``attrs.fields``, ``attrs.has``,
``attrs.evolve``, ``attrs.asdict`` and cattrs work on event types as they would on classes
made by ``attrs.define``. lambdago itself reads :data:`FIELDS_ATTRIBUTE` instead.
"""

from __future__ import annotations

import builtins
import sys
from operator import attrgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._converters import FieldCodec

__all__ = [
    "FIELDS_ATTRIBUTE",
    "EventField",
    "FieldSpec",
    "build_event_class",
    "evaluate_annotation",
    "resolved_type",
]

FIELDS_ATTRIBUTE = "__lambdago_fields__"


class FieldSpec:
    """What ``field(...)`` leaves in a class body: the field's codec, until the class is built."""

    __slots__ = ("codec",)

    def __init__(self, codec: FieldCodec) -> None:
        self.codec = codec

    def __repr__(self) -> str:
        return f"<event field {self.codec.key!r}>"


class EventField:
    """One field of an event class: its name, JSON codec and (lazily resolved) type."""

    __slots__ = ("_type", "annotation", "codec", "name", "owner")

    def __init__(self, name: str, annotation: Any, codec: FieldCodec, owner: type) -> None:
        self.name = name
        self.annotation = annotation
        self.codec = codec
        self.owner = owner  # the class that declared it: its module resolves the annotation
        self._type: Any = _UNRESOLVED

    @property
    def init_name(self) -> str:
        """The keyword that sets the field in ``__init__`` (attrs' rule: no leading ``_``)."""
        return self.name.lstrip("_") or self.name

    def __repr__(self) -> str:
        return f"<EventField {self.name} ({self.codec.key!r})>"


_UNRESOLVED: Any = object()


def resolved_type(f: EventField) -> Any:
    """The field's type, its string annotation evaluated where the class was declared.

    Evaluated without ``typing.get_type_hints`` (which would import ``typing`` for every
    event type): ``X | None`` and ``list[X]`` need nothing more than the module's names.
    Raises ``NameError`` (or whatever the evaluation raises) when a name is missing.
    """
    tp = f._type
    if tp is _UNRESOLVED:
        tp = f.annotation
        if isinstance(tp, str):
            module = sys.modules.get(f.owner.__module__)
            tp = evaluate_annotation(tp, vars(module) if module is not None else {}, f.owner)
        f._type = tp
    return tp


def evaluate_annotation(text: str, module_names: dict[str, Any], owner: type | None = None) -> Any:
    """A string annotation evaluated with a module's names (and a class's, when given).

    Names the module imports from ``typing`` only for type checkers still resolve:
    ``Any`` as ``object`` (what the converters make of it), others from ``typing``.
    """
    namespace = dict(module_names)
    if owner is not None:
        namespace.update(vars(owner))
    namespace["__builtins__"] = _BUILTINS
    return eval(text, namespace)


class _BuiltinsAndTyping(dict):  # type: ignore[type-arg]
    """Builtins, then ``typing``'s names: modules import ``Any`` only for type checkers."""

    def __missing__(self, name: str) -> Any:
        if name == "Any":
            return object  # what the converters treat ``Any`` as; no need to load typing
        import typing

        try:
            return getattr(typing, name)
        except AttributeError:
            raise KeyError(name) from None


_BUILTINS = _BuiltinsAndTyping(vars(builtins))


def _is_class_var(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(("ClassVar", "typing.ClassVar", "t.ClassVar"))


def _collect_fields(cls: type) -> tuple[list[EventField], list[str]]:
    """Inherited fields first (base classes from the farthest), then the class's own."""
    # The class's own annotations only (not inherited ones), without loading inspect.
    own_annotations = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
    own: list[EventField] = []
    for name, annotation in own_annotations.items():
        if _is_class_var(annotation):
            continue
        spec = cls.__dict__.get(name)
        if not isinstance(spec, FieldSpec):
            raise TypeError(
                f"{cls.__qualname__}.{name}: an event field must be declared with "
                "field(json_key) (every event field is optional)"
            )
        own.append(EventField(name, annotation, spec.codec, cls))
    own_names = {f.name for f in own}
    inherited: dict[str, EventField] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get(FIELDS_ATTRIBUTE, ()):
            inherited.pop(f.name, None)
            inherited[f.name] = f
    fields = [f for name, f in inherited.items() if name not in own_names] + own
    return fields, [f.name for f in own]


def build_event_class(cls: type, extra_base: type) -> type:
    """The slotted event class for the class body ``cls`` (``extra_base`` added if missing)."""
    fields, own_names = _collect_fields(cls)
    bases = cls.__bases__
    if not issubclass(cls, extra_base):
        bases = (*(b for b in bases if b is not object), extra_base)
    taken: set[str] = set()
    has_weakref = False
    for base in bases:
        for klass in base.__mro__:
            slots = klass.__dict__.get("__slots__", ())
            taken.update((slots,) if isinstance(slots, str) else slots)
            has_weakref = has_weakref or "__weakref__" in klass.__dict__
    slots = [name for name in own_names if name not in taken]
    if not has_weakref:
        slots.append("__weakref__")

    namespace: dict[str, Any] = {
        k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__", *own_names)
    }
    namespace["__slots__"] = tuple(slots)
    namespace[FIELDS_ATTRIBUTE] = tuple(fields)
    lazy_attrs_fields = namespace["__attrs_attrs__"] = _LazyAttrsFields()
    namespace.setdefault("__match_args__", ())  # keyword-only fields: nothing positional
    post_init = "__attrs_post_init__" in namespace or any(
        "__attrs_post_init__" in klass.__dict__
        for base in bases
        for klass in base.__mro__
        if klass is not extra_base
    )
    names = [f.name for f in fields]
    # What a comparison compares: one C call gathering the fields (a tuple when several).
    namespace["__lambdago_values__"] = attrgetter(*names) if names else _no_values
    for name, method in (("__repr__", _event_repr), ("__eq__", _event_eq), ("__ne__", _event_ne)):
        namespace.setdefault(name, method)
    if "__eq__" not in cls.__dict__:
        namespace["__hash__"] = None  # equal by value and mutable: unhashable, as attrs makes it
    built = type(cls)(cls.__name__, bases, namespace)
    lazy_attrs_fields.event_class = built
    if "__init__" not in cls.__dict__:
        type.__setattr__(built, "__init__", _first_init(built, fields, post_init))
    return built


# -- the methods --------------------------------------------------------------------------------
#
# ``__repr__``, ``__eq__`` and ``__ne__`` are shared by every event class; ``__init__`` has to
# name each field as a keyword parameter, so it is generated, but only when a class is first
# instantiated: compiling it costs ~0.1 ms per class, and a handler that only decodes events
# (decoders do not call ``__init__``) never needs it.


def _no_values(_instance: object) -> tuple[()]:
    return ()


def _event_repr(self: Any) -> str:
    name = self.__class__.__qualname__.rsplit(">.", 1)[-1]
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__lambdago_fields__)
    return f"{name}({shown})"


def _event_eq(self: Any, other: Any) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented  # type: ignore[no-any-return]
    values = self.__class__.__lambdago_values__
    result: bool = values(self) == values(other)
    return result


def _event_ne(self: Any, other: Any) -> bool:
    result = self.__eq__(other)
    return result if result is NotImplemented else not result


def _first_init(cls: type, fields: list[EventField], post_init: bool) -> Any:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _compile_init(cls, fields, post_init)
        type.__setattr__(cls, "__init__", init)
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _compile_init(cls: type, fields: list[EventField], post_init: bool) -> Any:
    params = ", ".join(f"{f.init_name}=None" for f in fields)
    lines = [f"def __init__(self{', *, ' + params if params else ''}):"]
    lines += [f"    self.{f.name} = {f.init_name}" for f in fields]
    lines += ["    self._lg_src = None", "    self._lg_snap = None"]
    if post_init:
        lines.append("    self.__attrs_post_init__()")
    scope: dict[str, Any] = {}
    exec(compile("\n".join(lines) + "\n", f"<lambdago event {cls.__qualname__}>", "exec"), scope)
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init


class _LazyAttrsFields:
    """``__attrs_attrs__`` for an event class, made by attrs on first access."""

    __slots__ = ("event_class",)

    def __init__(self) -> None:
        self.event_class: type | None = None  # set once the class is built

    def __get__(self, instance: object, owner: type) -> Any:
        # Read through a plain subclass too, which inherits its base's fields as it would
        # inherit an attrs class's: the tuple belongs to (and is cached on) the event class.
        cls = self.event_class or owner
        value = _attrs_fields(cls)
        type.__setattr__(cls, "__attrs_attrs__", value)  # cached: attrs reads it directly
        return value


def _attrs_fields(cls: type) -> Any:
    # attrs builds the attribute tuple (with its by-name access) for a throwaway class of
    # the same fields; the Attribute objects describe ``cls`` exactly as attrs.define would.
    import attrs

    these = {
        f.name: attrs.field(
            default=None,
            kw_only=True,
            metadata={"lambdago": f.codec},
            type=f.annotation,
        )
        for f in cls.__dict__[FIELDS_ATTRIBUTE]
    }
    shadow = attrs.make_class(cls.__name__, these, slots=True)
    return shadow.__attrs_attrs__  # type: ignore[attr-defined]
