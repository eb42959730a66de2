"""The whole benchmark suite in one command: measurements, a results file, charts, the report.

    python benchmarks/run_all.py [--quick] [--out-dir benchmarks/results] [--only SUITES]

Runs each benchmark script of this folder as a subprocess with ``--out`` (so each suite
is exactly what its own script measures, and can be re-run alone), then writes

* ``<out-dir>/<step>.json`` and ``<out-dir>/<step>.log``: each step's figures and output;
* ``<out-dir>/results.json``: every step's figures, the machine, the interpreter, the
  bytecode state, the command, and the targets met or not;
* ``<out-dir>/*.png``: the charts (matplotlib, the ``bench`` extra);
* ``docs/performance.md`` (``--report``), filled from ``benchmarks/performance.md.in``,
  with the charts copied to ``docs/assets/performance/``, so that the page's figures and
  charts always come from one results file.

Suites (``--only runtime,events``): ``runtime`` (CPU per invocation, init and peak RSS
against awslambdaric and the raw-socket floor, unpinned and pinned to one CPU), ``events``
(typed decoding and encoding against orjson and pydantic), ``package`` (hello-world
package size, init with and without bytecode), ``emulator`` (latency the local emulator
adds), ``concurrency`` (``concurrency_bench.py``, when it exists). A step whose results
file exists is kept as it is by ``--resume``; suites not selected keep their previous
results, so a long run can be finished in pieces. ``--report-only`` redraws the charts
and the page from the results already there.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import pathlib
import platform
import shlex
import shutil
import string
import subprocess
import sys
import time
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATE = HERE / "performance.md.in"
DEFAULT_REPORT = ROOT / "docs" / "performance.md"
SUITES = ("runtime", "events", "package", "emulator", "concurrency")

# What the report states next to the figures.
HELLO_PACKAGE_LIMIT = 1_500_000  # bytes: "at most 1.5 MB", read as 10^6 bytes (stricter)


class Step:
    """One benchmark script run: its command (without ``--out``) for a quick or full run."""

    def __init__(self, name: str, suite: str, script: str, quick: list[str], full: list[str]):
        self.name = name
        self.suite = suite
        self.script = script
        self.quick = quick
        self.full = full

    def command(self, python: str, quick: bool, out: pathlib.Path) -> list[str]:
        args = self.quick if quick else self.full
        return [python, str(HERE / self.script), *args, "--out", str(out)]

    def supported(self, python: str) -> str | None:
        """Why this step cannot run, or None. (Scripts written elsewhere may lack options.)"""
        path = HERE / self.script
        if not path.exists():
            return f"{self.script} does not exist"
        if self.suite != "concurrency":
            return None
        done = subprocess.run([python, str(path), "--help"], capture_output=True, text=True)
        if "--out" not in done.stdout:
            return f"{self.script} has no --out option"
        if "--quick" not in done.stdout:
            self.quick = []
        return None


STEPS = [
    Step(
        "runtime-unpinned",
        "runtime",
        "runtime_bench.py",
        ["--rounds", "2", "--invocations", "400", "--warmup", "100", "--init-runs", "5"],
        ["--rounds", "5", "--invocations", "5000", "--warmup", "300", "--init-runs", "15"],
    ),
    Step(
        "runtime-pinned",
        "runtime",
        "runtime_bench.py",
        ["--pin", "--rounds", "2", "--invocations", "400", "--warmup", "100", "--init-runs", "5"],
        ["--pin", "--rounds", "5", "--invocations", "5000", "--warmup", "300", "--init-runs", "15"],
    ),
    Step("events", "events", "events_bench.py", ["--quick"], []),
    Step("package", "package", "package_init.py", ["-n", "6"], ["-n", "30"]),
    Step(
        "emulator-lambdago",
        "emulator",
        "emulator_latency.py",
        ["--bootstrap", "lambdago", "-n", "600", "--warmup", "100"],
        ["--bootstrap", "lambdago", "-n", "3000", "--warmup", "300"],
    ),
    Step(
        "emulator-awslambdaric",
        "emulator",
        "emulator_latency.py",
        ["--bootstrap", "awslambdaric", "-n", "600", "--warmup", "100"],
        ["--bootstrap", "awslambdaric", "-n", "3000", "--warmup", "300"],
    ),
    Step("concurrency", "concurrency", "concurrency_bench.py", ["--quick"], []),
]


# -- the machine, the interpreter, the bytecode --------------------------------------------------


def cpu_model() -> str:
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> float | None:
    try:
        for line in pathlib.Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def versions() -> dict[str, str]:
    out = {}
    for name in (
        "lambdago",
        "awslambdaric",
        "orjson",
        "attrs",
        "cattrs",
        "pydantic",
        "pydantic-core",
        "matplotlib",
    ):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


# Packages whose bytecode the runtime and package benchmarks load: lambdago itself, its
# dependencies, and the official client.
BYTECODE_PACKAGES = ("lambdago", "attrs", "attr", "cattrs", "typing_extensions", "awslambdaric")


def package_paths() -> dict[str, pathlib.Path]:
    import importlib.util

    out = {}
    for name in BYTECODE_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        origin = pathlib.Path(spec.origin)
        out[name] = origin.parent if origin.name == "__init__.py" else origin
    return out


def _pyc_fresh(source: pathlib.Path) -> bool:
    import importlib.util

    cached = pathlib.Path(importlib.util.cache_from_source(str(source)))
    try:
        head = cached.read_bytes()[:16]
        st = source.stat()
    except OSError:
        return False
    if len(head) < 16 or head[:4] != importlib.util.MAGIC_NUMBER:
        return False
    flags = int.from_bytes(head[4:8], "little")
    if flags & 1:  # hash-based: valid as long as it exists (unchecked) or matches
        return True
    mtime = int.from_bytes(head[8:12], "little")
    size = int.from_bytes(head[12:16], "little")
    return mtime == int(st.st_mtime) & 0xFFFFFFFF and size == st.st_size & 0xFFFFFFFF


def bytecode_state() -> dict[str, dict[str, int]]:
    """For each package: how many of its modules have up-to-date bytecode for this Python."""
    out = {}
    for name, path in package_paths().items():
        sources = [path] if path.is_file() else sorted(path.rglob("*.py"))
        sources = [s for s in sources if s.suffix == ".py"]
        out[name] = {"modules": len(sources), "fresh": sum(_pyc_fresh(s) for s in sources)}
    return out


def precompile() -> None:
    """Compile every module the benchmarks import, so no run pays for compiling.

    Needed where ``PYTHONDONTWRITEBYTECODE`` is set (imports then write nothing) and for a
    fresh checkout; ``compileall`` writes regardless of that variable.
    """
    import compileall

    for path in package_paths().values():
        if path.is_dir():
            compileall.compile_dir(str(path), quiet=1)
        else:
            compileall.compile_file(str(path), quiet=1)


def environment_facts(args: argparse.Namespace, command: str) -> dict[str, Any]:
    now = datetime.datetime.now(datetime.UTC)
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return {
        "date": now.strftime("%Y-%m-%d"),
        "time_utc": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "quick": args.quick,
        "machine": {
            "cpu": cpu_model(),
            "vcpus": os.cpu_count(),
            "memory_gib": memory_gib(),
            "arch": platform.machine(),
            "os": platform.platform(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "python": {
            "executable": sys.executable,
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "build": " ".join(platform.python_build()),
        },
        "environment": {
            "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", ""),
        },
        "precompiled": not args.no_precompile,
        "bytecode": bytecode_state(),
        "packages": versions(),
        "git": {"commit": git("rev-parse", "HEAD"), "dirty": bool(dirty)},
    }


# -- running the steps -----------------------------------------------------------------------------


def run_step(step: Step, args: argparse.Namespace, state: dict[str, Any]) -> None:
    out_dir: pathlib.Path = args.out_dir
    final = out_dir / f"{step.name}.json"
    tmp = out_dir / f"{step.name}.json.tmp"
    log = out_dir / f"{step.name}.log"
    cmd = step.command(sys.executable, args.quick, tmp)
    print(f"run_all: {step.name}: {shlex.join(cmd)}", flush=True)
    started = time.monotonic()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p
    )  # the checkout's lambdago, whatever is installed
    with open(log, "w") as log_file:
        done = subprocess.run(cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    seconds = round(time.monotonic() - started, 1)
    record: dict[str, Any] = {
        "command": shlex.join(["python", os.path.relpath(cmd[1], ROOT), *cmd[2:-2]]),
        "seconds": seconds,
        "quick": args.quick,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d"),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    if done.returncode == 0 and tmp.exists():
        tmp.replace(final)
        record["status"] = "ok"
        print(f"run_all: {step.name}: done in {seconds} s", flush=True)
    else:
        record["status"] = "failed"
        record["exit_status"] = done.returncode
        tail = log.read_text(errors="replace").splitlines()[-15:]
        print(f"run_all: {step.name}: FAILED (exit {done.returncode}); see {log}", flush=True)
        print("\n".join("    " + line for line in tail), flush=True)
    state["steps"][step.name] = record
    save_json(out_dir / "run.json", state)


def save_json(path: pathlib.Path, value: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, indent=2) + "\n")
    tmp.replace(path)


def load_json(path: pathlib.Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


# -- collecting results and judging the targets -----------------------------------------------


def median(values: list[float]) -> float:
    import statistics

    return statistics.median(values) if values else float("nan")


def collect(out_dir: pathlib.Path, state: dict[str, Any]) -> dict[str, Any]:
    results: dict[str, Any] = {
        "meta": state.get("meta", {}),
        "invocations": state.get("invocations", []),
        "steps": state.get("steps", {}),
    }
    runtime = {}
    for mode in ("unpinned", "pinned"):
        data = load_json(out_dir / f"runtime-{mode}.json")
        if data:
            runtime[mode] = data
    if runtime:
        results["runtime"] = runtime
    events = load_json(out_dir / "events.json")
    if events:
        results["events"] = events
    package = load_json(out_dir / "package.json")
    if package:
        results["package"] = package
    emulator = {}
    for bootstrap in ("lambdago", "awslambdaric"):
        data = load_json(out_dir / f"emulator-{bootstrap}.json")
        if data:
            emulator[bootstrap] = data
    if emulator:
        results["emulator"] = emulator
    concurrency = load_json(out_dir / "concurrency.json")
    if concurrency:
        results["concurrency"] = concurrency
    results["targets"] = targets(results)
    return results


def _target(
    area: str,
    target: str,
    where: str,
    measured: float,
    limit: float,
    shown: str,
    *,
    strict: bool = False,
) -> dict[str, Any]:
    met = measured < limit if strict else measured <= limit
    return {
        "area": area,
        "target": target,
        "where": where,
        "measured": shown,
        "ratio_to_limit": measured / limit if limit else float("nan"),
        "met": bool(met),
    }


def _within_twice(
    area: str, floor: str, rows: list[dict[str, Any]], columns: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """The targets "at most 2x ``orjson.<floor>``", one per ratio column (with what it
    measured) present in the event rows, judged on the median of the per-event ratios."""
    out = []
    for column, where in columns:
        ratios = [r[column] for r in rows if column in r]
        if not ratios:
            continue
        value = median(ratios)
        within = sum(v <= 2 for v in ratios)
        out.append(
            _target(
                area,
                f"at most 2x `orjson.{floor}` (median over events)",
                f"{len(ratios)} events{where}",
                value,
                2.0,
                f"{value:.2f}x; {within} of {len(ratios)} events within 2x",
            )
        )
    return out


def init_contenders(init: dict[str, Any]) -> list[str]:
    return [name for name in init if name.startswith("lambdago typed")]


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for mode, data in results.get("runtime", {}).items():
        for size, rows in data.get("cpu", {}).items():
            if not {"lambdago", "awslambdaric", "floor"} <= set(rows):
                continue
            ours = median(rows["lambdago"]["cpu_us"])
            ric = median(rows["awslambdaric"]["cpu_us"])
            floor = median(rows["floor"]["cpu_us"])
            where = f"{size} event, {mode}"
            out.append(
                _target(
                    "runtime CPU",
                    "at most ½ of awslambdaric's",
                    where,
                    ours,
                    ric / 2,
                    f"{ours:.1f} µs vs {ric:.1f} µs ({ours / ric:.2f}x)",
                )
            )
            out.append(
                _target(
                    "runtime CPU",
                    "within 1.3x of the floor",
                    where,
                    ours,
                    floor * 1.3,
                    f"{ours:.1f} µs vs {floor:.1f} µs ({ours / floor:.2f}x)",
                )
            )
        init = data.get("init", {})
        bare = init.get("python -c pass", {}).get("exit_ms")
        ric_dict = init.get("awslambdaric dict", {}).get("first_next_ms")
        for name in init_contenders(init):
            ours = median(init[name]["first_next_ms"])
            label = name.removeprefix("lambdago ")
            # Like with like: awslambdaric running the same user module (its imports and
            # classes) where the run has it; the SQSEvent handler's module imports nothing,
            # so there the dict handler is the same user code.
            same = init.get("awslambdaric " + label.split(",")[0], {}).get("first_next_ms")
            ric_init = same or ric_dict
            if ric_init:
                ric = median(ric_init)
                detail = f"{ours:.1f} ms vs {ric:.1f} ms"
                if same and ric_dict:
                    detail += f" (same module; {median(ric_dict):.1f} ms with a dict handler)"
                out.append(
                    _target(
                        "init",
                        "below awslambdaric's",
                        f"{label}, {mode}",
                        ours,
                        ric,
                        detail,
                        strict=True,
                    )
                )
            if bare:
                floor = median(bare)
                out.append(
                    _target(
                        "init",
                        "within 30 ms of `python -c pass`",
                        f"{label}, {mode}",
                        ours,
                        floor + 30,
                        f"{ours:.1f} ms vs {floor:.1f} ms (+{ours - floor:.1f} ms)",
                    )
                )
        for size, rows in data.get("cpu", {}).items():
            if {"lambdago", "awslambdaric"} <= set(rows):
                ours = median(rows["lambdago"]["peak_rss_kb"]) / 1024
                ric = median(rows["awslambdaric"]["peak_rss_kb"]) / 1024
                out.append(
                    _target(
                        "peak RSS",
                        "below awslambdaric's",
                        f"{size} event, {mode}",
                        ours,
                        ric,
                        f"{ours:.1f} MB vs {ric:.1f} MB",
                        strict=True,
                    )
                )
    rows = results.get("events", {}).get("rows", [])
    if rows:
        decoding = [("decode_ratio", ""), ("decode_lazy_ratio", ", `lazy=True` (opt-in)")]
        out += _within_twice("typed decode", "loads", rows, decoding)
        compared = [r["vs_pydantic_decode"] for r in rows if "vs_pydantic_decode" in r]
        if compared:
            vs = median(compared)
            faster = sum(v < 1 for v in compared)
            out.append(
                _target(
                    "typed decode",
                    "below pydantic (median over events)",
                    f"{len(compared)} events",
                    vs,
                    1.0,
                    f"{vs:.2f}x pydantic's time; faster on {faster} of {len(compared)}",
                    strict=True,
                )
            )
        encoding = [
            ("encode_ratio", ", decoded"),
            ("encode_lazy_ratio", ", decoded with `lazy=True`, unread"),
            ("encode_built_ratio", ", built in code"),
        ]
        out += _within_twice("encode", "dumps", rows, encoding)
    for bootstrap, data in results.get("emulator", {}).items():
        for mode, run in data.get("runs", {}).items():
            added = run["overhead_median_us"]
            out.append(
                _target(
                    "emulator",
                    "at most 1 ms median added latency",
                    f"{bootstrap} runtime, {mode}",
                    added,
                    1000.0,
                    f"{added:.0f} µs",
                )
            )
    sizes = results.get("package", {}).get("sizes", {})
    if "bytecode" in sizes:
        zipped = sizes["bytecode"]["zipped_bytes"]
        out.append(
            _target(
                "package",
                "hello-world package at most 1.5 MB",
                "zipped, with bytecode",
                zipped,
                HELLO_PACKAGE_LIMIT,
                f"{zipped / 1e6:.2f} MB ({zipped:,} bytes)",
            )
        )
    return out


# -- the report ----------------------------------------------------------------------------------


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}" if value == value else "n/a"


def iqr(values: list[float], digits: int = 1) -> str:
    import statistics

    if len(values) < 2:
        return "n/a"
    q = statistics.quantiles(values, n=4, method="inclusive")
    return f"{q[0]:.{digits}f}–{q[2]:.{digits}f}"


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def runtime_section(results: dict[str, Any]) -> str:
    runtime = results.get("runtime")
    if not runtime:
        return "*Not measured in this run.*"
    parts = []
    for mode, data in runtime.items():
        label = "pinned to one CPU (`--pin`)" if mode == "pinned" else "unpinned"
        rows = []
        for size, contenders in data.get("cpu", {}).items():
            ric = median(contenders.get("awslambdaric", {}).get("cpu_us", []))
            floor = median(contenders.get("floor", {}).get("cpu_us", []))
            for name, row in contenders.items():
                cpu = median(row["cpu_us"])
                rows.append(
                    [
                        f"{size} ({row['event_bytes']:,} B)",
                        f"**{name}**" if name == "lambdago" else name,
                        fmt(cpu),
                        iqr(row["cpu_us"]),
                        f"{cpu / ric:.2f}x" if ric == ric else "n/a",
                        f"{cpu / floor:.2f}x" if floor == floor else "n/a",
                        fmt(median(row["wall_us"])),
                        fmt(median(row["peak_rss_kb"]) / 1024),
                    ]
                )
        rounds = len(next(iter(data["cpu"].values()))["lambdago"]["cpu_us"]) if data["cpu"] else 0
        parts.append(
            f"**CPU per invocation and peak RSS, {label}** ({rounds} rounds, contenders "
            "alternating; spread is the interquartile range over rounds):\n\n"
            + md_table(
                [
                    "event",
                    "runtime",
                    "CPU µs/inv, median",
                    "spread",
                    "vs awslambdaric",
                    "vs floor",
                    "wall µs/inv",
                    "peak RSS MB",
                ],
                rows,
            )
        )
        init_rows = []
        init = data.get("init", {})
        bare = median(init.get("python -c pass", {}).get("exit_ms", []))
        for name, row in init.items():
            if "exit_ms" in row:
                init_rows.append(
                    [
                        f"`{name}` (to exit)",
                        fmt(median(row["exit_ms"])),
                        iqr(row["exit_ms"]),
                        "",
                        "",
                    ]
                )
                continue
            nxt = median(row["first_next_ms"])
            init_rows.append(
                [
                    f"**{name}**" if name.startswith("lambdago typed") else name,
                    fmt(nxt),
                    iqr(row["first_next_ms"]),
                    fmt(median(row["first_answer_ms"])),
                    f"+{nxt - bare:.1f}" if bare == bare else "",
                ]
            )
        runs = len(init.get("python -c pass", {}).get("exit_ms", []))
        parts.append(
            f"**Init, {label}** ({runs} cold starts each, alternating; ms from process start):"
            "\n\n"
            + md_table(
                ["runtime", "to first `/next`", "spread", "to first answer", "vs bare Python"],
                init_rows,
            )
        )
    return "\n\n".join(parts)


def events_section(results: dict[str, Any]) -> str:
    events = results.get("events")
    if not events:
        return "*Not measured in this run.*"
    rows = events["rows"]
    summary = events["summary"]

    def line(label: str, key: str, unit: str = "x") -> list[str]:
        values = [r[key] for r in rows if key in r]
        if not values:
            return [label, "n/a", "n/a", "n/a", "n/a", "0"]
        ordered = sorted(values)
        return [
            label,
            f"{median(values):.2f}{unit}",
            iqr(values, 2),
            f"{ordered[0]:.2f}{unit}",
            f"{ordered[-1]:.2f}{unit}",
            str(len(values)),
        ]

    for r in rows:
        if "pydantic_decode" in r:
            r["pyd_decode_ratio"] = r["pydantic_decode"] / r["loads"]
            r["pyd_encode_ratio"] = r["pydantic_encode"] / r["dumps"]
    table = md_table(
        ["ratio", "median", "spread (IQR)", "best", "worst", "events"],
        [
            line("lambdago decode / `orjson.loads`", "decode_ratio"),
            line("pydantic decode / `orjson.loads`", "pyd_decode_ratio"),
            line("lambdago decode / pydantic decode", "vs_pydantic_decode"),
            line("lambdago decode, `lazy=True` / `orjson.loads`", "decode_lazy_ratio"),
            line(
                "`lazy=True` decode + read all / eager decode + read all",
                "lazy_read_vs_eager_read",
            ),
            line("lambdago encode (decoded event) / `orjson.dumps`", "encode_ratio"),
            line("lambdago encode (built in code) / `orjson.dumps`", "encode_built_ratio"),
            line("lambdago encode (`lazy=True`, unread) / `orjson.dumps`", "encode_lazy_ratio"),
            line("pydantic encode / `orjson.dumps`", "pyd_encode_ratio"),
            line("lambdago encode / pydantic encode", "vs_pydantic_encode"),
        ],
    )
    errors = sum("pydantic_error" in r for r in rows)
    biggest = sorted(rows, key=lambda r: -r["bytes"])[:8]
    detail = md_table(
        [
            "event",
            "bytes",
            "`orjson.loads` µs",
            "lambdago decode µs",
            "pydantic µs",
            "`orjson.dumps` µs",
            "lambdago encode µs",
            "built in code µs",
        ],
        [
            [
                f"`{r['case'].split('/', 1)[-1]}` ({r['type']})",
                f"{r['bytes']:,}",
                fmt(r["loads"], 2),
                fmt(r["decode"], 2),
                fmt(r["pydantic_decode"], 2) if "pydantic_decode" in r else "n/a",
                fmt(r["dumps"], 2),
                fmt(r["encode"], 2),
                fmt(r["encode_built"], 2) if "encode_built" in r else "n/a",
            ]
            for r in biggest
        ],
    )
    note = (
        f" pydantic could not validate {errors} of them with a model of the same shape (its"
        " error is in the results file); they are left out of the pydantic ratios."
        if errors
        else ""
    )
    return (
        f"{summary['cases']} events: every event of the shared aws-lambda-go conformance corpus"
        " that decodes, and every sample event of `lambdago.events`. Each figure is the best of"
        " five timed batches, measured twice with the contenders alternating."
        + note
        + "\n\n"
        + table
        + "\n\nThe largest events, in microseconds per call:\n\n"
        + detail
    )


def package_section(results: dict[str, Any]) -> str:
    package = results.get("package")
    if not package:
        return "*Not measured in this run.*"
    sizes = package.get("sizes", {})
    size_rows = [
        [
            name,
            f"{s['zipped_bytes'] / 1e6:.2f} MB ({s['zipped_bytes']:,} B)",
            f"{s['unzipped_bytes'] / 1e6:.2f} MB",
            str(s["files"]),
        ]
        for name, s in sizes.items()
    ]
    run_rows = []
    for mode, runs in package.get("runs", {}).items():
        for name, r in runs.items():
            run_rows.append(
                [
                    mode,
                    name,
                    fmt(r["next_median_ms"]),
                    fmt(r["next_p90_ms"]),
                    fmt(r["answer_median_ms"]),
                    fmt(r["answer_p90_ms"]),
                ]
            )
    return (
        f"The hello-world function of `benchmarks/package_init.py`, packaged by `lambdago"
        f" package` for x86_64 and Python {package.get('python_version', '?')} (interpreter"
        f" `{package.get('python', '?')}`), with and without precompiled bytecode:\n\n"
        + md_table(["package", "zipped", "unzipped", "files"], size_rows)
        + f"\n\nIts `bootstrap` started as Lambda starts it ({package.get('n', '?')} runs of"
        " each variant, alternating), in ms from process start:\n\n"
        + md_table(
            ["run", "package", "to first `/next`, median", "p90", "to first answer", "p90"],
            run_rows,
        )
    )


def emulator_section(results: dict[str, Any]) -> str:
    emulator = results.get("emulator")
    if not emulator:
        return "*Not measured in this run.*"
    rows = []
    for bootstrap, data in emulator.items():
        for mode, r in data.get("runs", {}).items():
            rows.append(
                [
                    bootstrap,
                    mode,
                    str(int(r["n"])),
                    fmt(r["rtt_median_us"], 0),
                    fmt(r["rtt_p99_us"], 0),
                    fmt(r["runtime_median_us"], 0),
                    f"**{fmt(r['overhead_median_us'], 0)}**",
                    fmt(r["overhead_p99_us"], 0),
                ]
            )
    return md_table(
        [
            "runtime",
            "run",
            "invocations",
            "round trip median µs",
            "p99",
            "in the runtime, median µs",
            "added by the emulator, median µs",
            "p99",
        ],
        rows,
    )


def concurrency_section(results: dict[str, Any], out_dir: pathlib.Path) -> str:
    if "concurrency" not in results:
        if (HERE / "concurrency_bench.py").exists():
            return "*Not measured in this run.*"
        return "*`benchmarks/concurrency_bench.py` does not exist yet.*"
    log = out_dir / "concurrency.log"
    lines = log.read_text().splitlines() if log.exists() else []
    # The script's own Markdown summary: its heading's text, then what follows it.
    start = next((i for i, line in enumerate(lines) if line.startswith("## ")), None)
    if start is not None:
        heading = lines[start].lstrip("# ").strip()
        body = "\n".join(lines[start + 1 :]).strip()
        return f"`benchmarks/concurrency_bench.py`: {heading}.\n\n{body}"
    table = [line for line in lines if line.startswith("|")]
    if table:
        return "From `benchmarks/concurrency_bench.py`'s own summary:\n\n" + "\n".join(table)
    return "See `concurrency.json` in the results folder."


def targets_section(results: dict[str, Any]) -> str:
    rows = [
        [
            t["area"],
            t["target"],
            t["where"],
            t["measured"],
            "**met**" if t["met"] else "**not met**",
        ]
        for t in results["targets"]
    ]
    if not rows:
        return "*No targets could be judged: nothing was measured.*"
    met = sum(t["met"] for t in results["targets"])
    return f"{met} of {len(rows)} met in this run.\n\n" + md_table(
        ["area", "target", "where", "measured", ""], rows
    )


def steps_section(results: dict[str, Any]) -> str:
    invocations = results.get("invocations", [])
    intro = ""
    if len(invocations) > 1:
        intro = (
            "The results were measured by these commands, in turn (each step below by one"
            " of them):\n\n"
            + "\n".join(f"- `{i['command']}` ({i['time_utc']})" for i in invocations)
            + "\n\n"
        )
    rows = []
    for name, step in results.get("steps", {}).items():
        rows.append(
            [
                name,
                step["status"],
                step.get("date", ""),
                "quick" if step.get("quick") else "full",
                fmt(step.get("seconds", float("nan")), 0),
                f"`{step.get('command', '')}`",
            ]
        )
    return intro + md_table(["step", "status", "date", "mode", "seconds", "command"], rows)


def bytecode_text(meta: dict[str, Any]) -> str:
    state = meta.get("bytecode", {})
    parts = [f"{name} {s['fresh']}/{s['modules']}" for name, s in state.items()]
    how = (
        "compiled by `run_all.py` (`compileall`) before measuring"
        if meta.get("precompiled")
        else "left as found (`--no-precompile`)"
    )
    env = meta.get("environment", {}).get("PYTHONDONTWRITEBYTECODE") or "unset"
    return (
        f"{how}; modules with up-to-date bytecode: {', '.join(parts)}. "
        f"`PYTHONDONTWRITEBYTECODE` was {'`' + env + '`' if env != 'unset' else 'unset'} in"
        " the calling environment; the runtime benchmark starts its runtimes with a clean"
        " environment (without it), and packages carry their own bytecode or none."
    )


def write_report(results: dict[str, Any], out_dir: pathlib.Path, report: pathlib.Path) -> None:
    import charts

    assets = report.parent / "assets" / "performance"
    assets.mkdir(parents=True, exist_ok=True)
    drawn = charts.draw_all(results, out_dir)
    for path in drawn.values():
        shutil.copyfile(path, assets / path.name)
    shutil.copyfile(out_dir / "results.json", assets / "results.json")
    rel = os.path.relpath(assets, report.parent).replace(os.sep, "/")

    def chart(key: str, alt: str) -> str:
        if key not in drawn:
            return ""
        return f"![{alt}]({rel}/{drawn[key].name})"

    meta = results["meta"]
    machine = meta.get("machine", {})
    py = meta.get("python", {})
    quick = meta.get("quick", False)
    any_quick = quick or any(s.get("quick") for s in results.get("steps", {}).values())
    banner = (
        '!!! warning "A quick run"\n'
        "    These figures come from `run_all.py --quick` on a shared, noisy machine: fewer"
        " rounds, invocations and cold starts than the full suite, with other work running."
        " They show that the pipeline works and roughly where lambdago stands; they are not the"
        " reference figures. Run the full suite on a quiet machine for those (see"
        " [Reproducing](#reproducing))."
        if any_quick
        else '!!! note "A full run"\n'
        "    These figures come from the full suite (`run_all.py` without `--quick`)."
    )
    values = {
        "banner": banner,
        "date": meta.get("date", "?"),
        "time_utc": meta.get("time_utc", "?"),
        "cpu": machine.get("cpu", "?"),
        "vcpus": str(machine.get("vcpus", "?")),
        "memory": f"{machine.get('memory_gib', '?')} GiB",
        "os": machine.get("os", "?"),
        "load": ", ".join(str(x) for x in machine.get("load_average", [])),
        "python": f"{py.get('implementation', '')} {py.get('version', '?')}",
        "python_executable": py.get("executable", "?"),
        "packages": ", ".join(f"{k} {v}" for k, v in meta.get("packages", {}).items()),
        "commit": (meta.get("git", {}).get("commit", "") or "?")[:12]
        + (" (with uncommitted changes)" if meta.get("git", {}).get("dirty") else ""),
        "command": meta.get("command", "python benchmarks/run_all.py"),
        "bytecode": bytecode_text(meta),
        "summary_chart": chart(
            "summary", "Each target: the measured value as a share of its limit"
        ),
        "targets": targets_section(results),
        "runtime_chart": chart("runtime_cpu", "CPU per invocation by runtime"),
        "init_chart": chart("init", "Init time by runtime"),
        "rss_chart": chart("rss", "Peak RSS by runtime"),
        "runtime": runtime_section(results),
        "events_chart": chart("events", "Decode and encode time as a multiple of orjson"),
        "events": events_section(results),
        "package_chart": chart("package", "Package size and init with and without bytecode"),
        "package": package_section(results),
        "emulator_chart": chart("emulator", "Latency added by the emulator"),
        "emulator": emulator_section(results),
        "concurrency": concurrency_section(results, out_dir),
        "steps": steps_section(results),
        "out_dir": os.path.relpath(out_dir, ROOT),
    }
    text = string.Template(TEMPLATE.read_text()).substitute(values)
    report.write_text(text)
    print(f"run_all: wrote {os.path.relpath(report, ROOT)} and {len(drawn)} charts", flush=True)


# -- main -------------------------------------------------------------------------------------------


def parse_only(text: str | None) -> set[str]:
    if not text:
        return set(SUITES)
    chosen = {part.strip() for part in text.split(",") if part.strip()}
    unknown = chosen - set(SUITES)
    if unknown:
        raise SystemExit(f"run_all: unknown suite(s): {', '.join(sorted(unknown))}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds: a minutes-long run")
    parser.add_argument("--out-dir", type=pathlib.Path, default=HERE / "results")
    parser.add_argument("--only", help=f"comma-separated suites, of: {', '.join(SUITES)}")
    parser.add_argument("--resume", action="store_true", help="skip steps already measured")
    parser.add_argument("--report-only", action="store_true", help="measure nothing")
    parser.add_argument("--report", type=pathlib.Path, default=DEFAULT_REPORT)
    parser.add_argument("--no-report", action="store_true", help="leave docs/ alone")
    parser.add_argument("--no-precompile", action="store_true", help="measure bytecode as found")
    args = parser.parse_args(argv)
    args.out_dir = args.out_dir.resolve()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    suites = parse_only(args.only)
    command = shlex.join(["python", "benchmarks/run_all.py", *(argv or sys.argv[1:])])

    state = load_json(args.out_dir / "run.json") or {}
    state.setdefault("steps", {})
    if not args.report_only:
        if not args.no_precompile:
            precompile()
        facts = environment_facts(args, command)
        invocation = {"command": command, "time_utc": facts["time_utc"]}
        if not state.get("meta") or (not args.resume and suites == set(SUITES)):
            # A series starts: the facts of this run describe the report.
            state["meta"] = facts
            state["invocations"] = [invocation]
        else:  # a resumed or partial run adds its steps to the series
            state.setdefault("invocations", []).append(invocation)
        save_json(args.out_dir / "run.json", state)
        for step in STEPS:
            if step.suite not in suites:
                continue
            why = step.supported(sys.executable)
            if why is not None:
                print(f"run_all: {step.name}: {why}; skipped", flush=True)
                continue
            done = args.out_dir / f"{step.name}.json"
            previous = state["steps"].get(step.name, {})
            if (
                args.resume
                and done.exists()
                and previous.get("status") == "ok"
                and previous.get("quick") == args.quick
            ):
                print(f"run_all: {step.name}: already measured; kept (--resume)", flush=True)
                continue
            run_step(step, args, state)
    elif not state.get("meta"):
        raise SystemExit(f"run_all: nothing measured yet in {args.out_dir}")

    results = collect(args.out_dir, state)
    save_json(args.out_dir / "results.json", results)
    print(f"run_all: wrote {args.out_dir / 'results.json'}", flush=True)
    for t in results["targets"]:
        mark = "met    " if t["met"] else "NOT MET"
        print(f"  {mark}  {t['area']}: {t['target']} [{t['where']}]: {t['measured']}")
    if not args.no_report:
        sys.path.insert(0, str(HERE))
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            print(
                "run_all: matplotlib is not installed (pip install -e '.[bench]'): the results"
                " are saved, but no charts and no report were made; then run --report-only",
                flush=True,
            )
            return 1
        write_report(results, args.out_dir, args.report.resolve())
    failed = [n for n, s in state["steps"].items() if s.get("status") != "ok"]
    return 1 if failed and not args.report_only else 0


if __name__ == "__main__":
    sys.exit(main())
