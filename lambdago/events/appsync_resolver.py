"""AWS AppSync direct Lambda resolvers: the event a GraphQL API sends a function that
resolves a field without a request mapping template.

One invocation resolves one field, with :class:`AppSyncResolverEvent` as its event; the
function returns the field's value (anything JSON) or raises to report a GraphQL error.

With batching turned on for the resolver (``BatchInvoke``), AppSync sends a JSON array of
these events instead, one per field to resolve, and expects an array of the same length
back, in the same order. Annotate the handler's event ``list[AppSyncResolverEvent]``::

    def handler(events: list[AppSyncResolverEvent]) -> list[dict[str, Any] | None]:
        ids = [(event.source or {}).get("authorId") for event in events]
        authors = load_authors(ids)
        return [authors.get(i) for i in ids]

The caller's ``identity`` depends on the API's authorization mode; one class,
:class:`AppSyncResolverIdentity`, holds the keys of all of them (IAM, Cognito user
pools, OpenID Connect, Lambda authorizers) and :meth:`AppSyncResolverIdentity.auth_type`
tells which one a request used. With an API key there is no identity (``null``).
"""

from __future__ import annotations

from ._base import decode_value, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

    from .appsync import AppSyncCognitoIdentity, AppSyncIAMIdentity

__all__ = [
    "AppSyncAuthTypeAPIKey",
    "AppSyncAuthTypeCognitoUserPools",
    "AppSyncAuthTypeIAM",
    "AppSyncAuthTypeLambda",
    "AppSyncAuthTypeOIDC",
    "AppSyncResolverEvent",
    "AppSyncResolverIdentity",
    "AppSyncResolverInfo",
    "AppSyncResolverPrev",
    "AppSyncResolverRequest",
]

SAMPLES = {
    "appsync-resolver-iam": "AppSyncResolverEvent",
    "appsync-resolver-cognito": "AppSyncResolverEvent",
    "appsync-resolver-lambda-authorizer": "AppSyncResolverEvent",
}

AppSyncAuthTypeAPIKey: Final = "API_KEY"
"""An AppSync authorization mode: an API key (the request has no ``identity``)."""

AppSyncAuthTypeIAM: Final = "AWS_IAM"
"""An AppSync authorization mode: SigV4-signed requests (IAM users, roles, Cognito
identity pools)."""

AppSyncAuthTypeCognitoUserPools: Final = "AMAZON_COGNITO_USER_POOLS"
"""An AppSync authorization mode: a Cognito user pool's tokens."""

AppSyncAuthTypeOIDC: Final = "OPENID_CONNECT"
"""An AppSync authorization mode: an OpenID Connect provider's tokens."""

AppSyncAuthTypeLambda: Final = "AWS_LAMBDA"
"""An AppSync authorization mode: a Lambda authorizer."""


@event
class AppSyncResolverIdentity:
    """Who made the GraphQL request. Which keys are set depends on the authorization
    mode: ``sub``, ``issuer``, ``claims`` (and for Cognito user pools ``username``,
    ``groups``, ``defaultAuthStrategy``) for token-based modes; ``accountId``,
    ``userArn``, ``username`` and the ``cognitoIdentity*`` keys for IAM;
    ``resolverContext`` for a Lambda authorizer. :meth:`auth_type` names the mode."""

    sub: str | None = field("sub")
    issuer: str | None = field("issuer")
    username: str | None = field("username")
    claims: dict[str, Any] | None = field("claims")
    source_ip: list[str] | None = field("sourceIp")
    default_auth_strategy: str | None = field("defaultAuthStrategy")
    groups: list[str] | None = field("groups")
    account_id: str | None = field("accountId")
    cognito_identity_pool_id: str | None = field("cognitoIdentityPoolId")
    cognito_identity_id: str | None = field("cognitoIdentityId")
    cognito_identity_auth_type: str | None = field("cognitoIdentityAuthType")
    cognito_identity_auth_provider: str | None = field("cognitoIdentityAuthProvider")
    user_arn: str | None = field("userArn")
    resolver_context: dict[str, Any] | None = field("resolverContext")

    def auth_type(self) -> str:
        """The authorization mode this identity comes from, told by its keys:
        :data:`AppSyncAuthTypeLambda` (``resolverContext``), :data:`AppSyncAuthTypeIAM`
        (``userArn`` or ``accountId``), :data:`AppSyncAuthTypeCognitoUserPools` (an
        issuer at ``cognito-idp``) or :data:`AppSyncAuthTypeOIDC` (any other token)."""
        if self.resolver_context is not None:
            return AppSyncAuthTypeLambda
        if self.user_arn is not None or self.account_id is not None:
            return AppSyncAuthTypeIAM
        issuer = self.issuer or ""
        if "://cognito-idp." in issuer or self.default_auth_strategy is not None:
            return AppSyncAuthTypeCognitoUserPools
        return AppSyncAuthTypeOIDC

    def as_iam(self) -> AppSyncIAMIdentity:
        """The IAM keys of this identity, as the :class:`AppSyncIAMIdentity` of
        ``lambdago.events.appsync``."""
        from .appsync import AppSyncIAMIdentity

        return AppSyncIAMIdentity(
            account_id=self.account_id,
            cognito_identity_auth_provider=self.cognito_identity_auth_provider,
            cognito_identity_auth_type=self.cognito_identity_auth_type,
            cognito_identity_pool_id=self.cognito_identity_pool_id,
            cognito_identity_id=self.cognito_identity_id,
            source_ip=self.source_ip,
            username=self.username,
            user_arn=self.user_arn,
        )

    def as_cognito(self) -> AppSyncCognitoIdentity:
        """The token keys of this identity, as the :class:`AppSyncCognitoIdentity` of
        ``lambdago.events.appsync``."""
        from .appsync import AppSyncCognitoIdentity

        return AppSyncCognitoIdentity(
            sub=self.sub,
            issuer=self.issuer,
            username=self.username,
            claims=self.claims,
            source_ip=self.source_ip,
            default_auth_strategy=self.default_auth_strategy,
        )


