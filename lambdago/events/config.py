"""AWS Config: the event a custom Config rule's Lambda function receives to evaluate
resources."""

from __future__ import annotations

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ConfigEvent"]

SAMPLES = {"config-rule-change-triggered": "ConfigEvent"}


@event
class ConfigEvent:
    """What AWS Config sends a custom rule's function, on a configuration change or
    periodically. ``invokingEvent`` and ``ruleParameters`` are JSON documents carried as
    strings; :meth:`decode_invoking_event` and :meth:`decode_rule_parameters` parse them.
    ``resultToken`` goes back to Config with ``PutEvaluations``.

    ``evaluationMode`` says how the rule evaluates (``DETECTIVE`` for resources already
    recorded); aws-lambda-go lacks this field."""

    account_id: str | None = field("accountId")
    config_rule_arn: str | None = field("configRuleArn")
    config_rule_id: str | None = field("configRuleId")
    config_rule_name: str | None = field("configRuleName")
    event_left_scope: bool | None = field("eventLeftScope")
    execution_role_arn: str | None = field("executionRoleArn")
    invoking_event: str | None = field("invokingEvent")
    result_token: str | None = field("resultToken")
    rule_parameters: str | None = field("ruleParameters")
    version: str | None = field("version")
    evaluation_mode: str | None = field("evaluationMode")

    def decode_invoking_event(self, type: Any = object, **options: Any) -> Any:
        """``invokingEvent`` decoded as JSON into ``type`` (``lambdago.decode`` options
        apply). Raises ``ValueError`` when the event has none."""
        return _decode_json_string(self.invoking_event, "invokingEvent", type, options)

    def decode_rule_parameters(self, type: Any = object, **options: Any) -> Any:
        """``ruleParameters`` decoded as JSON into ``type`` (``lambdago.decode`` options
        apply). Raises ``ValueError`` when the event has none."""
        return _decode_json_string(self.rule_parameters, "ruleParameters", type, options)


def _decode_json_string(text: str | None, key: str, tp: Any, options: dict[str, Any]) -> Any:
    from ..codec import decode

    if text is None:
        raise ValueError(f"this event has no {key}")
    return decode(text, tp, **options)
