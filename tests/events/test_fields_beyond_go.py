"""Keys AWS sends (or accepts) that aws-lambda-go's structs do not declare.

Each is a declared field here: strict decoding accepts it, the value is typed, and the
event comes back exactly (null and absence included). An unknown key would survive a
round trip anyway; these tests are about reading and writing the keys as fields.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import json
from typing import Any

import pytest

import lambdago
from lambdago.events import (
    APIGatewayCustomAuthorizerRequestTypeRequest,
    APIGatewayCustomAuthorizerResponse,
    APIGatewayProxyRequest,
    AppSyncCognitoIdentity,
    AppSyncResolverEvent,
    AutoScalingEvent,
    CloudwatchLogsEvent,
    CodeBuildEvent,
    CodeDeployEvent,
    CodePipelineCloudWatchEvent,
    CodePipelineJobEvent,
    ConnectEvent,
    ECRImageActionEvent,
    ECRScanEvent,
    ECSContainerInstanceEvent,
    IAMPolicyDocument,
    IAMPolicyStatement,
    LambdaFunctionURLRequest,
    S3EventBridgeNotificationEvent,
    SimpleEmailEvent,
)

from ._exact import typed_roundtrip


def test_request_authorizer_gets_the_whole_rest_context() -> None:
    event = lambdago.decode(
        lambdago.events.sample("apigw-request-authorizer-request-full-context"),
        APIGatewayCustomAuthorizerRequestTypeRequest,
        strict=True,
    )
    context = event.request_context
    assert context is not None and context.identity is not None
    assert context.domain_name == "w7pq4mz1ke.execute-api.us-west-2.amazonaws.com"
    assert context.domain_prefix == "w7pq4mz1ke"
    assert context.extended_request_id == "Vt3LpG7xPHcEp1w="
    assert context.protocol == "HTTP/1.1"
    assert context.request_time == "14/Mar/2026:09:41:07 +0000"
    assert context.request_time_epoch == 1773481267215
    assert context.identity.user_agent == "okhttp/4.12.0"
    assert context.identity.api_key is None and context.identity.cognito_amr is None
    raw = {
        "type": "REQUEST",
        "requestContext": {
            "identity": {
                "accessKey": "ASIAEXAMPLE7QWERTY",
                "accountId": "604219873350",
                "apiKeyId": "k9x8c7v6b5",
                "caller": "AROAEXAMPLE:ci",
                "cognitoAmr": ["authenticated", "cognito-idp.us-west-2.amazonaws.com/pool"],
                "cognitoAuthenticationProvider": "cognito-idp.us-west-2.amazonaws.com/pool",
                "cognitoAuthenticationType": "authenticated",
                "cognitoIdentityId": "us-west-2:1f2e3d4c",
                "cognitoIdentityPoolId": "us-west-2:9a8b7c6d",
                "principalOrgId": "o-a1b2c3d4e5",
                "user": "AROAEXAMPLE:ci",
                "userArn": "arn:aws:sts::604219873350:assumed-role/ci/ci",
                "vpcId": "vpc-0a1b2c3d",
                "vpceId": "vpce-0f9e8d7c6b5a",
            }
        },
    }
    identity = typed_roundtrip(raw, APIGatewayCustomAuthorizerRequestTypeRequest).request_context
    assert identity.identity.vpce_id == "vpce-0f9e8d7c6b5a"
    assert identity.identity.cognito_amr[0] == "authenticated"


def test_appsync_cognito_identity_groups() -> None:
    raw = {"sub": "7d9a3ab8", "username": "ada", "groups": ["admins", "editors"]}
    identity = typed_roundtrip(raw, AppSyncCognitoIdentity)
    assert identity.groups == ["admins", "editors"]
    assert (
        typed_roundtrip({"sub": "7d9a3ab8", "groups": None}, AppSyncCognitoIdentity).groups is None
    )


def test_amplify_function_resolver_names_its_field_at_the_top() -> None:
    raw = {
        "typeName": "Mutation",
        "fieldName": "publishPost",
        "arguments": {"id": "p-1"},
        "identity": None,
        "source": None,
        "request": {"headers": {"x-amz-user-agent": "aws-amplify/6.0"}},
        "prev": None,
    }
    event = typed_roundtrip(raw, AppSyncResolverEvent)
    assert (event.type_name, event.field_name) == ("Mutation", "publishPost")
    assert event.field_path() == "Mutation.publishPost"
    direct = AppSyncResolverEvent()
    assert direct.field_path() == ""


def _awslogs(payload: dict[str, Any]) -> bytes:
    data = base64.b64encode(gzip.compress(json.dumps(payload).encode())).decode()
    return json.dumps({"awslogs": {"data": data}}).encode()


def test_cloudwatch_logs_extracted_fields() -> None:
    # A space-delimited filter pattern over VPC flow logs names its fields; CloudWatch
    # Logs then sends them with each log event.
    line = "2 604219873350 eni-0a1b2c3d 10.0.1.5 10.0.2.9 443 49152 6 10 840 ACCEPT OK"
    payload = {
        "messageType": "DATA_MESSAGE",
        "owner": "604219873350",
        "logGroup": "vpc-flow-logs",
        "logStream": "eni-0a1b2c3d-all",
        "subscriptionFilters": ["rejected-and-accepted"],
        "logEvents": [
            {
                "id": "38000000000000000000000000000000000000000000000000000000",
                "timestamp": 1773481267000,
                "message": line,
                "extractedFields": {"srcaddr": "10.0.1.5", "dstport": "49152", "action": "ACCEPT"},
            },
            {"id": "38000000000000000000000000000000000000000000000000000001", "timestamp": 1},
        ],
    }
    event = lambdago.decode(_awslogs(payload), CloudwatchLogsEvent, strict=True)
    data = event.parse()
    first, second = data.log_events
    assert first.extracted_fields == {"srcaddr": "10.0.1.5", "dstport": "49152", "action": "ACCEPT"}
    assert second.extracted_fields is None
    assert json.loads(lambdago.encode(data)) == payload


def test_codebuild_fields() -> None:
    event = lambdago.decode(
        lambdago.events.sample("codebuild-build-state-change-github"), CodeBuildEvent, strict=True
    )
    info = event.detail.additional_information
    assert info.queued_timeout == datetime.timedelta(hours=8)
    assert info.cache == {
        "type": "LOCAL",
        "modes": ["LOCAL_SOURCE_CACHE", "LOCAL_DOCKER_LAYER_CACHE"],
    }
    assert info.project_file_system_locations == []
    assert info.environment.image_pull_credentials_type == "CODEBUILD"
    source = info.source
    assert source.buildspec == "ci/buildspec-docs.yml"
    assert source.git_clone_depth == 1 and isinstance(source.git_clone_depth, int)
    assert source.git_submodules_config == {"fetch-submodules": True}
    assert source.report_build_status is True
    assert source.auth["type"] == "CODECONNECTIONS"
    # Unchanged, the event is written as it came (floats such as 480.0 included).
    raw = lambdago.events.sample("codebuild-build-state-change-github")
    assert json.loads(lambdago.encode(event)) == json.loads(raw)
    info.queued_timeout = datetime.timedelta(minutes=90)
    written = json.loads(lambdago.encode(event))["detail"]["additional-information"]
    assert written["queued-timeout-in-minutes"] == 90


def test_connect_customer_audio_stop_fragment() -> None:
    raw = json.loads(lambdago.events.sample("connect-contact-flow"))
    contact = raw["Details"]["ContactData"]
    contact["MediaStreams"] = {
        "Customer": {
            "Audio": {
                "StartFragmentNumber": "91343852333181432392682062622220590765191907586",
                "StartTimestamp": "1773481267215",
                "StopFragmentNumber": "91343852333181432392682062622220590765191907999",
                "StopTimestamp": "1773481312004",
                "StreamARN": "arn:aws:kinesisvideo:us-west-2:604219873350:stream/connect-live/1",
            }
        }
    }
    contact["LanguageCode"] = "en-US"
    contact["RelatedContactId"] = None
    contact["SegmentAttributes"] = {"connect:Subtype": {"ValueString": "connect:Telephony"}}
    event = typed_roundtrip(raw, ConnectEvent)
    data = event.details.contact_data
    assert data.media_streams.customer.audio.stop_fragment_number.endswith("7999")
    assert data.aws_region == contact["AwsRegion"] and data.language_code == "en-US"
    assert data.segment_attributes["connect:Subtype"]["ValueString"] == "connect:Telephony"


def test_ses_common_headers_bcc_sender_reply_to() -> None:
    headers = {
        "from": ["Ada <ada@example.com>"],
        "to": ["orders@example.org"],
        "bcc": ["audit@example.org"],
        "sender": ["mailer@example.com"],
        "replyTo": ["support@example.com"],
        "returnPath": "bounces@example.com",
        "messageId": "<a1b2c3@example.com>",
        "date": "Sat, 14 Mar 2026 09:41:07 +0000",
        "subject": "Order 7",
    }
    raw = {"Records": [{"ses": {"mail": {"commonHeaders": headers}}}]}
    event = typed_roundtrip(raw, SimpleEmailEvent)
    common = event.records[0].ses.mail.common_headers
    assert common.bcc == ["audit@example.org"] and common.sender == ["mailer@example.com"]
    assert common.reply_to == ["support@example.com"]


def test_iam_policy_grammar_beyond_go() -> None:
    raw = {
        "principalId": "user-7",
        "policyDocument": {
            "Version": "2012-10-17",
            "Id": "orders-api-policy",
            "Statement": [
                {
                    "Sid": "AllowReads",
                    "Effect": "Allow",
                    "Action": "execute-api:Invoke",
                    "Resource": [
                        "arn:aws:execute-api:us-west-2:604219873350:w7pq4mz1ke/live/GET/*"
                    ],
                },
                {
                    "Sid": "DenyAllButReads",
                    "Effect": "Deny",
                    "NotAction": ["execute-api:Invoke"],
                    "NotResource": "arn:aws:execute-api:us-west-2:604219873350:w7pq4mz1ke/live/GET/*",
                },
            ],
        },
    }
    response = typed_roundtrip(raw, APIGatewayCustomAuthorizerResponse)
    document = response.policy_document
    assert document.id == "orders-api-policy"
    allow, deny = document.statement
    assert allow.sid == "AllowReads" and deny.not_action == ["execute-api:Invoke"]
    assert deny.not_resource.endswith("/GET/*") and deny.action is None
    built = IAMPolicyDocument.of(IAMPolicyStatement(sid="S1", effect="Deny", not_action="s3:*"))
    assert json.loads(lambdago.encode(built)) == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Sid": "S1", "NotAction": "s3:*"}],
    }


@pytest.mark.parametrize(
    "cls",
    [
        AutoScalingEvent,
        CodeBuildEvent,
        CodeDeployEvent,
        CodePipelineCloudWatchEvent,
        ECRImageActionEvent,
        ECRScanEvent,
        ECSContainerInstanceEvent,
        S3EventBridgeNotificationEvent,
    ],
)
def test_replayed_eventbridge_events_name_the_replay(cls: type) -> None:
    raw = {
        "version": "0",
        "id": "6e2f0b9a-3c4d-4e8f-9a1b-2c3d4e5f6a7b",
        "detail-type": "Some Detail Type",
        "source": "aws.example",
        "account": "604219873350",
        "region": "us-west-2",
        "resources": [],
        "detail": {},
        "replay-name": "orders-replay-2026-03-14",
    }
    event = typed_roundtrip(raw, cls)
    assert event.replay_name == "orders-replay-2026-03-14"
    del raw["replay-name"]
    assert typed_roundtrip(raw, cls).replay_name is None


def test_codepipeline_state_change_details() -> None:
    action = lambdago.decode(
        lambdago.events.sample("codepipeline-action-execution-state-change"),
        CodePipelineCloudWatchEvent,
        strict=True,
    )
    assert action.detail.pipeline_execution_attempt == 1
    assert action.detail.input_artifacts[0]["name"] == "BuildOutput"
    pipeline = lambdago.decode(
        lambdago.events.sample("codepipeline-pipeline-execution-state-change"),
        CodePipelineCloudWatchEvent,
        strict=True,
    )
    assert pipeline.detail.execution_trigger["trigger-type"] == "Webhook"


def test_ecs_attribute_values_and_function_url_iam_caller() -> None:
    ecs = lambdago.decode(
        lambdago.events.sample("ecs-container-instance-state-change"),
        ECSContainerInstanceEvent,
        strict=True,
    )
    values = {a.name: a.value for a in ecs.detail.attributes}
    assert values["ecs.os-type"] == "linux"
    assert values["ecs.capability.execution-role-awslogs"] is None
    request = lambdago.decode(
        lambdago.events.sample("function-url-request-iam"), LambdaFunctionURLRequest, strict=True
    )
    iam = request.request_context.authorizer.iam
    assert iam.cognito_identity is None and iam.principal_org_id == "o-4v8q2k1m9z"
    raw = json.loads(lambdago.events.sample("function-url-request-iam"))
    raw["requestContext"]["authorizer"]["iam"]["cognitoIdentity"] = {
        "amr": ["authenticated"],
        "identityId": "us-east-1:4f3e2d1c",
        "identityPoolId": "us-east-1:9a8b7c6d",
    }
    iam = typed_roundtrip(raw, LambdaFunctionURLRequest).request_context.authorizer.iam
    assert iam.cognito_identity.identity_pool_id == "us-east-1:9a8b7c6d"


# Samples whose events carry keys the sender's user chooses, which no class can declare.
_USER_DEFINED_KEYS = {
    # A custom widget's parameters are merged into the event's top level.
    "cloudwatch-dashboard-custom-widget",
    # A data object is one line of the labeling job's input manifest, any keys.
    "sagemaker-ground-truth-pre-human-task-image",
}


@pytest.mark.parametrize("name", sorted(lambdago.events.sample_names()))
def test_every_sample_decodes_strictly_and_comes_back_exactly(name: str) -> None:
    # Every key of every shipped sample is a declared field (so a key AWS sends that a
    # class lacks is noticed), and every sample re-encodes to itself.
    cls = getattr(lambdago.events, lambdago.events.sample_names()[name])
    raw = lambdago.events.sample(name)
    if name in _USER_DEFINED_KEYS:
        with pytest.raises(lambdago.DecodeError, match="unknown field"):
            lambdago.decode(raw, cls, strict=True)
        value = lambdago.decode(raw, cls)
    else:
        value = lambdago.decode(raw, cls, strict=True)
    assert json.loads(lambdago.encode(value)) == json.loads(raw)


def test_function_url_request_as_aws_publishes_it() -> None:
    # AWS's published payload for function URLs carries API Gateway's keys that a URL
    # never fills: pathParameters, stageVariables and requestContext.authentication.
    raw = json.loads(lambdago.events.sample("function-url-request-iam"))
    raw["pathParameters"] = None
    raw["stageVariables"] = None
    raw["requestContext"]["authentication"] = None
    request = typed_roundtrip(raw, LambdaFunctionURLRequest)
    assert request.path_parameters is None and request.stage_variables is None
    assert request.request_context.authentication is None


def test_codepipeline_artifact_credentials_expire() -> None:
    raw = json.loads(lambdago.events.sample("codepipeline-job"))
    credentials = raw["CodePipeline.job"]["data"]["artifactCredentials"]
    credentials["expirationTime"] = 1575493418000
    event = typed_roundtrip(raw, CodePipelineJobEvent)
    expires = event.code_pipeline_job.data.artifact_credentials.expiration_time
    assert expires == datetime.datetime(2019, 12, 4, 21, 3, 38, tzinfo=datetime.UTC)
    event.code_pipeline_job.data.artifact_credentials.expiration_time = expires.replace(year=2020)
    written = json.loads(lambdago.encode(event))["CodePipeline.job"]["data"]
    assert written["artifactCredentials"]["expirationTime"] == 1607115818000


def test_rest_identity_cognito_amr() -> None:
    raw = {"requestContext": {"identity": {"cognitoAmr": None, "sourceIp": "203.0.113.9"}}}
    assert typed_roundtrip(raw, APIGatewayProxyRequest).request_context.identity.cognito_amr is None
    raw["requestContext"]["identity"]["cognitoAmr"] = ["authenticated", "pool"]
    identity = typed_roundtrip(raw, APIGatewayProxyRequest).request_context.identity
    assert identity.cognito_amr == ["authenticated", "pool"]
