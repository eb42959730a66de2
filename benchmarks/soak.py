"""Soak: many invocations through the emulator; nothing lost, duplicated or leaked.

The real ``python -m lambdago`` bootstrap serves a function under the local emulator, and
client threads invoke it through the invoke endpoint with a fixed mix:

* 90% small events answered with a small result,
* 5% handler errors (``SoakError``, an ``Unhandled`` function error),
* 4% 100 KB events,
* 1% 1 MB responses.

Every answer is checked: its ``X-Amzn-RequestId`` must be the request id the handler saw
(echoed in the payload, or the error payload's ``requestId``), its sequence number the
one sent; every sequence number must be answered exactly once and every request id must
be new. Meanwhile a sampler reads the runtime process's ``VmRSS`` and ``Threads`` from
``/proc/<pid>/status`` and counts ``/proc/<pid>/fd`` (and the same for the emulator, a
``lambdago serve`` process of its own), and writes the curve as CSV (and PNG when matplotlib is
installed). After the warm-up (the first 10% of invocations) the runtime's RSS, fds and
threads must stay flat.

    python benchmarks/soak.py                                  # 1,000,000 invocations
    python benchmarks/soak.py -n 10000 --csv soak.csv --png soak.png
    nohup python benchmarks/soak.py -n 1000000 --csv soak.csv --png soak.png \
        --json soak.json > soak.log 2>&1 &

Exit status 0 when every check passed, 1 otherwise (the JSON summary says which).
tests/reliability/test_soak.py runs the 10,000-invocation form.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import Any

FUNCTION = """\
class SoakError(Exception):
    pass


def handler(ctx, event):
    kind = event["kind"]
    seq = event["seq"]
    if kind == "error":
        raise SoakError(f"soak failure {seq}")
    if kind == "big_response":
        return {"rid": ctx.aws_request_id, "seq": seq, "blob": "r" * 1_000_000}
    if kind == "big_event":
        return {"rid": ctx.aws_request_id, "seq": seq, "len": len(event["pad"])}
    return {"rid": ctx.aws_request_id, "seq": seq}
"""

INVOKE_PATH = "/2015-03-31/functions/function/invocations"
# Out of every 100 invocations (shuffled within each block of 100, with a fixed seed).
MIX = (("small", 90), ("error", 5), ("big_event", 4), ("big_response", 1))
PAD = "e" * 100_000


def kinds_for(n: int, seed: int = 1) -> list[str]:
    """The kind of each of ``n`` invocations: exactly the mix in every block of 100."""
    block = [kind for kind, count in MIX for _ in range(count)]
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        rng.shuffle(block)
        out.extend(block)
    return out[:n]


def payload_for(kind: str, seq: int) -> bytes:
    event: dict[str, Any] = {"kind": kind, "seq": seq}
    if kind == "big_event":
        event["pad"] = PAD
    return json.dumps(event).encode()


def proc_sample(pid: int) -> tuple[int, int, int] | None:
    """(VmRSS in KB, threads, open fds) of ``pid``, or None if it is gone."""
    try:
        rss = threads = 0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except (OSError, ValueError):
        return None
    return rss, threads, fds


@contextlib.contextmanager
def serve(task_root: str) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """``lambdago serve`` in a process of its own (so that its resources are its own),
    on a free port; yields the port and the process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "lambdago.cli", "serve", "soak_fn.handler"]
    command += ["--port", str(port), "--timeout", "60", "--task-root", task_root]
    server = subprocess.Popen(
        command, cwd=task_root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"lambdago serve did not start (exit {server.poll()})"
                    ) from None
                time.sleep(0.05)
        yield port, server
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def runtime_pids(parent: int) -> list[int]:
    """The runtime processes ``lambdago serve`` started (its children running the
    function; not its watchdog)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
            if ppid != parent:
                continue
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if b"soak_fn.handler" in f.read():
                    found.append(int(entry))
        except (OSError, ValueError):
            continue
    return sorted(found)


class Tally:
    """What came back: every sequence number's answers, every request id seen."""

    def __init__(self, n: int) -> None:
        self.lock = threading.Lock()
        self.answers = [0] * n
        self.request_ids: set[str] = set()
        self.duplicate_ids = 0
        self.mismatches: list[str] = []
        self.transport_errors: list[str] = []
        self.counts = dict.fromkeys((k for k, _ in MIX), 0)
        self.done = 0

    def record(self, seq: int, kind: str, rid: str, problem: str | None) -> None:
        with self.lock:
            self.answers[seq] += 1
            self.done += 1
            self.counts[kind] += 1
            if rid in self.request_ids:
                self.duplicate_ids += 1
            self.request_ids.add(rid)
            if problem is not None and len(self.mismatches) < 20:
                self.mismatches.append(problem)


