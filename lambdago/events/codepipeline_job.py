"""AWS CodePipeline: the job event a pipeline's Lambda invoke action sends.

The function does the action's work and reports back with CodePipeline's
``PutJobSuccessResult`` or ``PutJobFailureResult`` (using ``CodePipeline.job.id``). The
action's ``UserParameters`` is free text that is often JSON: see
:meth:`CodePipelineConfiguration.decode_user_parameters`. Artifacts live in the pipeline's
S3 artifact store; ``artifactCredentials`` are temporary credentials for reading and
writing them.
"""

from __future__ import annotations

import datetime as _dt

from ._base import EPOCH_MILLIS, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CodePipelineActionConfiguration",
    "CodePipelineArtifactCredentials",
    "CodePipelineConfiguration",
    "CodePipelineData",
    "CodePipelineEncryptionKey",
    "CodePipelineInputArtifact",
    "CodePipelineInputLocation",
    "CodePipelineJob",
    "CodePipelineJobEvent",
    "CodePipelineOutputArtifact",
    "CodePipelineOutputLocation",
    "CodePipelineS3Location",
]

SAMPLES = {"codepipeline-job": "CodePipelineJobEvent"}


@event
class CodePipelineS3Location:
    """An artifact's place in the pipeline's S3 artifact store."""

    bucket_name: str | None = field("bucketName")
    object_key: str | None = field("objectKey")

    @property
    def uri(self) -> str:
        """``s3://<bucket>/<key>``; raises ``ValueError`` when either is missing."""
        if not self.bucket_name or self.object_key is None:
            raise ValueError("this S3 location has no bucket name or no object key")
        return f"s3://{self.bucket_name}/{self.object_key}"


@event
class CodePipelineInputLocation:
    """Where an artifact is stored: ``type`` (``S3``) and the S3 location."""

    s3_location: CodePipelineS3Location | None = field("s3Location")
    location_type: str | None = field("type")


@event
class CodePipelineOutputLocation:
    """Where an output artifact is stored (same shape as
    :class:`CodePipelineInputLocation`, which aws-lambda-go uses for output artifacts
    too, as does :class:`CodePipelineOutputArtifact` here)."""

    s3_location: CodePipelineS3Location | None = field("s3Location")
    location_type: str | None = field("type")


class _Artifact:
    """Shortcuts shared by input and output artifacts."""

    __slots__ = ()
    location: CodePipelineInputLocation | None

    @property
    def s3(self) -> CodePipelineS3Location:
        """The artifact's S3 location; raises ``ValueError`` when it has none."""
        location = self.location
        if location is None or location.s3_location is None:
            raise ValueError("this artifact has no S3 location")
        return location.s3_location

    @property
    def bucket_name(self) -> str | None:
        """The artifact store bucket, or ``None``."""
        location = self.location
        s3 = location.s3_location if location is not None else None
        return s3.bucket_name if s3 is not None else None

    @property
    def object_key(self) -> str | None:
        """The artifact's object key in the bucket, or ``None``."""
        location = self.location
        s3 = location.s3_location if location is not None else None
        return s3.object_key if s3 is not None else None


@event
class CodePipelineInputArtifact(_Artifact):
    """An artifact the action reads: its name, S3 location, and the source revision it
    was built from (a commit id, or ``null``)."""

    location: CodePipelineInputLocation | None = field("location")
    revision: str | None = field("revision")
    name: str | None = field("name")


@event
class CodePipelineOutputArtifact(_Artifact):
    """An artifact the action is expected to write, at the given S3 location."""

    location: CodePipelineInputLocation | None = field("location")
    revision: str | None = field("revision")
    name: str | None = field("name")


@event
class CodePipelineConfiguration:
    """The invoke action's configuration: the function's name and the action's
    ``UserParameters`` string."""

    function_name: str | None = field("FunctionName")
    user_parameters: str | None = field("UserParameters")

    def decode_user_parameters(self, type: Any = object, **options: Any) -> Any:
        """``UserParameters`` decoded as JSON into ``type`` (``lambdago.decode`` options
        apply; a malformed document raises ``lambdago.DecodeError``). Raises ``ValueError``
        when the action has no user parameters."""
        from ..codec import decode

        if not self.user_parameters:
            raise ValueError("this action has no UserParameters")
        return decode(self.user_parameters, type, **options)


