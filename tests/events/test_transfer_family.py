"""AWS Transfer Family custom identity provider: the login event and the response."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    TransferFamilyAuthorizerEvent,
    TransferFamilyAuthorizerResponse,
    TransferFamilyHomeDirectoryMapping,
    TransferFamilyHomeDirectoryTypeLogical,
    TransferFamilyProtocolFTPS,
    TransferFamilyProtocolSFTP,
    transfer_family,
)
from tests.events._exact import as_json, roundtrip_sample


@pytest.mark.parametrize("name", sorted(transfer_family.SAMPLES))
def test_samples_round_trip_exactly(name: str) -> None:
    value = roundtrip_sample(name)
    assert isinstance(value, getattr(lambdago.events, transfer_family.SAMPLES[name]))


def test_exports() -> None:
    for name in transfer_family.__all__:
        assert getattr(lambdago.events, name) is getattr(transfer_family, name)


def test_login_events() -> None:
    password = roundtrip_sample("transfer-family-authorizer-password")
    assert isinstance(password, TransferFamilyAuthorizerEvent)
    assert password.protocol == TransferFamilyProtocolFTPS
    assert password.server_id == "s-4f2a9c71e03b58d64"
    assert password.uses_password()
    key = roundtrip_sample("transfer-family-authorizer-public-key")
    assert isinstance(key, TransferFamilyAuthorizerEvent)
    assert key.protocol == TransferFamilyProtocolSFTP
    assert key.password is None
    assert not key.uses_password()
    assert not TransferFamilyAuthorizerEvent(password="").uses_password()


def test_response_samples() -> None:
    logical = roundtrip_sample("transfer-family-authorizer-response")
    assert isinstance(logical, TransferFamilyAuthorizerResponse)
    assert logical.home_directory_mappings() == [
        TransferFamilyHomeDirectoryMapping(
            entry="/", target="/partner-exchange-prod/partner-nordwind"
        ),
        TransferFamilyHomeDirectoryMapping(
            entry="/shared", target="/partner-exchange-prod/shared/price-lists"
        ),
    ]
    assert logical.public_keys is not None
    assert len(logical.public_keys) == 2
    assert json.loads(logical.policy or "")["Version"] == "2012-10-17"
    posix = roundtrip_sample("transfer-family-authorizer-response-posix")
    assert isinstance(posix, TransferFamilyAuthorizerResponse)
    assert posix.posix_profile is not None
    assert posix.posix_profile.uid == 2011
    assert posix.posix_profile.secondary_gids == [2050, 2051]
    assert posix.home_directory_mappings() == []


def test_set_home_directory_details_reproduces_the_sample() -> None:
    sample = roundtrip_sample("transfer-family-authorizer-response")
    assert isinstance(sample, TransferFamilyAuthorizerResponse)
    built = TransferFamilyAuthorizerResponse(
        role=sample.role, policy=sample.policy, public_keys=sample.public_keys
    )
    built.set_home_directory_details(
        [
            ("/", "/partner-exchange-prod/partner-nordwind"),
            {"Entry": "/shared", "Target": "/partner-exchange-prod/shared/price-lists"},
        ]
    )
    assert as_json(built) == as_json(sample)


def test_mapping_forms_and_errors() -> None:
    resp = TransferFamilyAuthorizerResponse()
    resp.set_home_directory_details(
        [
            TransferFamilyHomeDirectoryMapping(entry="/a.txt", target="/b/a.txt", type="FILE"),
            {"Entry": "/d", "Target": "/b/d", "Type": "DIRECTORY"},
        ]
    )
    assert resp.home_directory_type == TransferFamilyHomeDirectoryTypeLogical
    assert json.loads(resp.home_directory_details or "") == [
        {"Entry": "/a.txt", "Target": "/b/a.txt", "Type": "FILE"},
        {"Entry": "/d", "Target": "/b/d", "Type": "DIRECTORY"},
    ]
    for bad in (
        ("/only-entry",),
        ("/a", 1),
        {"Entry": "/a"},
        {"Entry": "/a", "Target": "/b", "Extra": "x"},
        TransferFamilyHomeDirectoryMapping(entry="/a"),
    ):
        with pytest.raises(ValueError):
            resp.set_home_directory_details([bad])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        resp.set_home_directory_details(["/a"])  # type: ignore[list-item]
    resp.home_directory_details = '{"Entry": "/"}'
    with pytest.raises(lambdago.DecodeError):
        resp.home_directory_mappings()


def test_deny_is_an_empty_response() -> None:
    assert as_json(TransferFamilyAuthorizerResponse.deny()) == {}


_path = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@given(st.lists(st.tuples(_path, _path), max_size=6))
def test_home_directory_details_round_trip(pairs: list[tuple[str, str]]) -> None:
    resp = TransferFamilyAuthorizerResponse()
    resp.set_home_directory_details(pairs)
    assert json.loads(resp.home_directory_details or "") == [
        {"Entry": e, "Target": t} for e, t in pairs
    ]
    assert [(m.entry, m.target) for m in resp.home_directory_mappings()] == pairs