def check_answer(kind: str, seq: int, status: int, headers: dict[str, str], body: bytes) -> str:
    """An empty string when the answer is right, else what is wrong."""
    rid = headers.get("x-amzn-requestid", "")
    if status != 200:
        return f"seq {seq}: status {status}: {body[:200]!r}"
    try:
        value = json.loads(body)
    except ValueError:
        return f"seq {seq}: answer is not JSON: {body[:200]!r}"
    error = headers.get("x-amz-function-error")
    if kind == "error":
        if error != "Unhandled":
            return f"seq {seq}: expected a function error, got {error!r}"
        expected = {
            "errorType": "SoakError",
            "errorMessage": f"soak failure {seq}",
            "requestId": rid,
        }
        got = {k: value.get(k) for k in expected}
        return "" if got == expected else f"seq {seq}: error payload {got} != {expected}"
    if error is not None:
        return f"seq {seq}: unexpected function error {error}: {body[:300]!r}"
    if value.get("rid") != rid or value.get("seq") != seq:
        return f"seq {seq}: answer for {value.get('rid')}/{value.get('seq')} under {rid}"
    if kind == "big_event" and value.get("len") != len(PAD):
        return f"seq {seq}: the handler saw an event pad of {value.get('len')}"
    if kind == "big_response" and len(value.get("blob", "")) != 1_000_000:
        return f"seq {seq}: a 1 MB response came back as {len(value.get('blob', ''))}"
    return ""


