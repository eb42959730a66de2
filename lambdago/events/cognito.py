"""Amazon Cognito: the User Pools Lambda triggers, and Cognito Sync's dataset events.

Every User Pools trigger event carries the same header keys at its top level
(``version``, ``triggerSource``, ``region``, ``userPoolId``, ``callerContext``,
``userName``), then a ``request`` the function reads and a ``response`` it fills in and
returns with the rest of the event. The trigger classes inherit those header fields from
:class:`CognitoEventUserPoolsHeader`.

The trigger classes have methods that fill in the response the way Cognito reads it, so
a handler does not assemble nested dictionaries; each returns the event itself::

    def handler(event: CognitoEventUserPoolsPreSignup) -> CognitoEventUserPoolsPreSignup:
        if event.request and (event.request.user_attributes or {}).get("email", "").endswith(
            "@example.com"
        ):
            event.auto_confirm_user().auto_verify_email()
        return event

A helper writes only the response keys it is about; an event no helper touched encodes
back exactly as it came.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._base import STRING_MAP, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final, Self, TypeAlias

__all__ = [
    "AccessTokenGeneration",
    "AccessTokenGenerationV2_0",
    "ClaimsAndScopeOverrideDetails",
    "ClaimsAndScopeOverrideDetailsV2_0",
    "ClaimsOverrideDetails",
    "CognitoDatasetRecord",
    "CognitoEvent",
    "CognitoEventUserPoolsCallerContext",
    "CognitoEventUserPoolsChallengeResult",
    "CognitoEventUserPoolsCreateAuthChallenge",
    "CognitoEventUserPoolsCreateAuthChallengeRequest",
    "CognitoEventUserPoolsCreateAuthChallengeResponse",
    "CognitoEventUserPoolsCustomMessage",
    "CognitoEventUserPoolsCustomMessageRequest",
    "CognitoEventUserPoolsCustomMessageResponse",
    "CognitoEventUserPoolsDefineAuthChallenge",
    "CognitoEventUserPoolsDefineAuthChallengeRequest",
    "CognitoEventUserPoolsDefineAuthChallengeResponse",
    "CognitoEventUserPoolsHeader",
    "CognitoEventUserPoolsInboundFederation",
    "CognitoEventUserPoolsInboundFederationAttributes",
    "CognitoEventUserPoolsInboundFederationRequest",
    "CognitoEventUserPoolsInboundFederationResponse",
    "CognitoEventUserPoolsMigrateUser",
    "CognitoEventUserPoolsMigrateUserRequest",
    "CognitoEventUserPoolsMigrateUserResponse",
    "CognitoEventUserPoolsPostAuthentication",
    "CognitoEventUserPoolsPostAuthenticationRequest",
    "CognitoEventUserPoolsPostAuthenticationResponse",
    "CognitoEventUserPoolsPostConfirmation",
    "CognitoEventUserPoolsPostConfirmationRequest",
    "CognitoEventUserPoolsPostConfirmationResponse",
    "CognitoEventUserPoolsPreAuthentication",
    "CognitoEventUserPoolsPreAuthenticationRequest",
    "CognitoEventUserPoolsPreAuthenticationResponse",
    "CognitoEventUserPoolsPreSignup",
    "CognitoEventUserPoolsPreSignupRequest",
    "CognitoEventUserPoolsPreSignupResponse",
    "CognitoEventUserPoolsPreTokenGen",
    "CognitoEventUserPoolsPreTokenGenRequest",
    "CognitoEventUserPoolsPreTokenGenRequestV2_0",
    "CognitoEventUserPoolsPreTokenGenResponse",
    "CognitoEventUserPoolsPreTokenGenResponseV2_0",
    "CognitoEventUserPoolsPreTokenGenV2",
    "CognitoEventUserPoolsPreTokenGenV2Request",
    "CognitoEventUserPoolsPreTokenGenV2Response",
    "CognitoEventUserPoolsPreTokenGenV2_0",
    "CognitoEventUserPoolsVerifyAuthChallenge",
    "CognitoEventUserPoolsVerifyAuthChallengeRequest",
    "CognitoEventUserPoolsVerifyAuthChallengeResponse",
    "CognitoFederationProviderType",
    "CognitoFederationProviderTypeFacebook",
    "CognitoFederationProviderTypeGoogle",
    "CognitoFederationProviderTypeLoginWithAmazon",
    "CognitoFederationProviderTypeOIDC",
    "CognitoFederationProviderTypeSAML",
    "CognitoFederationProviderTypeSignInWithApple",
    "GroupConfiguration",
    "GroupConfigurationV2_0",
    "IDTokenGeneration",
    "IDTokenGenerationV2_0",
]

SAMPLES = {
    "cognito-sync": "CognitoEvent",
    "cognito-userpools-presignup": "CognitoEventUserPoolsPreSignup",
    "cognito-userpools-preauthentication": "CognitoEventUserPoolsPreAuthentication",
    "cognito-userpools-postauthentication": "CognitoEventUserPoolsPostAuthentication",
    "cognito-userpools-postconfirmation": "CognitoEventUserPoolsPostConfirmation",
    "cognito-userpools-pretokengen": "CognitoEventUserPoolsPreTokenGen",
    "cognito-userpools-pretokengen-v2": "CognitoEventUserPoolsPreTokenGenV2",
    "cognito-userpools-pretokengen-v2_0": "CognitoEventUserPoolsPreTokenGenV2_0",
    "cognito-userpools-migrateuser": "CognitoEventUserPoolsMigrateUser",
    "cognito-userpools-define-auth-challenge": "CognitoEventUserPoolsDefineAuthChallenge",
    "cognito-userpools-create-auth-challenge": "CognitoEventUserPoolsCreateAuthChallenge",
    "cognito-userpools-verify-auth-challenge": "CognitoEventUserPoolsVerifyAuthChallenge",
    "cognito-userpools-custommessage": "CognitoEventUserPoolsCustomMessage",
    "cognito-userpools-inbound-federation-oidc": "CognitoEventUserPoolsInboundFederation",
    "cognito-userpools-inbound-federation-saml": "CognitoEventUserPoolsInboundFederation",
}


# -- argument checks shared by the helpers ----------------------------------------------------


def _string_map(values: Mapping[str, Any], what: str) -> dict[str, str]:
    if not isinstance(values, Mapping):
        raise TypeError(
            f"{what} must be a mapping of strings to strings, got {type(values).__name__}"
        )
    out = dict(values)
    for key, value in out.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"{what} must map strings to strings, got {key!r}: {value!r}")
    return out


def _json_map(values: Mapping[str, Any], what: str) -> dict[str, Any]:
    if not isinstance(values, Mapping):
        raise TypeError(f"{what} must be a mapping with string keys, got {type(values).__name__}")
    out = dict(values)
    for key in out:
        if not isinstance(key, str):
            raise TypeError(f"{what} must have string keys, got {key!r}")
    return out


def _names(values: Iterable[str], what: str) -> list[str]:
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{what} must be a list of strings, not a single string")
    out = list(values)
    for value in out:
        if not isinstance(value, str):
            raise TypeError(f"{what} must contain strings, got {value!r}")
    return out


def _added(existing: list[str] | None, new: list[str]) -> list[str]:
    """``existing`` followed by the names of ``new`` it does not have yet."""
    out = list(existing or ())
    for name in new:
        if name not in out:
            out.append(name)
    return out


def _check_bool(value: bool, what: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be True or False, got {value!r}")
    return value


def _check_str(value: str, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, got {type(value).__name__}")
    return value


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}; got {value!r}")
    return value


# -- Cognito Sync -----------------------------------------------------------------------------


@event
class CognitoDatasetRecord:
    """A record of a synchronised dataset: the operation (``replace``, ``remove``) and the
    old and new values."""

    new_value: str | None = field("newValue")
    old_value: str | None = field("oldValue")
    op: str | None = field("op")


@event
class CognitoEvent:
    """What Amazon Cognito Sync sends a function bound to an identity pool's sync
    trigger when a dataset is synchronised; the function may change the records and
    return the event."""

    dataset_name: str | None = field("datasetName")
    dataset_records: dict[str, CognitoDatasetRecord] | None = field("datasetRecords")
    event_type: str | None = field("eventType")
    identity_id: str | None = field("identityId")
    identity_pool_id: str | None = field("identityPoolId")
    region: str | None = field("region")
    version: int | None = field("version")


# -- the header shared by every User Pools trigger --------------------------------------------


@event
class CognitoEventUserPoolsCallerContext:
    """Who called Cognito: the SDK version and the app client id."""

    aws_sdk_version: str | None = field("awsSdkVersion")
    client_id: str | None = field("clientId")


@event
class CognitoEventUserPoolsHeader:
    """The keys every User Pools trigger event starts with: its version, which trigger
    fired and why (``triggerSource``, e.g. ``PreSignUp_SignUp``), the pool, the caller and
    the user name. Each trigger class has these fields."""

    version: str | None = field("version")
    trigger_source: str | None = field("triggerSource")
    region: str | None = field("region")
    user_pool_id: str | None = field("userPoolId")
    caller_context: CognitoEventUserPoolsCallerContext | None = field("callerContext")
    user_name: str | None = field("userName")


# -- pre sign-up ------------------------------------------------------------------------------


@event
class CognitoEventUserPoolsPreSignupRequest:
    """The new user's attributes, the validation data and client metadata the app sent."""

    user_attributes: dict[str, str] | None = field("userAttributes", wire=STRING_MAP)
    validation_data: dict[str, str] | None = field("validationData")
    client_metadata: dict[str, str] | None = field("clientMetadata")


