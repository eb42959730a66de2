"""SageMaker Ground Truth: pre-annotation and annotation consolidation functions."""

from __future__ import annotations

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    SageMakerGroundTruthDataObject,
    SageMakerGroundTruthPostAnnotationEvent,
    SageMakerGroundTruthPostAnnotationResponse,
    SageMakerGroundTruthPostAnnotationResponseItem,
    SageMakerGroundTruthPreHumanTaskEvent,
    SageMakerGroundTruthPreHumanTaskResponse,
)
from lambdago.events import sagemaker_ground_truth as gt
from tests.events._exact import as_json, roundtrip_sample

# What a consolidation request's payload object holds (read from payload.s3Uri).
PAYLOAD = b"""[
  {
    "datasetObjectId": "0",
    "dataObject": {"content": "My invoice for February shows two charges"},
    "annotations": [
      {"workerId": "private.us-east-1.7cd1f2a3b4c5d6e7",
       "annotationData": {"content": "{\\"intent\\":{\\"label\\":\\"billing\\"}}"}},
      {"workerId": "private.us-east-1.0a9b8c7d6e5f4a3b",
       "annotationData": {"content": "{\\"intent\\":{\\"label\\":\\"other\\"}}"}},
      {"workerId": "private.us-east-1.5e4d3c2b1a0f9e8d",
       "annotationData": {"content": "{\\"intent\\":{\\"label\\":\\"billing\\"}}"}}
    ]
  },
  {
    "datasetObjectId": "1",
    "dataObject": {"s3Uri": "s3://support-exports/tickets/88231.txt"},
    "annotations": []
  }
]"""


@pytest.mark.parametrize("name", sorted(gt.SAMPLES))
def test_samples_round_trip_exactly(name: str) -> None:
    roundtrip_sample(name)


def test_exports() -> None:
    for name in gt.__all__:
        assert getattr(lambdago.events, name) is getattr(gt, name)
    assert (
        SageMakerGroundTruthPostAnnotationResponse
        == list[SageMakerGroundTruthPostAnnotationResponseItem]
    )


def test_pre_human_task_events() -> None:
    image = roundtrip_sample("sagemaker-ground-truth-pre-human-task-image")
    assert isinstance(image, SageMakerGroundTruthPreHumanTaskEvent)
    assert image.version == "2018-10-16"
    assert image.data_object is not None
    assert image.data_object.source is None
    assert image.data_object.task_object() == (
        "s3://retail-vision-eu/shelves/store-0412/aisle-07/IMG_20250311_101522.jpg"
    )
    # the manifest line's other attributes come back as they were
    assert as_json(image.data_object)["camera"] == "aisle-07-left"
    text = roundtrip_sample("sagemaker-ground-truth-pre-human-task-text")
    assert isinstance(text, SageMakerGroundTruthPreHumanTaskEvent)
    assert text.data_object is not None
    assert text.data_object.source_ref is None
    assert (text.data_object.task_object() or "").startswith("My invoice")
    assert SageMakerGroundTruthDataObject().task_object() is None


def test_pre_human_task_response() -> None:
    resp = roundtrip_sample("sagemaker-ground-truth-pre-human-task-response")
    assert isinstance(resp, SageMakerGroundTruthPreHumanTaskResponse)
    assert resp.is_human_annotation_required is True
    assert resp.task_input["store"] == "0412"
    skip = SageMakerGroundTruthPreHumanTaskResponse(
        task_input={"taskObject": "x"}, is_human_annotation_required=False
    )
    assert as_json(skip) == {"taskInput": {"taskObject": "x"}, "isHumanAnnotationRequired": False}


def test_post_annotation_event_and_payload() -> None:
    ev = roundtrip_sample("sagemaker-ground-truth-post-annotation")
    assert isinstance(ev, SageMakerGroundTruthPostAnnotationEvent)
    assert ev.label_attribute_name == "support-ticket-intent"
    assert ev.label_categories == ["billing", "cancellation", "technical-issue", "other"]
    assert ev.payload is not None
    assert (ev.payload.s3_uri or "").startswith("s3://gt-labeling-work-use1/")
    assert ev.output_config == "s3://gt-labeling-work-use1/support-ticket-intent/annotations"
    for data in (PAYLOAD, PAYLOAD.decode(), bytearray(PAYLOAD), memoryview(PAYLOAD)):
        items = ev.decode_payload(data)
        assert [i.dataset_object_id for i in items] == ["0", "1"]
    items = ev.decode_payload(PAYLOAD)
    assert items[0].data_object is not None
    assert items[0].data_object.content == "My invoice for February shows two charges"
    assert items[1].data_object is not None
    assert items[1].data_object.s3_uri == "s3://support-exports/tickets/88231.txt"
    assert items[1].annotations == []
    assert items[0].annotations is not None
    answers = [
        a.annotation_data.decode_content()["intent"]["label"]
        for a in items[0].annotations
        if a.annotation_data is not None
    ]
    assert answers == ["billing", "other", "billing"]
    with pytest.raises(lambdago.DecodeError):
        ev.decode_payload(b'{"datasetObjectId": "0"}')
    with pytest.raises(ValueError, match="no content"):
        gt.SageMakerGroundTruthAnnotationData().decode_content()


def test_consolidated_builds_the_response() -> None:
    ev = roundtrip_sample("sagemaker-ground-truth-post-annotation")
    assert isinstance(ev, SageMakerGroundTruthPostAnnotationEvent)
    response = [
        ev.consolidated("0", {"label": "billing", "confidence": 0.67, "workers": 3}),
        ev.consolidated("1", {"label": "technical-issue", "confidence": 1.0, "workers": 3}),
    ]
    assert as_json(response) == as_json(
        roundtrip_sample("sagemaker-ground-truth-post-annotation-response")
    )
    with pytest.raises(ValueError, match="labelAttributeName"):
        SageMakerGroundTruthPostAnnotationEvent().consolidated("0", "x")


def test_post_annotation_response_decodes_as_a_list() -> None:
    raw = lambdago.events.sample("sagemaker-ground-truth-post-annotation-response")
    items: list[SageMakerGroundTruthPostAnnotationResponseItem] = lambdago.decode(
        raw, SageMakerGroundTruthPostAnnotationResponse
    )
    assert isinstance(items, list)
    assert items[1].consolidated_annotation is not None
    assert items[1].consolidated_annotation.content == {
        "support-ticket-intent": {"label": "technical-issue", "confidence": 1.0, "workers": 3}
    }