def client(
    port: int,
    kinds: list[str],
    next_seq: Any,
    tally: Tally,
    stop: threading.Event,
    headers: dict[str, str],
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        while not stop.is_set():
            seq = next_seq()
            if seq is None:
                return
            kind = kinds[seq]
            try:
                conn.request("POST", INVOKE_PATH, payload_for(kind, seq), headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                with tally.lock:
                    tally.transport_errors.append(f"seq {seq}: {exc!r}")
                continue
            got = {k.lower(): v for k, v in response.getheaders()}
            problem = check_answer(kind, seq, response.status, got, body)
            tally.record(seq, kind, got.get("x-amzn-requestid", ""), problem or None)
    finally:
        conn.close()


def flat(values: list[int], warm: int) -> dict[str, int]:
    """Start (first sample), value at the end of warm-up, end, max and growth after it."""
    if not values:
        return {}
    after = values[warm:] or values[-1:]
    at_warm = values[min(warm, len(values) - 1)]
    return {
        "start": values[0],
        "after_warmup": at_warm,
        "end": values[-1],
        "max": max(values),
        "max_after_warmup": max(after),
        "growth_after_warmup": max(after) - at_warm,
        "end_minus_warmup": values[-1] - at_warm,
    }


def write_png(path: str, rows: list[list[Any]]) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    xs = [r[1] for r in rows]
    fig, axes = plt.subplots(3, 1, figsize=(9, 8), sharex=True)
    axes[0].plot(xs, [r[3] / 1024 for r in rows], label="runtime")
    axes[0].plot(xs, [r[6] / 1024 for r in rows], label="emulator")
    axes[0].set_ylabel("VmRSS (MB)")
    axes[0].legend()
    axes[1].plot(xs, [r[5] for r in rows], label="runtime")
    axes[1].plot(xs, [r[8] for r in rows], label="emulator")
    axes[1].set_ylabel("open fds")
    axes[1].legend()
    axes[2].plot(xs, [r[4] for r in rows], label="runtime")
    axes[2].plot(xs, [r[7] for r in rows], label="emulator")
    axes[2].set_ylabel("threads")
    axes[2].set_xlabel("invocations")
    axes[2].legend()
    fig.suptitle("lambdago soak: runtime and emulator resources")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def run(
    n: int,
    clients: int = 2,
    sample_interval: float = 1.0,
    csv_path: str | None = None,
    png_path: str | None = None,
    rss_limit_kb: int = 8 * 1024,
    progress: bool = False,
    trace_header: str | None = None,
) -> dict[str, Any]:
    """Run the soak; returns the summary (``summary["ok"]`` says whether it passed).

    ``trace_header``: send this ``X-Amzn-Trace-Id`` on every invocation (the emulator
    then passes the same trace id each time instead of a new one per invocation).
    """
    kinds = kinds_for(n)
    task_root = tempfile.mkdtemp(prefix="lambdago-soak-")
    with open(os.path.join(task_root, "soak_fn.py"), "w") as f:
        f.write(FUNCTION)
    tally = Tally(n)
    counter = iter(range(n))
    counter_lock = threading.Lock()

    def next_seq() -> int | None:
        with counter_lock:
            return next(counter, None)

    headers = {"X-Amzn-Trace-Id": trace_header} if trace_header else {}
    rows: list[list[Any]] = []
    pids: set[int] = set()
    stop = threading.Event()
    started = time.monotonic()
    with serve(task_root) as (port, server):
        threads = [
            threading.Thread(target=client, args=(port, kinds, next_seq, tally, stop, headers))
            for _ in range(clients)
        ]
        for t in threads:
            t.start()

        def sample() -> None:
            live = runtime_pids(server.pid)
            pids.update(live)
            if not live:
                return
            runtime = proc_sample(live[0])
            emulator = proc_sample(server.pid)
            if runtime is None or emulator is None:
                return
            rows.append(
                [round(time.monotonic() - started, 3), tally.done, live[0], *runtime, *emulator]
            )

        last_report = 0.0
        while any(t.is_alive() for t in threads):
            for t in threads:
                t.join(sample_interval / len(threads))
            sample()
            if progress and time.monotonic() - last_report > 30:
                last_report = time.monotonic()
                rate = tally.done / max(1e-9, time.monotonic() - started)
                rss = rows[-1][3] if rows else 0
                print(
                    f"soak: {tally.done}/{n} ({rate:.0f}/s), runtime RSS {rss} KB",
                    file=sys.stderr,
                    flush=True,
                )
        sample()
        duration = time.monotonic() - started
    # rows: elapsed, invocations, pid, rss, threads, fds (runtime), rss, threads, fds (emulator)
    header = [
        "elapsed_s",
        "invocations",
        "runtime_pid",
        "runtime_rss_kb",
        "runtime_threads",
        "runtime_fds",
        "emulator_rss_kb",
        "emulator_threads",
        "emulator_fds",
    ]
    if csv_path:
        with open(csv_path, "w") as f:
            f.write(",".join(header) + "\n")
            for r in rows:
                f.write(",".join(str(v) for v in r) + "\n")
    png = write_png(png_path, rows) if png_path else False
    warm = next((i for i, r in enumerate(rows) if r[1] >= n // 10), len(rows) - 1)
    lost = sum(1 for a in tally.answers if a == 0)
    duplicated = sum(1 for a in tally.answers if a > 1)
    runtime_rss = flat([r[3] for r in rows], warm)
    runtime_fds = flat([r[5] for r in rows], warm)
    runtime_threads = flat([r[4] for r in rows], warm)
    summary: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.node()}: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        "command": " ".join(
            ["python", "benchmarks/soak.py", "-n", str(n)]
            + (["--trace-header", repr(trace_header)] if trace_header else [])
        ),
        "invocations": n,
        "answered": tally.done,
        "duration_s": round(duration, 1),
        "invocations_per_s": round(tally.done / duration, 1) if duration else 0,
        "mix": tally.counts,
        "lost": lost,
        "duplicated": duplicated,
        "duplicate_request_ids": tally.duplicate_ids,
        "distinct_request_ids": len(tally.request_ids),
        "mismatches": tally.mismatches,
        "transport_errors": tally.transport_errors[:20],
        "runtime_pids": sorted(pids),
        "samples": len(rows),
        "runtime_rss_kb": runtime_rss,
        "runtime_fds": runtime_fds,
        "runtime_threads": runtime_threads,
        "emulator_rss_kb": flat([r[6] for r in rows], warm),
        "emulator_fds": flat([r[8] for r in rows], warm),
        "emulator_threads": flat([r[7] for r in rows], warm),
        "csv": csv_path,
        "png": png_path if png else None,
    }
    problems = []
    if lost or duplicated or tally.duplicate_ids or tally.done != n:
        problems.append("lost or duplicated invocations")
    if tally.mismatches or tally.transport_errors:
        problems.append("wrong answers")
    if len(pids) != 1:
        problems.append(f"the runtime restarted ({len(pids)} processes)")
    if runtime_rss.get("growth_after_warmup", 0) > rss_limit_kb:
        problems.append(f"runtime RSS grew {runtime_rss['growth_after_warmup']} KB after warm-up")
    if runtime_fds.get("growth_after_warmup", 0) > 0:
        problems.append("runtime fds grew after warm-up")
    if runtime_threads.get("growth_after_warmup", 0) > 0:
        problems.append("runtime threads grew after warm-up")
    summary["problems"] = problems
    summary["ok"] = not problems
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--invocations", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=2, help="client threads (default 2)")
    parser.add_argument("--sample-interval", type=float, default=1.0, help="seconds")
    parser.add_argument("--csv", help="write the resource curve here")
    parser.add_argument("--png", help="plot the curve here (needs matplotlib)")
    parser.add_argument("--json", help="write the summary here too")
    parser.add_argument(
        "--rss-limit-kb",
        type=int,
        default=8 * 1024,
        help="most the runtime's RSS may grow after warm-up (default 8 MB)",
    )
    parser.add_argument(
        "--trace-header",
        help="send this X-Amzn-Trace-Id on every invocation (default: a new trace id each time)",
    )
    args = parser.parse_args(argv)
    summary = run(
        args.invocations,
        clients=args.clients,
        sample_interval=args.sample_interval,
        csv_path=args.csv,
        png_path=args.png,
        rss_limit_kb=args.rss_limit_kb,
        progress=True,
        trace_header=args.trace_header,
    )
    text = json.dumps(summary, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
