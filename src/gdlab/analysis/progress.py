"""Progress reporting for the grid runs of `compare` and `stability_map`.

``progress=True`` draws a tqdm bar (``tqdm.auto``: the widget in Jupyter, text on a terminal);
a callable is called as ``progress(done, total, label)`` after each run, which is how the
``gdlab`` command draws its own bar; ``False`` (the default) reports nothing. tqdm is imported
only when a bar is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Progress", "progress_reporter"]

# What `compare`, `grid_runs` and `stability_map` accept as ``progress``.
Progress = bool | Callable[[int, int, str], None] | None


def progress_reporter(
    progress: Progress, total: int, desc: str
) -> Callable[[int, int, str], None] | None:
    """Return the ``(done, total, label)`` callback that ``progress`` asks for, or None.

    With ``progress=True`` the callback moves a ``tqdm.auto`` bar of ``total`` runs, labelled
    ``desc`` and showing the last run's label; the bar closes when the last run is reported
    (a run that raises leaves it to tqdm, which closes it when it is dropped).

    Examples
    --------
    >>> progress_reporter(False, 3, "grid") is None
    True
    >>> seen = []
    >>> report = progress_reporter(lambda *a: seen.append(a), 3, "grid")
    >>> report(1, 3, "first"); seen
    [(1, 3, 'first')]
    """
    if progress is None or progress is False:
        return None
    if progress is True:
        from tqdm.auto import tqdm  # imported on use: only a bar needs it

        bar: Any = tqdm(total=total, desc=desc, unit="run")

        def advance(done: int, _total: int, label: str) -> None:
            bar.set_postfix_str(label, refresh=False)
            bar.update(done - bar.n)
            if done >= total:
                bar.close()

        return advance
    if callable(progress):
        return progress
    raise TypeError(
        f"progress must be True (a tqdm bar), False or a callable(done, total, label), got "
        f"{progress!r:.60}."
    )
