"""AWS CodeDeploy: the EventBridge events for deployment and instance state changes."""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final, TypeAlias

__all__ = [
    "CodeDeployDeploymentEventDetailType",
    "CodeDeployDeploymentState",
    "CodeDeployDeploymentStateFailure",
    "CodeDeployDeploymentStateReady",
    "CodeDeployDeploymentStateStart",
    "CodeDeployDeploymentStateStop",
    "CodeDeployDeploymentStateSuccess",
    "CodeDeployEvent",
    "CodeDeployEventDetail",
    "CodeDeployEventSource",
    "CodeDeployInstanceEventDetailType",
]

SAMPLES = {
    "codedeploy-deployment-state-change": "CodeDeployEvent",
    "codedeploy-instance-state-change": "CodeDeployEvent",
}

CodeDeployEventSource: Final = "aws.codedeploy"
"""The ``source`` of CodeDeploy's events."""
CodeDeployDeploymentEventDetailType: Final = "CodeDeploy Deployment State-change Notification"
"""The ``detail-type`` of a deployment state change."""
CodeDeployInstanceEventDetailType: Final = "CodeDeploy Instance State-change Notification"
"""The ``detail-type`` of an instance state change."""

CodeDeployDeploymentState: TypeAlias = str
"""A deployment's or instance's state (``START``, ``SUCCESS`` …): a plain string."""

CodeDeployDeploymentStateFailure: Final = "FAILURE"
CodeDeployDeploymentStateReady: Final = "READY"
CodeDeployDeploymentStateStart: Final = "START"
CodeDeployDeploymentStateStop: Final = "STOP"
CodeDeployDeploymentStateSuccess: Final = "SUCCESS"


@event
class CodeDeployEventDetail:
    """The deployment (or, for instance events, the instance) whose state changed, with
    its application and deployment group."""

    instance_group_id: str | None = field("instanceGroupId")
    instance_id: str | None = field("instanceId")
    region: str | None = field("region")
    application: str | None = field("application")
    deployment_id: str | None = field("deploymentId")
    state: CodeDeployDeploymentState | None = field("state")
    deployment_group: str | None = field("deploymentGroup")


@event
class CodeDeployEvent:
    """A CodeDeploy state-change event (``source`` ``aws.codedeploy``) delivered through
    EventBridge: a deployment's or an instance's, told apart by ``detail-type``.

    ``replay-name`` is present only on an event EventBridge replays from an archive
    (aws-lambda-go lacks it)."""

    account_id: str | None = field("account")
    region: str | None = field("region")
    detail_type: str | None = field("detail-type")
    source: str | None = field("source")
    version: str | None = field("version")
    time: datetime | None = field("time", wire=RFC3339)
    id: str | None = field("id")
    resources: list[str] | None = field("resources")
    detail: CodeDeployEventDetail | None = field("detail")
    replay_name: str | None = field("replay-name")

    def is_instance_event(self) -> bool:
        """Whether this is an instance state change (rather than a deployment's)."""
        return self.detail_type == CodeDeployInstanceEventDetailType
