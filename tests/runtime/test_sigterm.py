"""Graceful shutdown (Go's WithEnableSIGTERM): the internal extension, and callbacks run on
SIGTERM, also while the runtime waits on /next. The real process, the fake Runtime API."""

from __future__ import annotations

import json
import pathlib
import signal
import sys
import time

import pytest

from tests.runtime.conftest import Runtime
from tests.support.fake_runtime_api import FakeRuntimeAPI

SCRIPT = """
    import asyncio, os, sys, time
    import lambdago

    OUT = os.environ["OUT"]

    def note(text):
        with open(OUT, "a") as f:
            f.write(text + "\\n")

    def first():
        note("first")

    def broken():
        raise RuntimeError("callback failed")

    async def third():
        await asyncio.sleep(0.01)
        note("third (async)")

    def handler(event):
        if event.get("sleep"):
            note("handler sleeping")
            time.sleep(event["sleep"])
        return "ok"

    async def async_handler(event):
        if event.get("sleep"):
            note("handler sleeping")
            await asyncio.sleep(event["sleep"])
        return "ok"

    if __name__ == "__main__":
        chosen = async_handler if os.environ.get("ASYNC") else handler
        lambdago.start(chosen, on_sigterm=[first, broken, third])
"""


def _wait(predicate: object, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > end:
            raise TimeoutError("condition not met")
        time.sleep(0.01)


def _lines(path: pathlib.Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.parametrize("handler_kind", ["sync", "async"])
def test_sigterm_while_waiting_on_next_runs_the_callbacks_then_exits(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path, handler_kind: str
) -> None:
    out = tmp_path / "out.txt"
    runtime.write(SCRIPT)
    env = {"OUT": str(out)}
    if handler_kind == "async":
        env["ASYNC"] = "1"
    proc = runtime.start(env=env, command=[sys.executable, "app.py"])
    assert api.wait_result(api.add(b"{}")).json() == "ok"
    _wait(lambda: api.next_calls >= 2)  # parked on /next again
    proc.send_signal(signal.SIGTERM)
    code, _out, err = runtime.wait_exit()
    assert code == 0
    # In order; a failing callback is logged and the next one still runs.
    assert _lines(out) == ["first", "third (async)"]
    assert "the SIGTERM callback broken failed" in err and "callback failed" in err
    # The extension was registered before the first /next, with no events, and its own
    # /event/next was sent (that is how an extension tells Lambda its init is done).
    paths = [r.path for r in api.requests]
    register = paths.index("/2020-01-01/extension/register")
    assert register < paths.index("/2018-06-01/runtime/invocation/next")
    rec = api.requests[register]
    assert rec.headers["lambda-extension-name"] == "lambdago-sigterm"
    assert json.loads(rec.body) == {"events": []}
    event_next = [r for r in api.requests if r.path == "/2020-01-01/extension/event/next"]
    assert len(event_next) == 1
    assert event_next[0].headers["lambda-extension-identifier"]


def test_sigterm_during_an_invocation_reports_it_and_exits(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    out = tmp_path / "out.txt"
    runtime.write(SCRIPT)
    proc = runtime.start(env={"OUT": str(out)}, command=[sys.executable, "app.py"])
    rid = api.add(b'{"sleep": 30}')
    _wait(lambda: "handler sleeping" in _lines(out))
    proc.send_signal(signal.SIGTERM)
    error = api.wait_result(rid)
    assert error.path.endswith("/error")
    assert error.json()["errorType"] == "Runtime.Terminated"
    code, _out, _err = runtime.wait_exit()
    assert code == 0
    assert _lines(out) == ["handler sleeping", "first", "third (async)"]


def test_sigterm_during_an_async_invocation_runs_async_callbacks_on_the_loop(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    out = tmp_path / "out.txt"
    runtime.write(SCRIPT)
    proc = runtime.start(env={"OUT": str(out), "ASYNC": "1"}, command=[sys.executable, "app.py"])
    rid = api.add(b'{"sleep": 30}')
    _wait(lambda: "handler sleeping" in _lines(out))
    proc.send_signal(signal.SIGTERM)
    error = api.wait_result(rid)
    assert error.json()["errorType"] == "Runtime.Terminated"
    code, _out, _err = runtime.wait_exit()
    assert code == 0
    assert _lines(out) == ["handler sleeping", "first", "third (async)"]


def test_on_sigterm_registration_for_the_generic_bootstrap(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    out = tmp_path / "out.txt"
    runtime.write(
        """
        import os
        import lambdago

        @lambdago.on_sigterm
        def flush():
            with open(os.environ["OUT"], "a") as f:
                f.write("flushed\\n")

        def handler(event):
            return "ok"
        """
    )
    proc = runtime.start(env={"OUT": str(out)})
    assert api.wait_result(api.add(b"{}")).json() == "ok"
    _wait(lambda: api.next_calls >= 2)
    proc.send_signal(signal.SIGTERM)
    code, _out, _err = runtime.wait_exit()
    assert code == 0
    assert _lines(out) == ["flushed"]
    assert "/2020-01-01/extension/register" in [r.path for r in api.requests]


def test_without_callbacks_no_extension_and_no_handler(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    runtime.write("def handler(event):\n    return 'ok'\n")
    proc = runtime.start()
    assert api.wait_result(api.add(b"{}")).json() == "ok"
    _wait(lambda: api.next_calls >= 2)
    proc.send_signal(signal.SIGTERM)
    code, _out, _err = runtime.wait_exit()
    assert code == -signal.SIGTERM  # the default action: nothing was installed
    assert not [r for r in api.requests if "/extension/" in r.path]


def test_a_failed_registration_is_a_warning(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    out = tmp_path / "out.txt"
    runtime.write(SCRIPT)
    api.faults.register_status = 403
    proc = runtime.start(env={"OUT": str(out)}, command=[sys.executable, "app.py"])
    assert api.wait_result(api.add(b"{}")).json() == "ok"
    _wait(lambda: api.next_calls >= 2)
    proc.send_signal(signal.SIGTERM)  # the handler is installed all the same
    code, _out, err = runtime.wait_exit()
    assert code == 0
    assert "could not register the internal extension" in err
    assert _lines(out) == ["first", "third (async)"]
