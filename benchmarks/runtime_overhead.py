"""Where the runtime's CPU goes on a small event, without sockets.

    python benchmarks/runtime_overhead.py [--number 100000] [--repeat 5]

``runtime_bench.py`` measures whole invocations against a Runtime API server; this
script times, in one process and with no system calls, each piece of Python work the
invoke loop does per invocation (parsing the ``/next`` answer, the context, the trace
variable, the handler call with decoding and encoding, the flushes, building the
``/response`` request, parsing the ``202``) and the same work done the floor client's way
(``floor_client.py``: find the request id and the length, ``orjson`` in and out, one
f-string). The difference between the two totals is what the runtime's features cost
before any system call; run it pinned (``taskset -c 0``) for stable figures.
"""

from __future__ import annotations

import argparse
import sys
import timeit
from collections.abc import Callable

import orjson

from lambdago import _jsonio
from lambdago.context import Context
from lambdago.handler import new_handler
from lambdago.runtime.protocol import ResponseParser, ResponseRequest
from lambdago.runtime.trace_env import TraceEnv

REQUEST_ID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
EVENT = (
    b'{"id": 1, "name": "widget", "tags": ["a", "b", "c"], "price": 9.99, "ok": true,'
    b' "nested": {"k": "v"}}'
)
NEXT_ANSWER = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: application/json\r\n"
    b"Lambda-Runtime-Aws-Request-Id: " + REQUEST_ID.encode() + b"\r\n"
    b"Lambda-Runtime-Deadline-Ms: 1542409706888\r\n"
    b"Lambda-Runtime-Invoked-Function-Arn: "
    b"arn:aws:lambda:us-east-2:123456789012:function:custom-runtime\r\n"
    b"Lambda-Runtime-Trace-Id: "
    b"Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1\r\n"
    b"Date: Thu, 26 Nov 2026 00:00:00 GMT\r\n"
    b"Content-Length: " + str(len(EVENT)).encode() + b"\r\n\r\n" + EVENT
)
ACCEPTED = (
    b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n"
    b"Date: Thu, 26 Nov 2026 00:00:00 GMT\r\nContent-Length: 16\r\n\r\n"
    b'{"status":"OK"}\n'
)
HOST = "127.0.0.1:9001"


def echo(ctx: Context, event: object) -> object:
    """The benchmark's handler: the event back."""
    return event


def pieces() -> dict[str, Callable[[], object]]:
    """Each step of one invocation, as the invoke loop runs it (steady state)."""
    _jsonio.use_orjson()  # what the loop switches to after the first answer
    handle = new_handler(echo).handle  # type: ignore[attr-defined]
    trace_env = TraceEnv()
    trace_env.go_native()
    answer = ResponseParser().feed(NEXT_ANSWER)
    assert answer is not None
    context = Context._from_lowercase_headers(answer.headers)
    body, content_type = handle(answer.body, context)

    def flush() -> None:
        sys.stdout.flush()
        sys.stderr.flush()

    # One parser per connection, as the client keeps it: the /next answers differ by their
    # request id, while the 202 answers repeat (within a second, Date and all).
    next_parser = ResponseParser()
    post_parser = ResponseParser()

    return {
        "parse the /next answer": lambda: next_parser.feed(NEXT_ANSWER),
        "context from its headers": lambda: Context._from_lowercase_headers(answer.headers),
        "set _X_AMZN_TRACE_ID": lambda: trace_env.set(context.trace_id),
        "handler: decode, call, encode": lambda: handle(answer.body, context),
        "flush stdout and stderr": flush,
        "build the /response request": lambda: ResponseRequest(REQUEST_ID, body, content_type).head(
            HOST
        ),
        "parse the 202 answer": lambda: post_parser.feed(ACCEPTED),
    }


def floor() -> object:
    """The floor client's work for one invocation (``floor_client.py``), sockets aside."""
    head, _, rest = NEXT_ANSWER.partition(b"\r\n\r\n")
    lower = head.lower() + b"\r\n"
    start = lower.index(b"content-length:") + 15
    length = int(lower[start : lower.index(b"\r\n", start)])
    start = lower.index(b"lambda-runtime-aws-request-id:") + 30
    request_id = head[start : lower.index(b"\r\n", start)].strip().decode()
    out = orjson.dumps(orjson.loads(rest[:length]))
    request = (
        f"POST /2018-06-01/runtime/invocation/{request_id}/response HTTP/1.1\r\n"
        f"Host: {HOST}\r\nContent-Length: {len(out)}\r\n\r\n"
    ).encode() + out
    head, _, rest = ACCEPTED.partition(b"\r\n\r\n")
    lower = head.lower() + b"\r\n"
    start = lower.index(b"content-length:") + 15
    return request, rest[int(lower[start : lower.index(b"\r\n", start)]) :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--number", type=int, default=100_000, help="calls per timing")
    parser.add_argument("--repeat", type=int, default=5, help="timings per piece (best kept)")
    args = parser.parse_args()

    def best_us(fn: Callable[[], object]) -> float:
        return min(timeit.repeat(fn, number=args.number, repeat=args.repeat)) / args.number * 1e6

    total = 0.0
    print("| step (lambdago's invoke loop) | µs |")
    print("|---|---|")
    for name, fn in pieces().items():
        cost = best_us(fn)
        total += cost
        print(f"| {name} | {cost:.2f} |")
    print(f"| **total** | **{total:.2f}** |")
    floor_cost = best_us(floor)
    print(f"\nThe floor client's work for the same invocation: {floor_cost:.2f} µs.")
    print(f"Python work the runtime adds before any system call: {total - floor_cost:.2f} µs.")


if __name__ == "__main__":
    main()
