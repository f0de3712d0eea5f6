"""Part 1, §4-5 of the lesson: unit mismatch, and scaling used the right way on new data.

The lesson's data follow ``y = 200 x1 - x2 + 1``; recording x1 in a ten-times-larger unit
(x 0.1) and x2 in a ten-times-smaller one (x 10) makes the least-squares coefficients differ by
about 20,000x instead of 200x. Scaling with the *training* statistics removes the mismatch, and
predictions on new rows are mapped back to label units with the label scaler's inverse.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab import lesson
from gdlab.datasets import add_intercept, rescale_columns
from gdlab.report.legacy_rng import lesson_seed
from gdlab.report.result import ExperimentResult, Image, Table, render_png
from gdlab.scaling import MinMaxScaler, StandardScaler

_UNITS = (0.1, 10.0)


def _lstsq(X: NDArray[Any], y: NDArray[Any]) -> NDArray[np.float64]:
    # The lesson's own solver call, so the numbers match its printout.
    return np.asarray(np.linalg.lstsq(X, y, rcond=-1)[0]).ravel()


def unit_mismatch() -> ExperimentResult:
    """§4-5: least-squares coefficients raw, min-max and z-score; prediction on new rows.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``ratio_raw``, ``ratio_minmax``, ``ratio_zscore`` (coefficient of x1 over
        coefficient of x2), ``w_raw_0``, ``w_minmax_0``, ``w_minmax_1`` (as the lesson prints),
        ``new_max_abs_error`` (largest error over the 100 new rows after the inverse transform).

    Examples
    --------
    >>> r = unit_mismatch()
    >>> round(r.numbers["w_raw_0"], 8), round(r.numbers["w_minmax_1"], 8)  # the lesson's
    (1999.99618924, -0.00622912)
    """
    with lesson_seed(24):
        features, labels = lesson.arrayGenReg(w=[200, -1, 1], delta=0.01)
        new_features, new_labels = lesson.arrayGenReg(num_examples=100, w=[200, -1, 1], delta=0.01)
    raw = rescale_columns(features[:, :2], _UNITS)
    new_raw = rescale_columns(new_features[:, :2], _UNITS)

    w_raw = _lstsq(add_intercept(raw), labels)
    x_scaler, y_scaler = MinMaxScaler().fit(raw), MinMaxScaler().fit(labels)
    w_mm = _lstsq(add_intercept(x_scaler.transform(raw)), y_scaler.transform(labels))
    w_z = _lstsq(add_intercept(StandardScaler().fit_transform(raw)), labels)

    # New rows go through the training statistics, predictions back through the label scaler.
    yhat = y_scaler.inverse_transform((add_intercept(x_scaler.transform(new_raw)) @ w_mm)[:, None])
    errors = np.abs(yhat[:, 0] - new_labels[:, 0])
    ratios = {k: float(w[0] / w[1]) for k, w in (("raw", w_raw), ("minmax", w_mm), ("zscore", w_z))}

    coef = Table(
        "least-squares coefficients (x1 recorded x 0.1, x2 x 10; true law y = 200 x1 - x2 + 1)",
        ("features", "w1", "w2", "intercept", "w1 / w2"),
        (
            ("raw units", *map(float, w_raw), ratios["raw"]),
            ("min-max (features and label)", *map(float, w_mm), ratios["minmax"]),
            ("z-score (features)", *map(float, w_z), ratios["zscore"]),
        ),
    )
    preds = Table(
        "new rows: prediction mapped back to label units against the true label",
        ("row", "prediction", "true label", "abs error"),
        tuple((i, float(yhat[i, 0]), float(new_labels[i, 0]), float(errors[i])) for i in range(5)),
    )
    image = Image(
        "coefficients",
        "|w1 / w2| on a log scale: 200 is the ratio in the data's own units.",
        render_png(_ratio_bars(ratios)),
    )
    text = (
        "With x1 recorded ten times too small and x2 ten times too large, least squares gives "
        f"w1 = {w_raw[0]:.2f} and w2 = {w_raw[1]:.5f}: a ratio of {ratios['raw']:,.0f} where the "
        f"law has -200. After min-max scaling of features and label the ratio is "
        f"{ratios['minmax']:.1f} and after z-scoring the features it is {ratios['zscore']:.1f}: "
        "the first feature dominates by about 200x again, as the lesson shows. New rows are "
        "scaled with the training minimum and range, and predictions are mapped back through "
        "the label scaler's inverse; over 100 new rows the largest error is "
        f"{float(errors.max()):.4f} label units (noise level 0.01)."
    )
    return ExperimentResult(
        key="units",
        section="§4-5",
        title="Unit mismatch, and scaling new data with the training statistics",
        text=text,
        numbers={
            "ratio_raw": ratios["raw"],
            "ratio_minmax": ratios["minmax"],
            "ratio_zscore": ratios["zscore"],
            "w_raw_0": float(w_raw[0]),
            "w_minmax_0": float(w_mm[0]),
            "w_minmax_1": float(w_mm[1]),
            "new_max_abs_error": float(errors.max()),
        },
        tables=(coef, preds),
        images=(image,),
        headline=f"w1/w2 {ratios['raw']:,.0f} raw -> {ratios['zscore']:.0f} z-scored",
    )


def _ratio_bars(ratios: dict[str, float]) -> object:
    import matplotlib.pyplot as plt

    names = ["true law", "raw units", "min-max", "z-score"]
    values = [200.0, abs(ratios["raw"]), abs(ratios["minmax"]), abs(ratios["zscore"])]
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(names, values, color=["#999999", "#d62728", "#ff7f0e", "#1f77b4"])
    ax.set_yscale("log")
    # Bars on a log axis start at 1 (ratio one): an automatic bottom near the smallest bar
    # would make 160 look a quarter of 200. The top leaves room for the value labels.
    ax.set_ylim(1.0, 4.0 * max(values))
    ax.set_ylabel("|w1 / w2|")
    ax.set_title("Coefficient ratio of the least-squares fit")
    for i, v in enumerate(values):
        ax.annotate(f"{v:,.0f}", (i, v), ha="center", va="bottom")
    fig.tight_layout()
    return fig
