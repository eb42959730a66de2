"""Error reports never carry the environment: a failing handler's error payload, X-Ray
cause and logged error hold none of the values of the variables it runs with (secrets
included). What a report does hold is in docs/reliability.md ("What an error reveals")."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import Runtime
from tests.support.fake_runtime_api import FakeRuntimeAPI

SECRETS = {
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY",
    "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEXAMPLE-SESSION-TOKEN-VALUE",
    "DATABASE_PASSWORD": "correct-horse-battery-staple-42",
    "API_TOKEN": "tok_live_4eC39HqLyjWDarjtT1zdp7dc",
}

APP = """
import os

class PaymentError(Exception):
    pass

def charge(card):
    password = os.environ["DATABASE_PASSWORD"]  # a local holding a secret
    token = os.environ["API_TOKEN"]
    raise PaymentError(f"card {card} declined")

def handler(ctx, event):
    kind = event["kind"]
    if kind == "raise":
        charge("4242")
    if kind == "exit":
        raise SystemExit(3)
    if kind == "unencodable":
        return {"env": os.environ}
    return "ok"
"""


@pytest.mark.parametrize("log_format", ["Text", "JSON"])
@pytest.mark.parametrize("kind", ["raise", "unencodable", "exit"])
def test_error_reports_hold_no_environment_values(
    tmp_path: object, log_format: str, kind: str
) -> None:
    with FakeRuntimeAPI() as api:
        runtime = Runtime(api, tmp_path)  # type: ignore[arg-type]
        runtime.write(APP)
        runtime.start(env={**SECRETS, "AWS_LAMBDA_LOG_FORMAT": log_format})
        try:
            rid = api.add(b'{"kind": "%s"}' % kind.encode())
            error = api.wait_result(rid)
            if kind != "exit":
                api.wait_result(api.add(b'{"kind": "ok"}'))
        finally:
            runtime.proc.kill()  # type: ignore[union-attr]
            _code, out, err = runtime.wait_exit()
    assert error.path.endswith("/error")
    reported = [
        error.body.decode(),
        error.headers.get("lambda-runtime-function-xray-error-cause", ""),
        error.headers.get("lambda-runtime-function-error-type", ""),
        out,
        err,
    ]
    payload = error.json()
    assert payload["errorType"] in ("PaymentError", "Runtime.MarshalError", "SystemExit")
    if kind == "raise":
        assert payload["errorMessage"] == "card 4242 declined"
        assert any("charge" in frame for frame in payload["stackTrace"])
        assert "PaymentError" in err + out  # the error was logged
    for name, value in SECRETS.items():
        for text in reported:
            assert value not in text, f"the value of {name} leaked"
