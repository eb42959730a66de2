"""AWS IoT Button: the event the programmable Wi-Fi button sends through AWS IoT to a
Lambda function when it is pressed."""

from __future__ import annotations

from ._base import event, field

__all__ = ["IoTButtonEvent"]

SAMPLES = {"iot-button-click": "IoTButtonEvent"}


@event
class IoTButtonEvent:
    """A button press: the button's serial number, ``SINGLE``, ``DOUBLE`` or ``LONG``,
    and its battery voltage (a string such as ``"2000mV"``)."""

    serial_number: str | None = field("serialNumber")
    click_type: str | None = field("clickType")
    battery_voltage: str | None = field("batteryVoltage")
