"""The whole invoke loop, warm, with a socket stand-in: what one invocation costs in Python.

    python benchmarks/runtime_warm_loop.py [--invocations 100000]

``runtime_overhead.py`` times the pieces of an invocation one by one; this script runs the
real loop (``lambdago.runtime.invoke_loop.serve`` with an echo handler and the real
client), pipelining and all, against an in-process stand-in for the socket that answers
each request at once with the bytes ``runtime_overhead.py`` uses. No system call is made,
so the figure is the loop's own Python work plus the stand-in's (a few µs, the same for
any version of the runtime): compare versions with it, not with the floor.

Wall time is noisy on a shared machine. For a steady figure count instructions instead,
with the difference of two runs cancelling start-up::

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python benchmarks/runtime_warm_loop.py --invocations 2000
    # ... and again with --invocations 6000: (I6000 - I2000) / 4000 per invocation
"""

from __future__ import annotations

import argparse
import time

from lambdago.handler import new_handler
from lambdago.runtime import invoke_loop
from lambdago.runtime.client import RuntimeAPIClient

try:
    from runtime_overhead import ACCEPTED, NEXT_ANSWER, echo
except ImportError:  # run from elsewhere than benchmarks/
    from benchmarks.runtime_overhead import ACCEPTED, NEXT_ANSWER, echo

WARMUP = 1000


class _Done(BaseException):
    """Raised by the stand-in once enough invocations were served: ends ``serve``."""


class SocketStandIn:
    """Answers every request written to it: the next invocation for ``GET /next``, a
    ``202`` for a post; the answers wait to be read by ``recv_into``."""

    def __init__(self, invocations: int) -> None:
        self.invocations = invocations
        self.served = 0
        self.pending = b""
        self.started = 0.0

    def sendmsg(self, parts: list[bytes]) -> int:
        data = b"".join(parts)
        while data:
            head_end = data.index(b"\r\n\r\n") + 4
            if data.startswith(b"GET"):
                self.served += 1
                if self.served == WARMUP:
                    self.started = time.perf_counter()
                if self.served > self.invocations:
                    raise _Done
                self.pending += NEXT_ANSWER
                data = data[head_end:]
            else:
                at = data.index(b"Content-Length: ") + 16
                length = int(data[at : data.index(b"\r\n", at)])
                self.pending += ACCEPTED
                data = data[head_end + length :]
        return sum(map(len, parts))

    def recv_into(self, buffer: bytearray, size: int = 0, flags: int = 0) -> int:
        count = min(len(self.pending), len(buffer))
        buffer[:count] = self.pending[:count]
        self.pending = self.pending[count:]
        return count

    def setsockopt(self, *args: object) -> None:
        pass

    def close(self) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invocations", type=int, default=100_000)
    args = parser.parse_args()
    if args.invocations <= WARMUP:
        parser.error(f"--invocations must be above the {WARMUP} of the warm-up")
    stand_in = SocketStandIn(args.invocations)
    client = RuntimeAPIClient("127.0.0.1:9001")
    client._connect = lambda: stand_in  # type: ignore[assignment,method-assign,return-value]
    try:
        invoke_loop.serve(client, new_handler(echo).handle)  # type: ignore[attr-defined]
    except _Done:
        elapsed = time.perf_counter() - stand_in.started
        per_call = elapsed / (args.invocations - WARMUP + 1) * 1e6
        print(f"{per_call:.2f} µs per invocation (warm loop, socket stand-in included)")


if __name__ == "__main__":
    main()
