"""A real Starlette app behind lambdaurl, through the emulator and the real bootstrap."""

from __future__ import annotations

import base64
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from .conftest import (
    API_DOMAIN,
    URL_DOMAIN,
    AppRunner,
    alb_event,
    payload,
    rest_event,
    split_prelude,
    url_event,
)


def test_a_function_url_request_is_rebuilt_and_answered_in_the_stream_format(
    apps: AppRunner,
) -> None:
    with apps.emulator("starlette_app.handler") as emu:
        event = url_event(
            "POST",
            "/echo",
            "a=1&a=2&b=x%20y",
            body=b"\x00binary\xffbody",
            binary=True,
            cookies=["c=3", "d=4"],
            headers={"x-custom": "yes", "content-type": "application/octet-stream"},
        )
        result = emu.invoke(payload(event))
        assert result.function_error is None
        assert result.headers["content-type"] == (
            "application/vnd.awslambda.http-integration-response"
        )
        prelude, body = split_prelude(result.payload)
        assert prelude["statusCode"] == 200
        assert prelude["headers"]["x-echo"] == "yes"
        assert prelude["headers"]["content-type"] == "application/json"
        assert "cookies" not in prelude
        echo = __import__("json").loads(body)
        assert echo["method"] == "POST"
        assert echo["path"] == "/echo"
        assert echo["query"] == "a=1&a=2&b=x%20y"
        assert echo["params"] == [["a", "1"], ["a", "2"], ["b", "x y"]]
        assert echo["body"] == "\x00binary\xffbody"
        assert echo["cookies"] == {"c": "3", "d": "4"}
        assert echo["headers"]["x-custom"] == "yes"
        assert echo["headers"]["host"] == URL_DOMAIN
        assert echo["client"] == "203.0.113.9"
        assert echo["request_id"] == result.request_id
        assert echo["has_event"] is True
        assert echo["greeting"] == "hello from lifespan"
        # Percent-encoded paths arrive decoded in path, as sent in raw_path.
        odd = emu.invoke(payload(url_event("GET", "/path/a%20b/%C3%A9"))).payload
        echo = __import__("json").loads(split_prelude(odd)[1])
        assert echo["path"] == "/path/a b/é"
        assert echo["raw_path"] == "/path/a%20b/%C3%A9"


def test_server_sent_events_stream_chunk_by_chunk_with_cookies(apps: AppRunner) -> None:
    with apps.emulator("starlette_app.handler") as emu:
        result = emu.invoke_stream(payload(url_event("GET", "/events", "gap=0.3")))
        arrivals = [(time.monotonic(), piece) for piece in result]
        prelude, body = split_prelude(b"".join(p for _, p in arrivals))
        assert prelude["statusCode"] == 200
        assert prelude["headers"]["content-type"].startswith("text/event-stream")
        assert [c.split(";")[0] for c in prelude["cookies"]] == ["session=abc", "theme=dark"]
        assert "set-cookie" not in {k.lower() for k in prelude["headers"]}
        assert body == b"data: 0\n\ndata: 1\n\ndata: 2\n\n"
        # Each event arrived on its own, ~0.3 s after the one before: not all at the end.
        t0 = next(t for t, p in arrivals if b"data: 0" in p)
        t1 = next(t for t, p in arrivals if b"data: 1" in p)
        t2 = next(t for t, p in arrivals if b"data: 2" in p)
        assert t1 - t0 >= 0.2 and t2 - t1 >= 0.2
        assert result.trailers == {}


def test_lifespan_starts_once_at_init_and_shuts_down_on_sigterm(apps: AppRunner) -> None:
    with apps.emulator("starlette_app.handler") as emu:
        for _ in range(3):
            echo = __import__("json").loads(
                split_prelude(emu.invoke(payload(url_event("GET", "/echo"))).payload)[1]
            )
            assert echo["startups"] == 1
        assert apps.notes() == ["startup"]
    # The emulator stopped the runtime with SIGTERM (lambdaurl registered the shutdown).
    assert apps.notes() == ["startup", "shutdown"]


def test_background_tasks_finish_within_the_invocation(apps: AppRunner) -> None:
    with apps.emulator("starlette_app.handler") as emu:
        _prelude, body = split_prelude(emu.invoke(payload(url_event("GET", "/later"))).payload)
        assert body == b"done"
        assert "background task ran" in apps.notes()


