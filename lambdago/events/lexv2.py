"""Amazon Lex V2: the event a bot's dialog or fulfillment code hook sends to a function,
and the response telling Lex what to do next.

The event's methods build the usual responses, carrying over the session attributes,
active contexts and current intent::

    @lambdago.handler
    def handle(event: LexV2Event) -> LexV2Response:
        if event.intent().slot_value("PickupDate") is None:
            return event.elicit_slot("PickupDate", "Which day should we deliver?")
        return event.close("Your order is on its way.")
"""

from __future__ import annotations

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final, TypeAlias

__all__ = [
    "LexV2ActiveContext",
    "LexV2ActiveContextTimeToLive",
    "LexV2Bot",
    "LexV2Button",
    "LexV2ConfirmationStateConfirmed",
    "LexV2ConfirmationStateDenied",
    "LexV2ConfirmationStateNone",
    "LexV2DialogAction",
    "LexV2DialogActionTypeClose",
    "LexV2DialogActionTypeConfirmIntent",
    "LexV2DialogActionTypeDelegate",
    "LexV2DialogActionTypeElicitIntent",
    "LexV2DialogActionTypeElicitSlot",
    "LexV2ElicitSubSlot",
    "LexV2Event",
    "LexV2ImageResponseCard",
    "LexV2Intent",
    "LexV2IntentStateFailed",
    "LexV2IntentStateFulfilled",
    "LexV2IntentStateFulfillmentInProgress",
    "LexV2IntentStateInProgress",
    "LexV2IntentStateReadyForFulfillment",
    "LexV2IntentStateWaiting",
    "LexV2Interpretation",
    "LexV2InvocationSourceDialogCodeHook",
    "LexV2InvocationSourceFulfillmentCodeHook",
    "LexV2Message",
    "LexV2MessageContentTypeCustomPayload",
    "LexV2MessageContentTypeImageResponseCard",
    "LexV2MessageContentTypePlainText",
    "LexV2MessageContentTypeSSML",
    "LexV2Prompt",
    "LexV2ProposedNextState",
    "LexV2ResolvedContext",
    "LexV2Response",
    "LexV2SentimentResponse",
    "LexV2SentimentScore",
    "LexV2SessionState",
    "LexV2Slot",
    "LexV2SlotValue",
    "LexV2Transcription",
]

SAMPLES = {
    "lexv2-dialog-code-hook": "LexV2Event",
    "lexv2-fulfillment-code-hook": "LexV2Event",
    "lexv2-elicit-slot-response": "LexV2Response",
    "lexv2-close-response": "LexV2Response",
}

LexV2InvocationSourceDialogCodeHook: Final = "DialogCodeHook"
"""``invocationSource`` of a call made during the conversation, to validate input."""
LexV2InvocationSourceFulfillmentCodeHook: Final = "FulfillmentCodeHook"
"""``invocationSource`` of a call made to fulfil a complete intent."""

LexV2DialogActionTypeClose: Final = "Close"
"""End the intent: Lex expects no more input for it."""
LexV2DialogActionTypeConfirmIntent: Final = "ConfirmIntent"
"""Ask the user to confirm the intent (yes or no)."""
LexV2DialogActionTypeDelegate: Final = "Delegate"
"""Let Lex choose the next step from the bot's configuration."""
LexV2DialogActionTypeElicitIntent: Final = "ElicitIntent"
"""Ask the user what they want to do next."""
LexV2DialogActionTypeElicitSlot: Final = "ElicitSlot"
"""Ask the user for the value of ``slotToElicit``."""

LexV2IntentStateFailed: Final = "Failed"
LexV2IntentStateFulfilled: Final = "Fulfilled"
LexV2IntentStateFulfillmentInProgress: Final = "FulfillmentInProgress"
LexV2IntentStateInProgress: Final = "InProgress"
LexV2IntentStateReadyForFulfillment: Final = "ReadyForFulfillment"
LexV2IntentStateWaiting: Final = "Waiting"

LexV2ConfirmationStateConfirmed: Final = "Confirmed"
LexV2ConfirmationStateDenied: Final = "Denied"
LexV2ConfirmationStateNone: Final = "None"

