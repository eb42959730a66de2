"""The servers over real sockets: hostile requests, HTTP details, and the Runtime API
spoken by hand (the test plays the runtime on the environment's port)."""

from __future__ import annotations

import json
import pathlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from lambdago.emulator import Emulator

from .conftest import PYTHON, Bootstrap

INVOKE = "/2015-03-31/functions/function/invocations"
RESPONSE_LINE = b"POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\n"


def exchange(port: int, data: bytes, timeout: float = 10.0) -> tuple[bytes, bool]:
    """Send raw bytes; return everything answered and whether the server closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        sock.settimeout(1.0)
        closed = False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                piece = sock.recv(65536)
            except TimeoutError:
                break
            except ConnectionResetError:
                closed = True
                break
            if not piece:
                closed = True
                break
            received += piece
        return received, closed


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


class RawHTTP:
    """One keep-alive client connection, answers read with their framing."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def read_response(self) -> tuple[int, dict[str, str], bytes]:
        while b"\r\n\r\n" not in self.buf:
            piece = self.sock.recv(65536)
            assert piece, "connection closed"
            self.buf += piece
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(self.buf) < length:
            piece = self.sock.recv(65536)
            assert piece, "connection closed"
            self.buf += piece
        body, self.buf = self.buf[:length], self.buf[length:]
        return status, headers, body

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def emu(python_bootstrap: Bootstrap) -> Iterator[Emulator]:
    with python_bootstrap.emulator() as e:
        yield e


