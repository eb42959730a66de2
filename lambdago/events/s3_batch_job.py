"""Amazon S3 Batch Operations: the tasks a batch job's "Invoke AWS Lambda function"
operation hands to a function, and the results the function returns for them."""

from __future__ import annotations

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "S3BatchJob",
    "S3BatchJobEvent",
    "S3BatchJobEventV2",
    "S3BatchJobResponse",
    "S3BatchJobResult",
    "S3BatchJobResultPermanentFailure",
    "S3BatchJobResultSucceeded",
    "S3BatchJobResultTemporaryFailure",
    "S3BatchJobTask",
    "S3BatchJobTaskV2",
    "S3BatchJobV2",
]

SAMPLES = {
    "s3-batch-job": "S3BatchJobEvent",
    "s3-batch-job-v2": "S3BatchJobEventV2",
    "s3-batch-job-response": "S3BatchJobResponse",
}

S3BatchJobResultSucceeded: Final = "Succeeded"
"""``resultCode``: the task is done; ``resultString`` goes into the job's report."""

S3BatchJobResultTemporaryFailure: Final = "TemporaryFailure"
"""``resultCode``: the task failed but may succeed later; Batch Operations retries it."""

S3BatchJobResultPermanentFailure: Final = "PermanentFailure"
"""``resultCode``: the task failed for good and is not retried."""


@event
class S3BatchJobResult:
    """The outcome of one task: its ``taskId``, a ``resultCode`` (``Succeeded``,
    ``TemporaryFailure`` or ``PermanentFailure``) and a message for the job report."""

    task_id: str | None = field("taskId")
    result_code: str | None = field("resultCode")
    result_string: str | None = field("resultString")


@event
class S3BatchJobResponse:
    """What the function returns to S3 Batch Operations: a result per task of the
    invocation, and how to treat tasks it gives no result for (``treatMissingKeysAs``)."""

    invocation_schema_version: str | None = field("invocationSchemaVersion")
    treat_missing_keys_as: str | None = field("treatMissingKeysAs")
    invocation_id: str | None = field("invocationId")
    results: list[S3BatchJobResult] | None = field("results")


@event
class S3BatchJob:
    """The batch job the invocation belongs to."""

    id: str | None = field("id")


@event
class S3BatchJobTask:
    """One object to act on (schema 1.0): its key, version and bucket ARN.

    ``s3Key`` is URL-encoded as in the job's manifest.
    """

    task_id: str | None = field("taskId")
    s3_key: str | None = field("s3Key")
    s3_version_id: str | None = field("s3VersionId")
    s3_bucket_arn: str | None = field("s3BucketArn")

    def result(self, code: str, message: str = "") -> S3BatchJobResult:
        """A result for this task (``code``: one of the ``S3BatchJobResult*`` constants)."""
        return _result(self.task_id, code, message)


@event
class S3BatchJobEvent:
    """The event S3 Batch Operations sends (``invocationSchemaVersion`` 1.0) to run its
    operation on the objects of ``tasks`` (one per invocation)."""

    invocation_schema_version: str | None = field("invocationSchemaVersion")
    invocation_id: str | None = field("invocationId")
    job: S3BatchJob | None = field("job")
    tasks: list[S3BatchJobTask] | None = field("tasks")

    def respond(
        self, results: list[S3BatchJobResult], *, treat_missing_keys_as: str = "PermanentFailure"
    ) -> S3BatchJobResponse:
        """The response carrying ``results``, with this invocation's id and schema version."""
        return _response(
            self.invocation_schema_version, self.invocation_id, results, treat_missing_keys_as
        )


@event
class S3BatchJobV2:
    """The batch job the invocation belongs to, with the job's ``userArguments``."""

    id: str | None = field("id")
    user_arguments: dict[str, str] | None = field("userArguments")


@event
class S3BatchJobTaskV2:
    """One object to act on (schema 2.0): its key, version and bucket name (not ARN,
    which is what directory buckets need)."""

    task_id: str | None = field("taskId")
    s3_key: str | None = field("s3Key")
    s3_version_id: str | None = field("s3VersionId")
    s3_bucket: str | None = field("s3Bucket")

    def result(self, code: str, message: str = "") -> S3BatchJobResult:
        """A result for this task (``code``: one of the ``S3BatchJobResult*`` constants)."""
        return _result(self.task_id, code, message)


@event
class S3BatchJobEventV2:
    """The event S3 Batch Operations sends with ``invocationSchemaVersion`` 2.0 (jobs
    with user arguments, or on directory buckets)."""

    invocation_schema_version: str | None = field("invocationSchemaVersion")
    invocation_id: str | None = field("invocationId")
    job: S3BatchJobV2 | None = field("job")
    tasks: list[S3BatchJobTaskV2] | None = field("tasks")

    def respond(
        self, results: list[S3BatchJobResult], *, treat_missing_keys_as: str = "PermanentFailure"
    ) -> S3BatchJobResponse:
        """The response carrying ``results``, with this invocation's id and schema version."""
        return _response(
            self.invocation_schema_version, self.invocation_id, results, treat_missing_keys_as
        )


# Built field by field: mypy does not see the keyword arguments ``@event`` classes accept.


def _result(task_id: str | None, code: str, message: str) -> S3BatchJobResult:
    result = S3BatchJobResult()
    result.task_id = task_id
    result.result_code = code
    result.result_string = message
    return result


def _response(
    version: str | None, invocation_id: str | None, results: list[S3BatchJobResult], missing: str
) -> S3BatchJobResponse:
    response = S3BatchJobResponse()
    response.invocation_schema_version = version
    response.treat_missing_keys_as = missing
    response.invocation_id = invocation_id
    response.results = results
    return response
