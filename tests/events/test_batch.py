"""The shared batch-processing helper behind ``SQSEvent.process`` and the stream events."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambdago.events._batch import UnidentifiedFailure, process_batch, process_batch_async


@dataclass
class Rec:
    id: str | None
    fail: bool = False


class Boom(Exception):
    pass


def handler(calls: list[str | None]) -> Callable[[Rec], None]:
    def handle(r: Rec) -> None:
        calls.append(r.id)
        if r.fail:
            raise Boom(r.id)

    return handle


def ident(r: Rec) -> str | None:
    return r.id


def test_reports_only_the_failed_records_and_processes_all() -> None:
    recs = [Rec("a"), Rec("b", True), Rec("c"), Rec("d", True)]
    calls: list[str | None] = []
    assert process_batch(recs, handler(calls), ident) == ["b", "d"]
    assert calls == ["a", "b", "c", "d"]


def test_all_succeed_gives_an_empty_list() -> None:
    assert process_batch([Rec("a"), Rec("b")], lambda r: None, ident) == []
    assert process_batch([], lambda r: None, ident) == []


def test_stop_at_first_failure_skips_and_reports_the_rest() -> None:
    recs = [Rec("a"), Rec("b", True), Rec("c"), Rec("d")]
    calls: list[str | None] = []
    failed = process_batch(recs, handler(calls), ident, stop_at_first_failure=True)
    assert failed == ["b", "c", "d"]
    assert calls == ["a", "b"]


def test_on_error_gets_each_record_and_its_exception() -> None:
    seen: list[tuple[str | None, str]] = []
    recs = [Rec("a", True), Rec("b"), Rec("c", True)]
    process_batch(recs, handler([]), ident, on_error=lambda r, e: seen.append((r.id, str(e))))
    assert seen == [("a", "a"), ("c", "c")]


def test_on_error_is_not_called_for_skipped_records() -> None:
    seen: list[str | None] = []
    recs = [Rec("a", True), Rec("b", True)]
    failed = process_batch(
        recs,
        handler([]),
        ident,
        stop_at_first_failure=True,
        on_error=lambda r, e: seen.append(r.id),
    )
    assert failed == ["a", "b"]
    assert seen == ["a"]


def test_an_exception_in_on_error_propagates() -> None:
    def bad(r: Rec, e: Exception) -> None:
        raise RuntimeError("logging broke")

    with pytest.raises(RuntimeError, match="logging broke"):
        process_batch([Rec("a", True)], handler([]), ident, on_error=bad)


def test_base_exceptions_are_not_caught() -> None:
    class Stop(BaseException):
        pass

    def handle(r: Rec) -> None:
        raise Stop

    with pytest.raises(Stop):
        process_batch([Rec("a")], handle, ident)


@pytest.mark.parametrize("missing", [None, ""])
def test_a_failed_record_without_identifier_fails_the_whole_batch(missing: str | None) -> None:
    with pytest.raises(UnidentifiedFailure, match="record 1 of the batch failed") as info:
        process_batch([Rec("a"), Rec(missing, True)], handler([]), ident)
    assert isinstance(info.value.__cause__, Boom)


def test_a_skipped_record_without_identifier_fails_the_whole_batch() -> None:
    recs = [Rec("a", True), Rec(None)]
    with pytest.raises(UnidentifiedFailure, match="record 1 of the batch was skipped"):
        process_batch(recs, handler([]), ident, stop_at_first_failure=True)


def test_successful_records_need_no_identifier() -> None:
    assert process_batch([Rec(None), Rec("b", True)], handler([]), ident) == ["b"]


def test_records_may_be_any_iterable() -> None:
    recs = (Rec(str(i), i % 2 == 1) for i in range(5))
    assert process_batch(recs, handler([]), ident) == ["1", "3"]


def test_async_awaits_coroutine_handlers() -> None:
    calls: list[str | None] = []

    async def handle(r: Rec) -> None:
        await asyncio.sleep(0)
        calls.append(r.id)
        if r.fail:
            raise Boom(r.id)

    recs = [Rec("a"), Rec("b", True), Rec("c")]
    assert asyncio.run(process_batch_async(recs, handle, ident)) == ["b"]
    assert calls == ["a", "b", "c"]


def test_async_accepts_plain_handlers_and_async_on_error() -> None:
    seen: list[str | None] = []

    async def report(r: Rec, e: Exception) -> None:
        await asyncio.sleep(0)
        seen.append(r.id)

    recs = [Rec("a", True), Rec("b"), Rec("c")]
    failed = asyncio.run(
        process_batch_async(recs, handler([]), ident, stop_at_first_failure=True, on_error=report)
    )
    assert failed == ["a", "b", "c"]
    assert seen == ["a"]


def test_async_unidentified_failure() -> None:
    async def handle(r: Rec) -> None:
        raise Boom

    with pytest.raises(UnidentifiedFailure):
        asyncio.run(process_batch_async([Rec(None)], handle, ident))


def _model(outcomes: list[bool], stop: bool) -> tuple[list[str], list[str]]:
    """(failed ids, processed ids) as the specification says."""
    failed: list[str] = []
    processed: list[str] = []
    stopped = False
    for i, fails in enumerate(outcomes):
        if stopped:
            failed.append(str(i))
            continue
        processed.append(str(i))
        if fails:
            failed.append(str(i))
            stopped = stop
    return failed, processed


@given(st.lists(st.booleans(), max_size=30), st.booleans())
def test_sync_and_async_follow_the_specification(outcomes: list[bool], stop: bool) -> None:
    recs = [Rec(str(i), f) for i, f in enumerate(outcomes)]
    expected_failed, expected_calls = _model(outcomes, stop)
    calls: list[str | None] = []
    assert process_batch(recs, handler(calls), ident, stop_at_first_failure=stop) == expected_failed
    assert calls == expected_calls

    async_calls: list[str | None] = []
    sync_handle = handler(async_calls)

    async def handle(r: Rec) -> None:
        sync_handle(r)

    got = asyncio.run(process_batch_async(recs, handle, ident, stop_at_first_failure=stop))
    assert got == expected_failed
    assert async_calls == expected_calls
