"""The process's one event loop, for ``async def`` handlers.

Every coroutine a handler returns runs on the same loop, which lives as long as the
process: an ``aiohttp`` session or an async database pool created at init, or during the
first invocation, keeps working in the next ones. asyncio itself is imported only when a
coroutine first needs running (it costs ~35 ms on a small Lambda).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import asyncio
    from collections.abc import Awaitable
    from typing import Any

_loop: asyncio.AbstractEventLoop | None = None
# Set by per_thread_loops(): worker threads (multi-concurrency with a sync handler) then
# get a loop each, for the odd coroutine or async iterator a sync handler returns.
_thread_loops: Any = None
_owner = 0


async def _probe() -> None:
    return None


def _coroutine_type() -> type:
    probe = _probe()
    probe.close()
    return type(probe)


CoroutineType: Any = _coroutine_type()
"""The class of coroutine objects, found without importing ``types``."""


def event_loop() -> asyncio.AbstractEventLoop:
    """The process-wide loop: the one already set for this thread, or a new one."""
    global _loop
    if _thread_loops is not None:
        import _thread

        if _thread.get_ident() != _owner:
            return _worker_loop()
    loop = _loop
    if loop is not None and not loop.is_closed():
        return loop
    import asyncio

    # A loop the user's module created and set at import (``asyncio.set_event_loop``)
    # is the one their clients are bound to, so prefer it. Reading the policy's slot
    # avoids the deprecation warnings of ``get_event_loop()`` when none is set.
    policy = asyncio.get_event_loop_policy()
    existing = getattr(getattr(policy, "_local", None), "_loop", None)
    if isinstance(existing, asyncio.AbstractEventLoop) and not existing.is_closed():
        loop = existing
    else:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    _loop = loop
    return loop


def per_thread_loops() -> None:
    """From now on, threads other than this one each run coroutines on a loop of their own
    (a loop is bound to one thread; the calling thread keeps the process-wide one)."""
    global _thread_loops, _owner
    if _thread_loops is None:
        import _thread
        import threading

        _owner = _thread.get_ident()
        _thread_loops = threading.local()


def _worker_loop() -> asyncio.AbstractEventLoop:
    loop: asyncio.AbstractEventLoop | None = getattr(_thread_loops, "loop", None)
    if loop is None or loop.is_closed():
        import asyncio

        loop = asyncio.new_event_loop()
        _thread_loops.loop = loop
    return loop


def run(coroutine: Awaitable[Any]) -> Any:
    """Run ``coroutine`` (or any awaitable) to completion on the process's loop and return
    its result."""
    return event_loop().run_until_complete(coroutine)
