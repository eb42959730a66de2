"""Typed AWS events: every event source of aws-lambda-go's ``events`` package, and more.

Each type has the name of its Go counterpart (``SQSEvent``, ``APIGatewayProxyRequest``,
``DynamoDBEvent`` …) and is a slotted class (an attrs class to attrs and cattrs, built
without importing attrs) whose snake_case fields travel under
the exact JSON keys AWS sends. Annotate a handler's event parameter with one and the
runtime decodes into it; return one (a response type) and it is encoded.

Source modules are imported on first use: ``lambdago.events.SQSEvent`` imports
``lambdago.events.sqs`` and nothing else, so a function pays only for the sources it
uses. See docs/events.md, and docs/events-coverage.md for the coverage table against
aws-lambda-go.
"""

from __future__ import annotations

from ._index import SAMPLES, WHERE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._index import *  # noqa: F403

__all__ = sorted(WHERE)


def __getattr__(name: str) -> object:
    module_name = WHERE.get(name)
    if module_name is None:
        raise AttributeError(f"module 'lambdago.events' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f".{module_name}", __name__)
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def sample(name: str) -> bytes:
    """The raw JSON of the sample event ``name`` (see ``lambdago events list``)."""
    if name not in SAMPLES:
        raise KeyError(f"no sample event named {name!r}")
    from importlib.resources import files

    return files(__name__).joinpath("samples", f"{name}.json").read_bytes()


def sample_names() -> dict[str, str]:
    """Every sample event name, with the type it decodes into."""
    return {name: type_name for name, (_module, type_name) in sorted(SAMPLES.items())}
