"""Lambda's log layouts: the formatters and ``lambdacontext.new_logger``, without a runtime.

The runtime-level behaviour (the handler installed on an unconfigured root logger) is
covered end to end in ``test_loop.py``; here the records are made directly.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambdago import lambdacontext
from lambdago.context import _current
from lambdago.runtime import logsetup
from lambdago.testing import make_context

ARN = "arn:aws:lambda:eu-west-1:123456789012:function:orders"


@pytest.fixture
def invocation() -> Iterator[str]:
    ctx = make_context(
        aws_request_id="5f0f9c6a-1111-4222-8333-944445555666",
        invoked_function_arn=ARN,
        tenant_id="tenant-7",
    )
    token = _current.set(ctx)
    try:
        yield ctx.aws_request_id
    finally:
        _current.reset(token)


def _lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().out.splitlines()


def _logger(name: str, handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger


def test_json_lines_carry_extra_fields_and_dict_messages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], invocation: str
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_LOG_FORMAT", "JSON")
    log = _logger("tests.json", logsetup.new_log_handler())
    here = sys._getframe().f_lineno + 1
    log.info("paid %s", "A-7", extra={"order_id": 7, "tags": ["x"], "level": "ignored"})
    log.warning({"event": "refund", "amount": 12.5})
    log.info("odd value", extra={"when": object, "blob": {1: 2}})
    first, second, third = (json.loads(line) for line in _lines(capsys))
    assert first["message"] == "paid A-7"
    assert first["order_id"] == 7 and first["tags"] == ["x"]
    # Lambda's own fields win over an extra field of the same name.
    assert first["level"] == "INFO"
    assert first["requestId"] == invocation and first["tenantId"] == "tenant-7"
    assert first["logger"] == "tests.json"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first["timestamp"])
    assert (
        first["location"]
        == f"{__file__}:{test_json_lines_carry_extra_fields_and_dict_messages.__name__}:{here}"
    )
    assert second["message"] == {"event": "refund", "amount": 12.5}
    assert third["when"] == str(object) and third["blob"] == str({1: 2})
    assert third["message"] == "odd value"
    for record in (first, second, third):
        assert not any(key.startswith("_lambdago") for key in record)
        assert "aws_request_id" not in record and "tenant_id" not in record


def test_json_line_for_an_exception(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], invocation: str
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_LOG_FORMAT", "json")
    log = _logger("tests.exc", logsetup.new_log_handler())
    try:
        raise KeyError("sku")
    except KeyError:
        log.exception("lookup failed")
    (line,) = _lines(capsys)
    record = json.loads(line)
    assert record["level"] == "ERROR" and record["message"] == "lookup failed"
    assert record["errorType"] == "KeyError" and record["errorMessage"] == "'sku'"
    assert any("raise KeyError" in frame for frame in record["stackTrace"])


def test_text_layout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], invocation: str
) -> None:
    monkeypatch.delenv("AWS_LAMBDA_LOG_FORMAT", raising=False)
    log = _logger("tests.text", logsetup.new_log_handler(function_arn=True, tenant_id=True))
    log.info("received %d items", 3)
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        log.error("boom", exc_info=True)
    lines = _lines(capsys)
    level, timestamp, request_id, rest = lines[0].split("\t", 3)
    assert (level, request_id) == ("[INFO]", invocation)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", timestamp)
    assert rest == f"received 3 items\tfunctionArn={ARN}\ttenantId=tenant-7"
    assert lines[1].startswith("[ERROR]\t") and lines[1].endswith("tenantId=tenant-7")
    assert lines[2] == "Traceback (most recent call last):"
    assert lines[-1] == "ZeroDivisionError: division by zero"


def test_outside_an_invocation_the_request_id_is_empty(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_LOG_FORMAT", "JSON")
    log = _logger("tests.outside", logsetup.new_log_handler(function_arn=True, tenant_id=True))
    log.info("init")
    (record,) = (json.loads(line) for line in _lines(capsys))
    assert "requestId" not in record and "functionArn" not in record
    assert "tenantId" not in record


def test_new_logger_mirrors_go(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], invocation: str
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_LOG_FORMAT", "JSON")
    monkeypatch.setenv("AWS_LAMBDA_LOG_LEVEL", "WARN")
    lambdacontext.new_logger("tests.go")
    log = lambdacontext.new_logger("tests.go", function_arn=True)  # replaces, not adds
    assert log.level == logging.WARNING and not log.propagate
    log.info("below the level")
    log.warning("shown once")
    (line,) = _lines(capsys)
    record = json.loads(line)
    assert record["message"] == "shown once" and record["functionArn"] == ARN
    assert record["requestId"] == invocation
    monkeypatch.delenv("AWS_LAMBDA_LOG_LEVEL")
    assert lambdacontext.new_logger("tests.go").level == logging.INFO  # Go's default


_RESERVED = logsetup._STANDARD_ATTRIBUTES | {
    "timestamp",
    "level",
    "message",
    "logger",
    "requestId",
    "tenantId",
    "location",
}
_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(
    message=st.text(),
    extra=st.dictionaries(
        st.text(min_size=1).filter(lambda k: k not in _RESERVED and not k.startswith("_lambdago")),
        _json_values | st.builds(object),
        max_size=5,
    ),
)
def test_any_record_is_one_json_line(message: str, extra: dict[str, object]) -> None:
    formatter = logsetup._JsonFormatter()
    record = logging.LogRecord("prop", logging.INFO, __file__, 1, "%s", (message,), None)
    record.__dict__.update(extra)
    line = formatter.format(record)
    assert "\n" not in line
    decoded = json.loads(line)
    assert decoded["message"] == message
    assert set(extra) <= set(decoded)
    for key, value in extra.items():
        expected = value if type(value) is not object else str(value)
        if decoded[key] != expected:
            # The fallback writes a whole line of str() values once any value fails.
            assert decoded[key] == logsetup._plain(value)
