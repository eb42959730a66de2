"""Bootstraps for the end-to-end tests: every behaviour runs against each of them.

* ``awslambdaric``: the official Python client, ``python -m awslambdaric app.handler``;
* ``lambdago``: ``python -m lambdago app.handler``; fails (never skips) while
  ``lambdago.__main__`` does not exist;
* ``node``: Node's official client (npm ``aws-lambda-ric``), installed once into
  ``$LAMBDAGO_TEST_NODE_CACHE`` (default ``~/.cache/lambdago-tests/node``); skipped with
  the reason when ``node``/``npm`` are absent, failed with npm's output when the install
  fails;
* ``raw``: an executable ``bootstrap`` written by hand against the Runtime API.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from lambdago.emulator import Emulator

HERE = pathlib.Path(__file__).resolve().parent
FUNCTIONS = HERE / "functions"
PYTHON = sys.executable
NODE_RIC_SPEC = "aws-lambda-ric@3"  # 3.x supports Node 20; 4.x wants Node 22
BOOTSTRAPS = ["awslambdaric", "lambdago", "node", "raw"]


@dataclass
class Bootstrap:
    """A runtime to host, and where its function lives."""

    name: str
    command: list[str]
    task_root: pathlib.Path
    error_type: str  # what a handler's ValueError("boom") is reported as
    env: dict[str, str] = field(default_factory=dict)

    def emulator(self, **options: Any) -> Emulator:
        env = dict(self.env)
        env.update(options.pop("env", {}))
        options.setdefault("invoke_port", 0)
        options.setdefault("echo", None)
        return Emulator(self.command, task_root=self.task_root, env=env, **options)


def node_ric(cache: pathlib.Path | None = None) -> pathlib.Path:
    """The path of Node's runtime interface client, installing it on first use."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed: Node's runtime interface client is not tested")
    cache = (
        cache
        or pathlib.Path(
            os.environ.get("LAMBDAGO_TEST_NODE_CACHE", "~/.cache/lambdago-tests/node")
        ).expanduser()
    )
    entry = cache / "node_modules" / "aws-lambda-ric" / "bin" / "index.mjs"
    if entry.exists():
        return entry
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one install at a time across test processes
        if not entry.exists():
            result = subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", NODE_RIC_SPEC],
                cwd=cache,
                capture_output=True,
                text=True,
                timeout=900,
            )
            if result.returncode != 0 or not entry.exists():
                pytest.fail(
                    f"npm install {NODE_RIC_SPEC} failed (exit {result.returncode}); it builds "
                    "native code and needs cmake, g++, make, autoconf, automake and libtool:\n"
                    f"{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
                )
    return entry


def make_bootstrap(name: str, root: pathlib.Path) -> Bootstrap:
    root.mkdir(parents=True, exist_ok=True)
    if name == "awslambdaric":
        shutil.copy(FUNCTIONS / "app.py", root / "app.py")
        return Bootstrap(name, [PYTHON, "-m", "awslambdaric", "app.handler"], root, "ValueError")
    if name == "lambdago":
        if importlib.util.find_spec("lambdago.__main__") is None:
            pytest.fail("`python -m lambdago` does not exist yet (no lambdago/__main__.py)")
        shutil.copy(FUNCTIONS / "app.py", root / "app.py")
        return Bootstrap(name, [PYTHON, "-m", "lambdago", "app.go_handler"], root, "ValueError")
    if name == "node":
        entry = node_ric()
        shutil.copy(FUNCTIONS / "app.js", root / "app.js")
        return Bootstrap(name, ["node", str(entry), "app.handler"], root, "Error")
    if name == "raw":
        bootstrap = root / "bootstrap"
        bootstrap.write_text(f"#!{PYTHON}\n" + (FUNCTIONS / "raw_bootstrap.py").read_text())
        bootstrap.chmod(0o755)
        return Bootstrap(name, [str(bootstrap)], root, "Function.Boom")
    raise ValueError(name)


@pytest.fixture(params=BOOTSTRAPS)
def bootstrap(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Bootstrap:
    return make_bootstrap(request.param, tmp_path / "task")


@pytest.fixture
def python_bootstrap(tmp_path: pathlib.Path) -> Bootstrap:
    """awslambdaric only: for behaviours of the emulator that do not depend on the runtime."""
    return make_bootstrap("awslambdaric", tmp_path / "task")


@pytest.fixture
def raw_bootstrap(tmp_path: pathlib.Path) -> Bootstrap:
    return make_bootstrap("raw", tmp_path / "task")


# -- process checks ---------------------------------------------------------------------------


def gone(pid: int) -> bool:
    """The process does not exist any more (a zombie counts as gone: it runs nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("State:"):
                return "Z" in line.split()[1]
    return False


def wait_gone(pids: list[int], timeout: float = 5.0) -> list[int]:
    """Wait until every pid is gone; returns those still alive after ``timeout``."""
    deadline = time.monotonic() + timeout
    alive = [p for p in pids if not gone(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.02)
        alive = [p for p in alive if not gone(p)]
    return alive


@pytest.fixture
def reap_strays() -> Iterator[list[int]]:
    """Pids a test wants killed if the test fails before they are gone."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


ROOT_DIR = HERE.parent.parent
