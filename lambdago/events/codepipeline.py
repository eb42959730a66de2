"""AWS CodePipeline: ``CodePipelineEvent``, aws-lambda-go's older name for the job event.

aws-lambda-go keeps ``CodePipelineEvent`` as an alias of ``CodePipelineJobEvent`` for
compatibility; so does lambdago. The job event is defined in ``codepipeline_job``, the
EventBridge state-change events in ``codepipeline_cloudwatch``.
"""

from __future__ import annotations

from .codepipeline_job import CodePipelineJobEvent

__all__ = ["CodePipelineEvent"]

CodePipelineEvent = CodePipelineJobEvent
"""The job event under its older name (the same class as ``CodePipelineJobEvent``)."""
