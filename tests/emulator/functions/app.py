"""The test function for the Python bootstraps: what it does is chosen by the event's
"action". ``handler(event, context)`` is the official client's shape; lambdago passes the
context first, as aws-lambda-go does: ``go_handler(ctx, event)``."""

import json
import os
import signal
import subprocess
import sys
import time

_marker = os.environ.get("FAIL_INIT_ONCE")
if _marker and not os.path.exists(_marker):
    with open(_marker, "w") as f:
        f.write("failed once\n")
    raise RuntimeError("init failed on purpose")

if os.environ.get("RECORD_SIGTERM"):

    def _on_sigterm(signum, frame):
        with open(os.environ["RECORD_SIGTERM"], "a") as f:
            f.write(f"SIGTERM {time.time()}\n")

    signal.signal(signal.SIGTERM, _on_sigterm)


def handler(event, context):
    action = event.get("action", "echo") if isinstance(event, dict) else "echo"
    if action == "echo":
        return event
    if action == "fail":
        raise ValueError("boom")
    if action == "sleep":
        time.sleep(event["seconds"])
        return {"slept": event["seconds"], "pid": os.getpid()}
    if action == "exit":
        sys.stdout.flush()
        os._exit(event.get("code", 1))
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "big":
        return "x" * event["size"]
    if action == "print":
        print(event.get("text", "hello from the handler"), flush=True)
        return {"printed": True}
    if action == "pid":
        return {"pid": os.getpid(), "pgid": os.getpgid(0)}
    if action == "spawn":
        child = subprocess.Popen(["sleep", "300"])
        return {"pid": os.getpid(), "child": child.pid}
    if action == "context":
        cc = context.client_context
        return {
            "request_id": context.aws_request_id,
            "arn": context.invoked_function_arn,
            "remaining_ms": context.get_remaining_time_in_millis(),
            "custom": cc.custom if cc is not None else None,
            "cc_env": cc.env if cc is not None else None,
        }
    if action == "env":
        return {k: os.environ.get(k) for k in event["names"]}
    if action == "record":
        start = time.time()
        time.sleep(event["seconds"])
        return {"n": event["n"], "start": start, "end": time.time(), "pid": os.getpid()}
    if action == "touch":
        time.sleep(event.get("seconds", 0))
        # Written under another name, then renamed: the test polls for the file and
        # must never read it half-written.
        with open(event["path"] + ".part", "w") as f:
            f.write(json.dumps({"done": True}))
        os.replace(event["path"] + ".part", event["path"])
        return {"touched": event["path"]}
    raise ValueError(f"unknown action {action!r}")


def go_handler(ctx, event):
    return handler(event, ctx)
