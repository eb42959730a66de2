"""The invocation context: parsing the Runtime API's headers, the official runtime's
attribute names, lambdacontext, and the test helper."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
from lambdago import (
    ClientApplication,
    ClientContext,
    CognitoIdentity,
    Context,
    ContextError,
    lambdacontext,
)
from lambdago.testing import make_context

# Real header values, as Lambda sends them.
HEADERS = {
    "Lambda-Runtime-Aws-Request-Id": "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
    "Lambda-Runtime-Deadline-Ms": "1542409706888",
    "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime",
    "Lambda-Runtime-Trace-Id": "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
    "Lambda-Runtime-Client-Context": json.dumps(
        {
            "client": {
                "installation_id": "inst-1",
                "app_title": "Shop",
                "app_version_name": "2.1",
                "app_version_code": "210",
                "app_package_name": "com.example.shop",
            },
            "env": {"platform": "Android", "locale": "en_GB"},
            "custom": {"tier": "gold", "n": 3},
        }
    ),
    "Lambda-Runtime-Cognito-Identity": json.dumps(
        {"cognitoIdentityId": "us-east-2:1234", "cognitoIdentityPoolId": "us-east-2:pool"}
    ),
    "Lambda-Runtime-Aws-Tenant-Id": "tenant-42",
}


def test_from_real_headers() -> None:
    ctx = Context.from_headers(HEADERS)
    assert ctx.aws_request_id == "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
    assert ctx.deadline_ms == 1542409706888
    assert ctx.invoked_function_arn.endswith(":function:custom-runtime")
    assert ctx.trace_id == HEADERS["Lambda-Runtime-Trace-Id"]
    assert ctx.tenant_id == "tenant-42"
    assert ctx.identity == CognitoIdentity("us-east-2:1234", "us-east-2:pool")
    assert ctx.client_context == ClientContext(
        ClientApplication("inst-1", "Shop", "2.1", "210", "com.example.shop"),
        {"platform": "Android", "locale": "en_GB"},
        {"tier": "gold", "n": 3},
    )
    assert ctx.deadline == datetime.datetime(2018, 11, 16, 23, 8, 26, 888000, tzinfo=datetime.UTC)


def test_header_names_ignore_case() -> None:
    lower = {k.lower(): v for k, v in HEADERS.items()}
    upper = {k.upper(): v for k, v in HEADERS.items()}
    assert (
        Context.from_headers(lower) == Context.from_headers(upper) == Context.from_headers(HEADERS)
    )


def test_minimal_headers() -> None:
    ctx = Context.from_headers(
        {"Lambda-Runtime-Aws-Request-Id": "r", "Lambda-Runtime-Deadline-Ms": "5"}
    )
    assert ctx.identity == CognitoIdentity(None, None)
    assert ctx.client_context is None
    assert ctx.trace_id is None and ctx.tenant_id is None
    assert ctx.invoked_function_arn == ""


def test_go_spelling_of_client_key_is_accepted() -> None:
    headers = dict(HEADERS, **{"Lambda-Runtime-Client-Context": '{"Client": {"app_title": "T"}}'})
    ctx = Context.from_headers(headers)
    assert ctx.client_context is not None and ctx.client_context.client is not None
    assert ctx.client_context.client.app_title == "T"
    assert ctx.client_context.env == {} and ctx.client_context.custom == {}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("Lambda-Runtime-Deadline-Ms", "soon", "not an integer: 'soon'"),
        ("Lambda-Runtime-Deadline-Ms", "", "not an integer"),
        ("Lambda-Runtime-Client-Context", "{not json", "Client-Context header is not valid JSON"),
        ("Lambda-Runtime-Client-Context", "[1]", "must be a JSON object, got an array"),
        ("Lambda-Runtime-Client-Context", '{"client": "x"}', "'client' must be a JSON object"),
        ("Lambda-Runtime-Client-Context", '{"env": 1}', "'env' must be a JSON object"),
        (
            "Lambda-Runtime-Client-Context",
            '{"client": {"app_title": 5}}',
            "'app_title' must be a string",
        ),
        ("Lambda-Runtime-Cognito-Identity", "nope", "Cognito-Identity header is not valid JSON"),
        ("Lambda-Runtime-Cognito-Identity", '"x"', "must be a JSON object, got a string"),
        (
            "Lambda-Runtime-Cognito-Identity",
            '{"cognitoIdentityId": 1}',
            "must be a string, got a number",
        ),
    ],
)
def test_malformed_headers(name: str, value: str, message: str) -> None:
    with pytest.raises(ContextError, match=message) as info:
        Context.from_headers(dict(HEADERS, **{name: value}))
    assert info.value.error_type == "Runtime.LambdaContextUnmarshalError"


def test_missing_request_id_or_deadline() -> None:
    with pytest.raises(ContextError, match="Request-Id header is missing"):
        Context.from_headers({"Lambda-Runtime-Deadline-Ms": "1"})
    with pytest.raises(ContextError, match="Deadline-Ms header is missing"):
        Context.from_headers({"Lambda-Runtime-Aws-Request-Id": "r"})


@given(st.dictionaries(st.sampled_from(sorted(HEADERS)), st.text(), max_size=7))
def test_arbitrary_header_values_parse_or_raise_context_error(headers: dict[str, str]) -> None:
    try:
        ctx = Context.from_headers(headers)
    except ContextError:
        return
    assert ctx.aws_request_id == headers["Lambda-Runtime-Aws-Request-Id"]


def test_remaining_time() -> None:
    now_ms = time.time_ns() // 1_000_000
    ctx = Context("r", deadline_ms=now_ms + 2000)
    assert 1900 <= ctx.get_remaining_time_in_millis() <= 2000
    assert datetime.timedelta(milliseconds=1900) <= ctx.remaining() <= datetime.timedelta(seconds=2)
    late = Context("r", deadline_ms=now_ms - 50)
    assert late.get_remaining_time_in_millis() == 0
    assert late.remaining() < datetime.timedelta(0)


def test_official_runtime_attribute_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lambdacontext, "function_name", "orders")
    monkeypatch.setattr(lambdacontext, "function_version", "$LATEST")
    monkeypatch.setattr(lambdacontext, "memory_limit_in_mb", 512)
    monkeypatch.setattr(lambdacontext, "log_group_name", "/aws/lambda/orders")
    monkeypatch.setattr(lambdacontext, "log_stream_name", "2026/11/25/[$LATEST]abc")
    ctx = make_context()
    assert (ctx.function_name, ctx.function_version, ctx.memory_limit_in_mb) == (
        "orders",
        "$LATEST",
        512,
    )
    assert ctx.log_group_name == "/aws/lambda/orders"
    assert ctx.log_stream_name == "2026/11/25/[$LATEST]abc"
    assert ctx.identity.cognito_identity_id is None
    assert callable(ctx.get_remaining_time_in_millis)


def test_lambdacontext_reads_the_reserved_variables_once() -> None:
    env = {
        "AWS_LAMBDA_FUNCTION_NAME": "fn",
        "AWS_LAMBDA_FUNCTION_VERSION": "7",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/fn",
        "AWS_LAMBDA_LOG_STREAM_NAME": "stream",
        "AWS_LAMBDA_MAX_CONCURRENCY": "4",
        "PATH": "/usr/bin:/bin",
    }
    code = (
        "from lambdago import lambdacontext as l\n"
        "print(l.function_name, l.function_version, l.memory_limit_in_mb, l.log_group_name, "
        "l.log_stream_name, l.max_concurrency())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["fn", "7", "1024", "/aws/lambda/fn", "stream", "4"]
    env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "lots"
    env["AWS_LAMBDA_MAX_CONCURRENCY"] = "0"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split()[2] == "0" and out.stdout.split()[5] == "1"


def test_from_context_and_new_context() -> None:
    ctx = lambdacontext.new_context("req", "arn:x", 10, trace_id="t")
    assert isinstance(ctx, Context) and ctx.trace_id == "t"
    assert lambdacontext.from_context(ctx) is ctx
    assert lambdacontext.from_context(object()) is None
    assert lambdacontext.from_context() is None
    seen: list[Any] = []
    lambdago.new_handler(lambda: seen.append(lambdacontext.from_context())).invoke(b"", ctx)
    assert seen == [ctx]


def test_make_context_is_realistic_and_overridable() -> None:
    ctx = make_context()
    assert len(ctx.aws_request_id) == 36 and ctx.aws_request_id.count("-") == 4
    assert ctx.invoked_function_arn.startswith("arn:aws:lambda:us-east-1:123456789012:function:")
    assert ctx.trace_id is not None and ctx.trace_id.startswith("Root=1-")
    assert 2900 <= ctx.get_remaining_time_in_millis() <= 3000
    assert make_context().aws_request_id != ctx.aws_request_id
    custom = make_context(aws_request_id="x", remaining_ms=100, tenant_id="t")
    assert custom.aws_request_id == "x" and custom.tenant_id == "t"
    assert custom.get_remaining_time_in_millis() <= 100


def test_context_repr_and_equality() -> None:
    a = Context("r", "arn", 1)
    assert a == Context("r", "arn", 1)
    assert a != Context("r", "arn", 2)
    assert "aws_request_id='r'" in repr(a)
    assert hash(a) == hash(Context("r", "arn", 1))


def test_current_context_is_isolated_between_tasks() -> None:
    import asyncio

    async def h(ctx: Context) -> str:
        await asyncio.sleep(0)
        current = lambdago.current_context()
        assert current is not None
        return current.aws_request_id

    handler = lambdago.new_handler(h)

    async def main() -> list[bytes]:
        return list(
            await asyncio.gather(
                *(handler.invoke_async(b"", make_context(aws_request_id=str(i))) for i in range(5))  # type: ignore[attr-defined]
            )
        )

    assert asyncio.run(main()) == [f'"{i}"'.encode() for i in range(5)]


def test_from_headers_runs_a_subclass_constructor() -> None:
    # The runtime fills a Context's slots directly; a subclass with a constructor of its
    # own still gets it called, with the same keywords.
    class Tagged(Context):
        __slots__ = ("tag",)

        def __init__(self, aws_request_id: str, **fields: Any) -> None:
            super().__init__(aws_request_id, **fields)
            self.tag = f"seen {aws_request_id}"

    ctx = Tagged.from_headers(
        {"Lambda-Runtime-Aws-Request-Id": "r-1", "Lambda-Runtime-Deadline-Ms": "1000"}
    )
    assert isinstance(ctx, Tagged) and ctx.tag == "seen r-1"
    assert (ctx.aws_request_id, ctx.deadline_ms, ctx.trace_id) == ("r-1", 1000, None)
    plain = Context.from_headers(
        {"Lambda-Runtime-Aws-Request-Id": "r-1", "Lambda-Runtime-Deadline-Ms": "1000"}
    )
    assert plain.identity == CognitoIdentity() and plain.client_context is None
