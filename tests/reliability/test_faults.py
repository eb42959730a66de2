"""The real bootstrap against a misbehaving Runtime API: each fault ends as documented in
docs/reliability.md ("Faults"), with a clear fatal message and exit 1 (never a silent
hang or a busy loop), or is survived.

The runtime talks to tests/support/fake_runtime_api.py through tests/support/fault_proxy.py,
which injects the faults on real loopback sockets.
"""

from __future__ import annotations

import time

import pytest

from tests.support.fake_runtime_api import FakeRuntimeAPI
from tests.support.fault_proxy import FaultProxy

from .conftest import ProxiedRuntime, slow, wait_for

APP = """
def handler(ctx, event):
    if isinstance(event, dict) and "big" in event:
        return "b" * event["big"]
    return {"event": event, "request_id": ctx.aws_request_id}
"""

NEXT = "/2018-06-01/runtime/invocation/next"
SIX_MB = 6 * 1024 * 1024 - 100  # a response Lambda accepts, larger than socket buffers


def _started(runtime: ProxiedRuntime, env: dict[str, str] | None = None) -> None:
    runtime.write(APP)
    runtime.start_proxied(env=env)


def _served_one(runtime: ProxiedRuntime, api: FakeRuntimeAPI) -> None:
    rid = api.add(b'"warm"')
    assert api.wait_result(rid).json() == {"event": "warm", "request_id": rid}


def _waiting_in_next(proxy: FaultProxy, count: int) -> None:
    wait_for(lambda: proxy.requests.count(("GET", NEXT)) >= count, what=f"GET /next #{count}")
    time.sleep(0.1)


def test_next_refused_after_the_runtime_api_goes_away(
    runtime: ProxiedRuntime, api: FakeRuntimeAPI, proxy: FaultProxy
) -> None:
    """The connection of a parked /next closes and nothing listens any more: the runtime
    retries /next once on a new connection, is refused, and exits 1."""
    _started(runtime)
    _served_one(runtime, api)
    _waiting_in_next(proxy, 2)
    proxy.stop_listening()
    code, _out, err = runtime.wait_exit(timeout=10)
    assert code == 1
    assert f"lambdago: fatal: GET http://{proxy.address}{NEXT} failed: connection refused" in err, (
        err
    )


def test_next_reset(runtime: ProxiedRuntime, proxy: FaultProxy) -> None:
    proxy.faults.reset_next = True
    _started(runtime)
    code, _out, err = runtime.wait_exit(timeout=10)
    assert code == 1
    assert f"GET http://{proxy.address}{NEXT} failed: connection reset by the Runtime API" in err


def test_next_answer_cut_mid_body(
    runtime: ProxiedRuntime, api: FakeRuntimeAPI, proxy: FaultProxy
) -> None:
    proxy.faults.cut_next_body = True
    _started(runtime)
    api.add(b'{"padding": "' + b"p" * 5000 + b'"}')
    code, _out, err = runtime.wait_exit(timeout=10)
    assert code == 1
    assert "failed: connection closed in the middle of a response" in err
    assert not api.results  # nothing was posted for a half-received invocation


def test_post_answered_500(runtime: ProxiedRuntime, api: FakeRuntimeAPI, proxy: FaultProxy) -> None:
    proxy.faults.post_status = 500
    _started(runtime)
    rid = api.add(b"1")
    code, _out, err = runtime.wait_exit(timeout=10)
    assert code == 1
    assert (
        f"POST http://{proxy.address}/2018-06-01/runtime/invocation/{rid}/response answered "
        "500 Injected" in err
    )


def test_post_answer_cut_mid_body(
    runtime: ProxiedRuntime, api: FakeRuntimeAPI, proxy: FaultProxy
) -> None:
    proxy.faults.cut_post_answer = True
    _started(runtime)
    rid = api.add(b"1")
    code, _out, err = runtime.wait_exit(timeout=10)
    assert code == 1
    assert (
        f"/invocation/{rid}/response failed: connection closed in the middle of a response" in err
    )
    assert api.wait_result(rid).json()["event"] == 1  # the result itself had arrived


def test_restart_between_invocations_is_survived(
    runtime: ProxiedRuntime, api: FakeRuntimeAPI, proxy: FaultProxy
) -> None:
    """The Runtime API restarts (listener and connections closed, a new listener on the
    same port) while the runtime waits in /next: it reconnects and goes on.

    (The parked /next of the old connection is still waiting inside the fake server and
    takes the next queued invocation to a dead socket; that one is the fake server's loss,
    so the test queues a decoy first. The emulator drops such a parked /next: see
    test_emulator_faults.py, where no decoy is needed.)
    """
    _started(runtime)
    _served_one(runtime, api)
    _waiting_in_next(proxy, 2)
    # The fake server itself must be waiting on that /next (not only the proxy have seen
    # it): a /next that reaches it late, after the restart, would take the invocation
    # meant for the runtime instead of the decoy.
    wait_for(lambda: api.next_calls >= 2, what="the fake server parking GET /next #2")
    proxy.restart(listen_first=True)
    api.add(b'"decoy"')  # taken by the orphaned /next of the closed connection
    _waiting_in_next(proxy, 3)
    rid = api.add(b'"after restart"')
    assert api.wait_result(rid).json() == {"event": "after restart", "request_id": rid}
    assert runtime.proc is not None and runtime.proc.poll() is None


