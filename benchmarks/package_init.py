"""Cold-start init time of a packaged function, as Lambda would start it.

A hello-world function is packaged with ``lambdago package`` (x86_64, the chosen Python)
twice, with and without precompiled bytecode, and unpacked into folders standing for
``/var/task``. Each run starts its ``bootstrap`` as Lambda does (a clean environment:
the reserved variables and ``LAMBDAGO_PYTHON``) against a tiny Runtime API in this
process, and records

* ``next``: from just before the process is started to its first ``GET /next``
  (the init phase: shell, interpreter, imports, handler loaded);
* ``answer``: to its first ``POST .../response`` (plus the first invocation).

Runs alternate between the variants, so that drift on the machine affects them alike.
Besides the two packages, ``--variants`` compares ways of starting the interpreter from
the same package (bytecode included): the bootstrap's own (``-S -B -c``), ``-m lambdago``
with ``-S`` and ``PYTHONPATH``, and both without ``-S``.

    python benchmarks/package_init.py                  # unpinned, then taskset -c 0
    python benchmarks/package_init.py --variants -n 40
    python benchmarks/package_init.py --one --json     # this process's affinity only
    python benchmarks/package_init.py --out results.json   # also write the figures as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

HELLO = """\
from dataclasses import dataclass

from lambdago import Context


@dataclass
class Hello:
    name: str = "world"


def handler(ctx: Context, event: Hello) -> dict[str, str]:
    return {"message": f"Hello, {event.name}!", "request_id": ctx.aws_request_id}
"""
EVENT = b'{"name": "Ada"}'

# Filled by build_packages: the size of each package variant (for --out).
PACKAGE_SIZES: dict[str, dict[str, int]] = {}


class TinyRuntimeAPI:
    """Just enough of the Runtime API for one invocation per process, timing each step.

    Answers are written in one ``sendall`` with TCP_NODELAY (see the loopback note in
    tests/support/fake_runtime_api.py's neighbours)."""

    def __init__(self) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.first_next: float | None = None
        self.answered: float | None = None
        self.answer_body = b""
        self.served = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.first_next = self.answered = None
            self.answer_body = b""
            self.served.clear()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self._exchange(conn)
        except OSError:
            pass  # the runtime was killed at the end of its run

    def _exchange(self, conn: socket.socket) -> None:
        buffer = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                now = time.perf_counter()
                lines = head.decode("latin-1").split("\r\n")
                method, path = lines[0].split(" ")[:2]
                length = 0
                for line in lines[1:]:
                    key, _, value = line.partition(":")
                    if key.strip().lower() == "content-length":
                        length = int(value.strip())
                while len(buffer) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                body, buffer = buffer[:length], buffer[length:]
                if method == "GET" and path.endswith("/invocation/next"):
                    with self.lock:
                        first = self.first_next is None
                        if first:
                            self.first_next = now
                    if not first:
                        return  # the second /next: this run is over
                    deadline = int((time.time() + 30) * 1000)
                    answer = (
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        b"Lambda-Runtime-Aws-Request-Id: 8476a536-e9f4-11e8-9739-2dfe598c3fcd\r\n"
                        + f"Lambda-Runtime-Deadline-Ms: {deadline}\r\n".encode()
                        + b"Lambda-Runtime-Invoked-Function-Arn: "
                        b"arn:aws:lambda:us-east-1:000000000000:function:hello\r\n"
                        b"Lambda-Runtime-Trace-Id: Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;"
                        b"Parent=9a9197af755a6419;Sampled=0\r\n"
                        + f"Content-Length: {len(EVENT)}\r\n\r\n".encode()
                        + EVENT
                    )
                    conn.sendall(answer)
                elif method == "POST":
                    with self.lock:
                        self.answered = now
                        self.answer_body = body
                    conn.sendall(
                        b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n"
                        b'Content-Length: 16\r\n\r\n{"status":"OK"}\n'
                    )
                    self.served.set()
                else:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")


def lambda_environment(task: pathlib.Path, port: int, python: str) -> dict[str, str]:
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "_HANDLER": "bootstrap",
        "LAMBDA_TASK_ROOT": str(task),
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
        "AWS_LAMBDA_FUNCTION_NAME": "hello",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/hello",
        "AWS_LAMBDA_LOG_STREAM_NAME": "2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "LAMBDAGO_PYTHON": python,
    }


def build_packages(root: pathlib.Path, version: str, python: str) -> dict[str, pathlib.Path]:
    """The hello function packaged with and without bytecode, unpacked; and its zip size."""
    from lambdago.package import PackageOptions, Platform, build

    project = root / "project"
    project.mkdir()
    (project / "hello.py").write_text(HELLO)
    out: dict[str, pathlib.Path] = {}
    for name, bytecode in (("bytecode", True), ("no bytecode", False)):
        options = PackageOptions(
            "hello.handler",
            project=project,
            output=root / f"{name.replace(' ', '-')}.zip",
            platform=Platform("x86_64", version),
            bytecode=bytecode,
            build_python=python,
        )
        result = build(options)
        task = root / name.replace(" ", "-")
        with zipfile.ZipFile(result.output) as zf:
            zf.extractall(task)
        for info in zipfile.ZipFile(result.output).infolist():
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(task / info.filename, mode)
        print(
            f"# {name}: {result.size.zipped} bytes zipped, {result.size.files} files",
            file=sys.stderr,
        )
        PACKAGE_SIZES[name] = {
            "zipped_bytes": result.size.zipped or 0,
            "unzipped_bytes": result.size.unzipped,
            "files": result.size.files,
        }
        out[name] = task
    return out


