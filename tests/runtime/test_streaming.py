"""Response streaming end to end: the real bootstrap against the fake Runtime API, which
records each chunk as it arrives (and can cut the stream or answer 413 part way)."""

from __future__ import annotations

import base64
import json
import pathlib
import time

from tests.runtime.conftest import Runtime
from tests.support.fake_runtime_api import FakeRuntimeAPI, Recorded

STREAMS = """
    import asyncio, io, json, os, time
    import lambdago
    from lambdago.events.apigw import APIGatewayProxyStreamingResponse
    from lambdago.events.lambda_function_urls import LambdaFunctionURLStreamingResponse

    MARKS = os.environ["MARKS"]

    def mark(text):
        with open(MARKS, "a") as f:
            f.write(text + "\\n")

    class Tracked(io.BytesIO):
        def close(self):
            mark("file closed")
            super().close()

    def slow(n, gap):
        try:
            for i in range(n):
                yield f"piece {i}\\n"
                time.sleep(gap)
        finally:
            mark("generator closed")

    def failing():
        try:
            yield b"before "
            raise ValueError("broke mid-stream")
        finally:
            mark("generator closed")

    async def agen():
        for i in range(3):
            await asyncio.sleep(0.05)
            yield b"async " if i % 2 else "text "

    def big():
        try:
            for _ in range(1000):
                yield b"x" * 65536
        finally:
            mark("generator closed")

    def handler(event):
        kind = event["kind"]
        if kind == "slow":
            return slow(3, 0.15)
        if kind == "fail":
            return failing()
        if kind == "async":
            return agen()
        if kind == "file":
            return Tracked(b"file contents " * 10000)
        if kind == "url":
            return LambdaFunctionURLStreamingResponse(
                status_code=201,
                headers={"Content-Type": "text/event-stream"},
                cookies=["a=1", "b=2"],
                body=slow(2, 0.05),
            )
        if kind == "url-defaults":
            return LambdaFunctionURLStreamingResponse(body=b"plain")
        if kind == "rest":
            return APIGatewayProxyStreamingResponse(
                multi_value_headers={"X-Many": ["1", "2"]}, body="text body"
            )
        if kind == "big":
            return big()
        if kind == "bad-piece":
            return iter([b"ok", 42])
        if kind == "exit":
            def dying():
                yield b"last words"
                raise SystemExit(3)
            return dying()
        if kind == "str":
            return "a str is JSON, not a stream"
        return {"plain": kind}
"""


def _start(runtime: Runtime, tmp_path: pathlib.Path) -> pathlib.Path:
    marks = tmp_path / "marks.txt"
    runtime.write(STREAMS)
    runtime.start(env={"MARKS": str(marks)})
    return marks


def _marks(path: pathlib.Path, wanted: str = "", timeout: float = 5.0) -> list[str]:
    """The marks written so far, waiting up to ``timeout`` for ``wanted`` to be among them
    (the source is closed just after the post is answered)."""
    end = time.monotonic() + timeout
    while True:
        marks = path.read_text().splitlines() if path.exists() else []
        if not wanted or wanted in marks or time.monotonic() > end:
            return marks
        time.sleep(0.01)


def _is_streamed(rec: Recorded) -> bool:
    return (
        rec.headers.get("lambda-runtime-function-response-mode") == "streaming"
        and rec.headers.get("transfer-encoding") == "chunked"
        and "content-length" not in rec.headers
    )


