"""Keras's progress line, one per epoch:

    469/469 ━━━━━━━━━━━━━━━━━━━━ 3s 6ms/step - accuracy: 0.9612 - loss: 0.1302

On a terminal with ``verbose=1`` the line is redrawn in place as steps finish (at most
every 0.05 s), in Keras's colours; elsewhere (a file, a pipe, a notebook log) only the
finished line is printed, once, so a log holds one line per epoch. ``verbose=2`` prints
the finished line in Keras's short form, ``469/469 - 3s - 6ms/step - accuracy: ...``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import IO

BAR_WIDTH = 20
BAR = "━"
REDRAW_INTERVAL = 0.05  # seconds between redraws on a terminal


def is_terminal(stream: IO[str]) -> bool:
    """Whether ``stream`` is an interactive terminal (where a line can be redrawn)."""
    return bool(getattr(stream, "isatty", lambda: False)())


class ProgressBar:
    """The progress of one pass of ``target`` steps.

    ``update(step, values)`` after each step; ``finish(values)`` at the end prints the final
    line. ``stream`` defaults to sys.stdout (looked up at each print); ``dynamic`` (redraw
    in place) defaults to whether that stream is a terminal.
    """

    def __init__(
        self,
        target: int | None,
        verbose: int = 1,
        stream: IO[str] | None = None,
        dynamic: bool | None = None,
    ) -> None:
        self.target, self.verbose = target, verbose
        self._stream = stream
        self.dynamic = is_terminal(self.stream) if dynamic is None else dynamic
        self.start = time.perf_counter()
        self._after_first_step: float | None = None
        self._last_draw = 0.0
        self._drawn_width = 0
        self.current = 0

    @property
    def stream(self) -> IO[str]:
        return self._stream if self._stream is not None else sys.stdout

    def update(self, current: int, values: Mapping[str, float] = {}) -> None:
        """Record that ``current`` steps are done; redraw on a terminal."""
        now = time.perf_counter()
        if current == 1:
            self._after_first_step = now
        self.current = current
        if self.verbose == 1 and self.dynamic and now - self._last_draw >= REDRAW_INTERVAL:
            self._draw(self.line(values, finished=False, colour=True), end="")
            self._last_draw = now

    def finish(self, values: Mapping[str, float] = {}) -> None:
        """Print the final line (nothing with verbose 0)."""
        if self.target is None:
            self.target = self.current
        self.current = self.target
        if self.verbose == 1:
            self._draw(self.line(values, finished=True, colour=self.dynamic), end="\n")
        elif self.verbose == 2:
            print(self.short_line(values), file=self.stream, flush=True)

    def line(self, values: Mapping[str, float], finished: bool, colour: bool) -> str:
        """The verbose-1 line: count, bar, time (ETA while running), time per step, values."""
        digits = len(str(self.target))
        count = f"{self.current:>{digits}}/{self.target}"
        done = BAR_WIDTH * self.current // self.target if self.target else 0
        if colour:
            count = f"\x1b[1m{count}\x1b[0m"
            bar = (f"\x1b[32m{BAR * done}\x1b[0m" if done else "") + (
                f"\x1b[37m{BAR * (BAR_WIDTH - done)}\x1b[0m"
            )
        else:
            bar = BAR * BAR_WIDTH
        if finished:
            clock = f"{time.perf_counter() - self.start:.0f}s"
        else:
            clock = format_eta(self.time_per_step() * (self.target - self.current))
        clock = f"\x1b[1m{clock}\x1b[0m" if colour else clock
        return (
            f"{count} {bar} {clock} {format_step_time(self.time_per_step())}{format_values(values)}"
        )

    def short_line(self, values: Mapping[str, float]) -> str:
        """The verbose-2 line: ``469/469 - 3s - 6ms/step - accuracy: ...``."""
        elapsed = time.perf_counter() - self.start
        return (
            f"{self.current}/{self.target} - {elapsed:.0f}s - "
            f"{format_step_time(self.time_per_step())}{format_values(values, short=True)}"
        )

    def time_per_step(self) -> float:
        """Seconds per step, leaving out the first step (it includes the warm-up) when
        there are others, as Keras does."""
        now = time.perf_counter()
        if self.current > 1 and self._after_first_step is not None:
            return (now - self._after_first_step) / (self.current - 1)
        return (now - self.start) / self.current if self.current else 0.0

    def _draw(self, text: str, end: str) -> None:
        """Print ``text``: over the previous line on a terminal (padded to cover it)."""
        if self.dynamic:
            width = len(_without_colour(text))
            text = "\r" + text + " " * max(self._drawn_width - width, 0)
            self._drawn_width = width
        print(text, end=end, file=self.stream, flush=True)


def format_values(values: Mapping[str, float], short: bool = False) -> str:
    """`` - name: value`` for each value, 4 decimals (scientific at or below 1e-3)."""
    parts = []
    for name, value in values.items():
        small = (value if short else abs(value)) <= 1e-3  # Keras tests the sign only in form 2
        parts.append(f" - {name}: {value:.4e}" if small else f" - {name}: {value:.4f}")
    return "".join(parts)


def format_step_time(seconds: float) -> str:
    """``6ms/step``: seconds, milliseconds or microseconds per step."""
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/step"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/step"
    return f"{seconds * 1e6:.0f}us/step"


def format_eta(seconds: float) -> str:
    """The time left, in whole seconds: ``42s``, ``3:07`` or ``1:02:03``."""
    whole = int(seconds)
    if seconds > 3600:
        return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    if seconds > 60:
        return f"{whole // 60}:{whole % 60:02d}"
    return f"{whole}s"


def _without_colour(text: str) -> str:
    """``text`` without its ANSI colour codes (for measuring its width)."""
    for code in ("\x1b[1m", "\x1b[0m", "\x1b[32m", "\x1b[37m"):
        text = text.replace(code, "")
    return text
