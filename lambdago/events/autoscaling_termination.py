"""Amazon EC2 Auto Scaling custom termination policies: the request an Auto Scaling group
sends its termination-policy function when it must remove capacity, and the answer naming
the instances it may terminate.

The group invokes the function directly (not through EventBridge) on a scale-in, an
instance refresh, a maximum instance lifetime or an Availability Zone rebalance
(``Cause``). The request says how much capacity to remove in which zone and market
(``CapacityToTerminate``) and which instances the group would pick (``Instances``); the
function answers with the ids it agrees to terminate, possibly fewer or none::

    def handler(event: AutoScalingScaleInEvent) -> AutoScalingScaleInResponse:
        idle = [i.instance_id for i in event.instances or [] if not busy(i.instance_id)]
        return AutoScalingScaleInResponse.terminate(idle)

aws-lambda-go has no type for this source; the names follow its style.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "AutoScalingCapacityToTerminate",
    "AutoScalingInstanceMarketOptionOnDemand",
    "AutoScalingInstanceMarketOptionSpot",
    "AutoScalingScaleInCauseInstanceRefresh",
    "AutoScalingScaleInCauseMaxInstanceLifetime",
    "AutoScalingScaleInCauseRebalance",
    "AutoScalingScaleInCauseScaleIn",
    "AutoScalingScaleInEvent",
    "AutoScalingScaleInInstance",
    "AutoScalingScaleInResponse",
]

SAMPLES = {
    "autoscaling-scale-in": "AutoScalingScaleInEvent",
    "autoscaling-scale-in-response": "AutoScalingScaleInResponse",
}

AutoScalingScaleInCauseScaleIn: Final = "SCALE_IN"
"""``Cause``: the group's desired capacity went down."""
AutoScalingScaleInCauseInstanceRefresh: Final = "INSTANCE_REFRESH"
"""``Cause``: an instance refresh replaces instances."""
AutoScalingScaleInCauseMaxInstanceLifetime: Final = "MAX_INSTANCE_LIFETIME"
"""``Cause``: instances reached the group's maximum instance lifetime."""
AutoScalingScaleInCauseRebalance: Final = "REBALANCE"
"""``Cause``: the group rebalances its instances across Availability Zones."""

AutoScalingInstanceMarketOptionOnDemand: Final = "on-demand"
"""``InstanceMarketOption`` of an On-Demand Instance."""
AutoScalingInstanceMarketOptionSpot: Final = "spot"
"""``InstanceMarketOption`` of a Spot Instance."""


@event
class AutoScalingCapacityToTerminate:
    """How much capacity (``Capacity``, in instances or the group's capacity units) the
    group must remove in one Availability Zone, from On-Demand or Spot instances
    (``InstanceMarketOption``)."""

    availability_zone: str | None = field("AvailabilityZone")
    capacity: int | None = field("Capacity")
    instance_market_option: str | None = field("InstanceMarketOption")


@event
class AutoScalingScaleInInstance:
    """One instance the group suggests terminating: its id, type, Availability Zone and
    market (``on-demand`` or ``spot``)."""

    availability_zone: str | None = field("AvailabilityZone")
    instance_id: str | None = field("InstanceId")
    instance_type: str | None = field("InstanceType")
    instance_market_option: str | None = field("InstanceMarketOption")


@event
class AutoScalingScaleInEvent:
    """The request of an EC2 Auto Scaling group to its custom termination policy function:
    the group, the capacity to remove per zone and market, the instances the group would
    terminate, and why (``Cause``: ``SCALE_IN``, ``INSTANCE_REFRESH``,
    ``MAX_INSTANCE_LIFETIME`` or ``REBALANCE``). ``HasMoreInstances`` is true when the
    group holds more candidates than the request lists."""

    auto_scaling_group_arn: str | None = field("AutoScalingGroupARN")
    auto_scaling_group_name: str | None = field("AutoScalingGroupName")
    capacity_to_terminate: list[AutoScalingCapacityToTerminate] | None = field(
        "CapacityToTerminate"
    )
    instances: list[AutoScalingScaleInInstance] | None = field("Instances")
    cause: str | None = field("Cause")
    has_more_instances: bool | None = field("HasMoreInstances")

    def instance_ids(self) -> list[str]:
        """The ids of the suggested instances, in the order the group listed them."""
        return [i.instance_id for i in self.instances or [] if i.instance_id]


@event
class AutoScalingScaleInResponse:
    """The termination policy's answer: the ids of the instances the group may terminate
    (``InstanceIDs``). An empty list lets the group terminate none of them now."""

    instance_ids: list[str] | None = field("InstanceIDs")

    @classmethod
    def terminate(cls, instance_ids: Iterable[str]) -> AutoScalingScaleInResponse:
        """The answer allowing ``instance_ids`` (an empty iterable allows none)."""
        ids = [instance_ids] if isinstance(instance_ids, str) else list(instance_ids)
        for instance_id in ids:
            if not isinstance(instance_id, str):
                raise TypeError(f"an instance id must be a str, got {instance_id!r}")
        return cls(instance_ids=ids)
