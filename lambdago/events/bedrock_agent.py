"""Agents for Amazon Bedrock: the event an agent's action group sends to its Lambda
function when the model decides to call an action, and the response the function returns.

An action group is defined in one of two ways, and each has its own event and response:

* with an OpenAPI schema: :class:`BedrockAgentEvent` names the operation (``apiPath``,
  ``httpMethod``) with its parameters and request body, and :class:`BedrockAgentResponse`
  carries an HTTP status code and a body per content type;
* with function details: :class:`BedrockAgentFunctionEvent` names a ``function`` with its
  parameters, and :class:`BedrockAgentFunctionResponse` carries a ``TEXT`` body.

Every parameter value arrives as a string, whatever its declared ``type``;
:meth:`BedrockAgentEvent.parameters_dict` (``convert=True``) and
:meth:`BedrockAgentEvent.decode_request_body` turn them into Python values. A handler
usually ends with the event's ``respond`` method::

    def handler(event: BedrockAgentEvent) -> BedrockAgentResponse:
        booking = event.decode_request_body(Booking)
        return event.respond({"confirmation": reserve(booking)})
"""

from __future__ import annotations

import math

from ._base import decode_value, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "BedrockAgentEvent",
    "BedrockAgentFunctionEvent",
    "BedrockAgentFunctionResponse",
    "BedrockAgentFunctionResponseDetails",
    "BedrockAgentFunctionResult",
    "BedrockAgentInfo",
    "BedrockAgentKnowledgeBaseConfiguration",
    "BedrockAgentParameter",
    "BedrockAgentRequestBody",
    "BedrockAgentRequestBodyContent",
    "BedrockAgentResponse",
    "BedrockAgentResponseBody",
    "BedrockAgentResponseDetails",
    "BedrockAgentResponseStateFailure",
    "BedrockAgentResponseStateReprompt",
    "BedrockAgentRetrievalConfiguration",
    "BedrockAgentVectorSearchConfiguration",
]

SAMPLES = {
    "bedrock-agent-api-request": "BedrockAgentEvent",
    "bedrock-agent-api-response": "BedrockAgentResponse",
    "bedrock-agent-function-request": "BedrockAgentFunctionEvent",
    "bedrock-agent-function-response": "BedrockAgentFunctionResponse",
}

BedrockAgentResponseStateFailure: Final = "FAILURE"
"""``responseState`` telling the agent the action failed; the agent stops the turn."""

BedrockAgentResponseStateReprompt: Final = "REPROMPT"
"""``responseState`` asking the agent to re-prompt the model (for example after a
parameter the model got wrong)."""

_MESSAGE_VERSION = "1.0"


# -- the request ------------------------------------------------------------------------------


@event
class BedrockAgentInfo:
    """The agent being run: its name, id, alias id and version."""

    name: str | None = field("name")
    id: str | None = field("id")
    alias: str | None = field("alias")
    version: str | None = field("version")


@event
class BedrockAgentParameter:
    """A parameter the model filled in, or a property of the request body: its name, its
    declared type (``string``, ``number``, ``integer``, ``boolean``, ``array``) and its
    value, always sent as a string."""

    name: str | None = field("name")
    type: str | None = field("type")
    value: str | None = field("value")


@event
class BedrockAgentRequestBodyContent:
    """The request body of one content type, as the list of its top-level properties."""

    properties: list[BedrockAgentParameter] | None = field("properties")


@event
class BedrockAgentRequestBody:
    """The request body of an OpenAPI operation, by content type (``application/json``)."""

    content: dict[str, BedrockAgentRequestBodyContent] | None = field("content")


