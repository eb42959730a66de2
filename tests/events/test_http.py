"""HTTP front doors and authorizers: API Gateway (REST, HTTP, WebSocket, authorizers), ALB,
function URLs, AppSync, Client VPN, IoT Core custom authorizers and IAM policies."""

from __future__ import annotations

import base64
import dataclasses
import importlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    ALBTargetGroupRequest,
    ALBTargetGroupResponse,
    APIGatewayCustomAuthorizerPolicy,
    APIGatewayCustomAuthorizerRequestTypeRequest,
    APIGatewayCustomAuthorizerResponse,
    APIGatewayProxyRequest,
    APIGatewayProxyResponse,
    APIGatewayProxyStreamingResponse,
    APIGatewayV2CustomAuthorizerIAMPolicyResponse,
    APIGatewayV2CustomAuthorizerSimpleResponse,
    APIGatewayV2CustomAuthorizerV1Request,
    APIGatewayV2CustomAuthorizerV2Request,
    APIGatewayV2HTTPRequest,
    APIGatewayV2HTTPResponse,
    APIGatewayWebsocketProxyRequest,
    AppSyncLambdaAuthorizerRequest,
    AppSyncLambdaAuthorizerResponse,
    ClientVPNConnectionHandlerResponse,
    IAMPolicyDocument,
    IAMPolicyStatement,
    IoTCoreCustomAuthorizerRequest,
    IoTCoreHTTPContext,
    IoTCoreMQTTContext,
    IoTCoreTLSContext,
    IoTHTTPContext,
    IoTMQTTContext,
    IoTTLSContext,
    LambdaFunctionURLRequest,
    LambdaFunctionURLResponse,
    LambdaFunctionURLStreamingResponse,
)
from tests.conftest import json_diff
from tests.events._exact import typed_roundtrip

MODULES = [
    "alb",
    "apigw",
    "appsync",
    "clientvpn",
    "iam",
    "iot",
    "iot_deprecated",
    "lambda_function_urls",
]

# Every exported type of aws-lambda-go's events/{alb,apigw,appsync,clientvpn,iam,iot,
# iot_deprecated,lambda_function_urls}.go at commit 815d21f.
GO_TYPES = {
    "alb": [
        "ALBTargetGroupRequest",
        "ALBTargetGroupRequestContext",
        "ELBContext",
        "ALBTargetGroupResponse",
    ],
    "apigw": [
        "APIGatewayProxyRequest",
        "APIGatewayProxyResponse",
        "APIGatewayProxyStreamingResponse",
        "APIGatewayProxyRequestContext",
        "APIGatewayV2HTTPRequest",
        "APIGatewayV2HTTPRequestContext",
        "APIGatewayV2HTTPRequestContextAuthorizerDescription",
        "APIGatewayV2HTTPRequestContextAuthorizerJWTDescription",
        "APIGatewayV2HTTPRequestContextAuthorizerIAMDescription",
        "APIGatewayV2HTTPRequestContextAuthorizerCognitoIdentity",
        "APIGatewayV2HTTPRequestContextHTTPDescription",
        "APIGatewayV2HTTPResponse",
        "APIGatewayRequestIdentity",
        "APIGatewayWebsocketProxyRequest",
        "APIGatewayWebsocketProxyRequestContext",
        "APIGatewayCustomAuthorizerRequestTypeRequestIdentity",
        "APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCert",
        "APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCertValidity",
        "APIGatewayV2HTTPRequestContextAuthentication",
        "APIGatewayV2HTTPRequestContextAuthenticationClientCert",
        "APIGatewayV2HTTPRequestContextAuthenticationClientCertValidity",
        "APIGatewayV2CustomAuthorizerV1RequestTypeRequestContext",
        "APIGatewayV2CustomAuthorizerV1Request",
        "APIGatewayV2CustomAuthorizerV2Request",
        "APIGatewayCustomAuthorizerContext",
        "APIGatewayCustomAuthorizerRequestTypeRequestContext",
        "APIGatewayCustomAuthorizerRequest",
        "APIGatewayCustomAuthorizerRequestTypeRequest",
        "APIGatewayCustomAuthorizerResponse",
        "APIGatewayV2CustomAuthorizerSimpleResponse",
        "APIGatewayCustomAuthorizerPolicy",
        "APIGatewayV2CustomAuthorizerIAMPolicyResponse",
    ],
    "appsync": [
        "AppSyncResolverTemplate",
        "AppSyncIAMIdentity",
        "AppSyncCognitoIdentity",
        "AppSyncOperation",
        "OperationInvoke",
        "OperationBatchInvoke",
        "AppSyncLambdaAuthorizerRequest",
        "AppSyncLambdaAuthorizerRequestContext",
        "AppSyncLambdaAuthorizerResponse",
    ],
    "clientvpn": ["ClientVPNConnectionHandlerRequest", "ClientVPNConnectionHandlerResponse"],
    "iam": ["IAMPolicyDocument", "IAMPolicyStatement"],
    "iot": [
        "IoTCoreCustomAuthorizerRequest",
        "IoTCoreProtocolData",
        "IoTCoreTLSContext",
        "IoTCoreHTTPContext",
        "IoTCoreMQTTContext",
        "IoTCoreConnectionMetadata",
        "IoTCoreCustomAuthorizerResponse",
    ],
    "iot_deprecated": [
        "IoTCustomAuthorizerRequest",
        "IoTHTTPContext",
        "IoTMQTTContext",
        "IoTTLSContext",
        "IoTCustomAuthorizerResponse",
    ],
    "lambda_function_urls": [
        "LambdaFunctionURLRequest",
        "LambdaFunctionURLRequestContext",
        "LambdaFunctionURLRequestContextAuthorizerDescription",
        "LambdaFunctionURLRequestContextAuthorizerIAMDescription",
        "LambdaFunctionURLRequestContextHTTPDescription",
        "LambdaFunctionURLResponse",
        "LambdaFunctionURLStreamingResponse",
    ],
}


