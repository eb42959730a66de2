"""AWS Step Functions execution status changes, as an EventBridge rule passes them to a
function (``source`` ``aws.states``, ``detail-type`` ``Step Functions Execution Status
Change``): an execution started, succeeded, failed, timed out or was aborted.

The execution's ``input`` and ``output`` arrive as JSON text (``null`` when too large to
include: ``inputDetails.included`` is then false); the detail's ``decode_input`` and
``decode_output`` decode them into a type in one call::

    def handler(event: StepFunctionsExecutionStatusChangeEvent) -> None:
        detail = event.detail
        if detail.status == StepFunctionsExecutionStatusFailed:
            order = detail.decode_input(Order)
            alert(order.id, detail.error, detail.cause)

aws-lambda-go has no type for this source; the names follow its style.
"""

from __future__ import annotations

from datetime import datetime

from ._base import EPOCH_MILLIS, event, field
from .cloudwatch_events import CloudWatchEvent

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "StepFunctionsExecutionStatusAborted",
    "StepFunctionsExecutionStatusChangeDetail",
    "StepFunctionsExecutionStatusChangeDetailType",
    "StepFunctionsExecutionStatusChangeEvent",
    "StepFunctionsExecutionStatusFailed",
    "StepFunctionsExecutionStatusPendingRedrive",
    "StepFunctionsExecutionStatusRunning",
    "StepFunctionsExecutionStatusSucceeded",
    "StepFunctionsExecutionStatusTimedOut",
    "StepFunctionsPayloadDetails",
]

SAMPLES = {
    "stepfunctions-execution-failed": "StepFunctionsExecutionStatusChangeEvent",
    "stepfunctions-execution-succeeded": "StepFunctionsExecutionStatusChangeEvent",
}

StepFunctionsExecutionStatusChangeDetailType: Final = "Step Functions Execution Status Change"
"""The ``detail-type`` of these events (their ``source`` is ``aws.states``)."""

StepFunctionsExecutionStatusRunning: Final = "RUNNING"
StepFunctionsExecutionStatusSucceeded: Final = "SUCCEEDED"
StepFunctionsExecutionStatusFailed: Final = "FAILED"
StepFunctionsExecutionStatusTimedOut: Final = "TIMED_OUT"
StepFunctionsExecutionStatusAborted: Final = "ABORTED"
StepFunctionsExecutionStatusPendingRedrive: Final = "PENDING_REDRIVE"
"""A failed execution that a redrive is about to restart."""


@event
class StepFunctionsPayloadDetails:
    """Whether the execution's input or output was included in the event (``included``):
    false when it was too large, and ``input`` or ``output`` is then ``null``."""

    included: bool | None = field("included")


@event
class StepFunctionsExecutionStatusChangeDetail:
    """The execution: its ARN and name, its state machine (and the version or alias it
    ran, when one was used), its ``status``, when it started and stopped, its input and
    output as JSON text, the ``error`` and ``cause`` of a failure, and its redrive state."""

    execution_arn: str | None = field("executionArn")
    state_machine_arn: str | None = field("stateMachineArn")
    name: str | None = field("name")
    status: str | None = field("status")
    start_date: datetime | None = field("startDate", wire=EPOCH_MILLIS)
    stop_date: datetime | None = field("stopDate", wire=EPOCH_MILLIS)
    input: str | None = field("input")
    output: str | None = field("output")
    input_details: StepFunctionsPayloadDetails | None = field("inputDetails")
    output_details: StepFunctionsPayloadDetails | None = field("outputDetails")
    error: str | None = field("error")
    cause: str | None = field("cause")
    state_machine_version_arn: str | None = field("stateMachineVersionArn")
    state_machine_alias_arn: str | None = field("stateMachineAliasArn")
    redrive_count: int | None = field("redriveCount")
    redrive_date: datetime | None = field("redriveDate", wire=EPOCH_MILLIS)
    redrive_status: str | None = field("redriveStatus")
    redrive_status_reason: str | None = field("redriveStatusReason")

    def decode_input(self, type: Any = object, **options: Any) -> Any:
        """The execution's input (JSON text) decoded into ``type`` (``lambdago.decode``
        options apply). ``ValueError`` when the event does not include it (too large)."""
        return _decode_json_text(self.input, "input", type, options)

    def decode_output(self, type: Any = object, **options: Any) -> Any:
        """The execution's output (JSON text, there once it succeeded) decoded into
        ``type``; ``ValueError`` when the event does not include it."""
        return _decode_json_text(self.output, "output", type, options)


def _decode_json_text(text: str | None, what: str, type: Any, options: dict[str, Any]) -> Any:
    from ..codec import decode

    if text is None:
        raise ValueError(f"the event does not include the execution's {what}")
    return decode(text, type, **options)


@event
class StepFunctionsExecutionStatusChangeEvent(CloudWatchEvent):
    """A Step Functions execution status change as an EventBridge rule delivers it: the
    envelope (``source`` ``aws.states``, the execution's ARN in ``resources``) with its
    ``detail`` decoded as :class:`StepFunctionsExecutionStatusChangeDetail`. It is a
    :class:`CloudWatchEvent` (the same fields) whose ``detail`` is typed."""

    detail: StepFunctionsExecutionStatusChangeDetail | None = field("detail")