@event
class CognitoEventUserPoolsPreSignupResponse:
    """Read by Cognito: whether to confirm the user now, and to mark the email address
    or phone number verified."""

    auto_confirm_user: bool | None = field("autoConfirmUser")
    auto_verify_email: bool | None = field("autoVerifyEmail")
    auto_verify_phone: bool | None = field("autoVerifyPhone")


@event
class CognitoEventUserPoolsPreSignup(CognitoEventUserPoolsHeader):
    """Sent before Cognito registers a new user (sign-up, admin-created user, or an
    external provider's first sign-in); raising an error rejects the sign-up."""

    request: CognitoEventUserPoolsPreSignupRequest | None = field("request")
    response: CognitoEventUserPoolsPreSignupResponse | None = field("response")

    def _reply(self) -> CognitoEventUserPoolsPreSignupResponse:
        if self.response is None:
            self.response = CognitoEventUserPoolsPreSignupResponse()
        return self.response

    def auto_confirm_user(self, confirm: bool = True) -> Self:
        """Confirm the user without a confirmation code (``autoConfirmUser``)."""
        self._reply().auto_confirm_user = _check_bool(confirm, "confirm")
        return self

    def auto_verify_email(self, verify: bool = True) -> Self:
        """Mark the user's email address verified (``autoVerifyEmail``)."""
        self._reply().auto_verify_email = _check_bool(verify, "verify")
        return self

    def auto_verify_phone(self, verify: bool = True) -> Self:
        """Mark the user's phone number verified (``autoVerifyPhone``)."""
        self._reply().auto_verify_phone = _check_bool(verify, "verify")
        return self


