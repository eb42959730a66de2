"""AWS CodeDeploy lifecycle hooks: the event CodeDeploy sends a validation function named
in the ``Hooks`` section of an AppSpec file (``BeforeInstall``, ``AfterAllowTestTraffic``,
``BeforeAllowTraffic``, ``AfterAllowTraffic`` …) during a Lambda or Amazon ECS deployment.

The function's return value is ignored: it reports the outcome by calling CodeDeploy's
``PutLifecycleEventHookExecutionStatus`` API with the deployment id, the hook execution
id and ``Succeeded`` or ``Failed``. Until it does, the deployment waits (and fails after
an hour). lambdago has no AWS SDK dependency; with boto3::

    import boto3

    codedeploy = boto3.client("codedeploy")

    def handler(event: CodeDeployLifecycleHookEvent) -> None:
        passed = run_smoke_tests()
        codedeploy.put_lifecycle_event_hook_execution_status(**event.status(passed))

The function's execution role needs ``codedeploy:PutLifecycleEventHookExecutionStatus``.
"""

from __future__ import annotations

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "CodeDeployLifecycleEventStatusFailed",
    "CodeDeployLifecycleEventStatusSucceeded",
    "CodeDeployLifecycleHookEvent",
]

SAMPLES = {"codedeploy-lifecycle-hook": "CodeDeployLifecycleHookEvent"}

CodeDeployLifecycleEventStatusSucceeded: Final = "Succeeded"
"""The status reporting that the hook's validation passed; the deployment continues."""

CodeDeployLifecycleEventStatusFailed: Final = "Failed"
"""The status reporting that the hook's validation failed; the deployment stops and
rolls back if configured to."""


@event
class CodeDeployLifecycleHookEvent:
    """What CodeDeploy sends a lifecycle hook function: the deployment and the id of this
    hook's execution, both needed to report the outcome with
    ``PutLifecycleEventHookExecutionStatus`` (see :meth:`status`)."""

    deployment_id: str | None = field("DeploymentId")
    lifecycle_event_hook_execution_id: str | None = field("LifecycleEventHookExecutionId")

    def status(self, succeeded: bool | str = True) -> dict[str, str]:
        """The parameters of the ``PutLifecycleEventHookExecutionStatus`` call reporting
        this hook's outcome, keyed as the API (and boto3) names them:
        ``deploymentId``, ``lifecycleEventHookExecutionId`` and ``status``.

        ``succeeded`` is a ``bool``, or a status string (``Succeeded``, ``Failed``).
        Raises ``ValueError`` when the event lacks one of the ids.
        """
        if isinstance(succeeded, bool):
            status = (
                CodeDeployLifecycleEventStatusSucceeded
                if succeeded
                else CodeDeployLifecycleEventStatusFailed
            )
        elif succeeded in (
            CodeDeployLifecycleEventStatusSucceeded,
            CodeDeployLifecycleEventStatusFailed,
        ):
            status = succeeded
        else:
            raise ValueError(
                f"the status must be True, False, 'Succeeded' or 'Failed'; got {succeeded!r}"
            )
        if not self.deployment_id or not self.lifecycle_event_hook_execution_id:
            raise ValueError("the event lacks DeploymentId or LifecycleEventHookExecutionId")
        return {
            "deploymentId": self.deployment_id,
            "lifecycleEventHookExecutionId": self.lifecycle_event_hook_execution_id,
            "status": status,
        }
