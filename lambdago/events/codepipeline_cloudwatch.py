"""AWS CodePipeline: the EventBridge (formerly CloudWatch Events) events for pipeline
execution, stage execution and action execution state changes."""

from __future__ import annotations

from datetime import datetime

from ._base import RFC3339, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final, TypeAlias

__all__ = [
    "CodePipelineActionEventDetailType",
    "CodePipelineActionState",
    "CodePipelineActionStateCanceled",
    "CodePipelineActionStateFailed",
    "CodePipelineActionStateStarted",
    "CodePipelineActionStateSucceeded",
    "CodePipelineCloudWatchEvent",
    "CodePipelineEventBridgeEvent",
    "CodePipelineEventDetail",
    "CodePipelineEventDetailExecutionResult",
    "CodePipelineEventDetailType",
    "CodePipelineEventSource",
    "CodePipelineExecutionEventDetailType",
    "CodePipelineStageEventDetailType",
    "CodePipelineStageState",
    "CodePipelineStageStateCanceled",
    "CodePipelineStageStateFailed",
    "CodePipelineStageStateResumed",
    "CodePipelineStageStateStarted",
    "CodePipelineStageStateSucceeded",
    "CodePipelineState",
    "CodePipelineStateCanceled",
    "CodePipelineStateFailed",
    "CodePipelineStateResumed",
    "CodePipelineStateStarted",
    "CodePipelineStateSucceeded",
    "CodePipelineStateSuperseded",
]

SAMPLES = {
    "codepipeline-pipeline-execution-state-change": "CodePipelineCloudWatchEvent",
    "codepipeline-stage-execution-state-change": "CodePipelineCloudWatchEvent",
    "codepipeline-action-execution-state-change": "CodePipelineEventBridgeEvent",
}

CodePipelineEventSource: Final = "aws.codepipeline"
"""The ``source`` of CodePipeline's events."""
CodePipelineExecutionEventDetailType: Final = "CodePipeline Pipeline Execution State Change"
"""The ``detail-type`` of a pipeline execution state change."""
CodePipelineActionEventDetailType: Final = "CodePipeline Action Execution State Change"
"""The ``detail-type`` of an action execution state change."""
CodePipelineStageEventDetailType: Final = "CodePipeline Stage Execution State Change"
"""The ``detail-type`` of a stage execution state change."""

CodePipelineStageState: TypeAlias = str
"""A stage execution's state (``STARTED``, ``SUCCEEDED`` …): a plain string."""

CodePipelineStageStateStarted: Final = "STARTED"
CodePipelineStageStateSucceeded: Final = "SUCCEEDED"
CodePipelineStageStateResumed: Final = "RESUMED"
CodePipelineStageStateFailed: Final = "FAILED"
CodePipelineStageStateCanceled: Final = "CANCELED"

CodePipelineState: TypeAlias = str
"""A pipeline execution's state (``STARTED``, ``SUPERSEDED`` …): a plain string."""

CodePipelineStateStarted: Final = "STARTED"
CodePipelineStateSucceeded: Final = "SUCCEEDED"
CodePipelineStateResumed: Final = "RESUMED"
CodePipelineStateFailed: Final = "FAILED"
CodePipelineStateCanceled: Final = "CANCELED"
CodePipelineStateSuperseded: Final = "SUPERSEDED"

CodePipelineActionState: TypeAlias = str
"""An action execution's state (``STARTED``, ``FAILED`` …): a plain string."""

CodePipelineActionStateStarted: Final = "STARTED"
CodePipelineActionStateSucceeded: Final = "SUCCEEDED"
CodePipelineActionStateFailed: Final = "FAILED"
CodePipelineActionStateCanceled: Final = "CANCELED"


@event
class CodePipelineEventDetailType:
    """The kind of action an action execution event is about: owner (``AWS``,
    ``ThirdParty``, ``Custom``), category (``Source``, ``Build``, ``Deploy`` …),
    provider and version."""

    owner: str | None = field("owner")
    category: str | None = field("category")
    provider: str | None = field("provider")
    version: int | None = field("version")


@event
class CodePipelineEventDetailExecutionResult:
    """The outcome an action reported: links to and a summary of the external execution
    and, on failure, an error code."""

    external_execution_url: str | None = field("external-execution-url")
    external_execution_summary: str | None = field("external-execution-summary")
    external_execution_id: str | None = field("external-execution-id")
    error_code: str | None = field("error-code")


@event
class CodePipelineEventDetail:
    """The pipeline execution the event is about, with the stage and action for stage and
    action events. ``state`` is a :data:`CodePipelineState`,
    :data:`CodePipelineStageState` or :data:`CodePipelineActionState` according to the
    event's kind.

    Declared here beyond aws-lambda-go's fields: ``pipeline-execution-attempt`` (sent as
    a float, ``1.0``, read as an ``int``), ``execution-trigger`` (``trigger-type`` and
    ``trigger-detail`` of a pipeline execution), and an action's ``input-artifacts`` and
    ``output-artifacts`` (name and S3 location of each), kept as sent."""

    pipeline: str | None = field("pipeline")
    version: int | None = field("version")
    execution_id: str | None = field("execution-id")
    stage: str | None = field("stage")
    action: str | None = field("action")
    state: CodePipelineState | None = field("state")
    region: str | None = field("region")
    type: CodePipelineEventDetailType | None = field("type")
    execution_result: CodePipelineEventDetailExecutionResult | None = field("execution-result")
    pipeline_execution_attempt: int | None = field("pipeline-execution-attempt")
    execution_trigger: dict[str, Any] | None = field("execution-trigger")
    input_artifacts: list[dict[str, Any]] | None = field("input-artifacts")
    output_artifacts: list[dict[str, Any]] | None = field("output-artifacts")


@event
class CodePipelineCloudWatchEvent:
    """A CodePipeline state-change event (``source`` ``aws.codepipeline``) delivered
    through EventBridge: a pipeline, stage or action execution changed state, as
    ``detail-type`` says.

    ``replay-name`` is present only on an event EventBridge replays from an archive
    (aws-lambda-go lacks it)."""

    version: str | None = field("version")
    id: str | None = field("id")
    detail_type: str | None = field("detail-type")
    source: str | None = field("source")
    account_id: str | None = field("account")
    time: datetime | None = field("time", wire=RFC3339)
    region: str | None = field("region")
    resources: list[str] | None = field("resources")
    detail: CodePipelineEventDetail | None = field("detail")
    replay_name: str | None = field("replay-name")


CodePipelineEventBridgeEvent = CodePipelineCloudWatchEvent
"""The same event under its EventBridge name (the same class)."""
