"""Amazon S3 Object Lambda: the event an Object Lambda Access Point sends to transform
the response of a GetObject, HeadObject, ListObjects or ListObjectsV2 request."""

from __future__ import annotations

from ._base import event, field

__all__ = [
    "S3ObjectLambdaConfiguration",
    "S3ObjectLambdaEvent",
    "S3ObjectLambdaGetObjectContext",
    "S3ObjectLambdaHeadObjectContext",
    "S3ObjectLambdaListObjectsContext",
    "S3ObjectLambdaListObjectsV2Context",
    "S3ObjectLambdaSessionContext",
    "S3ObjectLambdaSessionIssuer",
    "S3ObjectLambdaUserIdentity",
    "S3ObjectLambdaUserRequest",
]

SAMPLES = {"s3-object-lambda": "S3ObjectLambdaEvent"}


@event
class S3ObjectLambdaGetObjectContext:
    """For GetObject: a presigned URL to fetch the original object, and the route and
    token to pass to ``WriteGetObjectResponse`` with the transformed object."""

    input_s3_url: str | None = field("inputS3Url")
    output_route: str | None = field("outputRoute")
    output_token: str | None = field("outputToken")


@event
class S3ObjectLambdaListObjectsContext:
    """For ListObjects: a presigned URL returning the original listing."""

    input_s3_url: str | None = field("inputS3Url")


@event
class S3ObjectLambdaListObjectsV2Context:
    """For ListObjectsV2: a presigned URL returning the original listing."""

    input_s3_url: str | None = field("inputS3Url")


@event
class S3ObjectLambdaHeadObjectContext:
    """For HeadObject: a presigned URL returning the original object's metadata."""

    input_s3_url: str | None = field("inputS3Url")


@event
class S3ObjectLambdaConfiguration:
    """The Object Lambda Access Point, the access point behind it, and the ``payload``
    string configured on it."""

    access_point_arn: str | None = field("accessPointArn")
    supporting_access_point_arn: str | None = field("supportingAccessPointArn")
    payload: str | None = field("payload")


@event
class S3ObjectLambdaUserRequest:
    """The caller's original request: its URL and HTTP headers."""

    url: str | None = field("url")
    headers: dict[str, str] | None = field("headers")


@event
class S3ObjectLambdaSessionIssuer:
    """The IAM role or user a temporary session was issued from."""

    type: str | None = field("type")
    principal_id: str | None = field("principalId")
    arn: str | None = field("arn")
    account_id: str | None = field("accountId")
    user_name: str | None = field("userName")


@event
class S3ObjectLambdaSessionContext:
    """For a caller with temporary credentials: session attributes (``mfaAuthenticated``,
    ``creationDate``) and who issued the session."""

    attributes: dict[str, str] | None = field("attributes")
    session_issuer: S3ObjectLambdaSessionIssuer | None = field("sessionIssuer")


@event
class S3ObjectLambdaUserIdentity:
    """The IAM identity that made the request (``IAMUser``, ``AssumedRole`` …)."""

    type: str | None = field("type")
    principal_id: str | None = field("principalId")
    arn: str | None = field("arn")
    account_id: str | None = field("accountId")
    access_key_id: str | None = field("accessKeyId")
    session_context: S3ObjectLambdaSessionContext | None = field("sessionContext")


@event
class S3ObjectLambdaEvent:
    """The event an S3 Object Lambda Access Point sends for a request made through it.

    Exactly one of the ``*_context`` fields is set, naming the operation.
    """

    x_amz_request_id: str | None = field("xAmzRequestId")
    get_object_context: S3ObjectLambdaGetObjectContext | None = field("getObjectContext")
    list_objects_context: S3ObjectLambdaListObjectsContext | None = field("listObjectsContext")
    list_objects_v2_context: S3ObjectLambdaListObjectsV2Context | None = field(
        "listObjectsV2Context"
    )
    head_object_context: S3ObjectLambdaHeadObjectContext | None = field("headObjectContext")
    configuration: S3ObjectLambdaConfiguration | None = field("configuration")
    user_request: S3ObjectLambdaUserRequest | None = field("userRequest")
    user_identity: S3ObjectLambdaUserIdentity | None = field("userIdentity")
    protocol_version: str | None = field("protocolVersion")
