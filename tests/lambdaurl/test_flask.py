"""A real Flask (WSGI) app behind lambdaurl, through the emulator and the real bootstrap."""

from __future__ import annotations

import base64
import json
import time
from concurrent.futures import ThreadPoolExecutor

from .conftest import AppRunner, alb_event, payload, rest_event, split_prelude, url_event


def test_a_function_url_request_reaches_flask_and_streams_back(apps: AppRunner) -> None:
    with apps.emulator("flask_app.handler") as emu:
        event = url_event(
            "POST",
            "/echo",
            "a=1&a=2&b=x%20y",
            body="form=data",
            cookies=["c=3", "d=4"],
            headers={"content-type": "application/x-www-form-urlencoded", "x-custom": "yes"},
        )
        result = emu.invoke(payload(event))
        assert result.headers["content-type"] == (
            "application/vnd.awslambda.http-integration-response"
        )
        prelude, body = split_prelude(result.payload)
        assert prelude["statusCode"] == 200
        assert prelude["headers"]["X-Echo"] == "yes"
        assert [c.split(";")[0] for c in prelude["cookies"]] == ["session=abc", "theme=dark"]
        echo = json.loads(body)
        assert echo["method"] == "POST"
        assert echo["path"] == "/echo"
        assert echo["query"] == "a=1&a=2&b=x%20y"
        assert echo["args"] == [["a", "1"], ["a", "2"], ["b", "x y"]]
        assert echo["body"] == "form=data"
        assert echo["cookies"] == {"c": "3", "d": "4"}
        assert echo["headers"]["x-custom"] == "yes"
        assert echo["headers"]["content-length"] == "9"
        assert echo["client"] == "203.0.113.9"
        assert echo["request_id"] == result.request_id
        assert echo["multithread"] is False


def test_a_generator_response_streams_piece_by_piece(apps: AppRunner) -> None:
    with apps.emulator("flask_app.handler") as emu:
        result = emu.invoke_stream(payload(url_event("GET", "/stream", "gap=0.3")))
        arrivals = [(time.monotonic(), piece) for piece in result]
        prelude, body = split_prelude(b"".join(p for _, p in arrivals))
        assert prelude["statusCode"] == 200
        assert prelude["headers"]["Content-Type"].startswith("text/plain")
        assert body == b"line 0\nline 1\nline 2\n"
        t0 = next(t for t, p in arrivals if b"line 0" in p)
        t1 = next(t for t, p in arrivals if b"line 1" in p)
        t2 = next(t for t, p in arrivals if b"line 2" in p)
        assert t1 - t0 >= 0.2 and t2 - t1 >= 0.2


def test_binary_bodies_both_ways(apps: AppRunner) -> None:
    with apps.emulator("flask_app.handler") as emu:
        result = emu.invoke(
            payload(url_event("PUT", "/echo", body=bytes(range(200, 256)), binary=True))
        )
        echo = json.loads(split_prelude(result.payload)[1])
        assert echo["body"].encode("latin-1") == bytes(range(200, 256))
        _prelude, body = split_prelude(emu.invoke(payload(url_event("GET", "/binary"))).payload)
        assert body == bytes(range(256))
        # Buffered (REST API): base64 with isBase64Encoded.
        rest = emu.invoke(payload(rest_event("GET", "/binary"))).json()
        assert rest["isBase64Encoded"] is True
        assert base64.b64decode(rest["body"]) == bytes(range(256))


def test_errors_are_500s(apps: AppRunner) -> None:
    with apps.emulator("flask_app.handler") as emu:
        prelude, _body = split_prelude(emu.invoke(payload(url_event("GET", "/boom"))).payload)
        assert prelude["statusCode"] == 500
        prelude, _ = split_prelude(emu.invoke(payload(url_event("GET", "/missing"))).payload)
        assert prelude["statusCode"] == 404


def test_buffered_front_doors(apps: AppRunner) -> None:
    with apps.emulator("flask_app.handler") as emu:
        rest = emu.invoke(
            payload(
                rest_event("GET", "/echo", query={"q": ["a b", "c"]}, headers={"Cookie": ["p=9"]})
            )
        ).json()
        assert rest["statusCode"] == 200
        assert rest["multiValueHeaders"]["Set-Cookie"][0].startswith("session=abc")
        assert len(rest["multiValueHeaders"]["Set-Cookie"]) == 2
        echo = json.loads(rest["body"])
        assert echo["args"] == [["q", "a b"], ["q", "c"]]
        assert echo["cookies"] == {"p": "9"}
        alb = emu.invoke(payload(alb_event("GET", "/echo", query={"x": "1%202"}))).json()
        assert alb["statusDescription"] == "200 OK"
        assert "multiValueHeaders" not in alb
        echo = json.loads(alb["body"])
        assert echo["client"] == "192.0.2.7"
        assert echo["args"] == [["x", "1 2"]]


def test_threads_serve_requests_at_once_with_max_concurrency(apps: AppRunner) -> None:
    with apps.emulator("flask_app.handler", max_concurrency=4) as emu:
        warm = json.loads(split_prelude(emu.invoke(payload(url_event("GET", "/echo"))).payload)[1])
        assert warm["multithread"] is True
        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            results = list(
                pool.map(
                    lambda _: emu.invoke(payload(url_event("GET", "/slow", "s=0.4"))), range(8)
                )
            )
        assert time.monotonic() - started < 1.5
        assert len({json.loads(split_prelude(r.payload)[1])["pid"] for r in results}) == 1
