"""一、2, unit mismatch: what recording units do to a linear model, and scaling new data.

The lesson's data follow ``y = 200 x1 - x2 + 1``; recording x1 in a ten-times-larger unit
(x 0.1) and x2 in a ten-times-smaller one (x 10) turns the coefficients' ratio from -200 into
about -20,000. Scaling measures each coefficient on its column's own scale (per range for
min-max, per standard deviation for z-score), which cancels the recording units; what ratio
is left depends on how widely each feature spreads in the law's own units. New rows are
scaled with the *training* statistics and predictions mapped back with the label scaler's
inverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.datasets import add_intercept
from gdlab.report.charts import Chart, Series
from gdlab.report.data import LAW, LESSON_NOISE, UNITS, unit_mismatch_data
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.result import Cell, ExperimentResult, Table
from gdlab.scaling import MinMaxScaler, StandardScaler

PARAMS: tuple[Param, ...] = ()
FITS = ("raw", "minmax", "zscore")
SHOWN_ROWS = 5
t = words("units")

Array = NDArray[np.float64]


def _lstsq(X: Array, y: Array) -> Array:
    # The lesson's own solver call, so the numbers match its printout.
    return np.asarray(np.linalg.lstsq(add_intercept(X), y, rcond=-1)[0], dtype=np.float64)


@dataclass(frozen=True)
class Fits:
    """The three fits and the predictions on new rows."""

    w: dict[str, Array]
    y_new: Array
    predicted: Array  # training statistics
    predicted_own: Array  # the new rows' own statistics: the mistake


def _fit() -> Fits:
    X, y, X_new, y_new = unit_mismatch_data()
    x_scaler, y_scaler = MinMaxScaler().fit(X), MinMaxScaler().fit(y[:, None])
    w = {
        "raw": _lstsq(X, y),
        "minmax": _lstsq(x_scaler.transform(X), y_scaler.transform(y[:, None])[:, 0]),
        "zscore": _lstsq(StandardScaler().fit_transform(X), y),
    }

    def predict(X_scaled: Array) -> Array:
        scaled = add_intercept(X_scaled) @ w["minmax"]
        return np.asarray(y_scaler.inverse_transform(scaled[:, None])[:, 0], dtype=np.float64)

    own = MinMaxScaler().fit_transform(X_new)
    return Fits(w, y_new, predict(x_scaler.transform(X_new)), predict(own))


def _spread(X: Array) -> tuple[float, float]:
    """Ratios x1 : x2 of the standard deviations and of the ranges, in the law's units."""
    law = X / np.asarray(UNITS)
    sd, span = law.std(0), np.ptp(law, axis=0)
    return float(sd[0] / sd[1]), float(span[0] / span[1])


def _wider_x1_ratio() -> float:
    """The z-scored coefficient ratio on the same rows with x1 spread twice as wide (the law
    unchanged): the ratio follows the spread, so it is not the law's own."""
    X, y, _, _ = unit_mismatch_data()
    x1_law = X[:, 0] / UNITS[0]
    wide = X.copy()
    wide[:, 0] = 2 * X[:, 0]
    w = _lstsq(StandardScaler().fit_transform(wide), y + LAW[0] * x1_law)
    return float(w[0] / w[1])


def _numbers(f: Fits) -> dict[str, Any]:
    X, _, _, _ = unit_mismatch_data()
    sd_ratio, range_ratio = _spread(X)
    ratios = {k: float(f.w[k][0] / f.w[k][1]) for k in FITS}
    law_ratio = LAW[0] / LAW[1]
    return {
        **{f"w_{k}_{i}": float(v) for k in FITS for i, v in enumerate(f.w[k])},
        **{f"ratio_{k}": v for k, v in ratios.items()},
        "ratio_law": law_ratio,
        "ratio_growth": ratios["raw"] / law_ratio,
        "sd_ratio": sd_ratio,
        "range_ratio": range_ratio,
        "ratio_zscore_wide": _wider_x1_ratio(),
        "noise": LESSON_NOISE,
        "n_new": len(f.y_new),
        "new_max_abs_error": float(np.abs(f.predicted - f.y_new).max()),
        "new_own_stats_error": float(np.abs(f.predicted_own - f.y_new).max()),
    }


