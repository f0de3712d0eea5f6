"""Data before and after scaling, in one scatter: the shift to the origin and the new spread.

Scaling is an affine map, so the cloud keeps its shape up to a per-axis stretch; what changes
is where it sits and how wide each axis is. Equal aspect makes the stretch visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from gdlab.plotting.axes import require_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_scaling"]


def plot_scaling(
    X_before: ArrayLike,
    X_after: ArrayLike,
    *,
    columns: tuple[int, int] = (0, 1),
    labels: tuple[str, str] = ("raw", "scaled"),
    names: tuple[str, str] | None = None,
    equal: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Scatter two columns of the data before and after scaling on the same axes.

    Parameters
    ----------
    X_before, X_after : array-like, shape (m, d)
        The data and its scaled version (same rows).
    columns : pair of int
        Columns for the x and y axes.
    labels : pair of str
        Legend entries of the two clouds.
    names : pair of str, optional
        Axis labels (default ``x[i]``, ``x[j]``).
    equal : bool
        Equal aspect ratio, so a stretched axis looks stretched.
    title : str, optional
        Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        Two scatter collections.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal([5.0, 1.0], [2.0, 0.5], size=(50, 2))
    >>> ax = plot_scaling(X, (X - X.mean(0)) / X.std(0), labels=("raw", "z-score"))
    >>> len(ax.collections)
    2
    """
    ax = require_axes(ax)
    i, j = columns
    for data, label, what in ((X_before, labels[0], "X_before"), (X_after, labels[1], "X_after")):
        A = np.asarray(data, dtype=np.float64)
        if A.ndim != 2 or max(i, j) >= A.shape[1]:
            raise ValueError(
                f"{what} must be 2-D with columns {columns}, got shape {A.shape}; "
                "choose columns= within range."
            )
        ax.scatter(A[:, i], A[:, j], s=10, alpha=0.6, label=label)
    ax.axhline(0.0, color="grey", lw=0.6)
    ax.axvline(0.0, color="grey", lw=0.6)
    if equal:
        ax.set_aspect("equal", adjustable="datalim")
    xn, yn = names or (f"x[{i}]", f"x[{j}]")
    ax.set_xlabel(xn)
    ax.set_ylabel(yn)
    ax.set_title(title or f"Data before and after scaling ({labels[1]})")
    ax.legend(loc="best", fontsize="small")
    return ax