def _samples() -> list[tuple[str, str]]:
    out = []
    for module in MODULES:
        mod = importlib.import_module(f"lambdago.events.{module}")
        out += sorted(getattr(mod, "SAMPLES", {}).items())
    return out


def roundtrip(raw: bytes | str, cls: type) -> Any:
    value = lambdago.decode(raw, cls)
    again = json.loads(lambdago.encode(value))
    assert not json_diff(again, json.loads(raw)), json_diff(again, json.loads(raw))
    return value


def as_json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


# -- coverage and samples -----------------------------------------------------------------------


@pytest.mark.parametrize("module", MODULES)
def test_every_go_type_has_its_counterpart(module: str) -> None:
    mod = importlib.import_module(f"lambdago.events.{module}")
    assert sorted(mod.__all__) == sorted(GO_TYPES[module])
    for name in GO_TYPES[module]:
        assert getattr(lambdago.events, name) is getattr(mod, name)


def test_go_type_definitions_are_aliases() -> None:
    assert APIGatewayCustomAuthorizerPolicy is IAMPolicyDocument
    assert IoTHTTPContext is IoTCoreHTTPContext
    assert IoTMQTTContext is IoTCoreMQTTContext
    assert IoTTLSContext is IoTCoreTLSContext
    assert lambdago.events.AppSyncOperation is str
    assert lambdago.events.OperationInvoke == "Invoke"
    assert lambdago.events.OperationBatchInvoke == "BatchInvoke"


def test_every_request_and_response_has_a_sample() -> None:
    typed = {type_name for _, type_name in _samples()}
    for name in [
        "APIGatewayProxyRequest",
        "APIGatewayProxyResponse",
        "APIGatewayV2HTTPRequest",
        "APIGatewayV2HTTPResponse",
        "APIGatewayWebsocketProxyRequest",
        "APIGatewayCustomAuthorizerRequest",
        "APIGatewayCustomAuthorizerRequestTypeRequest",
        "APIGatewayCustomAuthorizerResponse",
        "APIGatewayV2CustomAuthorizerV1Request",
        "APIGatewayV2CustomAuthorizerV2Request",
        "APIGatewayV2CustomAuthorizerSimpleResponse",
        "APIGatewayV2CustomAuthorizerIAMPolicyResponse",
        "ALBTargetGroupRequest",
        "ALBTargetGroupResponse",
        "LambdaFunctionURLRequest",
        "LambdaFunctionURLResponse",
        "AppSyncLambdaAuthorizerRequest",
        "AppSyncLambdaAuthorizerResponse",
        "ClientVPNConnectionHandlerRequest",
        "ClientVPNConnectionHandlerResponse",
        "IoTCoreCustomAuthorizerRequest",
        "IoTCoreCustomAuthorizerResponse",
        "IoTCustomAuthorizerRequest",
        "IoTCustomAuthorizerResponse",
    ]:
        assert name in typed, name


@pytest.mark.parametrize(("sample", "type_name"), _samples())
def test_sample_roundtrips(sample: str, type_name: str) -> None:
    cls = getattr(lambdago.events, type_name)
    value = roundtrip(lambdago.events.sample(sample), cls)
    assert isinstance(value, cls)


