"""Runtime benchmark: lambdago against the official Python client and the physical floor.

Every contender is a real bootstrap process served by the same minimal Runtime API server
(a raw-socket loop in this process, answering each request with one prebuilt write), with
an echo handler. Measured, contenders alternating round after round:

* CPU per invocation of the runtime process, from ``/proc/<pid>/task/*/schedstat`` (exact
  nanoseconds on the CPU), over invocations after a warm-up, for a ~100 B and a ~100 KB
  event;
* init time: process start to the first ``GET /next`` fully received, and to the first
  answer posted, with typed handlers (attrs, dataclass, ``SQSEvent``) and a plain ``dict``
  one, next to a bare ``python -c pass``. lambdago is started two ways: ``python -m
  lambdago`` (with ``site``, as the official client is started), and *as packaged*: the
  command line a ``lambdago package`` bootstrap runs on Lambda (``python -S -B -c
  PROGRAM``, no ``site``, dependencies on ``sys.path`` directly);
* peak RSS (``VmHWM``) after the CPU runs.

Run pinned (runtime and server on CPU 0: ``--pin``) and unpinned; results go to a JSON
file (``--out``) and a Markdown summary on stdout.

    python benchmarks/runtime_bench.py --rounds 5 --invocations 5000 [--pin]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent

# One module per handler, so each contender imports only what its handler needs (a plain
# dict handler must not pay for attrs because a typed one lives in the same file).
MODULES = {
    "echo_lambdago.py": "def handler(ctx, event):\n    return event\n",
    "echo_ric.py": "def handler(event, context):\n    return event\n",
    "dataclass_lambdago.py": """
from dataclasses import dataclass


@dataclass
class Item:
    sku: str
    quantity: int
    price: float


@dataclass
class Order:
    order_id: str
    customer: str
    items: list[Item]
    gift: bool = False


def handler(order: Order) -> Order:
    return order
""",
    "sqs_lambdago.py": """
from lambdago.events import SQSEvent


def handler(event: SQSEvent) -> int:
    return len(event.records or [])
""",
    "typed_lambdago.py": """
import attrs


@attrs.define
class Item:
    sku: str
    quantity: int
    price: float


@attrs.define
class Order:
    order_id: str
    customer: str
    items: list[Item]
    gift: bool = False


def handler(order: Order) -> Order:
    return order
""",
}
# The official client running the same user code: the same module-level imports and
# classes (what init pays for), with the handler signature awslambdaric calls; it gets a
# dict and builds the typed value itself, as a user of the official client would.
MODULES["dataclass_ric.py"] = MODULES["dataclass_lambdago.py"].replace(
    "def handler(order: Order) -> Order:\n    return order\n",
    "def handler(event, context):\n"
    "    import dataclasses\n\n"
    "    items = [Item(**item) for item in event.pop('items')]\n"
    "    return dataclasses.asdict(Order(items=items, **event))\n",
)
MODULES["typed_ric.py"] = MODULES["typed_lambdago.py"].replace(
    "def handler(order: Order) -> Order:\n    return order\n",
    "def handler(event, context):\n"
    "    items = [Item(**item) for item in event.pop('items')]\n"
    "    return attrs.asdict(Order(items=items, **event))\n",
)

SMALL_EVENT = json.dumps(
    {
        "order_id": "A-1042",
        "customer": "ada",
        "items": [{"sku": "MUG", "quantity": 2, "price": 9.5}],
        "gift": False,
    }
).encode()
LARGE_EVENT = json.dumps(
    {
        "order_id": "B-7",
        "customer": "grace",
        "items": [
            {"sku": f"SKU-{i:05d}", "quantity": i % 7, "price": i * 0.25} for i in range(1800)
        ],
        "gift": True,
    }
).encode()


def contenders(python: str) -> dict[str, list[str]]:
    return {
        "lambdago": [python, "-m", "lambdago", "echo_lambdago.handler"],
        "awslambdaric": [python, "-m", "awslambdaric", "echo_ric.handler"],
        "floor": [python, str(HERE / "floor_client.py")],
        # For context only (the targets compare with the plain floor): the same loop
        # sending each answer with the next GET /next, as lambdago does.
        "floor, pipelined": [python, str(HERE / "floor_client.py"), "--pipeline"],
    }


class Server:
    """A minimal Runtime API: one connection at a time, prebuilt answers."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.address = f"127.0.0.1:{self.listener.getsockname()[1]}"

    def close(self) -> None:
        self.listener.close()

    @staticmethod
    def invocation(payload: bytes) -> tuple[str, bytes]:
        rid = str(uuid.uuid4())
        deadline = int((time.time() + 900) * 1000)
        head = (
            "HTTP/1.1 200 OK\r\n"
            f"Lambda-Runtime-Aws-Request-Id: {rid}\r\n"
            f"Lambda-Runtime-Deadline-Ms: {deadline}\r\n"
            "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:bench\r\n"
            f"Lambda-Runtime-Trace-Id: Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Sampled=0\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n"
        )
        return rid, head.encode() + payload


