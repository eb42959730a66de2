"""AWS AppSync Events: the event an Event API's channel namespace sends its Lambda handler
when a client publishes to a channel or subscribes to one, and what the handler returns.

For ``PUBLISH``, :class:`AppSyncEventsEvent` carries the published events (``id`` and
``payload``); the handler returns an :class:`AppSyncEventsResponse` listing the events to
broadcast (possibly changed, each under its ``id``) and, per event, an error instead of a
payload to reject that one. Events left out of the response are not broadcast. For
``SUBSCRIBE``, the handler returns nothing to allow the subscription, or
:meth:`AppSyncEventsResponse.reject` to refuse it::

    def handler(event: AppSyncEventsEvent) -> AppSyncEventsResponse | None:
        if event.is_subscribe():
            if event.auth_type() == AppSyncAuthTypeAPIKey:
                return AppSyncEventsResponse.reject("sign in to subscribe")
            return None
        return event.process(lambda e: {**e.payload, "checked": True})

The caller's identity and the HTTP request have the shapes AppSync resolvers see, so
they reuse :class:`AppSyncResolverIdentity` and :class:`AppSyncResolverRequest`.
"""

from __future__ import annotations

from ._base import event, field
from .appsync_resolver import AppSyncAuthTypeAPIKey, AppSyncResolverIdentity, AppSyncResolverRequest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, Final

__all__ = [
    "AppSyncEventsChannel",
    "AppSyncEventsChannelNamespace",
    "AppSyncEventsEvent",
    "AppSyncEventsIncomingEvent",
    "AppSyncEventsInfo",
    "AppSyncEventsOperationPublish",
    "AppSyncEventsOperationSubscribe",
    "AppSyncEventsOutgoingEvent",
    "AppSyncEventsResponse",
]

SAMPLES = {
    "appsync-events-publish": "AppSyncEventsEvent",
    "appsync-events-subscribe": "AppSyncEventsEvent",
    "appsync-events-publish-response": "AppSyncEventsResponse",
    "appsync-events-subscribe-response": "AppSyncEventsResponse",
}

AppSyncEventsOperationPublish: Final = "PUBLISH"
"""``info.operation`` when a client publishes events to a channel."""

AppSyncEventsOperationSubscribe: Final = "SUBSCRIBE"
"""``info.operation`` when a client subscribes to a channel."""


@event
class AppSyncEventsChannel:
    """The channel of the request: its path (``/default/orders/eu``) and the path's
    segments (``["default", "orders", "eu"]``)."""

    path: str | None = field("path")
    segments: list[str] | None = field("segments")


@event
class AppSyncEventsChannelNamespace:
    """The channel namespace whose handler runs."""

    name: str | None = field("name")


@event
class AppSyncEventsInfo:
    """Which channel, in which namespace, and the operation (``PUBLISH``, ``SUBSCRIBE``)."""

    channel: AppSyncEventsChannel | None = field("channel")
    channel_namespace: AppSyncEventsChannelNamespace | None = field("channelNamespace")
    operation: str | None = field("operation")


@event
class AppSyncEventsIncomingEvent:
    """One published event: the id AppSync gave it and its payload (any JSON value)."""

    id: str | None = field("id")
    payload: Any = field("payload")

    def decode_payload(self, type: Any = object, **options: Any) -> Any:
        """``payload`` decoded into ``type`` (``lambdago.decode`` options apply)."""
        from ._base import decode_value

        return decode_value(self.payload, type, "payload", options)


