"""Small pieces of the emulator, without a server."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from typing import Any

import pytest

from lambdago.emulator import process
from lambdago.emulator.core import iso_now, new_trace_id

from .conftest import wait_gone


@pytest.mark.parametrize(
    ("handler", "command", "name"),
    [
        ("app.handler", [], "app"),
        ("pkg.module.handler", [], "module"),
        ("app:handler", [], "app"),
        ("src/hello.py:main", [], "hello"),
        ("docs/examples/hello.py:handler", [], "hello"),
        ("", ["/opt/bin/bootstrap"], "bootstrap"),
        ("weird name!.x", [], "weird-name"),
        ("", [], "function"),
    ],
)
def test_function_name_for(handler: str, command: list[str], name: str) -> None:
    assert process.function_name_for(handler, command) == name


def test_describe_exit() -> None:
    assert process.describe_exit(0) == "exit status 0"
    assert process.describe_exit(1) == "exit status 1"
    assert process.describe_exit(-signal.SIGKILL) == "signal: killed"
    assert process.describe_exit(-signal.SIGTERM) == "signal: terminated"
    assert process.describe_exit(-signal.SIGSEGV) == "signal: segmentation fault"


def test_runtime_environment_selection() -> None:
    parent = {
        "PATH": "/bin",
        "HOME": "/root",
        "PYTHONPATH": "/src",
        "LC_ALL": "C.UTF-8",
        "AWS_ACCESS_KEY_ID": "AKIA",
        "AWS_PROFILE": "dev",
        "GITHUB_TOKEN": "secret",
        "_HANDLER": "from.parent",
    }
    common: dict[str, Any] = {
        "handler": "app.handler",
        "task_root": "/task",
        "runtime_api": "127.0.0.1:1234",
        "function_name": "fn",
        "memory": 128,
        "region": "us-east-1",
        "parent_env": parent,
    }
    env = process.runtime_environment(
        user_env={"X": "1", "AWS_LAMBDA_RUNTIME_API": "ignored"}, **common
    )
    assert env["PATH"] == "/bin"
    assert env["HOME"] == "/root"
    assert env["PYTHONPATH"] == "/src"
    assert env["LC_ALL"] == "C.UTF-8"
    assert "AWS_ACCESS_KEY_ID" not in env
    assert "AWS_PROFILE" not in env
    assert "GITHUB_TOKEN" not in env
    assert env["AWS_CONFIG_FILE"] == env["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
    assert env["_HANDLER"] == "app.handler"
    assert env["AWS_LAMBDA_RUNTIME_API"] == "127.0.0.1:1234"  # never overridden
    assert env["X"] == "1"
    env = process.runtime_environment(
        user_env={"TZ": "Europe/Paris"}, pass_aws_credentials=True, **common
    )
    assert env["AWS_ACCESS_KEY_ID"] == "AKIA"
    assert env["AWS_PROFILE"] == "dev"
    assert "AWS_CONFIG_FILE" not in env
    assert env["TZ"] == "Europe/Paris"  # the user's --env wins


def test_log_stream_and_trace_formats() -> None:
    assert re.match(r"^\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}$", process.log_stream_name())
    assert re.match(
        r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$", new_trace_id()
    )
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", iso_now())


def test_max_memory() -> None:
    assert (process.max_memory_mb(os.getpid()) or 0) > 1
    assert process.max_memory_mb(2**22 + 12345) is None


def test_watchdog_kills_remembered_groups_when_its_pipe_closes() -> None:
    watchdog = process.Watchdog()
    assert watchdog.pid is not None
    kept = subprocess.Popen(["sleep", "60"], start_new_session=True)
    forgotten = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        watchdog.watch(kept.pid)
        watchdog.watch(forgotten.pid)
        watchdog.forget(forgotten.pid)
        time.sleep(0.1)
        watchdog.close()  # as if the emulator died: the pipe closes
        assert kept.wait(timeout=5) == -signal.SIGKILL
        assert forgotten.poll() is None
        assert wait_gone([watchdog.pid]) == []
    finally:
        for p in (kept, forgotten):
            p.kill()
            p.wait()
