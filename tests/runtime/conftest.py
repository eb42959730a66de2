"""Running the real bootstrap (``python -m lambdago``) against a test Runtime API."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest

from tests.support.fake_runtime_api import FakeRuntimeAPI

ROOT = pathlib.Path(__file__).resolve().parents[2]


class Runtime:
    """A bootstrap process serving a function written into a temporary task root."""

    def __init__(self, api: FakeRuntimeAPI, task_root: pathlib.Path) -> None:
        self.api = api
        self.task_root = task_root
        self.proc: subprocess.Popen[bytes] | None = None

    def write(self, source: str, name: str = "app.py") -> None:
        (self.task_root / name).write_text(textwrap.dedent(source), encoding="utf-8")

    def start(
        self,
        handler: str = "app.handler",
        *,
        env: dict[str, str] | None = None,
        command: list[str] | None = None,
    ) -> subprocess.Popen[bytes]:
        full_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "AWS_LAMBDA_RUNTIME_API": self.api.address,
            "LAMBDA_TASK_ROOT": str(self.task_root),
            "_HANDLER": handler,
            "AWS_LAMBDA_FUNCTION_NAME": "test",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        }
        full_env.update(env or {})
        cmd = command or [sys.executable, "-m", "lambdago"]
        self.proc = subprocess.Popen(
            cmd, env=full_env, cwd=self.task_root, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        return self.proc

    def wait_exit(self, timeout: float = 20.0) -> tuple[int, str, str]:
        assert self.proc is not None
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out.decode(), err.decode()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


@pytest.fixture
def api() -> Iterator[FakeRuntimeAPI]:
    with FakeRuntimeAPI() as server:
        yield server


@pytest.fixture
def runtime(api: FakeRuntimeAPI, tmp_path: pathlib.Path) -> Iterator[Runtime]:
    rt = Runtime(api, tmp_path)
    yield rt
    rt.stop()