def test_an_app_error_is_a_500_and_the_function_goes_on(apps: AppRunner) -> None:
    with apps.emulator("starlette_app.handler") as emu:
        result = emu.invoke_stream(payload(url_event("GET", "/boom")))
        prelude, body = split_prelude(result.read_all())
        assert prelude["statusCode"] == 500
        assert body == b"Internal Server Error"
        assert result.trailers == {}  # the response was complete before the error surfaced
        prelude, _ = split_prelude(emu.invoke(payload(url_event("GET", "/echo"))).payload)
        assert prelude["statusCode"] == 200


def test_buffered_front_doors(apps: AppRunner) -> None:
    with apps.emulator("starlette_app.handler") as emu:
        # API Gateway REST (payload 1.0): multiValueHeaders, decoded query values.
        rest = emu.invoke(
            payload(
                rest_event(
                    "PUT",
                    "/echo",
                    query={"q": ["a b", "c"]},
                    headers={"Cookie": ["p=9"]},
                    body="payload",
                )
            )
        ).json()
        assert rest["statusCode"] == 200
        assert rest["isBase64Encoded"] is False
        assert rest["multiValueHeaders"]["x-echo"] == ["yes"]
        echo = __import__("json").loads(rest["body"])
        assert echo["method"] == "PUT"
        assert echo["params"] == [["q", "a b"], ["q", "c"]]
        assert echo["cookies"] == {"p": "9"}
        assert echo["client"] == "198.51.100.1"
        assert echo["headers"]["host"] == API_DOMAIN
        # HTTP API (payload 2.0, not a function URL): buffered, cookies apart.
        http = emu.invoke(payload(url_event("GET", "/events", "gap=0", domain=API_DOMAIN))).json()
        assert http["statusCode"] == 200
        assert [c.split(";")[0] for c in http["cookies"]] == ["session=abc", "theme=dark"]
        assert http["body"] == "data: 0\n\ndata: 1\n\ndata: 2\n\n"
        # ALB: the client from X-Forwarded-For, a status description, binary as base64.
        alb = emu.invoke(payload(alb_event("GET", "/binary"))).json()
        assert alb["statusCode"] == 200
        assert alb["statusDescription"] == "200 OK"
        assert alb["isBase64Encoded"] is True
        assert base64.b64decode(alb["body"]) == bytes(range(256))
        alb = emu.invoke(
            payload(alb_event("GET", "/echo", query={"x": "1%202"}, multi=True))
        ).json()
        assert "multiValueHeaders" in alb
        echo = __import__("json").loads(alb["body"])
        assert echo["client"] == "192.0.2.7"
        assert echo["params"] == [["x", "1 2"]]


def test_the_mode_can_be_forced(apps: AppRunner) -> None:
    with apps.emulator("starlette_app.handler", env={"LAMBDAGO_HTTP_MODE": "buffered"}) as emu:
        url = emu.invoke(payload(url_event("GET", "/binary"))).json()
        assert url["isBase64Encoded"] is True
        assert base64.b64decode(url["body"]) == bytes(range(256))
    with apps.emulator("starlette_app.handler", env={"LAMBDAGO_HTTP_MODE": "stream"}) as emu:
        result = emu.invoke(payload(rest_event("GET", "/echo")))
        assert result.headers["content-type"] == (
            "application/vnd.awslambda.http-integration-response"
        )
        prelude, _ = split_prelude(result.payload)
        assert prelude["multiValueHeaders"]["x-echo"] == ["yes"]


def test_lambdaurl_start_is_a_bootstrap(apps: AppRunner) -> None:
    command = [sys.executable, "starlette_app.py"]
    with apps.emulator("starlette_app.py", command=command) as emu:
        prelude, _ = split_prelude(emu.invoke(payload(url_event("GET", "/echo"))).payload)
        assert prelude["statusCode"] == 200
    assert apps.notes() == ["startup", "shutdown"]


def test_requests_run_at_once_with_max_concurrency(apps: AppRunner) -> None:
    with apps.emulator("starlette_app.handler", max_concurrency=4) as emu:
        emu.invoke(payload(url_event("GET", "/slow", "s=0")))
        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            results = list(
                pool.map(
                    lambda _: emu.invoke(payload(url_event("GET", "/slow", "s=0.4"))), range(8)
                )
            )
        assert time.monotonic() - started < 1.5
        pids = {__import__("json").loads(split_prelude(r.payload)[1])["pid"] for r in results}
        assert len(pids) == 1
