"""CodeCommit, CodeDeploy, Config, Connect, Auto Scaling, Chime bots, ECR, ECS, IoT 1-Click,
IoT button, IoT pre-provisioning hooks, Lex and Secrets Manager rotation."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago.events import (
    AutoScalingEvent,
    ChimeBotEvent,
    CodeCommitEvent,
    CodeCommitEventTime,
    CodeDeployEvent,
    ConfigEvent,
    ConnectEvent,
    ConnectResponse,
    ECRImageActionEvent,
    ECRScanEvent,
    ECSContainerInstanceEvent,
    IoTButtonEvent,
    IoTOneClickEvent,
    IoTPreProvisionHookRequest,
    IoTPreProvisionHookResponse,
    LexEvent,
    LexResponse,
    SecretsManagerSecretRotationEvent,
)
from lambdago.events._base import event, field
from lambdago.events._index import SAMPLES as INDEX_SAMPLES
from tests.conftest import json_diff
from tests.events._exact import typed_roundtrip

MODULES = {
    "autoscaling",
    "chime_bot",
    "code_commit",
    "codedeploy",
    "config",
    "connect",
    "ecr_image_action",
    "ecr_scan",
    "ecs_container_instance",
    "iot_1_click",
    "iot_button",
    "iot_preprovision_hook",
    "lex",
    "secretsmanager",
}
MISC_SAMPLES = sorted(name for name, (module, _t) in INDEX_SAMPLES.items() if module in MODULES)


def _load(name: str, cls: type[Any]) -> Any:
    return lambdago.decode(lambdago.events.sample(name), cls)


def _json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def test_every_module_has_samples() -> None:
    assert {INDEX_SAMPLES[name][0] for name in MISC_SAMPLES} == MODULES


@pytest.mark.parametrize("name", MISC_SAMPLES)
def test_samples_round_trip(name: str) -> None:
    cls = getattr(lambdago.events, INDEX_SAMPLES[name][1])
    raw = lambdago.events.sample(name)
    assert not json_diff(_json(lambdago.decode(raw, cls)), json.loads(raw))


# -- CodeCommit -----------------------------------------------------------------------------


@event
class TimeProbe:
    """A test-only class using CodeCommit's time wire."""

    at: dt.datetime | None = field("at", wire=CodeCommitEventTime)


def test_codecommit_sample() -> None:
    ev = _load("codecommit-push", CodeCommitEvent)
    assert ev.records is not None
    record = ev.records[0]
    assert record.event_time == dt.datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=dt.UTC)
    assert record.code_commit is not None
    refs = record.code_commit.references or []
    assert [(r.ref, r.created) for r in refs] == [
        ("refs/heads/main", None),
        ("refs/tags/v2.4.0", True),
    ]
    assert record.custom_data == "notify-release-channel"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2018-01-26T15:58:33.475+0000",
            dt.datetime(2018, 1, 26, 15, 58, 33, 475000, tzinfo=dt.UTC),
        ),
        (
            "2025-03-4T07:00:00.000-0530",
            dt.datetime(2025, 3, 4, 7, 0, tzinfo=dt.timezone(-dt.timedelta(hours=5, minutes=30))),
        ),
    ],
)
def test_codecommit_times(text: str, expected: dt.datetime) -> None:
    probe: TimeProbe = lambdago.decode(json.dumps({"at": text}), TimeProbe)
    assert probe.at == expected
    assert probe.at is not None
    assert probe.at.utcoffset() == expected.utcoffset()
    assert _json(probe) == {"at": text}, "an unchanged value keeps its spelling"