def test_rest_request_sample_fields() -> None:
    req = lambdago.decode(lambdago.events.sample("apigw-rest-request"), APIGatewayProxyRequest)
    assert req.request_context is not None
    assert req.request_context.identity is not None
    assert req.request_context.identity.source_ip == "203.0.113.54"
    assert req.request_context.identity.caller is None
    assert req.request_context.authorizer is not None
    assert req.request_context.authorizer["tenant"] == "acme-gmbh"
    assert req.path_parameters == {"orderId": "ORD-20250314-0042"}
    assert req.is_base64_encoded is False


def test_rest_request_fields_aws_lambda_go_lacks() -> None:
    # An HTTP API integration with payload format 1.0 adds "version"; a private REST API
    # called by an IAM principal fills principalOrgId, vpcId and vpceId; REST APIs name the
    # stage's deployment in deploymentId. All five are declared (strict decoding accepts
    # them) and come back exactly, null included.
    raw: dict[str, Any] = {
        "version": "1.0",
        "resource": "/orders",
        "path": "/orders",
        "httpMethod": "GET",
        "requestContext": {
            "identity": {
                "sourceIp": "10.0.3.17",
                "principalOrgId": "o-a1b2c3d4e5",
                "vpcId": "vpc-0a1b2c3d",
                "vpceId": "vpce-0f9e8d7c6b5a",
                "userArn": None,
            },
            "deploymentId": "lle82z",
        },
        "body": None,
    }
    req = typed_roundtrip(raw, APIGatewayProxyRequest)
    assert req.version == "1.0"
    identity = req.request_context.identity
    assert (identity.principal_org_id, identity.vpc_id, identity.vpce_id) == (
        "o-a1b2c3d4e5",
        "vpc-0a1b2c3d",
        "vpce-0f9e8d7c6b5a",
    )
    assert req.request_context.deployment_id == "lle82z"
    raw["requestContext"]["identity"]["principalOrgId"] = None
    del raw["version"]
    req = typed_roundtrip(raw, APIGatewayProxyRequest)
    assert req.version is None
    assert req.request_context.identity.principal_org_id is None


def test_appsync_authorizer_request_headers() -> None:
    # AppSync passes the HTTP request's headers to its Lambda authorizer (requestHeaders,
    # which aws-lambda-go does not declare): a declared field, so strict decoding accepts it.
    raw = lambdago.events.sample("appsync-authorizer-request")
    req = lambdago.decode(raw, AppSyncLambdaAuthorizerRequest, strict=True)
    assert req.request_headers is not None
    assert req.request_headers["x-forwarded-for"] == "203.0.113.54"
    assert json.loads(lambdago.encode(req)) == json.loads(raw)
    without = lambdago.decode(b'{"authorizationToken": "t"}', AppSyncLambdaAuthorizerRequest)
    assert without.request_headers is None
    assert lambdago.encode(without) == b'{"authorizationToken":"t"}'


def test_v2_request_sample_fields() -> None:
    req = lambdago.decode(lambdago.events.sample("apigw-v2-http-request"), APIGatewayV2HTTPRequest)
    ctx = req.request_context
    assert ctx is not None
    assert ctx.http is not None
    assert ctx.authorizer is not None
    assert ctx.http.source_ip == "198.51.100.23"
    assert ctx.authorizer.jwt is not None
    assert ctx.authorizer.jwt.scopes == [
        "uploads/write",
        "profile",
    ]
    assert ctx.authorizer.lambda_ is None
    assert req.body_bytes().startswith(b"\x89PNG")


def test_websocket_samples() -> None:
    connect = lambdago.decode(
        lambdago.events.sample("apigw-websocket-connect"), APIGatewayWebsocketProxyRequest
    )
    message = lambdago.decode(
        lambdago.events.sample("apigw-websocket-message"), APIGatewayWebsocketProxyRequest
    )
    assert connect.request_context is not None
    assert message.request_context is not None
    assert connect.request_context.event_type == "CONNECT"
    assert connect.header("origin") == "https://chat.example.com"
    assert connect.query_param("room") == "general"
    assert message.request_context.connection_id == connect.request_context.connection_id
    assert message.header("origin") is None
    assert message.decode_body()["text"] == "Good morning, everyone!"


def test_streaming_responses_are_plain_data() -> None:
    chunks = iter([b"data: 1\n\n", b"data: 2\n\n"])
    rest = APIGatewayProxyStreamingResponse(
        status_code=200, headers={"Content-Type": "text/event-stream"}, body=chunks
    )
    assert rest.body is chunks
    assert rest.cookies is None
    assert rest.multi_value_headers is None
    assert repr(rest).startswith("APIGatewayProxyStreamingResponse(status_code=200, ")
    url = LambdaFunctionURLStreamingResponse(body=b"abc", cookies=["a=1"])
    assert url.status_code is None
    assert url.body == b"abc"
    assert "cookies=['a=1']" in repr(url)


