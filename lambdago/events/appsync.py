"""AWS AppSync: the request a Lambda authorizer of a GraphQL API receives and its answer,
the caller identities AppSync passes to resolvers, and an old resolver payload shape."""

from __future__ import annotations

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "AppSyncCognitoIdentity",
    "AppSyncIAMIdentity",
    "AppSyncLambdaAuthorizerRequest",
    "AppSyncLambdaAuthorizerRequestContext",
    "AppSyncLambdaAuthorizerResponse",
    "AppSyncOperation",
    "AppSyncResolverTemplate",
    "OperationBatchInvoke",
    "OperationInvoke",
]

SAMPLES = {
    "appsync-authorizer-request": "AppSyncLambdaAuthorizerRequest",
    "appsync-authorizer-response": "AppSyncLambdaAuthorizerResponse",
    "appsync-identity-iam": "AppSyncIAMIdentity",
    "appsync-identity-cognito": "AppSyncCognitoIdentity",
}


@event
class AppSyncResolverTemplate:
    """A ``version``/``operation``/``payload`` envelope from early AppSync request mapping
    templates. AppSync sends whatever a resolver's mapping template (or a direct Lambda
    resolver's fixed layout) produces, not this; kept for code written against it. Prefer
    a type of your own for the payload."""

    version: str | None = field("version")
    operation: str | None = field("operation")
    payload: Any = field("payload")


@event
class AppSyncIAMIdentity:
    """The caller of a GraphQL request signed with IAM (``AWS_IAM`` authorization), as a
    resolver sees it in ``identity``."""

    account_id: str | None = field("accountId")
    cognito_identity_auth_provider: str | None = field("cognitoIdentityAuthProvider")
    cognito_identity_auth_type: str | None = field("cognitoIdentityAuthType")
    cognito_identity_pool_id: str | None = field("cognitoIdentityPoolId")
    cognito_identity_id: str | None = field("cognitoIdentityId")
    source_ip: list[str] | None = field("sourceIp")
    username: str | None = field("username")
    user_arn: str | None = field("userArn")


@event
class AppSyncCognitoIdentity:
    """The caller of a GraphQL request authorized by a Cognito user pool (or OIDC), as a
    resolver sees it in ``identity``: subject, issuer, user name and token claims.
    ``groups`` (the user's Cognito groups) is declared here; aws-lambda-go lacks it."""

    sub: str | None = field("sub")
    issuer: str | None = field("issuer")
    username: str | None = field("username")
    claims: dict[str, Any] | None = field("claims")
    source_ip: list[str] | None = field("sourceIp")
    default_auth_strategy: str | None = field("defaultAuthStrategy")
    groups: list[str] | None = field("groups")


AppSyncOperation = str
"""The ``operation`` of an :class:`AppSyncResolverTemplate` (a string; see the constants)."""

OperationInvoke: Final = "Invoke"
"""``AppSyncResolverTemplate.operation`` for a single invocation."""

OperationBatchInvoke: Final = "BatchInvoke"
"""``AppSyncResolverTemplate.operation`` for a batched invocation."""


@event
class AppSyncLambdaAuthorizerRequest:
    """The request an AppSync API's Lambda authorizer receives: the ``Authorization``
    header's value, the GraphQL operation being attempted and the HTTP request's headers
    (``requestHeaders``, which AppSync added in 2023 and aws-lambda-go does not declare)."""

    authorization_token: str | None = field("authorizationToken")
    request_context: AppSyncLambdaAuthorizerRequestContext | None = field("requestContext")
    request_headers: dict[str, str] | None = field("requestHeaders")


@event
class AppSyncLambdaAuthorizerRequestContext:
    """The GraphQL request being authorized: API, account, request id, query text,
    operation name and variables."""

    api_id: str | None = field("apiId")
    account_id: str | None = field("accountId")
    request_id: str | None = field("requestId")
    query_string: str | None = field("queryString")
    operation_name: str | None = field("operationName")
    variables: dict[str, Any] | None = field("variables")


@event
class AppSyncLambdaAuthorizerResponse:
    """What an AppSync Lambda authorizer returns: yes or no, values resolvers can read
    (``resolverContext``, in ``$ctx.identity.resolverContext``), fields to deny, and how
    long AppSync may cache the answer (``ttlOverride``, seconds).

    ``allow(...)`` and ``deny(...)`` build one.
    """

    is_authorized: bool | None = field("isAuthorized")
    resolver_context: dict[str, Any] | None = field("resolverContext")
    denied_fields: list[str] | None = field("deniedFields")
    ttl_override: int | None = field("ttlOverride")

    @classmethod
    def allow(
        cls,
        *,
        resolver_context: dict[str, Any] | None = None,
        denied_fields: list[str] | None = None,
        ttl_override: int | None = None,
    ) -> AppSyncLambdaAuthorizerResponse:
        """Authorize the request, optionally with resolver context, denied fields
        (``TypeName.fieldName`` or field ARNs) and a cache lifetime in seconds."""
        return cls(
            is_authorized=True,
            resolver_context=resolver_context,
            denied_fields=denied_fields,
            ttl_override=ttl_override,
        )

    @classmethod
    def deny(cls, *, ttl_override: int | None = None) -> AppSyncLambdaAuthorizerResponse:
        """Refuse the request (AppSync answers ``UnauthorizedException``)."""
        return cls(is_authorized=False, ttl_override=ttl_override)
