"""Events of every HTTP front door, and an emulator running a web app with the real
bootstrap."""

from __future__ import annotations

import base64
import json
import pathlib
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from lambdago.emulator import Emulator

APPS = pathlib.Path(__file__).resolve().parent / "apps"
URL_DOMAIN = "abcdefghij.lambda-url.us-east-1.on.aws"
API_DOMAIN = "r2d2c3po.execute-api.us-east-1.amazonaws.com"


def url_event(
    method: str = "GET",
    path: str = "/",
    query: str = "",
    *,
    body: bytes | str | None = None,
    binary: bool = False,
    cookies: list[str] | None = None,
    headers: dict[str, str] | None = None,
    domain: str = URL_DOMAIN,
) -> dict[str, Any]:
    """A function URL request (payload format 2.0); with ``domain`` an HTTP API's."""
    data: str | None
    if body is None:
        data = None
    elif binary:
        data = base64.b64encode(body if isinstance(body, bytes) else body.encode()).decode()
    else:
        data = body if isinstance(body, str) else body.decode()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {"host": domain, "user-agent": "curl/8.0", **(headers or {})},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": domain.split(".")[0],
            "domainName": domain,
            "domainPrefix": domain.split(".")[0],
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
                "userAgent": "curl/8.0",
            },
            "requestId": "req-1",
            "routeKey": "$default",
            "stage": "$default",
            "time": "25/Nov/2026:21:30:00 +0000",
            "timeEpoch": 1795642200000,
        },
        "isBase64Encoded": binary,
    }
    if cookies:
        event["cookies"] = cookies
    if data is not None:
        event["body"] = data
    return event


def rest_event(
    method: str = "GET",
    path: str = "/",
    *,
    query: dict[str, list[str]] | None = None,
    headers: dict[str, list[str]] | None = None,
    body: str | None = None,
    binary: bool = False,
) -> dict[str, Any]:
    """An API Gateway REST API proxy request (payload format 1.0)."""
    multi = {"Host": [API_DOMAIN], **(headers or {})}
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": {k: v[-1] for k, v in multi.items()},
        "multiValueHeaders": multi,
        "queryStringParameters": {k: v[-1] for k, v in (query or {}).items()} or None,
        "multiValueQueryStringParameters": query or None,
        "requestContext": {
            "accountId": "123456789012",
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "stage": "prod",
            "domainName": API_DOMAIN,
            "identity": {"sourceIp": "198.51.100.1"},
            "path": f"/prod{path}",
        },
        "body": body,
        "isBase64Encoded": binary,
    }


def alb_event(
    method: str = "GET",
    path: str = "/",
    *,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    multi: bool = False,
    body: str = "",
) -> dict[str, Any]:
    """An ALB target group request (single- or multi-value headers)."""
    hdrs = {"host": "lb-123.us-east-1.elb.amazonaws.com", "x-forwarded-for": "192.0.2.7, 10.0.0.1"}
    hdrs.update(headers or {})
    event: dict[str, Any] = {
        "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:tg"}},
        "httpMethod": method,
        "path": path,
        "body": body,
        "isBase64Encoded": False,
    }
    if multi:
        event["multiValueHeaders"] = {k: [v] for k, v in hdrs.items()}
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in (query or {}).items()}
    else:
        event["headers"] = hdrs
        event["queryStringParameters"] = query or {}
    return event


def payload(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode()


def split_prelude(body: bytes) -> tuple[dict[str, Any], bytes]:
    """The HTTP integration prelude (JSON) and the body after its 8 NUL bytes."""
    prelude, sep, rest = body.partition(b"\x00" * 8)
    assert sep, f"no prelude separator in {body[:200]!r}"
    return json.loads(prelude), rest


class AppRunner:
    """An emulator serving one of the test apps (copied into a task root)."""

    def __init__(self, tmp_path: pathlib.Path) -> None:
        self.root = tmp_path / "task"
        self.root.mkdir()
        for source in APPS.glob("*.py"):
            shutil.copy(source, self.root / source.name)
        self.out = tmp_path / "out.txt"

    def emulator(
        self, handler: str, *, command: list[str] | None = None, **options: Any
    ) -> Emulator:
        options.setdefault("invoke_port", 0)
        options.setdefault("echo", None)
        env = {"OUT": str(self.out), **options.pop("env", {})}
        return Emulator(
            command or [sys.executable, "-m", "lambdago", handler],
            task_root=self.root,
            env=env,
            handler=handler,
            **options,
        )

    def notes(self) -> list[str]:
        return self.out.read_text().splitlines() if self.out.exists() else []


@pytest.fixture
def apps(tmp_path: pathlib.Path) -> Iterator[AppRunner]:
    return AppRunner(tmp_path)