# -- header lookups -------------------------------------------------------------------------------


def test_rest_header_lookup_ignores_case() -> None:
    req = lambdago.decode(lambdago.events.sample("apigw-rest-request"), APIGatewayProxyRequest)
    assert req.header("Content-Type") == "application/json; charset=utf-8"
    assert req.header("CONTENT-TYPE") == req.header("content-type")
    assert req.header("x-request-tag") == "retry"
    assert req.header_values("X-REQUEST-TAG") == ["first-attempt", "retry"]
    assert req.header("x-missing") is None
    assert req.header_values("x-missing") == []


def test_multi_value_header_lookup_falls_back_to_single() -> None:
    only_single = APIGatewayProxyRequest(headers={"X-Thing": "a"})
    assert only_single.header_values("x-thing") == ["a"]
    only_multi = APIGatewayProxyRequest(multi_value_headers={"X-Thing": ["a", "b"]})
    assert only_multi.header("x-thing") == "b"
    assert only_multi.header_values("X-THING") == ["a", "b"]
    nothing = APIGatewayProxyRequest()
    assert nothing.header("x") is None
    assert nothing.header_values("x") == []
    empty_list = APIGatewayProxyRequest(multi_value_headers={"X-Thing": []})
    assert empty_list.header("x-thing") is None
    assert empty_list.header_values("x-thing") == []


def test_header_lookup_folds_ascii_only() -> None:
    req = LambdaFunctionURLRequest(headers={"\u212a-id": "kelvin", "k-id": "plain"})
    assert req.header("K-ID") == "plain"
    assert req.header_values("k-id") == ["plain"]


def test_alb_single_and_multi_value_headers() -> None:
    single = lambdago.decode(lambdago.events.sample("alb-request"), ALBTargetGroupRequest)
    assert single.header("HOST") == "media.example.ca"
    assert (single.header("user-agent") or "").startswith("Mozilla/5.0")
    assert single.query_param("label") == "sea%20view"  # ALB does not decode
    assert single.body_bytes() == b""
    assert single.body_text() == ""
    multi = lambdago.decode(
        lambdago.events.sample("alb-request-multi-value"), ALBTargetGroupRequest
    )
    assert multi.headers is None
    assert multi.header("x-upload-tag") == "priority"
    assert multi.header_values("X-Upload-Tag") == ["batch-17", "priority"]
    assert multi.header_values("Cookie") == ["region=ca", "consent=yes"]
    assert multi.query_param("size") == "640"
    assert multi.query_params("size") == ["320", "640"]
    assert multi.query_params("SIZE") == []
    assert multi.body_bytes().startswith(b"\xff\xd8\xff")


def test_v2_and_function_url_headers_keep_comma_joined_values() -> None:
    req = lambdago.decode(lambdago.events.sample("apigw-v2-http-request"), APIGatewayV2HTTPRequest)
    assert req.header("X-Client-Tag") == "web,beta"
    assert req.header_values("x-client-tag") == ["web,beta"]
    assert req.query_param("format") == "webp,png"
    assert req.query_params("format") == ["webp,png"]
    assert req.query_params("nope") == []
    url = lambdago.decode(lambdago.events.sample("function-url-request"), LambdaFunctionURLRequest)
    assert url.header("X-GitHub-Event") == "push"
    assert url.query_param("verbose") == ""
    assert url.query_param("Source") is None


def test_authorizer_requests_have_header_lookup() -> None:
    rest = lambdago.decode(
        lambdago.events.sample("apigw-request-authorizer-request"),
        APIGatewayCustomAuthorizerRequestTypeRequest,
    )
    assert rest.header("X-SESSION-TOKEN") == "s-81c4e7b02d9f"
    assert rest.header_values("x-api-tenant") == ["acme-gmbh"]
    assert rest.query_params("year") == ["2025"]
    v1 = lambdago.decode(
        lambdago.events.sample("apigw-v2-authorizer-v1-request"),
        APIGatewayV2CustomAuthorizerV1Request,
    )
    assert v1.header("Authorization") == v1.authorization_token
    assert v1.query_param("aisle") == "14"
    v2 = lambdago.decode(
        lambdago.events.sample("apigw-v2-authorizer-v2-request"),
        APIGatewayV2CustomAuthorizerV2Request,
    )
    assert v2.header("X-Site") == "warehouse-7"
    assert v2.identity_source == ["Bearer 1f6c0e8b-35d2-4a9b-9e71-c4d8a2b5f703", "warehouse-7"]


