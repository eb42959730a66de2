"""Cognito User Pools triggers and Cognito Sync: samples round-trip, and each response
helper writes exactly the JSON Cognito reads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    CognitoEvent,
    CognitoEventUserPoolsCreateAuthChallenge,
    CognitoEventUserPoolsCustomMessage,
    CognitoEventUserPoolsDefineAuthChallenge,
    CognitoEventUserPoolsHeader,
    CognitoEventUserPoolsInboundFederation,
    CognitoEventUserPoolsMigrateUser,
    CognitoEventUserPoolsPostAuthentication,
    CognitoEventUserPoolsPostAuthenticationResponse,
    CognitoEventUserPoolsPreAuthentication,
    CognitoEventUserPoolsPreSignup,
    CognitoEventUserPoolsPreTokenGen,
    CognitoEventUserPoolsPreTokenGenV2,
    CognitoEventUserPoolsPreTokenGenV2_0,
    CognitoEventUserPoolsVerifyAuthChallenge,
)
from tests.conftest import json_diff
from tests.events._exact import typed_roundtrip

COGNITO_SAMPLES = sorted(
    name for name in lambdago.events.sample_names() if name.startswith("cognito-")
)


def _load(sample: str, cls: type[Any]) -> Any:
    return lambdago.decode(lambdago.events.sample(sample), cls)


def _json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def _response(value: Any) -> Any:
    return _json(value)["response"]


def test_there_is_a_sample_per_trigger() -> None:
    types = {lambdago.events.sample_names()[name] for name in COGNITO_SAMPLES}
    triggers = {
        "PreSignup",
        "PreAuthentication",
        "PostAuthentication",
        "PostConfirmation",
        "PreTokenGen",
        "PreTokenGenV2",
        "PreTokenGenV2_0",
        "MigrateUser",
        "DefineAuthChallenge",
        "CreateAuthChallenge",
        "VerifyAuthChallenge",
        "CustomMessage",
        "InboundFederation",
    }
    assert types == {f"CognitoEventUserPools{t}" for t in triggers} | {"CognitoEvent"}


@pytest.mark.parametrize("name", COGNITO_SAMPLES)
def test_samples_round_trip(name: str) -> None:
    cls = getattr(lambdago.events, lambdago.events.sample_names()[name])
    raw = lambdago.events.sample(name)
    value = lambdago.decode(raw, cls)
    assert not json_diff(_json(value), json.loads(raw))


def test_the_header_is_flattened_into_each_trigger() -> None:
    event = _load("cognito-userpools-presignup", CognitoEventUserPoolsPreSignup)
    assert isinstance(event, CognitoEventUserPoolsHeader)
    assert event.trigger_source == "PreSignUp_SignUp"
    assert event.user_pool_id == "eu-west-1_Qx7TmB3kZ"
    assert event.caller_context is not None
    assert event.caller_context.client_id == "3n4b5urk1ft4fl3mg5e62d9ado"
    assert event.request is not None
    assert event.request.user_attributes is not None
    assert event.request.user_attributes["email"] == "maria.garcia@example.com"
    encoded = _json(event)
    assert encoded["userName"] == "maria.garcia"
    assert "header" not in encoded


def test_cognito_sync_records() -> None:
    event = _load("cognito-sync", CognitoEvent)
    assert event.version == 2
    assert event.dataset_records is not None
    assert event.dataset_records["theme"].new_value == "dark"
    assert event.dataset_records["fontSize"].op == "remove"


def test_decoding_errors_name_the_path() -> None:
    with pytest.raises(lambdago.DecodeError, match=r"response\.autoConfirmUser"):
        lambdago.decode(b'{"response": {"autoConfirmUser": "yes"}}', CognitoEventUserPoolsPreSignup)


# -- pre sign-up ------------------------------------------------------------------------------


def test_pre_signup_helpers_set_the_flags_cognito_reads() -> None:
    event = _load("cognito-userpools-presignup", CognitoEventUserPoolsPreSignup)
    assert event.auto_confirm_user() is event
    assert _response(event) == {
        "autoConfirmUser": True,
        "autoVerifyEmail": False,
        "autoVerifyPhone": False,
    }
    event.auto_verify_email().auto_verify_phone()
    assert _response(event) == {
        "autoConfirmUser": True,
        "autoVerifyEmail": True,
        "autoVerifyPhone": True,
    }
    event.auto_confirm_user(False)
    assert _response(event)["autoConfirmUser"] is False


def test_pre_signup_helpers_write_only_their_key() -> None:
    event = lambdago.decode(
        b'{"triggerSource": "PreSignUp_SignUp"}', CognitoEventUserPoolsPreSignup
    )
    assert _json(event.auto_verify_email()) == {
        "triggerSource": "PreSignUp_SignUp",
        "response": {"autoVerifyEmail": True},
    }


def test_pre_signup_helpers_reject_non_booleans() -> None:
    event = CognitoEventUserPoolsPreSignup()
    with pytest.raises(TypeError, match="True or False"):
        event.auto_confirm_user("yes")  # type: ignore[arg-type]


# -- pre token generation, version 1 ----------------------------------------------------------


def test_pre_token_gen_v1_claims_and_groups() -> None:
    event = _load("cognito-userpools-pretokengen", CognitoEventUserPoolsPreTokenGen)
    returned = (
        event.add_claims({"tenant": "acme", "plan": "pro"})
        .add_claims({"plan": "enterprise"})
        .suppress_claims(["email", "email_verified"])
        .suppress_claims(["email"])
        .override_groups(["readers"], preferred_role="arn:aws:iam::123456789012:role/readers")
    )
    assert returned is event
    assert _response(event) == {
        "claimsOverrideDetails": {
            "claimsToAddOrOverride": {"tenant": "acme", "plan": "enterprise"},
            "claimsToSuppress": ["email", "email_verified"],
            "groupOverrideDetails": {
                "groupsToOverride": ["readers"],
                "preferredRole": "arn:aws:iam::123456789012:role/readers",
            },
        }
    }
    # the request is untouched
    assert (
        _json(event)["request"]
        == json.loads(lambdago.events.sample("cognito-userpools-pretokengen"))["request"]
    )


def test_pre_token_gen_v1_group_override_can_clear_roles() -> None:
    event = CognitoEventUserPoolsPreTokenGen()
    event.override_groups(iam_roles=[])
    assert _response(event) == {
        "claimsOverrideDetails": {"groupOverrideDetails": {"iamRolesToOverride": []}}
    }


def test_pre_token_gen_v1_argument_errors() -> None:
    event = CognitoEventUserPoolsPreTokenGen()
    with pytest.raises(TypeError, match="strings to strings"):
        event.add_claims({"count": 3})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="not a single string"):
        event.suppress_claims("email")
    with pytest.raises(TypeError, match="must contain strings"):
        event.suppress_claims([1])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="give groups"):
        event.override_groups()
    with pytest.raises(TypeError, match="preferred_role must be a string"):
        event.override_groups(["readers"], preferred_role=7)  # type: ignore[arg-type]
    assert _json(event) == {}, "a helper that raises leaves the event as it was"


@given(st.dictionaries(st.text(), st.text(), max_size=8), st.dictionaries(st.text(), st.text()))
def test_pre_token_gen_v1_add_claims_merges(first: dict[str, str], second: dict[str, str]) -> None:
    event = CognitoEventUserPoolsPreTokenGen()
    event.add_claims(first).add_claims(second)
    claims = _response(event)["claimsOverrideDetails"]["claimsToAddOrOverride"]
    assert claims == {**first, **second}


# -- pre token generation, version 2 ----------------------------------------------------------


def test_pre_token_gen_v2_0_claims_to_both_tokens_by_default() -> None:
    event = _load("cognito-userpools-pretokengen-v2_0", CognitoEventUserPoolsPreTokenGenV2_0)
    event.add_claims({"tenant": "acme", "roles": ["admin", "billing"], "level": 3})
    event.suppress_claims(["email"])
    assert _response(event) == {
        "claimsAndScopeOverrideDetails": {
            "idTokenGeneration": {
                "claimsToAddOrOverride": {
                    "tenant": "acme",
                    "roles": ["admin", "billing"],
                    "level": 3,
                },
                "claimsToSuppress": ["email"],
            },
            "accessTokenGeneration": {
                "claimsToAddOrOverride": {
                    "tenant": "acme",
                    "roles": ["admin", "billing"],
                    "level": 3,
                },
                "claimsToSuppress": ["email"],
            },
        }
    }


def test_pre_token_gen_v2_0_one_token_scopes_and_groups() -> None:
    event = _load("cognito-userpools-pretokengen-v2_0", CognitoEventUserPoolsPreTokenGenV2_0)
    event.add_claims({"department": "sales"}, access_token=False)
    event.add_claims({"api_tier": "gold"}, id_token=False)
    event.suppress_claims(["phone_number"], id_token=False)
    event.add_scopes(["orders/read", "orders/write"]).add_scopes(["orders/read"])
    event.suppress_scopes(["aws.cognito.signin.user.admin"])
    event.override_groups(["sales"], iam_roles=["arn:aws:iam::123456789012:role/sales"])
    assert _response(event) == {
        "claimsAndScopeOverrideDetails": {
            "idTokenGeneration": {"claimsToAddOrOverride": {"department": "sales"}},
            "accessTokenGeneration": {
                "claimsToAddOrOverride": {"api_tier": "gold"},
                "claimsToSuppress": ["phone_number"],
                "scopesToAdd": ["orders/read", "orders/write"],
                "scopesToSuppress": ["aws.cognito.signin.user.admin"],
            },
            "groupOverrideDetails": {
                "groupsToOverride": ["sales"],
                "iamRolesToOverride": ["arn:aws:iam::123456789012:role/sales"],
            },
        }
    }


def test_pre_token_gen_v2_0_argument_errors() -> None:
    event = CognitoEventUserPoolsPreTokenGenV2_0()
    with pytest.raises(ValueError, match="ID token, the access token or both"):
        event.add_claims({"a": "b"}, id_token=False, access_token=False)
    with pytest.raises(TypeError, match="string keys"):
        event.add_claims({1: "b"})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="mapping"):
        event.add_claims([("a", "b")])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not a single string"):
        event.add_scopes("openid")
    with pytest.raises(TypeError, match="not a single string"):
        event.suppress_scopes("openid")
    with pytest.raises(TypeError, match="True or False"):
        event.suppress_claims(["email"], id_token=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="iam_roles must contain strings"):
        event.override_groups(["a"], iam_roles=[None])  # type: ignore[list-item]
    assert _json(event) == {}, "a helper that raises leaves the event as it was"


def test_the_deprecated_v2_event_decodes_the_same_events() -> None:
    raw = lambdago.events.sample("cognito-userpools-pretokengen-v2")
    old = lambdago.decode(raw, CognitoEventUserPoolsPreTokenGenV2)
    new = lambdago.decode(raw, CognitoEventUserPoolsPreTokenGenV2_0)
    assert _json(old) == _json(new) == json.loads(raw)


# -- custom authentication challenges -----------------------------------------------------


def test_define_auth_challenge_issue_tokens() -> None:
    event = _load(
        "cognito-userpools-define-auth-challenge", CognitoEventUserPoolsDefineAuthChallenge
    )
    assert event.issue_tokens() is event
    assert _response(event) == {
        "challengeName": None,
        "issueTokens": True,
        "failAuthentication": False,
    }


def test_define_auth_challenge_fail() -> None:
    event = _load(
        "cognito-userpools-define-auth-challenge", CognitoEventUserPoolsDefineAuthChallenge
    )
    event.fail_authentication()
    assert _response(event) == {
        "challengeName": None,
        "issueTokens": False,
        "failAuthentication": True,
    }


def test_define_auth_challenge_present_challenge() -> None:
    event = _load(
        "cognito-userpools-define-auth-challenge", CognitoEventUserPoolsDefineAuthChallenge
    )
    event.issue_tokens().present_challenge()
    assert _response(event) == {
        "challengeName": "CUSTOM_CHALLENGE",
        "issueTokens": False,
        "failAuthentication": False,
    }
    event.present_challenge("PASSWORD_VERIFIER")
    assert _response(event)["challengeName"] == "PASSWORD_VERIFIER"
    with pytest.raises(ValueError, match="non-empty string"):
        event.present_challenge("")


def test_define_auth_challenge_session_is_typed() -> None:
    event = _load(
        "cognito-userpools-define-auth-challenge", CognitoEventUserPoolsDefineAuthChallenge
    )
    assert event.request is not None
    session = event.request.session or []
    assert [s.challenge_name for s in session] == ["SRP_A", "PASSWORD_VERIFIER"]
    assert all(s.challenge_result for s in session)


def test_create_auth_challenge_parameters() -> None:
    event = _load(
        "cognito-userpools-create-auth-challenge", CognitoEventUserPoolsCreateAuthChallenge
    )
    event.set_challenge_parameters(
        public={"question": "What is 7 x 6?"}, private={"answer": "42"}
    ).set_challenge_metadata("ARITHMETIC-1")
    assert _response(event) == {
        "publicChallengeParameters": {"question": "What is 7 x 6?"},
        "privateChallengeParameters": {"answer": "42"},
        "challengeMetadata": "ARITHMETIC-1",
    }
    event.set_challenge_parameters(private={"answer": "43"})
    assert _response(event)["publicChallengeParameters"] == {"question": "What is 7 x 6?"}
    assert _response(event)["privateChallengeParameters"] == {"answer": "43"}


def test_create_auth_challenge_argument_errors() -> None:
    event = CognitoEventUserPoolsCreateAuthChallenge()
    with pytest.raises(ValueError, match="public or private"):
        event.set_challenge_parameters()
    with pytest.raises(TypeError, match="strings to strings"):
        event.set_challenge_parameters(public={"attempts": 3})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="must be a string"):
        event.set_challenge_metadata(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="private must map"):
        event.set_challenge_parameters(public={"q": "?"}, private={"a": 42})  # type: ignore[dict-item]
    assert _json(event) == {}, "a helper that raises leaves the event as it was"


def test_verify_auth_challenge() -> None:
    event = _load(
        "cognito-userpools-verify-auth-challenge", CognitoEventUserPoolsVerifyAuthChallenge
    )
    assert event.request is not None
    assert event.request.challenge_answer == "482913"
    assert event.answer_correct(True) is event
    assert _response(event) == {"answerCorrect": True}
    assert _response(event.answer_correct(False)) == {"answerCorrect": False}
    assert _response(CognitoEventUserPoolsVerifyAuthChallenge().answer_correct()) == {
        "answerCorrect": True
    }
    with pytest.raises(TypeError, match="True or False"):
        event.answer_correct(1)  # type: ignore[arg-type]


# -- custom message, migration, federation --------------------------------------------------


def test_custom_message() -> None:
    event = _load("cognito-userpools-custommessage", CognitoEventUserPoolsCustomMessage)
    assert event.request is not None
    code = event.request.code_parameter
    event.set_sms_message(f"Your Example code is {code}").set_email_message(
        f"<p>Welcome! Your code is <b>{code}</b>.</p>", subject="Welcome to Example"
    )
    assert _response(event) == {
        "smsMessage": "Your Example code is {####}",
        "emailMessage": "<p>Welcome! Your code is <b>{####}</b>.</p>",
        "emailSubject": "Welcome to Example",
    }
    event.set_email_subject("Confirm your address")
    assert _response(event)["emailSubject"] == "Confirm your address"
    # the keys aws-lambda-go does not model are kept
    assert _json(event)["request"]["linkParameter"] == "{##Click Here##}"
    with pytest.raises(TypeError, match="must be a string"):
        event.set_sms_message(b"bytes")  # type: ignore[arg-type]
    fresh = CognitoEventUserPoolsCustomMessage()
    with pytest.raises(TypeError, match="subject must be a string"):
        fresh.set_email_message("Code: {####}", subject=3)  # type: ignore[arg-type]
    assert _json(fresh) == {}, "a helper that raises leaves the event as it was"


def test_custom_message_without_subject_keeps_the_null_subject() -> None:
    event = _load("cognito-userpools-custommessage", CognitoEventUserPoolsCustomMessage)
    event.set_email_message("Code: {####}")
    assert _response(event) == {
        "smsMessage": None,
        "emailMessage": "Code: {####}",
        "emailSubject": None,
    }


def test_migrate_user() -> None:
    event = _load("cognito-userpools-migrateuser", CognitoEventUserPoolsMigrateUser)
    returned = (
        event.set_user_attributes({"email": "olu.adeyemi@example.net", "email_verified": "true"})
        .set_final_user_status("CONFIRMED")
        .set_message_action("SUPPRESS")
        .set_desired_delivery_mediums(["EMAIL"])
        .force_alias_creation()
    )
    assert returned is event
    assert _response(event) == {
        "userAttributes": {"email": "olu.adeyemi@example.net", "email_verified": "true"},
        "finalUserStatus": "CONFIRMED",
        "messageAction": "SUPPRESS",
        "desiredDeliveryMediums": ["EMAIL"],
        "forceAliasCreation": True,
        "enableSMSMFA": None,
    }


def test_migrate_user_built_from_nothing_writes_only_what_was_set() -> None:
    event = CognitoEventUserPoolsMigrateUser()
    event.set_user_attributes({"email": "a@example.com"}).set_final_user_status("RESET_REQUIRED")
    assert _json(event) == {
        "response": {
            "userAttributes": {"email": "a@example.com"},
            "finalUserStatus": "RESET_REQUIRED",
        }
    }


def test_migrate_user_argument_errors() -> None:
    event = CognitoEventUserPoolsMigrateUser()
    with pytest.raises(ValueError, match="CONFIRMED, RESET_REQUIRED"):
        event.set_final_user_status("confirmed")
    with pytest.raises(ValueError, match="SUPPRESS, RESEND"):
        event.set_message_action("SILENT")
    with pytest.raises(ValueError, match="EMAIL, SMS"):
        event.set_desired_delivery_mediums(["EMAIL", "PIGEON"])
    with pytest.raises(TypeError, match="strings to strings"):
        event.set_user_attributes({"email_verified": True})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="True or False"):
        event.force_alias_creation("no")  # type: ignore[arg-type]
    assert _json(event) == {}, "a helper that raises leaves the event as it was"


def test_inbound_federation() -> None:
    event = _load(
        "cognito-userpools-inbound-federation-oidc", CognitoEventUserPoolsInboundFederation
    )
    assert event.request is not None
    assert event.request.provider_type == lambdago.events.CognitoFederationProviderTypeOIDC
    attributes = event.request.attributes
    assert attributes is not None
    assert attributes.user_info is not None
    event.map_user_attributes(
        {"email": attributes.user_info["email"], "given_name": attributes.user_info["given_name"]}
    )
    assert _response(event) == {
        "userAttributesToMap": {"email": "j.smith@corp.example.com", "given_name": "Jordan"}
    }


def test_inbound_federation_saml() -> None:
    event = _load(
        "cognito-userpools-inbound-federation-saml", CognitoEventUserPoolsInboundFederation
    )
    assert event.request is not None
    assert event.request.provider_type == "SAML"
    assert event.request.attributes is not None
    assert event.request.attributes.saml_response is not None
    assert event.request.attributes.id_token is None


# -- the triggers whose response is empty -----------------------------------------------------


def test_empty_responses_round_trip_what_came() -> None:
    raw = b'{"triggerSource": "PostAuthentication_Authentication", "response": {"x": [1]}}'
    event = lambdago.decode(raw, CognitoEventUserPoolsPostAuthentication)
    assert isinstance(event.response, CognitoEventUserPoolsPostAuthenticationResponse)
    assert _json(event) == json.loads(raw)
    assert _json(CognitoEventUserPoolsPostAuthenticationResponse()) == {}


def test_empty_responses_must_be_objects() -> None:
    with pytest.raises(lambdago.DecodeError, match="response: expected dict, got list"):
        lambdago.decode(b'{"response": []}', CognitoEventUserPoolsPreAuthentication)
    event = lambdago.decode(b'{"response": null}', CognitoEventUserPoolsPreAuthentication)
    assert event.response is None
    assert _json(event) == {"response": None}


def test_user_attributes_given_as_json_booleans_or_numbers_read_as_strings() -> None:
    raw = b'{"triggerSource": "PostConfirmation_ConfirmSignUp", "request": {"userAttributes":'
    raw += b' {"email": "a@example.com", "email_verified": true, "custom:n": 3}}}'
    event = lambdago.decode(raw, lambdago.events.CognitoEventUserPoolsPostConfirmation)
    assert event.request.user_attributes == {
        "email": "a@example.com",
        "email_verified": "true",
        "custom:n": "3",
    }
    with pytest.raises(lambdago.DecodeError, match=r"userAttributes\.a: expected str, got list"):
        lambdago.decode(
            b'{"request": {"userAttributes": {"a": []}}}',
            lambdago.events.CognitoEventUserPoolsPostConfirmation,
        )


# -- fields AWS sends that aws-lambda-go lacks ---------------------------------------------

_HEADER = {
    "version": "1",
    "region": "eu-west-1",
    "userPoolId": "eu-west-1_Qx7Lm2Pa9",
    "userName": "hana.sato",
    "callerContext": {"awsSdkVersion": "aws-sdk-js-3.614.0", "clientId": "6q1k3ar0o2c9e4vq7l"},
}


def test_pre_authentication_user_not_found() -> None:
    raw = {
        **_HEADER,
        "triggerSource": "PreAuthentication_Authentication",
        "request": {
            "userAttributes": {},
            "validationData": {"deviceClass": "kiosk"},
            "userNotFound": True,
        },
        "response": {},
    }
    event = typed_roundtrip(raw, lambdago.events.CognitoEventUserPoolsPreAuthentication)
    assert event.request.user_not_found is True


def test_create_and_verify_auth_challenge_user_not_found() -> None:
    create = {
        **_HEADER,
        "triggerSource": "CreateAuthChallenge_Authentication",
        "request": {
            "userAttributes": {"sub": "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"},
            "challengeName": "CUSTOM_CHALLENGE",
            "session": [],
            "userNotFound": False,
        },
        "response": {
            "publicChallengeParameters": None,
            "privateChallengeParameters": None,
            "challengeMetadata": None,
        },
    }
    event = typed_roundtrip(create, lambdago.events.CognitoEventUserPoolsCreateAuthChallenge)
    assert event.request.user_not_found is False
    verify = {
        **_HEADER,
        "triggerSource": "VerifyAuthChallengeResponse_Authentication",
        "request": {
            "userAttributes": {},
            "privateChallengeParameters": {"answer": "418203"},
            "challengeAnswer": "418203",
            "userNotFound": True,
        },
        "response": {"answerCorrect": None},
    }
    verified = typed_roundtrip(verify, lambdago.events.CognitoEventUserPoolsVerifyAuthChallenge)
    assert verified.request.user_not_found is True


def test_custom_message_link_parameter() -> None:
    raw = {
        **_HEADER,
        "triggerSource": "CustomMessage_SignUp",
        "request": {
            "userAttributes": {"email": "hana.sato@example.com", "email_verified": "false"},
            "codeParameter": "{####}",
            "linkParameter": "{##Verify Email##}",
            "usernameParameter": None,
        },
        "response": {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    }
    event = typed_roundtrip(raw, lambdago.events.CognitoEventUserPoolsCustomMessage)
    assert event.request.link_parameter == "{##Verify Email##}"


def test_migrate_user_enable_sms_mfa() -> None:
    raw = {
        **_HEADER,
        "triggerSource": "UserMigration_Authentication",
        "request": {"password": "correct-horse-battery", "validationData": None},
        "response": {
            "userAttributes": {"email": "hana.sato@example.com", "phone_number": "+819012345678"},
            "finalUserStatus": "CONFIRMED",
            "messageAction": "SUPPRESS",
            "desiredDeliveryMediums": None,
            "forceAliasCreation": None,
            "enableSMSMFA": True,
        },
    }
    event = typed_roundtrip(raw, lambdago.events.CognitoEventUserPoolsMigrateUser)
    assert event.response.enable_sms_mfa is True