# -- pre and post authentication, post confirmation ----------------------------------------


@event
class CognitoEventUserPoolsPreAuthenticationRequest:
    """The user's attributes and the validation data the app sent with the sign-in.

    ``userNotFound`` is set when the app client has ``PreventUserExistenceErrors``
    enabled: true when the sign-in names no existing user. aws-lambda-go lacks this
    field."""

    user_attributes: dict[str, str] | None = field("userAttributes", wire=STRING_MAP)
    validation_data: dict[str, str] | None = field("validationData")
    user_not_found: bool | None = field("userNotFound")


@event
class CognitoEventUserPoolsPreAuthenticationResponse:
    """Empty: Cognito reads nothing back (raise an error to deny the sign-in)."""


@event
class CognitoEventUserPoolsPreAuthentication(CognitoEventUserPoolsHeader):
    """Sent when a user tries to sign in, before Cognito checks the credentials; raising
    an error denies the sign-in."""

    request: CognitoEventUserPoolsPreAuthenticationRequest | None = field("request")
    response: CognitoEventUserPoolsPreAuthenticationResponse | None = field("response")


@event
class CognitoEventUserPoolsPostConfirmationRequest:
    """The confirmed user's attributes and the app's client metadata."""

    user_attributes: dict[str, str] | None = field("userAttributes", wire=STRING_MAP)
    client_metadata: dict[str, str] | None = field("clientMetadata")


@event
class CognitoEventUserPoolsPostConfirmationResponse:
    """Empty: Cognito reads nothing back."""


@event
class CognitoEventUserPoolsPostConfirmation(CognitoEventUserPoolsHeader):
    """Sent after a user confirms their sign-up or a forgotten-password reset."""

    request: CognitoEventUserPoolsPostConfirmationRequest | None = field("request")
    response: CognitoEventUserPoolsPostConfirmationResponse | None = field("response")


@event
class CognitoEventUserPoolsPostAuthenticationRequest:
    """Whether the sign-in came from a new device, the user's attributes and the app's
    client metadata."""

    new_device_used: bool | None = field("newDeviceUsed")
    user_attributes: dict[str, str] | None = field("userAttributes", wire=STRING_MAP)
    client_metadata: dict[str, str] | None = field("clientMetadata")


@event
class CognitoEventUserPoolsPostAuthenticationResponse:
    """Empty: Cognito reads nothing back."""


@event
class CognitoEventUserPoolsPostAuthentication(CognitoEventUserPoolsHeader):
    """Sent after a user has signed in successfully."""

    request: CognitoEventUserPoolsPostAuthenticationRequest | None = field("request")
    response: CognitoEventUserPoolsPostAuthenticationResponse | None = field("response")


# -- pre token generation, version 1 ----------------------------------------------------------


@event
class GroupConfiguration:
    """The user's groups, their IAM roles and the preferred role: in a request, the
    current ones; in a response, what the token should carry instead."""

    groups_to_override: list[str] | None = field("groupsToOverride")
    iam_roles_to_override: list[str] | None = field("iamRolesToOverride")
    preferred_role: str | None = field("preferredRole")


@event
class ClaimsOverrideDetails:
    """Read by Cognito (version 1 trigger): claims to add or replace and claims to
    remove in the ID token, and the groups to put in it."""

    group_override_details: GroupConfiguration | None = field("groupOverrideDetails")
    claims_to_add_or_override: dict[str, str] | None = field("claimsToAddOrOverride")
    claims_to_suppress: list[str] | None = field("claimsToSuppress")


@event
class CognitoEventUserPoolsPreTokenGenRequest:
    """The user's attributes and groups, and the app's client metadata."""

    user_attributes: dict[str, str] | None = field("userAttributes", wire=STRING_MAP)
    group_configuration: GroupConfiguration | None = field("groupConfiguration")
    client_metadata: dict[str, str] | None = field("clientMetadata")


@event
class CognitoEventUserPoolsPreTokenGenResponse:
    """Read by Cognito: the claims and group changes for the ID token."""

    claims_override_details: ClaimsOverrideDetails | None = field("claimsOverrideDetails")


class _GroupOverride:
    """Checked arguments of ``override_groups``, written once all of them are valid."""

    __slots__ = ("groups", "iam_roles", "preferred_role")

    def __init__(
        self,
        groups: Iterable[str] | None,
        iam_roles: Iterable[str] | None,
        preferred_role: str | None,
    ) -> None:
        if groups is None and iam_roles is None and preferred_role is None:
            raise ValueError("give groups, iam_roles or preferred_role")
        self.groups = None if groups is None else _names(groups, "groups")
        self.iam_roles = None if iam_roles is None else _names(iam_roles, "iam_roles")
        self.preferred_role = (
            None if preferred_role is None else _check_str(preferred_role, "preferred_role")
        )

    def write(self, config: GroupConfiguration | GroupConfigurationV2_0) -> None:
        if self.groups is not None:
            config.groups_to_override = self.groups
        if self.iam_roles is not None:
            config.iam_roles_to_override = self.iam_roles
        if self.preferred_role is not None:
            config.preferred_role = self.preferred_role