# A header name: a mix of a few letters in either case, digits and dashes, so that
# distinct keys often differ only in case; sometimes a non-ASCII letter that must not fold.
_name = st.text(alphabet="aAbBcCxX-1\u212a\u00e9\u00c9", min_size=1, max_size=4)


_SWAP_ASCII = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
)


def _ref_fold(text: str) -> bytes:
    return text.encode("utf-8").lower()  # bytes.lower() folds ASCII letters only


def _ref_matches(mapping: dict[str, Any] | None, name: str) -> list[Any]:
    return [v for k, v in (mapping or {}).items() if _ref_fold(k) == _ref_fold(name)]


@given(
    headers=st.none() | st.dictionaries(_name, st.text(max_size=5), max_size=6),
    multi=st.none() | st.dictionaries(_name, st.lists(st.text(max_size=5), max_size=3), max_size=6),
    name=_name,
)
def test_multi_value_header_lookup_matches_reference(
    headers: dict[str, str] | None, multi: dict[str, list[str]] | None, name: str
) -> None:
    single_hits = _ref_matches(headers, name)
    multi_hits = [v for vs in _ref_matches(multi, name) for v in vs]
    expected_one = single_hits[0] if single_hits else (multi_hits[-1] if multi_hits else None)
    expected_all = multi_hits or single_hits
    for cls in (
        APIGatewayProxyRequest,
        APIGatewayWebsocketProxyRequest,
        ALBTargetGroupRequest,
        APIGatewayCustomAuthorizerRequestTypeRequest,
    ):
        req = cls(headers=headers, multi_value_headers=multi)
        assert req.header(name) == expected_one
        assert req.header_values(name) == expected_all
        # Any ASCII spelling of the name finds the same values.
        assert req.header_values(name.translate(_SWAP_ASCII)) == expected_all


@given(headers=st.none() | st.dictionaries(_name, st.text(max_size=5), max_size=6), name=_name)
def test_single_value_header_lookup_matches_reference(
    headers: dict[str, str] | None, name: str
) -> None:
    hits = _ref_matches(headers, name)
    for cls in (
        APIGatewayV2HTTPRequest,
        LambdaFunctionURLRequest,
        APIGatewayV2CustomAuthorizerV1Request,
        APIGatewayV2CustomAuthorizerV2Request,
    ):
        req = cls(headers=headers)
        assert req.header(name) == (hits[0] if hits else None)
        assert req.header_values(name) == hits


@given(
    params=st.none() | st.dictionaries(_name, st.text(max_size=5), max_size=6),
    multi=st.none() | st.dictionaries(_name, st.lists(st.text(max_size=5), max_size=3), max_size=6),
    name=_name,
)
def test_query_lookup_is_case_sensitive(
    params: dict[str, str] | None, multi: dict[str, list[str]] | None, name: str
) -> None:
    req = APIGatewayProxyRequest(
        query_string_parameters=params, multi_value_query_string_parameters=multi
    )
    many = (multi or {}).get(name) or []
    one = (params or {}).get(name)
    assert req.query_params(name) == (many or ([] if one is None else [one]))
    assert req.query_param(name) == (one if one is not None else (many[-1] if many else None))
    v2 = APIGatewayV2HTTPRequest(query_string_parameters=params)
    assert v2.query_param(name) == one
    assert v2.query_params(name) == ([] if one is None else [one])


# -- bodies ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class Order:
    status: str
    carrier: str


def test_decode_body_into_a_type() -> None:
    req = lambdago.decode(lambdago.events.sample("apigw-rest-request"), APIGatewayProxyRequest)
    order = req.decode_body(Order)
    assert order == Order(status="SHIPPED", carrier="DHL")
    with pytest.raises(lambdago.DecodeError, match="trackingNumber"):
        req.decode_body(Order, strict=True)
    assert req.decode_body()["trackingNumber"] == "JJD000390007231145"


def test_decode_body_undoes_base64() -> None:
    payload = b'{"status":"NEW","carrier":"UPS"}'
    for cls in (APIGatewayProxyRequest, APIGatewayV2HTTPRequest, ALBTargetGroupRequest):
        req = cls(body=base64.b64encode(payload).decode(), is_base64_encoded=True)
        assert req.decode_body(Order) == Order(status="NEW", carrier="UPS")


@pytest.mark.parametrize("body", [None, ""])
def test_decode_body_without_body_is_an_error(body: str | None) -> None:
    for req in (
        APIGatewayProxyRequest(body=body),
        LambdaFunctionURLRequest(body=body, is_base64_encoded=True),
        APIGatewayWebsocketProxyRequest(body=body),
    ):
        with pytest.raises(ValueError, match="no body"):
            req.decode_body(Order)


