"""Where a plot draws: the caller's Axes, or a fresh one from pyplot imported only then.

Importing gdlab.plotting never imports ``matplotlib.pyplot``, so it never picks a GUI backend;
pyplot is loaded on the first plot drawn without an ``ax`` (so notebooks still show it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["new_axes", "require_axes"]


def new_axes(figsize: tuple[float, float] = (6.0, 4.5)) -> Axes:
    """A fresh Axes on a new pyplot figure."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def require_axes(ax: Any, figsize: tuple[float, float] = (6.0, 4.5)) -> Axes:
    """``ax`` itself when given (checked), else :func:`new_axes`."""
    if ax is None:
        return new_axes(figsize)
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(
            f"ax must be a matplotlib Axes (or None for a new figure), got {type(ax).__name__}."
        )
    return ax