@event
class CognitoEventUserPoolsPreTokenGen(CognitoEventUserPoolsHeader):
    """Sent before Cognito issues tokens, with the version 1 trigger event: the function
    may add, replace or remove ID token claims and change the user's groups in it."""

    request: CognitoEventUserPoolsPreTokenGenRequest | None = field("request")
    response: CognitoEventUserPoolsPreTokenGenResponse | None = field("response")

    def _details(self) -> ClaimsOverrideDetails:
        if self.response is None:
            self.response = CognitoEventUserPoolsPreTokenGenResponse()
        if self.response.claims_override_details is None:
            self.response.claims_override_details = ClaimsOverrideDetails()
        return self.response.claims_override_details

    def add_claims(self, claims: Mapping[str, str]) -> Self:
        """Add these claims to the ID token, or replace their values
        (``claimsToAddOrOverride``; version 1 claims are strings)."""
        new = _string_map(claims, "claims")
        details = self._details()
        details.claims_to_add_or_override = {**(details.claims_to_add_or_override or {}), **new}
        return self

    def suppress_claims(self, claims: Iterable[str]) -> Self:
        """Remove these claims from the ID token (``claimsToSuppress``)."""
        names = _names(claims, "claims")
        details = self._details()
        details.claims_to_suppress = _added(details.claims_to_suppress, names)
        return self

    def override_groups(
        self,
        groups: Iterable[str] | None = None,
        *,
        iam_roles: Iterable[str] | None = None,
        preferred_role: str | None = None,
    ) -> Self:
        """Put these groups (``cognito:groups``), IAM roles and preferred role in the
        token instead of the user's own (``groupOverrideDetails``); only the ones given
        are written."""
        override = _GroupOverride(groups, iam_roles, preferred_role)
        details = self._details()
        if details.group_override_details is None:
            details.group_override_details = GroupConfiguration()
        override.write(details.group_override_details)
        return self


# -- pre token generation, version 2 (deprecated types) -------------------------------------


@event
class IDTokenGeneration:
    """ID token changes with string-only claim values (the deprecated version 2 types;
    :class:`IDTokenGenerationV2_0` allows any JSON value)."""

    claims_to_add_or_override: dict[str, str] | None = field("claimsToAddOrOverride")
    claims_to_suppress: list[str] | None = field("claimsToSuppress")


@event
class AccessTokenGeneration:
    """Access token changes with string-only claim values (the deprecated version 2
    types; :class:`AccessTokenGenerationV2_0` allows any JSON value)."""

    claims_to_add_or_override: dict[str, str] | None = field("claimsToAddOrOverride")
    claims_to_suppress: list[str] | None = field("claimsToSuppress")
    scopes_to_add: list[str] | None = field("scopesToAdd")
    scopes_to_suppress: list[str] | None = field("scopesToSuppress")


@event
class ClaimsAndScopeOverrideDetails:
    """Version 2 token changes with string-only claims (deprecated: use
    :class:`ClaimsAndScopeOverrideDetailsV2_0`)."""

    id_token_generation: IDTokenGeneration | None = field("idTokenGeneration")
    access_token_generation: AccessTokenGeneration | None = field("accessTokenGeneration")
    group_override_details: GroupConfiguration | None = field("groupOverrideDetails")


@event
class CognitoEventUserPoolsPreTokenGenV2Request:
    """The version 2 request (deprecated: use
    :class:`CognitoEventUserPoolsPreTokenGenRequestV2_0`)."""

    user_attributes: dict[str, str] | None = field("userAttributes", wire=STRING_MAP)
    group_configuration: GroupConfiguration | None = field("groupConfiguration")
    client_metadata: dict[str, str] | None = field("clientMetadata")
    scopes: list[str] | None = field("scopes")


@event
class CognitoEventUserPoolsPreTokenGenV2Response:
    """The version 2 response with string-only claims (deprecated: use
    :class:`CognitoEventUserPoolsPreTokenGenResponseV2_0`)."""

    claims_and_scope_override_details: ClaimsAndScopeOverrideDetails | None = field(
        "claimsAndScopeOverrideDetails"
    )


@event
class CognitoEventUserPoolsPreTokenGenV2(CognitoEventUserPoolsHeader):
    """The version 2 pre token generation event with string-only claim values, kept
    because aws-lambda-go has it (deprecated there): decode the same events as
    :class:`CognitoEventUserPoolsPreTokenGenV2_0`, which has the response helpers."""

    request: CognitoEventUserPoolsPreTokenGenV2Request | None = field("request")
    response: CognitoEventUserPoolsPreTokenGenV2Response | None = field("response")


# -- pre token generation, version 2 and later ------------------------------------------------


def _check_tokens(id_token: bool, access_token: bool) -> None:
    _check_bool(id_token, "id_token")
    _check_bool(access_token, "access_token")
    if not (id_token or access_token):
        raise ValueError("choose the ID token, the access token or both")


