"""The figure of a comparison grid: every run's loss gap, readable with a dozen runs or more.

A grid mixes runs that converge with runs that blow up. Drawn naively, one diverged run
stretches the log axis to 1e193 and flattens every other curve, a dozen legend entries cover
the lines, and matplotlib's ten-colour cycle repeats. Here the y range is set by the runs that
did not diverge; a diverged run is drawn dotted up to where it leaves that range and marked
there with a cross; the legend sits outside the axes; and every run has its own colour (with a
line style added past 20 runs, so colour and style together stay distinct up to 80 runs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from gdlab.analysis.compare import GridRun
from gdlab.plotting.axes import require_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_comparison"]

# Loss gaps below this are rounding: the log axis is floored there.
_FLOOR = 1e-16
_STYLES = ("-", "--", "-.", (0, (1, 1)))


def _run_label(run: GridRun) -> str:
    batch = "full" if run.batch_size is None else str(run.batch_size)
    return f"{run.scaler}, {run.schedule}, batch {batch}, {run.method}"


def _gaps(run: GridRun) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(run.trajectory.loss, dtype=np.float64) - run.optimum


def _y_range(runs: Sequence[GridRun]) -> tuple[float, float]:
    """Log-axis limits from the runs that did not diverge (all runs if every one did)."""
    kept = [r for r in runs if r.trajectory.status != "diverged"] or list(runs)
    values = np.concatenate([_gaps(r) for r in kept])
    values = values[np.isfinite(values)]
    positive = np.maximum(values, _FLOOR)
    if positive.size == 0:
        return _FLOOR, 1.0
    top = float(positive.max()) * 3.0
    bottom = max(float(positive.min()) / 3.0, _FLOOR)
    return bottom, max(top, bottom * 10.0)


def plot_comparison(
    runs: Sequence[GridRun], *, title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Plot each grid run's loss gap ``loss - optimum`` per epoch, diverged runs clipped.

    Parameters
    ----------
    runs : sequence of GridRun
        From :func:`gdlab.analysis.compare.grid_runs`.
    title : str, optional
        Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new figure (wide enough for the legend) when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One line per run, in the order given. The legend is outside the axes: below them on a
        new figure (which grows with it), beside them on the caller's ``ax``.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.analysis.compare import grid_runs
    >>> from gdlab.models import LeastSquares
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 2)) * [1.0, 30.0]; y = X @ [1.0, 0.1]
    >>> runs = grid_runs(LeastSquares(), X, y, scalers=["none", "zscore"], schedules=[0.1],
    ...                  batch_sizes=[None], epochs=10)
    >>> [r.trajectory.status for r in runs]
    ['diverged', 'max_epochs']
    >>> ax = plot_comparison(runs)
    >>> bool(ax.get_ylim()[1] < 1e6)  # the diverged run does not stretch the axis
    True
    """
    runs = list(runs)
    if not runs:
        raise ValueError("no runs to plot; call grid_runs first.")
    for run in runs:
        if not isinstance(run, GridRun):
            raise TypeError(f"expected GridRun objects, got {type(run).__name__}.")
    own_figure = ax is None
    columns = 1 if len(runs) <= 6 else 2
    # A new figure grows with the legend below it, so the axes keep their size.
    ax = require_axes(ax, figsize=(8.0, 4.5 + 0.2 * -(-len(runs) // columns)))
    bottom, top = _y_range(runs)
    import matplotlib as mpl

    palette = mpl.colormaps["tab20" if len(runs) > 10 else "tab10"]
    colours = [palette(i) for i in range(palette.N)]
    for k, run in enumerate(runs):
        t = run.trajectory
        xs = np.asarray(t.epoch, dtype=np.float64)
        ys = np.clip(_gaps(run), _FLOOR, None)
        colour = colours[k % len(colours)]
        style = _STYLES[(k // len(colours)) % len(_STYLES)]
        label = _run_label(run)
        if t.status == "diverged":
            # Draw up to where the run leaves the view, and mark that point.
            inside = np.isfinite(ys) & (ys <= top)
            cut = int(np.argmin(inside)) if not inside.all() else ys.size
            ax.plot(xs[:cut], ys[:cut], ls=":", color=colour, lw=1.8, label=f"{label} (diverged)")
            if cut < ys.size:
                ax.plot(
                    [xs[cut]], [top], marker="x", ms=8, mew=2, color=colour, clip_on=False, ls=""
                )
        else:
            ax.plot(xs, ys, ls=style, color=colour, lw=1.6, label=label)
    ax.set_yscale("log")
    ax.set_ylim(bottom, top)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss - optimal loss")
    ax.set_title(title or "Loss above the optimum per epoch")
    ax.grid(True, which="major", alpha=0.3)
    if any(r.trajectory.status == "diverged" for r in runs):
        ax.annotate(
            "dotted: diverged (x where it leaves the plot)",
            xy=(0.01, 0.01),
            xycoords="axes fraction",
            fontsize="small",
            color="dimgray",
        )
    if own_figure:
        ax.figure.legend(loc="outside lower center", ncols=columns, fontsize="small")
    else:  # the caller's figure: beside the axes, never over the curves
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, fontsize="small")
    return ax
