"""Runtime processes: environment, shutdown (SIGTERM/SIGKILL), no orphans, restarts."""

from __future__ import annotations

import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from lambdago.emulator import Emulator

from .conftest import PYTHON, Bootstrap, make_bootstrap, wait_gone


def _event(action: str, **fields: object) -> bytes:
    return json.dumps({"action": action, **fields}).encode()


RESERVED = [
    "AWS_LAMBDA_RUNTIME_API",
    "_HANDLER",
    "LAMBDA_TASK_ROOT",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "TZ",
    "PATH",
    "HOME",
    "MY_SETTING",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SHARED_CREDENTIALS_FILE",
    "SOME_PARENT_SECRET",
]


def test_runtime_environment(bootstrap: Bootstrap, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAPARENT")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "parent-secret")
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    monkeypatch.setenv("SOME_PARENT_SECRET", "do-not-pass")
    with bootstrap.emulator(
        memory=256, function_name="test-function", env={"MY_SETTING": "on"}
    ) as emu:
        env = emu.invoke(_event("env", names=RESERVED)).json()
        assert env["AWS_LAMBDA_RUNTIME_API"] == emu.runtime_api
        assert env["_HANDLER"] == (bootstrap.command[-1] if len(bootstrap.command) > 1 else "")
        assert env["LAMBDA_TASK_ROOT"] == str(bootstrap.task_root)
        assert env["AWS_LAMBDA_FUNCTION_NAME"] == "test-function"
        assert env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
        assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256"
        assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/test-function"
        assert re.match(
            r"^\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}$", env["AWS_LAMBDA_LOG_STREAM_NAME"]
        )
        assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "ap-south-1"
        assert env["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand"
        assert env["TZ"] == ":UTC"
        assert env["PATH"] == os.environ["PATH"]
        assert env["MY_SETTING"] == "on"
        # Not the parent's credentials, nor its other variables, unless asked.
        assert env["AWS_ACCESS_KEY_ID"] is None
        assert env["AWS_SECRET_ACCESS_KEY"] is None
        assert env["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
        assert env["SOME_PARENT_SECRET"] is None
    with bootstrap.emulator(pass_aws_credentials=True) as emu:
        env = emu.invoke(_event("env", names=RESERVED)).json()
        assert env["AWS_ACCESS_KEY_ID"] == "AKIAPARENT"
        assert env["AWS_SECRET_ACCESS_KEY"] == "parent-secret"
        assert env["AWS_SHARED_CREDENTIALS_FILE"] is None
        assert env["AWS_LAMBDA_FUNCTION_NAME"] == (
            "app" if bootstrap.name != "raw" else "bootstrap"
        )


def test_no_orphans_after_close(bootstrap: Bootstrap, reap_strays: list[int]) -> None:
    with bootstrap.emulator(concurrency=2) as emu:
        out = emu.invoke(_event("spawn")).json()
        pids = [out["pid"], out["child"]]
        reap_strays.extend(pids)
        assert emu.processes == [out["pid"]]
    assert wait_gone(pids, timeout=3.0) == []


@pytest.mark.parametrize("name", ["awslambdaric", "raw"])
def test_no_orphans_when_the_emulator_is_killed(
    name: str, tmp_path: pathlib.Path, reap_strays: list[int]
) -> None:
    """SIGKILL to the emulator itself: the death signal and the watchdog clean up, the
    grandchild included."""
    boot = make_bootstrap(name, tmp_path / "task")
    emulator = subprocess.Popen(
        [PYTHON, "-m", "lambdago.cli", "serve", "--port", "0", "--", *boot.command],
        cwd=boot.task_root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    reap_strays.append(emulator.pid)
    try:
        url = _wait_for_url(emulator)
        request = urllib.request.Request(url, data=_event("spawn"), method="POST")
        with urllib.request.urlopen(request, timeout=20) as response:
            out = json.loads(response.read())
        pids = [out["pid"], out["child"]]
        reap_strays.extend(pids)
        assert wait_gone(pids, timeout=0.2) == pids  # alive while the emulator is
        os.kill(emulator.pid, signal.SIGKILL)
        emulator.wait(timeout=5)
        assert wait_gone(pids, timeout=5.0) == []
    finally:
        emulator.kill()
        emulator.wait()
        assert emulator.stdout is not None
        emulator.stdout.close()


def _wait_for_url(proc: subprocess.Popen[str], timeout: float = 20.0) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"the emulator exited early ({proc.poll()})")
        match = re.search(r"invoke endpoint (http://\S+)", line)
        if match:
            return match.group(1)
    raise AssertionError("no invoke endpoint line")


def test_sigterm_then_sigkill_for_a_registered_runtime(
    raw_bootstrap: Bootstrap, tmp_path: pathlib.Path
) -> None:
    """A runtime that registered an extension gets SIGTERM (and its extension a SHUTDOWN
    event), then SIGKILL 500 ms later; this one ignores SIGTERM."""
    sigterm = tmp_path / "sigterm.log"
    events = tmp_path / "extension.log"
    env = {
        "REGISTER_EXTENSION": "SHUTDOWN",
        "RECORD_SIGTERM": str(sigterm),
        "EXTENSION_LOG": str(events),
    }
    emu = raw_bootstrap.emulator(env=env).start()
    try:
        pid = emu.invoke(_event("pid")).json()["pid"]
    finally:
        started = time.monotonic()
        emu.close()
        elapsed = time.monotonic() - started
    assert wait_gone([pid], timeout=1.0) == []
    assert 0.45 <= elapsed < 2.5, elapsed
    lines = sigterm.read_text().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("SIGTERM ")
    got = [json.loads(line) for line in events.read_text().splitlines()]
    assert len(got) == 1
    assert got[0]["eventType"] == "SHUTDOWN"
    assert got[0]["shutdownReason"] == "spindown"
    assert abs(got[0]["deadlineMs"] - float(lines[0].split()[1]) * 1000) < 1000


def test_sigterm_exit_ends_shutdown_early(raw_bootstrap: Bootstrap, tmp_path: pathlib.Path) -> None:
    sigterm = tmp_path / "sigterm.log"
    env = {
        "REGISTER_EXTENSION": "",
        "RECORD_SIGTERM": str(sigterm),
        "EXIT_ON_SIGTERM": "1",
        "EXTENSION_LOG": str(tmp_path / "ext.log"),
    }
    emu = raw_bootstrap.emulator(env=env).start()
    try:
        pid = emu.invoke(_event("pid")).json()["pid"]
    finally:
        started = time.monotonic()
        emu.close()
        elapsed = time.monotonic() - started
    assert elapsed < 0.45, elapsed
    assert sigterm.read_text().startswith("SIGTERM ")
    assert wait_gone([pid]) == []


def test_unregistered_runtime_gets_sigkill_only(
    python_bootstrap: Bootstrap, tmp_path: pathlib.Path
) -> None:
    sigterm = tmp_path / "sigterm.log"
    emu = python_bootstrap.emulator(env={"RECORD_SIGTERM": str(sigterm)}).start()
    try:
        pid = emu.invoke(_event("pid")).json()["pid"]
    finally:
        started = time.monotonic()
        emu.close()
        elapsed = time.monotonic() - started
    assert elapsed < 0.45, elapsed
    assert not sigterm.exists()
    assert wait_gone([pid]) == []


def test_extension_registration_closes_after_init(raw_bootstrap: Bootstrap) -> None:
    import http.client

    with raw_bootstrap.emulator() as emu:
        emu.invoke(_event("echo"))
        host, port = emu.runtime_api.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request(
            "POST",
            "/2020-01-01/extension/register",
            b'{"events":[]}',
            {"Lambda-Extension-Name": "late"},
        )
        resp = conn.getresponse()
        assert resp.status == 403
        assert json.loads(resp.read())["errorType"] == "Extension.RegistrationClosed"
        conn.request(
            "GET",
            "/2020-01-01/extension/event/next",
            headers={"Lambda-Extension-Identifier": "nope"},
        )
        resp = conn.getresponse()
        assert resp.status == 403
        assert json.loads(resp.read())["errorType"] == "Extension.UnknownExtensionIdentifier"
        conn.close()


def test_watch_restarts_the_runtime(python_bootstrap: Bootstrap) -> None:
    with python_bootstrap.emulator(watch=True, watch_interval=0.1) as emu:
        first = emu.invoke(_event("pid")).json()["pid"]
        time.sleep(0.3)
        (python_bootstrap.task_root / "helper.py").write_text("VALUE = 1\n")
        assert wait_gone([first], timeout=5.0) == []
        second = emu.invoke(_event("pid")).json()["pid"]
        assert second != first


def test_restart_runtimes_waits_for_a_busy_runtime(python_bootstrap: Bootstrap) -> None:
    import threading

    with python_bootstrap.emulator() as emu:
        first = emu.invoke(_event("pid")).json()["pid"]
        result: dict[str, object] = {}
        t = threading.Thread(
            target=lambda: result.update(r=emu.invoke(_event("sleep", seconds=0.5)))
        )
        t.start()
        time.sleep(0.2)
        emu.restart_runtimes()
        t.join()
        r = result["r"]
        assert r.function_error is None, r.payload  # type: ignore[attr-defined]
        assert wait_gone([first]) == []
        assert emu.invoke(_event("pid")).json()["pid"] != first


def test_init_timeout(raw_bootstrap: Bootstrap) -> None:
    with raw_bootstrap.emulator(init_timeout=0.5, env={"INIT_SLEEP": "30"}) as emu:
        started = time.monotonic()
        r = emu.invoke(_event("echo"))
        assert 0.45 <= time.monotonic() - started < 3
        body = r.json()
        assert r.function_error == "Unhandled"
        assert body["errorType"] == "Sandbox.Timedout"
        assert "Init timed out after 0.50 seconds" in body["errorMessage"]
        assert wait_gone(emu.processes) == []


def test_missing_bootstrap_and_task_root(tmp_path: pathlib.Path) -> None:
    with Emulator(
        [str(tmp_path / "no-such-bootstrap")], task_root=tmp_path, invoke_port=0, echo=None
    ) as emu:
        r = emu.invoke(b"{}")
        assert r.function_error == "Unhandled"
        body = r.json()
        assert body["errorType"] == "Runtime.InvalidEntrypoint"
        assert "no such file or directory" in body["errorMessage"]
    with Emulator([PYTHON, "-V"], task_root=tmp_path / "missing", invoke_port=0, echo=None) as emu:
        assert emu.invoke(b"{}").json()["errorType"] == "Runtime.InvalidWorkingDir"


def test_runtime_exiting_before_next_is_exit_error(tmp_path: pathlib.Path) -> None:
    with Emulator(
        [PYTHON, "-c", "import sys; sys.exit(3)"], task_root=tmp_path, invoke_port=0, echo=None
    ) as emu:
        r = emu.invoke(b"{}")
        assert r.json()["errorType"] == "Runtime.ExitError"
        assert "Runtime exited with error: exit status 3" in r.json()["errorMessage"]
        assert emu.invoke(b"{}").json()["errorType"] == "Runtime.ExitError"  # tried again


def test_echo_gets_platform_lines(python_bootstrap: Bootstrap, tmp_path: pathlib.Path) -> None:
    out = tmp_path / "echo.txt"
    with open(out, "w") as stream, python_bootstrap.emulator(echo=stream) as emu:
        rid = emu.invoke(_event("print", text="echoed-line")).request_id
    text = out.read_text()
    assert f"START RequestId: {rid} Version: $LATEST\n" in text
    assert "echoed-line\n" in text
    assert f"END RequestId: {rid}\n" in text
    assert re.search(rf"REPORT RequestId: {rid}\tDuration: [\d.]+ ms\t", text)


def test_python_api_rejects_bad_options(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError, match="empty"):
        Emulator([])
    with pytest.raises(ValueError, match="concurrency"):
        Emulator([PYTHON], concurrency=0)
    with pytest.raises(ValueError, match="timeouts"):
        Emulator([PYTHON], timeout=0)
    with Emulator([PYTHON], task_root=tmp_path, invoke_port=0, echo=None) as emu:
        taken = Emulator([PYTHON], invoke_port=emu.port, echo=None)
        with pytest.raises(OSError):  # the port is taken
            taken.start()
    assert sys.executable == PYTHON
