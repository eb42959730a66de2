"""The benchmark report's charts, drawn from ``run_all.py``'s results with matplotlib.

Each function takes the results dict and an output folder and returns the PNG it wrote,
or None when the results lack what it shows. Bars are medians; whiskers span the lowest
to the highest sample (rounds, or cold starts), so the spread is visible at a glance.
"""

from __future__ import annotations

import pathlib
import statistics
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

COLORS = {
    "lambdago": "#1f6fb2",
    "awslambdaric": "#e07b24",
    "floor": "#8a8a8a",
    "pydantic": "#8e5cb5",
    "orjson": "#8a8a8a",
    "met": "#2e9d4f",
    "not met": "#cc3b33",
}
DPI = 110


def color_for(name: str) -> str:
    for key, value in COLORS.items():
        if name.startswith(key) or key in name:
            return value
    return "#5a9bd4"


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _whiskers(values: list[float]) -> tuple[float, float]:
    m = _median(values)
    return (m - min(values), max(values) - m) if values else (0.0, 0.0)


def _save(fig: Figure, out_dir: pathlib.Path, name: str) -> pathlib.Path:
    path = out_dir / f"{name}.png"
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def _label_bars(ax: Axes, bars: Any, values: list[float], fmt: str = "{:.0f}") -> None:
    for bar, value in zip(bars, values, strict=True):
        if value == value:
            ax.annotate(
                fmt.format(value),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7,
            )


