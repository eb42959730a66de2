"""Cognito custom email and SMS sender triggers: samples round-trip, the header types are
cognito.py's, the encrypted code stays a string and decrypts through a given function."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    CognitoCustomEmailSenderForgotPassword,
    CognitoCustomEmailSenderRequestV1,
    CognitoCustomSMSSenderAuthentication,
    CognitoCustomSMSSenderRequestV1,
    CognitoEventUserPoolsCallerContext,
    CognitoEventUserPoolsCustomEmailSender,
    CognitoEventUserPoolsCustomEmailSenderRequest,
    CognitoEventUserPoolsCustomSMSSender,
    CognitoEventUserPoolsHeader,
)
from tests.conftest import json_diff

CASES = [
    ("userpools-custom-email-sender", CognitoEventUserPoolsCustomEmailSender),
    ("userpools-custom-sms-sender", CognitoEventUserPoolsCustomSMSSender),
]


def _json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


@pytest.mark.parametrize(("name", "cls"), CASES)
def test_samples_round_trip_and_every_key_is_modelled(name: str, cls: type[Any]) -> None:
    raw = lambdago.events.sample(name)
    assert lambdago.events.sample_names()[name] == cls.__name__
    assert not json_diff(_json(lambdago.decode(raw, cls)), json.loads(raw))
    lambdago.decode(raw, cls, strict=True)


def _email() -> CognitoEventUserPoolsCustomEmailSender:
    return lambdago.decode(
        lambdago.events.sample("userpools-custom-email-sender"),
        CognitoEventUserPoolsCustomEmailSender,
    )


def _sms() -> CognitoEventUserPoolsCustomSMSSender:
    return lambdago.decode(
        lambdago.events.sample("userpools-custom-sms-sender"),
        CognitoEventUserPoolsCustomSMSSender,
    )


def test_the_header_is_cognitos() -> None:
    event = _email()
    assert isinstance(event, CognitoEventUserPoolsHeader)
    assert isinstance(event.caller_context, CognitoEventUserPoolsCallerContext)
    assert event.trigger_source == CognitoCustomEmailSenderForgotPassword
    assert event.version == "1"
    assert event.user_pool_id == "ca-central-1_Wb3nQ7xLd"
    assert event.caller_context.client_id == "1q2w3e4r5t6y7u8i9o0p1a2s3d"
    sms = _sms()
    assert sms.trigger_source == CognitoCustomSMSSenderAuthentication
    assert sms.request is not None
    assert sms.request.type == CognitoCustomSMSSenderRequestV1
    assert sms.request.client_metadata is None
    assert _json(sms)["request"]["clientMetadata"] is None


def test_destination_helpers() -> None:
    assert _email().email() == "emilie.tremblay@example.ca"
    assert _sms().phone_number() == "+819012345678"
    assert CognitoEventUserPoolsCustomEmailSender().email() is None
    assert CognitoEventUserPoolsCustomSMSSender().phone_number() is None


def test_the_code_stays_encrypted_text() -> None:
    request = _email().request
    assert request is not None
    assert request.type == CognitoCustomEmailSenderRequestV1
    assert isinstance(request.code, str)
    assert request.code_ciphertext() == base64.b64decode(request.code)


def test_decrypt_code_passes_the_ciphertext() -> None:
    request = _email().request
    assert request is not None
    seen: list[bytes] = []

    def fake_decrypt(blob: bytes) -> bytes:
        seen.append(blob)
        return b"482913"

    assert request.decrypt_code(fake_decrypt) == "482913"
    assert seen == [request.code_ciphertext()]
    assert request.decrypt_code(lambda _blob: "Tmp#Pass1") == "Tmp#Pass1"


def test_code_errors() -> None:
    with pytest.raises(ValueError, match="no code"):
        CognitoEventUserPoolsCustomEmailSenderRequest().code_ciphertext()
    with pytest.raises(ValueError, match="not valid base64"):
        CognitoEventUserPoolsCustomEmailSenderRequest(code="not base64!").code_ciphertext()
    with pytest.raises(ValueError, match="no code"):
        CognitoEventUserPoolsCustomEmailSenderRequest(code=None).decrypt_code(lambda b: b)


def test_attribute_values_are_kept_as_sent() -> None:
    raw = b'{"request": {"userAttributes": {"email_verified": true, "email": "a@example.com"}}}'
    event: CognitoEventUserPoolsCustomEmailSender = lambdago.decode(
        raw, CognitoEventUserPoolsCustomEmailSender
    )
    assert event.request is not None
    assert event.request.user_attributes == {"email_verified": True, "email": "a@example.com"}
    assert event.email() == "a@example.com"
    assert json.loads(lambdago.encode(event)) == json.loads(raw)
