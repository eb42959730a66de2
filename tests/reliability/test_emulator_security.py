"""The emulator against hostile clients: it listens on loopback, answers what is not its
API with 4xx, never serves a file, never lets one runtime touch another's invocation, and
stays up under many slow connections. (tests/emulator/test_sockets.py covers malformed
HTTP: bad lengths, header floods, TLS bytes, oversized heads.)"""

from __future__ import annotations

import json
import os
import pathlib
import socket
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from lambdago.emulator import Emulator
from tests.emulator.test_sockets import RawHTTP, exchange, status_of

from .conftest import wait_for

INVOKE = "/2015-03-31/functions/function/invocations"
ECHO = "def handler(event):\n    return event\n"


@pytest.fixture
def emu(tmp_path: pathlib.Path) -> Iterator[Emulator]:
    (tmp_path / "app.py").write_text(ECHO)
    with Emulator(
        [sys.executable, "-m", "lambdago", "app.handler"],
        task_root=tmp_path,
        invoke_port=0,
        echo=None,
    ) as e:
        yield e


def _runtime_port(emu: Emulator, index: int = 0) -> int:
    return int(emu.runtime_apis[index].rsplit(":", 1)[1])


def test_listens_on_loopback_only(emu: Emulator) -> None:
    service = emu._service
    assert service is not None and service.invoke_server is not None
    assert {s.getsockname()[0] for s in service.invoke_server.sockets} == {"127.0.0.1"}
    assert all(address.startswith("127.0.0.1:") for address in emu.runtime_apis)
    for env in service.envs:
        assert env.server is not None
        assert {s.getsockname()[0] for s in env.server.sockets} == {"127.0.0.1"}


SECRET_FILE_MARKERS = (b"root:", b"[boot loader]", b"PRIVATE KEY")