ACCEPTED = b'HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{"status":"OK"}\n'


class Connection:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def read_request(self) -> tuple[str, bytes]:
        """One request: its request line and body."""
        while b"\r\n\r\n" not in self.buffer:
            data = self.sock.recv(1 << 20)
            if not data:
                raise ConnectionError("runtime closed the connection")
            self.buffer += data
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            data = self.sock.recv(1 << 20)
            if not data:
                raise ConnectionError("runtime closed the connection")
            rest += data
        self.buffer = rest[length:]
        return head.split(b"\r\n", 1)[0].decode(), rest[:length]


def cpu_ns(pid: int) -> int:
    total = 0
    for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def peak_rss_kb(pid: int) -> int:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def environment(server: Server, task: pathlib.Path) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_LAMBDA_RUNTIME_API": server.address,
        "LAMBDA_TASK_ROOT": str(task),
        "AWS_LAMBDA_FUNCTION_NAME": "bench",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "PYTHONPATH": str(ROOT),
        "HOME": os.environ.get("HOME", "/root"),
    }
    return env


def spawn(
    cmd: list[str], env: dict[str, str], cwd: pathlib.Path, pin: bool
) -> subprocess.Popen[bytes]:
    if pin:
        cmd = ["taskset", "-c", "0", *cmd]
    quiet = None if os.environ.get("BENCH_VERBOSE") else subprocess.DEVNULL
    return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=quiet, stderr=quiet)


def run_cpu(
    cmd: list[str], task: pathlib.Path, payload: bytes, warmup: int, count: int, pin: bool
) -> dict[str, float]:
    """CPU per invocation (µs) over ``count`` invocations after ``warmup``; peak RSS (KB)."""
    server = Server()
    proc = spawn(cmd, environment(server, task), task, pin)
    try:
        sock, _ = server.listener.accept()
        conn = Connection(sock)
        invocations = [Server.invocation(payload) for _ in range(warmup + count)]
        start_cpu = 0
        start_wall = 0.0
        for i, (_rid, answer) in enumerate(invocations):
            line, _ = conn.read_request()
            assert line.startswith("GET"), line
            if i == warmup:
                start_cpu = cpu_ns(proc.pid)
                start_wall = time.perf_counter()
            conn.sock.sendall(answer)
            line, body = conn.read_request()
            assert "/response" in line, (line, body[:200])
            conn.sock.sendall(ACCEPTED)
        conn.read_request()  # idle again in GET /next
        used = cpu_ns(proc.pid) - start_cpu
        wall = time.perf_counter() - start_wall
        rss = peak_rss_kb(proc.pid)
    finally:
        proc.kill()
        proc.wait()
        server.close()
    return {"cpu_us": used / count / 1000, "wall_us": wall / count * 1e6, "peak_rss_kb": rss}


