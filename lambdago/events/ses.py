"""Amazon SES email receiving: the event a receipt rule's Lambda action sends for an
incoming email, and the disposition a synchronously invoked function returns."""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "SimpleEmailCommonHeaders",
    "SimpleEmailContinue",
    "SimpleEmailDisposition",
    "SimpleEmailDispositionValue",
    "SimpleEmailEvent",
    "SimpleEmailHeader",
    "SimpleEmailMessage",
    "SimpleEmailReceipt",
    "SimpleEmailReceiptAction",
    "SimpleEmailRecord",
    "SimpleEmailService",
    "SimpleEmailStopRule",
    "SimpleEmailStopRuleSet",
    "SimpleEmailVerdict",
]

SAMPLES = {"ses-receipt": "SimpleEmailEvent", "ses-disposition": "SimpleEmailDisposition"}

SimpleEmailDispositionValue = str
"""What a receipt rule does after a synchronously invoked function (a plain ``str``):
one of :data:`SimpleEmailContinue`, :data:`SimpleEmailStopRule`,
:data:`SimpleEmailStopRuleSet`."""

SimpleEmailContinue: Final = "CONTINUE"
"""Go on with the rule's next action."""

SimpleEmailStopRule: Final = "STOP_RULE"
"""Skip the rule's remaining actions; later rules still run."""

SimpleEmailStopRuleSet: Final = "STOP_RULE_SET"
"""Stop: no further action or rule of the rule set runs."""


@event
class SimpleEmailHeader:
    """One header line of the received email, in the order it arrived."""

    name: str | None = field("name")
    value: str | None = field("value")


@event
class SimpleEmailCommonHeaders:
    """The headers SES parses out of the email for convenience (``From``, ``To``,
    ``Subject`` …); ``date`` is the raw ``Date`` header text. ``bcc``, ``sender`` and
    ``replyTo`` (present when the message has those headers; ``replyTo`` spelled so in the
    notifications SES sends) are declared here; aws-lambda-go lacks them."""

    from_: list[str] | None = field("from")
    to: list[str] | None = field("to")
    cc: list[str] | None = field("cc")
    bcc: list[str] | None = field("bcc")
    sender: list[str] | None = field("sender")
    reply_to: list[str] | None = field("replyTo")
    return_path: str | None = field("returnPath")
    message_id: str | None = field("messageId")
    date: str | None = field("date")
    subject: str | None = field("subject")


@event
class SimpleEmailMessage:
    """The received email's envelope and headers (not its body: an S3 action stores
    that)."""

    common_headers: SimpleEmailCommonHeaders | None = field("commonHeaders")
    source: str | None = field("source")
    timestamp: datetime | None = field("timestamp", wire=RFC3339)
    destination: list[str] | None = field("destination")
    headers: list[SimpleEmailHeader] | None = field("headers")
    headers_truncated: bool | None = field("headersTruncated")
    message_id: str | None = field("messageId")


@event
class SimpleEmailVerdict:
    """The result of one of SES's checks (spam, virus, SPF, DKIM, DMARC): ``PASS``,
    ``FAIL``, ``GRAY`` or ``PROCESSING_FAILED``."""

    status: str | None = field("status")


@event
class SimpleEmailReceiptAction:
    """The receipt rule action that invoked the function. Which fields are present
    depends on ``type`` (``Lambda``: ``functionArn`` and ``invocationType``; ``S3``:
    ``bucketName``, ``objectKeyPrefix`` and ``objectKey``; ``SNS``: ``topicArn`` …).
    aws-lambda-go does not declare ``objectKeyPrefix``."""

    type: str | None = field("type")
    topic_arn: str | None = field("topicArn")
    bucket_name: str | None = field("bucketName")
    object_key_prefix: str | None = field("objectKeyPrefix")
    object_key: str | None = field("objectKey")
    smtp_reply_code: str | None = field("smtpReplyCode")
    status_code: str | None = field("statusCode")
    message: str | None = field("message")
    sender: str | None = field("sender")
    invocation_type: str | None = field("invocationType")
    function_arn: str | None = field("functionArn")
    organization_arn: str | None = field("organizationArn")


@event
class SimpleEmailReceipt:
    """How SES received the email: the recipients the rule matched, the verdicts of its
    checks and the action being run."""

    recipients: list[str] | None = field("recipients")
    timestamp: datetime | None = field("timestamp", wire=RFC3339)
    spam_verdict: SimpleEmailVerdict | None = field("spamVerdict")
    dkim_verdict: SimpleEmailVerdict | None = field("dkimVerdict")
    dmarc_verdict: SimpleEmailVerdict | None = field("dmarcVerdict")
    dmarc_policy: str | None = field("dmarcPolicy")
    spf_verdict: SimpleEmailVerdict | None = field("spfVerdict")
    virus_verdict: SimpleEmailVerdict | None = field("virusVerdict")
    action: SimpleEmailReceiptAction | None = field("action")
    processing_time_millis: int | None = field("processingTimeMillis")


@event
class SimpleEmailService:
    """The ``ses`` part of a record: the email and its receipt."""

    mail: SimpleEmailMessage | None = field("mail")
    receipt: SimpleEmailReceipt | None = field("receipt")


@event
class SimpleEmailRecord:
    """One received email (SES sends one per event)."""

    event_version: str | None = field("eventVersion")
    event_source: str | None = field("eventSource")
    ses: SimpleEmailService | None = field("ses")


@event
class SimpleEmailEvent:
    """The event an SES receipt rule's Lambda action sends when the rule matches an
    incoming email."""

    records: list[SimpleEmailRecord] | None = field("Records")


@event
class SimpleEmailDisposition:
    """What a function invoked synchronously (``RequestResponse``) by a receipt rule
    returns to steer the rule set: ``disposition`` is one of :data:`SimpleEmailContinue`,
    :data:`SimpleEmailStopRule`, :data:`SimpleEmailStopRuleSet`."""

    disposition: SimpleEmailDispositionValue | None = field("disposition")
