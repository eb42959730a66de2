"""Amazon Lex (V1): the event a bot's dialog or fulfillment code hook sends, and the
response that tells Lex what to do next."""

from __future__ import annotations

from ._base import STRING_MAP_NULLABLE, event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias

__all__ = [
    "Attachment",
    "LexActiveContext",
    "LexActiveContextTimeToLive",
    "LexAlternativeIntents",
    "LexBot",
    "LexCurrentIntent",
    "LexDialogAction",
    "LexEvent",
    "LexIntentSummary",
    "LexResponse",
    "LexResponseCard",
    "LexSentimentResponse",
    "SessionAttributes",
    "SlotDetail",
    "Slots",
]

SAMPLES = {
    "lex-order-flowers": "LexEvent",
    "lex-close-response": "LexResponse",
}

SessionAttributes: TypeAlias = dict[str, str]
"""Application-defined strings that Lex keeps for the session and passes back and forth."""

Slots: TypeAlias = dict[str, str | None]
"""Slot values by slot name; a slot Lex has not filled is ``None`` (``null``)."""


@event
class LexBot:
    """The bot handling the request: its name, alias and version."""

    name: str | None = field("name")
    alias: str | None = field("alias")
    version: str | None = field("version")


@event
class SlotDetail:
    """More about one slot: what the user said and the values Lex resolved it to."""

    resolutions: list[dict[str, str]] | None = field("resolutions")
    original_value: str | None = field("originalValue")


@event
class LexCurrentIntent:
    """The intent Lex recognised: its slots, their details, the natural-language
    confidence score and the confirmation status (``None``, ``Confirmed``, ``Denied``)."""

    name: str | None = field("name")
    nlu_intent_confidence_score: float | None = field("nluIntentConfidenceScore")
    slots: Slots | None = field("slots", wire=STRING_MAP_NULLABLE)
    slot_details: dict[str, SlotDetail] | None = field("slotDetails")
    confirmation_status: str | None = field("confirmationStatus")


@event
class LexAlternativeIntents:
    """Another intent Lex considered, with its score and slots."""

    name: str | None = field("name")
    nlu_intent_confidence_score: float | None = field("nluIntentConfidenceScore")
    slots: Slots | None = field("slots", wire=STRING_MAP_NULLABLE)
    slot_details: dict[str, SlotDetail] | None = field("slotDetails")
    confirmation_status: str | None = field("confirmationStatus")


@event
class Attachment:
    """A card of a response card: title, subtitle, image, link and buttons (each a
    ``text`` and a ``value``)."""

    title: str | None = field("title")
    sub_title: str | None = field("subTitle")
    image_url: str | None = field("imageUrl")
    attachment_link_url: str | None = field("attachmentLinkUrl")
    buttons: list[dict[str, str]] | None = field("buttons")


@event
class LexResponseCard:
    """Cards shown to the user with the message (``contentType``
    ``application/vnd.amazonaws.card.generic``)."""

    version: int | None = field("version")
    content_type: str | None = field("contentType")
    generic_attachments: list[Attachment] | None = field("genericAttachments")


@event
class LexDialogAction:
    """What Lex should do next: ``type`` is ``ElicitIntent``, ``ElicitSlot``,
    ``ConfirmIntent``, ``Delegate`` or ``Close``; the other keys depend on it (a message
    with ``contentType`` and ``content``, the intent, its slots, the slot to elicit, the
    fulfillment state for ``Close``)."""

    type: str | None = field("type")
    fulfillment_state: str | None = field("fulfillmentState")
    message: dict[str, str] | None = field("message")
    intent_name: str | None = field("intentName")
    slots: Slots | None = field("slots", wire=STRING_MAP_NULLABLE)
    slot_to_elicit: str | None = field("slotToElicit")
    response_card: LexResponseCard | None = field("responseCard")


@event
class LexIntentSummary:
    """The state of a recent intent (one entry of ``recentIntentSummaryView``, newest
    first): its name and checkpoint label, slots, confirmation status, the dialog action
    Lex took, the fulfillment state and the slot it was eliciting. aws-lambda-go has no
    such type."""

    intent_name: str | None = field("intentName")
    checkpoint_label: str | None = field("checkpointLabel")
    slots: Slots | None = field("slots", wire=STRING_MAP_NULLABLE)
    confirmation_status: str | None = field("confirmationStatus")
    dialog_action_type: str | None = field("dialogActionType")
    fulfillment_state: str | None = field("fulfillmentState")
    slot_to_elicit: str | None = field("slotToElicit")


@event
class LexSentimentResponse:
    """Amazon Comprehend's sentiment analysis of the last utterance, sent when the bot
    has sentiment analysis turned on: the label and the scores (as Lex formats them, a
    string). aws-lambda-go has no such type."""

    sentiment_label: str | None = field("sentimentLabel")
    sentiment_score: str | None = field("sentimentScore")


@event
class LexActiveContextTimeToLive:
    """How long a context stays active: seconds and conversation turns, whichever runs
    out first. aws-lambda-go has no such type."""

    time_to_live_in_seconds: int | None = field("timeToLiveInSeconds")
    turns_to_live: int | None = field("turnsToLive")


@event
class LexActiveContext:
    """A context that is active in the conversation: its name, its time to live and the
    parameters it carries. aws-lambda-go has no such type."""

    time_to_live: LexActiveContextTimeToLive | None = field("timeToLive")
    name: str | None = field("name")
    parameters: dict[str, str] | None = field("parameters")


@event
class LexEvent:
    """What an Amazon Lex V1 bot sends its code hook: the user's input, the recognised
    intent and alternatives, session and request attributes, and whether this is a
    ``DialogCodeHook`` or ``FulfillmentCodeHook`` invocation.

    aws-lambda-go lacks four of the fields: ``recentIntentSummaryView`` (the last intents
    of the session), ``sentimentResponse`` (when sentiment analysis is on),
    ``kendraResponse`` (Amazon Kendra's full ``Query`` response, for an
    ``AMAZON.KendraSearchIntent``; plain JSON here) and ``activeContexts``."""

    message_version: str | None = field("messageVersion")
    invocation_source: str | None = field("invocationSource")
    user_id: str | None = field("userId")
    input_transcript: str | None = field("inputTranscript")
    session_attributes: SessionAttributes | None = field("sessionAttributes")
    request_attributes: dict[str, str] | None = field("requestAttributes")
    bot: LexBot | None = field("bot")
    output_dialog_mode: str | None = field("outputDialogMode")
    current_intent: LexCurrentIntent | None = field("currentIntent")
    alternative_intents: list[LexAlternativeIntents] | None = field("alternativeIntents")
    dialog_action: LexDialogAction | None = field("dialogAction")
    recent_intent_summary_view: list[LexIntentSummary] | None = field("recentIntentSummaryView")
    sentiment_response: LexSentimentResponse | None = field("sentimentResponse")
    kendra_response: dict[str, Any] | None = field("kendraResponse")
    active_contexts: list[LexActiveContext] | None = field("activeContexts")


@event
class LexResponse:
    """What a code hook returns to Lex: the session attributes to keep and the next
    dialog action.

    A code hook may also set the recent intents (``recentIntentSummaryView``) and the
    active contexts (``activeContexts``); aws-lambda-go lacks both fields."""

    session_attributes: SessionAttributes | None = field("sessionAttributes")
    dialog_action: LexDialogAction | None = field("dialogAction")
    recent_intent_summary_view: list[LexIntentSummary] | None = field("recentIntentSummaryView")
    active_contexts: list[LexActiveContext] | None = field("activeContexts")
