"""Amazon EventBridge (formerly CloudWatch Events): the event a rule or a schedule
delivers to a function."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._base import RFC3339, event, field

__all__ = ["CloudWatchEvent", "EventBridgeEvent"]

SAMPLES = {
    "eventbridge-scheduled": "CloudWatchEvent",
    "eventbridge-ec2-state-change": "CloudWatchEvent",
}


@event
class CloudWatchEvent:
    """The envelope of an event an EventBridge rule (or a scheduled rule) sends to a
    function: who sent it (``source``, ``detail-type``), when, where, and the event's
    own ``detail``, kept as plain JSON; :meth:`decode_detail` decodes it into a type.
    """

    version: str | None = field("version")
    id: str | None = field("id")
    detail_type: str | None = field("detail-type")
    source: str | None = field("source")
    account_id: str | None = field("account")
    time: datetime | None = field("time", wire=RFC3339)
    region: str | None = field("region")
    resources: list[str] | None = field("resources")
    detail: Any = field("detail")

    def decode_detail(self, type: Any = object, **options: Any) -> Any:
        """``detail`` decoded into ``type`` (``lambdago.decode`` options apply).

        Raises :class:`lambdago.DecodeError` with a path starting at ``detail``.
        """
        from .. import _converters
        from ..codec import CodecOptions, decode, encode
        from ..errors import DecodeError

        opts = CodecOptions(**options)
        if opts.use_decimal:
            # Exact numbers need the JSON text: go through it.
            try:
                return decode(encode(self.detail), type, **options)
            except DecodeError as exc:
                raise DecodeError(exc.reason, _under_detail(exc.path)) from None
        try:
            convert = _converters.decoder(type, opts.strict)
        except _converters.UnsupportedType as exc:
            raise TypeError(str(exc)) from None
        try:
            return convert(self.detail)
        except _converters.Failure as failure:
            raise DecodeError(failure.reason, _under_detail(failure.dotted_path())) from None


def _under_detail(path: str) -> str:
    if not path:
        return "detail"
    return f"detail{path}" if path.startswith("[") else f"detail.{path}"


EventBridgeEvent = CloudWatchEvent
