"""The learning-rate range test's curve, its suggestion and the ``2 / L`` limit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gdlab.analysis import LRFinderResult
from gdlab.plotting.axes import require_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_lr_finder"]


def plot_lr_finder(
    result: LRFinderResult, *, title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Plot loss against learning rate (log x) with the suggestion and, if known, ``2 / L``.

    Parameters
    ----------
    result : LRFinderResult
        From :func:`gdlab.analysis.lr_range_test`.
    title : str, optional
        Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        Raw and smoothed loss lines, the suggestion line and the ``2 / L`` line when known.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.analysis import lr_range_test
    >>> from gdlab.models import LeastSquares
    >>> X = np.c_[np.random.default_rng(0).normal(size=(50, 2)), np.ones(50)]
    >>> res = lr_range_test(LeastSquares(), X, X @ [1.0, 2.0, 3.0], start_lr=1e-4)
    >>> len(plot_lr_finder(res).lines)
    4
    """
    if not isinstance(result, LRFinderResult):
        raise TypeError(
            f"expected the LRFinderResult of lr_range_test, got {type(result).__name__}."
        )
    ax = require_axes(ax)
    ax.plot(result.lrs, result.losses, color="lightgray", lw=1, label="loss")
    ax.plot(result.lrs, result.smoothed, lw=1.8, label="smoothed loss")
    ax.axvline(
        result.suggestion, color="tab:green", ls="-", label=f"suggestion ({result.rule}) = "
        f"{result.suggestion:.3g}"
    )  # fmt: skip
    if result.lr_stable is not None:
        ax.axvline(result.lr_stable, color="black", ls="--", label=f"2/L = {result.lr_stable:.3g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("training loss")
    ax.set_title(title or "Learning-rate range test")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    return ax
