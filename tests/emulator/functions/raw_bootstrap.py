"""A bootstrap written by hand against the Runtime API (no client library): proof that
the emulator hosts any executable. The tests install it as an executable `bootstrap`
with this interpreter in its #! line. Same actions as app.py, plus some only a raw
client can do (post twice, answer a 413 in different ways)."""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time

time.sleep(float(os.environ.get("INIT_SLEEP", "0")))
API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"


def connect():
    host, port = API.rsplit(":", 1)
    return http.client.HTTPConnection(host, int(port))


conn = connect()


def call(method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def log(*parts):
    print(*parts, flush=True)


if os.environ.get("RECORD_SIGTERM"):

    def on_sigterm(signum, frame):
        with open(os.environ["RECORD_SIGTERM"], "a") as f:
            f.write(f"SIGTERM {time.time()}\n")
        if os.environ.get("EXIT_ON_SIGTERM"):
            os._exit(0)

    signal.signal(signal.SIGTERM, on_sigterm)

events = os.environ.get("REGISTER_EXTENSION")
if events is not None:
    wanted = [e for e in events.split(",") if e]
    status, headers, _ = call(
        "POST",
        "/2020-01-01/extension/register",
        json.dumps({"events": wanted}),
        {"Lambda-Extension-Name": "raw-sigterm", "Content-Type": "application/json"},
    )
    assert status == 200, status
    ext_id = headers["lambda-extension-identifier"]

    def poll():
        ext = connect()
        while True:
            ext.request(
                "GET",
                "/2020-01-01/extension/event/next",
                headers={"Lambda-Extension-Identifier": ext_id},
            )
            response = ext.getresponse()
            body = response.read()
            with open(os.environ["EXTENSION_LOG"], "a") as f:
                f.write(body.decode() + "\n")

    threading.Thread(target=poll, daemon=True).start()

marker = os.environ.get("FAIL_INIT_ONCE")
if marker and not os.path.exists(marker):
    with open(marker, "w") as f:
        f.write("failed once\n")
    log("raw bootstrap: init fails on purpose")
    error = {"errorMessage": "init failed on purpose", "errorType": "Runtime.InitFailed"}
    call(
        "POST",
        f"{BASE}/init/error",
        json.dumps(error),
        {"Lambda-Runtime-Function-Error-Type": "Runtime.InitFailed"},
    )
    sys.exit(1)


def respond(request_id, result):
    body = json.dumps(result).encode() if not isinstance(result, bytes) else result
    return call(
        "POST",
        f"{BASE}/invocation/{request_id}/response",
        body,
        {"Content-Type": "application/json"},
    )


def fail(request_id, message, error_type="Function.Boom"):
    body = json.dumps({"errorMessage": message, "errorType": error_type})
    return call(
        "POST",
        f"{BASE}/invocation/{request_id}/error",
        body,
        {"Lambda-Runtime-Function-Error-Type": error_type},
    )


while True:
    status, headers, body = call("GET", f"{BASE}/invocation/next")
    if status != 200:
        log(f"raw bootstrap: /next answered {status} {body.decode()}")
        sys.exit(1)
    request_id = headers["lambda-runtime-aws-request-id"]
    event = json.loads(body) if body else {}
    action = event.get("action", "echo") if isinstance(event, dict) else "echo"
    if action == "echo":
        respond(request_id, event)
    elif action == "fail":
        fail(request_id, "boom")
    elif action == "sleep":
        time.sleep(event["seconds"])
        respond(request_id, {"slept": event["seconds"], "pid": os.getpid()})
    elif action == "exit":
        os._exit(event.get("code", 1))
    elif action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "big":
        status, _, answer = respond(request_id, ("x" * event["size"]).encode())
        log(f"raw bootstrap: /response answered {status} {answer.decode()}")
        if status == 413 and event.get("after_413") == "error":
            fail(request_id, "my response was too large", "Function.MyOwnTooLarge")
    elif action == "print":
        log(event.get("text", "hello from the handler"))
        respond(request_id, {"printed": True})
    elif action == "pid":
        respond(request_id, {"pid": os.getpid(), "pgid": os.getpgid(0)})
    elif action == "spawn":
        child = subprocess.Popen(["sleep", "300"])
        respond(request_id, {"pid": os.getpid(), "child": child.pid})
    elif action == "context":
        cc = (
            json.loads(headers["lambda-runtime-client-context"])
            if "lambda-runtime-client-context" in headers
            else None
        )
        remaining = int(headers["lambda-runtime-deadline-ms"]) - int(time.time() * 1000)
        respond(
            request_id,
            {
                "request_id": request_id,
                "arn": headers["lambda-runtime-invoked-function-arn"],
                "remaining_ms": remaining,
                "custom": cc.get("custom") if cc else None,
                "cc_env": cc.get("env") if cc else None,
                "headers": headers,
            },
        )
    elif action == "env":
        respond(request_id, {k: os.environ.get(k) for k in event["names"]})
    elif action == "record":
        start = time.time()
        time.sleep(event["seconds"])
        respond(
            request_id, {"n": event["n"], "start": start, "end": time.time(), "pid": os.getpid()}
        )
    elif action == "touch":
        time.sleep(event.get("seconds", 0))
        # Written under another name, then renamed: the test polls for the file and
        # must never read it half-written.
        with open(event["path"] + ".part", "w") as f:
            f.write(json.dumps({"done": True}))
        os.replace(event["path"] + ".part", event["path"])
        respond(request_id, {"touched": event["path"]})
    elif action == "double":
        respond(request_id, {"first": True})
        status, _, answer = respond(request_id, {"second": True})
        log(f"raw bootstrap: second /response answered {status} {answer.decode()}")
    elif action == "no_answer":
        pass  # straight back to /next without answering
    else:
        fail(request_id, f"unknown action {action!r}")