@event
class GroupConfigurationV2_0:
    """The user's groups, IAM roles and preferred role (version 2 events): current in a
    request, replacements in a response."""

    groups_to_override: list[str] | None = field("groupsToOverride")
    iam_roles_to_override: list[str] | None = field("iamRolesToOverride")
    preferred_role: str | None = field("preferredRole")


@event
class IDTokenGenerationV2_0:
    """Read by Cognito: claims to add or replace in the ID token (any JSON value) and
    claims to remove from it."""

    claims_to_add_or_override: dict[str, Any] | None = field("claimsToAddOrOverride")
    claims_to_suppress: list[str] | None = field("claimsToSuppress")


@event
class AccessTokenGenerationV2_0:
    """Read by Cognito: claims to add, replace or remove in the access token, and OAuth
    scopes to add to or remove from it."""

    claims_to_add_or_override: dict[str, Any] | None = field("claimsToAddOrOverride")
    claims_to_suppress: list[str] | None = field("claimsToSuppress")
    scopes_to_add: list[str] | None = field("scopesToAdd")
    scopes_to_suppress: list[str] | None = field("scopesToSuppress")


@event
class ClaimsAndScopeOverrideDetailsV2_0:
    """Read by Cognito: the changes to the ID token, the access token and the groups."""

    id_token_generation: IDTokenGenerationV2_0 | None = field("idTokenGeneration")
    access_token_generation: AccessTokenGenerationV2_0 | None = field("accessTokenGeneration")
    group_override_details: GroupConfigurationV2_0 | None = field("groupOverrideDetails")


@event
class CognitoEventUserPoolsPreTokenGenRequestV2_0:
    """The user's attributes and groups, the OAuth scopes requested, and the app's client
    metadata."""

    user_attributes: dict[str, str] | None = field("userAttributes", wire=STRING_MAP)
    group_configuration: GroupConfigurationV2_0 | None = field("groupConfiguration")
    client_metadata: dict[str, str] | None = field("clientMetadata")
    scopes: list[str] | None = field("scopes")


@event
class CognitoEventUserPoolsPreTokenGenResponseV2_0:
    """Read by Cognito: the claim, scope and group changes for the tokens."""

    claims_and_scope_override_details: ClaimsAndScopeOverrideDetailsV2_0 | None = field(
        "claimsAndScopeOverrideDetails"
    )


@event
class CognitoEventUserPoolsPreTokenGenV2_0(CognitoEventUserPoolsHeader):
    """Sent before Cognito issues tokens, with a version 2 (or later) trigger event: the
    function may change claims in the ID and access tokens, the access token's scopes,
    and the user's groups."""

    request: CognitoEventUserPoolsPreTokenGenRequestV2_0 | None = field("request")
    response: CognitoEventUserPoolsPreTokenGenResponseV2_0 | None = field("response")

    def _details(self) -> ClaimsAndScopeOverrideDetailsV2_0:
        if self.response is None:
            self.response = CognitoEventUserPoolsPreTokenGenResponseV2_0()
        if self.response.claims_and_scope_override_details is None:
            self.response.claims_and_scope_override_details = ClaimsAndScopeOverrideDetailsV2_0()
        return self.response.claims_and_scope_override_details

    def _id_token(self) -> IDTokenGenerationV2_0:
        details = self._details()
        if details.id_token_generation is None:
            details.id_token_generation = IDTokenGenerationV2_0()
        return details.id_token_generation

    def _access_token(self) -> AccessTokenGenerationV2_0:
        details = self._details()
        if details.access_token_generation is None:
            details.access_token_generation = AccessTokenGenerationV2_0()
        return details.access_token_generation

    def _tokens(
        self, id_token: bool, access_token: bool
    ) -> list[IDTokenGenerationV2_0 | AccessTokenGenerationV2_0]:
        out: list[IDTokenGenerationV2_0 | AccessTokenGenerationV2_0] = []
        if id_token:
            out.append(self._id_token())
        if access_token:
            out.append(self._access_token())
        return out

    def add_claims(
        self, claims: Mapping[str, Any], *, id_token: bool = True, access_token: bool = True
    ) -> Self:
        """Add these claims, or replace their values, in the ID token and/or the access
        token (``claimsToAddOrOverride``); values may be any JSON value."""
        new = _json_map(claims, "claims")
        _check_tokens(id_token, access_token)
        for token in self._tokens(id_token, access_token):
            token.claims_to_add_or_override = {**(token.claims_to_add_or_override or {}), **new}
        return self

    def suppress_claims(
        self, claims: Iterable[str], *, id_token: bool = True, access_token: bool = True
    ) -> Self:
        """Remove these claims from the ID token and/or the access token
        (``claimsToSuppress``)."""
        names = _names(claims, "claims")
        _check_tokens(id_token, access_token)
        for token in self._tokens(id_token, access_token):
            token.claims_to_suppress = _added(token.claims_to_suppress, names)
        return self

    def add_scopes(self, scopes: Iterable[str]) -> Self:
        """Add these OAuth scopes to the access token (``scopesToAdd``)."""
        names = _names(scopes, "scopes")
        token = self._access_token()
        token.scopes_to_add = _added(token.scopes_to_add, names)
        return self

    def suppress_scopes(self, scopes: Iterable[str]) -> Self:
        """Remove these OAuth scopes from the access token (``scopesToSuppress``)."""
        names = _names(scopes, "scopes")
        token = self._access_token()
        token.scopes_to_suppress = _added(token.scopes_to_suppress, names)
        return self

    def override_groups(
        self,
        groups: Iterable[str] | None = None,
        *,
        iam_roles: Iterable[str] | None = None,
        preferred_role: str | None = None,
    ) -> Self:
        """Put these groups, IAM roles and preferred role in the tokens instead of the
        user's own (``groupOverrideDetails``); only the ones given are written."""
        override = _GroupOverride(groups, iam_roles, preferred_role)
        details = self._details()
        if details.group_override_details is None:
            details.group_override_details = GroupConfigurationV2_0()
        override.write(details.group_override_details)
        return self


