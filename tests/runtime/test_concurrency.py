"""Multi-concurrency (Lambda Managed Instances): with AWS_LAMBDA_MAX_CONCURRENCY=N the real
process serves N invocations at once against the fake Runtime API, each loop on its own
connection, contexts apart, and the first fatal error ends them all."""

from __future__ import annotations

import time

import pytest

from tests.runtime.conftest import Runtime
from tests.support.fake_runtime_api import FakeRuntimeAPI

APP = """
    import asyncio, os, sys, threading, time
    import lambdago

    def sync_handler(ctx, event):
        if event.get("exit"):
            raise SystemExit(4)
        time.sleep(event.get("sleep", 0.3))
        current = lambdago.current_context()
        return {
            "request_id": ctx.aws_request_id,
            "current": current.aws_request_id,
            "trace_env": os.environ.get("_X_AMZN_TRACE_ID"),
            "trace": ctx.trace_id,
            "thread": threading.current_thread().name,
        }

    async def async_handler(ctx, event):
        if event.get("exit"):
            raise SystemExit(4)
        await asyncio.sleep(event.get("sleep", 0.3))
        current = lambdago.current_context()
        return {
            "request_id": ctx.aws_request_id,
            "current": current.aws_request_id,
            "trace_env": os.environ.get("_X_AMZN_TRACE_ID"),
            "trace": ctx.trace_id,
            "thread": threading.current_thread().name,
        }

    async def async_stream(event):
        for i in range(3):
            await asyncio.sleep(0.05)
            yield f"{i}"
"""

HANDLERS = ["app.sync_handler", "app.async_handler"]


@pytest.mark.parametrize("handler", HANDLERS)
def test_n_invocations_at_once_each_with_its_own_context(
    runtime: Runtime, api: FakeRuntimeAPI, handler: str
) -> None:
    runtime.write(APP)
    runtime.start(handler, env={"AWS_LAMBDA_MAX_CONCURRENCY": "4"})
    # Warm up: all four loops are parked on /next.
    api.wait_result(api.add(b'{"sleep": 0}'))
    end = time.monotonic() + 10
    while api.next_calls < 4 and time.monotonic() < end:
        time.sleep(0.01)
    started = time.monotonic()
    ids = [api.add(b'{"sleep": 0.4}') for _ in range(8)]
    results = [api.wait_result(rid) for rid in ids]
    elapsed = time.monotonic() - started
    # Eight 0.4 s invocations, four at a time: two rounds, not eight.
    assert elapsed < 1.6, elapsed
    answers = [r.json() for r in results]
    for rid, answer, rec in zip(ids, answers, results, strict=True):
        assert rec.path.endswith(f"/{rid}/response")
        assert answer["request_id"] == answer["current"] == rid
        assert answer["trace_env"] is None  # never set process-wide in this mode
        assert answer["trace"].startswith("Root=1-")
    threads = {a["thread"] for a in answers}
    if handler == "app.sync_handler":
        assert len(threads) >= 2 and all(t.startswith("lambdago-loop-") for t in threads)
    else:
        assert threads == {"MainThread"}  # tasks on the one event loop
    # Each loop has its own connection.
    ports = {r.client[1] for r in api.requests if r.path.endswith("/invocation/next")}
    assert len(ports) == 4


@pytest.mark.parametrize("handler", HANDLERS)
def test_the_first_fatal_error_stops_every_loop(
    runtime: Runtime, api: FakeRuntimeAPI, handler: str
) -> None:
    runtime.write(APP)
    runtime.start(handler, env={"AWS_LAMBDA_MAX_CONCURRENCY": "3"})
    api.wait_result(api.add(b'{"sleep": 0}'))
    rid = api.add(b'{"exit": true}')
    assert api.wait_result(rid).json()["errorType"] == "SystemExit"
    # The other loops are blocked on /next: the process ends anyway, with the handler's code.
    code, _out, err = runtime.wait_exit(timeout=10)
    assert code == 4
    assert "exiting so Lambda starts a fresh environment" in err


@pytest.mark.parametrize("handler", HANDLERS)
def test_a_runtime_api_failure_is_fatal_for_all(
    runtime: Runtime, api: FakeRuntimeAPI, handler: str
) -> None:
    runtime.write(APP)
    api.faults.next_status = 500
    runtime.start(handler, env={"AWS_LAMBDA_MAX_CONCURRENCY": "3"})
    code, _out, err = runtime.wait_exit(timeout=10)
    assert code == 1
    assert "lambdago: fatal: GET http://" in err and "answered 500" in err


def test_streaming_from_concurrent_async_loops(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(APP)
    runtime.start("app.async_stream", env={"AWS_LAMBDA_MAX_CONCURRENCY": "2"})
    ids = [api.add(b"{}") for _ in range(4)]
    for rid in ids:
        rec = api.wait_result(rid)
        assert rec.headers["lambda-runtime-function-response-mode"] == "streaming"
        assert [data for _, data in rec.chunks] == [b"0", b"1", b"2"]


def test_max_concurrency_one_is_the_ordinary_loop(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(APP)
    runtime.start("app.sync_handler", env={"AWS_LAMBDA_MAX_CONCURRENCY": "1"})
    answer = api.wait_result(api.add(b'{"sleep": 0}')).json()
    assert answer["thread"] == "MainThread"
    assert answer["trace_env"] == answer["trace"]