@event
class AppSyncEventsEvent:
    """What an AppSync Event API sends the Lambda handler of a channel namespace: the
    caller's identity, the HTTP request, the channel and operation (``info``), and for
    ``PUBLISH`` the events being published. ``result``, ``error``, ``prev``, ``stash``
    and ``outErrors`` are kept as AppSync sends them (usually empty)."""

    identity: AppSyncResolverIdentity | None = field("identity")
    result: Any = field("result")
    request: AppSyncResolverRequest | None = field("request")
    info: AppSyncEventsInfo | None = field("info")
    error: Any = field("error")
    prev: Any = field("prev")
    stash: dict[str, Any] | None = field("stash")
    out_errors: list[Any] | None = field("outErrors")
    events: list[AppSyncEventsIncomingEvent] | None = field("events")

    def operation(self) -> str | None:
        """``info.operation``: ``PUBLISH`` or ``SUBSCRIBE``."""
        return self.info.operation if self.info is not None else None

    def is_publish(self) -> bool:
        """Whether a client is publishing events."""
        return self.operation() == AppSyncEventsOperationPublish

    def is_subscribe(self) -> bool:
        """Whether a client is subscribing to the channel."""
        return self.operation() == AppSyncEventsOperationSubscribe

    def channel_path(self) -> str | None:
        """``info.channel.path`` (``/default/orders/eu``)."""
        info = self.info
        channel = info.channel if info is not None else None
        return channel.path if channel is not None else None

    def auth_type(self) -> str:
        """The authorization mode of the request (``API_KEY`` when there is no identity);
        see :meth:`AppSyncResolverIdentity.auth_type`."""
        if self.identity is None:
            return AppSyncAuthTypeAPIKey
        return self.identity.auth_type()

    def process(
        self,
        handler: Callable[[AppSyncEventsIncomingEvent], Any],
        *,
        on_error: Callable[[AppSyncEventsIncomingEvent, Exception], object] | None = None,
    ) -> AppSyncEventsResponse:
        """Call ``handler`` on each published event; the response broadcasting each
        event's result as its new payload, in order.

        When ``handler`` raises an ``Exception`` the event is answered with an error
        (``"<ExceptionType> - <message>"``) and not broadcast; ``on_error(event, exc)``
        is then called, for logging.
        """
        out = []
        for incoming in self.events or ():
            try:
                payload = handler(incoming)
            except Exception as exc:
                if on_error is not None:
                    on_error(incoming, exc)
                out.append(AppSyncEventsOutgoingEvent.failed(incoming.id, _error_text(exc)))
            else:
                out.append(AppSyncEventsOutgoingEvent(id=incoming.id, payload=payload))
        return AppSyncEventsResponse(events=out)


def _error_text(exc: Exception) -> str:
    message = str(exc)
    name = type(exc).__name__
    return f"{name} - {message}" if message else name


@event
class AppSyncEventsOutgoingEvent:
    """An event in a handler's response: the incoming event's ``id`` with the payload to
    broadcast, or with an ``error`` saying why that event is rejected."""

    id: str | None = field("id")
    payload: Any = field("payload")
    error: str | None = field("error")

    @classmethod
    def failed(cls, id: str | None, message: str) -> AppSyncEventsOutgoingEvent:
        """The event ``id`` rejected with ``message``."""
        return cls(id=id, error=message)


@event
class AppSyncEventsResponse:
    """What an Event API's Lambda handler returns: for ``PUBLISH`` the ``events`` to
    broadcast (with per-event errors), or an ``error`` rejecting the whole request (a
    publish or a subscription)."""

    events: list[AppSyncEventsOutgoingEvent] | None = field("events")
    error: str | None = field("error")

    @classmethod
    def forward(cls, events: Iterable[AppSyncEventsIncomingEvent]) -> AppSyncEventsResponse:
        """Broadcast ``events`` as they are (each with its id and payload)."""
        return cls(events=[AppSyncEventsOutgoingEvent(id=e.id, payload=e.payload) for e in events])

    @classmethod
    def reject(cls, message: str) -> AppSyncEventsResponse:
        """Refuse the whole request (the publish, or the subscription) with ``message``."""
        if not isinstance(message, str):
            raise TypeError(f"message must be a string, got {type(message).__name__}")
        return cls(error=message)