def test_codecommit_times_are_written_in_codecommits_layout() -> None:
    probe = TimeProbe()
    probe.at = dt.datetime(2025, 3, 4, 7, 0, 1, 999999, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert _json(probe) == {"at": "2025-03-04T07:00:01.999+0200"}
    probe.at = dt.datetime(2025, 3, 4, 7, 0, 1)
    assert _json(probe) == {"at": "2025-03-04T07:00:01.000+0000"}


@pytest.mark.parametrize(
    "text",
    [
        "2018-01-26T15:58:33Z",
        "2018-01-26T15:58:33.475Z",
        "2018-01-26T15:58:33.475+00:00",
        "2018-01-26T15:58:33.4750+0000",
        "2018-13-26T15:58:33.475+0000",
        "2018-01-26T15:58:33.475+2500",
        "",
    ],
)
def test_bad_codecommit_times(text: str) -> None:
    with pytest.raises(lambdago.DecodeError, match=r"^at: invalid CodeCommit event time"):
        lambdago.decode(json.dumps({"at": text}), TimeProbe)


def test_codecommit_time_must_be_a_string() -> None:
    with pytest.raises(
        lambdago.DecodeError, match=r"^at: expected str \(a CodeCommit event time\)"
    ):
        lambdago.decode(b'{"at": 1516982313}', TimeProbe)


@given(
    st.datetimes(
        min_value=dt.datetime(1000, 1, 1),
        max_value=dt.datetime(9998, 12, 31),
        timezones=st.integers(min_value=-14 * 60, max_value=14 * 60).map(
            lambda m: dt.timezone(dt.timedelta(minutes=m))
        ),
    )
)
def test_codecommit_times_round_trip_to_the_millisecond(value: dt.datetime) -> None:
    probe = TimeProbe()
    probe.at = value
    again: TimeProbe = lambdago.decode(lambdago.encode(probe), TimeProbe)
    assert again.at == value.replace(microsecond=value.microsecond // 1000 * 1000)
    assert again.at is not None
    assert again.at.utcoffset() == value.utcoffset()


# -- CodeDeploy -----------------------------------------------------------------------------


def test_codedeploy_events() -> None:
    deployment = _load("codedeploy-deployment-state-change", CodeDeployEvent)
    instance = _load("codedeploy-instance-state-change", CodeDeployEvent)
    assert not deployment.is_instance_event()
    assert instance.is_instance_event()
    assert deployment.detail_type == lambdago.events.CodeDeployDeploymentEventDetailType
    assert deployment.detail.state == lambdago.events.CodeDeployDeploymentStateSuccess
    assert deployment.detail.instance_id is None
    assert instance.detail.instance_id == "i-0a1b2c3d4e5f67890"
    assert instance.time == dt.datetime(2025, 9, 22, 18, 37, 51, tzinfo=dt.UTC)


# -- Config ---------------------------------------------------------------------------------


def test_config_event_documents() -> None:
    ev = _load("config-rule-change-triggered", ConfigEvent)
    invoking = ev.decode_invoking_event()
    assert invoking["messageType"] == "ConfigurationItemChangeNotification"
    assert invoking["configurationItem"]["resourceType"] == "AWS::S3::Bucket"
    assert ev.decode_rule_parameters(dict[str, str]) == {"requiredTagKey": "team"}
    assert ev.event_left_scope is False
    assert _json(ev)["evaluationMode"] == "DETECTIVE"


def test_config_event_documents_missing_or_malformed() -> None:
    ev = ConfigEvent()
    with pytest.raises(ValueError, match="no invokingEvent"):
        ev.decode_invoking_event()
    with pytest.raises(ValueError, match="no ruleParameters"):
        ev.decode_rule_parameters()
    ev.rule_parameters = "{not json"
    with pytest.raises(lambdago.DecodeError):
        ev.decode_rule_parameters()


# -- Connect --------------------------------------------------------------------------------


def test_connect_event_and_response() -> None:
    ev = _load("connect-contact-flow", ConnectEvent)
    assert ev.name == "ContactFlowEvent"
    data = ev.details.contact_data
    assert data.customer_endpoint.address == "+4915112345678"
    assert data.queue.name == "BillingSupport"
    assert ev.details.parameters == {"lookupBy": "phone"}
    assert _json(ev)["Details"]["ContactData"]["AwsRegion"] == "eu-central-1"
    assert ConnectResponse == dict[str, str]
    response: ConnectResponse = {"accountStatus": "active", "balance": "12.50"}
    assert lambdago.decode(lambdago.encode(response), ConnectResponse) == response
    with pytest.raises(lambdago.DecodeError, match="balance: expected str"):
        lambdago.decode(b'{"balance": 12.5}', ConnectResponse)


# -- Auto Scaling, Chime, ECR, ECS ------------------------------------------------------------


def test_autoscaling_events() -> None:
    launch = _load("autoscaling-launch-successful", AutoScalingEvent)
    hook = _load("autoscaling-lifecycle-action", AutoScalingEvent)
    assert launch.detail_type == "EC2 Instance Launch Successful"
    assert launch.detail["EC2InstanceId"] == "i-0f1e2d3c4b5a69788"
    assert hook.detail["LifecycleTransition"] == "autoscaling:EC2_INSTANCE_TERMINATING"
    assert hook.time == dt.datetime(2025, 2, 17, 19, 2, 10, tzinfo=dt.UTC)


def test_chime_bot_event() -> None:
    ev = _load("chime-bot-mention", ChimeBotEvent)
    assert ev.event_type == "Mention"
    assert ev.sender.sender_id_type == "EntityArn"
    assert ev.discussion.discussion_type == "Room"
    assert ev.inbound_https_endpoint.url.startswith("https://hooks.chime.aws/")
    assert ev.event_timestamp == dt.datetime(2025, 5, 20, 13, 7, 42, 118000, tzinfo=dt.UTC)


def test_ecr_events() -> None:
    push = _load("ecr-image-push", ECRImageActionEvent)
    assert (push.detail.action_type, push.detail.result) == ("PUSH", "SUCCESS")
    assert push.resources == []
    scan = _load("ecr-image-scan", ECRScanEvent)
    counts = scan.detail.finding_severity_counts
    assert (counts.high, counts.medium, counts.critical) == (1, 4, None)
    assert scan.time == "2025-07-09T10:15:02Z"
    assert _json(scan)["detail"]["finding-severity-counts"] == {
        "HIGH": 1,
        "MEDIUM": 4,
        "LOW": 9,
        "INFORMATIONAL": 2,
    }


def test_ecs_container_instance_event() -> None:
    ev = _load("ecs-container-instance-state-change", ECSContainerInstanceEvent)
    detail = ev.detail
    assert detail.status == "DRAINING"
    assert detail.version == 27
    assert detail.updated_at == dt.datetime(2025, 8, 28, 22, 13, 45, 602000, tzinfo=dt.UTC)
    by_name = {r.name: r for r in detail.registered_resources}
    assert by_name["CPU"].integer_value == 2048
    assert by_name["PORTS"].string_set_value == ["22", "2375", "2376", "51678", "51679"]
    assert by_name["PORTS_UDP"].string_set_value == []
    out = _json(ev)
    assert out["detail"]["registeredResources"][3] == {
        "name": "PORTS_UDP",
        "type": "STRINGSET",
        "stringSetValue": [],
    }
    assert out["detail"]["attributes"][2] == {"name": "ecs.os-type", "value": "linux"}


# -- IoT ------------------------------------------------------------------------------------


def test_iot_events() -> None:
    click = _load("iot-1-click-button", IoTOneClickEvent)
    assert click.device_event.button_clicked.click_type == "DOUBLE"
    assert click.device_info.remaining_life == 87.5
    assert click.placement_info.devices == {"callButton": "G030PM0412345678"}
    button = _load("iot-button-click", IoTButtonEvent)
    assert (button.click_type, button.battery_voltage) == ("LONG", "1725mV")


def test_iot_preprovision_hook() -> None:
    request = _load("iot-preprovision-hook-request", IoTPreProvisionHookRequest)
    assert request.parameters["SerialNumber"] == "TX4-00172"
    assert request.certificate_pem.startswith("-----BEGIN CERTIFICATE-----\n")
    assert _json(IoTPreProvisionHookResponse.allow()) == {"allowProvisioning": True}
    assert _json(IoTPreProvisionHookResponse.allow({"Site": "dublin-warehouse-2"})) == {
        "allowProvisioning": True,
        "parameterOverrides": {"Site": "dublin-warehouse-2"},
    }
    assert _json(IoTPreProvisionHookResponse.deny()) == {"allowProvisioning": False}
    with pytest.raises(TypeError, match="strings to strings"):
        IoTPreProvisionHookResponse.allow({"Floor": 3})  # type: ignore[dict-item]
    response = _load("iot-preprovision-hook-response", IoTPreProvisionHookResponse)
    assert response.allow_provisioning is True


# -- Lex, Secrets Manager ---------------------------------------------------------------------


def test_lex_event() -> None:
    ev = _load("lex-order-flowers", LexEvent)
    intent = ev.current_intent
    assert intent.slots == {"FlowerType": "tulips", "PickupDate": "2025-04-12", "PickupTime": None}
    assert intent.slot_details["FlowerType"].resolutions == [{"value": "tulips"}]
    assert intent.slot_details["PickupTime"].original_value is None
    assert intent.nlu_intent_confidence_score == 0.92
    assert ev.alternative_intents[0].nlu_intent_confidence_score is None
    assert ev.bot.alias == "prod"
    assert ev.session_attributes == {"customerTier": "gold"}
    assert "recentIntentSummaryView" in _json(ev)


def test_lex_response_built_in_code() -> None:
    response = LexResponse()
    response.session_attributes = {"step": "2"}
    action = lambdago.events.LexDialogAction()
    action.type = "ElicitSlot"
    action.intent_name = "OrderFlowers"
    action.slots = {"FlowerType": "roses", "PickupDate": None}
    action.slot_to_elicit = "PickupDate"
    action.message = {"contentType": "PlainText", "content": "When would you like them?"}
    response.dialog_action = action
    assert _json(response) == {
        "sessionAttributes": {"step": "2"},
        "dialogAction": {
            "type": "ElicitSlot",
            "message": {"contentType": "PlainText", "content": "When would you like them?"},
            "intentName": "OrderFlowers",
            "slots": {"FlowerType": "roses", "PickupDate": None},
            "slotToElicit": "PickupDate",
        },
    }
    closing = _load("lex-close-response", LexResponse)
    assert closing.dialog_action.fulfillment_state == "Fulfilled"


def test_lex_slots_are_strings_or_null() -> None:
    # Lex sends slot values as strings; a number or boolean (as hand-written test events
    # have) is read as the string Lex would send.
    ev = lambdago.decode(b'{"currentIntent": {"slots": {"N": 3, "B": true, "X": null}}}', LexEvent)
    assert ev.current_intent.slots == {"N": "3", "B": "true", "X": None}
    with pytest.raises(lambdago.DecodeError, match=r"currentIntent\.slots\.Count: expected str"):
        lambdago.decode(b'{"currentIntent": {"slots": {"Count": [3]}}}', LexEvent)
    with pytest.raises(lambdago.DecodeError, match=r"currentIntent\.slots: expected object"):
        lambdago.decode(b'{"currentIntent": {"slots": []}}', LexEvent)


def test_secrets_manager_rotation() -> None:
    ev = _load("secretsmanager-rotation", SecretsManagerSecretRotationEvent)
    assert ev.step == lambdago.events.SecretsManagerStepCreateSecret
    assert ev.secret_id.endswith(":secret:prod/orders-db-AbC123")
    assert ev.client_request_token == "9e8f7a6b-5c4d-4e3f-a2b1-c0d9e8f7a6b5"
    steps = [
        lambdago.events.SecretsManagerStepCreateSecret,
        lambdago.events.SecretsManagerStepSetSecret,
        lambdago.events.SecretsManagerStepTestSecret,
        lambdago.events.SecretsManagerStepFinishSecret,
    ]
    assert steps == ["createSecret", "setSecret", "testSecret", "finishSecret"]


# -- fields AWS sends that aws-lambda-go lacks ---------------------------------------------


def test_config_evaluation_mode() -> None:
    raw = {
        "version": "1.0",
        "invokingEvent": json.dumps({"messageType": "ScheduledNotification"}),
        "ruleParameters": "{}",
        "resultToken": "eyJlbmNyeXB0ZWREYXRhIjpbMSwyLDNdfQ==",
        "eventLeftScope": False,
        "executionRoleArn": "arn:aws:iam::123456789012:role/service-role/config-role",
        "configRuleArn": "arn:aws:config:us-east-1:123456789012:config-rule/config-rule-8fzq2w",
        "configRuleName": "tagged-buckets",
        "configRuleId": "config-rule-8fzq2w",
        "accountId": "123456789012",
        "evaluationMode": "DETECTIVE",
    }
    event = typed_roundtrip(raw, ConfigEvent)
    assert event.evaluation_mode == "DETECTIVE"


def test_connect_media_streams() -> None:
    instance = (
        "arn:aws:connect:eu-west-2:123456789012:instance/2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2e"
    )
    raw = {
        "Details": {
            "ContactData": {
                "Attributes": {},
                "Channel": "VOICE",
                "ContactId": "7e6d5c4b-3a29-4f18-8e07-d6c5b4a39281",
                "CustomerEndpoint": {"Address": "+447700900123", "Type": "TELEPHONE_NUMBER"},
                "InitialContactId": "7e6d5c4b-3a29-4f18-8e07-d6c5b4a39281",
                "InitiationMethod": "INBOUND",
                "InstanceARN": instance,
                "MediaStreams": {
                    "Customer": {
                        "Audio": {
                            "StartFragmentNumber": "91343852333181432392682062630547298453214805122",
                            "StartTimestamp": "1733390011874",
                            "StopTimestamp": "1733390102311",
                            "StreamARN": "arn:aws:kinesisvideo:eu-west-2:123456789012:stream/"
                            "connect-contact-7e6d5c4b/1733390011000",
                        }
                    }
                },
                "PreviousContactId": "7e6d5c4b-3a29-4f18-8e07-d6c5b4a39281",
                "Queue": None,
                "SystemEndpoint": {"Address": "+442071838750", "Type": "TELEPHONE_NUMBER"},
            },
            "Parameters": {},
        },
        "Name": "ContactFlowEvent",
    }
    event = typed_roundtrip(raw, ConnectEvent)
    audio = event.details.contact_data.media_streams.customer.audio
    assert audio == lambdago.events.ConnectCustomerAudio(
        start_fragment_number="91343852333181432392682062630547298453214805122",
        start_timestamp="1733390011874",
        stop_timestamp="1733390102311",
        stream_arn="arn:aws:kinesisvideo:eu-west-2:123456789012:stream/"
        "connect-contact-7e6d5c4b/1733390011000",
    )


_LEX_SUMMARY = {
    "intentName": "BookHotel",
    "checkpointLabel": "before-payment",
    "slots": {"City": "Lisbon", "Nights": None},
    "confirmationStatus": "None",
    "dialogActionType": "ElicitSlot",
    "fulfillmentState": None,
    "slotToElicit": "Nights",
}
_LEX_CONTEXT = {
    "timeToLive": {"timeToLiveInSeconds": 600, "turnsToLive": 4},
    "name": "hotel-booked",
    "parameters": {"bookingRef": "LIS-88213"},
}


def test_lex_event_recent_intents_sentiment_kendra_contexts() -> None:
    raw = {
        "messageVersion": "1.0",
        "invocationSource": "DialogCodeHook",
        "userId": "u-3f9a1c",
        "inputTranscript": "two nights please",
        "sessionAttributes": {},
        "requestAttributes": None,
        "bot": {"name": "TravelBot", "alias": "prod", "version": "7"},
        "outputDialogMode": "Text",
        "currentIntent": {
            "name": "BookHotel",
            "nluIntentConfidenceScore": 0.91,
            "slots": {"City": "Lisbon", "Nights": "2"},
            "slotDetails": {},
            "confirmationStatus": "None",
        },
        "alternativeIntents": [],
        "recentIntentSummaryView": [_LEX_SUMMARY],
        "sentimentResponse": {
            "sentimentLabel": "NEUTRAL",
            "sentimentScore": "{Positive: 0.08,Negative: 0.02,Neutral: 0.89,Mixed: 0.01}",
        },
        "kendraResponse": {"QueryId": "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", "ResultItems": []},
        "activeContexts": [_LEX_CONTEXT],
    }
    event = typed_roundtrip(raw, LexEvent)
    summary = event.recent_intent_summary_view[0]
    assert (summary.intent_name, summary.slots) == ("BookHotel", {"City": "Lisbon", "Nights": None})
    assert event.sentiment_response.sentiment_label == "NEUTRAL"
    assert event.kendra_response["ResultItems"] == []
    context = event.active_contexts[0]
    assert context.name == "hotel-booked"
    assert context.time_to_live.turns_to_live == 4


def test_lex_response_recent_intents_and_contexts() -> None:
    raw = {
        "sessionAttributes": {"currency": "EUR"},
        "recentIntentSummaryView": [_LEX_SUMMARY],
        "activeContexts": [_LEX_CONTEXT],
        "dialogAction": {"type": "Delegate", "slots": {"City": "Lisbon", "Nights": "2"}},
    }
    response = typed_roundtrip(raw, lambdago.events.LexResponse)
    assert response.active_contexts[0].time_to_live.time_to_live_in_seconds == 600
    assert response.recent_intent_summary_view[0].slot_to_elicit == "Nights"
