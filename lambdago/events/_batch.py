"""Partial batch responses without bookkeeping: run a handler over each record of a batch
and collect the identifiers of the records that failed.

SQS, Kinesis and DynamoDB streams retry only the records a function names as failed
(``ReportBatchItemFailures``). :func:`process_batch` calls the handler once per record,
catches what it raises, and returns the identifiers to report; the event types build
their response from it (``SQSEvent.process``).

With ``stop_at_first_failure`` (FIFO queues, Kinesis and DynamoDB streams, where records
must be handled in order) the records after the first failure are not processed and are
reported failed too, so they are delivered again after the one that failed.

A failed record without an identifier cannot be reported on its own, so the whole batch
has to be retried: :class:`UnidentifiedFailure` is raised, which fails the invocation.
"""

from __future__ import annotations

from collections.abc import Awaitable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, TypeVar

    R = TypeVar("R")

__all__ = ["UnidentifiedFailure", "process_batch", "process_batch_async", "transform_records"]


class UnidentifiedFailure(RuntimeError):
    """A record failed (or was skipped after a failure) but has no identifier to report.

    Raised instead of returning a response, so the invocation fails and the whole batch is
    retried. The handler's exception, if any, is the ``__cause__``.
    """


def _identify(
    identifier: Callable[[R], str | None], record: R, index: int, error: BaseException | None
) -> str:
    ident = identifier(record)
    if ident is None or ident == "":
        what = "failed" if error is not None else "was skipped after an earlier failure"
        raise UnidentifiedFailure(
            f"record {index} of the batch {what} but has no identifier to report; "
            "the whole batch must be retried"
        ) from error
    return ident


def process_batch(
    records: Iterable[R],
    handler: Callable[[R], object],
    identifier: Callable[[R], str | None],
    *,
    stop_at_first_failure: bool = False,
    on_error: Callable[[R, Exception], object] | None = None,
) -> list[str]:
    """Call ``handler(record)`` for each record; return the identifiers of those that failed.

    A record fails when the handler raises an ``Exception`` (``BaseException``\\ s such as
    ``KeyboardInterrupt`` propagate). ``on_error(record, exc)`` is called for each failure,
    for logging; if it raises, that exception propagates. With ``stop_at_first_failure``
    every record after the first failure is reported failed without being processed.

    Raises :class:`UnidentifiedFailure` when a record to report has no identifier
    (``identifier`` returned ``None`` or ``""``).
    """
    failed: list[str] = []
    stopped = False
    for index, record in enumerate(records):
        if stopped:
            failed.append(_identify(identifier, record, index, None))
            continue
        try:
            handler(record)
        except Exception as exc:
            if on_error is not None:
                on_error(record, exc)
            failed.append(_identify(identifier, record, index, exc))
            stopped = stop_at_first_failure
    return failed


async def process_batch_async(
    records: Iterable[R],
    handler: Callable[[R], Awaitable[object] | object],
    identifier: Callable[[R], str | None],
    *,
    stop_at_first_failure: bool = False,
    on_error: Callable[[R, Exception], object] | None = None,
) -> list[str]:
    """:func:`process_batch` for coroutine handlers: each result that is awaitable is awaited
    before the next record is processed (records are handled one at a time, in order).

    ``on_error`` may be a plain function or a coroutine function.
    """
    failed: list[str] = []
    stopped = False
    for index, record in enumerate(records):
        if stopped:
            failed.append(_identify(identifier, record, index, None))
            continue
        try:
            result = handler(record)
            if isinstance(result, Awaitable):
                await result
        except Exception as exc:
            if on_error is not None:
                reported = on_error(record, exc)
                if isinstance(reported, Awaitable):
                    await reported
            failed.append(_identify(identifier, record, index, exc))
            stopped = stop_at_first_failure
    return failed


def transform_records(
    records: Iterable[Any],
    fn: Callable[[Any], Any],
    on_error: Callable[[Any, Exception], object] | None,
    response_record_type: type,
) -> list[Any]:
    """Firehose and Kinesis Data Analytics preprocessing: the response records for a
    batch, calling ``fn(record)`` once per record. ``None`` from it drops the record, an
    exception marks it failed (after ``on_error(record, exc)``), a response record is used
    as it is, anything else is the record's transformed data. Each event record builds its
    own response (``ok``, ``dropped``, ``processing_failed``).
    """
    out = []
    for record in records:
        try:
            result = fn(record)
        except Exception as exc:
            if on_error is not None:
                on_error(record, exc)
            out.append(record.processing_failed())
            continue
        if result is None:
            out.append(record.dropped())
        elif isinstance(result, response_record_type):
            out.append(result)
        else:
            out.append(record.ok(result))
    return out
