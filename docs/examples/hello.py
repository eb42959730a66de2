"""A first lambdago function: a typed event in, a typed answer out.

Try it through a real runtime and the local Lambda emulator:

    lambdago invoke docs/examples/hello.py:handler --event docs/examples/hello-event.json

The event's JSON is decoded into ``HelloEvent`` (``{"name": "Ada"}``); the returned
``Greeting`` is encoded as ``{"message": ..., "request_id": ...}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lambdago import Context


@dataclass
class HelloEvent:
    name: str = "world"
    languages: list[str] = field(default_factory=list)


@dataclass
class Greeting:
    message: str
    request_id: str


def handler(ctx: Context, event: HelloEvent) -> Greeting:
    """Greet ``event.name``; the context is first, as in aws-lambda-go."""
    message = f"Hello, {event.name}!"
    if event.languages:
        message += f" You write {', '.join(event.languages)}."
    print(f"greeting {event.name}")  # shows in the log, between START and END
    return Greeting(message=message, request_id=ctx.aws_request_id)
