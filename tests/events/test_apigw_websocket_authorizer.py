"""API Gateway WebSocket ``$connect`` REQUEST authorizer requests."""

from __future__ import annotations

import json

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    APIGatewayCustomAuthorizerRequestTypeRequest,
    APIGatewayCustomAuthorizerResponse,
    APIGatewayWebsocketCustomAuthorizerRequest,
)
from lambdago.events import apigw_websocket_authorizer as mod
from tests.events._exact import as_json, exact_diff, roundtrip_sample

SAMPLE = "apigw-websocket-authorizer-request"


def test_exports() -> None:
    for name in mod.__all__:
        assert getattr(lambdago.events, name) is getattr(mod, name)
    assert mod.SAMPLES == {SAMPLE: "APIGatewayWebsocketCustomAuthorizerRequest"}


def _request() -> APIGatewayWebsocketCustomAuthorizerRequest:
    value = roundtrip_sample(SAMPLE)
    assert isinstance(value, APIGatewayWebsocketCustomAuthorizerRequest)
    return value


def test_sample_fields() -> None:
    req = _request()
    assert req.type == "REQUEST"
    assert req.method_arn == (
        "arn:aws:execute-api:ap-southeast-2:294716830524:k7x2m9q4tz/production/$connect"
    )
    ctx = req.request_context
    assert ctx is not None
    assert ctx.route_key == "$connect"
    assert ctx.event_type == "CONNECT"
    assert ctx.message_direction == "IN"
    assert ctx.connection_id == "HxK3pemISwMCJ2A="
    assert ctx.connected_at == 1741992066118
    assert ctx.request_time_epoch == 1741992066121
    assert ctx.domain_name == "k7x2m9q4tz.execute-api.ap-southeast-2.amazonaws.com"
    assert ctx.identity is not None
    assert ctx.identity.source_ip == "203.0.113.205"
    assert (ctx.identity.user_agent or "").startswith("Mozilla/5.0")
    assert req.header("sec-websocket-protocol") == "quotes.v2"
    assert req.header("CONTENT-LENGTH") == "0"
    assert req.query_param("token") == "wst_5f8a2c9e71b04d36"
    assert req.query_params("symbols") == ["ASX:CBA", "ASX:BHP"]
    assert req.stage_variables == {"tier": "prod"}


def test_rest_request_authorizer_type_also_round_trips_it() -> None:
    """The REST REQUEST authorizer type decodes the same JSON and gives it back, but the
    connection's fields are only carried along, not readable."""
    raw = lambdago.events.sample(SAMPLE)
    rest: APIGatewayCustomAuthorizerRequestTypeRequest = lambdago.decode(
        raw, APIGatewayCustomAuthorizerRequestTypeRequest
    )
    assert not exact_diff(as_json(rest), json.loads(raw))
    assert rest.request_context is not None
    assert rest.request_context.stage == "production"
    assert not hasattr(rest.request_context, "connection_id")


def test_allow_and_deny() -> None:
    req = _request()
    allowed = req.allow("trader-4471", context={"plan": "pro"})
    assert isinstance(allowed, APIGatewayCustomAuthorizerResponse)
    assert as_json(allowed) == {
        "principalId": "trader-4471",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": ["execute-api:Invoke"],
                    "Effect": "Allow",
                    "Resource": [req.method_arn],
                }
            ],
        },
        "context": {"plan": "pro"},
    }
    denied = as_json(req.deny("anonymous"))
    assert denied["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert "context" not in denied
    with pytest.raises(ValueError, match="methodArn"):
        APIGatewayWebsocketCustomAuthorizerRequest().allow("x")
