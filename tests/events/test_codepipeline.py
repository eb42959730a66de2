"""CodePipeline job events (with their user parameters and artifacts) and the EventBridge
state-change events."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    CodePipelineArtifactCredentials,
    CodePipelineCloudWatchEvent,
    CodePipelineConfiguration,
    CodePipelineEvent,
    CodePipelineEventBridgeEvent,
    CodePipelineInputArtifact,
    CodePipelineJob,
    CodePipelineJobEvent,
    CodePipelineS3Location,
)
from tests.conftest import CONFORMANCE, json_diff
from tests.events._exact import typed_roundtrip

SAMPLES = {
    "codepipeline-job": CodePipelineJobEvent,
    "codepipeline-pipeline-execution-state-change": CodePipelineCloudWatchEvent,
    "codepipeline-stage-execution-state-change": CodePipelineCloudWatchEvent,
    "codepipeline-action-execution-state-change": CodePipelineEventBridgeEvent,
}


@dataclasses.dataclass
class SmokeTest:
    url: str
    timeoutSeconds: int
    expectStatus: int = 200


def _job() -> CodePipelineJobEvent:
    value: CodePipelineJobEvent = lambdago.decode(
        lambdago.events.sample("codepipeline-job"), CodePipelineJobEvent
    )
    return value


def _json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_samples_round_trip(name: str) -> None:
    raw = lambdago.events.sample(name)
    value = lambdago.decode(raw, SAMPLES[name])
    assert not json_diff(_json(value), json.loads(raw))


def test_aliases_are_the_same_classes() -> None:
    assert CodePipelineEvent is CodePipelineJobEvent
    assert CodePipelineEventBridgeEvent is CodePipelineCloudWatchEvent
    assert lambdago.events.sample_names()["codepipeline-job"] == "CodePipelineJobEvent"


# -- job events ---------------------------------------------------------------------------------


def test_job_fields() -> None:
    event = _job()
    job = event.job
    assert job is event.code_pipeline_job
    assert job.id == "6f2a9c1e-3b4d-4e5f-a6b7-c8d9e0f1a2b3"
    assert job.data is not None
    assert job.data.action_configuration is not None
    assert job.data.action_configuration.configuration is not None
    assert job.data.action_configuration.configuration.function_name == "smoke-test-staging"


def test_user_parameters_decode_into_a_type() -> None:
    event = _job()
    params = event.job.decode_user_parameters(SmokeTest)
    assert params == SmokeTest("https://staging.orders.example.com/health", 30, 200)
    assert event.job.decode_user_parameters() == {
        "url": "https://staging.orders.example.com/health",
        "timeoutSeconds": 30,
        "expectStatus": 200,
    }
    assert event.job.user_parameters is not None
    assert event.job.user_parameters.startswith('{"url"')


def test_user_parameters_options_apply() -> None:
    config = CodePipelineConfiguration()
    config.user_parameters = '{"url": "https://x.example.com", "timeoutSeconds": 5, "extra": 1}'
    assert config.decode_user_parameters(SmokeTest) == SmokeTest("https://x.example.com", 5)
    with pytest.raises(lambdago.DecodeError, match="extra"):
        config.decode_user_parameters(SmokeTest, strict=True)


def test_user_parameters_errors() -> None:
    config = CodePipelineConfiguration()
    with pytest.raises(ValueError, match="no UserParameters"):
        config.decode_user_parameters()
    config.user_parameters = ""
    with pytest.raises(ValueError, match="no UserParameters"):
        config.decode_user_parameters()
    config.user_parameters = "https://not-json.example.com"
    with pytest.raises(lambdago.DecodeError):
        config.decode_user_parameters()
    config.user_parameters = '{"url": 3}'
    with pytest.raises(lambdago.DecodeError, match="url: expected str"):
        config.decode_user_parameters(SmokeTest)
    with pytest.raises(ValueError, match="no UserParameters"):
        CodePipelineJob().decode_user_parameters()
    assert CodePipelineJob().user_parameters is None


def test_an_event_without_a_job() -> None:
    with pytest.raises(ValueError, match=r"no CodePipeline\.job"):
        _ = CodePipelineJobEvent().job


def test_artifacts_are_typed() -> None:
    data = _job().job.data
    assert data is not None
    build = data.input_artifact("BuildOutput")
    assert build.revision == "9f2c4e1a7b3d5f60812a4c6e8b0d2f4a6c8e0b1d"
    assert build.bucket_name == "codepipeline-us-east-2-123456789012"
    assert build.object_key == "orders-api/BuildOutpu/Jq7mWz3.zip"
    assert (
        build.s3.uri == "s3://codepipeline-us-east-2-123456789012/orders-api/BuildOutpu/Jq7mWz3.zip"
    )
    assert build.location is not None
    assert build.location.location_type == "S3"
    report = data.output_artifact("SmokeReport")
    assert report.revision is None
    assert report.object_key == "orders-api/SmokeRepor/Pb4nRt8.zip"
    with pytest.raises(KeyError, match="no input artifact named 'Missing'"):
        data.input_artifact("Missing")
    with pytest.raises(KeyError, match="no output artifact named 'BuildOutput'"):
        data.output_artifact("BuildOutput")


def test_artifacts_without_a_location() -> None:
    artifact = CodePipelineInputArtifact()
    assert artifact.bucket_name is None
    assert artifact.object_key is None
    with pytest.raises(ValueError, match="no S3 location"):
        _ = artifact.s3
    with pytest.raises(ValueError, match="no bucket name or no object key"):
        _ = CodePipelineS3Location().uri


def test_artifact_credentials_for_an_sdk_client() -> None:
    data = _job().job.data
    assert data is not None
    assert data.artifact_credentials is not None
    assert data.artifact_credentials.client_kwargs() == {
        "aws_access_key_id": "ASIAQEXAMPLE7KZ3M2NX",
        "aws_secret_access_key": "bPxRfiCYEXAMPLEKEYwJalrXUtnFEMIK7MDENG",
        "aws_session_token": "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENdGhpcyBpcyBub3QgYSByZWFsIHRva2Vu",
    }
    creds = CodePipelineArtifactCredentials()
    with pytest.raises(ValueError, match="no access key"):
        creds.client_kwargs()
    creds.access_key_id, creds.secret_access_key = "AKIAEXAMPLE", "secret"
    assert creds.client_kwargs() == {
        "aws_access_key_id": "AKIAEXAMPLE",
        "aws_secret_access_key": "secret",
    }


@pytest.mark.skipif(not CONFORMANCE.exists(), reason="the shared conformance corpus is absent")
def test_plain_text_user_parameters_from_the_corpus() -> None:
    raw = (CONFORMANCE / "testdata" / "codepipeline-job-event.json").read_bytes()
    event = lambdago.decode(raw, CodePipelineEvent)
    assert event.job.user_parameters == "some-input-such-as-a-URL"
    with pytest.raises(lambdago.DecodeError):
        event.job.decode_user_parameters()
    assert _json(event)["CodePipeline.job"]["data"]["inputArtifacts"][0]["revision"] is None


# -- state-change events ------------------------------------------------------------------------


def test_action_state_change() -> None:
    event = lambdago.decode(
        lambdago.events.sample("codepipeline-action-execution-state-change"),
        CodePipelineEventBridgeEvent,
    )
    assert event.detail_type == lambdago.events.CodePipelineActionEventDetailType
    assert event.source == lambdago.events.CodePipelineEventSource
    detail = event.detail
    assert detail is not None
    assert detail.state == lambdago.events.CodePipelineActionStateSucceeded
    assert detail.version == 7
    assert detail.type is not None
    assert (detail.type.category, detail.type.provider, detail.type.version) == (
        "Deploy",
        "CodeDeploy",
        1,
    )
    assert detail.execution_result is not None
    assert detail.execution_result.external_execution_id == "d-7QX2LMB9A"
    assert detail.execution_result.error_code is None


def test_pipeline_state_change_keeps_keys_it_does_not_model() -> None:
    raw = lambdago.events.sample("codepipeline-pipeline-execution-state-change")
    event = lambdago.decode(raw, CodePipelineCloudWatchEvent)
    assert event.detail is not None
    assert event.detail.state == lambdago.events.CodePipelineStateStarted
    assert event.detail.stage is None
    assert event.detail.type is None
    out = _json(event)
    assert "stage" not in out["detail"]
    assert "execution-result" not in out["detail"]
    assert out["detail"]["execution-trigger"]["trigger-type"] == "Webhook"


def test_a_string_action_type_version_is_rejected() -> None:
    doc = {"detail": {"type": {"version": "one"}}}
    with pytest.raises(lambdago.DecodeError, match=r"detail\.type\.version: expected int"):
        lambdago.decode(json.dumps(doc), CodePipelineCloudWatchEvent)


def test_job_data_encryption_key() -> None:
    raw = {
        "CodePipeline.job": {
            "id": "c0d7e6b5-4a39-4e1f-9c2b-8a7d6e5f4c3b",
            "accountId": "210987654321",
            "data": {
                "actionConfiguration": {
                    "configuration": {"FunctionName": "stamp-release", "UserParameters": ""}
                },
                "inputArtifacts": [],
                "outputArtifacts": [],
                "artifactCredentials": {
                    "accessKeyId": "ASIAEXAMPLEKEY7Q2ZP4",
                    "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE",
                },
                "encryptionKey": {
                    "id": "arn:aws:kms:eu-central-1:210987654321:key/5f2c1e0d-9b8a-4c7d-a6e5-f4d3c2b1a098",
                    "type": "KMS",
                },
            },
        }
    }
    event = typed_roundtrip(raw, lambdago.events.CodePipelineJobEvent)
    key = event.job.data.encryption_key
    assert key == lambdago.events.CodePipelineEncryptionKey(
        id="arn:aws:kms:eu-central-1:210987654321:key/5f2c1e0d-9b8a-4c7d-a6e5-f4d3c2b1a098",
        type="KMS",
    )
