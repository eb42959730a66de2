"""The adapters in process: telling ASGI from WSGI, events of every front door, response
forms, the WSGI and ASGI corner cases (late start_response, write(), errors, lifespan)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from typing import Any

import pytest

import lambdago
from lambdago import lambdaurl
from lambdago.lambdaurl import _http
from lambdago.lambdaurl._asgi import LifespanFailed

from .conftest import API_DOMAIN, URL_DOMAIN, alb_event, rest_event, split_prelude, url_event


def _serve(handler: Any, event: dict[str, Any]) -> bytes:
    """One invocation through lambdago's own call path (a stream is collected)."""
    return lambdago.new_handler(handler).invoke(json.dumps(event).encode())


# -- telling the two protocols apart --------------------------------------------------------------


def test_detect_kind() -> None:
    from flask import Flask
    from starlette.applications import Starlette

    async def asgi_function(scope: Any, receive: Any, send: Any) -> None:
        pass

    def wsgi_function(environ: Any, start_response: Any) -> list[bytes]:
        return []

    class ASGIClass:
        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            pass

    class WSGIClass:
        def __call__(self, environ: Any, start_response: Any) -> list[bytes]:
            return []

    def one_argument(scope: Any) -> None:
        pass

    assert lambdaurl.detect_kind(Starlette()) == "asgi"
    assert lambdaurl.detect_kind(Flask("x")) == "wsgi"
    assert lambdaurl.detect_kind(asgi_function) == "asgi"
    assert lambdaurl.detect_kind(wsgi_function) == "wsgi"
    assert lambdaurl.detect_kind(ASGIClass()) == "asgi"
    assert lambdaurl.detect_kind(WSGIClass()) == "wsgi"
    with pytest.raises(TypeError, match="pass kind='asgi' or kind='wsgi'"):
        lambdaurl.detect_kind(one_argument)
    with pytest.raises(TypeError, match="must be callable"):
        lambdaurl.detect_kind(42)
    with pytest.raises(ValueError, match="kind must be"):
        lambdaurl.wrap(wsgi_function, kind="cgi")
    with pytest.raises(ValueError, match="mode must be"):
        lambdaurl.wrap(wsgi_function, mode="sometimes")