# -- user migration ---------------------------------------------------------------------------

_FINAL_USER_STATUSES = ("CONFIRMED", "RESET_REQUIRED")
_MESSAGE_ACTIONS = ("SUPPRESS", "RESEND")
_DELIVERY_MEDIUMS = ("EMAIL", "SMS")


@event
class CognitoEventUserPoolsMigrateUserRequest:
    """The password the user signed in with (absent in the forgot-password flow), and the
    validation data and client metadata the app sent."""

    password: str | None = field("password")
    validation_data: dict[str, str] | None = field("validationData")
    client_metadata: dict[str, str] | None = field("clientMetadata")


@event
class CognitoEventUserPoolsMigrateUserResponse:
    """Read by Cognito: the migrated user's attributes, its status once created, whether
    to send or suppress the welcome message and by which medium, and whether an alias
    may move from another user.

    ``enableSMSMFA`` asks Cognito to turn on SMS multi-factor authentication for the
    migrated user; aws-lambda-go lacks this field."""

    user_attributes: dict[str, str] | None = field("userAttributes", wire=STRING_MAP)
    final_user_status: str | None = field("finalUserStatus")
    message_action: str | None = field("messageAction")
    desired_delivery_mediums: list[str] | None = field("desiredDeliveryMediums")
    force_alias_creation: bool | None = field("forceAliasCreation")
    enable_sms_mfa: bool | None = field("enableSMSMFA")


@event
class CognitoEventUserPoolsMigrateUser(CognitoEventUserPoolsHeader):
    """Sent when a user who is not in the pool signs in with a password or starts the
    forgot-password flow: the function looks the user up in the old directory and
    returns its attributes to create it, or raises an error."""

    request: CognitoEventUserPoolsMigrateUserRequest | None = field("request")
    response: CognitoEventUserPoolsMigrateUserResponse | None = field("response")

    def _reply(self) -> CognitoEventUserPoolsMigrateUserResponse:
        if self.response is None:
            self.response = CognitoEventUserPoolsMigrateUserResponse()
        return self.response

    def set_user_attributes(self, attributes: Mapping[str, str]) -> Self:
        """The attributes to create the user with (``userAttributes``), replacing any set
        before."""
        self._reply().user_attributes = _string_map(attributes, "attributes")
        return self

    def set_final_user_status(self, status: str) -> Self:
        """``CONFIRMED`` (the user can sign in) or ``RESET_REQUIRED`` (the user must
        reset the password) (``finalUserStatus``)."""
        self._reply().final_user_status = _one_of(status, _FINAL_USER_STATUSES, "status")
        return self

    def set_message_action(self, action: str) -> Self:
        """``SUPPRESS`` (send no welcome message) or ``RESEND`` (``messageAction``)."""
        self._reply().message_action = _one_of(action, _MESSAGE_ACTIONS, "action")
        return self

    def set_desired_delivery_mediums(self, mediums: Iterable[str]) -> Self:
        """How to send the welcome message: ``EMAIL``, ``SMS`` or both
        (``desiredDeliveryMediums``)."""
        names = _names(mediums, "mediums")
        for name in names:
            _one_of(name, _DELIVERY_MEDIUMS, "each medium")
        self._reply().desired_delivery_mediums = names
        return self

    def force_alias_creation(self, force: bool = True) -> Self:
        """Let the migrated user's email or phone alias move from another user who has
        it (``forceAliasCreation``)."""
        self._reply().force_alias_creation = _check_bool(force, "force")
        return self


# -- custom authentication challenges -----------------------------------------------------


@event
class CognitoEventUserPoolsChallengeResult:
    """A challenge already presented in this sign-in, and whether it was answered."""

    challenge_name: str | None = field("challengeName")
    challenge_result: bool | None = field("challengeResult")
    challenge_metadata: str | None = field("challengeMetadata")


@event
class CognitoEventUserPoolsDefineAuthChallengeRequest:
    """The user's attributes, the challenges so far (``session``), the app's client
    metadata, and whether the user does not exist."""

    user_attributes: dict[str, str] | None = field("userAttributes", wire=STRING_MAP)
    session: list[CognitoEventUserPoolsChallengeResult] | None = field("session")
    client_metadata: dict[str, str] | None = field("clientMetadata")
    user_not_found: bool | None = field("userNotFound")


@event
class CognitoEventUserPoolsDefineAuthChallengeResponse:
    """Read by Cognito: the next challenge to present, or whether to issue tokens or to
    fail the sign-in."""

    challenge_name: str | None = field("challengeName")
    issue_tokens: bool | None = field("issueTokens")
    fail_authentication: bool | None = field("failAuthentication")


