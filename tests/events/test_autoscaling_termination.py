"""EC2 Auto Scaling custom termination policies: the scale-in request and the answer."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lambdago
from lambdago.events import (
    AutoScalingInstanceMarketOptionOnDemand,
    AutoScalingInstanceMarketOptionSpot,
    AutoScalingScaleInCauseScaleIn,
    AutoScalingScaleInEvent,
    AutoScalingScaleInResponse,
    autoscaling_termination,
)
from lambdago.testing import make_context
from tests.events._exact import roundtrip_sample


@pytest.mark.parametrize("name", sorted(autoscaling_termination.SAMPLES))
def test_samples_round_trip_exactly(name: str) -> None:
    value = roundtrip_sample(name)
    assert isinstance(value, getattr(lambdago.events, autoscaling_termination.SAMPLES[name]))


def test_exports() -> None:
    for name in autoscaling_termination.__all__:
        assert getattr(lambdago.events, name) is getattr(autoscaling_termination, name)


def test_request_fields() -> None:
    event = lambdago.decode(
        lambdago.events.sample("autoscaling-scale-in"), AutoScalingScaleInEvent, strict=True
    )
    assert event.auto_scaling_group_name == "render-workers"
    assert event.cause == AutoScalingScaleInCauseScaleIn
    assert event.has_more_instances is False
    spot, on_demand = event.capacity_to_terminate
    assert (spot.availability_zone, spot.capacity) == ("eu-north-1a", 2)
    assert spot.instance_market_option == AutoScalingInstanceMarketOptionSpot
    assert on_demand.instance_market_option == AutoScalingInstanceMarketOptionOnDemand
    assert event.instance_ids() == [
        "i-0c4f1e8a2b7d93e51",
        "i-07a9d2c4e6f1b3a85",
        "i-0e2b5d8f1a4c7e960",
    ]
    assert event.instances[2].instance_type == "c7g.xlarge"
    assert AutoScalingScaleInEvent().instance_ids() == []


def test_a_handler_answers_with_the_ids_it_allows() -> None:
    busy = {"i-07a9d2c4e6f1b3a85"}

    def handler(event: AutoScalingScaleInEvent) -> AutoScalingScaleInResponse:
        return AutoScalingScaleInResponse.terminate(
            i for i in event.instance_ids() if i not in busy
        )

    out = lambdago.new_handler(handler).invoke(
        lambdago.events.sample("autoscaling-scale-in"), make_context()
    )
    assert json.loads(out) == json.loads(lambdago.events.sample("autoscaling-scale-in-response"))


def test_terminate_checks_its_ids() -> None:
    assert lambdago.encode(AutoScalingScaleInResponse.terminate([])) == b'{"InstanceIDs":[]}'
    assert AutoScalingScaleInResponse.terminate("i-1").instance_ids == ["i-1"]
    with pytest.raises(TypeError, match="instance id must be a str"):
        AutoScalingScaleInResponse.terminate([7])  # type: ignore[list-item]


@given(st.lists(st.text(min_size=1, max_size=24)))
def test_terminate_encodes_exactly_the_given_ids(ids: list[str]) -> None:
    encoded = lambdago.encode(AutoScalingScaleInResponse.terminate(ids))
    assert json.loads(encoded) == {"InstanceIDs": ids}
    assert lambdago.decode(encoded, AutoScalingScaleInResponse).instance_ids == ids