def test_no_web_framework_is_imported() -> None:
    code = (
        "import sys, lambdago.lambdaurl, lambdago.lambdaurl._asgi, lambdago.lambdaurl._wsgi\n"
        "print([m for m in sys.modules if m.split('.')[0] in "
        "('starlette', 'flask', 'werkzeug', 'fastapi', 'django', 'anyio')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- events ------------------------------------------------------------------------------------


def test_front_doors() -> None:
    assert _http.front_door(url_event()) == _http.URL
    assert _http.front_door(url_event(domain=API_DOMAIN)) == _http.HTTP_API
    assert _http.front_door(rest_event()) == _http.REST
    assert _http.front_door(alb_event()) == _http.ALB
    http_v1 = {**rest_event(), "version": "1.0"}
    assert _http.front_door(http_v1) == _http.REST
    with pytest.raises(ValueError, match="not an HTTP event"):
        _http.front_door({"Records": [{"eventSource": "aws:sqs"}]})
    with pytest.raises(ValueError, match="a JSON object"):
        _http.front_door([1, 2])


def test_parse_function_url_event() -> None:
    request = _http.parse_event(
        url_event(
            "post",
            "/a%2Fb/c%20d",
            "x=1&y=%20",
            body=b"\x00\x01",
            binary=True,
            cookies=["a=1", "b=2"],
            headers={"x-many": "1,2"},
        )
    )
    assert request.method == "POST"
    assert request.raw_path == b"/a%2Fb/c%20d"
    assert request.path == "/a/b/c d"
    assert request.query == b"x=1&y=%20"
    assert request.body == b"\x00\x01"
    assert request.client == "203.0.113.9"
    assert request.host == URL_DOMAIN
    headers = dict(request.headers)
    assert headers[b"cookie"] == b"a=1; b=2"
    assert headers[b"x-many"] == b"1,2"
    with pytest.raises(ValueError, match="not valid base64"):
        _http.parse_event(url_event(body="%%%", binary=False) | {"isBase64Encoded": True})


def test_parse_rest_and_alb_events() -> None:
    rest = _http.parse_event(
        rest_event(
            "GET",
            "/files/a b",
            query={"q": ["x y", "z"], "e": [""]},
            headers={"X-Many": ["1", "2"]},
        )
    )
    assert rest.path == "/files/a b"
    assert rest.raw_path == b"/files/a%20b"
    assert rest.query == b"q=x+y&q=z&e="
    assert [v for k, v in rest.headers if k == b"x-many"] == [b"1", b"2"]
    assert rest.client == "198.51.100.1"
    assert rest.multi_value
    alb = _http.parse_event(alb_event("GET", "/a%20b", query={"q": "x%20y"}))
    assert alb.path == "/a b"
    assert alb.query == b"q=x%20y"  # an ALB passes the query string on undecoded
    assert alb.client == "192.0.2.7"
    assert not alb.multi_value
    # No Host header: the domain name stands in.
    event = url_event()
    del event["headers"]["host"]
    assert _http.parse_event(event).host == URL_DOMAIN


def test_buffered_response_forms() -> None:
    url = _http.parse_event(url_event())
    headers = [("Content-Type", "text/html"), ("Set-Cookie", "a=1"), ("X-Two", "1"), ("x-two", "2")]
    out = _http.buffered_response(url, 201, headers, "héllo".encode())
    assert out == {
        "statusCode": 201,
        "headers": {"Content-Type": "text/html", "X-Two": "1,2"},
        "cookies": ["a=1"],
        "body": "héllo",
        "isBase64Encoded": False,
    }
    rest = _http.parse_event(rest_event())
    out = _http.buffered_response(rest, 200, [("Content-Encoding", "gzip")], b"\x1f\x8b")
    assert out["isBase64Encoded"] is True
    assert base64.b64decode(out["body"]) == b"\x1f\x8b"
    assert out["multiValueHeaders"] == {"Content-Encoding": ["gzip"]}
    out = _http.buffered_response(rest, 200, [("Content-Type", "image/png")], b"\x89PNG")
    assert out["isBase64Encoded"] is True
    out = _http.buffered_response(rest, 200, [("Content-Type", "application/ld+json")], b"{}")
    assert out["isBase64Encoded"] is False
    alb = _http.parse_event(alb_event())
    out = _http.buffered_response(alb, 418, [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")], b"")
    assert out["statusDescription"] == "418 I'm a Teapot"
    assert out["headers"] == {"Set-Cookie": "b=2"}  # single-value headers keep one


# -- WSGI corner cases ---------------------------------------------------------------------------


def test_wsgi_late_start_response_write_and_close() -> None:
    closed: list[bool] = []

    class Body:
        def __init__(self, start_response: Any) -> None:
            self.start_response = start_response

        def __iter__(self) -> Any:
            write = self.start_response("202 Accepted", [("X-Late", "yes")])
            write(b"written ")  # the legacy write() callable
            yield b""
            yield b"iterated"

        def close(self) -> None:
            closed.append(True)

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        assert environ["PATH_INFO"] == "/caf\xc3\xa9"  # PEP 3333: bytes as latin-1
        assert environ["QUERY_STRING"] == "x=1"
        assert environ["HTTP_COOKIE"] == "a=1; b=2"
        assert environ["SERVER_NAME"] in (URL_DOMAIN, API_DOMAIN)
        assert environ["wsgi.url_scheme"] == "https"
        assert environ["aws.event"].get("rawPath", "/caf%C3%A9") == "/caf%C3%A9"
        return Body(start_response)

    handler = lambdaurl.wrap(app)
    body = _serve(handler, url_event("GET", "/caf%C3%A9", "x=1", cookies=["a=1", "b=2"]))
    prelude, rest = split_prelude(body)
    assert prelude == {"statusCode": 202, "headers": {"X-Late": "yes"}}
    assert rest == b"written iterated"
    assert closed == [True]
    rest = rest_event("GET", "/caf\u00e9", query={"x": ["1"]}, headers={"Cookie": ["a=1; b=2"]})
    out = json.loads(_serve(handler, rest))
    assert out["statusCode"] == 202
    assert out["body"] == "written iterated"
    assert out["multiValueHeaders"] == {"X-Late": ["yes"]}
    assert closed == [True, True]


def test_wsgi_errors_before_the_response_are_500s(capsys: pytest.CaptureFixture[str]) -> None:
    def broken(environ: dict[str, Any], start_response: Any) -> Any:
        raise KeyError("missing")

    def silent(environ: dict[str, Any], start_response: Any) -> Any:
        return [b"no start_response"]

    for app in (broken, silent):
        prelude, body = split_prelude(_serve(lambdaurl.wrap(app, kind="wsgi"), url_event()))
        assert prelude["statusCode"] == 500
        assert body == b"Internal Server Error"
        out = json.loads(_serve(lambdaurl.wrap(app, kind="wsgi"), alb_event()))
        assert out["statusCode"] == 500
    assert "the WSGI app failed (answered 500)" in capsys.readouterr().err


def test_wsgi_error_mid_stream_propagates_to_the_runtime() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Any:
        start_response("200 OK", [])
        yield b"part"
        raise ValueError("mid-stream")

    with pytest.raises(ValueError, match="mid-stream"):
        _serve(lambdaurl.wrap(app, kind="wsgi"), url_event())


# -- ASGI corner cases ---------------------------------------------------------------------------


def _asgi(app: Any, **options: Any) -> Any:
    return lambdaurl.wrap(app, kind="asgi", **options)


def test_asgi_app_without_lifespan_support() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"unsupported scope {scope['type']}")
        assert scope["state"] == {}
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    prelude, body = split_prelude(_serve(_asgi(app), url_event()))
    assert prelude == {"statusCode": 204}
    assert body == b""
    with pytest.raises(LifespanFailed, match="does not support"):
        _asgi(app, lifespan="on")


def test_asgi_lifespan_startup_failure() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        message = await receive()
        assert message["type"] == "lifespan.startup"
        await send({"type": "lifespan.startup.failed", "message": "no database"})

    with pytest.raises(LifespanFailed, match="no database"):
        _asgi(app)
    _asgi(app, lifespan="off")  # not run at all


def test_asgi_receive_then_disconnect_and_errors() -> None:
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            raise ValueError("no lifespan")
        request = await receive()
        seen.append(request["type"])
        assert request["body"] == b"data" and request["more_body"] is False
        if scope["path"] == "/fail-early":
            raise RuntimeError("before the response")
        await send({"type": "http.response.start", "status": 200, "headers": [(b"a", b"1")]})
        await send({"type": "http.response.body", "body": b"one ", "more_body": True})
        if scope["path"] == "/fail-late":
            raise RuntimeError("mid-stream")
        await send({"type": "http.response.body", "body": b"two"})
        seen.append((await receive())["type"])  # the response is complete: disconnect

    handler = _asgi(app)
    prelude, body = split_prelude(_serve(handler, url_event("POST", "/", body="data")))
    assert (prelude, body) == ({"statusCode": 200, "headers": {"a": "1"}}, b"one two")
    assert seen == ["http.request", "http.disconnect"]
    prelude, body = split_prelude(_serve(handler, url_event("POST", "/fail-early", body="data")))
    assert prelude["statusCode"] == 500
    with pytest.raises(RuntimeError, match="mid-stream"):
        _serve(handler, url_event("POST", "/fail-late", body="data"))
    out = json.loads(_serve(handler, rest_event("POST", "/", body="data")))
    assert out["statusCode"] == 200 and out["body"] == "one two"
    out = json.loads(_serve(handler, rest_event("POST", "/fail-late", body="data")))
    assert out["statusCode"] == 500


def test_a_non_http_event_is_an_invocation_error() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Any:
        return []

    with pytest.raises(ValueError, match="not an HTTP event"):
        _serve(lambdaurl.wrap(app), {"Records": []})
