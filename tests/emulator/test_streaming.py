"""Streamed responses through the emulator: the real bootstrap streams to the Runtime API
and the invoke endpoint passes each piece on to the caller as it arrives (chunked), with
errors, the size limit, timeouts and exits reported in trailers."""

from __future__ import annotations

import base64
import json
import pathlib
import textwrap
import time

import pytest

from lambdago.emulator import Emulator, StreamedInvokeResult

from .conftest import PYTHON

APP = """
    import asyncio, os, time
    from lambdago.events.lambda_function_urls import LambdaFunctionURLStreamingResponse

    def handler(event):
        kind = event.get("kind")
        gap = event.get("gap", 0.25)
        if kind == "fail":
            def failing():
                yield b"partial "
                raise ValueError("broke mid-stream")
            return failing()
        if kind == "big":
            def big():
                for _ in range(event["pieces"]):
                    yield b"x" * 65536
            return big()
        if kind == "hang":
            def hang():
                yield b"started"
                time.sleep(60)
                yield b"never"
            return hang()
        if kind == "die":
            def die():
                yield b"about to die"
                time.sleep(0.1)
                os._exit(7)
            return die()
        if kind == "url":
            async def events():
                for i in range(3):
                    yield f"data: {i}\\n\\n"
                    await asyncio.sleep(gap)
            return LambdaFunctionURLStreamingResponse(
                headers={"content-type": "text/event-stream"}, body=events()
            )
        if kind == "plain":
            return {"plain": True}
        def pieces():
            for i in range(3):
                print(f"making piece {i}", flush=True)
                yield f"piece {i}\\n"
                time.sleep(gap)
        return pieces()
"""


@pytest.fixture
def task_root(tmp_path: pathlib.Path) -> pathlib.Path:
    root = tmp_path / "task"
    root.mkdir()
    (root / "app.py").write_text(textwrap.dedent(APP))
    return root


def _emulator(task_root: pathlib.Path, **options: object) -> Emulator:
    options.setdefault("invoke_port", 0)
    options.setdefault("echo", None)
    return Emulator([PYTHON, "-m", "lambdago", "app.handler"], task_root=task_root, **options)  # type: ignore[arg-type]


def _timed(result: StreamedInvokeResult) -> list[tuple[float, bytes]]:
    return [(time.monotonic(), piece) for piece in result]


def test_pieces_reach_the_caller_as_they_are_made(task_root: pathlib.Path) -> None:
    with _emulator(task_root) as emu:
        result = emu.invoke_stream(b'{"gap": 0.25}')
        assert result.status == 200
        assert result.streamed
        assert result.headers["content-type"] == "application/octet-stream"
        assert result.headers["lambda-runtime-function-response-mode"] == "streaming"
        assert "X-Amz-Function-Error" in result.headers["trailer"]
        arrivals = _timed(result)
        body = b"".join(piece for _, piece in arrivals)
        assert body == b"piece 0\npiece 1\npiece 2\n"
        # Read piece by piece: the first arrived ~0.25 s before the second, and so on:
        # streamed through, not collected and sent at the end.
        first = arrivals[0][0]
        second = next(t for t, p in arrivals if b"piece 1" in p)
        third = next(t for t, p in arrivals if b"piece 2" in p)
        assert second - first >= 0.15
        assert third - second >= 0.15
        assert result.trailers == {}
        assert result.function_error is None
        # The buffered client reads the same stream whole; ordinary results are unchanged.
        assert emu.invoke(b'{"gap": 0}').payload == b"piece 0\npiece 1\npiece 2\n"
        plain = emu.invoke(b'{"kind": "plain"}')
        assert plain.json() == {"plain": True}
        assert plain.headers["content-length"] == str(len(plain.payload))


def test_a_function_url_stream_keeps_its_prelude_and_timing(task_root: pathlib.Path) -> None:
    with _emulator(task_root) as emu:
        result = emu.invoke_stream(b'{"kind": "url", "gap": 0.2}')
        assert (
            result.headers["content-type"] == "application/vnd.awslambda.http-integration-response"
        )
        arrivals = _timed(result)
        body = b"".join(p for _, p in arrivals)
        prelude, _, events = body.partition(b"\x00" * 8)
        assert json.loads(prelude) == {
            "statusCode": 200,
            "headers": {"content-type": "text/event-stream"},
        }
        assert events == b"data: 0\n\ndata: 1\n\ndata: 2\n\n"
        t1 = next(t for t, p in arrivals if b"data: 1" in p)
        t2 = next(t for t, p in arrivals if b"data: 2" in p)
        assert t2 - t1 >= 0.12


