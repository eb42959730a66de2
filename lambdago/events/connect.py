"""Amazon Connect: the event a contact flow's "Invoke AWS Lambda function" block sends,
and the flat string map the function returns to the flow."""

from __future__ import annotations

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias

__all__ = [
    "ConnectContactData",
    "ConnectCustomerAudio",
    "ConnectDetails",
    "ConnectEndpoint",
    "ConnectEvent",
    "ConnectMediaStreams",
    "ConnectMediaStreamsCustomer",
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
class ConnectCustomerAudio:
    """The customer's audio in a contact's live media stream (Kinesis Video Streams): the
    stream's ARN, the start and stop times (epoch milliseconds, as strings) and the
    fragment numbers where the customer audio starts and stops. aws-lambda-go has no
    such type."""

    start_fragment_number: str | None = field("StartFragmentNumber")
    start_timestamp: str | None = field("StartTimestamp")
    stop_fragment_number: str | None = field("StopFragmentNumber")
    stop_timestamp: str | None = field("StopTimestamp")
    stream_arn: str | None = field("StreamARN")


@event
class ConnectMediaStreamsCustomer:
    """The customer side of a contact's media streams: its ``Audio``. aws-lambda-go has no
    such type."""

    audio: ConnectCustomerAudio | None = field("Audio")


@event
class ConnectMediaStreams:
    """A contact's live media streams, set once a flow has started media streaming:
    the ``Customer`` stream. aws-lambda-go has no such type."""

    customer: ConnectMediaStreamsCustomer | None = field("Customer")


@event
class ConnectContactData:
    """The contact the flow is handling: ids, channel, how it started, its endpoints and
    queue, and the contact attributes set so far.

    Declared here beyond aws-lambda-go's fields: ``MediaStreams`` (the contact's live
    media streaming, once a flow has started it), and the other system attributes Amazon
    Connect puts in a Lambda function's input: ``AwsRegion``, ``CustomerId``,
    ``Description``, ``LanguageCode``, ``Name``, ``RelatedContactId``, and
    ``References``, ``SegmentAttributes`` and ``Tags`` (kept as sent)."""

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
    media_streams: ConnectMediaStreams | None = field("MediaStreams")
    aws_region: str | None = field("AwsRegion")
    customer_id: str | None = field("CustomerId")
    description: str | None = field("Description")
    language_code: str | None = field("LanguageCode")
    name: str | None = field("Name")
    related_contact_id: str | None = field("RelatedContactId")
    references: dict[str, Any] | None = field("References")
    segment_attributes: dict[str, Any] | None = field("SegmentAttributes")
    tags: dict[str, Any] | None = field("Tags")


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
