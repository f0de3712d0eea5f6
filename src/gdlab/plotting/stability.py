"""The stability map: which learning rates and batch sizes converge, with the ``2 / L`` line.

Full-batch gradient descent on a quadratic converges exactly when ``lr < 2 / L``; the line
shows that limit, and the map shows how mini-batch noise moves the edge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gdlab.plotting.axes import require_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_stability_map"]


def _batch_label(b: object) -> str:
    # pandas stores None as NaN in a numeric column, and ints as floats beside it.
    if b is None or (isinstance(b, float) and np.isnan(b)):
        return "full"
    return (
        str(int(b)) if isinstance(b, (int, float, np.number)) and float(b).is_integer() else str(b)
    )


def plot_stability_map(
    frame: pd.DataFrame,
    *,
    lr_limit: float | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw a grid of runs: colour = final loss (log), cross = diverged.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``lr``, ``batch_size`` (None or NaN for full batch), ``final_loss`` and
        ``status``, as :func:`gdlab.analysis.stability_map` returns.
    lr_limit : float, optional
        Learning rate drawn as a vertical line, normally ``2 / L``; default
        ``frame.attrs["lr_stable"]`` when present.
    title : str, optional
        Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One scatter for the finished runs, one for the diverged ones, and the limit line.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"lr": [0.1, 1.0, 0.1, 1.0], "batch_size": [None, None, 2, 2],
    ...                   "final_loss": [0.1, float("inf"), 0.2, float("inf")],
    ...                   "status": ["max_epochs", "diverged", "max_epochs", "diverged"]})
    >>> ax = plot_stability_map(f, lr_limit=0.5)
    >>> len(ax.collections), len(ax.lines)
    (2, 1)
    """
    missing = {"lr", "batch_size", "final_loss", "status"} - set(frame.columns)
    if missing:
        raise ValueError(
            f"frame lacks columns {sorted(missing)}; pass the DataFrame from stability_map()."
        )
    ax = require_axes(ax)
    labels = [_batch_label(b) for b in frame["batch_size"]]
    order = list(dict.fromkeys(labels))
    row = np.array([order.index(lab) for lab in labels])
    lr = frame["lr"].to_numpy(dtype=np.float64)
    loss = frame["final_loss"].to_numpy(dtype=np.float64)
    bad = (frame["status"] == "diverged").to_numpy() | ~np.isfinite(loss)
    good = ~bad
    sc = ax.scatter(
        lr[good],
        row[good],
        c=np.log10(np.maximum(loss[good], 1e-300)),
        marker="s",
        s=140,
        cmap="viridis",
        label="finished (colour: log10 final loss)",
    )
    ax.scatter(lr[bad], row[bad], marker="x", s=80, color="crimson", label="diverged")
    if good.any():
        ax.figure.colorbar(sc, ax=ax, label="log10 final loss")
    if lr_limit is None and "lr_stable" in frame.attrs:
        lr_limit = float(frame.attrs["lr_stable"])
    if lr_limit is not None:
        ax.axvline(lr_limit, color="black", ls="--", lw=1.2, label=f"2/L = {lr_limit:.3g}")
    ax.set_xscale("log")
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(-0.5, len(order) - 0.5)
    ax.set_xlabel("learning rate")
    ax.set_ylabel("batch size")
    ax.set_title(title or "Stability map: learning rate x batch size")
    # Below the axes: inside, it would hide the cells of the top row.
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3, fontsize="small", frameon=False
    )
    return ax
