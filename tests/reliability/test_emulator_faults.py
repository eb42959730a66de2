"""The emulator hosting a runtime whose Runtime API misbehaves: the runtime ends as
documented, the emulator answers its caller with the right error and starts a fresh
runtime for the next invocation.

The real bootstrap runs under the emulator, but talks to the emulator's Runtime API
through tests/support/fault_proxy.py (a small wrapper points AWS_LAMBDA_RUNTIME_API at
the proxy before it execs ``python -m lambdago``).
"""

from __future__ import annotations

import pathlib
import sys
import time
from collections.abc import Iterator

import pytest

from lambdago.emulator import Emulator
from tests.runtime.conftest import ROOT
from tests.support.fault_proxy import FaultProxy

from .conftest import wait_for

APP = """
def handler(ctx, event):
    return {"event": event, "request_id": ctx.aws_request_id}
"""

WRAPPER = """
import os, sys
os.environ["AWS_LAMBDA_RUNTIME_API"] = os.environ["FAULT_PROXY"]
os.execv(sys.executable, [sys.executable, "-m", "lambdago", "app.handler"])
"""


@pytest.fixture
def hosted(tmp_path: pathlib.Path) -> Iterator[tuple[Emulator, FaultProxy]]:
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "wrapper.py").write_text(WRAPPER)
    with FaultProxy() as proxy:
        emu = Emulator(
            [sys.executable, str(tmp_path / "wrapper.py")],
            task_root=tmp_path,
            env={"FAULT_PROXY": proxy.address, "PYTHONPATH": str(ROOT)},
            handler="app.handler",
            invoke_port=0,
            echo=None,
            timeout=2,
        )
        with emu:
            proxy.upstream = emu.runtime_api
            yield emu, proxy


def _ok(emu: Emulator, event: object) -> int:
    """Invoke successfully; returns the runtime's pid."""
    result = emu.invoke(repr(event).replace("'", '"'))
    assert result.status == 200 and result.function_error is None, result.payload
    assert result.json() == {"event": event, "request_id": result.request_id}
    return emu.processes[0]


def _exit_error(emu: Emulator, pipelined_post: bool = False) -> None:
    result = emu.invoke(b'"doomed"')
    assert result.status == 200
    assert result.function_error == "Unhandled"
    body = result.json()
    if pipelined_post and body["errorType"] == "Runtime.NoResponse":
        # The refused post carried the next GET /next (pipelining): the proxy, like any
        # Runtime API, serves it after its 500, and the emulator may see that /next before
        # the runtime's exit. Either way the invocation fails, and no other is lost.
        assert body["errorMessage"] == (
            f"RequestId: {result.request_id} Error: the runtime asked for the next "
            "invocation without posting a response or an error for this one"
        )
        return
    assert body["errorType"] == "Runtime.ExitError", body
    assert body["errorMessage"] == (
        f"RequestId: {result.request_id} Error: Runtime exited with error: exit status 1"
    )


@pytest.mark.parametrize("fault", ["cut_next_body", "post_status"])
def test_a_runtime_that_exits_on_a_fault_is_an_exit_error_then_restarted(
    hosted: tuple[Emulator, FaultProxy], fault: str
) -> None:
    emu, proxy = hosted
    first = _ok(emu, 1)
    setattr(proxy.faults, fault, 500 if fault == "post_status" else True)
    _exit_error(emu, pipelined_post=fault == "post_status")
    setattr(proxy.faults, fault, None if fault == "post_status" else False)
    if fault == "post_status":
        # The GET /next that the refused post carried may have been handed the next
        # invocation in the moment before the runtime hung up and exited: that one fails
        # as the runtime's exit (never silently), and the one after gets a fresh runtime.
        result = emu.invoke(b"2")
        if result.function_error is not None:
            assert result.json()["errorType"] == "Runtime.ExitError", result.payload
    second = _ok(emu, 2)
    assert second != first  # a fresh runtime


def test_a_reset_at_init_is_an_exit_error(hosted: tuple[Emulator, FaultProxy]) -> None:
    emu, proxy = hosted
    proxy.faults.reset_next = True
    _exit_error(emu)
    proxy.faults.reset_next = False
    _ok(emu, "recovered")


def test_a_post_never_answered_times_out_and_the_runtime_is_replaced(
    hosted: tuple[Emulator, FaultProxy],
) -> None:
    emu, proxy = hosted
    first = _ok(emu, 1)
    proxy.faults.post_hang = True
    started = time.monotonic()
    result = emu.invoke(b'"stuck"')
    assert time.monotonic() - started < 5
    assert result.function_error == "Unhandled"
    assert result.json()["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 2.00 seconds" in result.json()["errorMessage"]
    proxy.faults.post_hang = False
    assert _ok(emu, 2) != first


def test_an_answer_cut_after_the_response_arrived_still_answers_the_caller(
    hosted: tuple[Emulator, FaultProxy],
) -> None:
    """The emulator has the result; the runtime exits 1 on the cut answer to its post. The
    caller gets the result, and the next invocation a fresh runtime."""
    emu, proxy = hosted
    first = _ok(emu, 1)
    proxy.faults.cut_post_answer = True
    result = emu.invoke(b"2")
    assert result.function_error is None and result.json()["event"] == 2
    wait_for(lambda: first not in emu.processes, what="the runtime's exit")
    proxy.faults.cut_post_answer = False
    assert _ok(emu, 3) != first


def test_a_runtime_api_restart_between_invocations_is_survived(
    hosted: tuple[Emulator, FaultProxy],
) -> None:
    """The runtime reconnects and serves on (once its new /next has reached the emulator)."""
    emu, proxy = hosted
    first = _ok(emu, 1)
    wait_for(lambda: len(proxy.requests) >= 3, what="the runtime's /next")
    time.sleep(0.1)
    proxy.restart(listen_first=True)
    wait_for(lambda: len(proxy.requests) >= 4, what="the runtime's /next after the restart")
    time.sleep(0.2)
    assert _ok(emu, 2) == first  # the same runtime, reconnected
    assert _ok(emu, 3) == first


def test_an_invocation_is_not_given_to_a_closed_next(
    hosted: tuple[Emulator, FaultProxy],
) -> None:
    """Invoking right after the restart: the invocation must wait for the runtime's new
    /next rather than go to the old one, whose connection is closed."""
    emu, proxy = hosted
    first = _ok(emu, 1)
    wait_for(lambda: len(proxy.requests) >= 3, what="the runtime's /next")
    time.sleep(0.1)
    proxy.faults.next_delay = 0.5  # the runtime's new /next reaches the emulator late
    proxy.restart(listen_first=True)
    assert _ok(emu, 2) == first