def _convert(kind: str | None, value: str | None) -> Any:
    """A parameter value as the Python value its declared type names; the string itself
    when the type is ``string`` (or unknown) or the text does not parse."""
    if value is None:
        return None
    if kind == "integer":
        try:
            return int(value.strip())
        except ValueError:
            return value
    if kind == "number":
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            return value
        return number if math.isfinite(number) else value
    if kind == "boolean":
        lowered = value.strip().lower()
        if lowered == "true":
            return True
        if lowered == "false":
            return False
        return value
    if kind in ("array", "object"):
        import json

        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _as_dict(params: list[BedrockAgentParameter] | None, convert: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in params or ():
        if p.name is None:
            continue
        out[p.name] = _convert(p.type, p.value) if convert else p.value
    return out


def _check_state(state: str | None) -> str | None:
    if state not in (None, BedrockAgentResponseStateFailure, BedrockAgentResponseStateReprompt):
        raise ValueError(
            f"response_state must be None, {BedrockAgentResponseStateFailure!r} or "
            f"{BedrockAgentResponseStateReprompt!r}; got {state!r}"
        )
    return state


def _copy(values: dict[str, str] | None) -> dict[str, str] | None:
    return dict(values) if values is not None else None


def _body_text(body: Any) -> str:
    if isinstance(body, str):
        return body
    from ..codec import encode

    return encode(body).decode("utf-8")


@event
class BedrockAgentEvent:
    """What an agent sends the Lambda function of an action group defined by an OpenAPI
    schema when the model calls one of its operations: the operation (``apiPath``,
    ``httpMethod``), the parameters and request body the model filled in, the user's
    input, and the session's attributes."""

    message_version: str | None = field("messageVersion")
    agent: BedrockAgentInfo | None = field("agent")
    input_text: str | None = field("inputText")
    session_id: str | None = field("sessionId")
    action_group: str | None = field("actionGroup")
    api_path: str | None = field("apiPath")
    http_method: str | None = field("httpMethod")
    parameters: list[BedrockAgentParameter] | None = field("parameters")
    request_body: BedrockAgentRequestBody | None = field("requestBody")
    session_attributes: dict[str, str] | None = field("sessionAttributes")
    prompt_session_attributes: dict[str, str] | None = field("promptSessionAttributes")

    def parameters_dict(self, *, convert: bool = False) -> dict[str, Any]:
        """The parameters as ``{name: value}``. Values are the strings the agent sent;
        with ``convert=True`` each becomes what its declared type says (``integer`` an
        ``int``, ``number`` an ``int`` or ``float``, ``boolean`` a ``bool``, ``array``
        the parsed JSON list), or stays a string when it does not parse as one."""
        return _as_dict(self.parameters, convert)

    def parameter(self, name: str, default: str | None = None) -> str | None:
        """The value (a string) of the parameter ``name``, or ``default``."""
        for p in self.parameters or ():
            if p.name == name:
                return p.value
        return default

    def request_body_properties(
        self, content_type: str = "application/json", *, convert: bool = False
    ) -> dict[str, Any]:
        """The request body's properties for ``content_type`` as ``{name: value}``
        (``convert`` as in :meth:`parameters_dict`); ``{}`` when there is no such body."""
        body = self.request_body
        content = body.content if body is not None else None
        part = (content or {}).get(content_type)
        return _as_dict(part.properties if part is not None else None, convert)

    def decode_request_body(
        self, type: Any = object, content_type: str = "application/json", **options: Any
    ) -> Any:
        """The request body as one object (its properties converted as with
        ``convert=True``) decoded into ``type`` (``lambdago.decode`` options apply).

        Raises ``ValueError`` when the event has no body of ``content_type``, and
        :class:`lambdago.DecodeError` (its path starting at ``requestBody``) when the
        properties do not fit ``type``.
        """
        body = self.request_body
        content = body.content if body is not None else None
        if not content or content_type not in content:
            raise ValueError(f"the event has no {content_type} request body")
        value = _as_dict(content[content_type].properties, True)
        return decode_value(value, type, "requestBody", options)

    def respond(
        self,
        body: Any = None,
        *,
        status_code: int = 200,
        content_type: str = "application/json",
        response_state: str | None = None,
    ) -> BedrockAgentResponse:
        """The response to this event: ``body`` (a string as it is, anything else
        encoded as JSON; ``None`` sends no body) with ``status_code``, for the same action
        group, path and method, keeping the session's attributes. ``response_state`` is
        ``None`` for a normal answer, or :data:`BedrockAgentResponseStateFailure` /
        :data:`BedrockAgentResponseStateReprompt`."""
        details = BedrockAgentResponseDetails(
            action_group=self.action_group,
            api_path=self.api_path,
            http_method=self.http_method,
            http_status_code=status_code,
            response_state=_check_state(response_state),
        )
        if body is not None:
            details.response_body = {content_type: BedrockAgentResponseBody(body=_body_text(body))}
        return BedrockAgentResponse(
            message_version=_MESSAGE_VERSION,
            response=details,
            session_attributes=_copy(self.session_attributes),
            prompt_session_attributes=_copy(self.prompt_session_attributes),
        )


@event
class BedrockAgentFunctionEvent:
    """What an agent sends the Lambda function of an action group defined by function
    details when the model calls one of its functions: the ``function``, the parameters
    the model filled in, the user's input, and the session's attributes."""

    message_version: str | None = field("messageVersion")
    agent: BedrockAgentInfo | None = field("agent")
    input_text: str | None = field("inputText")
    session_id: str | None = field("sessionId")
    action_group: str | None = field("actionGroup")
    function: str | None = field("function")
    parameters: list[BedrockAgentParameter] | None = field("parameters")
    session_attributes: dict[str, str] | None = field("sessionAttributes")
    prompt_session_attributes: dict[str, str] | None = field("promptSessionAttributes")

    def parameters_dict(self, *, convert: bool = False) -> dict[str, Any]:
        """The parameters as ``{name: value}``; see
        :meth:`BedrockAgentEvent.parameters_dict`."""
        return _as_dict(self.parameters, convert)

    def parameter(self, name: str, default: str | None = None) -> str | None:
        """The value (a string) of the parameter ``name``, or ``default``."""
        for p in self.parameters or ():
            if p.name == name:
                return p.value
        return default

    def decode_parameters(self, type: Any = object, **options: Any) -> Any:
        """The parameters as one object (converted as with ``convert=True``) decoded into
        ``type``; :class:`lambdago.DecodeError` paths start at ``parameters``."""
        return decode_value(_as_dict(self.parameters, True), type, "parameters", options)

    def respond(
        self, body: Any = None, *, response_state: str | None = None
    ) -> BedrockAgentFunctionResponse:
        """The response to this event: ``body`` (a string as it is, anything else
        encoded as JSON) as its ``TEXT`` body, for the same action group and function,
        keeping the session's attributes. ``response_state`` is ``None`` for a normal
        answer, or :data:`BedrockAgentResponseStateFailure` /
        :data:`BedrockAgentResponseStateReprompt`."""
        result = BedrockAgentFunctionResult(response_state=_check_state(response_state))
        if body is not None:
            result.response_body = {"TEXT": BedrockAgentResponseBody(body=_body_text(body))}
        return BedrockAgentFunctionResponse(
            message_version=_MESSAGE_VERSION,
            response=BedrockAgentFunctionResponseDetails(
                action_group=self.action_group, function=self.function, function_response=result
            ),
            session_attributes=_copy(self.session_attributes),
            prompt_session_attributes=_copy(self.prompt_session_attributes),
        )

    def fail(self, message: Any) -> BedrockAgentFunctionResponse:
        """A ``FAILURE`` response with ``message`` as its body."""
        return self.respond(message, response_state=BedrockAgentResponseStateFailure)

    def reprompt(self, message: Any) -> BedrockAgentFunctionResponse:
        """A ``REPROMPT`` response with ``message`` as its body."""
        return self.respond(message, response_state=BedrockAgentResponseStateReprompt)


# -- the response -----------------------------------------------------------------------------


@event
class BedrockAgentResponseBody:
    """A response body of one content type: the text the agent gives the model (JSON
    text for ``application/json``)."""

    body: str | None = field("body")


@event
class BedrockAgentResponseDetails:
    """The result of an OpenAPI operation: the action group, path and method it answers,
    an HTTP status code, optionally a ``responseState`` (``FAILURE``, ``REPROMPT``), and
    the body by content type."""

    action_group: str | None = field("actionGroup")
    api_path: str | None = field("apiPath")
    http_method: str | None = field("httpMethod")
    http_status_code: int | None = field("httpStatusCode")
    response_state: str | None = field("responseState")
    response_body: dict[str, BedrockAgentResponseBody] | None = field("responseBody")


@event
class BedrockAgentFunctionResult:
    """The result of a function: an optional ``responseState`` (``FAILURE``,
    ``REPROMPT``) and the body by content type (``TEXT``)."""

    response_state: str | None = field("responseState")
    response_body: dict[str, BedrockAgentResponseBody] | None = field("responseBody")


@event
class BedrockAgentFunctionResponseDetails:
    """The action group and function a function result answers, and the result."""

    action_group: str | None = field("actionGroup")
    function: str | None = field("function")
    function_response: BedrockAgentFunctionResult | None = field("functionResponse")


@event
class BedrockAgentVectorSearchConfiguration:
    """How a knowledge base is searched for the rest of the turn: how many results,
    ``HYBRID`` or ``SEMANTIC`` search, and a metadata filter (kept as JSON)."""

    number_of_results: int | None = field("numberOfResults")
    override_search_type: str | None = field("overrideSearchType")
    filter: dict[str, Any] | None = field("filter")


@event
class BedrockAgentRetrievalConfiguration:
    """The retrieval settings of a knowledge base."""

    vector_search_configuration: BedrockAgentVectorSearchConfiguration | None = field(
        "vectorSearchConfiguration"
    )


@event
class BedrockAgentKnowledgeBaseConfiguration:
    """Retrieval settings a function returns for one of the agent's knowledge bases."""

    knowledge_base_id: str | None = field("knowledgeBaseId")
    retrieval_configuration: BedrockAgentRetrievalConfiguration | None = field(
        "retrievalConfiguration"
    )


@event
class BedrockAgentResponse:
    """What the function of an OpenAPI action group returns to the agent: the operation's
    result, and optionally new session and prompt session attributes and knowledge base
    settings. :meth:`BedrockAgentEvent.respond` builds one."""

    message_version: str | None = field("messageVersion")
    response: BedrockAgentResponseDetails | None = field("response")
    session_attributes: dict[str, str] | None = field("sessionAttributes")
    prompt_session_attributes: dict[str, str] | None = field("promptSessionAttributes")
    knowledge_bases_configuration: list[BedrockAgentKnowledgeBaseConfiguration] | None = field(
        "knowledgeBasesConfiguration"
    )


@event
class BedrockAgentFunctionResponse:
    """What the function of a function-details action group returns to the agent: the
    function's result, and optionally new session and prompt session attributes and
    knowledge base settings. :meth:`BedrockAgentFunctionEvent.respond` builds one."""

    message_version: str | None = field("messageVersion")
    response: BedrockAgentFunctionResponseDetails | None = field("response")
    session_attributes: dict[str, str] | None = field("sessionAttributes")
    prompt_session_attributes: dict[str, str] | None = field("promptSessionAttributes")
    knowledge_bases_configuration: list[BedrockAgentKnowledgeBaseConfiguration] | None = field(
        "knowledgeBasesConfiguration"
    )
