"""Learning-rate schedules drawn against the update counter, as PyTorch's docs draw theirs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from gdlab.plotting.axes import require_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_schedules"]

ScheduleLike = Callable[[Any], Any]


def plot_schedules(
    schedules: ScheduleLike | Sequence[ScheduleLike] | Mapping[str, ScheduleLike],
    steps: int = 100,
    *,
    logy: bool = False,
    xlabel: str = "epoch",
    ylabel: str = "learning rate",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Plot ``lr = s(t)`` for ``t = 0 .. steps - 1`` for each schedule.

    Parameters
    ----------
    schedules : schedule, sequence or mapping of schedules
        ``gdlab.schedules`` objects (any callable taking an int array works); labelled by
        the mapping key or the schedule's text form ``str(s)``.
    steps : int
        Number of counter values drawn.
    logy : bool
        Logarithmic y axis (exponential decay becomes a straight line).
    xlabel : str
        What the counter counts (``"epoch"`` or ``"update"``).
    ylabel : str
        The y axis' label.
    title : str, optional
        Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One line per schedule.

    Examples
    --------
    >>> from gdlab import schedules
    >>> ax = plot_schedules([schedules.exponential(lr=0.2, gamma=0.95), schedules.constant(0.1)])
    >>> len(ax.lines)
    2
    """
    if int(steps) < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}.")
    ax = require_axes(ax)
    if isinstance(schedules, Mapping):
        items = list(schedules.items())
    elif callable(schedules):
        items = [(str(schedules), schedules)]
    else:
        items = [(str(s), s) for s in schedules]
    t = np.arange(int(steps))
    for name, s in items:
        ax.plot(t, np.broadcast_to(np.asarray(s(t), dtype=np.float64), t.shape), lw=1.5, label=name)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title or "Learning-rate schedules")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    return ax
