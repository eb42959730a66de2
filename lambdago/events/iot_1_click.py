"""AWS IoT 1-Click: the event a placement's Lambda action receives when one of its
devices (such as a button) is clicked."""

from __future__ import annotations

from ._base import event, field

__all__ = [
    "IoTOneClickButtonClicked",
    "IoTOneClickDeviceEvent",
    "IoTOneClickDeviceInfo",
    "IoTOneClickEvent",
    "IoTOneClickPlacementInfo",
]

SAMPLES = {"iot-1-click-button": "IoTOneClickEvent"}


@event
class IoTOneClickButtonClicked:
    """The click: ``SINGLE``, ``DOUBLE`` or ``LONG``, and when the device reported it (an
    ISO 8601 string, kept as sent)."""

    click_type: str | None = field("clickType")
    reported_time: str | None = field("reportedTime")


@event
class IoTOneClickDeviceEvent:
    """What the device did."""

    button_clicked: IoTOneClickButtonClicked | None = field("buttonClicked")


@event
class IoTOneClickDeviceInfo:
    """The device: its id, type, custom attributes, and remaining battery life (0 to
    1)."""

    attributes: dict[str, str] | None = field("attributes")
    type: str | None = field("type")
    device_id: str | None = field("deviceId")
    remaining_life: float | None = field("remainingLife")


@event
class IoTOneClickPlacementInfo:
    """The project and placement the device belongs to, the placement's attributes, and
    its devices by template name."""

    project_name: str | None = field("projectName")
    placement_name: str | None = field("placementName")
    attributes: dict[str, str] | None = field("attributes")
    devices: dict[str, str] | None = field("devices")


@event
class IoTOneClickEvent:
    """What AWS IoT 1-Click sends when a device in a placement is used."""

    device_event: IoTOneClickDeviceEvent | None = field("deviceEvent")
    device_info: IoTOneClickDeviceInfo | None = field("deviceInfo")
    placement_info: IoTOneClickPlacementInfo | None = field("placementInfo")
