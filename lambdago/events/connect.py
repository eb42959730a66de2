"""Amazon Connect: the event a contact flow's "Invoke AWS Lambda function" block sends,
and the flat string map the function returns to the flow."""

from __future__ import annotations

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeAlias

__all__ = [
    "ConnectContactData",
    "ConnectDetails",
    "ConnectEndpoint",
    "ConnectEvent",
    "ConnectQueue",
    "ConnectResponse",
]

SAMPLES = {"connect-contact-flow": "ConnectEvent"}

ConnectResponse: TypeAlias = dict[str, str]
"""What a function returns to the contact flow: string keys and string values, which the
flow reads as ``$.External.<key>`` (nested objects are not allowed)."""


@event
class ConnectEndpoint:
    """A phone number or other address, with its type (``TELEPHONE_NUMBER`` …)."""

    address: str | None = field("Address")
    type: str | None = field("Type")


@event
class ConnectQueue:
    """The queue the contact is in, by name and ARN."""

    name: str | None = field("Name")
    arn: str | None = field("ARN")


@event
class ConnectContactData:
    """The contact the flow is handling: ids, channel, how it started, its endpoints and
    queue, and the contact attributes set so far."""

    attributes: dict[str, str] | None = field("Attributes")
    channel: str | None = field("Channel")
    contact_id: str | None = field("ContactId")
    customer_endpoint: ConnectEndpoint | None = field("CustomerEndpoint")
    initial_contact_id: str | None = field("InitialContactId")
    initiation_method: str | None = field("InitiationMethod")
    previous_contact_id: str | None = field("PreviousContactId")
    queue: ConnectQueue | None = field("Queue")
    system_endpoint: ConnectEndpoint | None = field("SystemEndpoint")
    instance_arn: str | None = field("InstanceARN")


@event
class ConnectDetails:
    """The contact, and the parameters the flow block passes to the function."""

    contact_data: ConnectContactData | None = field("ContactData")
    parameters: dict[str, str] | None = field("Parameters")


@event
class ConnectEvent:
    """What an Amazon Connect contact flow sends when it invokes a function
    (``Name`` is ``ContactFlowEvent``)."""

    details: ConnectDetails | None = field("Details")
    name: str | None = field("Name")