@event
class CognitoEventUserPoolsDefineAuthChallenge(CognitoEventUserPoolsHeader):
    """Sent at each step of a custom authentication flow: the function decides what
    happens next from the challenges answered so far."""

    request: CognitoEventUserPoolsDefineAuthChallengeRequest | None = field("request")
    response: CognitoEventUserPoolsDefineAuthChallengeResponse | None = field("response")

    def _reply(self) -> CognitoEventUserPoolsDefineAuthChallengeResponse:
        if self.response is None:
            self.response = CognitoEventUserPoolsDefineAuthChallengeResponse()
        return self.response

    def issue_tokens(self) -> Self:
        """End the flow successfully: Cognito issues tokens (``issueTokens`` true,
        ``failAuthentication`` false)."""
        reply = self._reply()
        reply.issue_tokens = True
        reply.fail_authentication = False
        return self

    def fail_authentication(self) -> Self:
        """End the flow with a failed sign-in (``failAuthentication`` true,
        ``issueTokens`` false)."""
        reply = self._reply()
        reply.issue_tokens = False
        reply.fail_authentication = True
        return self

    def present_challenge(self, name: str = "CUSTOM_CHALLENGE") -> Self:
        """Present another challenge (``challengeName``: ``CUSTOM_CHALLENGE``,
        ``PASSWORD_VERIFIER``, ``SRP_A`` …), neither issuing tokens nor failing."""
        if not isinstance(name, str) or not name:
            raise ValueError(f"the challenge name must be a non-empty string, got {name!r}")
        reply = self._reply()
        reply.challenge_name = name
        reply.issue_tokens = False
        reply.fail_authentication = False
        return self


@event
class CognitoEventUserPoolsCreateAuthChallengeRequest:
    """The user's attributes, the challenge to create (the name Define Auth Challenge
    chose), the challenges so far, and the app's client metadata.

    ``userNotFound`` (with ``PreventUserExistenceErrors`` enabled on the app client) is
    true when the sign-in names no existing user; aws-lambda-go lacks this field."""

    user_attributes: dict[str, str] | None = field("userAttributes", wire=STRING_MAP)
    challenge_name: str | None = field("challengeName")
    session: list[CognitoEventUserPoolsChallengeResult] | None = field("session")
    client_metadata: dict[str, str] | None = field("clientMetadata")
    user_not_found: bool | None = field("userNotFound")


@event
class CognitoEventUserPoolsCreateAuthChallengeResponse:
    """Read by Cognito: the parameters the app sees (public), those only Verify Auth
    Challenge sees (private, such as the expected answer), and metadata naming the
    challenge in later ``session`` entries."""

    public_challenge_parameters: dict[str, str] | None = field("publicChallengeParameters")
    private_challenge_parameters: dict[str, str] | None = field("privateChallengeParameters")
    challenge_metadata: str | None = field("challengeMetadata")


@event
class CognitoEventUserPoolsCreateAuthChallenge(CognitoEventUserPoolsHeader):
    """Sent when Define Auth Challenge asked for a custom challenge: the function
    creates it."""

    request: CognitoEventUserPoolsCreateAuthChallengeRequest | None = field("request")
    response: CognitoEventUserPoolsCreateAuthChallengeResponse | None = field("response")

    def _reply(self) -> CognitoEventUserPoolsCreateAuthChallengeResponse:
        if self.response is None:
            self.response = CognitoEventUserPoolsCreateAuthChallengeResponse()
        return self.response

    def set_challenge_parameters(
        self,
        public: Mapping[str, str] | None = None,
        private: Mapping[str, str] | None = None,
    ) -> Self:
        """Set the public parameters (sent to the app, e.g. the question) and/or the
        private ones (kept for Verify Auth Challenge, e.g. the answer); each replaces any
        set before."""
        if public is None and private is None:
            raise ValueError("give public or private parameters")
        public_map = None if public is None else _string_map(public, "public")
        private_map = None if private is None else _string_map(private, "private")
        reply = self._reply()
        if public_map is not None:
            reply.public_challenge_parameters = public_map
        if private_map is not None:
            reply.private_challenge_parameters = private_map
        return self

    def set_challenge_metadata(self, metadata: str) -> Self:
        """Name this challenge for later steps (``challengeMetadata``, shown in the
        ``session`` of the next events)."""
        self._reply().challenge_metadata = _check_str(metadata, "metadata")
        return self


@event
class CognitoEventUserPoolsVerifyAuthChallengeRequest:
    """The user's attributes, the private parameters Create Auth Challenge set, the
    user's answer, and the app's client metadata.

    ``userNotFound`` (with ``PreventUserExistenceErrors`` enabled on the app client) is
    true when the sign-in names no existing user; aws-lambda-go lacks this field."""

    user_attributes: dict[str, str] | None = field("userAttributes", wire=STRING_MAP)
    private_challenge_parameters: dict[str, str] | None = field("privateChallengeParameters")
    challenge_answer: Any = field("challengeAnswer")
    client_metadata: dict[str, str] | None = field("clientMetadata")
    user_not_found: bool | None = field("userNotFound")


@event
class CognitoEventUserPoolsVerifyAuthChallengeResponse:
    """Read by Cognito: whether the answer is correct."""

    answer_correct: bool | None = field("answerCorrect")


