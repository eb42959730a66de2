"""VPC Lattice: both request versions, the response, and their helpers."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    VPCLatticeRequest,
    VPCLatticeRequestContext,
    VPCLatticeRequestV2,
    VPCLatticeResponse,
    vpc_lattice,
)
from tests.events._exact import as_json, roundtrip_sample


@pytest.mark.parametrize("name", sorted(vpc_lattice.SAMPLES))
def test_samples_round_trip_exactly(name: str) -> None:
    value = roundtrip_sample(name)
    assert type(value).__name__ == vpc_lattice.SAMPLES[name]


def test_every_type_is_exported_and_has_a_sample() -> None:
    for name in vpc_lattice.__all__:
        assert getattr(lambdago.events, name) is getattr(vpc_lattice, name)
    assert set(vpc_lattice.SAMPLES.values()) == {
        "VPCLatticeRequest",
        "VPCLatticeRequestV2",
        "VPCLatticeResponse",
    }


def test_v1_request_uses_snake_case_keys() -> None:
    req = roundtrip_sample("vpc-lattice-request")
    assert isinstance(req, VPCLatticeRequest)
    assert req.raw_path == "/inventory/reservations"
    assert req.method == "POST"
    assert req.is_base64_encoded is True
    assert req.header("Content-Type") == "application/json"
    assert req.header("X-REQUEST-TAG") == "checkout,retry"
    assert req.header_values("x-request-tag") == ["checkout,retry"]
    assert req.query_param("dryRun") == "false"
    assert req.query_param("dryrun") is None
    assert req.query_params("region") == ["eu-central-1"]
    assert req.decode_body() == {"sku": "TNT-4471", "quantity": 3, "warehouse": "fra-2"}
    assert len(req.body_bytes()) == int(req.header("content-length") or 0)
    # camelCase keys are not the v1 spelling
    other: VPCLatticeRequest = lambdago.decode(
        b'{"rawPath": "/x", "isBase64Encoded": true}', VPCLatticeRequest
    )
    assert other.raw_path is None
    assert other.is_base64_encoded is None


def test_v2_request_fields_and_lookups() -> None:
    req = roundtrip_sample("vpc-lattice-request-v2")
    assert isinstance(req, VPCLatticeRequestV2)
    assert req.version == "2.0"
    assert req.header("HOST") == (
        "orders-svc-07a3d9c51e8b24f60.7d67968.vpc-lattice-svcs.eu-central-1.on.aws"
    )
    assert req.header_values("x-trace-hop") == ["gateway", "orders-edge"]
    assert req.header("x-trace-hop") == "orders-edge"
    assert req.header("x-missing") is None
    assert req.header_values("x-missing") == []
    assert req.query_params("channel") == ["email", "sms"]
    assert req.query_param("channel") == "sms"
    assert req.query_param("Channel") is None
    assert req.query_params("nope") == []
    assert req.body_text() == '{"status":"shipped","carrier":"DHL"}'
    assert req.decode_body()["carrier"] == "DHL"
    ctx = req.request_context
    assert ctx is not None
    assert ctx.identity is not None
    assert ctx.identity.type == "AWS_IAM"
    assert ctx.identity.principal_org_id == "o-7kq2m9xw4p"
    assert ctx.identity.x509_subject_cn is None
    assert ctx.time_epoch == "1741874118402917"
    assert ctx.time() == datetime(2025, 3, 13, 13, 55, 18, 402917, tzinfo=UTC)


def test_v2_lookups_merge_keys_that_differ_in_case() -> None:
    req = VPCLatticeRequestV2(headers={"X-A": ["1"], "x-a": ["2", "3"]})
    assert req.header_values("x-A") == ["1", "2", "3"]
    assert req.header("X-a") == "3"
    empty = VPCLatticeRequestV2(headers={"x-a": []}, query_string_parameters={"q": []})
    assert empty.header("x-a") is None
    assert empty.query_param("q") is None
    assert VPCLatticeRequestV2().header_values("x") == []
    assert VPCLatticeRequestV2().query_params("x") == []


def test_v2_single_string_values_read_as_one_value_lists() -> None:
    raw = b'{"version": "2.0", "headers": {"User-Agent": "curl/8", "accept": ["*/*"]},'
    raw += b' "queryStringParameters": {"id": "1"}}'
    req = lambdago.decode(raw, VPCLatticeRequestV2)
    assert req.headers == {"User-Agent": ["curl/8"], "accept": ["*/*"]}
    assert req.header("user-agent") == "curl/8"
    assert req.query_param("id") == "1"
    with pytest.raises(lambdago.DecodeError, match=r"headers\.a: expected list of str"):
        lambdago.decode(b'{"headers": {"a": 1}}', VPCLatticeRequestV2)
    with pytest.raises(lambdago.DecodeError, match=r"headers\.a: expected list of str"):
        lambdago.decode(b'{"headers": {"a": ["x", 2]}}', VPCLatticeRequestV2)
    with pytest.raises(lambdago.DecodeError, match=r"queryStringParameters: expected object"):
        lambdago.decode(b'{"queryStringParameters": []}', VPCLatticeRequestV2)


def test_v2_returned_lists_are_copies() -> None:
    req = VPCLatticeRequestV2(headers={"a": ["1"]}, query_string_parameters={"q": ["1"]})
    req.header_values("a").append("2")
    req.query_params("q").append("2")
    assert req.headers == {"a": ["1"]}
    assert req.query_string_parameters == {"q": ["1"]}


def test_v2_base64_body() -> None:
    req = VPCLatticeRequestV2(body=base64.b64encode(b"\x00\x01").decode(), is_base64_encoded=True)
    assert req.body_bytes() == b"\x00\x01"
    assert VPCLatticeRequestV2().body_bytes() == b""
    bad = VPCLatticeRequestV2(body="***", is_base64_encoded=True)
    with pytest.raises(ValueError, match="base64"):
        bad.body_bytes()
    with pytest.raises(ValueError, match="no body"):
        VPCLatticeRequestV2().decode_body()


def test_time_epoch_helper() -> None:
    assert VPCLatticeRequestContext().time() is None
    assert VPCLatticeRequestContext(time_epoch="0").time() == datetime(1970, 1, 1, tzinfo=UTC)
    for bad in ("", "12.5", "-1", "abc", "١٢"):
        with pytest.raises(ValueError, match="timeEpoch"):
            VPCLatticeRequestContext(time_epoch=bad).time()


@given(st.integers(min_value=0, max_value=253_402_300_799_999_999))
def test_time_epoch_matches_integer_microseconds(micros: int) -> None:
    when = VPCLatticeRequestContext(time_epoch=str(micros)).time()
    assert when is not None
    delta = when - datetime(1970, 1, 1, tzinfo=UTC)
    assert (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds == micros


def test_response_sample() -> None:
    resp = roundtrip_sample("vpc-lattice-response")
    assert isinstance(resp, VPCLatticeResponse)
    assert resp.status_code == 202
    assert resp.status_description == "202 Accepted"


def test_response_constructors() -> None:
    assert as_json(VPCLatticeResponse.text("hi")) == {
        "statusCode": 200,
        "statusDescription": "200 OK",
        "headers": {"Content-Type": "text/plain; charset=utf-8"},
        "body": "hi",
        "isBase64Encoded": False,
    }
    made = as_json(
        VPCLatticeResponse.json(
            {"ok": True}, status_code=404, headers={"content-type": "application/problem+json"}
        )
    )
    assert made == {
        "statusCode": 404,
        "statusDescription": "404 Not Found",
        "headers": {"content-type": "application/problem+json"},
        "body": '{"ok":true}',
        "isBase64Encoded": False,
    }
    binary = as_json(
        VPCLatticeResponse.binary(b"\xff\x00", status_code=599, status_description="599 Odd")
    )
    assert binary["body"] == "/wA="
    assert binary["isBase64Encoded"] is True
    assert binary["statusDescription"] == "599 Odd"
    assert binary["headers"] == {"Content-Type": "application/octet-stream"}
    assert as_json(VPCLatticeResponse.text("", status_code=599))["statusDescription"] == "599"


# A header name: a few letters in either case, so distinct keys often differ only in case.
_name = st.text(alphabet="aAbB-\u212a", min_size=1, max_size=3)


def _fold(text: str) -> bytes:
    return text.encode().lower()  # bytes.lower() folds ASCII letters only


@given(
    headers=st.dictionaries(_name, st.lists(st.text(max_size=3), max_size=3), max_size=5),
    name=_name,
)
def test_v2_header_lookup_matches_reference(headers: dict[str, list[str]], name: str) -> None:
    expected: list[Any] = [
        v for k, values in headers.items() if _fold(k) == _fold(name) for v in values
    ]
    req = VPCLatticeRequestV2(headers=headers)
    assert req.header_values(name) == expected
    assert req.header(name) == (expected[-1] if expected else None)
