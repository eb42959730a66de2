"""Amazon Kinesis Data Analytics (SQL applications) with a Lambda function as output: the
batch of result records the application delivers, and the per-record delivery status the
function returns."""

from __future__ import annotations

from ._base import BASE64, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "KinesisAnalyticsOutputDeliveryEvent",
    "KinesisAnalyticsOutputDeliveryEventRecord",
    "KinesisAnalyticsOutputDeliveryFailed",
    "KinesisAnalyticsOutputDeliveryOK",
    "KinesisAnalyticsOutputDeliveryRecordMetadata",
    "KinesisAnalyticsOutputDeliveryResponse",
    "KinesisAnalyticsOutputDeliveryResponseRecord",
]

SAMPLES = {"kinesis-analytics-output": "KinesisAnalyticsOutputDeliveryEvent"}

KinesisAnalyticsOutputDeliveryOK: Final = "Ok"
"""``result`` of a record the function delivered."""
KinesisAnalyticsOutputDeliveryFailed: Final = "DeliveryFailed"
"""``result`` of a record the function could not deliver (the application retries it)."""


@event
class KinesisAnalyticsOutputDeliveryRecordMetadata:
    """Delivery metadata of one output record (``lambdaDeliveryRecordMetadata``, which
    aws-lambda-go does not declare): ``retryHint`` counts the earlier attempts to deliver
    it."""

    retry_hint: int | None = field("retryHint")


@event
class KinesisAnalyticsOutputDeliveryEventRecord:
    """One output record of the application: its id (to echo in the response), its delivery
    metadata and its data (base64 in JSON, ``bytes`` here)."""

    record_id: str | None = field("recordId")
    lambda_delivery_record_metadata: KinesisAnalyticsOutputDeliveryRecordMetadata | None = field(
        "lambdaDeliveryRecordMetadata"
    )
    data: bytes | None = field("data", wire=BASE64)

    def decode_data(self, type: Any = object, **options: Any) -> Any:
        """The data decoded as JSON into ``type`` (``lambdago.decode`` options apply)."""
        from ..codec import decode

        if self.data is None:
            raise ValueError("this record has no data")
        return decode(self.data, type, **options)

    def ok(self) -> KinesisAnalyticsOutputDeliveryResponseRecord:
        """The response record saying this record was delivered."""
        return KinesisAnalyticsOutputDeliveryResponseRecord(
            record_id=self.record_id, result=KinesisAnalyticsOutputDeliveryOK
        )

    def delivery_failed(self) -> KinesisAnalyticsOutputDeliveryResponseRecord:
        """The response record saying this record could not be delivered."""
        return KinesisAnalyticsOutputDeliveryResponseRecord(
            record_id=self.record_id, result=KinesisAnalyticsOutputDeliveryFailed
        )


@event
class KinesisAnalyticsOutputDeliveryEvent:
    """The event a Kinesis Data Analytics application sends to a Lambda output destination:
    a batch of the application's output records."""

    invocation_id: str | None = field("invocationId")
    application_arn: str | None = field("applicationArn")
    records: list[KinesisAnalyticsOutputDeliveryEventRecord] | None = field("records")


@event
class KinesisAnalyticsOutputDeliveryResponseRecord:
    """The delivery status of one record, read by Kinesis Data Analytics: ``Ok`` or
    ``DeliveryFailed``."""

    record_id: str | None = field("recordId")
    result: str | None = field("result")


@event
class KinesisAnalyticsOutputDeliveryResponse:
    """What a Lambda output destination returns: one status per delivered record."""

    records: list[KinesisAnalyticsOutputDeliveryResponseRecord] | None = field("records")
