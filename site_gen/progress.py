"""The progress line a long build shows on a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    """A one-line counter on a terminal, shown only once work takes over a second,
    and then at most ten times a second, and at the end of each step."""

    INTERVAL = 0.1  # seconds between updates of the line

    def __init__(self, stream=None, delay: float = 1.0, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.start = time.monotonic()
        self.delay = delay
        self.shown = False
        self.last = 0.0

    def update(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.delay or (done != total and now - self.last < self.INTERVAL):
            return
        self.last = now
        self._write(f"\r{label} {done}/{total}\033[K")
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self._write("\r\033[K")
            self.shown = False

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except OSError:  # the terminal went away: the build goes on without the line
            self.enabled = False