ODD_REQUESTS = [
    (b"GET /etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"POST /2015-03-31/functions/../../../etc/passwd HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 404),
    (b"GET http://127.0.0.1/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"GET file:///etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n", 404),
    (b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"TRACE " + INVOKE.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n", 405),
    (b"GET " + INVOKE.encode() + b"/../../../../etc/passwd HTTP/1.1\r\n\r\n", 404),
]


@pytest.mark.parametrize(("data", "status"), ODD_REQUESTS)
def test_nothing_outside_the_api_is_served(emu: Emulator, data: bytes, status: int) -> None:
    for port in (emu.port, _runtime_port(emu)):
        answer, _closed = exchange(port, data, timeout=5)
        assert 400 <= status_of(answer) < 500, answer[:300]
        if port == emu.port:
            assert status_of(answer) == status, answer[:300]
        assert not any(marker in answer for marker in SECRET_FILE_MARKERS)
    assert emu.invoke(b'{"still": "up"}').json() == {"still": "up"}


def test_a_function_name_with_traversal_invokes_the_one_function(emu: Emulator) -> None:
    """The function name in the path is not a file name: any name invokes the function."""
    for name in ("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "x;touch%20pwned", "$(touch%20pwned)"):
        target = f"/2015-03-31/functions/{name}/invocations"
        answer, _ = exchange(
            emu.port,
            f"POST {target} HTTP/1.1\r\nContent-Length: 7\r\nConnection: close\r\n\r\n"
            '"hello"'.encode(),
            timeout=10,
        )
        assert status_of(answer) == 200, answer[:300]
        assert answer.endswith(b'"hello"')
    assert not (pathlib.Path(emu.config.task_root) / "pwned").exists()
    assert not pathlib.Path("pwned").exists()


@pytest.mark.parametrize(
    "request_id",
    ["..%2F..%2Fetc%2Fpasswd", "%2e%2e", "..", "00000000-0000-0000-0000-000000000000"],
)
def test_runtime_api_refuses_ids_that_are_not_its_invocation(
    emu: Emulator, request_id: str
) -> None:
    emu.invoke(b"1")  # a runtime is up
    for kind in ("response", "error"):
        answer, _ = exchange(
            _runtime_port(emu),
            f"POST /2018-06-01/runtime/invocation/{request_id}/{kind} HTTP/1.1\r\n"
            "Content-Length: 2\r\nConnection: close\r\n\r\n{}".encode(),
            timeout=5,
        )
        assert status_of(answer) in (400, 404), answer[:300]
        assert not any(marker in answer for marker in SECRET_FILE_MARKERS)


@pytest.fixture
def two_manual_environments(tmp_path: pathlib.Path) -> Iterator[Emulator]:
    """Two environments whose 'runtimes' only sleep: the test speaks for both."""
    with Emulator(
        [sys.executable, "-c", "import time; time.sleep(60)"],
        task_root=tmp_path,
        invoke_port=0,
        echo=None,
        timeout=10,
        concurrency=2,
    ) as e:
        yield e


def _invoke_async(emu: Emulator, payload: bytes) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: out.update(r=emu.invoke(payload)))
    thread.start()
    return thread, out


def test_one_runtime_cannot_answer_or_take_anothers_invocation(
    two_manual_environments: Emulator,
) -> None:
    emu = two_manual_environments
    first, first_out = _invoke_async(emu, b'"for A"')
    wait_for(lambda: len(emu.processes) >= 1, what="the first environment")
    second, second_out = _invoke_async(emu, b'"for B"')
    wait_for(lambda: len(emu.processes) == 2, what="the second environment")
    a, b = RawHTTP(_runtime_port(emu, 0)), RawHTTP(_runtime_port(emu, 1))
    try:
        a.send(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n")
        b.send(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n")
        _, a_headers, a_body = a.read_response()
        _, b_headers, b_body = b.read_response()
        assert {a_body, b_body} == {b'"for A"', b'"for B"'}
        a_id = a_headers["lambda-runtime-aws-request-id"]
        b_id = b_headers["lambda-runtime-aws-request-id"]
        # A posts for B's invocation, on A's own Runtime API: refused.
        for kind in ("response", "error"):
            a.send(
                b"POST /2018-06-01/runtime/invocation/%s/%s HTTP/1.1\r\nContent-Length: 8\r\n\r\n"
                b'"stolen"' % (b_id.encode(), kind.encode())
            )
            status, _, body = a.read_response()
            assert status == 400 and json.loads(body)["errorType"] == "InvalidRequestID"
        # Each answers its own: each caller gets its own answer.
        for conn, rid, body in ((a, a_id, a_body), (b, b_id, b_body)):
            conn.send(
                b"POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (rid.encode(), len(body), body)
            )
            assert conn.read_response()[0] == 202
        first.join(10)
        second.join(10)
        assert first_out["r"].payload == b'"for A"'
        assert second_out["r"].payload == b'"for B"'
        # Another client on A's port asking for work gets nothing: B's invocation is not
        # reachable from A's Runtime API.
        intruder = RawHTTP(_runtime_port(emu, 0))
        intruder.sock.settimeout(0.5)
        intruder.send(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n")
        with pytest.raises(TimeoutError):
            intruder.read_response()
        intruder.close()
    finally:
        a.close()
        b.close()


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_many_slow_clients_do_not_take_the_emulator_down(emu: Emulator) -> None:
    """Hundreds of connections that send half a request and stall (slowloris, on the head
    and on the body): the emulator serves on, and frees every socket once they go."""
    emu.invoke(b"0")
    before = _fds()
    stalled = []
    for i in range(300):
        sock = socket.create_connection(("127.0.0.1", emu.port if i % 2 else _runtime_port(emu)))
        if i % 3 == 0:
            sock.sendall(b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nContent-Le")
        else:
            sock.sendall(
                b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nContent-Length: 99999\r\n\r\n{"
            )
        stalled.append(sock)
    try:
        for i in range(20):
            assert emu.invoke(str(i).encode()).json() == i
    finally:
        for sock in stalled:
            sock.close()
    wait_for(lambda: _fds() <= before + 2, timeout=10, what="the stalled sockets to be freed")


def test_stalled_requests_are_answered_408_and_closed(emu: Emulator) -> None:
    """A request whose head (or body) stops arriving is answered 408 and its connection
    closed within 5 s (the emulator's read timeout, READ_TIMEOUT_S), not held forever."""
    partials = [
        b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nContent-Le",
        b"POST " + INVOKE.encode() + b" HTTP/1.1\r\nContent-Length: 10\r\n\r\n{",
    ]
    socks = [socket.create_connection(("127.0.0.1", emu.port)) for _ in partials]
    answers = [b""] * len(socks)
    done = [False] * len(socks)
    deadline = time.monotonic() + 8
    try:
        for sock, partial in zip(socks, partials, strict=True):
            sock.sendall(partial)
            sock.settimeout(0.2)
        while time.monotonic() < deadline and not all(done):
            for i, sock in enumerate(socks):
                if done[i]:
                    continue
                try:
                    piece = sock.recv(65536)
                except TimeoutError:
                    continue
                answers[i] += piece
                done[i] = not piece
    finally:
        for sock in socks:
            sock.close()
    assert all(done), "a stalled connection was still open after 8 s"
    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
