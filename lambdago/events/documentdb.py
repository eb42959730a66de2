"""Amazon DocumentDB (with MongoDB compatibility): the batch of change stream events
Lambda reads from a cluster's change stream and sends to a function.

Each change event is MongoDB's change stream document as DocumentDB writes it, in
MongoDB Extended JSON: an object id is ``{"$oid": "…"}``, a date ``{"$date": …}``, the
cluster time ``{"$timestamp": {"t": …, "i": …}}``. The classes keep those values exactly as
sent (``Any`` / ``dict``), so an event re-encodes unchanged;
:func:`documentdb_to_python` (and :meth:`DocumentDBChangeEvent.decode_full_document`)
turns them into Python values.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, InvalidOperation

from ._base import event, field, format_rfc3339

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "DocumentDBChangeEvent",
    "DocumentDBEvent",
    "DocumentDBEventRecord",
    "DocumentDBNamespace",
    "DocumentDBOperationTypeDelete",
    "DocumentDBOperationTypeDrop",
    "DocumentDBOperationTypeDropDatabase",
    "DocumentDBOperationTypeInsert",
    "DocumentDBOperationTypeInvalidate",
    "DocumentDBOperationTypeRename",
    "DocumentDBOperationTypeReplace",
    "DocumentDBOperationTypeUpdate",
    "DocumentDBUpdateDescription",
    "documentdb_to_python",
]

SAMPLES = {
    "documentdb-insert": "DocumentDBEvent",
    "documentdb-update-delete": "DocumentDBEvent",
}

DocumentDBOperationTypeInsert: Final = "insert"
"""A document was inserted (``fullDocument`` is the new document)."""
DocumentDBOperationTypeUpdate: Final = "update"
"""A document was updated (``updateDescription`` says how; ``fullDocument`` is set when
the stream was opened with full document lookup)."""
DocumentDBOperationTypeReplace: Final = "replace"
"""A document was replaced (``fullDocument`` is the new document)."""
DocumentDBOperationTypeDelete: Final = "delete"
"""A document was deleted (only ``documentKey`` identifies it)."""
DocumentDBOperationTypeDrop: Final = "drop"
"""The collection was dropped."""
DocumentDBOperationTypeRename: Final = "rename"
"""The collection was renamed."""
DocumentDBOperationTypeDropDatabase: Final = "dropDatabase"
"""The database was dropped."""
DocumentDBOperationTypeInvalidate: Final = "invalidate"
"""The change stream was invalidated (after a drop or rename of what it watches)."""

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)


@event
class DocumentDBNamespace:
    """A database and collection."""

    db: str | None = field("db")
    coll: str | None = field("coll")


@event
class DocumentDBUpdateDescription:
    """How an update changed a document: the fields set (with their new values, in
    Extended JSON), the fields removed, and the arrays truncated."""

    updated_fields: dict[str, Any] | None = field("updatedFields")
    removed_fields: list[str] | None = field("removedFields")
    truncated_arrays: list[Any] | None = field("truncatedArrays")


@event
class DocumentDBChangeEvent:
    """One change stream event: its resume token (``_id``), the operation, the
    namespace, the changed document's key (``documentKey``, holding its ``_id``), the
    document itself when the operation carries it, and the cluster time of the change.
    Extended JSON values are kept as sent."""

    id: Any = field("_id")
    cluster_time: Any = field("clusterTime")
    document_key: dict[str, Any] | None = field("documentKey")
    full_document: dict[str, Any] | None = field("fullDocument")
    ns: DocumentDBNamespace | None = field("ns")
    to: DocumentDBNamespace | None = field("to")
    operation_type: str | None = field("operationType")
    update_description: DocumentDBUpdateDescription | None = field("updateDescription")

    def cluster_timestamp(self) -> tuple[int, int] | None:
        """``clusterTime`` as ``(seconds, increment)``, or ``None`` when absent or not a
        ``$timestamp``."""
        value = self.cluster_time
        if not isinstance(value, dict):
            return None
        ts = value.get("$timestamp")
        if not isinstance(ts, dict):
            return None
        t, i = ts.get("t"), ts.get("i")
        if isinstance(t, int) and isinstance(i, int):
            return t, i
        return None

    def cluster_datetime(self) -> _dt.datetime | None:
        """The second of ``clusterTime`` as an aware UTC ``datetime`` (``None`` when
        absent)."""
        ts = self.cluster_timestamp()
        return _EPOCH + _dt.timedelta(seconds=ts[0]) if ts is not None else None

    def document_id(self) -> Any:
        """The changed document's ``_id`` as a Python value (an object id is its hex
        string); ``None`` when the event has no ``documentKey``."""
        key = self.document_key
        if not key or "_id" not in key:
            return None
        return documentdb_to_python(key["_id"])

    def decode_full_document(self, type: Any = object, **options: Any) -> Any:
        """``fullDocument`` with its Extended JSON wrappers undone, decoded into
        ``type`` (``lambdago.decode`` options apply): object ids become strings, dates
        fit ``datetime`` fields, ``$numberDecimal`` fits ``Decimal`` fields, cluster
        timestamps fit ``tuple[int, int]``. With ``object`` (the default), the result of
        :func:`documentdb_to_python`. Raises ``ValueError`` when the event carries no
        full document, :class:`lambdago.DecodeError` (its path starting at
        ``fullDocument``) when the document does not fit ``type``."""
        if self.full_document is None:
            raise ValueError("the change event has no fullDocument")
        if type is object:
            return documentdb_to_python(self.full_document)
        # Dates as RFC 3339 text and timestamps as [t, i]: the forms decoding reads.
        plain = _plain(self.full_document, True)
        from .. import _converters
        from ..codec import CodecOptions
        from ..errors import DecodeError

        opts = CodecOptions(**options)
        try:
            convert = _converters.decoder(type, opts.mode)
        except _converters.UnsupportedType as exc:
            raise TypeError(str(exc)) from None
        try:
            return convert(plain)
        except _converters.Failure as failure:
            path = failure.dotted_path()
            if not path:
                where = "fullDocument"
            else:
                where = f"fullDocument{path}" if path.startswith("[") else f"fullDocument.{path}"
            raise DecodeError(failure.reason, where) from None


@event
class DocumentDBEventRecord:
    """A record of the batch: one change stream ``event``."""

    event: DocumentDBChangeEvent | None = field("event")


@event
class DocumentDBEvent:
    """What Lambda sends a function subscribed to an Amazon DocumentDB change stream: the
    cluster's ARN, ``aws:docdb``, and the batch of change events in order."""

    event_source_arn: str | None = field("eventSourceArn")
    events: list[DocumentDBEventRecord] | None = field("events")
    event_source: str | None = field("eventSource")

    def changes(self) -> list[DocumentDBChangeEvent]:
        """The change events of the batch, in order (records without one skipped)."""
        return [r.event for r in self.events or () if r.event is not None]