def variant_bootstraps(task: pathlib.Path, version: str) -> dict[str, list[str]]:
    """Ways of starting the interpreter for the same task root, to compare."""
    bootstrap = (task / "bootstrap").read_text()
    exec_at = bootstrap.index('exec "$py"')
    head = bootstrap[:exec_at]
    extra = f"{task}:/opt/python/lib/python{version}/site-packages:/opt/python"
    variants = {
        "-S -B -c (bootstrap)": bootstrap,
        "-B -c (site)": bootstrap.replace('exec "$py" -S -B -c', 'exec "$py" -B -c'),
        "-S -B -m lambdago": head
        + f'PYTHONPATH={extra}${{PYTHONPATH:+:$PYTHONPATH}} exec "$py" -S -B -m lambdago '
        '"$handler"\n',
        "-B -m lambdago (site)": head
        + f'PYTHONPATH={extra}${{PYTHONPATH:+:$PYTHONPATH}} exec "$py" -B -m lambdago '
        '"$handler"\n',
    }
    commands = {}
    for index, (name, text) in enumerate(variants.items()):
        path = task / f"bootstrap-variant-{index}"
        path.write_text(text)
        path.chmod(0o755)
        commands[name] = [str(path)]
    return commands


def run_once(api: TinyRuntimeAPI, command: list[str], env: dict[str, str]) -> tuple[float, float]:
    api.reset()
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        env=env,
        cwd=env["LAMBDA_TASK_ROOT"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        if not api.served.wait(30):
            error = proc.stderr.read() if proc.stderr else b""
            raise RuntimeError(f"{command} did not answer: {error!r}")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if proc.stderr:
            proc.stderr.close()
    assert api.first_next is not None and api.answered is not None
    assert b"Hello, Ada!" in api.answer_body, api.answer_body
    return (api.first_next - start) * 1000, (api.answered - start) * 1000


def measure(n: int, version: str, python: str, variants: bool) -> dict[str, dict[str, float]]:
    root = pathlib.Path(tempfile.mkdtemp(prefix="package-init-"))
    try:
        tasks = build_packages(root, version, python)
        api = TinyRuntimeAPI()
        runs: dict[str, tuple[list[str], dict[str, str]]] = {}
        if variants:
            task = tasks["bytecode"]
            env = lambda_environment(task, api.port, python)
            for name, command in variant_bootstraps(task, version).items():
                runs[name] = (command, env)
        else:
            for name, task in tasks.items():
                runs[name] = ([str(task / "bootstrap")], lambda_environment(task, api.port, python))
        for command, env in runs.values():  # warm the page cache once
            run_once(api, command, env)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for _ in range(n):
            for name, (command, env) in runs.items():
                samples[name].append(run_once(api, command, env))
        out: dict[str, dict[str, float]] = {}
        for name, values in samples.items():
            nexts = sorted(v[0] for v in values)
            answers = sorted(v[1] for v in values)
            out[name] = {
                "n": len(values),
                "next_median_ms": statistics.median(nexts),
                "next_p90_ms": nexts[int(len(nexts) * 0.9) - 1 if len(nexts) > 1 else 0],
                "answer_median_ms": statistics.median(answers),
                "answer_p90_ms": answers[int(len(answers) * 0.9) - 1 if len(answers) > 1 else 0],
            }
        return out
    finally:
        shutil.rmtree(root, ignore_errors=True)


def find_python(version: str) -> str:
    from lambdago.package.interpreter import find_python as find

    found, tried = find(version)
    if found is None:
        raise SystemExit(f"no Python {version} found (tried {', '.join(tried)})")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=30, help="runs of each variant (default 30)")
    parser.add_argument("--python", default=f"{sys.version_info[0]}.{sys.version_info[1]}")
    parser.add_argument("--variants", action="store_true", help="compare interpreter options")
    parser.add_argument("--one", action="store_true", help="measure once, as this process runs")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out", type=pathlib.Path, help="also write the results as JSON here")
    args = parser.parse_args()
    python = find_python(args.python)
    if args.one:
        result = measure(args.n, args.python, python, args.variants)
        print(json.dumps(result) if args.json else result)
        return 0
    rows = [("unpinned", measure(args.n, args.python, python, args.variants))]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", sys.executable, __file__, "--one", "--json"]
        command += ["-n", str(args.n), "--python", args.python]
        command += ["--variants"] if args.variants else []
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        rows.append(("pinned (taskset -c 0)", json.loads(done.stdout.strip().splitlines()[-1])))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        results = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": f"{platform.machine()}, {os.cpu_count()} vCPUs, {platform.platform()}",
            "python": python,
            "python_version": args.python,
            "n": args.n,
            "variants": args.variants,
            "sizes": PACKAGE_SIZES,
            "runs": dict(rows),
        }
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"function on {python} (Python {args.python}), {args.n} runs each, alternating"
    )
    print("| run | package | to first /next median ms | p90 | to first answer median ms | p90 |")
    print("|---|---|---|---|---|---|")
    for label, result in rows:
        for name, r in result.items():
            print(
                f"| {label} | {name} | **{r['next_median_ms']:.1f}** | {r['next_p90_ms']:.1f} | "
                f"{r['answer_median_ms']:.1f} | {r['answer_p90_ms']:.1f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