def summary(results: dict[str, Any], out_dir: pathlib.Path) -> pathlib.Path | None:
    """Every target on one row: each measurement of it as a dot, at its share of the limit
    (left of 1 is met). Variants of a target (event sizes, pinned or not, handler types)
    share the row."""
    rows = results.get("targets", [])
    if not rows:
        return None
    names: list[str] = []
    for t in rows:
        name = f"{t['area']}: {t['target']}".replace("`", "")
        if name not in names:
            names.append(name)
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(names) + 1.3))
    ratios = [t["ratio_to_limit"] for t in rows]
    for i, name in enumerate(names):
        group = [t for t in rows if f"{t['area']}: {t['target']}".replace("`", "") == name]
        for j, t in enumerate(group):
            offset = (j - (len(group) - 1) / 2) * min(0.12, 0.6 / max(1, len(group)))
            ax.scatter(
                t["ratio_to_limit"],
                i + offset,
                s=42,
                color=COLORS["met"] if t["met"] else COLORS["not met"],
                edgecolor="white",
                linewidth=0.5,
                zorder=3,
            )
        met = sum(t["met"] for t in group)
        ax.annotate(
            f"{met}/{len(group)} met",
            (1, i),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.axvline(1.0, color="black", linewidth=1)
    ax.axvspan(min(min(ratios) / 1.3, 0.5), 1.0, color=COLORS["met"], alpha=0.06)
    ax.set_xscale("log")
    ticks = [
        t
        for t in (0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 20)
        if min(ratios) / 1.5 <= t <= max(ratios) * 1.5
    ]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_xlabel("measured / limit (log scale): left of the line is met")
    ax.set_title("Targets: one dot per measurement, green met, red not met")
    return _save(fig, out_dir, "summary")


def runtime_cpu(results: dict[str, Any], out_dir: pathlib.Path) -> pathlib.Path | None:
    """CPU per invocation: one panel per event size, runtimes unpinned and pinned."""
    runtime = results.get("runtime", {})
    if not runtime:
        return None
    modes = list(runtime)
    sizes = list(next(iter(runtime.values())).get("cpu", {}))
    if not sizes:
        return None
    fig, axes = plt.subplots(1, len(sizes), figsize=(4.6 * len(sizes), 3.8), squeeze=False)
    for ax, size in zip(axes[0], sizes, strict=True):
        contenders = list(runtime[modes[0]]["cpu"][size])
        width = 0.8 / len(modes)
        for j, mode in enumerate(modes):
            rows = runtime[mode]["cpu"].get(size, {})
            values = [rows.get(c, {}).get("cpu_us", []) for c in contenders]
            medians = [_median(v) for v in values]
            err = list(zip(*[_whiskers(v) for v in values], strict=True))
            xs = [i + (j - (len(modes) - 1) / 2) * width for i in range(len(contenders))]
            bars = ax.bar(
                xs,
                medians,
                width,
                yerr=err,
                capsize=3,
                color=[color_for(c) for c in contenders],
                alpha=1.0 if j == 0 else 0.55,
                hatch=None if j == 0 else "//",
                label=mode,
            )
            _label_bars(ax, bars, medians)
        ax.set_xticks(range(len(contenders)), contenders)
        event_bytes = runtime[modes[0]]["cpu"][size][contenders[0]]["event_bytes"]
        ax.set_title(f"{size} event ({event_bytes:,} B), echo handler", fontsize=10)
        ax.set_ylabel("CPU µs per invocation (median)")
        ax.legend(fontsize=8, title="solid: unpinned, hatched: pinned", title_fontsize=7)
    fig.suptitle("Runtime CPU per invocation (lower is better)")
    return _save(fig, out_dir, "runtime_cpu")


def init(results: dict[str, Any], out_dir: pathlib.Path) -> pathlib.Path | None:
    """Init: process start to the first ``GET /next``, next to bare Python."""
    runtime = results.get("runtime", {})
    if not runtime:
        return None
    modes = list(runtime)
    names = list(runtime[modes[0]].get("init", {}))
    if not names:
        return None
    fig, ax = plt.subplots(figsize=(8.5, 0.5 * len(names) * len(modes) + 1.4))
    height = 0.8 / len(modes)
    for j, mode in enumerate(modes):
        data = runtime[mode]["init"]
        values = [
            data.get(n, {}).get("first_next_ms") or data.get(n, {}).get("exit_ms", [])
            for n in names
        ]
        medians = [_median(v) for v in values]
        err = list(zip(*[_whiskers(v) for v in values], strict=True))
        ys = [i + (j - (len(modes) - 1) / 2) * height for i in range(len(names))]
        ax.barh(
            ys,
            medians,
            height,
            xerr=err,
            capsize=2,
            color=[color_for(n if not n.startswith("python") else "floor") for n in names],
            alpha=1.0 if j == 0 else 0.55,
            hatch=None if j == 0 else "//",
            label=mode,
        )
        for y, m, hi in zip(ys, medians, err[1], strict=True):
            ax.annotate(
                f"{m:.1f}",
                (m + hi, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
            )
    bare = _median(runtime[modes[0]]["init"].get("python -c pass", {}).get("exit_ms", []))
    if bare == bare:
        ax.axvline(bare + 30, color=COLORS["not met"], linestyle="--", linewidth=1)
        ax.annotate(
            "target: bare Python + 30 ms",
            (bare + 30, len(names) - 0.5),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=7,
            color=COLORS["not met"],
        )
    ax.set_yticks(range(len(names)), [n.replace(" (", "\n(") for n in names], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("ms from process start to the first GET /next (python -c pass: to exit)")
    ax.legend(fontsize=8, title="solid: unpinned, hatched: pinned", title_fontsize=7)
    ax.set_title("Init (lower is better)")
    return _save(fig, out_dir, "init")


def rss(results: dict[str, Any], out_dir: pathlib.Path) -> pathlib.Path | None:
    """Peak RSS of each runtime after its CPU runs."""
    runtime = results.get("runtime", {})
    if not runtime:
        return None
    groups = []
    for mode, data in runtime.items():
        for size, rows in data.get("cpu", {}).items():
            groups.append((f"{size}\n{mode}", rows))
    if not groups:
        return None
    contenders = list(groups[0][1])
    fig, ax = plt.subplots(figsize=(8.5, 3.6))
    width = 0.8 / len(contenders)
    for j, name in enumerate(contenders):
        values = [
            [kb / 1024 for kb in rows.get(name, {}).get("peak_rss_kb", [])] for _, rows in groups
        ]
        medians = [_median(v) for v in values]
        xs = [i + (j - (len(contenders) - 1) / 2) * width for i in range(len(groups))]
        bars = ax.bar(xs, medians, width, color=color_for(name), label=name)
        _label_bars(ax, bars, medians, "{:.1f}")
    ax.set_xticks(range(len(groups)), [g for g, _ in groups], fontsize=8)
    ax.set_ylabel("peak RSS, MB (VmHWM, median)")
    ax.legend(fontsize=8)
    ax.set_title("Peak RSS (lower is better)")
    return _save(fig, out_dir, "rss")


def events(results: dict[str, Any], out_dir: pathlib.Path) -> pathlib.Path | None:
    """Decode and encode time over every event, as a multiple of orjson's."""
    rows = results.get("events", {}).get("rows", [])
    if not rows:
        return None
    series = [
        ("lambdago\ndecode", [r["decode"] / r["loads"] for r in rows], "lambdago"),
        (
            "pydantic\ndecode",
            [r["pydantic_decode"] / r["loads"] for r in rows if "pydantic_decode" in r],
            "pydantic",
        ),
        ("lambdago\nencode", [r["encode"] / r["dumps"] for r in rows], "lambdago"),
        (
            "pydantic\nencode",
            [r["pydantic_encode"] / r["dumps"] for r in rows if "pydantic_encode" in r],
            "pydantic",
        ),
    ]
    series = [s for s in series if s[1]]
    fig, ax = plt.subplots(figsize=(7.5, 4))
    box = ax.boxplot(
        [s[1] for s in series],
        patch_artist=True,
        showfliers=True,
        whis=(5, 95),
        flierprops={"markersize": 2},
    )
    ax.set_xticks(range(1, len(series) + 1), [s[0] for s in series])
    for patch, (_, _, who) in zip(box["boxes"], series, strict=True):
        patch.set_facecolor(color_for(who))
        patch.set_alpha(0.75)
    for i, (_, values, _) in enumerate(series, start=1):
        m = _median(values)
        ax.annotate(
            f"{m:.2f}x", (i, m), xytext=(18, 0), textcoords="offset points", va="center", fontsize=8
        )
    ax.axhline(2.0, color=COLORS["not met"], linestyle="--", linewidth=1)
    ax.axhline(1.0, color=COLORS["floor"], linewidth=0.8)
    ax.annotate(
        "target: 2x orjson",
        (0.55, 2.0),
        xytext=(0, 3),
        textcoords="offset points",
        fontsize=7,
        color=COLORS["not met"],
    )
    ax.set_yscale("log")
    ticks = [0.5, 1, 2, 3, 5, 10, 20, 50]
    ax.set_yticks(ticks, [f"{t:g}x" for t in ticks])
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylabel("time / orjson's time (log scale)")
    ax.set_title(f"Typed events over {len(rows)} events: boxes are quartiles, whiskers 5–95 %")
    return _save(fig, out_dir, "events")


def package(results: dict[str, Any], out_dir: pathlib.Path) -> pathlib.Path | None:
    """Hello-world package size, and its init with and without bytecode."""
    data = results.get("package", {})
    sizes = data.get("sizes", {})
    runs = data.get("runs", {})
    if not sizes and not runs:
        return None
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    names = list(sizes)
    mb = [sizes[n]["zipped_bytes"] / 1e6 for n in names]
    bars = left.bar(names, mb, color=COLORS["lambdago"])
    _label_bars(left, bars, mb, "{:.2f}")
    left.axhline(1.5, color=COLORS["not met"], linestyle="--", linewidth=1)
    left.annotate(
        "target: 1.5 MB",
        (-0.4, 1.5),
        xytext=(0, 3),
        textcoords="offset points",
        fontsize=7,
        color=COLORS["not met"],
    )
    left.set_ylabel("zipped MB")
    left.set_title("Hello-world package size", fontsize=10)
    modes = list(runs)
    variants = list(next(iter(runs.values()))) if runs else []
    width = 0.8 / max(1, len(modes))
    for j, mode in enumerate(modes):
        medians = [runs[mode][v]["next_median_ms"] for v in variants]
        xs = [i + (j - (len(modes) - 1) / 2) * width for i in range(len(variants))]
        bars = right.bar(
            xs,
            medians,
            width,
            color=COLORS["lambdago"],
            alpha=1.0 if j == 0 else 0.55,
            hatch=None if j == 0 else "//",
            label=mode,
        )
        _label_bars(right, bars, medians, "{:.1f}")
    right.set_xticks(range(len(variants)), variants)
    right.set_ylabel("ms to the first GET /next (median)")
    right.set_title("Cold start of the package", fontsize=10)
    if modes:
        right.legend(fontsize=8)
    return _save(fig, out_dir, "package")


def emulator(results: dict[str, Any], out_dir: pathlib.Path) -> pathlib.Path | None:
    """Latency the emulator adds to an invocation: median and p99."""
    data = results.get("emulator", {})
    groups = [
        (f"{bootstrap}\n{mode}", run)
        for bootstrap, d in data.items()
        for mode, run in d.get("runs", {}).items()
    ]
    if not groups:
        return None
    fig, ax = plt.subplots(figsize=(8, 3.6))
    xs = range(len(groups))
    med = [run["overhead_median_us"] for _, run in groups]
    p99 = [run["overhead_p99_us"] for _, run in groups]
    b1 = ax.bar([x - 0.2 for x in xs], med, 0.4, color=COLORS["lambdago"], label="median")
    b2 = ax.bar([x + 0.2 for x in xs], p99, 0.4, color=COLORS["lambdago"], alpha=0.45, label="p99")
    _label_bars(ax, b1, med)
    _label_bars(ax, b2, p99)
    ax.axhline(1000, color=COLORS["not met"], linestyle="--", linewidth=1)
    ax.annotate(
        "target: 1 ms median",
        (-0.45, 1000),
        xytext=(0, 3),
        textcoords="offset points",
        fontsize=7,
        color=COLORS["not met"],
    )
    ax.set_xticks(list(xs), [g for g, _ in groups], fontsize=8)
    ax.set_ylabel("µs added per invocation")
    ax.legend(fontsize=8)
    ax.set_title("Latency the local emulator adds (lower is better)")
    return _save(fig, out_dir, "emulator")


CHARTS: dict[str, Callable[[dict[str, Any], pathlib.Path], pathlib.Path | None]] = {
    "summary": summary,
    "runtime_cpu": runtime_cpu,
    "init": init,
    "rss": rss,
    "events": events,
    "package": package,
    "emulator": emulator,
}


def draw_all(results: dict[str, Any], out_dir: pathlib.Path) -> dict[str, pathlib.Path]:
    """Draw every chart the results allow; their paths by name."""
    drawn = {}
    for name, draw in CHARTS.items():
        path = draw(results, out_dir)
        if path is not None:
            drawn[name] = path
    return drawn