LexV2MessageContentTypeCustomPayload: Final = "CustomPayload"
LexV2MessageContentTypeImageResponseCard: Final = "ImageResponseCard"
LexV2MessageContentTypePlainText: Final = "PlainText"
LexV2MessageContentTypeSSML: Final = "SSML"


@event
class LexV2Bot:
    """The bot handling the conversation: id, name, alias, locale and version."""

    id: str | None = field("id")
    name: str | None = field("name")
    alias_id: str | None = field("aliasId")
    alias_name: str | None = field("aliasName")
    locale_id: str | None = field("localeId")
    version: str | None = field("version")


@event
class LexV2SlotValue:
    """What the user said for a slot (``originalValue``), the value Lex understood
    (``interpretedValue``) and the values it could resolve it to."""

    original_value: str | None = field("originalValue")
    interpreted_value: str | None = field("interpretedValue")
    resolved_values: list[str] | None = field("resolvedValues")


@event
class LexV2Slot:
    """A slot's value: ``shape`` is ``Scalar`` (one ``value``) or ``List`` (``values``,
    each itself a slot); a composite slot holds its parts in ``subSlots``. A slot Lex has
    not filled is ``null`` in the intent's ``slots`` map."""

    shape: str | None = field("shape")
    value: LexV2SlotValue | None = field("value")
    values: list[LexV2Slot] | None = field("values")
    sub_slots: dict[str, LexV2Slot | None] | None = field("subSlots")

    def interpreted_values(self) -> list[str]:
        """The interpreted values: one for a scalar slot, each element's for a list."""
        out = []
        if self.value is not None and self.value.interpreted_value is not None:
            out.append(self.value.interpreted_value)
        for item in self.values or ():
            out.extend(item.interpreted_values())
        return out


@event
class LexV2Intent:
    """An intent: its name, slots (name -> slot, ``None`` while unfilled), state
    (``InProgress``, ``ReadyForFulfillment``, ``Fulfilled`` …) and confirmation state
    (``None``, ``Confirmed``, ``Denied``), plus Amazon Kendra's answer for the built-in
    ``AMAZON.KendraSearchIntent``."""

    name: str | None = field("name")
    slots: dict[str, LexV2Slot | None] | None = field("slots")
    state: str | None = field("state")
    confirmation_state: str | None = field("confirmationState")
    kendra_response: Any = field("kendraResponse")

    def slot(self, name: str) -> LexV2Slot | None:
        """Slot ``name``, or ``None`` when it is unfilled or not part of the intent."""
        slots = self.slots
        return slots.get(name) if slots else None

    def slot_value(self, name: str) -> str | None:
        """The interpreted value of slot ``name`` (the first, for a list slot), or
        ``None`` when it has none."""
        slot = self.slot(name)
        values = slot.interpreted_values() if slot is not None else []
        return values[0] if values else None

    def set_slot(self, name: str, value: str | None) -> None:
        """Fill scalar slot ``name`` with ``value`` (as both original and interpreted
        value), or mark it unfilled with ``None``."""
        slots = self.slots
        if slots is None:
            slots = self.slots = {}
        if value is None:
            slots[name] = None
            return
        slots[name] = LexV2Slot(
            shape="Scalar",
            value=LexV2SlotValue(
                original_value=value, interpreted_value=value, resolved_values=[value]
            ),
        )

    def _copy(self, state: str | None = None) -> LexV2Intent:
        return LexV2Intent(
            name=self.name,
            slots=dict(self.slots) if self.slots is not None else None,
            state=state if state is not None else self.state,
            confirmation_state=self.confirmation_state,
        )


@event
class LexV2SentimentScore:
    """How strongly Amazon Comprehend reads each sentiment into the input (0 to 1)."""

    mixed: float | None = field("mixed")
    negative: float | None = field("negative")
    neutral: float | None = field("neutral")
    positive: float | None = field("positive")