def test_an_error_mid_stream_ends_the_callers_body_with_trailers(task_root: pathlib.Path) -> None:
    with _emulator(task_root) as emu:
        result = emu.invoke_stream(b'{"kind": "fail"}', headers={"X-Amz-Log-Type": "Tail"})
        assert result.status == 200
        assert result.read_all() == b"partial "
        assert result.function_error == "Unhandled"
        assert result.trailers["lambda-runtime-function-error-type"] == "ValueError"
        error = result.error
        assert error["errorType"] == "ValueError"
        assert error["errorMessage"] == "broke mid-stream"
        assert error["requestId"] == result.headers["x-amzn-requestid"]
        tail = base64.b64decode(result.trailers["x-amz-log-result"]).decode()
        assert "the streamed response failed: ValueError" in tail
        assert "Status: error\tError Type: ValueError" in tail
        # The runtime goes on.
        assert emu.invoke(b'{"kind": "plain"}').json() == {"plain": True}


def test_the_log_tail_of_a_stream_comes_as_a_trailer(task_root: pathlib.Path) -> None:
    with _emulator(task_root) as emu:
        result = emu.invoke_stream(b'{"gap": 0}', headers={"X-Amz-Log-Type": "Tail"})
        assert result.read_all() == b"piece 0\npiece 1\npiece 2\n"
        tail = base64.b64decode(result.trailers["x-amz-log-result"]).decode()
        assert "making piece 2" in tail
        assert f"END RequestId: {result.headers['x-amzn-requestid']}" in tail
        assert "REPORT RequestId:" in tail


def test_the_stream_size_limit_cuts_the_stream_with_an_error(task_root: pathlib.Path) -> None:
    limit = 1024 * 1024
    lines: list[str] = []

    class Echo:
        def write(self, text: str) -> None:
            lines.append(text)

        def flush(self) -> None:
            pass

    with _emulator(task_root, stream_limit=limit, echo=Echo()) as emu:  # type: ignore[arg-type]
        result = emu.invoke_stream(b'{"kind": "big", "pieces": 400}')
        body = result.read_all()
        assert len(body) <= limit
        assert result.function_error == "Unhandled"
        assert result.trailers["lambda-runtime-function-error-type"] == (
            "Function.ResponseSizeTooLarge"
        )
        assert result.error["errorMessage"] == (
            f"Response payload size exceeded maximum allowed payload size ({limit} bytes)."
        )
        # The runtime was answered 413, logged it, and serves the next invocation.
        assert emu.invoke(b'{"kind": "plain"}').json() == {"plain": True}
        log = "".join(lines)
        assert "[ERROR] Function.ResponseSizeTooLarge" in log
        assert "the streamed response was cut" in log
        # The default limit is Lambda's: 200 MiB.
    assert Emulator([PYTHON]).config.stream_limit == 200 * 1024 * 1024


def test_a_timeout_mid_stream_ends_it_with_sandbox_timedout(task_root: pathlib.Path) -> None:
    with _emulator(task_root, timeout=1.0) as emu:
        result = emu.invoke_stream(b'{"kind": "hang"}')
        assert result.read_all() == b"started"
        assert result.trailers["lambda-runtime-function-error-type"] == "Sandbox.Timedout"
        assert "Task timed out after 1.00 seconds" in result.error["errorMessage"]
        assert emu.invoke(b'{"kind": "plain"}').json() == {"plain": True}


def test_a_runtime_exit_mid_stream_ends_it_with_exit_error(task_root: pathlib.Path) -> None:
    with _emulator(task_root) as emu:
        result = emu.invoke_stream(b'{"kind": "die"}')
        assert result.read_all() == b"about to die"
        assert result.trailers["lambda-runtime-function-error-type"] == "Runtime.ExitError"
        assert "exit status 7" in result.error["errorMessage"]
        assert emu.invoke(b'{"kind": "plain"}').json() == {"plain": True}


# The start of a runtime written by hand: one connection, and GET /next.
RAW_RUNTIME = """
    import os, socket, base64, json
    host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
    sock = socket.create_connection((host, int(port)))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    f = sock.makefile("rb")
    def next_event():
        sock.sendall(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
        headers = {}
        f.readline()
        while (line := f.readline().strip()):
            k, _, v = line.decode().partition(":")
            headers[k.lower()] = v.strip()
        f.read(int(headers.get("content-length", 0)))
        return headers["lambda-runtime-aws-request-id"]
"""


