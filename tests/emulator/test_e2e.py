"""End to end: the invoke endpoint, a real runtime process, real loopback sockets.

Every test here runs once per bootstrap (see conftest.py): the official Python client,
lambdago's own, Node's official client, and a hand-written executable.
"""

from __future__ import annotations

import base64
import http.client
import json
import pathlib
import re
import threading
import time
import uuid
from typing import Any

from lambdago.emulator import MAX_REQUEST_PAYLOAD, MAX_RESPONSE_PAYLOAD

from .conftest import Bootstrap, wait_gone

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _event(action: str, **fields: Any) -> bytes:
    return json.dumps({"action": action, **fields}).encode()


def test_success(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator() as emu:
        r = emu.invoke(_event("echo", value=[1, "two", {"three": 3.0}]))
        assert r.status == 200
        assert r.function_error is None
        assert r.json() == {"action": "echo", "value": [1, "two", {"three": 3.0}]}
        assert UUID_RE.match(r.headers["x-amzn-requestid"])
        assert r.headers["x-amz-executed-version"] == "$LATEST"
        assert r.headers["content-type"].startswith("application/json")
        assert r.log_tail is None
        # A second invocation reuses the warm runtime, with a fresh request id.
        pid = emu.processes
        r2 = emu.invoke(_event("echo"))
        assert r2.status == 200
        assert r2.request_id != r.request_id
        assert emu.processes == pid
        assert len(pid) == 1


def test_context_and_client_context(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator(function_name="test-function") as emu:
        r = emu.invoke(
            _event("context"),
            client_context={
                "custom": {"k": "v", "n": 1},
                "env": {"platform": "test"},
                "client": {},
            },
        )
        assert r.status == 200, r.payload
        out = r.json()
        assert out["request_id"] == r.headers["x-amzn-requestid"]
        assert out["arn"] == "arn:aws:lambda:us-east-1:000000000000:function:test-function"
        assert 0 < out["remaining_ms"] <= 3000
        assert out["custom"] == {"k": "v", "n": 1}
        if bootstrap.name != "node":  # Node's client keeps only `custom` and `client`
            assert out["cc_env"] == {"platform": "test"}


def test_function_error(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator() as emu:
        r = emu.invoke(_event("fail"))
        assert r.status == 200
        assert r.function_error == "Unhandled"
        body = r.json()
        assert body["errorType"] == bootstrap.error_type
        assert body["errorMessage"] == "boom"
        # The runtime carries on.
        assert emu.invoke(_event("echo")).function_error is None


def test_init_error_then_retry(bootstrap: Bootstrap, tmp_path: pathlib.Path) -> None:
    marker = tmp_path / "failed-once"
    with bootstrap.emulator(env={"FAIL_INIT_ONCE": str(marker)}) as emu:
        r = emu.invoke(_event("pid"), log_tail=True)
        assert r.status == 200
        assert r.function_error == "Unhandled"
        body = r.json()
        assert "init failed on purpose" in body["errorMessage"]
        assert isinstance(body["errorType"], str)
        assert body["errorType"]
        assert marker.exists()
        assert r.log_tail is not None
        assert "INIT_REPORT" in r.log_tail
        # The next invocation starts a new process, whose init now succeeds.
        r2 = emu.invoke(_event("pid"))
        assert r2.status == 200, r2.payload
        assert r2.function_error is None, r2.payload
        assert len(emu.processes) == 1


def test_timeout_kills_then_cold_start(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator(timeout=1.0) as emu:
        first = emu.invoke(_event("pid")).json()["pid"]
        started = time.monotonic()
        r = emu.invoke(_event("sleep", seconds=30), log_tail=True)
        elapsed = time.monotonic() - started
        assert 0.95 <= elapsed < 3.0
        assert r.status == 200
        assert r.function_error == "Unhandled"
        body = r.json()
        assert body["errorType"] == "Sandbox.Timedout"
        assert re.match(
            r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [0-9a-f-]{36} "
            r"Task timed out after 1\.00 seconds$",
            body["errorMessage"],
        )
        assert r.request_id in body["errorMessage"]
        assert r.log_tail is not None
        assert "Status: timeout" in r.log_tail
        assert wait_gone([first]) == []
        again = emu.invoke(_event("pid"))
        assert again.function_error is None
        assert again.json()["pid"] != first


def test_default_timeout_is_three_seconds(python_bootstrap: Bootstrap) -> None:
    with python_bootstrap.emulator() as emu:
        started = time.monotonic()
        r = emu.invoke(_event("sleep", seconds=30))
        assert 2.95 <= time.monotonic() - started < 5.0
        assert "Task timed out after 3.00 seconds" in r.json()["errorMessage"]


def test_exit_is_runtime_exit_error_then_restart(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator() as emu:
        first = emu.invoke(_event("pid")).json()["pid"]
        r = emu.invoke(_event("exit", code=1))
        assert r.status == 200
        assert r.function_error == "Unhandled"
        body = r.json()
        assert body["errorType"] == "Runtime.ExitError"
        assert "Runtime exited with error: exit status 1" in body["errorMessage"]
        assert wait_gone([first]) == []
        second = emu.invoke(_event("pid"))
        assert second.function_error is None
        assert second.json()["pid"] != first


def test_killed_runtime_reports_the_signal(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator() as emu:
        r = emu.invoke(_event("kill"))
        assert r.function_error == "Unhandled"
        body = r.json()
        assert body["errorType"] == "Runtime.ExitError"
        assert "Runtime exited with error: signal: killed" in body["errorMessage"]
        assert emu.invoke(_event("echo")).function_error is None


def test_response_over_6mb(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator() as emu:
        r = emu.invoke(_event("big", size=7_000_000))
        assert r.status == 200
        assert r.function_error == "Unhandled"
        body = r.json()
        assert body["errorType"] == "Function.ResponseSizeTooLarge"
        assert "6291556 bytes" in body["errorMessage"]
        assert emu.invoke(_event("echo")).function_error is None


def test_request_over_6mb(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator() as emu:
        too_big = b'"' + b"x" * (MAX_REQUEST_PAYLOAD - 1) + b'"'  # one byte over
        r = emu.invoke(too_big)
        assert r.status == 413
        assert r.headers["x-amzn-errortype"] == "RequestEntityTooLargeException"
        assert "6291456" in r.json()["message"]
        assert emu.processes == []  # refused before any runtime was involved
        just_fits = b'"' + b"x" * (MAX_REQUEST_PAYLOAD - 2) + b'"'
        r = emu.invoke(just_fits)
        assert r.status == 200
        assert r.function_error is None
        assert r.payload.replace(b" ", b"") == just_fits


def test_event_invocation_is_202_then_runs(bootstrap: Bootstrap, tmp_path: pathlib.Path) -> None:
    done = tmp_path / "done.json"
    with bootstrap.emulator() as emu:
        started = time.monotonic()
        r = emu.invoke(_event("touch", path=str(done), seconds=0.5), invocation_type="Event")
        assert time.monotonic() - started < 0.4  # answered before the function ran
        assert r.status == 202
        assert r.payload == b""
        assert UUID_RE.match(r.headers["x-amzn-requestid"])
        deadline = time.monotonic() + 10
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert json.loads(done.read_text()) == {"done": True}


def test_dry_run_is_204(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator() as emu:
        r = emu.invoke(_event("echo"), invocation_type="DryRun")
        assert r.status == 204
        assert r.payload == b""
        assert emu.processes == []


def test_log_tail(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator() as emu:
        r = emu.invoke(_event("print", text="hello-tail-marker"), log_tail=True)
        assert r.status == 200
        assert r.log_tail is not None
        rid = r.request_id
        tail = r.log_tail
        assert f"START RequestId: {rid} Version: $LATEST" in tail
        assert "hello-tail-marker" in tail
        assert f"END RequestId: {rid}" in tail
        assert re.search(
            rf"REPORT RequestId: {rid}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\t"
            r"Memory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms",
            tail,
        ), tail
        assert tail.index("START") < tail.index("hello-tail-marker") < tail.index("END RequestId")
        # Only the last 4 KB, ending with the REPORT line; no Init Duration when warm.
        r = emu.invoke(_event("print", text="y" * 10_000), log_tail=True)
        raw = base64.b64decode(r.headers["x-amz-log-result"])
        assert len(raw) == 4096
        assert (
            raw.decode()
            .rstrip("\n")
            .rpartition("\n")[2]
            .startswith(f"REPORT RequestId: {r.request_id}")
        )
        assert r.log_tail is not None
        assert "Init Duration" not in r.log_tail
        # Without Tail, no header.
        assert "x-amz-log-result" not in emu.invoke(_event("echo")).headers


def test_unknown_or_answered_request_id_is_400(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator() as emu:
        r = emu.invoke(_event("echo"))
        answered = r.request_id
        host, port = emu.runtime_api.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        for request_id in (answered, str(uuid.uuid4()), "not-an-id"):
            for kind in ("response", "error"):
                conn.request("POST", f"/2018-06-01/runtime/invocation/{request_id}/{kind}", b"{}")
                resp = conn.getresponse()
                body = json.loads(resp.read())
                assert resp.status == 400
                assert body["errorType"] == "InvalidRequestID"
                assert isinstance(body["errorMessage"], str)
        conn.close()
        # The caller got exactly one answer, and the emulator is still fine.
        assert emu.invoke(_event("echo")).function_error is None


def test_queue_fifo_under_concurrency(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator(concurrency=2, timeout=10.0) as emu:
        # Warm both environments, so that cold starts do not reorder the first round.
        warm = [
            threading.Thread(target=emu.invoke, args=(_event("sleep", seconds=0.3),))
            for _ in range(2)
        ]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        assert len(emu.processes) == 2
        results: dict[int, Any] = {}

        def call(n: int) -> None:
            results[n] = emu.invoke(_event("record", n=n, seconds=0.5))

        threads = []
        started = time.monotonic()
        for n in range(6):
            t = threading.Thread(target=call, args=(n,))
            t.start()
            threads.append(t)
            time.sleep(0.03)  # arrive in this order
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        records = [results[n].json() for n in range(6)]
        assert all(results[n].function_error is None for n in range(6))
        assert 1.45 <= elapsed < 2.6, elapsed  # three rounds of two, not six of one
        assert len({r["pid"] for r in records}) == 2
        starts = [r["start"] for r in records]
        assert all(starts[i] <= starts[i + 1] + 0.01 for i in range(5)), starts  # FIFO
        for r in records:  # never more than two at once
            running = sum(1 for o in records if o["start"] < r["start"] + 0.01 < o["end"])
            assert running <= 2


def test_keep_alive_on_the_invoke_endpoint(bootstrap: Bootstrap) -> None:
    with bootstrap.emulator() as emu:
        host, port = "127.0.0.1", emu.port
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.connect()
        sock = conn.sock
        path = "/2015-03-31/functions/function/invocations"
        for i in range(20):
            conn.request("POST", path, _event("echo", i=i))
            resp = conn.getresponse()
            assert resp.status == 200
            assert json.loads(resp.read())["i"] == i
            assert resp.getheader("connection") is None
        assert conn.sock is sock  # one connection throughout
        conn.close()


def test_response_size_boundary(raw_bootstrap: Bootstrap) -> None:
    """6291556 bytes pass; one more is too large (the raw bootstrap posts "x" * size)."""
    with raw_bootstrap.emulator() as emu:
        r = emu.invoke(_event("big", size=MAX_RESPONSE_PAYLOAD))
        assert r.status == 200
        assert r.function_error is None
        assert r.payload == b"x" * MAX_RESPONSE_PAYLOAD
        r = emu.invoke(_event("big", size=MAX_RESPONSE_PAYLOAD + 1))
        assert r.json()["errorType"] == "Function.ResponseSizeTooLarge"


def test_error_after_413_is_passed_on(raw_bootstrap: Bootstrap) -> None:
    with raw_bootstrap.emulator() as emu:
        r = emu.invoke(_event("big", size=7_000_000, after_413="error"), log_tail=True)
        assert r.function_error == "Unhandled"
        assert r.json() == {
            "errorMessage": "my response was too large",
            "errorType": "Function.MyOwnTooLarge",
        }
        assert r.log_tail is not None
        assert "/response answered 413" in r.log_tail


def test_second_response_is_refused(raw_bootstrap: Bootstrap) -> None:
    with raw_bootstrap.emulator() as emu:
        r = emu.invoke(_event("double"), log_tail=True)
        assert r.json() == {"first": True}
        assert r.log_tail is not None
        assert (
            "second /response answered 400 "
            '{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}' in r.log_tail
        )


def test_next_without_answer_is_an_error(raw_bootstrap: Bootstrap) -> None:
    with raw_bootstrap.emulator() as emu:
        r = emu.invoke(_event("no_answer"))
        assert r.function_error == "Unhandled"
        assert r.json()["errorType"] == "Runtime.NoResponse"
        assert emu.invoke(_event("echo")).function_error is None


def test_next_headers(raw_bootstrap: Bootstrap) -> None:
    with raw_bootstrap.emulator(function_name="fn", region="eu-west-1", timeout=2.0) as emu:
        before = int(time.time() * 1000)
        r = emu.invoke(
            _event("context"),
            client_context={"custom": {"a": "b"}},
            headers={"X-Amz-Tenant-Id": "tenant-7"},
        )
        headers = r.json()["headers"]
        assert headers["content-type"] == "application/json"
        assert headers["lambda-runtime-aws-request-id"] == r.request_id
        assert (
            headers["lambda-runtime-invoked-function-arn"]
            == "arn:aws:lambda:eu-west-1:000000000000:function:fn"
        )
        assert (
            before + 2000
            <= int(headers["lambda-runtime-deadline-ms"])
            <= int(time.time() * 1000) + 2000
        )
        assert re.match(
            r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$",
            headers["lambda-runtime-trace-id"],
        )
        epoch = int(headers["lambda-runtime-trace-id"][7:15], 16)
        assert abs(epoch - time.time()) < 60
        assert json.loads(headers["lambda-runtime-client-context"]) == {"custom": {"a": "b"}}
        assert headers["lambda-runtime-aws-tenant-id"] == "tenant-7"
        # Without them, the optional headers are absent.
        plain = emu.invoke(_event("context")).json()["headers"]
        assert "lambda-runtime-client-context" not in plain
        assert "lambda-runtime-aws-tenant-id" not in plain


def test_invalid_client_context_is_400(python_bootstrap: Bootstrap) -> None:
    with python_bootstrap.emulator() as emu:
        r = emu.invoke(_event("echo"), headers={"X-Amz-Client-Context": "%%% not base64"})
        assert r.status == 400
        assert r.headers["x-amzn-errortype"] == "InvalidRequestContentException"
        r = emu.invoke(_event("echo"), headers={"X-Amz-Invocation-Type": "Sometimes"})
        assert r.status == 400
        assert r.headers["x-amzn-errortype"] == "ValidationException"
        assert emu.processes == []


def test_a_failed_event_invocation_is_logged(
    python_bootstrap: Bootstrap, tmp_path: pathlib.Path
) -> None:
    out = tmp_path / "echo.txt"
    with open(out, "w") as stream, python_bootstrap.emulator(echo=stream) as emu:
        r = emu.invoke(_event("fail"), invocation_type="Event")
        assert r.status == 202
        deadline = time.monotonic() + 10
        while "failed" not in out.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert f"Event invocation {r.request_id} failed: " in out.read_text()
    assert '"boom"' in out.read_text()


def test_a_runtime_connection_gathers_nothing_per_invocation(bootstrap: Bootstrap) -> None:
    """A runtime's keep-alive connection carries every /next of its life: what the emulator
    attaches to it (close callbacks) must stay bounded, not grow with each invocation (the
    soak found ~22 bytes per invocation when it did)."""
    with bootstrap.emulator() as emu:
        service = emu._service
        assert service is not None
        most = 0
        for i in range(40):
            assert emu.invoke(_event("echo", i=i)).json()["i"] == i
            conns = [c for env in service.envs for c in env.conns]
            assert conns, "no runtime connection was seen"
            most = max(most, *(len(c.on_close) for c in conns))
        # one to forget the connection, one to forget its parked /next requests
        assert most <= 2, most
