"""AppSync direct Lambda resolvers: samples round-trip, identities of every authorization
mode, batched invocations as list[AppSyncResolverEvent]."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    AppSyncAuthTypeAPIKey,
    AppSyncAuthTypeCognitoUserPools,
    AppSyncAuthTypeIAM,
    AppSyncAuthTypeLambda,
    AppSyncAuthTypeOIDC,
    AppSyncCognitoIdentity,
    AppSyncIAMIdentity,
    AppSyncResolverEvent,
    AppSyncResolverIdentity,
    AppSyncResolverRequest,
)
from tests.conftest import json_diff

SAMPLES = sorted(n for n in lambdago.events.sample_names() if n.startswith("appsync-resolver-"))


def _json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def _load(name: str) -> AppSyncResolverEvent:
    return lambdago.decode(lambdago.events.sample(name), AppSyncResolverEvent)


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_round_trip_and_every_key_is_modelled(name: str) -> None:
    raw = lambdago.events.sample(name)
    assert lambdago.events.sample_names()[name] == "AppSyncResolverEvent"
    assert not json_diff(_json(lambdago.decode(raw, AppSyncResolverEvent)), json.loads(raw))
    lambdago.decode(raw, AppSyncResolverEvent, strict=True)


def test_iam_identity_and_pipeline_prev() -> None:
    event = _load("appsync-resolver-iam")
    assert event.auth_type() == AppSyncAuthTypeIAM
    assert event.identity is not None
    iam = event.identity.as_iam()
    assert isinstance(iam, AppSyncIAMIdentity)
    assert iam.account_id == "210987654321"
    assert iam.cognito_identity_auth_type == "authenticated"
    assert iam.source_ip == ["198.51.100.23"]
    assert event.prev is not None
    assert event.prev.result == {"allowed": True, "quotaLeft": 41}
    assert event.source is None
    assert event.field_path() == "Mutation.createNote"
    assert event.info is not None
    assert event.info.selection_set_list == ["id", "title", "createdAt", "tags"]


def test_cognito_identity_source_and_domain() -> None:
    event = _load("appsync-resolver-cognito")
    assert event.auth_type() == AppSyncAuthTypeCognitoUserPools
    assert event.identity is not None
    assert event.identity.groups == ["editors"]
    cognito = event.identity.as_cognito()
    assert isinstance(cognito, AppSyncCognitoIdentity)
    assert cognito.username == "ana.souza"
    assert cognito.claims is not None
    assert cognito.claims["auth_time"] == 1739520311
    assert event.request is not None
    assert event.request.domain_name == "api.notes.example.com"
    assert event.field_path() == "Author.posts"
    assert event.prev is None
    # null stays null when re-encoded
    assert _json(event)["prev"] is None


def test_lambda_authorizer_identity() -> None:
    event = _load("appsync-resolver-lambda-authorizer")
    assert event.auth_type() == AppSyncAuthTypeLambda
    assert event.identity is not None
    assert event.identity.resolver_context == {"tenantId": "tenant-0042", "plan": "enterprise"}


def test_oidc_and_api_key_modes() -> None:
    oidc = AppSyncResolverIdentity(
        sub="248289761001", issuer="https://accounts.example.com", claims={"sub": "248289761001"}
    )
    assert oidc.auth_type() == AppSyncAuthTypeOIDC
    assert AppSyncResolverEvent(identity=oidc).auth_type() == AppSyncAuthTypeOIDC
    assert AppSyncResolverEvent().auth_type() == AppSyncAuthTypeAPIKey
    no_identity: AppSyncResolverEvent = lambdago.decode(b'{"identity": null}', AppSyncResolverEvent)
    assert no_identity.auth_type() == AppSyncAuthTypeAPIKey


@dataclass
class Author:
    id: str
    name: str
    handle: str


@dataclass
class PageArgs:
    first: int
    after: str | None


def test_arguments_and_source_decode_into_types() -> None:
    event = _load("appsync-resolver-cognito")
    assert event.decode_arguments(PageArgs) == PageArgs(first=10, after=None)
    assert event.decode_source(Author) == Author("auth-1183", "Ana Souza", "asouza")
    assert event.decode_arguments() == {"first": 10, "after": None}

    @dataclass
    class Wrong:
        first: str

    with pytest.raises(lambdago.DecodeError) as info:
        event.decode_arguments(Wrong)
    assert info.value.path == "arguments.first"
    with pytest.raises(lambdago.DecodeError) as info:
        _load("appsync-resolver-iam").decode_source(Author)
    assert info.value.path == "source"


def test_header_lookup_ignores_case() -> None:
    request = AppSyncResolverRequest(headers={"x-amzn-requestid": "abc", "Content-Type": "a/b"})
    assert request.header("X-Amzn-RequestId") == "abc"
    assert request.header("content-type") == "a/b"
    assert request.header("missing") is None
    assert request.header("missing", "d") == "d"
    assert AppSyncResolverRequest().header("host", "h") == "h"


def test_field_path_without_info() -> None:
    assert AppSyncResolverEvent().field_path() == ""


def _batch() -> bytes:
    events = [json.loads(lambdago.events.sample(n)) for n in SAMPLES]
    return json.dumps(events).encode()


def test_a_batch_decodes_as_a_list() -> None:
    raw = _batch()
    events: list[AppSyncResolverEvent] = lambdago.decode(raw, list[AppSyncResolverEvent])
    assert [e.field_path() for e in events] == [
        "Author.posts",
        "Mutation.createNote",
        "Query.getOrder",
    ]
    assert json.loads(lambdago.encode(events)) == json.loads(raw)


def test_a_batched_handler_receives_the_list() -> None:
    def handler(events: list[AppSyncResolverEvent]) -> list[dict[str, str]]:
        return [{"resolved": e.field_path(), "auth": e.auth_type()} for e in events]

    out = json.loads(lambdago.new_handler(handler).invoke(_batch()))
    assert out == [
        {"resolved": "Author.posts", "auth": "AMAZON_COGNITO_USER_POOLS"},
        {"resolved": "Mutation.createNote", "auth": "AWS_IAM"},
        {"resolved": "Query.getOrder", "auth": "AWS_LAMBDA"},
    ]


def test_a_single_event_is_not_a_batch() -> None:
    def handler(events: list[AppSyncResolverEvent]) -> int:
        return len(events)

    with pytest.raises(lambdago.DecodeError, match="expected list"):
        lambdago.new_handler(handler).invoke(lambdago.events.sample("appsync-resolver-iam"))