def test_a_stream_posted_by_hand_with_error_trailers(tmp_path: pathlib.Path) -> None:
    """The Runtime API side, spoken over a raw socket: a streamed /response whose body ends
    with the error trailers reaches the caller with them."""
    root = tmp_path / "task"
    root.mkdir()
    bootstrap = root / "bootstrap"
    bootstrap.write_text(
        f"#!{PYTHON}\n"
        + textwrap.dedent(RAW_RUNTIME)
        + textwrap.dedent(
            """
            rid = next_event()
            error = base64.b64encode(json.dumps({"errorType": "Custom.Stop", "errorMessage": "stopped"}).encode()).decode()
            sock.sendall(
                f"POST /2018-06-01/runtime/invocation/{rid}/response HTTP/1.1\\r\\nHost: x\\r\\n"
                "Lambda-Runtime-Function-Response-Mode: streaming\\r\\nTransfer-Encoding: chunked\\r\\n"
                "Content-Type: text/plain\\r\\n\\r\\n5\\r\\nhello\\r\\n".encode()
                + f"0\\r\\nLambda-Runtime-Function-Error-Type: Custom.Stop\\r\\nLambda-Runtime-Function-Error-Body: {error}\\r\\n\\r\\n".encode()
            )
            status = f.readline()
            while f.readline().strip():
                pass
            f.read(15)
            next_event()
            """
        )
    )
    bootstrap.chmod(0o755)
    with Emulator([str(bootstrap)], task_root=root, invoke_port=0, echo=None) as emu:
        result = emu.invoke_stream(b"{}")
        assert result.headers["content-type"] == "text/plain"
        assert result.read_all() == b"hello"
        assert result.trailers["lambda-runtime-function-error-type"] == "Custom.Stop"
        assert result.error == {"errorType": "Custom.Stop", "errorMessage": "stopped"}


BUFFERED_WITH_TRAILERS = """
    import sys
    def answer():
        status = f.readline()
        length = 0
        while (line := f.readline().strip()):
            k, _, v = line.decode().partition(":")
            if k.lower() == "content-length":
                length = int(v)
        f.read(length)
        return status
    body_trailer = sys.argv[1]
    rid = next_event()
    trailers = "Lambda-Runtime-Function-Error-Type: Reader.Broke\\r\\n"
    if body_trailer == "json":
        error = json.dumps({"errorType": "Reader.Broke", "errorMessage": "half-way"}).encode()
        trailers += f"Lambda-Runtime-Function-Error-Body: {base64.b64encode(error).decode()}\\r\\n"
    elif body_trailer == "garbage":
        trailers += "Lambda-Runtime-Function-Error-Body: not*base64\\r\\n"
    # No streaming mode: a buffered answer, sent chunked (as Go's net/http sends a body of
    # unknown length), whose trailers say it failed.
    sock.sendall(
        f"POST /2018-06-01/runtime/invocation/{rid}/response HTTP/1.1\\r\\nHost: x\\r\\n"
        "Transfer-Encoding: chunked\\r\\nTrailer: Lambda-Runtime-Function-Error-Type\\r\\n"
        "Content-Type: application/json\\r\\n\\r\\n6\\r\\npiece;\\r\\n".encode()
        + f"0\\r\\n{trailers}\\r\\n".encode()
    )
    assert b" 202 " in answer()
    rid = next_event()
    sock.sendall(
        f"POST /2018-06-01/runtime/invocation/{rid}/response HTTP/1.1\\r\\nHost: x\\r\\n"
        "Transfer-Encoding: chunked\\r\\n\\r\\n4\\r\\n\\"ok\\"\\r\\n0\\r\\n\\r\\n".encode()
    )
    assert b" 202 " in answer()
    next_event()
"""


@pytest.mark.parametrize("body_trailer", ["json", "missing", "garbage"])
def test_a_buffered_response_ending_with_error_trailers_is_a_failed_invocation(
    tmp_path: pathlib.Path, body_trailer: str
) -> None:
    """aws-lambda-go posts a handler's io.Reader result chunked and, if the reader fails
    half-way, ends the body with the error trailers; Lambda then reports the invocation
    as failed with that error, not the partial body as a result."""
    root = tmp_path / "task"
    root.mkdir()
    bootstrap = root / "bootstrap"
    bootstrap.write_text(
        f"#!{PYTHON}\n" + textwrap.dedent(RAW_RUNTIME) + textwrap.dedent(BUFFERED_WITH_TRAILERS)
    )
    bootstrap.chmod(0o755)
    with Emulator([str(bootstrap), body_trailer], task_root=root, invoke_port=0, echo=None) as emu:
        failed = emu.invoke(b"{}", log_tail=True)
        assert failed.function_error == "Unhandled"
        if body_trailer == "json":
            assert failed.json() == {"errorType": "Reader.Broke", "errorMessage": "half-way"}
        else:
            assert failed.json() == {"errorMessage": "", "errorType": "Reader.Broke"}
        assert "Reader.Broke" in (failed.log_tail or "")
        # The next invocation is served as usual, from a chunked body without trailers.
        ok = emu.invoke(b"{}")
        assert ok.function_error is None and ok.json() == "ok"