def measure() -> dict[str, Any]:
    """The numbers of the section.

    Returns
    -------
    dict
        ``w_<fit>_<i>`` (coefficients of x1, x2 and the intercept for the fits ``raw``,
        ``minmax``: features and label min-max scaled, ``zscore``: features z-scored),
        ``ratio_<fit>`` (w1 / w2), ``ratio_law`` (-200), ``ratio_growth`` (raw over law),
        ``sd_ratio`` and ``range_ratio`` (x1 : x2 in the law's units), ``ratio_zscore_wide``
        (the z-scored ratio with x1 spread twice as wide), ``noise``, ``n_new`` and the
        largest error on the new rows in label units, with the training statistics
        (``new_max_abs_error``) and with the new rows' own (``new_own_stats_error``).
    """
    return _numbers(_fit())


def _tables(f: Fits, numbers: dict[str, Any]) -> tuple[Table, Table]:
    coefficients = Table(
        t("table.title"),
        tuple(t(f"table.{c}") for c in ("fit", "w1", "w2", "intercept", "ratio")),
        tuple(
            (t(f"table.{k}"), *(numbers[f"w_{k}_{i}"] for i in range(3)), numbers[f"ratio_{k}"])
            for k in FITS
        ),
    )
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (i, float(f.predicted[i]), float(f.y_new[i]), float(abs(f.predicted[i] - f.y_new[i])))
        for i in range(SHOWN_ROWS)
    )
    columns = tuple(t(f"new_table.{c}") for c in ("row", "predicted", "label", "error"))
    return coefficients, Table(t("new_table.title", shown=SHOWN_ROWS), columns, rows)


def _ratio_chart(numbers: dict[str, Any]) -> Chart:
    bars = (("law", "#868e96"), ("raw", "#c92a2a"), ("minmax", "#d9480f"), ("zscore", "#1864ab"))
    series = tuple(
        Series(
            name,
            "vbar",
            {"x": [float(i)], "top": [abs(numbers[f"ratio_{name}"])]},
            t(f"fig.bar_{name}", value=abs(numbers[f"ratio_{name}"])),
            color,
            width=0.7,
        )
        for i, (name, color) in enumerate(bars)
    )
    return Chart(
        "ratio",
        t("fig.ratio"),
        t("fig.ratio_x"),
        t("fig.ratio_y"),
        series,
        caption=t("fig.ratio_caption", **numbers),
        y_log=True,
        y_range=(1.0, 4.0 * abs(numbers["ratio_raw"])),
        x_range=(-0.6, 3.6),
        x_ticks=(),
        height=300,
        half=True,
    )


def _prediction_chart(f: Fits) -> Chart:
    lo, hi = float(f.y_new.min()), float(f.y_new.max())
    zero = Series(
        "zero",
        "line",
        {"x": [lo, hi], "y": [0.0, 0.0]},
        t("fig.zero"),
        "#868e96",
        dash="dashed",
        width=1.5,
    )
    own = Series(
        "own",
        "scatter",
        {"x": f.y_new, "y": f.predicted_own - f.y_new},
        t("fig.own"),
        "#c92a2a",
        width=6,
        alpha=0.6,
    )
    training = Series(
        "training",
        "scatter",
        {"x": f.y_new, "y": f.predicted - f.y_new},
        t("fig.training"),
        "#1864ab",
        width=6,
        alpha=0.8,
    )
    return Chart(
        "errors",
        t("fig.errors"),
        t("fig.label"),
        t("fig.error"),
        (zero, own, training),
        caption=t("fig.errors_caption"),
        height=300,
        half=True,
    )


def run() -> ExperimentResult:
    """一、2: least squares on mismatched units, raw and scaled; predictions on new rows.

    Examples
    --------
    >>> r = run()  # the lesson prints 1999.99618924 and -0.00622912
    >>> round(r.numbers["w_raw_0"], 8), round(r.numbers["w_minmax_1"], 8)
    (1999.99618924, -0.00622912)
    """
    f = _fit()
    numbers = _numbers(f)
    charts = (_ratio_chart(numbers), _prediction_chart(f))
    return section_result("units", numbers, tables=_tables(f, numbers), charts=charts)