def packaged(python: str, handler: str, task: pathlib.Path) -> list[str]:
    """The command line of a ``lambdago package`` bootstrap for ``handler``."""
    from lambdago.package.scripts import python_program

    version = subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return [
        python,
        "-S",
        "-B",
        "-c",
        python_program(version),
        str(task),
        "/nonexistent-opt",
        str(task / "bootstrap"),
        handler,
    ]


def dependencies_path(python: str) -> str:
    """Where ``python`` finds lambdago's dependencies: what a package holds in its task root."""
    return subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def run_init(
    cmd: list[str],
    task: pathlib.Path,
    payload: bytes,
    pin: bool,
    extra_env: dict[str, str] | None = None,
) -> dict[str, float]:
    """Milliseconds from process start to the first GET /next, and to the first answer."""
    server = Server()
    env = {**environment(server, task), **(extra_env or {})}
    t0 = time.perf_counter()
    proc = spawn(cmd, env, task, pin)
    try:
        sock, _ = server.listener.accept()
        conn = Connection(sock)
        line, _ = conn.read_request()
        t_next = time.perf_counter()
        _rid, answer = Server.invocation(payload)
        conn.sock.sendall(answer)
        line, body = conn.read_request()
        t_answer = time.perf_counter()
        assert "/response" in line, (line, body[:300])
        conn.sock.sendall(ACCEPTED)
    finally:
        proc.kill()
        proc.wait()
        server.close()
    return {"first_next_ms": (t_next - t0) * 1000, "first_answer_ms": (t_answer - t0) * 1000}


def run_bare(python: str, pin: bool, code: str = "pass") -> float:
    cmd = [python, "-c", code]
    if pin:
        cmd = ["taskset", "-c", "0", *cmd]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    return (time.perf_counter() - t0) * 1000


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float]) -> str:
    if len(values) < 2:
        return ""
    q = statistics.quantiles(values, n=4)
    return f"{q[0]:.1f}–{q[2]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter for every contender")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--invocations", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--init-runs", type=int, default=15)
    parser.add_argument("--pin", action="store_true", help="runtime and server on CPU 0")
    parser.add_argument("--out", type=pathlib.Path, help="write the results as JSON here")
    args = parser.parse_args()
    if args.pin:
        os.sched_setaffinity(0, {0})

    with tempfile.TemporaryDirectory() as tmp:
        task = pathlib.Path(tmp)
        for name, source in MODULES.items():
            (task / name).write_text(textwrap.dedent(source))
        cmds = contenders(args.python)
        results: dict[str, Any] = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": f"{platform.machine()}, {os.cpu_count()} vCPUs, {platform.platform()}",
            "python": subprocess.run(
                [args.python, "-c", "import sys; print(sys.version.split()[0])"],
                capture_output=True,
                text=True,
            ).stdout.strip(),
            "pinned": args.pin,
            "bytecode": "precompiled (site-packages by pip, lambdago by earlier runs)",
            "cpu": {},
            "init": {},
        }
        for size_name, payload in (("100B", SMALL_EVENT), ("100KB", LARGE_EVENT)):
            samples: dict[str, list[dict[str, float]]] = {name: [] for name in cmds}
            for _round in range(args.rounds):
                for name, cmd in cmds.items():
                    samples[name].append(
                        run_cpu(cmd, task, payload, args.warmup, args.invocations, args.pin)
                    )
            results["cpu"][size_name] = {
                name: {
                    "event_bytes": len(payload),
                    "cpu_us": [s["cpu_us"] for s in runs],
                    "wall_us": [s["wall_us"] for s in runs],
                    "peak_rss_kb": [s["peak_rss_kb"] for s in runs],
                }
                for name, runs in samples.items()
            }

        init_cmds = {
            "lambdago typed (attrs)": [args.python, "-m", "lambdago", "typed_lambdago.handler"],
            "lambdago typed (dataclass)": [
                args.python,
                "-m",
                "lambdago",
                "dataclass_lambdago.handler",
            ],
            "lambdago typed (SQSEvent)": [args.python, "-m", "lambdago", "sqs_lambdago.handler"],
            "lambdago dict": cmds["lambdago"],
            "lambdago typed (attrs), as packaged": packaged(
                args.python, "typed_lambdago.handler", task
            ),
            "lambdago typed (dataclass), as packaged": packaged(
                args.python, "dataclass_lambdago.handler", task
            ),
            "lambdago typed (SQSEvent), as packaged": packaged(
                args.python, "sqs_lambdago.handler", task
            ),
            "lambdago dict, as packaged": packaged(args.python, "echo_lambdago.handler", task),
            "awslambdaric dict": cmds["awslambdaric"],
            "awslambdaric typed (attrs)": [args.python, "-m", "awslambdaric", "typed_ric.handler"],
            "awslambdaric typed (dataclass)": [
                args.python,
                "-m",
                "awslambdaric",
                "dataclass_ric.handler",
            ],
            "floor (socket + orjson)": cmds["floor"],
        }
        # As packaged, the dependencies are on sys.path directly (no site): here, the
        # interpreter's own site-packages stands for the package's task root.
        packaged_env = {"PYTHONPATH": f"{ROOT}{os.pathsep}{dependencies_path(args.python)}"}
        init: dict[str, list[dict[str, float]]] = {name: [] for name in init_cmds}
        bare: list[float] = []
        bare_attrs: list[float] = []
        for _run in range(args.init_runs):
            bare.append(run_bare(args.python, args.pin))
            bare_attrs.append(run_bare(args.python, args.pin, "import attrs"))
            for name, cmd in init_cmds.items():
                extra = packaged_env if name.endswith("as packaged") else None
                init[name].append(run_init(cmd, task, SMALL_EVENT, args.pin, extra))
        results["init"] = {
            "python -c pass": {"exit_ms": bare},
            "python -c 'import attrs'": {"exit_ms": bare_attrs},
            **{
                name: {
                    "first_next_ms": [r["first_next_ms"] for r in runs],
                    "first_answer_ms": [r["first_answer_ms"] for r in runs],
                }
                for name, runs in init.items()
            },
        }

    report(results)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")


