"""The short soak: benchmarks/soak.py with 10,000 invocations (the same mix as the
1,000,000-invocation run in docs/reliability.md) through `lambdago serve` and the real
bootstrap. Nothing lost or duplicated, every answer right; the runtime's and emulator's
file descriptors and threads flat after warm-up."""

from __future__ import annotations

import importlib.util
import pathlib
from typing import Any

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _soak_module() -> Any:
    spec = importlib.util.spec_from_file_location("soak", ROOT / "benchmarks" / "soak.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("soak")
    result: dict[str, Any] = _soak_module().run(
        10_000, sample_interval=0.1, csv_path=str(out / "soak.csv")
    )
    return result


def test_nothing_lost_or_duplicated(summary: dict[str, Any]) -> None:
    assert summary["answered"] == summary["invocations"] == 10_000
    assert summary["lost"] == summary["duplicated"] == summary["duplicate_request_ids"] == 0
    assert summary["distinct_request_ids"] == 10_000
    assert summary["mismatches"] == [] and summary["transport_errors"] == []
    assert summary["mix"] == {"small": 9000, "error": 500, "big_event": 400, "big_response": 100}
    assert len(summary["runtime_pids"]) == 1  # one runtime served them all


def test_fds_and_threads_flat(summary: dict[str, Any]) -> None:
    assert summary["samples"] >= 10
    for key in ("runtime_fds", "runtime_threads", "emulator_threads"):
        assert summary[key]["growth_after_warmup"] == 0, (key, summary[key])
    assert summary["emulator_fds"]["growth_after_warmup"] <= 1, summary["emulator_fds"]


def test_runtime_rss_flat_after_warmup(summary: dict[str, Any]) -> None:
    rss = summary["runtime_rss_kb"]
    assert rss["growth_after_warmup"] < 512, rss  # KB over 9,000 invocations


def test_rss_flat_with_one_trace_id_throughout(tmp_path: pathlib.Path) -> None:
    """The same trace id on every invocation (the path where glibc's setenv would reuse a
    value it has seen) keeps the RSS flat too: the trace variable is rewritten in place
    whatever the ids are (lambdago/runtime/trace_env.py)."""
    result = _soak_module().run(
        6_000,
        sample_interval=0.1,
        trace_header="Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
    )
    assert result["lost"] == result["duplicated"] == 0
    assert result["runtime_rss_kb"]["growth_after_warmup"] < 512, result["runtime_rss_kb"]
