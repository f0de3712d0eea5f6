"""The progress of a long command: a tqdm bar on a terminal, one plain line per step elsewhere."""

from __future__ import annotations

import shutil
import sys
import time
from typing import Any, TextIO


class Progress:
    """Count finished steps of a long run and draw ``[#####.....] 3/10 label  1.2s``.

    On a terminal the bar is tqdm's, redrawn in place and cut to the terminal's width;
    elsewhere (logs, pipes, tests) each step is one line, so the output stays readable when
    captured.

    Parameters
    ----------
    total : int
        Number of steps.
    stream : TextIO, optional
        Where to draw; ``sys.stderr`` by default. ``None`` keeps it silent.
    width : int
        Number of characters of the bar itself.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> bar = Progress(2, stream=out, width=4)
    >>> bar.advance("contours"); bar.advance("decay"); bar.close()
    >>> print(out.getvalue().splitlines()[-1][:16])
    [####] 2/2 decay
    """

    def __init__(self, total: int, *, stream: TextIO | None = sys.stderr, width: int = 24) -> None:
        if total < 1:
            raise ValueError(f"Progress needs total >= 1 steps, got {total}")
        self.total = total
        self.stream = stream
        self.width = width
        self.done = 0
        self._start = time.perf_counter()
        self._bar: Any = None
        if stream is not None and getattr(stream, "isatty", lambda: False)():
            from tqdm import tqdm  # imported on use: only a terminal gets the bar

            # A line wider than the terminal wraps, and "\r" then returns only to the start
            # of its last row: every redraw would leave a stale row behind.
            cols = shutil.get_terminal_size((80, 24)).columns - 1
            self._bar = tqdm(total=total, file=stream, ncols=cols, unit="step", leave=True)

    def __repr__(self) -> str:
        return f"Progress(total={self.total}, done={self.done}, width={self.width})"

    def advance(self, label: str = "") -> None:
        """Mark one more step done and redraw."""
        self.done = min(self.done + 1, self.total)
        if self._bar is not None:
            self._bar.set_postfix_str(label, refresh=False)
            self._bar.update(1)
            return
        if self.stream is None:
            return
        filled = self.width * self.done // self.total
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = time.perf_counter() - self._start
        self.stream.write(f"[{bar}] {self.done}/{self.total} {label}  {elapsed:.1f}s\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar on a terminal."""
        if self._bar is not None:
            self._bar.close()
