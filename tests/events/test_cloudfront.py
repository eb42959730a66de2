"""CloudFront Lambda@Edge: events of the four triggers, the results a function returns,
and the helpers keeping CloudFront's two-level headers consistent."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    CloudFrontBodyActionReplace,
    CloudFrontEvent,
    CloudFrontEventTypeOriginRequest,
    CloudFrontEventTypeOriginResponse,
    CloudFrontEventTypeViewerRequest,
    CloudFrontEventTypeViewerResponse,
    CloudFrontHeader,
    CloudFrontRequest,
    CloudFrontRequestBody,
    CloudFrontRequestResult,
    CloudFrontResponse,
    CloudFrontResponseResult,
    cloudfront,
)
from tests.events._exact import as_json, roundtrip_sample


@pytest.mark.parametrize("name", sorted(cloudfront.SAMPLES))
def test_samples_round_trip_exactly(name: str) -> None:
    value = roundtrip_sample(name)
    assert isinstance(value, getattr(lambdago.events, cloudfront.SAMPLES[name]))


def test_exports() -> None:
    for name in cloudfront.__all__:
        assert getattr(lambdago.events, name) is getattr(cloudfront, name)
    assert CloudFrontRequestResult is CloudFrontRequest
    assert {cloudfront.SAMPLES[s] for s in cloudfront.SAMPLES} == {
        "CloudFrontEvent",
        "CloudFrontRequestResult",
        "CloudFrontResponseResult",
    }


def _event(name: str) -> CloudFrontEvent:
    value = roundtrip_sample(name)
    assert isinstance(value, CloudFrontEvent)
    return value


def test_event_types_of_samples() -> None:
    assert _event("cloudfront-viewer-request").event_type() == CloudFrontEventTypeViewerRequest
    assert _event("cloudfront-origin-request-s3").event_type() == CloudFrontEventTypeOriginRequest
    assert _event("cloudfront-origin-response").event_type() == CloudFrontEventTypeOriginResponse
    assert _event("cloudfront-viewer-response").event_type() == CloudFrontEventTypeViewerResponse


def test_viewer_request_sample() -> None:
    ev = _event("cloudfront-viewer-request")
    config = ev.config()
    assert config.distribution_id == "E2QWRUHAPOMQZL"
    req = ev.request()
    assert req.client_ip == "2a02:8108:1a40:5e00:d4c1:7f2b:93aa:1c06"
    assert req.header("HOST") == "www.example.es"
    assert req.header("cookie") == "session=7f3c1e9a0b"
    assert req.header_values("Cookie") == ["session=7f3c1e9a0b", "consent=analytics"]
    assert req.body is not None
    assert req.body.input_truncated is False
    assert req.body_bytes() == b"email=ana.lopez%40example.es&plan=pro&seats=12"
    with pytest.raises(ValueError, match="no response"):
        ev.response()


def test_origin_request_samples() -> None:
    s3 = _event("cloudfront-origin-request-s3").request()
    assert s3.origin is not None
    assert s3.origin.custom is None
    assert s3.origin.s3 is not None
    assert s3.origin.s3.auth_method == "origin-access-identity"
    assert s3.origin.s3.region == "eu-west-1"
    headers = s3.origin.s3.custom_headers
    assert headers is not None
    assert headers["x-origin-tier"][0].value == "primary"
    custom = _event("cloudfront-origin-request-custom").request()
    assert custom.origin is not None
    assert custom.origin.custom is not None
    assert custom.origin.custom.port == 443
    assert custom.origin.custom.ssl_protocols == ["TLSv1.2"]
    assert custom.origin.custom.custom_headers == {}
    assert custom.body_bytes() == b""


def test_response_samples() -> None:
    origin = _event("cloudfront-origin-response").response()
    assert origin.status == "200"
    assert origin.header("x-powered-by") == "catalog-api/4.2.1"
    viewer = _event("cloudfront-viewer-response")
    assert viewer.response().header("Age") == "42"
    assert viewer.request().uri == "/pricing"


def test_missing_parts_raise() -> None:
    for ev in (CloudFrontEvent(), CloudFrontEvent(records=[])):
        with pytest.raises(ValueError, match="no CloudFront record"):
            ev.request()
    empty: CloudFrontEvent = lambdago.decode(b'{"Records": [{"cf": {}}]}', CloudFrontEvent)
    with pytest.raises(ValueError, match="no config"):
        empty.config()
    with pytest.raises(ValueError, match="no request"):
        empty.request()


def test_modifying_a_request_and_returning_it() -> None:
    ev = _event("cloudfront-origin-request-s3")
    req = ev.request()
    req.set_header("X-Experiment", "hero-b")
    req.remove_header("VIA")
    req.uri = "/img/hero-b@2x.webp"
    out = as_json(req)
    assert out["headers"]["x-experiment"] == [{"key": "X-Experiment", "value": "hero-b"}]
    assert "via" not in out["headers"]
    assert out["uri"] == "/img/hero-b@2x.webp"
    assert out["origin"]["s3"]["region"] == "eu-west-1"
    # the event still encodes with the change, the rest as received
    again = as_json(ev)
    assert again["Records"][0]["cf"]["request"]["headers"]["x-experiment"][0]["value"] == "hero-b"


def test_header_helpers() -> None:
    req = CloudFrontRequest()
    assert req.header("x") is None
    assert req.header_values("x") == []
    assert req.remove_header("x") is False
    req.set_header("Cache-Control", ["no-cache", "no-store"])
    req.add_header("cache-control", "private")
    req.add_header("X-New", "1")
    assert req.headers == {
        "cache-control": [
            CloudFrontHeader(key="Cache-Control", value="no-cache"),
            CloudFrontHeader(key="Cache-Control", value="no-store"),
            CloudFrontHeader(key="cache-control", value="private"),
        ],
        "x-new": [CloudFrontHeader(key="X-New", value="1")],
    }
    # set replaces every spelling, even keys a user built with another case
    req.headers["X-NEW"] = [CloudFrontHeader(key="X-NEW", value="2")]
    assert req.header_values("x-new") == ["1", "2"]
    req.set_header("x-new", "3")
    assert list(req.headers) == ["cache-control", "x-new"]
    assert req.header_values("X-New") == ["3"]
    assert req.remove_header("CACHE-CONTROL") is True
    assert req.header("cache-control") is None
    with pytest.raises(TypeError, match="must be str"):
        req.set_header("x", [1])  # type: ignore[list-item]


def test_header_entries_without_value_are_skipped() -> None:
    resp: CloudFrontResponse = lambdago.decode(
        b'{"headers": {"a": [{"key": "A"}, {"key": "A", "value": "v"}]}}', CloudFrontResponse
    )
    assert resp.header_values("a") == ["v"]


def test_request_body_helpers() -> None:
    req = CloudFrontRequest(
        body=CloudFrontRequestBody(encoding="text", data='{"a": 1}', input_truncated=False)
    )
    assert req.body_bytes() == b'{"a": 1}'
    assert req.decode_body() == {"a": 1}
    req.body = CloudFrontRequestBody(encoding="base64", data="eyJhIjog", input_truncated=True)
    with pytest.raises(ValueError, match="truncated"):
        req.decode_body()
    with pytest.raises(ValueError, match="no body"):
        CloudFrontRequest().decode_body()
    req.replace_body(b"\x00\xff")
    assert as_json(req)["body"] == {"action": "replace", "encoding": "base64", "data": "AP8="}
    req.replace_body("plain")
    assert req.body is not None
    assert req.body.action == CloudFrontBodyActionReplace
    assert as_json(req.body) == {"action": "replace", "encoding": "text", "data": "plain"}
    with pytest.raises(TypeError, match="bytes or str"):
        req.replace_body(12)  # type: ignore[arg-type]
    bad = CloudFrontRequestBody(encoding="base64", data="***")
    with pytest.raises(ValueError, match="base64"):
        bad.data_bytes()


def test_response_result_sample() -> None:
    result = roundtrip_sample("cloudfront-response-result")
    assert isinstance(result, CloudFrontResponseResult)
    assert result.header("Location") == "https://www.example.es/es/signup?utm_source=newsletter"


def test_response_result_constructors() -> None:
    assert as_json(CloudFrontResponseResult.text("hello", status_code=403)) == {
        "status": "403",
        "statusDescription": "Forbidden",
        "headers": {
            "content-type": [{"key": "Content-Type", "value": "text/plain; charset=utf-8"}]
        },
        "bodyEncoding": "text",
        "body": "hello",
    }
    made = CloudFrontResponseResult.json(
        [1, 2],
        headers={"content-type": "application/vnd.api+json", "Set-Cookie": ["a=1", "b=2"]},
    )
    assert as_json(made)["headers"] == {
        "content-type": [{"key": "content-type", "value": "application/vnd.api+json"}],
        "set-cookie": [
            {"key": "Set-Cookie", "value": "a=1"},
            {"key": "Set-Cookie", "value": "b=2"},
        ],
    }
    assert made.body == "[1,2]"
    binary = as_json(CloudFrontResponseResult.binary(b"\x89PNG", status_code=299))
    assert binary["bodyEncoding"] == "base64"
    assert base64.b64decode(binary["body"]) == b"\x89PNG"
    assert "statusDescription" not in binary
    redirect = as_json(
        CloudFrontResponseResult.redirect(
            "https://example.com/new", status_code=301, headers={"Cache-Control": "max-age=3600"}
        )
    )
    assert redirect == {
        "status": "301",
        "statusDescription": "Moved Permanently",
        "headers": {
            "cache-control": [{"key": "Cache-Control", "value": "max-age=3600"}],
            "location": [{"key": "Location", "value": "https://example.com/new"}],
        },
    }


# Header names: a few letters in either case, and a non-ASCII letter that must not fold.
_name = st.text(alphabet="aAbB-\u212a", min_size=1, max_size=3)
_op = st.one_of(
    st.tuples(st.just("set"), _name, st.lists(st.text(max_size=2), max_size=3)),
    st.tuples(st.just("add"), _name, st.text(max_size=2)),
    st.tuples(st.just("remove"), _name, st.none()),
)


def _fold(text: str) -> str:
    return text.encode().lower().decode()


@given(st.lists(_op, max_size=12))
def test_header_operations_match_a_reference_model(ops: list[tuple[str, str, object]]) -> None:
    # The model: folded name -> (values), in CloudFront's single-key-per-name form.
    model: dict[str, list[str]] = {}
    resp = CloudFrontResponseResult()
    for op, name, arg in ops:
        key = _fold(name)
        if op == "set":
            assert isinstance(arg, list)
            resp.set_header(name, arg)
            model.pop(key, None)
            model[key] = list(arg)
        elif op == "add":
            assert isinstance(arg, str)
            resp.add_header(name, arg)
            model.setdefault(key, []).append(arg)
        else:
            assert resp.remove_header(name) is (key in model)
            model.pop(key, None)
        assert resp.headers is not None or not model
        for k, values in model.items():
            assert resp.header_values(k.upper()) == values
            assert resp.header(k) == (values[0] if values else None)
        # both levels agree: map keys are the folded names, entry keys fold to them
        assert sorted((resp.headers or {}).keys()) == sorted(model)
        for k, entries in (resp.headers or {}).items():
            assert all(_fold(e.key or "") == k for e in entries)
    decoded: CloudFrontResponseResult = lambdago.decode(
        lambdago.encode(resp), CloudFrontResponseResult
    )
    assert decoded.headers == (resp.headers if resp.headers is not None else None)


@given(st.binary(max_size=64) | st.text(max_size=64))
def test_replace_body_round_trips(data: bytes | str) -> None:
    req = CloudFrontRequest()
    req.replace_body(data)
    again: CloudFrontRequest = lambdago.decode(lambdago.encode(req), CloudFrontRequest)
    expected = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    assert again.body_bytes() == expected
