"""Step Functions execution status changes delivered through EventBridge."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

import pytest

import lambdago
from lambdago.events import (
    CloudWatchEvent,
    StepFunctionsExecutionStatusChangeDetail,
    StepFunctionsExecutionStatusChangeDetailType,
    StepFunctionsExecutionStatusChangeEvent,
    StepFunctionsExecutionStatusFailed,
    StepFunctionsExecutionStatusSucceeded,
    stepfunctions_status,
)
from tests.events._exact import roundtrip_sample


@dataclass
class Item:
    sku: str
    quantity: int


@dataclass
class Order:
    orderId: str  # the execution's own JSON key
    items: list[Item]


@pytest.mark.parametrize("name", sorted(stepfunctions_status.SAMPLES))
def test_samples_round_trip_exactly(name: str) -> None:
    value = roundtrip_sample(name)
    assert isinstance(value, getattr(lambdago.events, stepfunctions_status.SAMPLES[name]))


def test_exports() -> None:
    for name in stepfunctions_status.__all__:
        assert getattr(lambdago.events, name) is getattr(stepfunctions_status, name)


def test_failed_execution() -> None:
    event = lambdago.decode(
        lambdago.events.sample("stepfunctions-execution-failed"),
        StepFunctionsExecutionStatusChangeEvent,
        strict=True,
    )
    assert event.detail_type == StepFunctionsExecutionStatusChangeDetailType
    detail = event.detail
    assert detail.status == StepFunctionsExecutionStatusFailed
    utc = datetime.UTC
    assert detail.start_date == datetime.datetime(2026, 5, 21, 6, 48, 9, 415000, tzinfo=utc)
    assert detail.stop_date - detail.start_date == datetime.timedelta(milliseconds=2772)
    assert detail.redrive_date is None and detail.redrive_count == 0
    assert detail.error == "States.TaskFailed"
    assert json.loads(detail.cause)["errorType"] == "WarehouseError"
    assert detail.decode_input(Order) == Order("88213", [Item("LAMP-07", 1)])
    with pytest.raises(ValueError, match="does not include the execution's output"):
        detail.decode_output()


def test_succeeded_execution_output() -> None:
    event = lambdago.decode(
        lambdago.events.sample("stepfunctions-execution-succeeded"),
        StepFunctionsExecutionStatusChangeEvent,
        strict=True,
    )
    detail = event.detail
    assert detail.status == StepFunctionsExecutionStatusSucceeded
    assert detail.decode_output() == {"orderId": "88214", "shipment": "SHP-40917"}
    assert detail.output_details.included is True
    assert detail.state_machine_alias_arn.endswith(":live")
    with pytest.raises(lambdago.DecodeError, match="orderId: expected int, got str"):
        detail.decode_input(dict[str, int])


def test_as_the_detail_of_a_generic_eventbridge_event() -> None:
    raw = lambdago.events.sample("stepfunctions-execution-failed")
    generic = lambdago.decode(raw, CloudWatchEvent)
    detail = generic.decode_detail(StepFunctionsExecutionStatusChangeDetail, strict=True)
    assert detail.name == "order-88213-attempt-1"
    assert json.loads(lambdago.encode(generic)) == json.loads(raw)


def test_a_changed_stop_date_is_written_in_milliseconds() -> None:
    raw = lambdago.events.sample("stepfunctions-execution-succeeded")
    event = lambdago.decode(raw, StepFunctionsExecutionStatusChangeEvent)
    event.detail.stop_date = event.detail.start_date + datetime.timedelta(seconds=1)
    written = json.loads(lambdago.encode(event))["detail"]
    assert written["stopDate"] == written["startDate"] + 1000