@event
class LexV2SentimentResponse:
    """The sentiment of the user's input, when sentiment analysis is on for the bot."""

    sentiment: str | None = field("sentiment")
    sentiment_score: LexV2SentimentScore | None = field("sentimentScore")


@event
class LexV2Interpretation:
    """An intent Lex considers the input may mean, with its confidence score, the
    sentiment of the input and which engine produced it (``Lex`` or ``Bedrock``)."""

    interpretation_source: str | None = field("interpretationSource")
    intent: LexV2Intent | None = field("intent")
    nlu_confidence: float | None = field("nluConfidence")
    sentiment_response: LexV2SentimentResponse | None = field("sentimentResponse")


@event
class LexV2ElicitSubSlot:
    """The part of a composite slot to ask for; parts may themselves be composite."""

    name: str | None = field("name")
    sub_slot_to_elicit: LexV2ElicitSubSlot | None = field("subSlotToElicit")


@event
class LexV2DialogAction:
    """The next step of the conversation: ``type`` (``Close``, ``ConfirmIntent``,
    ``Delegate``, ``ElicitIntent``, ``ElicitSlot``), and for ``ElicitSlot`` the slot to
    ask for, how the user may spell it, and the part of a composite slot."""

    type: str | None = field("type")
    slot_to_elicit: str | None = field("slotToElicit")
    slot_elicitation_style: str | None = field("slotElicitationStyle")
    sub_slot_to_elicit: LexV2ElicitSubSlot | None = field("subSlotToElicit")


@event
class LexV2Prompt:
    """Which attempt at a prompt Lex is at (``Initial``, ``Retry1`` …)."""

    attempt: str | None = field("attempt")


@event
class LexV2ProposedNextState:
    """What Lex plans to do next if the function agrees (sent to dialog code hooks)."""

    dialog_action: LexV2DialogAction | None = field("dialogAction")
    intent: LexV2Intent | None = field("intent")
    prompt: LexV2Prompt | None = field("prompt")


@event
class LexV2ActiveContextTimeToLive:
    """How long a context stays active: a number of seconds and of conversation turns."""

    time_to_live_in_seconds: int | None = field("timeToLiveInSeconds")
    turns_to_live: int | None = field("turnsToLive")


@event
class LexV2ActiveContext:
    """A context that is active for the session, with its attributes and lifetime."""

    name: str | None = field("name")
    context_attributes: dict[str, str] | None = field("contextAttributes")
    time_to_live: LexV2ActiveContextTimeToLive | None = field("timeToLive")


@event
class LexV2SessionState:
    """The state of the session: active contexts, application-defined session attributes,
    runtime hints for slot values, the current dialog action and intent, and the id of
    the request that started the session."""

    active_contexts: list[LexV2ActiveContext] | None = field("activeContexts")
    session_attributes: dict[str, str] | None = field("sessionAttributes")
    runtime_hints: dict[str, Any] | None = field("runtimeHints")
    dialog_action: LexV2DialogAction | None = field("dialogAction")
    intent: LexV2Intent | None = field("intent")
    originating_request_id: str | None = field("originatingRequestId")


@event
class LexV2ResolvedContext:
    """The intent a transcription was resolved in."""

    intent: str | None = field("intent")


@event
class LexV2Transcription:
    """One way the speech recogniser heard the user (``inputMode`` ``Speech``), with
    its confidence and the intent and slot values resolved from it."""

    transcription: str | None = field("transcription")
    transcription_confidence: float | None = field("transcriptionConfidence")
    resolved_context: LexV2ResolvedContext | None = field("resolvedContext")
    resolved_slots: dict[str, LexV2Slot | None] | None = field("resolvedSlots")


@event
class LexV2Button:
    """A button of a response card: the ``text`` shown and the ``value`` sent back."""

    text: str | None = field("text")
    value: str | None = field("value")


@event
class LexV2ImageResponseCard:
    """A card shown with a message: title, subtitle, image and up to five buttons."""

    title: str | None = field("title")
    subtitle: str | None = field("subtitle")
    image_url: str | None = field("imageUrl")
    buttons: list[LexV2Button] | None = field("buttons")


