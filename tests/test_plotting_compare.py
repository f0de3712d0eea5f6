"""The comparison figure stays readable with diverged runs and a dozen curves."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from gdlab.analysis.compare import grid_runs
from gdlab.models import LeastSquares
from gdlab.plotting import plot_comparison


@pytest.fixture(scope="module")
def runs():  # type: ignore[no-untyped-def]
    # x2 in large units: lr 0.5 is far above 2 / L raw, so the raw runs blow up.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2)) * [0.1, 10.0]
    y = X @ [200.0, -1.0] + 1.0 + 0.1 * rng.normal(size=80)
    return grid_runs(
        LeastSquares(), X, y, scalers=["none", "minmax", "zscore"],
        schedules=[0.5, "exponential(lr=0.5, gamma=0.9)"], batch_sizes=[None, 16], epochs=15,
    )  # fmt: skip


def test_diverged_runs_do_not_stretch_the_axis(runs) -> None:  # type: ignore[no-untyped-def]
    diverged = [r for r in runs if r.trajectory.status == "diverged"]
    assert diverged and max(float(np.nanmax(r.trajectory.loss)) for r in diverged) > 1e8
    ax = plot_comparison(runs)
    kept = [r for r in runs if r.trajectory.status != "diverged"]
    highest = max(float(np.max(r.trajectory.loss - r.optimum)) for r in kept)
    top = ax.get_ylim()[1]
    assert highest <= top <= 10 * highest  # set by the runs that did not blow up
    for line in ax.lines:
        label = str(line.get_label())
        if label.endswith("(diverged)"):
            assert line.get_linestyle() == ":"
            assert np.max(line.get_ydata()) <= top  # cut where it leaves the plot
    plt.close(ax.figure)


def test_every_run_has_its_own_colour_and_the_legend_covers_no_curve(  # type: ignore[no-untyped-def]
    runs,
) -> None:
    ax = plot_comparison(runs)
    curves = [line for line in ax.lines if not str(line.get_label()).startswith("_")]
    assert len(curves) == len(runs) == 12
    colours = {matplotlib.colors.to_hex(line.get_color()) for line in curves}
    assert len(colours) == 12
    fig = ax.figure
    fig.canvas.draw()
    legend = fig.legends[0] if fig.legends else ax.get_legend()
    box = legend.get_window_extent()
    assert not box.overlaps(ax.get_window_extent())
    plt.close(fig)


def test_on_the_callers_axes_the_legend_sits_beside_them(runs) -> None:  # type: ignore[no-untyped-def]
    fig, ax = plt.subplots(figsize=(12, 5), layout="constrained")
    assert plot_comparison(runs[:4], ax=ax) is ax
    fig.canvas.draw()
    assert not ax.get_legend().get_window_extent().overlaps(ax.get_window_extent())
    plt.close(fig)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="no runs"):
        plot_comparison([])
    with pytest.raises(TypeError, match="GridRun"):
        plot_comparison(["run"])  # type: ignore[list-item]