HOSTILE = [
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40, 400),  # a TLS hello
    (b"garbage garbage\r\n\r\n", 400),
    (b"POST " + b"/x" * 5000 + b" HTTP/1.1\r\n\r\n", 414),
    (b"POST / HTTP/1.1\r\n" + b"".join(b"H%d: v\r\n" % i for i in range(200)) + b"\r\n", 431),
    (b"POST / HTTP/1.1\r\nBig: " + b"v" * 100_000 + b"\r\n\r\n", 431),
    (b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nContent-Length: nope\r\n\r\n", 400),
    (
        b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        400,
    ),
    (
        b"POST "
        + INVOKE.encode()
        + b" HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
        400,
    ),
    (b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
    (b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400),
    (b"GET / HTTP/3.0\r\n\r\n", 505),
]


@pytest.mark.parametrize(("data", "status"), HOSTILE)
def test_hostile_requests_get_4xx_and_the_emulator_stays_up(
    emu: Emulator, data: bytes, status: int
) -> None:
    for port in (emu.port, int(emu.runtime_api.rsplit(":", 1)[1])):
        answer, closed = exchange(port, data)
        assert status_of(answer) == status, answer[:200]
        assert b"Connection: close" in answer
        assert closed
    assert emu.invoke(b'{"action": "echo"}').status == 200


def test_a_slowloris_does_not_block_others(emu: Emulator) -> None:
    idle = socket.create_connection(("127.0.0.1", emu.port))
    idle.sendall(b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nContent-Le")  # and nothing more
    try:
        assert emu.invoke(b'{"action": "echo"}').status == 200
    finally:
        idle.close()


def test_not_found_and_method_not_allowed(emu: Emulator) -> None:
    answer, _ = exchange(
        emu.port, b"GET " + INVOKE.encode() + b" HTTP/1.1\r\nConnection: close\r\n\r\n"
    )
    assert status_of(answer) == 405
    assert b"Allow: POST" in answer
    answer, _ = exchange(emu.port, b"POST /nope HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert status_of(answer) == 404
    runtime = int(emu.runtime_api.rsplit(":", 1)[1])
    answer, _ = exchange(
        runtime, b"POST /2018-06-01/runtime/invocation/next HTTP/1.1\r\nConnection: close\r\n\r\n"
    )
    assert status_of(answer) == 405
    answer, _ = exchange(
        runtime,
        b"GET /2018-06-01/runtime/invocation/x/response HTTP/1.1\r\nConnection: close\r\n\r\n",
    )
    assert status_of(answer) == 405
    answer, _ = exchange(runtime, b"GET /2018-06-01/nothing HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert status_of(answer) == 404
    body = json.loads(answer.partition(b"\r\n\r\n")[2])
    assert set(body) == {"errorMessage", "errorType"}


def test_chunked_invoke_body_and_keep_alive_after_errors(emu: Emulator) -> None:
    client = RawHTTP(emu.port)
    try:
        client.send(
            b"POST "
            + INVOKE.encode()
            + b" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b'5\r\n{"act\r\n13\r\nion": "echo", "n": \r\n2\r\n7}\r\n0\r\n\r\n'
        )
        status, _, body = client.read_response()
        assert status == 200
        assert json.loads(body) == {"action": "echo", "n": 7}
        # A refused request (413) keeps the connection usable.
        big = b"x" * (6 * 1024 * 1024 + 1)
        client.send(
            b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(big) + big
        )
        status, headers, body = client.read_response()
        assert status == 413
        assert headers["x-amzn-errortype"] == "RequestEntityTooLargeException"
        client.send(b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
        status, _, body = client.read_response()
        assert status == 200
        assert json.loads(body) == {}
    finally:
        client.close()


def test_expect_continue(emu: Emulator) -> None:
    client = RawHTTP(emu.port)
    try:
        client.send(
            b"POST "
            + INVOKE.encode()
            + b" HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"
        )
        status, _, _ = client.read_response()
        assert status == 100
        client.send(b"{}")
        status, _, body = client.read_response()
        assert status == 200
        assert body == b"{}"
        # Too large: refused before the body is sent, and the connection closes.
        client.send(
            b"POST "
            + INVOKE.encode()
            + b" HTTP/1.1\r\nContent-Length: 7000000\r\nExpect: 100-continue\r\n\r\n"
        )
        status, headers, _ = client.read_response()
        assert status == 413
        assert headers.get("connection") == "close"
    finally:
        client.close()


def test_pipelined_requests_are_answered_in_order(emu: Emulator) -> None:
    client = RawHTTP(emu.port)
    try:
        requests = b"".join(
            b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nContent-Length: %d\r\n\r\n%s" % (len(p), p)
            for p in (b'{"n": 1}', b'{"n": 2}', b'{"n": 3}')
        )
        client.send(requests)
        assert [json.loads(client.read_response()[2])["n"] for _ in range(3)] == [1, 2, 3]
    finally:
        client.close()


# -- the Runtime API by hand -----------------------------------------------------------------------


@pytest.fixture
def manual(tmp_path: pathlib.Path) -> Iterator[Emulator]:
    """An emulator whose 'runtime' only sleeps: the test itself speaks the Runtime API on
    the environment's port."""
    with Emulator(
        [PYTHON, "-c", "import time; time.sleep(60)"],
        task_root=tmp_path,
        invoke_port=0,
        echo=None,
        timeout=10,
    ) as e:
        yield e


def _invoke_in_thread(
    emu: Emulator, payload: bytes, **options: Any
) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: out.update(r=emu.invoke(payload, **options)))
    thread.start()
    deadline = time.monotonic() + 10
    while not emu.processes and time.monotonic() < deadline:
        time.sleep(0.005)  # the invocation has arrived once its environment has a process
    return thread, out


def test_runtime_api_by_hand(manual: Emulator) -> None:
    thread, out = _invoke_in_thread(manual, b'{"hello": "world"}')
    runtime = RawHTTP(int(manual.runtime_api.rsplit(":", 1)[1]))
    try:
        runtime.send(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: r\r\n\r\n")
        status, headers, body = runtime.read_response()
        assert status == 200
        assert body == b'{"hello": "world"}'
        assert headers["content-type"] == "application/json"
        request_id = headers["lambda-runtime-aws-request-id"]
        # A chunked /response, with the streaming header a later issue will honour.
        runtime.send(
            RESPONSE_LINE
            % request_id.encode()
            + b"Transfer-Encoding: chunked\r\nLambda-Runtime-Function-Response-Mode: streaming\r\n"
            b"Content-Type: application/json\r\n\r\n"
            b'4\r\n{"ok\r\n6\r\n": tru\r\n2\r\ne}\r\n0\r\n\r\n'
        )
        status, _, body = runtime.read_response()
        assert status == 202
        assert json.loads(body) == {"status": "OK"}
        thread.join(10)
        assert out["r"].status == 200
        assert json.loads(out["r"].payload) == {"ok": True}
        # Same connection (keep-alive): the next /next waits for the next invocation.
        runtime.send(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n")
        thread, out = _invoke_in_thread(manual, b"[1]")
        status, headers, body = runtime.read_response()
        assert status == 200
        assert body == b"[1]"
        request_id = headers["lambda-runtime-aws-request-id"]
        error = b'{"errorMessage":"bad","errorType":"Custom.Error"}'
        runtime.send(
            b"POST /2018-06-01/runtime/invocation/%s/error HTTP/1.1\r\nContent-Length: %d\r\n"
            b"Lambda-Runtime-Function-Error-Type: Custom.Error\r\n\r\n%s"
            % (request_id.encode(), len(error), error)
        )
        status, _, _ = runtime.read_response()
        assert status == 202
        thread.join(10)
        assert out["r"].function_error == "Unhandled"
        assert out["r"].payload == error
    finally:
        runtime.close()


def test_response_too_large_then_next(manual: Emulator) -> None:
    thread, out = _invoke_in_thread(manual, b"{}")
    runtime = RawHTTP(int(manual.runtime_api.rsplit(":", 1)[1]))
    try:
        runtime.send(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n")
        _, headers, _ = runtime.read_response()
        request_id = headers["lambda-runtime-aws-request-id"].encode()
        big = b"y" * 6_291_557
        runtime.send(RESPONSE_LINE % request_id + b"Content-Length: %d\r\n\r\n" % len(big) + big)
        status, _, body = runtime.read_response()
        assert status == 413
        assert json.loads(body)["errorType"] == "RequestEntityTooLarge"
        thread.join(0.2)
        assert thread.is_alive()  # not answered yet: an /error may follow
        runtime.send(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n")
        thread.join(10)
        body = json.loads(out["r"].payload)
        assert body["errorType"] == "Function.ResponseSizeTooLarge"
        assert "6291557 bytes" in body["errorMessage"]
    finally:
        runtime.close()


def test_a_new_next_replaces_a_stale_one(manual: Emulator) -> None:
    port = int(manual.runtime_api.rsplit(":", 1)[1])
    first = RawHTTP(port)
    second = RawHTTP(port)
    try:
        thread, out = _invoke_in_thread(manual, b'{"warm": 1}')
        first.send(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n")
        _, headers, _ = first.read_response()
        rid = headers["lambda-runtime-aws-request-id"].encode()
        first.send(RESPONSE_LINE % rid + b"Content-Length: 2\r\n\r\n{}")
        assert first.read_response()[0] == 202
        thread.join(10)
        first.send(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n")
        time.sleep(0.1)
        first.close()  # a runtime whose connection died while waiting
        second.send(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n")
        time.sleep(0.1)
        thread, out = _invoke_in_thread(manual, b'{"n": 2}')
        status, headers, body = second.read_response()  # delivered to the live poll
        assert status == 200
        assert body == b'{"n": 2}'
        rid = headers["lambda-runtime-aws-request-id"].encode()
        second.send(RESPONSE_LINE % rid + b"Content-Length: 1\r\n\r\n7")
        assert second.read_response()[0] == 202
        thread.join(10)
        assert out["r"].payload == b"7"
    finally:
        second.close()