@event
class CodePipelineActionConfiguration:
    """Holds the action's configuration."""

    configuration: CodePipelineConfiguration | None = field("configuration")


@event
class CodePipelineArtifactCredentials:
    """Temporary AWS credentials for the artifact store bucket, and when they expire
    (``expirationTime``, epoch milliseconds, a ``datetime`` here; aws-lambda-go lacks it)."""

    secret_access_key: str | None = field("secretAccessKey")
    session_token: str | None = field("sessionToken")
    access_key_id: str | None = field("accessKeyId")
    expiration_time: _dt.datetime | None = field("expirationTime", wire=EPOCH_MILLIS)

    def client_kwargs(self) -> dict[str, str]:
        """The credentials as keyword arguments for an AWS SDK client
        (``boto3.client("s3", **creds.client_kwargs())``)."""
        if not self.access_key_id or not self.secret_access_key:
            raise ValueError("these artifact credentials have no access key")
        out = {
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
        }
        if self.session_token:
            out["aws_session_token"] = self.session_token
        return out


@event
class CodePipelineEncryptionKey:
    """The key that encrypts the pipeline's artifact store: its ``id`` (a KMS key id,
    ARN or alias) and ``type`` (``KMS``). aws-lambda-go has no such type."""

    id: str | None = field("id")
    type: str | None = field("type")


@event
class CodePipelineData:
    """What the job works on: the action's configuration, input and output artifacts,
    credentials for them, and a continuation token when the job continues an earlier
    run of the action.

    ``encryptionKey`` names the key encrypting the artifact store, sent when the
    pipeline uses one (a customer managed KMS key); aws-lambda-go lacks this field."""

    action_configuration: CodePipelineActionConfiguration | None = field("actionConfiguration")
    input_artifacts: list[CodePipelineInputArtifact] | None = field("inputArtifacts")
    output_artifacts: list[CodePipelineOutputArtifact] | None = field("outputArtifacts")
    artifact_credentials: CodePipelineArtifactCredentials | None = field("artifactCredentials")
    continuation_token: str | None = field("continuationToken")
    encryption_key: CodePipelineEncryptionKey | None = field("encryptionKey")

    def input_artifact(self, name: str) -> CodePipelineInputArtifact:
        """The input artifact called ``name``; raises ``KeyError`` when there is none."""
        for artifact in self.input_artifacts or ():
            if artifact.name == name:
                return artifact
        raise KeyError(f"no input artifact named {name!r}")

    def output_artifact(self, name: str) -> CodePipelineOutputArtifact:
        """The output artifact called ``name``; raises ``KeyError`` when there is none."""
        for artifact in self.output_artifacts or ():
            if artifact.name == name:
                return artifact
        raise KeyError(f"no output artifact named {name!r}")


@event
class CodePipelineJob:
    """A job: its id (for reporting the result), the account, and its data."""

    id: str | None = field("id")
    account_id: str | None = field("accountId")
    data: CodePipelineData | None = field("data")

    @property
    def user_parameters(self) -> str | None:
        """The action's ``UserParameters`` string, or ``None``."""
        data = self.data
        action = data.action_configuration if data is not None else None
        config = action.configuration if action is not None else None
        return config.user_parameters if config is not None else None

    def decode_user_parameters(self, type: Any = object, **options: Any) -> Any:
        """The action's ``UserParameters`` decoded as JSON into ``type`` (see
        :meth:`CodePipelineConfiguration.decode_user_parameters`)."""
        config = CodePipelineConfiguration()
        config.user_parameters = self.user_parameters
        return config.decode_user_parameters(type, **options)


@event
class CodePipelineJobEvent:
    """What CodePipeline sends a function run by an ``Invoke`` action: the job under the
    key ``CodePipeline.job``."""

    code_pipeline_job: CodePipelineJob | None = field("CodePipeline.job")

    @property
    def job(self) -> CodePipelineJob:
        """The job; raises ``ValueError`` when the event has none."""
        if self.code_pipeline_job is None:
            raise ValueError("this event has no CodePipeline.job")
        return self.code_pipeline_job
