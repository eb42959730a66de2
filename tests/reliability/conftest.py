"""Fixtures for the reliability tests: the real bootstrap behind a fault-injecting proxy."""

from __future__ import annotations

import os
import pathlib
import time
from collections.abc import Iterator

import pytest

from tests.runtime.conftest import Runtime
from tests.support.fake_runtime_api import FakeRuntimeAPI
from tests.support.fault_proxy import FaultProxy

SLOW = os.environ.get("LAMBDAGO_SLOW_TESTS") == "1"
slow = pytest.mark.skipif(
    not SLOW, reason="a slow test (about a minute): run with LAMBDAGO_SLOW_TESTS=1"
)


@pytest.fixture
def api() -> Iterator[FakeRuntimeAPI]:
    with FakeRuntimeAPI() as server:
        yield server


@pytest.fixture
def proxy(api: FakeRuntimeAPI) -> Iterator[FaultProxy]:
    with FaultProxy(api.address) as p:
        yield p


class ProxiedRuntime(Runtime):
    """A bootstrap whose AWS_LAMBDA_RUNTIME_API is the proxy."""

    def __init__(self, api: FakeRuntimeAPI, proxy: FaultProxy, task_root: pathlib.Path) -> None:
        super().__init__(api, task_root)
        self.proxy = proxy

    def start_proxied(
        self, handler: str = "app.handler", env: dict[str, str] | None = None
    ) -> None:
        self.start(handler, env={"AWS_LAMBDA_RUNTIME_API": self.proxy.address, **(env or {})})

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)


@pytest.fixture
def runtime(
    api: FakeRuntimeAPI, proxy: FaultProxy, tmp_path: pathlib.Path
) -> Iterator[ProxiedRuntime]:
    rt = ProxiedRuntime(api, proxy, tmp_path)
    yield rt
    rt.stop()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        stat = f.read()
    fields = stat[stat.rindex(b")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(predicate: object, timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.02)
