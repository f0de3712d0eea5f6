"""Every plot returns its Axes, draws into a given one, and draws what it says it draws."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.contour import ContourSet

from gdlab import schedules
from gdlab.analysis import lr_range_test, stability_map
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.plotting import (
    loss_contours,
    loss_curves,
    plot_lr_finder,
    plot_scaling,
    plot_schedules,
    plot_stability_map,
    raw_vs_scaled_contours,
)

# The lesson's contour experiment: X = [[1, 1], [3, 1]], y = [2, 4].
X = np.array([[1.0, 1.0], [3.0, 1.0]])
Y = np.array([2.0, 4.0])


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def labelled(ax: Axes) -> bool:
    return bool(ax.get_title() and ax.get_xlabel() and ax.get_ylabel())


def xdata(ax: Axes, k: int) -> np.ndarray:
    return np.asarray(ax.lines[k].get_xdata(), dtype=np.float64)


def ydata(ax: Axes, k: int) -> np.ndarray:
    return np.asarray(ax.lines[k].get_ydata(), dtype=np.float64)


def legend_texts(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


def offsets(ax: Axes, k: int) -> np.ndarray:
    return np.asarray(ax.collections[k].get_offsets(), dtype=np.float64)


def contour_sets(ax: Axes) -> int:
    return sum(isinstance(c, ContourSet) for c in ax.collections)


def test_importing_plotting_does_not_load_pyplot() -> None:
    code = "import sys, gdlab.plotting; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_contours_with_two_paths_into_a_given_ax() -> None:
    runs = {
        f"lr={lr}": descend(LeastSquares(), X, Y, lr=lr, epochs=20, w0=[-1.0, -1.0])
        for lr in (0.02, 0.1)
    }
    _fig, ax = plt.subplots()
    out = loss_contours(LeastSquares(), X, Y, runs, coords=(0, 1), ax=ax)
    assert out is ax
    assert contour_sets(ax) == 1
    assert len(ax.lines) == 3  # two paths and the optimum
    assert legend_texts(ax) == [
        "lr=0.02 (20 steps)",
        "lr=0.1 (20 steps)",
        "optimum",
    ]
    assert labelled(ax)
    # The drawn path is the run's parameters.
    np.testing.assert_allclose(xdata(ax, 1), runs["lr=0.1"].params[:, 0])


def test_contours_of_any_two_coordinates_hold_the_rest_at_the_optimum() -> None:
    rng = np.random.default_rng(0)
    A = np.c_[rng.normal(size=(30, 2)), np.ones(30)]
    y = A @ [1.0, -2.0, 0.5]
    ax = loss_contours(LeastSquares(), A, y, coords=(0, 2))
    assert isinstance(ax, Axes)
    assert ax.get_xlabel() == "w[0]" and ax.get_ylabel() == "w[2]"
    assert (xdata(ax, 0)[0], ydata(ax, 0)[0]) == pytest.approx((1.0, 0.5))
    with pytest.raises(ValueError, match="coords"):
        loss_contours(LeastSquares(), A, y, coords=(0, 0))


def test_raw_vs_scaled_draws_a_model_of_unknown_curvature() -> None:
    # Any object with loss() draws contours; only the kappa in the title is unknown.
    class Quartic:
        def loss(self, w: np.ndarray, A: np.ndarray, y: np.ndarray) -> float:
            return float(np.mean((A @ w - y) ** 4))

    w0 = np.zeros(2)
    left, right = raw_vs_scaled_contours(
        Quartic(),
        X,
        X,
        Y,
        axes=None,
        coords=(0, 1),
        raw_paths=[[w0, w0 + 1]],
        scaled_paths=[[w0, w0 + 1]],
    )
    assert left.get_title() == "Raw features (kappa undefined)"
    assert contour_sets(left) == contour_sets(right) == 1


def test_raw_vs_scaled_side_by_side_titles_carry_kappa() -> None:
    Z = np.c_[(X[:, 0] - X[:, 0].mean()) / X[:, 0].std(), np.ones(2)]
    raw = descend(LeastSquares(), X, Y, lr=0.1, epochs=100, record="step")
    scaled = descend(LeastSquares(), Z, Y, lr=0.1, epochs=100, record="step")
    left, right = raw_vs_scaled_contours(LeastSquares(), X, Z, Y, raw, scaled)
    assert left.figure is right.figure
    assert "Raw features (kappa = " in left.get_title()
    assert "Z-scored features (kappa = 1)" == right.get_title()
    assert contour_sets(left) == contour_sets(right) == 1
    assert len(left.lines) == len(right.lines) == 2
    _fig, axes = plt.subplots(1, 2)
    out = raw_vs_scaled_contours(LeastSquares(), X, Z, Y, axes=axes)
    assert out == (axes[0], axes[1])
    with pytest.raises(ValueError, match="two Axes"):
        raw_vs_scaled_contours(LeastSquares(), X, Z, Y, axes=[axes[0]])


def test_figures_speak_the_callers_language() -> None:
    # Every word a figure draws can be given: a notebook labels its figures in Chinese.
    Z = np.c_[(X[:, 0] - X[:, 0].mean()) / X[:, 0].std(), np.ones(2)]
    raw = descend(LeastSquares(), X, Y, lr=0.1, epochs=20)
    left, right = raw_vs_scaled_contours(
        LeastSquares(), X, Z, Y, {"学习率 0.1": raw}, None,
        titles=("原始数据（κ = {kappa:.2f}）", "标准化之后（κ = {kappa:.0f}）"),
        contour_kw={"xlabel": "w1", "ylabel": "w2", "optimum_label": "最小值点",
                    "path_label": "{name}（{steps} 步）"},
    )  # fmt: skip
    assert (left.get_title(), right.get_title()) == ("原始数据（κ = 33.97）", "标准化之后（κ = 1）")
    assert legend_texts(left) == ["学习率 0.1（20 步）", "最小值点"]
    assert (left.get_xlabel(), right.get_ylabel()) == ("w1", "w2")
    exploded = descend(LeastSquares(), X, Y, lr=1.0, epochs=50)
    assert exploded.status == "diverged"
    ax = loss_curves(
        {"固定": exploded},
        optimum=0.0,
        xlabel="轮数",
        ylabel="损失差",
        diverged_label="{label}（发散）",
    )
    assert (ax.get_xlabel(), ax.get_ylabel(), legend_texts(ax)) == (
        "轮数",
        "损失差",
        ["固定（发散）"],
    )
    assert legend_texts(loss_curves({"fixed": exploded}))[0] == "fixed (diverged)"
    ax = plot_schedules(schedules.constant(0.1), ylabel="学习率")
    assert ax.get_ylabel() == "学习率"


@pytest.mark.parametrize(
    ("x", "attr", "label"),
    [
        ("epoch", "epoch", "epoch"),
        ("step", "step", "updates"),
        ("samples", "samples_seen", "samples processed (gradient evaluations)"),
        ("time", "time", "wall time [s]"),
    ],
)
def test_loss_curves_against_each_counter(x: str, attr: str, label: str) -> None:
    rng = np.random.default_rng(1)
    A = np.c_[rng.normal(size=(40, 2)), np.ones(40)]
    y = A @ [1.0, 2.0, 3.0]
    runs = [
        descend(LeastSquares(), A, y, lr=0.1, epochs=10, batch_size=b, seed=0) for b in (None, 8)
    ]
    _fig, ax = plt.subplots()
    assert loss_curves(runs, x=x, ax=ax) is ax
    assert len(ax.lines) == 2
    np.testing.assert_allclose(xdata(ax, 1), getattr(runs[1], attr))
    assert ax.get_xlabel() == label
    assert ax.get_yscale() == "log"
    assert labelled(ax)
    assert "batch_size=8" in legend_texts(ax)[1]


def test_loss_curves_tick_counters_at_whole_numbers() -> None:
    # Over 3 epochs matplotlib's default ticks are 0, 0.5, 1, ...: epochs that never happen.
    A = np.c_[np.arange(4.0), np.ones(4)]
    t = descend(LeastSquares(), A, A @ [1.0, 1.0], lr=0.05, epochs=3)
    for x in ("epoch", "step", "samples"):
        ax = loss_curves(t, x=x)
        lo, hi = ax.get_xlim()
        ticks = [v for v in ax.get_xticks() if lo <= v <= hi]
        assert len(ticks) >= 2 and all(float(v).is_integer() for v in ticks), (x, ticks)
        plt.close(ax.figure)


def test_loss_curves_suboptimality_and_validation() -> None:
    rng = np.random.default_rng(2)
    A = np.c_[rng.normal(size=(50, 1)), np.ones(50)]
    y = A @ [1.0, 1.0] + 0.1 * rng.normal(size=50)
    t = descend(LeastSquares(), A, y, lr=0.1, epochs=10, validation_fraction=0.2, seed=0)
    f_star = 0.001
    ax = loss_curves({"run": t}, optimum=f_star, validation=True)
    assert len(ax.lines) == 2
    np.testing.assert_allclose(ydata(ax, 0), np.maximum(t.loss - f_star, 1e-16))
    assert ax.get_ylabel() == "loss - optimal loss"
    with pytest.raises(ValueError, match="x must be one of"):
        loss_curves(t, x="flops")


def test_schedules_plot_values_and_labels() -> None:
    exp = schedules.exponential(lr=0.2, gamma=0.95)
    _fig, ax = plt.subplots()
    out = plot_schedules([exp, schedules.constant(0.1)], steps=30, ax=ax, logy=True)
    assert out is ax
    assert len(ax.lines) == 2
    np.testing.assert_allclose(ydata(ax, 0), 0.2 * 0.95 ** np.arange(30))
    assert legend_texts(ax)[0] == str(exp)
    assert labelled(ax)
    assert len(plot_schedules(exp).lines) == 1


def test_scaling_plot_two_clouds() -> None:
    data = np.random.default_rng(3).normal([50.0, -3.0], [10.0, 0.1], size=(40, 2))
    scaled = (data - data.mean(0)) / data.std(0)
    _fig, ax = plt.subplots()
    assert plot_scaling(data, scaled, labels=("raw", "z-score"), ax=ax) is ax
    assert len(ax.collections) == 2
    np.testing.assert_allclose(offsets(ax, 1), scaled)
    assert labelled(ax)
    with pytest.raises(ValueError, match="columns"):
        plot_scaling(data, scaled, columns=(0, 5))


def test_stability_map_plot_marks_divergence_and_the_edge() -> None:
    rng = np.random.default_rng(4)
    A = rng.normal(size=(40, 2))
    frame = stability_map(
        LeastSquares(), A, A @ [1.0, 1.0], lrs=[0.01, 0.1, 10.0], batch_sizes=[None, 8], epochs=20
    )
    _fig, ax = plt.subplots()
    assert plot_stability_map(frame, ax=ax) is ax
    assert len(offsets(ax, 0)) == int((~frame["diverged"]).sum())
    assert len(offsets(ax, 1)) == int(frame["diverged"].sum()) >= 2
    assert xdata(ax, 0)[0] == pytest.approx(frame.attrs["lr_stable"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["full", "8"]
    assert labelled(ax)
    with pytest.raises(ValueError, match="lacks columns"):
        plot_stability_map(pd.DataFrame({"lr": [0.1]}))


def test_lr_finder_plot() -> None:
    rng = np.random.default_rng(5)
    A = np.c_[rng.normal(size=(60, 2)), np.ones(60)]
    res = lr_range_test(LeastSquares(), A, A @ [1.0, 2.0, 3.0], start_lr=1e-4)
    _fig, ax = plt.subplots()
    assert plot_lr_finder(res, ax=ax) is ax
    assert len(ax.lines) == 4  # loss, smoothed, suggestion, 2/L
    assert xdata(ax, 2)[0] == pytest.approx(res.suggestion)
    assert xdata(ax, 3)[0] == pytest.approx(res.lr_stable)
    assert labelled(ax)
    with pytest.raises(TypeError, match="LRFinderResult"):
        plot_lr_finder(object())  # type: ignore[arg-type]


def test_bad_ax_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="matplotlib Axes"):
        plot_schedules(schedules.constant(0.1), ax="left")  # type: ignore[arg-type]


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_least_squares_grid_shortcut_equals_the_models_loss(l2: float) -> None:
    from gdlab.plotting.contours import _loss_grid

    rng = np.random.default_rng(6)
    A = np.c_[rng.normal(size=(25, 2)), np.ones(25)]
    y = A @ [1.0, -1.0, 2.0] + rng.normal(size=25)
    model = LeastSquares(l2=l2)
    center = np.array([0.5, 0.1, -0.3])
    a, b = np.linspace(-2, 2, 5), np.linspace(-1, 3, 4)
    Z = _loss_grid(model, A, y, center, center.shape, (0, 2), a, b)
    for r, bj in enumerate(b):
        for c, ai in enumerate(a):
            w = center.copy()
            w[0], w[2] = ai, bj
            assert Z[r, c] == pytest.approx(model.loss(w, A, y), rel=1e-12)
