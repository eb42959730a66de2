"""Local Lambda: a Runtime API emulator that runs any bootstrap as a child process, behind
the invoke endpoint of AWS's Runtime Interface Emulator.

>>> from lambdago.emulator import Emulator
>>> with Emulator([python, "-m", "lambdago", "app.handler"], task_root="src") as emu:
...     emu.invoke(b'{"name": "world"}').payload

See docs/emulator.md for every behaviour and option; ``lambdago serve`` and
``lambdago invoke`` are the command-line faces of the same class.
"""

from __future__ import annotations

from .api import Emulator, InvokeResult, StreamedInvokeResult
from .core import MAX_REQUEST_PAYLOAD, MAX_RESPONSE_PAYLOAD, MAX_STREAM_RESPONSE

__all__ = [
    "MAX_REQUEST_PAYLOAD",
    "MAX_RESPONSE_PAYLOAD",
    "MAX_STREAM_RESPONSE",
    "Emulator",
    "InvokeResult",
    "StreamedInvokeResult",
]
