"""CodeDeploy lifecycle hooks: the sample round-trips and the status call's parameters."""

from __future__ import annotations

import json

import pytest

import lambdago
import lambdago.events
from lambdago.events import (
    CodeDeployLifecycleEventStatusFailed,
    CodeDeployLifecycleEventStatusSucceeded,
    CodeDeployLifecycleHookEvent,
)

RAW = lambdago.events.sample("codedeploy-lifecycle-hook")


def _load() -> CodeDeployLifecycleHookEvent:
    return lambdago.decode(RAW, CodeDeployLifecycleHookEvent)


def test_the_sample_round_trips_and_every_key_is_modelled() -> None:
    assert json.loads(lambdago.encode(_load())) == json.loads(RAW)
    lambdago.decode(RAW, CodeDeployLifecycleHookEvent, strict=True)
    assert _load().deployment_id == "d-7QW2XK9LB"


def test_status_parameters() -> None:
    event = _load()
    execution_id = event.lifecycle_event_hook_execution_id
    assert event.status() == {
        "deploymentId": "d-7QW2XK9LB",
        "lifecycleEventHookExecutionId": execution_id,
        "status": "Succeeded",
    }
    assert event.status(False)["status"] == CodeDeployLifecycleEventStatusFailed == "Failed"
    assert event.status("Succeeded")["status"] == CodeDeployLifecycleEventStatusSucceeded
    assert event.status("Failed")["status"] == "Failed"


def test_status_errors() -> None:
    with pytest.raises(ValueError, match="must be True, False"):
        _load().status("Skipped")
    with pytest.raises(ValueError, match="lacks DeploymentId"):
        CodeDeployLifecycleHookEvent(deployment_id="d-1").status()


def test_a_hook_handler_reports_through_a_client() -> None:
    calls: list[dict[str, str]] = []

    class FakeCodeDeploy:
        def put_lifecycle_event_hook_execution_status(self, **kwargs: str) -> None:
            calls.append(kwargs)

    client = FakeCodeDeploy()

    def handler(event: CodeDeployLifecycleHookEvent) -> None:
        client.put_lifecycle_event_hook_execution_status(**event.status(True))

    assert lambdago.new_handler(handler).invoke(RAW) == b"null"
    assert calls == [_load().status()]