@event
class LexV2Message:
    """A message for the user: ``PlainText``, ``SSML``, a ``CustomPayload`` in
    ``content``, or an ``ImageResponseCard``."""

    content_type: str | None = field("contentType")
    content: str | None = field("content")
    image_response_card: LexV2ImageResponseCard | None = field("imageResponseCard")

    @classmethod
    def plain_text(cls, content: str) -> LexV2Message:
        """A plain-text message."""
        return cls(content_type=LexV2MessageContentTypePlainText, content=content)


_Messages: TypeAlias = "str | LexV2Message | list[LexV2Message] | None"


def _messages(messages: _Messages) -> list[LexV2Message] | None:
    if messages is None:
        return None
    if isinstance(messages, str):
        return [LexV2Message.plain_text(messages)]
    if isinstance(messages, LexV2Message):
        return [messages]
    return list(messages)


@event
class LexV2Response:
    """What a code hook returns to Lex: the session state to continue with (its dialog
    action says what Lex does next), messages for the user and request attributes.

    The classmethods build each kind of answer; :class:`LexV2Event` has shortcuts that
    carry the session over from the event.
    """

    session_state: LexV2SessionState | None = field("sessionState")
    messages: list[LexV2Message] | None = field("messages")
    request_attributes: dict[str, str] | None = field("requestAttributes")

    @classmethod
    def _new(
        cls,
        action: LexV2DialogAction,
        intent: LexV2Intent | None,
        messages: _Messages,
        session_attributes: dict[str, str] | None,
        active_contexts: list[LexV2ActiveContext] | None,
    ) -> LexV2Response:
        state = LexV2SessionState(
            active_contexts=active_contexts,
            session_attributes=session_attributes,
            dialog_action=action,
            intent=intent,
        )
        return cls(session_state=state, messages=_messages(messages))

    @classmethod
    def close(
        cls,
        intent: LexV2Intent,
        messages: _Messages = None,
        *,
        state: str = LexV2IntentStateFulfilled,
        session_attributes: dict[str, str] | None = None,
        active_contexts: list[LexV2ActiveContext] | None = None,
    ) -> LexV2Response:
        """End ``intent`` with ``state`` (``Fulfilled`` unless given, or ``Failed``),
        telling the user ``messages`` (a string is sent as plain text)."""
        return cls._new(
            LexV2DialogAction(type=LexV2DialogActionTypeClose),
            intent._copy(state),
            messages,
            session_attributes,
            active_contexts,
        )

    @classmethod
    def elicit_slot(
        cls,
        intent: LexV2Intent,
        slot: str,
        messages: _Messages = None,
        *,
        session_attributes: dict[str, str] | None = None,
        active_contexts: list[LexV2ActiveContext] | None = None,
    ) -> LexV2Response:
        """Ask for slot ``slot`` of ``intent``, with ``messages`` as the prompt (the
        slot's own prompt when none is given)."""
        return cls._new(
            LexV2DialogAction(type=LexV2DialogActionTypeElicitSlot, slot_to_elicit=slot),
            intent._copy(),
            messages,
            session_attributes,
            active_contexts,
        )

    @classmethod
    def delegate(
        cls,
        intent: LexV2Intent,
        *,
        session_attributes: dict[str, str] | None = None,
        active_contexts: list[LexV2ActiveContext] | None = None,
    ) -> LexV2Response:
        """Let Lex choose the next step for ``intent`` (maybe with slots the function
        filled)."""
        return cls._new(
            LexV2DialogAction(type=LexV2DialogActionTypeDelegate),
            intent._copy(),
            None,
            session_attributes,
            active_contexts,
        )

    @classmethod
    def confirm_intent(
        cls,
        intent: LexV2Intent,
        messages: _Messages = None,
        *,
        session_attributes: dict[str, str] | None = None,
        active_contexts: list[LexV2ActiveContext] | None = None,
    ) -> LexV2Response:
        """Ask the user to confirm ``intent``, with ``messages`` as the question."""
        return cls._new(
            LexV2DialogAction(type=LexV2DialogActionTypeConfirmIntent),
            intent._copy(),
            messages,
            session_attributes,
            active_contexts,
        )

    @classmethod
    def elicit_intent(
        cls,
        messages: _Messages = None,
        *,
        session_attributes: dict[str, str] | None = None,
        active_contexts: list[LexV2ActiveContext] | None = None,
    ) -> LexV2Response:
        """Ask the user what they want to do next."""
        return cls._new(
            LexV2DialogAction(type=LexV2DialogActionTypeElicitIntent),
            None,
            messages,
            session_attributes,
            active_contexts,
        )


