"""Part 1, §1-3 of the lesson: min-max, z-score and sigmoid on the lesson's own arrays.

Each formula is run twice, once with the course's helper (``gdlab.lesson``) and once with the
library scaler (``gdlab.scaling``); the report shows the table the lesson prints and the
largest difference between the two implementations.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab import lesson
from gdlab.report.legacy_rng import lesson_seed
from gdlab.report.result import Cell, ExperimentResult, Image, Table, render_png
from gdlab.scaling import MinMaxScaler, SigmoidScaler, StandardScaler


def _rows(*columns: NDArray[Any]) -> tuple[tuple[Cell, ...], ...]:
    stacked = np.column_stack(columns)
    return tuple(tuple(float(v) for v in row) for row in stacked)


def scaler_formulas() -> ExperimentResult:
    """§1-3: the three formulas on ``a = np.arange(12).reshape(6, 2)``, lesson vs library.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``max_diff_minmax``, ``max_diff_zscore``, ``max_diff_sigmoid`` (largest
        absolute difference between ``gdlab.lesson`` and ``gdlab.scaling``), ``zscore_mean``,
        ``zscore_std`` (of the z-scored columns), ``corr_raw``, ``corr_minmax`` (correlation of
        feature and label before and after min-max, equal because the map is affine).

    Examples
    --------
    >>> r = scaler_formulas()
    >>> r.numbers["max_diff_zscore"] < 1e-12, round(r.tables[0].rows[0][4], 8)  # seed value
    (True, -1.46385011)
    """
    a = np.arange(12, dtype=np.float64).reshape(6, 2)
    ours = {
        "minmax": (lesson.maxmin_norm(a), MinMaxScaler().fit_transform(a)),
        "zscore": (lesson.z_score(a), StandardScaler().fit_transform(a)),
        "sigmoid": (lesson.sigmoid(a), SigmoidScaler().fit_transform(a)),
    }
    diffs = {k: float(np.max(np.abs(x - y))) for k, (x, y) in ours.items()}
    z = ours["zscore"][1]
    table = Table(
        "a = np.arange(12).reshape(6, 2), column 0 and 1, scaled",
        ("a0", "a1", "min-max 0", "min-max 1", "z-score 0", "z-score 1", "sigmoid 0", "sigmoid 1"),
        _rows(a, ours["minmax"][1], z, ours["sigmoid"][1]),
    )
    # The lesson's picture of "normalization is affine": the same scatter, new axes.
    with lesson_seed(24):
        features, labels = lesson.arrayGenReg(delta=0.01)
    x, y = features[:, 0], labels[:, 0]
    xs, ys = lesson.maxmin_norm(x), lesson.maxmin_norm(y)
    corr_raw = float(np.corrcoef(x, y)[0, 1])
    corr_mm = float(np.corrcoef(xs, ys)[0, 1])
    image = Image(
        "affine",
        "arrayGenReg(delta=0.01), seed 24: feature 0 against the label, raw (left) and "
        "min-max scaled (right); the same cloud on new axes.",
        render_png(_scatter_pair(x, y, xs, ys)),
    )
    text = (
        "Min-max maps each column onto [0, 1] with (x - min) / (max - min); z-score centres it "
        "and divides by the population standard deviation, giving mean "
        f"{float(np.abs(z.mean(0)).max()):.1e} and standard deviation {float(z.std(0)[0]):.4f}; "
        "the sigmoid squeezes it into (0, 1) and saturates beyond a few units, which is why the "
        "lesson prefers the linear two. gdlab.scaling reproduces the lesson's helpers to within "
        f"{max(diffs.values()):.1e}. Both linear scalers are affine maps, so they keep the data's "
        f"shape: the feature-label correlation is {corr_raw:.6f} before and {corr_mm:.6f} after."
    )
    return ExperimentResult(
        key="formulas",
        section="§1-3",
        title="Min-max, z-score and sigmoid scaling",
        text=text,
        numbers={
            **{f"max_diff_{k}": v for k, v in diffs.items()},
            "zscore_mean": float(np.abs(z.mean(0)).max()),
            "zscore_std": float(z.std(0)[0]),
            "corr_raw": corr_raw,
            "corr_minmax": corr_mm,
        },
        tables=(table,),
        images=(image,),
        headline=f"library = lesson to {max(diffs.values()):.0e}; correlation kept",
    )


def _scatter_pair(
    x: NDArray[np.float64], y: NDArray[np.float64], xs: NDArray[np.float64], ys: NDArray[np.float64]
) -> object:
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    left.plot(x, y, "o", ms=2, alpha=0.5)
    left.set(title="raw", xlabel="feature 0", ylabel="label")
    right.plot(xs, ys, "o", ms=2, alpha=0.5, color="#ff7f0e")
    right.set(title="min-max scaled", xlabel="feature 0", ylabel="label")
    fig.tight_layout()
    return fig


def outliers() -> ExperimentResult:
    """§2: one extreme value, min-max against z-score (``a[1, 1] = 100``).

    Returns
    -------
    ExperimentResult
        ``numbers``: ``minmax_others_span`` (range of the three ordinary values of column 1
        after min-max), ``zscore_outlier`` and ``zscore_others_max`` (after z-score).

    Examples
    --------
    >>> r = outliers()
    >>> round(r.numbers["minmax_others_span"], 8), round(r.numbers["zscore_outlier"], 8)
    (0.06060606, 1.72970047)
    """
    a = np.arange(8, dtype=np.float64).reshape(4, 2)
    a[1, 1] = 100.0
    mm = MinMaxScaler().fit_transform(a)
    zs = StandardScaler().fit_transform(a)
    others = np.array([0, 2, 3])
    span = float(np.ptp(mm[others, 1]))
    z_out, z_others = float(zs[1, 1]), float(np.abs(zs[others, 1]).max())
    table = Table(
        "a = np.arange(8).reshape(4, 2) with a[1, 1] = 100",
        ("a0", "a1", "min-max 0", "min-max 1", "z-score 0", "z-score 1"),
        _rows(a, mm, zs),
    )
    image = Image(
        "outliers",
        "Column 1 of a after min-max (top) and z-score (bottom): the same picture on two "
        "different axes; the outlier is the right dot.",
        render_png(_strips(mm[:, 1], zs[:, 1])),
    )
    text = (
        "One extreme value in column 1 (100 among 1, 5 and 7). Min-max divides by the range the "
        f"outlier sets, so the three ordinary values end up squeezed into a span of {span:.4f} "
        f"near 0. Z-score keeps the outlier visibly apart: it sits at {z_out:.3f} standard "
        f"deviations while the others stay within {z_others:.3f}, so it can still be found and "
        "capped or removed afterwards. Both maps are affine, so the figure shows the same "
        "picture on two axes: what changes is the reading, a fraction of the range that one "
        "value dictates against a distance in standard deviations."
    )
    return ExperimentResult(
        key="outliers",
        section="§2",
        title="An outlier: min-max squashes, z-score keeps it visible",
        text=text,
        numbers={
            "minmax_others_span": span,
            "zscore_outlier": z_out,
            "zscore_others_max": z_others,
        },
        tables=(table,),
        images=(image,),
        headline=f"min-max span of the rest {span:.3f}; z-score outlier {z_out:.2f} sd",
    )


def _strips(minmax: NDArray[Any], zscore: NDArray[Any]) -> object:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 1, figsize=(7, 3.0))
    units = ("fraction of the range (max - min)", "standard deviations from the mean")
    for ax, values, name, unit in zip(
        axes, (minmax, zscore), ("min-max", "z-score"), units, strict=True
    ):
        ax.plot(values, np.zeros_like(values), "o", ms=8, alpha=0.7)
        ax.set_yticks([])
        ax.set_ylabel(name, rotation=0, ha="right", va="center")
        ax.set_xlabel(unit, fontsize="small")
    fig.tight_layout()
    return fig