def test_a_generator_is_streamed_piece_by_piece_as_produced(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    marks = _start(runtime, tmp_path)
    rid = api.add(b'{"kind": "slow"}')
    rec = api.wait_result(rid)
    assert rec.path.endswith(f"/{rid}/response")
    assert _is_streamed(rec)
    assert rec.headers["content-type"] == "application/octet-stream"
    assert rec.headers["trailer"] == (
        "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body"
    )
    assert [data for _, data in rec.chunks] == [b"piece 0\n", b"piece 1\n", b"piece 2\n"]
    times = [t for t, _ in rec.chunks]
    # Each piece left as soon as it was made: ~0.15 s apart, not all at the end.
    assert times[1] - times[0] >= 0.1
    assert times[2] - times[1] >= 0.1
    assert rec.trailers == {}
    assert "generator closed" in _marks(marks, "generator closed")
    # An ordinary result after a stream is still one buffered post.
    plain = api.wait_result(api.add(b'{"kind": "after"}'))
    assert plain.json() == {"plain": "after"}
    assert plain.headers["content-length"] == str(len(plain.body))
    assert "transfer-encoding" not in plain.headers


def test_async_generators_str_pieces_and_files(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    marks = _start(runtime, tmp_path)
    rec = api.wait_result(api.add(b'{"kind": "async"}'))
    assert _is_streamed(rec)
    assert [data for _, data in rec.chunks] == [b"text ", b"async ", b"text "]
    rec = api.wait_result(api.add(b'{"kind": "file"}'))
    assert _is_streamed(rec)
    assert rec.body == b"file contents " * 10000
    assert len(rec.chunks) >= 2  # read and sent in 64 KiB pieces
    assert "file closed" in _marks(marks, "file closed")
    # A str is JSON, never a stream (it is iterable, but not an iterator).
    rec = api.wait_result(api.add(b'{"kind": "str"}'))
    assert not _is_streamed(rec)
    assert rec.json() == "a str is JSON, not a stream"


def test_an_error_mid_stream_ends_the_body_with_the_error_trailers(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    marks = _start(runtime, tmp_path)
    rid = api.add(b'{"kind": "fail"}')
    rec = api.wait_result(rid)
    assert rec.path.endswith(f"/{rid}/response")  # the stream, not an /error post
    assert rec.body == b"before "
    assert rec.trailers["lambda-runtime-function-error-type"] == "ValueError"
    error = json.loads(base64.b64decode(rec.trailers["lambda-runtime-function-error-body"]))
    assert error["errorType"] == "ValueError"
    assert error["errorMessage"] == "broke mid-stream"
    assert error["requestId"] == rid
    assert any('raise ValueError("broke mid-stream")' in frame for frame in error["stackTrace"])
    assert "generator closed" in _marks(marks, "generator closed")
    # A piece that is neither bytes nor str is an error too; the loop goes on.
    rec = api.wait_result(api.add(b'{"kind": "bad-piece"}'))
    assert rec.body == b"ok"
    assert rec.trailers["lambda-runtime-function-error-type"] == "TypeError"
    assert api.wait_result(api.add(b'{"kind": "next"}')).json() == {"plain": "next"}
    assert not [r for r in api.requests if r.path.endswith("/error")]


def test_function_url_streaming_response_sends_the_prelude_first(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    _start(runtime, tmp_path)
    rec = api.wait_result(api.add(b'{"kind": "url"}'))
    assert _is_streamed(rec)
    assert rec.headers["content-type"] == "application/vnd.awslambda.http-integration-response"
    prelude, sep, body = rec.body.partition(b"\x00" * 8)
    assert sep
    assert json.loads(prelude) == {
        "statusCode": 201,
        "headers": {"Content-Type": "text/event-stream"},
        "cookies": ["a=1", "b=2"],
    }
    assert body == b"piece 0\npiece 1\n"
    # The prelude travels with the request head, before the first piece is made.
    assert rec.chunks[0][1].endswith(b"\x00" * 8)
    rec = api.wait_result(api.add(b'{"kind": "url-defaults"}'))
    prelude, _, body = rec.body.partition(b"\x00" * 8)
    assert json.loads(prelude) == {"statusCode": 200}
    assert body == b"plain"
    rec = api.wait_result(api.add(b'{"kind": "rest"}'))
    prelude, _, body = rec.body.partition(b"\x00" * 8)
    assert json.loads(prelude) == {"statusCode": 200, "multiValueHeaders": {"X-Many": ["1", "2"]}}
    assert body == b"text body"


def test_a_stream_cut_by_the_runtime_api_is_fatal(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    _start(runtime, tmp_path)
    api.faults.stream_cut_after = 100_000
    api.add(b'{"kind": "big"}')
    code, _out, err = runtime.wait_exit()
    assert code == 1
    assert "lambdago: fatal: POST http://" in err
    assert "/response failed" in err


def test_a_413_mid_stream_stops_the_stream_and_the_loop_goes_on(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    marks = _start(runtime, tmp_path)
    api.faults.stream_413_after = 200_000
    rid = api.add(b'{"kind": "big"}')
    rec = api.wait_result(rid)
    assert _is_streamed(rec)
    assert "generator closed" in _marks(marks, "generator closed")
    api.faults.stream_413_after = None
    # The next invocation is served: the runtime dropped the cut connection and went on.
    assert api.wait_result(api.add(b'{"kind": "next"}')).json() == {"plain": "next"}
    # It stopped sending once refused (what the kernel's socket buffers held, a few MB,
    # was on its way), long before the 65 MB it would have made, and posted nothing more
    # for that invocation (its caller has part of the stream).
    assert sum(len(data) for _, data in rec.chunks) + api.lingered_bytes < 25_000_000
    assert not [r for r in api.requests if r.path.endswith("/error")]
    assert runtime.proc is not None
    runtime.proc.kill()
    _out, err = runtime.proc.communicate()
    assert b"[ERROR] Function.ResponseSizeTooLarge" in err


def test_a_fatal_error_mid_stream_is_reported_then_the_process_exits(
    runtime: Runtime, api: FakeRuntimeAPI, tmp_path: pathlib.Path
) -> None:
    _start(runtime, tmp_path)
    rec = api.wait_result(api.add(b'{"kind": "exit"}'))
    assert rec.body == b"last words"
    assert rec.trailers["lambda-runtime-function-error-type"] == "SystemExit"
    code, _out, err = runtime.wait_exit()
    assert code == 3
    assert "exiting so Lambda starts a fresh environment" in err