def test_body_flagged_base64_but_not_base64() -> None:
    req = APIGatewayV2HTTPRequest(body="not base64!", is_base64_encoded=True)
    with pytest.raises(ValueError, match="not valid base64"):
        req.body_bytes()
    with pytest.raises(ValueError, match="not valid base64"):
        req.body_text()


def test_body_text_decodes_with_the_given_encoding() -> None:
    raw = "Grüße".encode("latin-1")
    req = ALBTargetGroupRequest(body=base64.b64encode(raw).decode(), is_base64_encoded=True)
    assert req.body_text("latin-1") == "Grüße"
    with pytest.raises(UnicodeDecodeError):
        req.body_text()


def test_function_url_corpus_base64_body(conformance_dir: Any) -> None:
    raw = (
        conformance_dir
        / "lambdaurl-testdata"
        / "function-url-domain-only-request-with-base64-encoded-body.json"
    ).read_bytes()
    req = lambdago.decode(raw, LambdaFunctionURLRequest)
    assert req.body_bytes() == b"<idk/>"
    assert req.header("Content-Type") == "idk"


@given(data=st.binary(max_size=300))
def test_base64_body_roundtrips(data: bytes) -> None:
    encoded = base64.b64encode(data).decode()
    for cls in (
        APIGatewayProxyRequest,
        APIGatewayV2HTTPRequest,
        APIGatewayWebsocketProxyRequest,
        ALBTargetGroupRequest,
        LambdaFunctionURLRequest,
    ):
        req = cls(body=encoded, is_base64_encoded=True)
        assert req.body_bytes() == data
        again = lambdago.decode(lambdago.encode(req), cls)
        assert again.body_bytes() == data
    # Line breaks (MIME style) are tolerated.
    wrapped = "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
    assert APIGatewayProxyRequest(body=wrapped, is_base64_encoded=True).body_bytes() == data


@given(text=st.text(max_size=200))
def test_text_body_roundtrips(text: str) -> None:
    plain = LambdaFunctionURLRequest(body=text, is_base64_encoded=False)
    assert plain.body_text() == text
    assert plain.body_bytes() == text.encode("utf-8", "surrogatepass")
    utf8 = text.encode("utf-8", "surrogatepass")
    flagged = LambdaFunctionURLRequest(body=base64.b64encode(utf8).decode(), is_base64_encoded=True)
    assert flagged.body_bytes() == utf8
    if text.encode("utf-8", "surrogatepass") == text.encode("utf-8", "ignore"):
        assert flagged.body_text() == text


@given(data=st.binary(max_size=300))
def test_binary_responses_decode_back(data: bytes) -> None:
    for cls in (
        APIGatewayProxyResponse,
        APIGatewayV2HTTPResponse,
        ALBTargetGroupResponse,
        LambdaFunctionURLResponse,
    ):
        out = as_json(cls.binary(data))
        assert out["isBase64Encoded"] is True
        assert base64.b64decode(out["body"], validate=True) == data


# -- response constructors -----------------------------------------------------------------------

RESPONSES = [
    APIGatewayProxyResponse,
    APIGatewayV2HTTPResponse,
    ALBTargetGroupResponse,
    LambdaFunctionURLResponse,
]


@pytest.mark.parametrize("cls", RESPONSES)
def test_text_response(cls: Any) -> None:
    out = as_json(cls.text("héllo", status_code=404, headers={"X-Trace": "t1"}))
    assert out["statusCode"] == 404
    assert out["body"] == "héllo"
    assert out["isBase64Encoded"] is False
    assert out["headers"] == {"X-Trace": "t1", "Content-Type": "text/plain; charset=utf-8"}


@pytest.mark.parametrize("cls", RESPONSES)
def test_json_response(cls: Any) -> None:
    resp = cls.json({"ok": True, "items": [1, 2], "at": "<b>"}, status_code=201, escape_html=True)
    out = as_json(resp)
    assert out["statusCode"] == 201
    assert out["headers"] == {"Content-Type": "application/json"}
    assert out["isBase64Encoded"] is False
    assert "\\u003cb\\u003e" in out["body"]
    assert json.loads(out["body"]) == {"ok": True, "items": [1, 2], "at": "<b>"}


@pytest.mark.parametrize("cls", RESPONSES)
def test_json_response_encodes_event_types(cls: Any) -> None:
    policy = IAMPolicyDocument.of(IAMPolicyStatement.allow("s3:GetObject", "arn:aws:s3:::b/*"))
    out = as_json(cls.json(policy))
    assert json.loads(out["body"])["Statement"][0]["Action"] == ["s3:GetObject"]


