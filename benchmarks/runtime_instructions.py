"""Instructions per invocation of each runtime process, counted by valgrind: no noise.

    python benchmarks/runtime_instructions.py [--small N] [--large N] [--size 100B|100KB]

``runtime_bench.py`` times CPU per invocation, which on a shared two-vCPU host moves by a
third from run to run (pinned especially: where the server's wake-up lands decides much of
it). This script counts instead. Each contender of ``runtime_bench.py`` (lambdago, the
official client, the floor and the pipelined floor) runs as the same real bootstrap
process, with the same echo handler and the same Runtime API server, under ``valgrind
--tool=callgrind``; the total is taken after ``--small`` and after ``--large``
invocations, and the difference divided by ``--large - --small`` is the cost of one
invocation with start-up cancelled out.

What is counted: the runtime process's user-space instructions (the interpreter, orjson,
libc). Not counted: the kernel's side of its system calls (the same count for lambdago
and the pipelined floor, two per invocation, see docs/design.md), cache misses, wake-ups.
An instruction is not a nanosecond, but the same code path gives the same count on any
day, so this is the figure to compare versions of the runtime with.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import runtime_bench  # noqa: E402  (the contenders, their modules and the server)


def total_instructions(
    command: list[str], task: pathlib.Path, payload: bytes, invocations: int
) -> int:
    """valgrind's instruction total for a process that serves ``invocations`` and stops."""
    server = runtime_bench.Server()
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        env=runtime_bench.environment(server, task),
        cwd=task,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        sock, _ = server.listener.accept()
        conn = runtime_bench.Connection(sock)
        for _ in range(invocations):
            _rid, answer = runtime_bench.Server.invocation(payload)
            line, _ = conn.read_request()
            assert line.startswith("GET"), line
            conn.sock.sendall(answer)
            line, body = conn.read_request()
            assert "/response" in line, (line, body[:200])
            conn.sock.sendall(runtime_bench.ACCEPTED)
        conn.read_request()  # back in GET /next: then the connection closes under it
        sock.close()
        server.close()
        # Every contender exits once the connection is closed and no new one can be made
        # (lambdago, which reconnects once, with its fatal message; the floor quietly),
        # and valgrind prints its totals on the way out.
        _out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        server.close()
    found = re.search(rb"Collected : (\d+)", err)
    if found is None:
        raise RuntimeError(f"no callgrind total for {command}: {err[-500:]!r}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=300, help="invocations of the first run")
    parser.add_argument("--large", type=int, default=1300, help="invocations of the second run")
    parser.add_argument("--size", choices=("100B", "100KB"), default="100B")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    payload = runtime_bench.SMALL_EVENT if args.size == "100B" else runtime_bench.LARGE_EVENT
    with tempfile.TemporaryDirectory() as tmp:
        task = pathlib.Path(tmp)
        for name, source in runtime_bench.MODULES.items():
            (task / name).write_text(source)
        counts: dict[str, float] = {}
        for name, command in runtime_bench.contenders(args.python).items():
            small = total_instructions(command, task, payload, args.small)
            large = total_instructions(command, task, payload, args.large)
            counts[name] = (large - small) / (args.large - args.small)
    print(f"user-space instructions per invocation, {args.size} event, echo handler")
    print("| runtime | instructions | vs floor | vs floor, pipelined | vs awslambdaric |")
    print("|---|---|---|---|---|")
    for name, count in counts.items():
        print(
            f"| {name} | {count / 1000:,.1f}k | {count / counts['floor']:.2f}x"
            f" | {count / counts['floor, pipelined']:.2f}x"
            f" | {count / counts['awslambdaric']:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
