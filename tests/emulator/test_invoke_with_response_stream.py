"""InvokeWithResponseStream (``POST /2021-11-15/functions/{name}/response-streaming-
invocations``), the API the AWS SDKs call for ``invoke_with_response_stream``: the real
bootstrap behind the emulator, the answer read over a loopback socket as AWS event stream
messages, piece by piece."""

from __future__ import annotations

import base64
import http.client
import json
import textwrap
import time
from collections.abc import Iterator
from typing import Any

import pytest

from lambdago.emulator import Emulator
from lambdago.emulator.eventstream import Message, decode_messages

from .conftest import PYTHON

APP = """
    import time

    def handler(event):
        kind = event.get("kind")
        if kind == "pieces":
            def pieces():
                for i in range(3):
                    yield f"piece {i};"
                    time.sleep(0.25)
            return pieces()
        if kind == "fail-mid-stream":
            def failing():
                yield b"partial"
                raise ValueError("broke mid-stream")
            return failing()
        if kind == "raise":
            print("about to raise", flush=True)
            raise KeyError("missing")
        if kind == "hang":
            time.sleep(60)
        return {"echo": event}
"""

PATH = "/2021-11-15/functions/my-function/response-streaming-invocations"


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    root = tmp_path_factory.mktemp("task")
    (root / "app.py").write_text(textwrap.dedent(APP))
    emulator = Emulator(
        [PYTHON, "-m", "lambdago", "app.handler"],
        task_root=root,
        invoke_port=0,
        echo=None,
        timeout=1.5,
    )
    with emulator:
        yield emulator


def _call(
    emu: Emulator, payload: bytes, headers: dict[str, str] | None = None
) -> tuple[http.client.HTTPResponse, list[tuple[float, Message]]]:
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    conn.request("POST", PATH, body=payload, headers=headers or {})
    response = conn.getresponse()
    arrivals: list[tuple[float, Message]] = []
    pending = b""
    while True:
        piece = response.read1(65536)
        if not piece:
            break
        messages, pending = decode_messages(pending + piece)
        arrivals.extend((time.monotonic(), m) for m in messages)
    assert pending == b"", "the answer ended in the middle of a message"
    conn.close()
    return response, arrivals


def _complete(arrivals: list[tuple[float, Message]]) -> dict[str, str]:
    *_, (_, last) = arrivals
    assert last.event_type == "InvokeComplete"
    assert [m.event_type for _, m in arrivals[:-1]] == ["PayloadChunk"] * (len(arrivals) - 1)
    done: dict[str, str] = json.loads(last.payload)
    return done


def test_a_buffered_result_is_one_chunk_then_complete(emu: Emulator) -> None:
    response, arrivals = _call(emu, b'{"a": 1}')
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/vnd.amazon.eventstream"
    assert response.getheader("X-Amz-Executed-Version") == "$LATEST"
    assert response.getheader("X-Amzn-RequestId")
    assert response.getheader("X-Amz-Function-Error") is None
    assert [m.payload for _, m in arrivals[:-1]] == [b'{"echo":{"a":1}}']
    assert _complete(arrivals) == {}


def test_a_streamed_result_arrives_as_it_is_made(emu: Emulator) -> None:
    response, arrivals = _call(emu, b'{"kind": "pieces"}')
    assert response.status == 200
    chunks = [(t, m.payload) for t, m in arrivals if m.event_type == "PayloadChunk"]
    assert b"".join(p for _, p in chunks) == b"piece 0;piece 1;piece 2;"
    t0 = next(t for t, p in chunks if b"piece 0" in p)
    t2 = next(t for t, p in chunks if b"piece 2" in p)
    assert t2 - t0 >= 0.35, "the pieces were collected, not streamed"
    assert _complete(arrivals) == {}


def test_an_error_mid_stream_is_in_invoke_complete(emu: Emulator) -> None:
    _response, arrivals = _call(emu, b'{"kind": "fail-mid-stream"}')
    assert b"".join(m.payload for _, m in arrivals[:-1]) == b"partial"
    assert _complete(arrivals) == {"ErrorCode": "ValueError", "ErrorDetails": "broke mid-stream"}