@pytest.mark.parametrize("cls", RESPONSES)
def test_binary_response(cls: Any) -> None:
    out = as_json(cls.binary(b"\x89PNG\r\n", content_type="image/png"))
    assert out["body"] == base64.b64encode(b"\x89PNG\r\n").decode()
    assert out["isBase64Encoded"] is True
    assert out["headers"] == {"Content-Type": "image/png"}


@pytest.mark.parametrize("cls", RESPONSES)
def test_given_content_type_header_wins(cls: Any) -> None:
    out = as_json(cls.text("<p>hi</p>", headers={"content-type": "text/html"}))
    assert out["headers"] == {"content-type": "text/html"}


@pytest.mark.parametrize("cls", RESPONSES)
def test_response_constructors_roundtrip(cls: Any) -> None:
    for resp in (cls.text("a"), cls.json([1]), cls.binary(b"\x00")):
        roundtrip(lambdago.encode(resp), cls)


def test_alb_status_description() -> None:
    assert ALBTargetGroupResponse.text("x").status_description == "200 OK"
    assert ALBTargetGroupResponse.json({}, status_code=404).status_description == "404 Not Found"
    assert ALBTargetGroupResponse.binary(b"", status_code=599).status_description == "599"
    custom = ALBTargetGroupResponse.text("x", status_code=418, status_description="418 Teapot")
    assert custom.status_description == "418 Teapot"


def test_multi_value_headers_in_responses() -> None:
    cookies = {"Set-Cookie": ["a=1", "b=2"]}
    alb = as_json(ALBTargetGroupResponse.text("x", multi_value_headers=cookies))
    assert "headers" not in alb
    assert alb["multiValueHeaders"] == {
        "Set-Cookie": ["a=1", "b=2"],
        "Content-Type": ["text/plain; charset=utf-8"],
    }
    both = as_json(APIGatewayProxyResponse.json(1, headers={"X": "y"}, multi_value_headers=cookies))
    assert both["headers"] == {"X": "y", "Content-Type": "application/json"}
    assert both["multiValueHeaders"] == cookies
    typed = as_json(
        APIGatewayProxyResponse.text(
            "x", headers={"X": "y"}, multi_value_headers={"content-TYPE": ["text/csv"]}
        )
    )
    assert typed["headers"] == {"X": "y"}
    assert cookies == {"Set-Cookie": ["a=1", "b=2"]}  # inputs are copied, not changed


def test_cookies_in_v2_and_function_url_responses() -> None:
    for cls in (APIGatewayV2HTTPResponse, LambdaFunctionURLResponse):
        out = as_json(cls.text("x", cookies=["a=1; Secure"]))
        assert out["cookies"] == ["a=1; Secure"]
        assert "cookies" not in as_json(cls.text("x"))


# -- authorizers and IAM ------------------------------------------------------------------------


def test_rest_authorizer_allow_and_deny() -> None:
    arn = "arn:aws:execute-api:eu-central-1:491085427710:k3x9q2abcd/prod/*"
    allow = APIGatewayCustomAuthorizerResponse.allow(
        "user-1", arn, context={"tenant": "acme", "seats": 3}, usage_identifier_key="key-1"
    )
    assert as_json(allow) == {
        "principalId": "user-1",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": ["execute-api:Invoke"], "Effect": "Allow", "Resource": [arn]}],
        },
        "context": {"tenant": "acme", "seats": 3},
        "usageIdentifierKey": "key-1",
    }
    deny = APIGatewayCustomAuthorizerResponse.deny("user-1", [arn, arn + "/x"])
    assert as_json(deny)["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert as_json(deny)["policyDocument"]["Statement"][0]["Resource"] == [arn, arn + "/x"]
    assert "context" not in as_json(deny)


def test_http_api_authorizer_responses() -> None:
    assert as_json(APIGatewayV2CustomAuthorizerSimpleResponse(is_authorized=True)) == {
        "isAuthorized": True
    }
    assert as_json(APIGatewayV2CustomAuthorizerSimpleResponse.allow(context={"a": "b"})) == {
        "isAuthorized": True,
        "context": {"a": "b"},
    }
    assert as_json(APIGatewayV2CustomAuthorizerSimpleResponse.deny()) == {"isAuthorized": False}
    iam = as_json(APIGatewayV2CustomAuthorizerIAMPolicyResponse.allow("p", "arn:route"))
    assert iam["policyDocument"]["Statement"][0]["Resource"] == ["arn:route"]
    deny = as_json(APIGatewayV2CustomAuthorizerIAMPolicyResponse.deny("p", "arn:route", context={}))
    assert deny["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert deny["context"] == {}


def test_policy_action_and_resource_keep_their_spelling() -> None:
    raw = lambdago.events.sample("apigw-authorizer-response")
    resp = roundtrip(raw, APIGatewayCustomAuthorizerResponse)
    first, second = resp.policy_document.statement
    assert first.action == "execute-api:Invoke"
    assert isinstance(first.resource, list)
    assert second.action == ["execute-api:Invoke"]
    assert isinstance(second.resource, str)
    assert first.actions() == ["execute-api:Invoke"] == second.actions()
    assert second.resources() == [second.resource]
    assert second.condition == {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}
    assert IAMPolicyStatement().actions() == []
    assert IAMPolicyStatement().resources() == []


def test_policy_action_of_the_wrong_type_is_rejected() -> None:
    with pytest.raises(lambdago.DecodeError, match=r"Statement\[0\]\.Action"):
        lambdago.decode('{"Statement": [{"Action": 5}]}', IAMPolicyDocument)


def test_iam_statement_helpers() -> None:
    doc = IAMPolicyDocument.of(
        IAMPolicyStatement.allow(["iot:Publish", "iot:Receive"], "arn:topic/a"),
        IAMPolicyStatement.deny("iot:Connect", ["arn:client/b"]),
    )
    assert as_json(doc) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Action": ["iot:Publish", "iot:Receive"],
                "Effect": "Allow",
                "Resource": ["arn:topic/a"],
            },
            {"Action": ["iot:Connect"], "Effect": "Deny", "Resource": ["arn:client/b"]},
        ],
    }