@event
class AppSyncResolverRequest:
    """The HTTP request that carried the GraphQL operation: its headers and, for an API
    with a custom domain name, that domain (else ``null``)."""

    headers: dict[str, str] | None = field("headers")
    domain_name: str | None = field("domainName")

    def header(self, name: str, default: str | None = None) -> str | None:
        """The value of header ``name``, whatever its case, or ``default``."""
        headers = self.headers
        if not headers:
            return default
        value = headers.get(name)
        if value is not None:
            return value
        wanted = name.lower()
        for key, value in headers.items():
            if key.lower() == wanted:
                return value
        return default


@event
class AppSyncResolverInfo:
    """The field being resolved: its parent type and name, the fields the query selects
    below it (as a list of paths and as GraphQL text), and the operation's variables."""

    selection_set_list: list[str] | None = field("selectionSetList")
    selection_set_graphql: str | None = field("selectionSetGraphQL")
    parent_type_name: str | None = field("parentTypeName")
    field_name: str | None = field("fieldName")
    variables: dict[str, Any] | None = field("variables")


@event
class AppSyncResolverPrev:
    """In a pipeline resolver, what the previous function produced (``result``)."""

    result: Any = field("result")


@event
class AppSyncResolverEvent:
    """What an AppSync GraphQL API sends a direct Lambda resolver to resolve one field:
    the field's arguments, the caller's identity, the parent object (``source``), the
    request's headers, what a previous pipeline function returned (``prev``), the field
    and selection set (``info``), and the resolver's ``stash``. A batched resolver
    receives a JSON array of these (``list[AppSyncResolverEvent]``).

    An Amplify ``@function`` resolver gets the same event with ``typeName`` and
    ``fieldName`` at the top level (a direct resolver finds them in ``info``);
    :meth:`field_path` reads either."""

    arguments: dict[str, Any] | None = field("arguments")
    identity: AppSyncResolverIdentity | None = field("identity")
    source: dict[str, Any] | None = field("source")
    request: AppSyncResolverRequest | None = field("request")
    prev: AppSyncResolverPrev | None = field("prev")
    info: AppSyncResolverInfo | None = field("info")
    stash: dict[str, Any] | None = field("stash")
    type_name: str | None = field("typeName")
    field_name: str | None = field("fieldName")

    def decode_arguments(self, type: Any = object, **options: Any) -> Any:
        """``arguments`` decoded into ``type`` (``lambdago.decode`` options apply);
        :class:`lambdago.DecodeError` paths start at ``arguments``."""
        return decode_value(self.arguments or {}, type, "arguments", options)

    def decode_source(self, type: Any = object, **options: Any) -> Any:
        """``source`` (the parent object; ``None`` for a root field) decoded into
        ``type``; :class:`lambdago.DecodeError` paths start at ``source``."""
        return decode_value(self.source, type, "source", options)

    def auth_type(self) -> str:
        """The authorization mode of the request: :data:`AppSyncAuthTypeAPIKey` when it
        has no identity, else :meth:`AppSyncResolverIdentity.auth_type`."""
        if self.identity is None:
            return AppSyncAuthTypeAPIKey
        return self.identity.auth_type()

    def field_path(self) -> str:
        """``ParentType.fieldName`` (``Query.getPost``), naming the resolver; ``""`` when
        the event has no ``info``."""
        info = self.info
        if info is None:
            if self.type_name is None and self.field_name is None:
                return ""
            return f"{self.type_name or ''}.{self.field_name or ''}"
        return f"{info.parent_type_name or ''}.{info.field_name or ''}"