def test_restart_with_a_gap_is_fatal(
    runtime: ProxiedRuntime, api: FakeRuntimeAPI, proxy: FaultProxy
) -> None:
    """A restart that leaves the port closed for a moment: the one reconnection attempt is
    refused and the runtime exits 1 (Lambda, or the emulator, starts a new one)."""
    _started(runtime)
    _served_one(runtime, api)
    _waiting_in_next(proxy, 2)
    proxy.restart(listen_first=False, gap=1.0)
    code, _out, err = runtime.wait_exit(timeout=10)
    assert code == 1
    assert "failed: connection refused" in err


def test_slow_reader_of_a_six_megabyte_response(
    runtime: ProxiedRuntime, api: FakeRuntimeAPI, proxy: FaultProxy
) -> None:
    """The Runtime API reads the 6 MB response at 2 MB/s: the runtime waits in a blocking
    send (no CPU spent) and the whole response arrives."""
    _started(runtime)
    _served_one(runtime, api)
    proxy.faults.post_read_rate = 2 * 1024 * 1024
    before = runtime.cpu_seconds()
    started = time.monotonic()
    rid = api.add(b'{"big": %d}' % SIX_MB)
    result = api.wait_result(rid, timeout=30)
    elapsed = time.monotonic() - started
    assert len(result.body) == SIX_MB + 2
    assert elapsed > 2.0  # it really was slow
    spent = runtime.cpu_seconds() - before
    assert spent < 0.6, f"{spent:.2f} s of CPU in {elapsed:.1f} s of slow reading"


@pytest.mark.parametrize("fault", ["post_hang", "post_never_read"])
def test_waiting_for_a_silent_runtime_api_costs_no_cpu(
    runtime: ProxiedRuntime, api: FakeRuntimeAPI, proxy: FaultProxy, fault: str
) -> None:
    """A post that is never answered (or whose body is never read) leaves the runtime
    blocked in the kernel: alive, and spending no CPU while it waits."""
    _started(runtime)
    _served_one(runtime, api)
    setattr(proxy.faults, fault, True)
    api.add(b'{"big": %d}' % SIX_MB)
    wait_for(lambda: proxy.requests[-1][0] == "POST", what="the POST")
    time.sleep(0.5)
    before = runtime.cpu_seconds()
    time.sleep(3.0)
    spent = runtime.cpu_seconds() - before
    assert runtime.proc is not None and runtime.proc.poll() is None
    assert spent < 0.1, f"{spent:.2f} s of CPU in 3 s of waiting"


@pytest.mark.parametrize("fault", ["post_hang", "post_never_read"])
def test_a_post_that_gets_no_answer_is_fatal_after_the_post_timeout(
    runtime: ProxiedRuntime, api: FakeRuntimeAPI, proxy: FaultProxy, fault: str
) -> None:
    _started(runtime, env={"LAMBDAGO_POST_TIMEOUT_S": "2"})
    _served_one(runtime, api)
    setattr(proxy.faults, fault, True)
    rid = api.add(b'{"big": %d}' % SIX_MB)
    started = time.monotonic()
    code, _out, err = runtime.wait_exit(timeout=8)
    assert code == 1
    assert time.monotonic() - started < 8
    assert f"POST http://{proxy.address}/2018-06-01/runtime/invocation/{rid}/response" in err
    assert "no answer within 2 s" in err or "timed out" in err


@slow
def test_the_real_post_timeout_is_sixty_seconds(
    runtime: ProxiedRuntime, api: FakeRuntimeAPI, proxy: FaultProxy
) -> None:
    """Not in the default run (LAMBDAGO_SLOW_TESTS=1): a post never answered ends the
    runtime after POST_TIMEOUT_S = 60 s (checked in 20 s slices of SO_RCVTIMEO)."""
    _started(runtime)
    _served_one(runtime, api)
    proxy.faults.post_hang = True
    rid = api.add(b"1")
    started = time.monotonic()
    code, _out, err = runtime.wait_exit(timeout=120)
    waited = time.monotonic() - started
    assert code == 1
    assert 59 <= waited <= 85, waited
    assert (
        f"POST http://{proxy.address}/2018-06-01/runtime/invocation/{rid}/response failed: "
        "no answer within 60 s" in err
    )
