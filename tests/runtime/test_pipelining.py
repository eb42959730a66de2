"""The answer and the next ``GET /next`` in one write (HTTP/1.1 pipelining), over a raw
Runtime API that can tell whether the ``GET`` was already there when the post was read."""

from __future__ import annotations

import json
import os
import pathlib
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest

from tests.runtime.conftest import ROOT

NEXT = b"GET /2018-06-01/runtime/invocation/next "
ACCEPTED = b'HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{"status":"OK"}\n'


class PipeServer:
    """Hands out ``count`` invocations on one connection at a time and records, for each
    post, whether the next ``GET /next`` had arrived before the post was answered (it
    waits up to ``wait_s`` for it). ``close_after_post``: answer every post with
    ``Connection: close``. ``post_status``: answer posts after the first with this status."""

    def __init__(
        self,
        payloads: list[bytes],
        wait_s: float = 1.0,
        close_after_post: bool = False,
        post_status: int | None = None,
    ) -> None:
        self.payloads = list(payloads)
        self.wait_s = wait_s
        self.close_after_post = close_after_post
        self.post_status = post_status
        self.pipelined: list[bool] = []
        self.answers: dict[str, list[tuple[str, bytes]]] = {}
        self.order: list[str] = []
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.address = f"127.0.0.1:{self.listener.getsockname()[1]}"
        self.done = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.done.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _read_request(self, conn: socket.socket, buf: bytearray) -> tuple[bytes, bytes]:
        while b"\r\n\r\n" not in buf:
            data = conn.recv(65536)
            if not data:
                raise ConnectionError
            buf += data
        head, _, rest = bytes(buf).partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            data = conn.recv(65536)
            if not data:
                raise ConnectionError
            rest += data
        del buf[:]
        buf += rest[length:]
        return head, rest[:length]

    def _serve(self, conn: socket.socket) -> None:
        buf = bytearray()
        try:
            while True:
                head, body = self._read_request(conn, buf)
                if head.startswith(NEXT):
                    if not self.payloads:
                        self.done.set()
                        time.sleep(60)  # park, as Lambda does, until the test ends
                        return
                    payload = self.payloads.pop(0)
                    rid = str(uuid.uuid4())
                    self.order.append(rid)
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: %s\r\n"
                        b"Lambda-Runtime-Deadline-Ms: %d\r\nContent-Length: %d\r\n\r\n%s"
                        % (rid.encode(), int(time.time() * 1000) + 60_000, len(payload), payload)
                    )
                    continue
                path = head.split(b" ")[1].decode()
                rid = path.split("/")[-2]
                self.answers.setdefault(rid, []).append((path.rsplit("/", 1)[1], body))
                # Was the next GET /next sent with this post? Wait a little for it.
                end = time.monotonic() + self.wait_s
                conn.settimeout(0.05)
                while NEXT not in buf and time.monotonic() < end:
                    try:
                        data = conn.recv(65536)
                    except TimeoutError:
                        continue
                    if not data:
                        break
                    buf += data
                conn.settimeout(None)
                self.pipelined.append(NEXT in buf)
                if self.post_status is not None and len(self.answers) > 1:
                    conn.sendall(
                        b"HTTP/1.1 %d Nope\r\nContent-Length: 0\r\n\r\n" % self.post_status
                    )
                elif self.close_after_post:
                    conn.sendall(
                        ACCEPTED.replace(b"Content-Length", b"Connection: close\r\nContent-Length")
                    )
                    conn.close()
                    return
                else:
                    conn.sendall(ACCEPTED)
        except (ConnectionError, OSError):
            pass

    def close(self) -> None:
        self.done.set()
        self.listener.close()


def _start(
    server: PipeServer, tmp_path: pathlib.Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    (tmp_path / "app.py").write_text("def handler(event):\n    return event\n")
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "AWS_LAMBDA_RUNTIME_API": server.address,
        "LAMBDA_TASK_ROOT": str(tmp_path),
        **(env or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "lambdago", "app.handler"],
        env=full_env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _finish(server: PipeServer, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not server.done.is_set() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    server.close()


def test_answers_after_the_first_carry_the_next_request(tmp_path: pathlib.Path) -> None:
    payloads = [json.dumps({"n": n}, separators=(",", ":")).encode() for n in range(50)]
    server = PipeServer(payloads)
    proc = _start(server, tmp_path)
    _finish(server, proc)
    # Every invocation answered once, with its own event, in order.
    assert len(server.order) == 50
    assert [server.answers[rid] for rid in server.order] == [[("response", p)] for p in payloads]
    # The first answer goes alone (what runs after it must not hold up an invocation);
    # every later one is sent with the next GET /next.
    assert server.pipelined == [False] + [True] * 49


def test_pipelining_can_be_turned_off(tmp_path: pathlib.Path) -> None:
    server = PipeServer([b"1", b"2", b"3"], wait_s=0.2)
    proc = _start(server, tmp_path, {"LAMBDAGO_PIPELINE": "0"})
    _finish(server, proc)
    assert [server.answers[rid] for rid in server.order] == [
        [("response", b"1")],
        [("response", b"2")],
        [("response", b"3")],
    ]
    assert server.pipelined == [False, False, False]


def test_large_answers_are_not_pipelined(tmp_path: pathlib.Path) -> None:
    big = json.dumps("x" * (2 * 1024 * 1024)).encode()
    server = PipeServer([b"1", big, b"3"], wait_s=0.3)
    proc = _start(server, tmp_path)
    _finish(server, proc)
    assert [len(server.answers[rid][0][1]) for rid in server.order] == [1, len(big), 1]
    # A result over 1 MiB is posted alone, so that a 413 is still reported on its
    # invocation; the small one after it goes with the next GET /next again.
    assert server.pipelined == [False, False, True]


def test_a_connection_closed_after_the_202_is_asked_again(tmp_path: pathlib.Path) -> None:
    payloads = [str(n).encode() for n in range(10)]
    server = PipeServer(payloads, close_after_post=True)
    proc = _start(server, tmp_path)
    _finish(server, proc)
    # The GET /next sent with a post on a connection the server then closed was never
    # served: it is sent again on a new connection, and nothing is lost or doubled.
    assert [server.answers[rid] for rid in server.order] == [[("response", p)] for p in payloads]


@pytest.mark.parametrize("status", [500, 404])
def test_a_pipelined_post_refused_is_fatal_at_once(tmp_path: pathlib.Path, status: int) -> None:
    server = PipeServer([b"1", b"2", b"3"], post_status=status)
    proc = _start(server, tmp_path)
    try:
        _out, err = proc.communicate(timeout=20)
    finally:
        server.close()
    # The process does not wait for the GET /next it sent with the post: it says why and
    # exits 1 (Lambda then starts a fresh environment).
    assert proc.returncode == 1
    assert f"/response answered {status} Nope".encode() in err