def report(results: dict[str, Any]) -> None:
    pin = "pinned to CPU 0" if results["pinned"] else "unpinned"
    print(
        f"## Runtime benchmark ({results['date']}, {results['machine']}, Python {results['python']}, {pin})\n"
    )
    for size, rows in results["cpu"].items():
        ric = median(rows["awslambdaric"]["cpu_us"])
        floor = median(rows["floor"]["cpu_us"])
        print(
            f"### CPU per invocation, echo handler, {rows['lambdago']['event_bytes']} B event ({size})\n"
        )
        print(
            "| contender | CPU µs/inv (median) | spread (IQR) | vs awslambdaric | vs floor | peak RSS MB |"
        )
        print("|---|---|---|---|---|---|")
        for name, row in rows.items():
            cpu = median(row["cpu_us"])
            rss = median(row["peak_rss_kb"]) / 1024
            print(
                f"| {name} | {cpu:.1f} | {spread(row['cpu_us'])} | {cpu / ric:.2f}x | {cpu / floor:.2f}x | {rss:.1f} |"
            )
        print()
    print("### Init: process start to first GET /next and to the first answer (ms)\n")
    print("| contender | first /next | spread | first answer | spread |")
    print("|---|---|---|---|---|")
    for name, row in results["init"].items():
        if "exit_ms" in row:
            print(
                f"| {name} (to exit) | {median(row['exit_ms']):.1f} | {spread(row['exit_ms'])} | | |"
            )
            continue
        print(
            f"| {name} | {median(row['first_next_ms']):.1f} | {spread(row['first_next_ms'])} | "
            f"{median(row['first_answer_ms']):.1f} | {spread(row['first_answer_ms'])} |"
        )
    print()


if __name__ == "__main__":
    main()
