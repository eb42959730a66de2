"""``_X_AMZN_TRACE_ID`` for each invocation, without leaking memory.

``os.environ[name] = value`` ends in C's ``setenv``, and glibc's ``setenv`` never frees
the value it replaces (a program could still hold a pointer to it): about 145 bytes per
invocation, 150 MB per million, in an environment Lambda may keep alive for hours. The
official Python client has the same leak.

So after the first invocation (when loading ``ctypes`` no longer delays an answer) the
runtime keeps one buffer of its own holding ``_X_AMZN_TRACE_ID=<value>``, rewrites it in
place for each invocation and gives that same pointer to ``putenv``, which stores the pointer
rather than a copy. Python's view, ``os.environ``, is updated without calling ``setenv``.
This is only used while one invocation runs at a time (the variable is not set at all with
several, see ``concurrent.py``). Where ``ctypes`` or ``putenv`` is unavailable, it falls back
to ``os.environ``.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["TraceEnv"]

NAME = "_X_AMZN_TRACE_ID"
_KEY = NAME.encode()
_PREFIX = _KEY + b"="


class TraceEnv:
    """Sets and clears ``_X_AMZN_TRACE_ID``; :meth:`go_native` switches to the buffer."""

    __slots__ = ("_buffer", "_capacity", "_ctypes", "_data", "_putenv", "_stored", "_view")

    def __init__(self) -> None:
        self._putenv: Any = None
        self._ctypes: Any = None
        self._buffer: Any = None
        # The buffer's bytes, written through a memoryview: a slice assignment costs a
        # fifth of a ctypes.memmove call, on every invocation.
        self._view: memoryview | None = None
        self._capacity = 0
        self._data: dict[bytes, bytes] | None = None
        self._stored: bytes | None = None  # the value last put in os.environ's mapping

    def go_native(self) -> bool:
        """Load ``ctypes`` and libc's ``putenv`` (after the first answer); False if unavailable."""
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            putenv = libc.putenv
            putenv.argtypes = [ctypes.c_void_p]
            putenv.restype = ctypes.c_int
            data = os.environ._data  # type: ignore[attr-defined]
            if not isinstance(data, dict):
                return False
        except Exception:
            return False
        self._ctypes = ctypes
        self._putenv = putenv
        self._data = data
        return True

    def set(self, value: str | None) -> None:
        """Make ``_X_AMZN_TRACE_ID`` ``value`` (or remove it for ``None``/empty)."""
        if not value:
            if NAME in os.environ:
                del os.environ[NAME]  # unsetenv: our buffer is no longer referenced
            return
        putenv = self._putenv
        if putenv is None:
            os.environ[NAME] = value
            return
        raw = value.encode("utf-8", "surrogateescape")
        if b"\0" in raw:
            os.environ[NAME] = value  # raises ValueError as os.environ does
            return
        entry = _PREFIX + raw
        ctypes = self._ctypes
        if len(entry) >= self._capacity:
            # A new, larger buffer: hand it to putenv before the old one is released.
            capacity = max(256, 2 * len(entry))
            buffer = ctypes.create_string_buffer(capacity)  # zero-filled: terminated
            ctypes.memmove(buffer, entry, len(entry))
            if putenv(ctypes.addressof(buffer)) != 0:
                os.environ[NAME] = value
                return
            self._buffer, self._capacity = buffer, capacity
            self._view = memoryview(buffer).cast("B")
        else:
            view = self._view
            assert view is not None
            size = len(entry)
            view[:size] = entry
            view[size] = 0  # ends the C string (a longer, older value may follow it)
            data = self._data
            assert data is not None
            if data.get(_KEY) is not self._stored:
                # Someone removed or replaced the variable since we last set it (os.environ
                # did an unsetenv or a setenv): give environ our buffer again. Otherwise it
                # still points at the buffer, which now holds the new value.
                putenv(ctypes.addressof(self._buffer))
        assert self._data is not None
        self._data[_KEY] = self._stored = raw
