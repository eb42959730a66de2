"""End to end: the real ``python -m lambdago`` process against a Runtime API over loopback."""

from __future__ import annotations

import base64
import json
import os
import pathlib
import subprocess
import sys
import time

import pytest

from tests.runtime.conftest import ROOT, Runtime
from tests.support.fake_runtime_api import FakeRuntimeAPI

ECHO = """
    import lambdago, os, sys

    def handler(ctx, event):
        return {"event": event, "request_id": ctx.aws_request_id,
                "trace_env": os.environ.get("_X_AMZN_TRACE_ID"),
                "engine": sys.modules["lambdago._jsonio"].engine}
"""


def test_success_round_trip(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(ECHO)
    runtime.start()
    rid = api.add(b'{"hello": "world", "n": [1, 2.5]}')
    result = api.wait_result(rid)
    assert result.path == f"/2018-06-01/runtime/invocation/{rid}/response"
    assert result.headers["content-type"] == "application/json"
    assert (
        result.headers["user-agent"].startswith("lambdago/")
        and " python/3." in result.headers["user-agent"]
    )
    body = result.json()
    assert body["event"] == {"hello": "world", "n": [1, 2.5]}
    assert body["request_id"] == rid
    assert body["trace_env"].startswith("Root=1-")
    # The first invocation is served by the cold-start engine, later ones by orjson.
    assert body["engine"] == "cold"
    second = api.wait_result(api.add(b"[]"))
    assert second.json()["engine"] == "orjson"
    # GET /next also carries the user agent.
    nexts = [r for r in api.requests if r.method == "GET"]
    assert nexts and all(r.headers["user-agent"] == result.headers["user-agent"] for r in nexts)


def test_trace_id_env_follows_each_invocation(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(ECHO)
    runtime.start()
    first = api.wait_result(api.add(b"1", headers={"Lambda-Runtime-Trace-Id": "Root=1-a"}))
    second = api.wait_result(api.add(b"2", headers={"Lambda-Runtime-Trace-Id": None}))  # type: ignore[dict-item]
    assert first.json()["trace_env"] == "Root=1-a"
    assert second.json()["trace_env"] is None


def test_trace_id_env_seen_by_c_code_when_the_handler_changes_it(
    runtime: Runtime, api: FakeRuntimeAPI
) -> None:
    # After the first answer the runtime rewrites one buffer of its own in place and calls
    # putenv only when os.environ replaced or removed the variable: C code (getenv, as a
    # native tracing library calls it) must still see each invocation's value.
    runtime.write(
        """
        import ctypes, os

        libc = ctypes.CDLL(None)
        libc.getenv.restype = ctypes.c_char_p

        def handler(event):
            seen = libc.getenv(b"_X_AMZN_TRACE_ID")
            python_seen = os.environ.get("_X_AMZN_TRACE_ID")
            if event == "replace":
                os.environ["_X_AMZN_TRACE_ID"] = "set-by-handler"
            elif event == "delete":
                del os.environ["_X_AMZN_TRACE_ID"]
            return [seen and seen.decode(), python_seen]
        """
    )
    runtime.start()
    steps = ["keep", "keep", "replace", "keep", "delete", "keep", "keep"]
    for index, step in enumerate(steps):
        trace = f"Root=1-{index:08x}-{'ab' * 12};Sampled=1"
        rid = api.add(json.dumps(step).encode(), headers={"Lambda-Runtime-Trace-Id": trace})
        assert api.wait_result(rid).json() == [trace, trace], (index, step)


def test_bytes_result_is_octet_stream(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(
        """
        def handler(event: bytes) -> bytes:
            return b"\\x00\\xffraw:" + event
        """
    )
    runtime.start()
    result = api.wait_result(api.add(b"not json"))
    assert result.headers["content-type"] == "application/octet-stream"
    assert result.body == b"\x00\xffraw:not json"


def test_async_handler(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(
        """
        import asyncio
        state = {}

        async def handler(event):
            await asyncio.sleep(0.001)
            state["n"] = state.get("n", 0) + 1
            return {"n": state["n"], "loop": id(asyncio.get_running_loop())}
        """
    )
    runtime.start()
    a = api.wait_result(api.add(b"{}")).json()
    b = api.wait_result(api.add(b"{}")).json()
    assert (a["n"], b["n"]) == (1, 2)
    assert a["loop"] == b["loop"]


ERRORS = """
    import lambdago

    class PaymentDeclined(Exception):
        error_type = "Payments.Declined"

    def helper():
        raise ValueError("kaboom")

    def handler(ctx, event):
        kind = event["kind"]
        if kind == "value":
            helper()
        if kind == "custom":
            raise PaymentDeclined("card refused")
        if kind == "invoke":
            raise lambdago.InvokeError("verbatim", error_type="My.Type", stack_trace=["frame one"])
        if kind == "unencodable":
            return {"x": object()}
        if kind == "exit":
            raise SystemExit(3)
        if kind == "fatal-invoke":
            raise lambdago.InvokeError("boom", error_type="Panic", should_exit=True)
        if kind == "interrupt":
            raise KeyboardInterrupt
        return "ok"
"""


def test_handler_exception_is_reported_and_the_loop_goes_on(
    runtime: Runtime, api: FakeRuntimeAPI
) -> None:
    runtime.write(ERRORS)
    runtime.start()
    rid = api.add(b'{"kind": "value"}')
    error = api.wait_result(rid)
    assert error.path.endswith(f"/{rid}/error")
    assert error.headers["lambda-runtime-function-error-type"] == "ValueError"
    payload = error.json()
    assert payload["errorMessage"] == "kaboom"
    assert payload["errorType"] == "ValueError"
    assert payload["requestId"] == rid
    trace = payload["stackTrace"]
    assert len(trace) == 2  # handler() and helper(); none of lambdago's frames
    assert 'app.py", line' in trace[0] and "in handler" in trace[0]
    assert "in helper" in trace[1] and 'raise ValueError("kaboom")' in trace[1]
    assert all("lambdago" not in frame for frame in trace)
    cause = json.loads(error.headers["lambda-runtime-function-xray-error-cause"])
    assert cause["working_directory"] == str(runtime.task_root)
    assert cause["exceptions"][0]["type"] == "ValueError"
    assert cause["exceptions"][0]["message"] == "kaboom"
    assert [f["label"] for f in cause["exceptions"][0]["stack"]] == ["handler", "helper"]
    assert cause["paths"] == [str(runtime.task_root / "app.py")]
    assert api.wait_result(api.add(b'{"kind": "none"}')).json() == "ok"


def test_error_type_from_the_exception_class(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(ERRORS)
    runtime.start()
    error = api.wait_result(api.add(b'{"kind": "custom"}'))
    assert error.json()["errorType"] == "Payments.Declined"
    assert error.headers["lambda-runtime-function-error-type"] == "Payments.Declined"


def test_invoke_error_is_reported_verbatim(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(ERRORS)
    runtime.start()
    payload = api.wait_result(api.add(b'{"kind": "invoke"}')).json()
    assert payload["errorMessage"] == "verbatim"
    assert payload["errorType"] == "My.Type"
    assert payload["stackTrace"] == ["frame one"]


def test_decode_encode_and_context_errors(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(
        ERRORS
        + """
    import attrs

    @attrs.define
    class Order:
        id: str
        quantity: int

    def typed(order: Order) -> dict:
        if order.id == "bad":
            return {"x": object()}
        return {"id": order.id}
    """
    )
    runtime.start("app.typed")
    error = api.wait_result(api.add(b'{"id": "a", "quantity": "many"}')).json()
    assert error["errorType"] == "Runtime.UnmarshalError"
    assert error["errorMessage"] == "quantity: expected int, got str"
    error = api.wait_result(api.add(b"{not json")).json()
    assert error["errorType"] == "Runtime.UnmarshalError"
    assert "malformed JSON" in error["errorMessage"]
    error = api.wait_result(api.add(b'{"id": "bad", "quantity": 1}')).json()
    assert error["errorType"] == "Runtime.MarshalError"
    assert "object" in error["errorMessage"]
    error = api.wait_result(
        api.add(b'{"id": "a", "quantity": 1}', headers={"Lambda-Runtime-Client-Context": "{oops"})
    ).json()
    assert error["errorType"] == "Runtime.LambdaContextUnmarshalError"
    error = api.wait_result(
        api.add(b'{"id": "a", "quantity": 1}', headers={"Lambda-Runtime-Deadline-Ms": "x"})
    ).json()
    assert error["errorType"] == "Runtime.LambdaContextUnmarshalError"
    assert api.wait_result(api.add(b'{"id": "a", "quantity": 1}')).json() == {"id": "a"}


@pytest.mark.parametrize(
    ("kind", "code", "error_type"),
    [
        ("exit", 3, "SystemExit"),
        ("fatal-invoke", 1, "Panic"),
        ("interrupt", 1, "KeyboardInterrupt"),
    ],
)
def test_fatal_handler_errors_are_reported_then_the_process_exits(
    runtime: Runtime, api: FakeRuntimeAPI, kind: str, code: int, error_type: str
) -> None:
    runtime.write(ERRORS)
    runtime.start()
    rid = api.add(json.dumps({"kind": kind}).encode())
    api.add(b'{"kind": "none"}')
    assert api.wait_result(rid).json()["errorType"] == error_type
    returncode, _out, err = runtime.wait_exit()
    assert returncode == code
    assert "exiting so Lambda starts a fresh environment" in err
    assert api.next_calls == 1  # never asked for the second invocation


# -- init errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "handler", "error_type", "message"),
    [
        ("def handler(): pass", "nodots", "Runtime.MalformedHandlerName", "Bad handler 'nodots'"),
        (
            "def handler(): pass",
            "missing.handler",
            "Runtime.ImportModuleError",
            "Unable to import module 'missing'",
        ),
        (
            "import not_installed_pkg\ndef handler(): pass",
            "app.handler",
            "Runtime.ImportModuleError",
            "No module named 'not_installed_pkg'",
        ),
        (
            "def handler(:\n  pass",
            "app.handler",
            "Runtime.UserCodeSyntaxError",
            "Syntax error in module 'app'",
        ),
        (
            "def handler(): pass",
            "app.nothere",
            "Runtime.HandlerNotFound",
            "Handler 'nothere' missing on module 'app'",
        ),
        (
            "def handler(a, b, c): pass",
            "app.handler",
            "Runtime.InvalidHandler",
            "has 3 parameters without defaults",
        ),
        (
            "raise RuntimeError('config missing')\ndef handler(): pass",
            "app.handler",
            "RuntimeError",
            "config missing",
        ),
        (
            "def handler(): pass",
            "sys.handler",
            "Runtime.BuiltInModuleConflict",
            "built-in module sys",
        ),
    ],
)
def test_init_errors(
    runtime: Runtime, api: FakeRuntimeAPI, source: str, handler: str, error_type: str, message: str
) -> None:
    runtime.write(source)
    runtime.start(handler)
    init = api.wait_init_error()
    assert init.path == "/2018-06-01/runtime/init/error"
    assert init.headers["lambda-runtime-function-error-type"] == error_type
    payload = init.json()
    assert payload["errorType"] == error_type
    assert message in payload["errorMessage"]
    assert set(payload) == {"errorMessage", "errorType", "requestId", "stackTrace"}
    returncode, _out, err = runtime.wait_exit()
    assert returncode == 1
    assert error_type in err
    assert api.next_calls == 0


def test_handler_forms(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    (runtime.task_root / "pkg").mkdir()
    (runtime.task_root / "pkg" / "__init__.py").write_text("")
    runtime.write(
        "class Service:\n    @staticmethod\n    def handle(event):\n        return ['nested', event]\n",
        "pkg/mod.py",
    )
    runtime.write("def handler(event):\n    return ['file', event]\n", "other.py")
    for form, expected in [
        ("pkg/mod.Service", None),
        ("pkg.mod:Service.handle", "nested"),
        ("other.py:handler", "file"),
        ("other:handler", "file"),
    ]:
        if expected is None:
            continue
        with FakeRuntimeAPI() as server:
            rt = Runtime(server, runtime.task_root)
            rt.start(form)
            try:
                assert server.wait_result(server.add(b"1")).json() == [expected, 1], form
            finally:
                rt.stop()


def test_handler_argument_overrides_the_environment(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write("def handler(event):\n    return 'env'\ndef other(event):\n    return 'arg'\n")
    runtime.start(command=[sys.executable, "-m", "lambdago", "app.other"])
    assert api.wait_result(api.add(b"{}")).json() == "arg"


# -- the Runtime API misbehaving --------------------------------------------------------------


def test_next_answered_500_is_fatal(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(ECHO)
    api.faults.next_status = 500
    runtime.start()
    code, _out, err = runtime.wait_exit()
    assert code == 1
    assert f"GET http://{api.address}/2018-06-01/runtime/invocation/next answered 500" in err


def test_post_answered_500_is_fatal(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(ECHO)
    api.faults.post_status = 500
    runtime.start()
    rid = api.add(b"{}")
    code, _out, err = runtime.wait_exit()
    assert code == 1
    assert (
        f"POST http://{api.address}/2018-06-01/runtime/invocation/{rid}/response answered 500"
        in err
    )


def test_response_too_large_is_reported_as_an_error(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write("def handler(event):\n    return 'x' * event\n")
    api.faults.response_413_over = 1000
    runtime.start()
    rid = api.add(b"5000")
    error = api.wait_result(rid)
    assert error.path.endswith("/error")
    assert error.json()["errorType"] == "Function.ResponseSizeTooLarge"
    assert "5002 bytes" in error.json()["errorMessage"]
    assert api.wait_result(api.add(b"10")).json() == "x" * 10


def test_connection_refused_is_fatal(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(ECHO)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    port = probe.stdout.strip()
    runtime.start(env={"AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}"})
    code, _out, err = runtime.wait_exit()
    assert code == 1
    assert (
        f"http://127.0.0.1:{port}/2018-06-01/runtime/invocation/next failed: connection refused"
        in err
    )


def test_next_connection_dropped_is_fatal(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(ECHO)
    api.faults.drop_next = True
    runtime.start()
    code, _out, err = runtime.wait_exit()
    assert code == 1
    assert "runtime/invocation/next failed" in err


def test_next_body_cut_short_is_fatal(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(ECHO)
    api.faults.cut_next_body = True
    runtime.start()
    api.add(b'{"a": "' + b"x" * 1000 + b'"}')
    code, _out, err = runtime.wait_exit()
    assert code == 1
    assert "closed in the middle of a response" in err


def test_server_closing_idle_connections_is_survived(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(ECHO)
    api.faults.close_after_each = True
    runtime.start()
    for i in range(5):
        assert api.wait_result(api.add(str(i).encode())).json()["event"] == i


def test_missing_runtime_api_variable(tmp_path: pathlib.Path) -> None:
    (tmp_path / "app.py").write_text("def handler(): pass\n")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "LAMBDA_TASK_ROOT": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-m", "lambdago", "app.handler"], env=env, capture_output=True, text=True
    )
    assert out.returncode == 1
    assert "AWS_LAMBDA_RUNTIME_API is not set" in out.stderr
    assert "lambdago serve" in out.stderr


# -- headers and sizes ------------------------------------------------------------------------


def test_request_id_with_odd_characters_is_quoted(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(ECHO)
    runtime.start()
    rid = "odd id/with?chars"
    api.add(b"{}", request_id=rid)
    quoted = "odd%20id%2Fwith%3Fchars"
    result = api.wait_result(quoted)
    assert result.path == f"/2018-06-01/runtime/invocation/{quoted}/response"
    assert result.json()["request_id"] == rid


def test_client_context_and_identity_reach_the_handler(
    runtime: Runtime, api: FakeRuntimeAPI
) -> None:
    runtime.write(
        """
        def handler(ctx, event):
            cc = ctx.client_context
            return [cc.client.app_title, cc.custom, ctx.identity.cognito_identity_id, ctx.tenant_id,
                    ctx.invoked_function_arn, ctx.get_remaining_time_in_millis() > 0]
        """
    )
    runtime.start()
    headers = {
        "Lambda-Runtime-Client-Context": '{"client": {"app_title": "Shop"}, "custom": {"k": "v"}}',
        "Lambda-Runtime-Cognito-Identity": '{"cognitoIdentityId": "id-1"}',
        "Lambda-Runtime-Aws-Tenant-Id": "t-9",
    }
    assert api.wait_result(api.add(b"{}", headers=headers)).json() == [
        "Shop",
        {"k": "v"},
        "id-1",
        "t-9",
        "arn:aws:lambda:us-east-1:123456789012:function:test",
        True,
    ]


def test_six_megabyte_event_and_response(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(
        "def handler(event):\n    return {'size': len(event['blob']), 'blob': event['blob']}\n"
    )
    runtime.start()
    blob = base64.b64encode(os.urandom(4_400_000)).decode()  # ~5.9 MB of JSON
    payload = json.dumps({"blob": blob}).encode()
    assert len(payload) > 5_800_000
    result = api.wait_result(api.add(payload), timeout=60)
    body = result.json()
    assert body["size"] == len(blob) and body["blob"] == blob
    assert len(result.body) > 5_800_000


def test_ten_thousand_invocations_none_lost_or_answered_twice(
    runtime: Runtime, api: FakeRuntimeAPI
) -> None:
    runtime.write("def handler(ctx, event):\n    return [ctx.aws_request_id, event]\n")
    runtime.start()
    ids = [api.add(str(i).encode()) for i in range(10_000)]
    for i, rid in enumerate(ids):
        assert api.wait_result(rid, timeout=120).json() == [rid, i]
    time.sleep(0.2)
    assert all(len(api.results[rid]) == 1 for rid in ids)
    assert len(api.results) == 10_000


def test_output_is_flushed_before_the_answer(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(
        """
        import sys
        def handler(event):
            print("partial line without newline", end="")
            sys.stderr.write("err line\\n")
            return 1
        """
    )
    runtime.start()
    api.wait_result(api.add(b"{}"))
    runtime.proc.kill()  # type: ignore[union-attr]
    _code, out, err = runtime.wait_exit()
    assert "partial line without newline" in out
    assert "err line" in err


def test_logging_integration(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(
        """
        import logging
        log = logging.getLogger("orders")

        def handler(ctx, event):
            log.warning("processing %s", event, extra={"order_id": 7})
            try:
                raise ValueError("bad")
            except ValueError:
                log.exception("failed")
            return 1
        """
    )
    runtime.start(env={"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "INFO"})
    rid = api.add(b'"x"')
    api.wait_result(rid)
    runtime.proc.kill()  # type: ignore[union-attr]
    _code, out, _err = runtime.wait_exit()
    records = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert records[0]["message"] == "processing x"
    assert records[0]["level"] == "WARNING" and records[0]["logger"] == "orders"
    assert records[0]["requestId"] == rid and records[0]["order_id"] == 7
    assert records[1]["errorType"] == "ValueError" and records[1]["errorMessage"] == "bad"
    assert records[1]["stackTrace"]


def test_text_logging_and_user_configuration_is_left_alone(
    runtime: Runtime, api: FakeRuntimeAPI
) -> None:
    runtime.write(
        """
        import logging
        logging.basicConfig(format="USER %(aws_request_id)s %(message)s", level=logging.INFO)

        def handler(event):
            logging.getLogger().info("hi")
            return 1
        """
    )
    runtime.start()
    rid = api.add(b"{}")
    api.wait_result(rid)
    runtime.proc.kill()  # type: ignore[union-attr]
    _code, out, err = runtime.wait_exit()
    assert f"USER {rid} hi" in out + err


def test_user_main_calling_start_is_a_bootstrap(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(
        """
        import lambdago

        def handler(ctx, event):
            return {"from": "main", "event": event}

        if __name__ == "__main__":
            lambdago.start(handler)
        """,
        "main.py",
    )
    runtime.start(command=[sys.executable, str(runtime.task_root / "main.py")])
    assert api.wait_result(api.add(b"7")).json() == {"from": "main", "event": 7}


def test_start_with_a_bad_handler_reports_an_init_error(
    runtime: Runtime, api: FakeRuntimeAPI
) -> None:
    runtime.write("import lambdago\nlambdago.start(42)\n", "main.py")
    runtime.start(command=[sys.executable, str(runtime.task_root / "main.py")])
    init = api.wait_init_error()
    assert init.json()["errorType"] == "Runtime.InvalidHandler"
    assert "not callable" in init.json()["errorMessage"]
    assert runtime.wait_exit()[0] == 1


def test_start_without_runtime_api(tmp_path: pathlib.Path) -> None:
    (tmp_path / "main.py").write_text("import lambdago\nlambdago.start(lambda: 1)\n")
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, str(tmp_path / "main.py")], env=env, capture_output=True, text=True
    )
    assert out.returncode == 1
    assert "AWS_LAMBDA_RUNTIME_API is not set" in out.stderr


def test_raw_handler_object(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    runtime.write(
        """
        class Upper:
            def invoke(self, payload, context):
                return payload.upper()

        handler = Upper()
        """
    )
    runtime.start()
    assert api.wait_result(api.add(b'"abc"')).body == b'"ABC"'


def test_start_with_lazy_decoding(runtime: Runtime, api: FakeRuntimeAPI) -> None:
    # lazy=True through start(): a record that does not fit is found when the handler
    # reads it, reported as Runtime.UnmarshalError, and the loop goes on.
    runtime.write(
        """
        import lambdago
        from lambdago.events import SQSEvent

        def handler(event: SQSEvent) -> list:
            return [record.body for record in event.records]

        if __name__ == "__main__":
            lambdago.start(handler, lazy=True)
        """,
        "main.py",
    )
    runtime.start(command=[sys.executable, str(runtime.task_root / "main.py")])
    good = b'{"Records": [{"body": "a"}, {"body": "b"}]}'
    assert api.wait_result(api.add(good)).json() == ["a", "b"]
    bad = b'{"Records": [{"body": "a"}, {"body": 7}]}'
    error = api.wait_result(api.add(bad)).json()
    assert error["errorType"] == "Runtime.UnmarshalError"
    assert error["errorMessage"] == (
        "Records[1].body: expected str, got int (in a SQSEvent, decoded when first read)"
    )
    assert api.wait_result(api.add(good)).json() == ["a", "b"]
