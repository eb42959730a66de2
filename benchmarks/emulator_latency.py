"""How much latency the local Lambda emulator adds to an invocation.

One keep-alive client invokes an echo handler through the invoke endpoint, over and over.
For each invocation the client measures the round trip, and the emulator records when it
handed the event to the runtime (the ``/next`` answer) and when the runtime's
``/response`` had arrived. The emulator's share is

    round trip - (response arrived - event handed out)

that is: reading and routing the invoke request, queueing, writing the event, writing the
answer, and the loopback hops to and from the client. (Parsing the runtime's ``/response``
falls in the runtime's share, a few microseconds.) Median and p99 are reported, pinned to
one CPU (``taskset -c 0``: client, emulator and runtime share it) and unpinned.

    python benchmarks/emulator_latency.py                 # both, awslambdaric as runtime
    python benchmarks/emulator_latency.py --bootstrap lambdago -n 5000
    python benchmarks/emulator_latency.py --one           # just this process's affinity
    python benchmarks/emulator_latency.py --out results.json   # also write the figures as JSON
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from lambdago.emulator import Emulator

ECHO = """\
def handler(event, context):
    return event


def go_handler(ctx, event):
    return event
"""


def measure(bootstrap: str, n: int, warmup: int) -> dict[str, float]:
    task_root = tempfile.mkdtemp(prefix="emulator-latency-")
    with open(os.path.join(task_root, "echo.py"), "w") as f:
        f.write(ECHO)
    if bootstrap == "awslambdaric":
        command = [sys.executable, "-m", "awslambdaric", "echo.handler"]
    else:
        command = [sys.executable, "-m", "lambdago", "echo.go_handler"]
    payload = json.dumps({"message": "hello", "n": list(range(10))}).encode()
    path = "/2015-03-31/functions/function/invocations"
    with (
        open(os.devnull, "w") as devnull,
        Emulator(command, task_root=task_root, invoke_port=0, echo=devnull, timeout=30) as emu,
    ):
        service = emu._service
        assert service is not None
        conn = http.client.HTTPConnection("127.0.0.1", emu.port)
        round_trips: dict[str, float] = {}
        for i in range(warmup + n):
            if i == warmup:
                emu.call(lambda: setattr(service, "record_timings", True))
            start = time.perf_counter()
            conn.request("POST", path, payload)
            response = conn.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - start
            ok = response.status == 200 and json.loads(body) == json.loads(payload)
            assert ok, (response.status, body[:200])
            if i >= warmup:
                round_trips[response.getheader("x-amzn-requestid") or ""] = elapsed
        conn.close()
        time.sleep(0.05)  # the last invocation's END line
        timings = emu.call(lambda: list(service.timings))
    shutil.rmtree(task_root, ignore_errors=True)
    rtt: list[float] = []
    runtime: list[float] = []
    overhead: list[float] = []
    for request_id, _received, delivered, responded, _finished in timings:
        if request_id not in round_trips:
            continue
        total = round_trips[request_id]
        inside = responded - delivered
        rtt.append(total * 1e6)
        runtime.append(inside * 1e6)
        overhead.append((total - inside) * 1e6)
    return {
        "n": len(overhead),
        "rtt_median_us": statistics.median(rtt),
        "rtt_p99_us": _p99(rtt),
        "runtime_median_us": statistics.median(runtime),
        "overhead_median_us": statistics.median(overhead),
        "overhead_p99_us": _p99(overhead),
    }


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _row(label: str, r: dict[str, float]) -> str:
    return (
        f"| {label} | {int(r['n'])} | {r['rtt_median_us']:.0f} | {r['rtt_p99_us']:.0f} | "
        f"{r['runtime_median_us']:.0f} | **{r['overhead_median_us']:.0f}** | "
        f"{r['overhead_p99_us']:.0f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", choices=["awslambdaric", "lambdago"], default="awslambdaric")
    parser.add_argument("-n", type=int, default=3000, help="measured invocations")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--one", action="store_true", help="measure once, as this process runs")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--out", type=pathlib.Path, help="also write the results as JSON here")
    args = parser.parse_args()
    if args.one:
        result = measure(args.bootstrap, args.n, args.warmup)
        print(json.dumps(result) if args.json else result)
        return 0
    rows = [("unpinned", measure(args.bootstrap, args.n, args.warmup))]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", sys.executable, __file__, "--one", "--json"]
        command += ["--bootstrap", args.bootstrap, "-n", str(args.n), "--warmup", str(args.warmup)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        rows.append(("pinned (taskset -c 0)", json.loads(done.stdout.strip().splitlines()[-1])))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        results = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": f"{platform.machine()}, {os.cpu_count()} vCPUs, {platform.platform()}",
            "python": platform.python_version(),
            "bootstrap": args.bootstrap,
            "n": args.n,
            "warmup": args.warmup,
            "runs": dict(rows),
        }
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"bootstrap {args.bootstrap}"
    )
    print(
        "| run | invocations | round trip median µs | round trip p99 µs | runtime median µs "
        "| emulator median µs | emulator p99 µs |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, result in rows:
        print(_row(label, result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
