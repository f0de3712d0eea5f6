"""Loss curves of one or more runs against epochs, updates, samples seen or seconds.

The x axis decides the comparison: per *epoch* mini-batch looks fast (it makes many updates
per epoch), per *sample* (gradient evaluations) the cost is equal, per *second* the overhead
of small batches shows. The y axis is logarithmic because linear convergence is a straight
line there, with slope ``log(rate)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from gdlab.plotting.axes import require_axes
from gdlab.trajectory import Trajectory

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["X_AXES", "loss_curves"]

#: x-axis name -> (Trajectory attribute, axis label)
X_AXES = {
    "epoch": ("epoch", "epoch"),
    "step": ("step", "updates"),
    "samples": ("samples_seen", "samples processed (gradient evaluations)"),
    "time": ("time", "wall time [s]"),
}


def _label(t: Trajectory, k: int) -> str:
    c = t.config
    parts = [f"{key}={c[key]}" for key in ("method", "lr", "batch_size") if key in c]
    return ", ".join(parts) or f"run {k + 1}"


def loss_curves(
    trajectories: Trajectory | Sequence[Trajectory] | Mapping[str, Trajectory],
    *,
    x: str = "epoch",
    optimum: float | None = None,
    logy: bool = True,
    validation: bool = False,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    diverged_label: str = "{label} (diverged)",
    ax: Axes | None = None,
) -> Axes:
    """Plot training loss (or suboptimality ``loss - f*``) of each run.

    Parameters
    ----------
    trajectories : Trajectory, sequence or mapping of them
        Runs to draw; a mapping's keys label them, otherwise the run's configuration does.
    x : {"epoch", "step", "samples", "time"}
        Quantity on the x axis.
    optimum : float, optional
        Optimal loss ``f*``; when given the curve is ``loss - f*`` (floored at 1e-16 for the
        log scale), the distance that linear convergence shrinks geometrically.
    logy : bool
        Logarithmic y axis.
    validation : bool
        Also draw ``val_loss`` (dashed) where recorded.
    title : str, optional
        Axes title.
    xlabel, ylabel : str, optional
        Axis labels (default: what ``x`` counts, and the loss or its distance to ``optimum``),
        so a figure can speak the reader's language.
    diverged_label : str
        The legend entry of a run that diverged; ``{label}`` is the run's own label.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One line per run (plus one per validation curve).

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> from gdlab.optim import descend
    >>> X, y = np.array([[1.0, 1.0], [3.0, 1.0]]), np.array([2.0, 4.0])
    >>> runs = {f"lr={lr}": descend(LeastSquares(), X, y, lr=lr, epochs=20) for lr in (0.05, 0.1)}
    >>> len(loss_curves(runs, x="step").lines)
    2
    >>> loss_curves(runs, xlabel="迭代次数").get_xlabel()
    '迭代次数'
    """
    if x not in X_AXES:
        raise ValueError(f"x must be one of {sorted(X_AXES)}, got {x!r}.")
    ax = require_axes(ax)
    if isinstance(trajectories, Trajectory):
        items: list[tuple[str, Trajectory]] = [("", trajectories)]
    elif isinstance(trajectories, Mapping):
        items = list(trajectories.items())
    else:
        items = [("", t) for t in trajectories]
    attr, counter = X_AXES[x]
    for k, (name, t) in enumerate(items):
        if not isinstance(t, Trajectory):
            raise TypeError(f"expected Trajectory objects, got {type(t).__name__}.")
        label = name or _label(t, k)
        if t.status == "diverged":
            label = diverged_label.format(label=label)
        xs = getattr(t, attr)
        curves = [(t.loss, "-", label)]
        if validation and t.val_loss is not None:
            curves.append((t.val_loss, "--", f"{label} (validation)"))
        for values, style, lab in curves:
            ys = np.asarray(values, dtype=np.float64)
            if optimum is not None:
                ys = np.maximum(ys - optimum, 1e-16)
            ax.plot(xs, ys, style, lw=1.5, label=lab)
    if logy:
        ax.set_yscale("log")
    if x != "time":
        from matplotlib.ticker import MaxNLocator

        # Counters are whole numbers: a tick at epoch 2.5 would name a point that never exists.
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.set_xlabel(xlabel or counter)
    ax.set_ylabel(ylabel or ("loss - optimal loss" if optimum is not None else "training loss"))
    ax.set_title(title or f"Loss against {counter}")
    ax.grid(True, which="major", alpha=0.3)
    if items:
        ax.legend(loc="best", fontsize="small")
    return ax
