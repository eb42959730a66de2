"""Amazon SNS: the notifications a topic delivers to a subscribed function, and the
CloudWatch alarm state change a topic carries as its message."""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CloudWatchAlarmSNSPayload",
    "CloudWatchAlarmTrigger",
    "CloudWatchDimension",
    "CloudWatchMetric",
    "CloudWatchMetricDataQuery",
    "CloudWatchMetricStat",
    "SNSEntity",
    "SNSEvent",
    "SNSEventRecord",
]

SAMPLES = {"sns": "SNSEvent", "sns-cloudwatch-alarm": "SNSEvent"}


@event
class SNSEntity:
    """One notification as SNS delivers it: the published ``Message`` (a string, often
    JSON), its ``Subject``, topic, signature and message attributes.

    ``MessageAttributes`` maps each attribute name to an object with ``Type`` and ``Value``.
    """

    signature: str | None = field("Signature")
    message_id: str | None = field("MessageId")
    type: str | None = field("Type")
    topic_arn: str | None = field("TopicArn")
    message_attributes: dict[str, Any] | None = field("MessageAttributes")
    signature_version: str | None = field("SignatureVersion")
    timestamp: datetime | None = field("Timestamp", wire=RFC3339)
    signing_cert_url: str | None = field("SigningCertUrl", also=("SigningCertURL",))
    message: str | None = field("Message")
    unsubscribe_url: str | None = field("UnsubscribeUrl", also=("UnsubscribeURL",))
    subject: str | None = field("Subject")

    def decode_message(self, type: Any = object, **options: Any) -> Any:
        """The message decoded as JSON into ``type`` (``lambdago.decode`` options apply).

        ``record.sns.decode_message(CloudWatchAlarmSNSPayload)`` reads an alarm
        notification.
        """
        from ..codec import decode

        if self.message is None:
            raise ValueError("this notification has no message")
        return decode(self.message, type, **options)


@event
class SNSEventRecord:
    """One record of an SNS event: the notification in ``Sns`` and the subscription it
    was delivered through."""

    event_version: str | None = field("EventVersion")
    event_subscription_arn: str | None = field("EventSubscriptionArn")
    event_source: str | None = field("EventSource")
    sns: SNSEntity | None = field("Sns")


@event
class SNSEvent:
    """The event Lambda sends when a message is published to an SNS topic the function
    subscribes to (one notification per record)."""

    records: list[SNSEventRecord] | None = field("Records")


# -- SNS notifications delivered to SQS ---------------------------------------------------

# The envelope SNS writes to an SQS queue spells the URL keys as HTTP subscriptions do;
# an SNS event spells them ``...Url``.
_ENVELOPE_KEYS = {"SigningCertURL": "SigningCertUrl", "UnsubscribeURL": "UnsubscribeUrl"}


def _entity_from_envelope(body: str) -> SNSEntity:
    """The ``SNSEntity`` of an SNS notification envelope (the body of an SQS message)."""
    from ..codec import decode
    from ..errors import DecodeError

    head = body.lstrip()[:1]
    if head != "{":
        raise DecodeError(
            "the message body is not an SNS notification envelope (it is not a JSON object); "
            "if the subscription uses raw message delivery, the body is the published "
            "message itself: use decode_body()"
        )
    try:
        data: Any = decode(body)
    except DecodeError as exc:
        raise DecodeError(f"the message body is not an SNS notification envelope: {exc}") from None
    if not isinstance(data, dict):
        raise DecodeError(
            "the message body is not an SNS notification envelope (not a JSON object)"
        )
    kind = data.get("Type")
    if kind != "Notification" or "TopicArn" not in data or "Message" not in data:
        if kind is None or "TopicArn" not in data:
            detail = (
                "the body is a JSON object without SNS's Type and TopicArn keys; if the "
                "subscription uses raw message delivery, the body is the published message "
                "itself: use decode_body()"
            )
        elif kind != "Notification":
            detail = f"its Type is {kind!r}, not 'Notification'"
        else:
            detail = "it has no Message"
        raise DecodeError(f"the message body is not an SNS notification envelope: {detail}")
    if any(k in data for k in _ENVELOPE_KEYS):
        data = {_ENVELOPE_KEYS.get(k, k): v for k, v in data.items()}
    from .._converters import Failure, decoder

    try:
        entity: SNSEntity = decoder(SNSEntity)(data)
    except Failure as failure:
        raise DecodeError(failure.reason, failure.dotted_path()) from None
    return entity


# -- CloudWatch alarm notifications -------------------------------------------------------


@event
class CloudWatchDimension:
    """A metric dimension: a name/value pair such as ``InstanceId``."""

    name: str | None = field("name")
    value: str | None = field("value")


@event
class CloudWatchMetric:
    """A metric, named by namespace, name and dimensions."""

    dimensions: list[CloudWatchDimension] | None = field("Dimensions")
    metric_name: str | None = field("MetricName")
    namespace: str | None = field("Namespace")


@event
class CloudWatchMetricStat:
    """A metric with the statistic and period an alarm evaluates it over."""

    metric: CloudWatchMetric | None = field("Metric")
    period: int | None = field("Period")
    stat: str | None = field("Stat")
    unit: str | None = field("Unit")


@event
class CloudWatchMetricDataQuery:
    """One query of a metric-math alarm: either a metric (``MetricStat``) or an
    ``Expression`` over the other queries."""

    expression: str | None = field("Expression")
    id: str | None = field("Id")
    label: str | None = field("Label")
    metric_stat: CloudWatchMetricStat | None = field("MetricStat")
    period: int | None = field("Period")
    return_data: bool | None = field("ReturnData")


@event
class CloudWatchAlarmTrigger:
    """What an alarm watches: a single metric (``MetricName``, ``Namespace``,
    ``Dimensions`` …) or metric-math queries (``Metrics``), with its threshold."""

    period: int | None = field("Period")
    evaluation_periods: int | None = field("EvaluationPeriods")
    comparison_operator: str | None = field("ComparisonOperator")
    threshold: float | None = field("Threshold")
    treat_missing_data: str | None = field("TreatMissingData")
    evaluate_low_sample_count_percentile: str | None = field("EvaluateLowSampleCountPercentile")
    metrics: list[CloudWatchMetricDataQuery] | None = field("Metrics")
    metric_name: str | None = field("MetricName")
    namespace: str | None = field("Namespace")
    statistic_type: str | None = field("StatisticType")
    statistic: str | None = field("Statistic")
    unit: str | None = field("Unit")
    dimensions: list[CloudWatchDimension] | None = field("Dimensions")


@event
class CloudWatchAlarmSNSPayload:
    """The message CloudWatch publishes to an SNS topic when an alarm changes state
    (``SNSEntity.message``, a JSON string: ``decode_message(CloudWatchAlarmSNSPayload)``).

    ``StateChangeTime`` stays a string: CloudWatch writes it with a ``+0000`` offset.
    """

    alarm_name: str | None = field("AlarmName")
    alarm_description: str | None = field("AlarmDescription")
    aws_account_id: str | None = field("AWSAccountId")
    new_state_value: str | None = field("NewStateValue")
    new_state_reason: str | None = field("NewStateReason")
    state_change_time: str | None = field("StateChangeTime")
    region: str | None = field("Region")
    alarm_arn: str | None = field("AlarmArn")
    old_state_value: str | None = field("OldStateValue")
    trigger: CloudWatchAlarmTrigger | None = field("Trigger")