def test_appsync_authorizer_helpers() -> None:
    allow = AppSyncLambdaAuthorizerResponse.allow(
        resolver_context={"user": "u1"}, denied_fields=["Mutation.drop"], ttl_override=60
    )
    assert as_json(allow) == {
        "isAuthorized": True,
        "resolverContext": {"user": "u1"},
        "deniedFields": ["Mutation.drop"],
        "ttlOverride": 60,
    }
    assert as_json(AppSyncLambdaAuthorizerResponse.deny()) == {"isAuthorized": False}


def test_clientvpn_helpers() -> None:
    assert as_json(ClientVPNConnectionHandlerResponse.admit()) == {
        "allow": True,
        "error-msg-on-failed-posture-compliance": "",
        "posture-compliance-statuses": [],
        "schema-version": "v1",
    }
    refused = as_json(
        ClientVPNConnectionHandlerResponse.refuse(
            "update your OS", posture_compliance_statuses=["os-old"]
        )
    )
    assert refused["allow"] is False
    assert refused["error-msg-on-failed-posture-compliance"] == "update your OS"
    assert refused["posture-compliance-statuses"] == ["os-old"]


def test_iot_mqtt_password_is_bytes() -> None:
    req = roundtrip(
        lambdago.events.sample("iot-core-authorizer-request"), IoTCoreCustomAuthorizerRequest
    )
    assert req.protocol_data.mqtt.password == b"s3cr3t-pr0visioned-k3y"
    assert req.protocol_data.http is None
    built = IoTCoreMQTTContext(client_id="c", password=b"\x00\xff")
    assert as_json(built) == {"clientId": "c", "password": "AP8="}
    with pytest.raises(lambdago.DecodeError, match="password"):
        lambdago.decode('{"password": "%%%"}', IoTCoreMQTTContext)


def test_function_url_route_key_and_stage() -> None:
    raw = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/status",
        "rawQueryString": "",
        "headers": {"host": "q3v5x7z9b1d3f5h7j9l1n3p5r7t9v1x3.lambda-url.eu-north-1.on.aws"},
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "q3v5x7z9b1d3f5h7j9l1n3p5r7t9v1x3",
            "domainName": "q3v5x7z9b1d3f5h7j9l1n3p5r7t9v1x3.lambda-url.eu-north-1.on.aws",
            "domainPrefix": "q3v5x7z9b1d3f5h7j9l1n3p5r7t9v1x3",
            "http": {
                "method": "GET",
                "path": "/status",
                "protocol": "HTTP/1.1",
                "sourceIp": "198.51.100.24",
                "userAgent": "curl/8.5.0",
            },
            "requestId": "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a",
            "routeKey": "$default",
            "stage": "$default",
            "time": "05/Dec/2024:09:12:44 +0000",
            "timeEpoch": 1733389964512,
        },
        "isBase64Encoded": False,
    }
    event = typed_roundtrip(raw, lambdago.events.LambdaFunctionURLRequest)
    assert event.route_key == "$default"
    assert (event.request_context.route_key, event.request_context.stage) == (
        "$default",
        "$default",
    )