def test_a_handler_error_gives_the_error_document_and_code(emu: Emulator) -> None:
    _response, arrivals = _call(emu, b'{"kind": "raise"}', {"X-Amz-Log-Type": "Tail"})
    (_, chunk), *_ = arrivals
    document = json.loads(chunk.payload)
    assert document["errorType"] == "KeyError"
    assert document["stackTrace"]
    done = _complete(arrivals)
    assert done["ErrorCode"] == "KeyError"
    assert done["ErrorDetails"] == "'missing'"
    log = base64.b64decode(done["LogResult"]).decode()
    assert "about to raise" in log
    assert "REPORT RequestId:" in log


def test_a_timeout_is_sandbox_timedout(emu: Emulator) -> None:
    _response, arrivals = _call(emu, b'{"kind": "hang"}')
    done = _complete(arrivals)
    assert done["ErrorCode"] == "Sandbox.Timedout"
    assert "Task timed out after 1.50 seconds" in done["ErrorDetails"]
    # the environment was replaced; the next call is served
    _response, arrivals = _call(emu, b'{"b": 2}')
    assert arrivals[0][1].payload == b'{"echo":{"b":2}}'


def test_invocation_types(emu: Emulator) -> None:
    response, arrivals = _call(emu, b"{}", {"X-Amz-Invocation-Type": "DryRun"})
    assert response.status == 204 and arrivals == []
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    conn.request("POST", PATH, body=b"{}", headers={"X-Amz-Invocation-Type": "Event"})
    answer = conn.getresponse()
    assert answer.status == 400
    assert answer.getheader("x-amzn-ErrorType") == "ValidationException"
    assert "[RequestResponse, DryRun]" in json.loads(answer.read())["message"]
    conn.request("GET", PATH)
    answer = conn.getresponse()
    assert answer.status == 405
    answer.read()
    conn.close()


def _sdk_client(emu: Emulator) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "lambda",
        endpoint_url=f"http://127.0.0.1:{emu.port}",
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"max_attempts": 0}, read_timeout=10),
    )


def test_the_aws_sdk_reads_the_answers(emu: Emulator) -> None:
    """boto3 (botocore's own parsers) as the client: Invoke and InvokeWithResponseStream,
    results, errors and streams, as a program written against Lambda would see them."""
    client = _sdk_client(emu)
    context = base64.b64encode(json.dumps({"custom": {"k": "v"}}).encode()).decode()
    answer = client.invoke(
        FunctionName="my-function", Payload=b'{"a": 1}', LogType="Tail", ClientContext=context
    )
    assert answer["StatusCode"] == 200
    assert "FunctionError" not in answer
    assert json.loads(answer["Payload"].read()) == {"echo": {"a": 1}}
    assert "REPORT RequestId:" in base64.b64decode(answer["LogResult"]).decode()
    failed = client.invoke(FunctionName="my-function", Payload=b'{"kind": "raise"}')
    assert failed["FunctionError"] == "Unhandled"
    assert json.loads(failed["Payload"].read())["errorType"] == "KeyError"

    def events(payload: bytes) -> list[dict[str, Any]]:
        streamed = client.invoke_with_response_stream(FunctionName="my-function", Payload=payload)
        assert streamed["StatusCode"] == 200
        assert streamed["ResponseStreamContentType"] == "application/vnd.amazon.eventstream"
        return list(streamed["EventStream"])

    pieces = events(b'{"kind": "pieces"}')
    assert [e["PayloadChunk"]["Payload"] for e in pieces[:-1]] == [
        b"piece 0;",
        b"piece 1;",
        b"piece 2;",
    ]
    assert pieces[-1] == {"InvokeComplete": {}}
    broken = events(b'{"kind": "fail-mid-stream"}')
    assert broken[0] == {"PayloadChunk": {"Payload": b"partial"}}
    assert broken[-1] == {
        "InvokeComplete": {"ErrorCode": "ValueError", "ErrorDetails": "broke mid-stream"}
    }
