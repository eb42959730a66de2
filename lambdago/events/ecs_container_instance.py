"""Amazon ECS: the EventBridge event for a change in a container instance's state
(agent connection, status, registered or remaining resources)."""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, event, field

__all__ = [
    "ECSContainerInstanceEvent",
    "ECSContainerInstanceEventAttribute",
    "ECSContainerInstanceEventDetailType",
    "ECSContainerInstanceEventResource",
    "ECSContainerInstanceEventVersionInfo",
]

SAMPLES = {"ecs-container-instance-state-change": "ECSContainerInstanceEvent"}


@event
class ECSContainerInstanceEventAttribute:
    """A capability or custom attribute of the container instance: its ``name`` and, for
    attributes that have one (``ecs.os-type``, ``ecs.instance-type`` …), its ``value``
    (aws-lambda-go lacks ``value``)."""

    name: str | None = field("name")
    value: str | None = field("value")


@event
class ECSContainerInstanceEventResource:
    """A resource of the instance (``CPU``, ``MEMORY``, ``PORTS`` …): an
    ``integerValue`` or a ``stringSetValue`` according to its ``type``. An empty
    ``stringSetValue`` stays ``[]``."""

    name: str | None = field("name")
    type: str | None = field("type")
    integer_value: int | None = field("integerValue")
    string_set_value: list[str | None] | None = field("stringSetValue")


@event
class ECSContainerInstanceEventVersionInfo:
    """Versions of the ECS agent and of Docker on the instance."""

    agent_hash: str | None = field("agentHash")
    agent_version: str | None = field("agentVersion")
    docker_version: str | None = field("dockerVersion")


@event
class ECSContainerInstanceEventDetailType:
    """The container instance as it is after the change: cluster, EC2 instance, status,
    resources, agent versions; ``version`` grows with every change."""

    agent_connected: bool | None = field("agentConnected")
    attributes: list[ECSContainerInstanceEventAttribute] | None = field("attributes")
    cluster_arn: str | None = field("clusterArn")
    container_instance_arn: str | None = field("containerInstanceArn")
    ec2_instance_id: str | None = field("ec2InstanceId")
    registered_resources: list[ECSContainerInstanceEventResource] | None = field(
        "registeredResources"
    )
    remaining_resources: list[ECSContainerInstanceEventResource] | None = field(
        "remainingResources"
    )
    status: str | None = field("status")
    version: int | None = field("version")
    version_info: ECSContainerInstanceEventVersionInfo | None = field("versionInfo")
    updated_at: datetime | None = field("updatedAt", wire=RFC3339)


@event
class ECSContainerInstanceEvent:
    """An ``ECS Container Instance State Change`` event (``source`` ``aws.ecs``), sent
    through EventBridge.

    ``replay-name`` is present only on an event EventBridge replays from an archive
    (aws-lambda-go lacks it)."""

    version: str | None = field("version")
    id: str | None = field("id")
    detail_type: str | None = field("detail-type")
    source: str | None = field("source")
    account: str | None = field("account")
    time: datetime | None = field("time", wire=RFC3339)
    region: str | None = field("region")
    resources: list[str] | None = field("resources")
    detail: ECSContainerInstanceEventDetailType | None = field("detail")
    replay_name: str | None = field("replay-name")
