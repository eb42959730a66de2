"""Multi-concurrency benchmark: throughput of one runtime process as it serves N invocations
at once (Lambda Managed Instances, ``AWS_LAMBDA_MAX_CONCURRENCY=N``).

Two handlers, each spending 50 ms per invocation waiting rather than computing:

* ``async``: ``await asyncio.sleep(0.05)`` (an ``async def`` handler: N poll loops on the
  process's one event loop);
* ``sync``: ``time.sleep(0.05)`` (a plain handler: N threads, each with its own loop).

For each N, one emulator (the real invoke endpoint and Runtime API) runs one lambdago
process with ``max_concurrency=N``; N client threads (each with its own keep-alive
connection) invoke back to back for ``--seconds``, after a warm-up. Reported:
invocations per second, against the ideal N / 0.05 s, and the mean latency.

    python benchmarks/concurrency_bench.py [--seconds 3] [--levels 1,2,4,8,16] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import statistics
import sys
import tempfile
import textwrap
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from lambdago.emulator import Emulator  # noqa: E402

WAIT_S = 0.05

APP = f"""
import asyncio, time

async def async_handler(event):
    await asyncio.sleep({WAIT_S})
    return event

def sync_handler(event):
    time.sleep({WAIT_S})
    return event
"""


def measure(task_root: str, handler: str, level: int, seconds: float) -> dict[str, float]:
    with Emulator(
        [sys.executable, "-m", "lambdago", f"app.{handler}_handler"],
        task_root=task_root,
        invoke_port=0,
        echo=None,
        timeout=30,
        max_concurrency=level,
    ) as emu:
        payload = b'{"n": 1}'
        # Warm-up: the process started, every loop and client connection in use once.
        warm = [threading.Thread(target=emu.invoke, args=(payload,)) for _ in range(level)]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        pids = set(emu.processes)
        latencies: list[list[float]] = [[] for _ in range(level)]
        errors = [0]
        start_line = threading.Barrier(level + 1)
        stop_at = [0.0]

        def client(index: int) -> None:
            start_line.wait()
            mine = latencies[index]
            while True:
                began = time.perf_counter()
                if began >= stop_at[0]:
                    return
                result = emu.invoke(payload)
                if result.status != 200 or result.function_error:
                    errors[0] += 1
                mine.append(time.perf_counter() - began)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(level)]
        for t in threads:
            t.start()
        stop_at[0] = time.perf_counter() + seconds
        began = time.perf_counter()
        start_line.wait()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        if set(emu.processes) != pids or len(pids) != 1:
            raise RuntimeError(
                f"expected one runtime process throughout, saw {pids} then {emu.processes}"
            )
    done = [x for per in latencies for x in per]
    return {
        "invocations": len(done),
        "seconds": elapsed,
        "per_second": len(done) / elapsed,
        "ideal_per_second": level / WAIT_S,
        "mean_latency_ms": statistics.fmean(done) * 1000 if done else 0.0,
        "p99_latency_ms": (sorted(done)[int(len(done) * 0.99) - 1] * 1000) if done else 0.0,
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="load time per point")
    parser.add_argument("--levels", default="1,2,4,8,16", help="values of N")
    parser.add_argument("--handlers", default="async,sync")
    parser.add_argument("--out", help="write the results as JSON here")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    handlers = args.handlers.split(",")
    results: dict[str, dict[int, dict[str, float]]] = {h: {} for h in handlers}
    with tempfile.TemporaryDirectory() as root:
        (pathlib.Path(root) / "app.py").write_text(textwrap.dedent(APP))
        for handler in handlers:
            for level in levels:
                results[handler][level] = measure(root, handler, level, args.seconds)
                r = results[handler][level]
                print(
                    f"{handler:>5} N={level:<3} {r['per_second']:8.1f}/s "
                    f"(ideal {r['ideal_per_second']:.0f}/s)  mean {r['mean_latency_ms']:.1f} ms",
                    file=sys.stderr,
                    flush=True,
                )
    when = time.strftime("%Y-%m-%d")
    print(
        f"## Multi-concurrency ({when}, {platform.machine()}, {os.cpu_count()} vCPUs, "
        f"Python {platform.python_version()}, {args.seconds:g} s per point)\n"
    )
    print(
        "Handlers wait 50 ms per invocation; one lambdago process with "
        "AWS_LAMBDA_MAX_CONCURRENCY=N behind the emulator, N client threads.\n"
    )
    print(
        "| handler | N | invocations/s | ideal (N / 50 ms) | efficiency | mean latency ms | p99 ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for handler in handlers:
        for level in levels:
            r = results[handler][level]
            print(
                f"| {handler} | {level} | {r['per_second']:.1f} | {r['ideal_per_second']:.0f} | "
                f"{r['per_second'] / r['ideal_per_second']:.0%} | {r['mean_latency_ms']:.1f} | "
                f"{r['p99_latency_ms']:.1f} |"
            )
    if args.out:
        pathlib.Path(args.out).write_text(
            json.dumps({h: {str(k): v for k, v in d.items()} for h, d in results.items()}, indent=2)
        )


if __name__ == "__main__":
    main()
