"""What ``lambdago package`` shows: a progress line while it works, then a summary.

The progress line (on stderr, redrawn in place) only appears on a terminal, and never
with ``--quiet``: a log or a CI job gets no control characters. Warnings always go to
stderr. The summary (size, file count, largest packages, the platform, what was left
out, the deployment command) goes to stdout, except with ``--quiet``.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from typing import TextIO

__all__ = ["Display"]

_SPINNER = "|/-\\"


class Display:
    def __init__(
        self,
        quiet: bool = False,
        err: TextIO | None = None,
        out: TextIO | None = None,
        live: bool | None = None,
    ) -> None:
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        self.quiet = quiet
        if live is None:
            try:
                live = self.err.isatty()
            except (AttributeError, ValueError):
                live = False
        self.live = live and not quiet
        self._phase = ""
        self._detail = ""
        self._started = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown = False

    # -- the progress line ---------------------------------------------------------------

    def phase(self, text: str) -> None:
        """A new step of the build (``installing dependencies for …``)."""
        with self._lock:
            self._phase = text
            self._detail = ""
            self._started = time.monotonic()
        if self.live and self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        self._draw()

    def detail(self, text: str) -> None:
        """Progress within the step (pip's ``Collecting orjson``…)."""
        with self._lock:
            self._detail = text
        self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(0.1):
            self._draw()

    def _draw(self) -> None:
        if not self.live:
            return
        with self._lock:
            if not self._phase:
                return
            elapsed = time.monotonic() - self._started
            spin = _SPINNER[int(elapsed * 10) % len(_SPINNER)]
            text = f"{spin} {self._phase} ({elapsed:.0f}s)"
            if self._detail:
                text += f": {self._detail}"
            width = shutil.get_terminal_size((80, 24)).columns - 1
            self.err.write("\r" + text[:width] + "\x1b[K")
            self.err.flush()
            self._shown = True

    def clear(self) -> None:
        """Stop and erase the progress line."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
        with self._lock:
            self._phase = ""
            if self._shown:
                self.err.write("\r\x1b[K")
                self.err.flush()
                self._shown = False

    # -- messages ------------------------------------------------------------------------

    def warn(self, text: str) -> None:
        """A warning: always shown, on stderr."""
        with self._lock:
            if self._shown:
                self.err.write("\r\x1b[K")
                self._shown = False
            self.err.write(f"lambdago: warning: {text}\n")
            self.err.flush()

    def summary(self, lines: list[str]) -> None:
        self.clear()
        if self.quiet:
            return
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()