@event
class LexV2Event:
    """What an Amazon Lex V2 bot sends its code hook: the user's input and how it came
    (text, speech, DTMF), the bot, the intents Lex considers (``interpretations``), the
    session state with the current intent, what Lex would do next, and the speech
    transcriptions.

    ``close()``, ``elicit_slot()``, ``delegate()``, ``confirm_intent()`` and
    ``elicit_intent()`` build a :class:`LexV2Response` for the current intent, keeping
    the session attributes and active contexts.
    """

    message_version: str | None = field("messageVersion")
    invocation_source: str | None = field("invocationSource")
    input_mode: str | None = field("inputMode")
    response_content_type: str | None = field("responseContentType")
    session_id: str | None = field("sessionId")
    input_transcript: str | None = field("inputTranscript")
    invocation_label: str | None = field("invocationLabel")
    bot: LexV2Bot | None = field("bot")
    interpretations: list[LexV2Interpretation] | None = field("interpretations")
    proposed_next_state: LexV2ProposedNextState | None = field("proposedNextState")
    request_attributes: dict[str, str] | None = field("requestAttributes")
    session_state: LexV2SessionState | None = field("sessionState")
    transcriptions: list[LexV2Transcription] | None = field("transcriptions")

    def intent(self) -> LexV2Intent:
        """The current intent (``sessionState.intent``); ``ValueError`` when absent."""
        state = self.session_state
        if state is None or state.intent is None:
            raise ValueError("the event has no current intent")
        return state.intent

    def session_attributes(self) -> dict[str, str]:
        """The session attributes (``sessionState.sessionAttributes``), created empty
        when absent so they can be set and sent back."""
        state = self.session_state
        if state is None:
            state = self.session_state = LexV2SessionState()
        if state.session_attributes is None:
            state.session_attributes = {}
        return state.session_attributes

    def _carried(self) -> tuple[dict[str, str] | None, list[LexV2ActiveContext] | None]:
        state = self.session_state
        if state is None:
            return None, None
        return state.session_attributes, state.active_contexts

    def close(
        self, messages: _Messages = None, *, state: str = LexV2IntentStateFulfilled
    ) -> LexV2Response:
        """End the current intent with ``state`` (``Fulfilled`` unless given)."""
        attributes, contexts = self._carried()
        return LexV2Response.close(
            self.intent(),
            messages,
            state=state,
            session_attributes=attributes,
            active_contexts=contexts,
        )

    def elicit_slot(self, slot: str, messages: _Messages = None) -> LexV2Response:
        """Ask for slot ``slot`` of the current intent."""
        attributes, contexts = self._carried()
        return LexV2Response.elicit_slot(
            self.intent(), slot, messages, session_attributes=attributes, active_contexts=contexts
        )

    def delegate(self) -> LexV2Response:
        """Let Lex choose the next step for the current intent."""
        attributes, contexts = self._carried()
        return LexV2Response.delegate(
            self.intent(), session_attributes=attributes, active_contexts=contexts
        )

    def confirm_intent(self, messages: _Messages = None) -> LexV2Response:
        """Ask the user to confirm the current intent."""
        attributes, contexts = self._carried()
        return LexV2Response.confirm_intent(
            self.intent(), messages, session_attributes=attributes, active_contexts=contexts
        )

    def elicit_intent(self, messages: _Messages = None) -> LexV2Response:
        """Ask the user what they want to do next."""
        attributes, contexts = self._carried()
        return LexV2Response.elicit_intent(
            messages, session_attributes=attributes, active_contexts=contexts
        )
