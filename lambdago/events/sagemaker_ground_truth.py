"""Amazon SageMaker Ground Truth: the two functions of a custom labeling workflow, the
pre-annotation (pre-human task) function that turns each data object into the input of
the worker task template, and the annotation consolidation (post-annotation) function
that merges the workers' answers into one label per data object.

The consolidation event does not carry the answers: it points at an S3 object
(``payload.s3Uri``) holding them. Read that object with your S3 client and pass its
bytes to :meth:`SageMakerGroundTruthPostAnnotationEvent.decode_payload`::

    @lambdago.handler
    def handle(event: SageMakerGroundTruthPostAnnotationEvent):
        items = event.decode_payload(read_s3(event.payload.s3_uri))
        return [event.consolidated(i.dataset_object_id, majority(i)) for i in items]
"""

from __future__ import annotations

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias

__all__ = [
    "SageMakerGroundTruthAnnotationData",
    "SageMakerGroundTruthConsolidatedAnnotation",
    "SageMakerGroundTruthDataObject",
    "SageMakerGroundTruthPayload",
    "SageMakerGroundTruthPayloadDataObject",
    "SageMakerGroundTruthPayloadItem",
    "SageMakerGroundTruthPostAnnotationEvent",
    "SageMakerGroundTruthPostAnnotationResponse",
    "SageMakerGroundTruthPostAnnotationResponseItem",
    "SageMakerGroundTruthPreHumanTaskEvent",
    "SageMakerGroundTruthPreHumanTaskResponse",
    "SageMakerGroundTruthWorkerAnnotation",
]

SAMPLES = {
    "sagemaker-ground-truth-pre-human-task-image": "SageMakerGroundTruthPreHumanTaskEvent",
    "sagemaker-ground-truth-pre-human-task-text": "SageMakerGroundTruthPreHumanTaskEvent",
    "sagemaker-ground-truth-pre-human-task-response": "SageMakerGroundTruthPreHumanTaskResponse",
    "sagemaker-ground-truth-post-annotation": "SageMakerGroundTruthPostAnnotationEvent",
    "sagemaker-ground-truth-post-annotation-response": (
        "SageMakerGroundTruthPostAnnotationResponse"
    ),
}


# -- pre-annotation ----------------------------------------------------------------------------


@event
class SageMakerGroundTruthDataObject:
    """One line of the labeling job's input manifest: an S3 object (``source-ref``) or
    inline data (``source``), and any other attributes the line has (kept as received)."""

    source_ref: str | None = field("source-ref")
    source: str | None = field("source")

    def task_object(self) -> str | None:
        """The object to label: ``source-ref`` when present, else ``source``."""
        return self.source_ref if self.source_ref is not None else self.source


@event
class SageMakerGroundTruthPreHumanTaskEvent:
    """The event Ground Truth sends the pre-annotation function of a custom labeling
    job, once per data object before it is shown to workers."""

    version: str | None = field("version")
    labeling_job_arn: str | None = field("labelingJobArn")
    data_object: SageMakerGroundTruthDataObject | None = field("dataObject")


@event
class SageMakerGroundTruthPreHumanTaskResponse:
    """What the pre-annotation function returns: ``taskInput`` (any JSON, available to
    the worker task template as ``task.input``) and whether the object needs human
    workers at all (``false`` skips it)."""

    task_input: Any = field("taskInput")
    is_human_annotation_required: bool | None = field("isHumanAnnotationRequired")


# -- post-annotation (consolidation) -------------------------------------------------------------


@event
class SageMakerGroundTruthPayload:
    """Where the workers' answers are: an S3 URI to read them from."""

    s3_uri: str | None = field("s3Uri")


@event
class SageMakerGroundTruthAnnotationData:
    """One worker's answer: ``content`` is the task form's output as a JSON string."""

    content: str | None = field("content")

    def decode_content(self, type: Any = object, **options: Any) -> Any:
        """``content`` decoded as JSON into ``type`` (``lambdago.decode`` options apply)."""
        from ..codec import decode

        if self.content is None:
            raise ValueError("this annotation has no content")
        return decode(self.content, type, **options)


@event
class SageMakerGroundTruthWorkerAnnotation:
    """An answer and the worker (``workerId``) who gave it."""

    worker_id: str | None = field("workerId")
    annotation_data: SageMakerGroundTruthAnnotationData | None = field("annotationData")


@event
class SageMakerGroundTruthPayloadDataObject:
    """The data object as the payload names it: its S3 URI or inline ``content``."""

    s3_uri: str | None = field("s3Uri")
    content: str | None = field("content")


@event
class SageMakerGroundTruthPayloadItem:
    """One data object of the payload with every worker's answer to it."""

    dataset_object_id: str | None = field("datasetObjectId")
    data_object: SageMakerGroundTruthPayloadDataObject | None = field("dataObject")
    annotations: list[SageMakerGroundTruthWorkerAnnotation] | None = field("annotations")


@event
class SageMakerGroundTruthConsolidatedAnnotation:
    """The consolidated label of one data object: ``content`` maps the job's label
    attribute name to the label (any JSON)."""

    content: dict[str, Any] | None = field("content")


@event
class SageMakerGroundTruthPostAnnotationResponseItem:
    """The consolidated label of one data object, as the response lists it."""

    dataset_object_id: str | None = field("datasetObjectId")
    consolidated_annotation: SageMakerGroundTruthConsolidatedAnnotation | None = field(
        "consolidatedAnnotation"
    )


SageMakerGroundTruthPostAnnotationResponse: TypeAlias = list[
    SageMakerGroundTruthPostAnnotationResponseItem
]
"""What the consolidation function returns: a JSON list with one consolidated label per
data object of the payload."""


@event
class SageMakerGroundTruthPostAnnotationEvent:
    """The event Ground Truth sends the annotation consolidation function of a custom
    labeling job once workers have answered: the job, its label categories and label
    attribute name, the role to read the answers with, where they are (``payload``)
    and the job's output location."""

    version: str | None = field("version")
    labeling_job_arn: str | None = field("labelingJobArn")
    label_categories: list[str] | None = field("labelCategories")
    label_attribute_name: str | None = field("labelAttributeName")
    role_arn: str | None = field("roleArn")
    payload: SageMakerGroundTruthPayload | None = field("payload")
    output_config: str | None = field("outputConfig")

    @staticmethod
    def decode_payload(
        data: bytes | bytearray | memoryview | str,
    ) -> list[SageMakerGroundTruthPayloadItem]:
        """The payload object's contents (the JSON read from ``payload.s3Uri``): the data
        objects with their workers' answers. Raises :class:`lambdago.DecodeError` when
        it is not such a list."""
        from ..codec import decode

        raw = bytes(data) if isinstance(data, (bytearray, memoryview)) else data
        items: list[SageMakerGroundTruthPayloadItem] = decode(
            raw, list[SageMakerGroundTruthPayloadItem]
        )
        return items

    def consolidated(
        self, dataset_object_id: str, label: Any
    ) -> SageMakerGroundTruthPostAnnotationResponseItem:
        """A response item giving ``label`` (any JSON value) to the data object, under the
        job's label attribute name."""
        name = self.label_attribute_name
        if not name:
            raise ValueError("the event has no labelAttributeName")
        return SageMakerGroundTruthPostAnnotationResponseItem(
            dataset_object_id=dataset_object_id,
            consolidated_annotation=SageMakerGroundTruthConsolidatedAnnotation(
                content={name: label}
            ),
        )