@event
class CognitoEventUserPoolsVerifyAuthChallenge(CognitoEventUserPoolsHeader):
    """Sent with the user's answer to a custom challenge: the function checks it."""

    request: CognitoEventUserPoolsVerifyAuthChallengeRequest | None = field("request")
    response: CognitoEventUserPoolsVerifyAuthChallengeResponse | None = field("response")

    def answer_correct(self, correct: bool = True) -> Self:
        """Tell Cognito whether the answer is correct (``answerCorrect``)."""
        _check_bool(correct, "correct")
        if self.response is None:
            self.response = CognitoEventUserPoolsVerifyAuthChallengeResponse()
        self.response.answer_correct = correct
        return self


# -- custom message ---------------------------------------------------------------------------


@event
class CognitoEventUserPoolsCustomMessageRequest:
    """The user's attributes, the placeholders to put in the message for the code and
    the user name, and the app's client metadata.

    ``linkParameter`` is the placeholder for a verification link, for pools that verify
    by link rather than by code (often ``null``); aws-lambda-go lacks this field."""

    user_attributes: dict[str, Any] | None = field("userAttributes")
    code_parameter: str | None = field("codeParameter")
    link_parameter: str | None = field("linkParameter")
    username_parameter: str | None = field("usernameParameter")
    client_metadata: dict[str, str] | None = field("clientMetadata")


@event
class CognitoEventUserPoolsCustomMessageResponse:
    """Read by Cognito: the SMS text, the email body and the email subject to send
    instead of the defaults."""

    sms_message: str | None = field("smsMessage")
    email_message: str | None = field("emailMessage")
    email_subject: str | None = field("emailSubject")


@event
class CognitoEventUserPoolsCustomMessage(CognitoEventUserPoolsHeader):
    """Sent before Cognito sends a verification code, temporary password or MFA code by
    email or SMS: the function may write the message. A message that carries a code must
    include the request's ``codeParameter`` placeholder, which Cognito replaces."""

    request: CognitoEventUserPoolsCustomMessageRequest | None = field("request")
    response: CognitoEventUserPoolsCustomMessageResponse | None = field("response")

    def _reply(self) -> CognitoEventUserPoolsCustomMessageResponse:
        if self.response is None:
            self.response = CognitoEventUserPoolsCustomMessageResponse()
        return self.response

    def set_sms_message(self, message: str) -> Self:
        """The SMS text to send (``smsMessage``)."""
        self._reply().sms_message = _check_str(message, "message")
        return self

    def set_email_message(self, message: str, *, subject: str | None = None) -> Self:
        """The email body to send (``emailMessage``), and its subject (``emailSubject``)
        when given."""
        _check_str(message, "message")
        if subject is not None:
            _check_str(subject, "subject")
        reply = self._reply()
        reply.email_message = message
        if subject is not None:
            reply.email_subject = subject
        return self

    def set_email_subject(self, subject: str) -> Self:
        """The email subject (``emailSubject``)."""
        self._reply().email_subject = _check_str(subject, "subject")
        return self


# -- inbound federation -----------------------------------------------------------------------

CognitoFederationProviderType: TypeAlias = str
"""The kind of external identity provider a user signed in with: a plain string."""

CognitoFederationProviderTypeOIDC: Final = "OIDC"
CognitoFederationProviderTypeSAML: Final = "SAML"
CognitoFederationProviderTypeFacebook: Final = "Facebook"
CognitoFederationProviderTypeGoogle: Final = "Google"
CognitoFederationProviderTypeSignInWithApple: Final = "SignInWithApple"
CognitoFederationProviderTypeLoginWithAmazon: Final = "LoginWithAmazon"


@event
class CognitoEventUserPoolsInboundFederationAttributes:
    """What the external provider returned: for OIDC and social providers the token
    response, ID token claims and user info; for SAML the assertion's attributes."""

    token_response: dict[str, str] | None = field("tokenResponse")
    id_token: dict[str, str] | None = field("idToken")
    user_info: dict[str, str] | None = field("userInfo")
    saml_response: dict[str, str] | None = field("samlResponse")


@event
class CognitoEventUserPoolsInboundFederationRequest:
    """The provider's name and type, and the attributes it returned."""

    provider_name: str | None = field("providerName")
    provider_type: CognitoFederationProviderType | None = field("providerType")
    attributes: CognitoEventUserPoolsInboundFederationAttributes | None = field("attributes")


@event
class CognitoEventUserPoolsInboundFederationResponse:
    """Read by Cognito: the user pool attributes to set from the provider's."""

    user_attributes_to_map: dict[str, str] | None = field("userAttributesToMap")


@event
class CognitoEventUserPoolsInboundFederation(CognitoEventUserPoolsHeader):
    """Sent when a user signs in through an external identity provider, before Cognito
    maps the provider's attributes: the function may choose the user pool attributes."""

    request: CognitoEventUserPoolsInboundFederationRequest | None = field("request")
    response: CognitoEventUserPoolsInboundFederationResponse | None = field("response")

    def map_user_attributes(self, attributes: Mapping[str, str]) -> Self:
        """The user pool attributes to set (``userAttributesToMap``), replacing any set
        before."""
        mapped = _string_map(attributes, "attributes")
        if self.response is None:
            self.response = CognitoEventUserPoolsInboundFederationResponse()
        self.response.user_attributes_to_map = mapped
        return self
