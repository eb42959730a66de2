"""The physical floor: the least a Python JSON runtime can do per invocation.

One keep-alive socket (the ``_socket`` builtin), ``GET /next``, find the request id and
the body, ``orjson.loads`` the event, ``orjson.dumps`` the echo, ``POST`` it. No context
object, no error handling, no header validation: a lower bound, not a runtime. The
runtime benchmark measures lambdago and the official client against it.

With ``--pipeline`` it sends each answer and the next ``GET /next`` in one write, as
lambdago does from its second invocation on (HTTP/1.1 pipelining): the floor for a
runtime that pipelines, reported next to the plain one.
"""

from __future__ import annotations

import _socket
import os
import sys

import orjson


def main() -> None:
    host, _, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rpartition(":")
    sock = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
    sock.connect((host, int(port)))
    next_request = (
        f"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    )
    buffer = b""
    # recv_into one long-lived buffer: a fresh 256 KB bytes object per recv() would cost
    # three extra system calls (mmap, mremap, munmap) per read.
    chunk = bytearray(262144)
    view = memoryview(chunk)

    def recv() -> bytes:
        n = sock.recv_into(chunk)
        if not n:
            raise SystemExit(0)  # the server has gone: stop, never spin on a closed socket
        return view[:n].tobytes()

    pipeline = "--pipeline" in sys.argv
    send_next = True
    while True:
        if send_next:
            sock.sendall(next_request)
        while b"\r\n\r\n" not in buffer:
            buffer += recv()
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        lower = head.lower() + b"\r\n"
        start = lower.index(b"content-length:") + 15
        length = int(lower[start : lower.index(b"\r\n", start)])
        start = lower.index(b"lambda-runtime-aws-request-id:") + 30
        request_id = head[start : lower.index(b"\r\n", start)].strip().decode()
        while len(buffer) < length:
            buffer += recv()
        body, buffer = buffer[:length], buffer[length:]
        out = orjson.dumps(orjson.loads(body))
        post = (
            f"POST /2018-06-01/runtime/invocation/{request_id}/response HTTP/1.1\r\n"
            f"Host: {host}\r\nContent-Length: {len(out)}\r\n\r\n"
        ).encode() + out
        # Pipelined, the next GET /next goes in the same write (and not again above).
        sock.sendall(post + next_request if pipeline else post)
        send_next = not pipeline
        while b"\r\n\r\n" not in buffer:
            buffer += recv()
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        lower = head.lower() + b"\r\n"
        start = lower.index(b"content-length:") + 15
        length = int(lower[start : lower.index(b"\r\n", start)])
        while len(buffer) < length:
            buffer += recv()
        buffer = buffer[length:]


if __name__ == "__main__":
    main()
