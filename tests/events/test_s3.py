"""S3 notifications (with the decoded object key), S3 Batch Operations and S3 Object
Lambda events."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from datetime import UTC, datetime
from urllib.parse import unquote_plus

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import lambdago
from lambdago.events import (
    S3BatchJobEvent,
    S3BatchJobEventV2,
    S3BatchJobResponse,
    S3BatchJobResultPermanentFailure,
    S3BatchJobResultSucceeded,
    S3BatchJobResultTemporaryFailure,
    S3Event,
    S3Object,
    S3ObjectLambdaEvent,
    S3TestEvent,
    sample,
)
from lambdago.events.s3 import url_decode_key

SAMPLES = {
    "s3-put": S3Event,
    "s3-delete": S3Event,
    "s3-test-event": S3TestEvent,
    "s3-glacier-restore": S3Event,
    "s3-replication": S3Event,
    "s3-intelligent-tiering": S3Event,
    "s3-lifecycle": S3Event,
    "s3-batch-job": S3BatchJobEvent,
    "s3-batch-job-v2": S3BatchJobEventV2,
    "s3-batch-job-response": S3BatchJobResponse,
    "s3-object-lambda": S3ObjectLambdaEvent,
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_samples_roundtrip(name: str) -> None:
    raw = sample(name)
    assert json.loads(lambdago.encode(lambdago.decode(raw, SAMPLES[name]))) == json.loads(raw)


# -- object keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "decoded"),
    [
        ("photos/Happy+Face.jpg", "photos/Happy Face.jpg"),
        ("a%2Bb+c%2Fd", "a+b c/d"),
        ("caf%C3%A9%20cr%c3%a8me", "café crème"),
        ("100%", "100%"),  # a bad escape stays (Go's QueryUnescape would reject it)
        ("%zz%4", "%zz%4"),
        ("%FF", "\ufffd"),  # not UTF-8
        ("plain/key.txt", "plain/key.txt"),
        ("", ""),
        ("ü%C3%BC", "üü"),
    ],
)
def test_url_decode_key_examples(key: str, decoded: str) -> None:
    assert url_decode_key(key) == decoded == unquote_plus(key)


# Keys built from pieces that exercise escapes: hex digits, partial UTF-8 sequences,
# stray "%" and non-ASCII characters next to escapes.
_PIECES = [*list("%+ab/ 09fFgG.-_~é€\x7f\x80"), "%C3", "%A9", "%e2%82", "%ac", "%2B", "%20"]
_KEYISH = st.lists(st.sampled_from(_PIECES), max_size=20).map("".join)


@given(st.one_of(_KEYISH, st.text(max_size=40)))
@example("%C3é%A9")
@example("%E2%82%AC%")
def test_url_decode_key_matches_unquote_plus(key: str) -> None:
    assert url_decode_key(key) == unquote_plus(key)


def test_decoding_fills_url_decoded_key() -> None:
    obj = lambdago.decode('{"key": "my+report%281%29.pdf", "size": 10}', S3Object)
    assert obj.url_decoded_key == "my report(1).pdf"
    assert json.loads(lambdago.encode(obj)) == {
        "key": "my+report%281%29.pdf",
        "size": 10,
        "urlDecodedKey": "my report(1).pdf",
    }


def test_no_key_means_no_url_decoded_key() -> None:
    raw = '{"Records": [{"s3": {"object": {"size": 3, "eTag": "abc"}}}, {"s3": {"object": {}}}]}'
    event = lambdago.decode(raw, S3Event)
    assert all(
        r.s3 and r.s3.object and r.s3.object.url_decoded_key is None for r in event.records or []
    )
    assert json.loads(lambdago.encode(event)) == json.loads(raw)
    obj = lambdago.decode('{"key": null}', S3Object)
    assert obj.url_decoded_key is None
    assert lambdago.encode(obj) == b'{"key":null}'


def test_sample_keys() -> None:
    put = lambdago.decode(sample("s3-put"), S3Event)
    obj = (put.records or [])[0].s3.object  # type: ignore[union-attr]
    assert obj is not None
    assert obj.url_decoded_key == "reports/2025/Q1 summary (final).pdf"
    delete = lambdago.decode(sample("s3-delete"), S3Event)
    record = (delete.records or [])[0]
    assert record.s3 is not None
    assert record.s3.object is not None
    assert record.s3.object.url_decoded_key == "drafts/budgetété-2025.xlsx"
    assert record.s3.object.size is None


def test_upstream_key_decoding(conformance_dir: pathlib.Path) -> None:
    raw = (conformance_dir / "testdata" / "s3-event.json").read_bytes()
    event = lambdago.decode(raw, S3Event)
    objects = [r.s3.object for r in event.records or [] if r.s3 and r.s3.object]
    assert objects
    assert all(o.url_decoded_key == unquote_plus(o.key or "") for o in objects)


def test_event_data_variants() -> None:
    glacier = (lambdago.decode(sample("s3-glacier-restore"), S3Event).records or [])[0]
    restore = glacier.glacier_event_data.restore_event_data  # type: ignore[union-attr]
    assert restore is not None
    assert restore.lifecycle_restoration_expiry_time == datetime(2025, 7, 9, tzinfo=UTC)
    assert restore.lifecycle_restore_storage_class == "DEEP_ARCHIVE"
    assert glacier.restore_event_data is None

    replication = (lambdago.decode(sample("s3-replication"), S3Event).records or [])[0]
    data = replication.replication_event_data
    assert data is not None
    assert data.failure_reason == "DstBucketNotFound"
    assert data.request_time == datetime(2025, 5, 21, 17, 32, 51, 90000, tzinfo=UTC)

    tiering = (lambdago.decode(sample("s3-intelligent-tiering"), S3Event).records or [])[0]
    assert tiering.intelligent_tiering_event_data is not None
    assert tiering.intelligent_tiering_event_data.destination_access_tier == "ARCHIVE_ACCESS"

    lifecycle = (lambdago.decode(sample("s3-lifecycle"), S3Event).records or [])[0]
    transition = lifecycle.lifecycle_event_data.transition_event_data  # type: ignore[union-attr]
    assert transition is not None
    assert transition.destination_storage_class == "GLACIER_IR"
    assert lifecycle.principal_id is not None
    assert lifecycle.principal_id.principal_id == "s3.amazonaws.com"


def test_test_event() -> None:
    event = lambdago.decode(sample("s3-test-event"), S3TestEvent)
    assert event.event == "s3:TestEvent"
    assert event.time == datetime(2025, 3, 14, 9, 12, 40, 866000, tzinfo=UTC)


def test_decoding_s3_does_not_import_urllib() -> None:
    # The event comes on stdin: reading the sample in the child would import pathlib, which
    # imports urllib.parse itself.
    code = (
        "import sys, lambdago, lambdago.events as e; "
        "v = lambdago.decode(sys.stdin.buffer.read(), e.S3Event); "
        "assert v.records[0].s3.object.url_decoded_key; "
        "print('urllib.parse' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=sample("s3-put"), capture_output=True, check=True
    )
    assert out.stdout.strip() == b"False"


# -- S3 Batch Operations ------------------------------------------------------------------------


def test_batch_job_v1_respond() -> None:
    event = lambdago.decode(sample("s3-batch-job"), S3BatchJobEvent)
    task = (event.tasks or [])[0]
    assert task.s3_bucket_arn == "arn:aws:s3:::acme-billing-archive"
    response = event.respond([task.result(S3BatchJobResultSucceeded, "done")])
    assert json.loads(lambdago.encode(response)) == {
        "invocationSchemaVersion": "1.0",
        "treatMissingKeysAs": "PermanentFailure",
        "invocationId": event.invocation_id,
        "results": [{"taskId": task.task_id, "resultCode": "Succeeded", "resultString": "done"}],
    }


def test_batch_job_v2_respond() -> None:
    event = lambdago.decode(sample("s3-batch-job-v2"), S3BatchJobEventV2)
    assert event.job is not None
    assert event.job.user_arguments == {
        "targetFormat": "webp",
        "maxWidth": "1600",
    }
    task = (event.tasks or [])[0]
    assert task.s3_bucket == "catalog-images--use1-az4--x-s3"
    assert task.s3_version_id is None
    response = event.respond(
        [task.result(S3BatchJobResultTemporaryFailure)],
        treat_missing_keys_as=S3BatchJobResultTemporaryFailure,
    )
    encoded = json.loads(lambdago.encode(response))
    assert encoded["invocationSchemaVersion"] == "2.0"
    assert encoded["treatMissingKeysAs"] == "TemporaryFailure"
    assert encoded["results"] == [
        {"taskId": task.task_id, "resultCode": "TemporaryFailure", "resultString": ""}
    ]
    assert S3BatchJobResultPermanentFailure == "PermanentFailure"


# -- S3 Object Lambda -------------------------------------------------------------------------


def test_object_lambda_event() -> None:
    event = lambdago.decode(sample("s3-object-lambda"), S3ObjectLambdaEvent)
    assert event.get_object_context is not None
    assert event.get_object_context.output_route == "io-euw1-002"
    assert event.list_objects_context is None
    assert event.head_object_context is None
    assert event.user_identity is not None
    assert event.user_identity.session_context is None
    assert event.user_request is not None
    assert event.user_request.headers is not None
    assert event.user_request.headers["Accept-Encoding"] == "identity"
