"""Helpers for testing handlers without a network.

``new_handler(fn).invoke(payload, make_context())`` runs a handler exactly as the runtime
does (same decoding, same encoding, same context), in the test's own process.
"""

from __future__ import annotations

import os
import time

from .context import ClientContext, CognitoIdentity, Context

__all__ = ["make_context"]

_DEFAULT_ARN = "arn:aws:lambda:us-east-1:123456789012:function:test-function"


def _request_id() -> str:
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"


def _trace_id() -> str:
    epoch = f"{int(time.time()):08x}"
    return f"Root=1-{epoch}-{os.urandom(12).hex()};Parent={os.urandom(8).hex()};Sampled=1"


def make_context(
    *,
    aws_request_id: str | None = None,
    invoked_function_arn: str = _DEFAULT_ARN,
    deadline_ms: int | None = None,
    remaining_ms: int = 3000,
    identity: CognitoIdentity | None = None,
    client_context: ClientContext | None = None,
    trace_id: str | None = None,
    tenant_id: str | None = None,
) -> Context:
    """A realistic invocation context in one call, for unit tests.

    A fresh UUID request id, a function ARN in ``us-east-1``, a deadline ``remaining_ms``
    (3 s, Lambda's default timeout) from now unless ``deadline_ms`` is given, and an X-Ray
    trace id in Lambda's format. Any field can be overridden by keyword.
    """
    if deadline_ms is None:
        deadline_ms = time.time_ns() // 1_000_000 + remaining_ms
    return Context(
        aws_request_id=aws_request_id if aws_request_id is not None else _request_id(),
        invoked_function_arn=invoked_function_arn,
        deadline_ms=deadline_ms,
        identity=identity,
        client_context=client_context,
        trace_id=trace_id if trace_id is not None else _trace_id(),
        tenant_id=tenant_id,
    )
