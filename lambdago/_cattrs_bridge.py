"""The one cattrs converter, for the types lambdago does not compile itself.

Generic attrs classes (``Page[Item]``), NamedTuples and whatever else cattrs knows how to
structure come here. The converter is created on first need (importing cattrs costs tens
of milliseconds, which a cold start should not pay for a plain ``dict`` event) and is
given lambdago's own decoders for the scalars and the non-generic classes, so the rules
are the same wherever a value is decoded.
"""

from __future__ import annotations

from . import _converters

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    import cattrs

_converter: cattrs.Converter | None = None


def converter() -> cattrs.Converter:
    """The shared cattrs converter, configured with lambdago's hooks."""
    global _converter
    if _converter is None:
        import cattrs

        c = cattrs.Converter(detailed_validation=True)

        def ours(tp: Any) -> Callable[[Any, Any], Any]:
            fn = _converters.decoder(tp)
            return lambda value, _type: fn(value)

        for scalar in (str, int, float, bool, bytes):
            c.register_structure_hook(scalar, ours(scalar))

        def compiled_here(tp: Any) -> bool:
            # Plain classes only: cattrs resolves the type parameters of generic ones.
            return (
                isinstance(tp, type)
                and (
                    _converters.is_event_class(tp)
                    or "__attrs_attrs__" in tp.__dict__
                    or "__dataclass_fields__" in tp.__dict__
                )
                and not getattr(tp, "__parameters__", ())
            )

        c.register_structure_hook_factory(compiled_here, ours)
        _converter = c
    return _converter


def structure_hook(tp: Any) -> Callable[[Any, Any], Any]:
    """cattrs' structure hook for ``tp``; :class:`UnsupportedType` if it has none."""
    import cattrs.errors

    try:
        return converter().get_structure_hook(tp)
    except cattrs.errors.StructureHandlerNotFoundError:
        raise _converters.UnsupportedType(
            f"{tp!r} cannot be decoded into (no converter knows this type)"
        ) from None
    except Exception as exc:  # cattrs inspects the type eagerly and may fail on odd ones
        raise _converters.UnsupportedType(f"{tp!r} cannot be decoded into: {exc}") from None


def failure_from(exc: BaseException) -> _converters.Failure:
    """Flatten a cattrs structuring error into a single lambdago ``Failure``."""
    import cattrs

    def describe(e: BaseException, _type: Any) -> str:
        if isinstance(e, _converters.Failure):
            inner = e.dotted_path()
            return f"{e.reason} (at {inner})" if inner else e.reason
        if isinstance(e, KeyError):
            return "required field is missing"
        return f"{type(e).__name__}: {e}"

    try:
        messages = cattrs.transform_error(exc, path="$", format_exception=describe)
    except Exception:
        messages = [str(exc)]
    first = messages[0] if messages else str(exc)
    reason, _, where = first.rpartition(" @ ")
    if not reason:
        return _converters.Failure(first)
    failure = _converters.Failure(reason)
    # "$.a[0].b" -> path segments, innermost first.
    path: list[str | int] = []
    token = ""
    for ch in where.lstrip("$") + ".":
        if ch in ".[":
            if token:
                path.append(int(token) if token.isdigit() else token.strip("]'\""))
            token = ""
        elif ch != "]":
            token += ch
    failure.path = path[::-1]
    return failure