# -- Extended JSON ----------------------------------------------------------------------------


def _date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            parsed = _dt.datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=_dt.UTC)
    if isinstance(value, dict) and value.keys() == {"$numberLong"}:
        value = _int(value["$numberLong"])
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return _EPOCH + _dt.timedelta(milliseconds=value)
        except OverflowError:
            return None
    return None


def _int(text: Any) -> int | None:
    if not isinstance(text, str):
        return None
    try:
        return int(text)
    except ValueError:
        return None


def _double(text: Any) -> float | None:
    if not isinstance(text, str):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _decimal(text: Any) -> Decimal | None:
    if not isinstance(text, str):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _wrapper(d: dict[str, Any], for_decoding: bool) -> Any:
    """The Python value of a one-key Extended JSON wrapper, or ``d`` itself."""
    ((key, inner),) = d.items()
    converted: Any = None
    if key == "$oid":
        converted = inner if isinstance(inner, str) else None
    elif key == "$date":
        converted = _date(inner)
        if converted is not None and for_decoding:
            converted = format_rfc3339(converted)
    elif key in ("$numberLong", "$numberInt"):
        converted = _int(inner)
    elif key == "$numberDouble":
        converted = _double(inner)
    elif key == "$numberDecimal":
        converted = _decimal(inner)
    elif key == "$timestamp" and isinstance(inner, dict):
        t, i = inner.get("t"), inner.get("i")
        if isinstance(t, int) and isinstance(i, int):
            converted = [t, i] if for_decoding else (t, i)
    return d if converted is None else converted


def _plain(value: Any, for_decoding: bool) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)).startswith("$"):
            return _wrapper(value, for_decoding)
        return {k: _plain(v, for_decoding) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, for_decoding) for v in value]
    return value


def documentdb_to_python(value: Any) -> Any:
    """A value in MongoDB Extended JSON (canonical or relaxed), as DocumentDB change
    events carry it, with its type wrappers turned into Python values:

    ===================================  =====================================
    ``{"$oid": "…"}``                    the id's hex ``str``
    ``{"$date": …}``                     an aware UTC ``datetime`` (ISO text,
                                         epoch milliseconds or ``$numberLong``)
    ``{"$numberLong"/"$numberInt": …}``  ``int``
    ``{"$numberDouble": …}``             ``float`` (``Infinity``, ``NaN`` too)
    ``{"$numberDecimal": …}``            ``Decimal``
    ``{"$timestamp": {"t", "i"}}``       the tuple ``(t, i)``
    ===================================  =====================================

    Objects and arrays are converted throughout (a new value is returned; the input is
    not changed). Other wrappers (``$binary``, ``$regularExpression`` …) and malformed
    ones are left as they are.
    """
    return _plain(value, False)
