"""一、3, tree models do not care about scale; distance-based models do.

A decision tree splits on the order of one feature's values, which an increasing affine map
keeps, so it predicts exactly the same on raw and scaled data; KNN measures distances, which
the large column dominates. Both are scikit-learn's, fitted on 一、2's mismatched data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.neighbors import KNeighborsRegressor
from sklearn.tree import DecisionTreeRegressor

from gdlab.report.charts import Chart, Series
from gdlab.report.data import unit_mismatch_data
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.result import ExperimentResult, Table
from gdlab.scaling import MinMaxScaler, StandardScaler

PARAMS = (Param("n_train", 700, 100, 980), Param("neighbours", 5, 1, 20))
MODELS = ("tree", "knn")
SCALINGS = ("raw", "minmax", "zscore")
t = words("trees")

Array = NDArray[np.float64]
Predictions = dict[str, dict[str, Array]]


def _predict(n_train: int, neighbours: int) -> tuple[Predictions, Array]:
    """Each model's test predictions on raw, min-max and z-scored rows, and the test labels.

    The scalers are fitted on the training rows only, and the test rows go through them.
    """
    X, y, _, _ = unit_mismatch_data()
    X_tr, X_te, y_tr, y_te = X[:n_train], X[n_train:], y[:n_train], y[n_train:]
    scalers = {"raw": None, "minmax": MinMaxScaler(), "zscore": StandardScaler()}
    preds: Predictions = {"tree": {}, "knn": {}}
    for name, scaler in scalers.items():
        A_tr = X_tr if scaler is None else scaler.fit(X_tr).transform(X_tr)
        A_te = X_te if scaler is None else scaler.transform(X_te)
        tree = DecisionTreeRegressor(random_state=0).fit(A_tr, y_tr)
        knn = KNeighborsRegressor(n_neighbors=neighbours).fit(A_tr, y_tr)
        preds["tree"][name], preds["knn"][name] = tree.predict(A_te), knn.predict(A_te)
    return preds, y_te


def _numbers(preds: Predictions, y_te: Array, n_train: int, neighbours: int) -> dict[str, Any]:
    X, _, _, _ = unit_mismatch_data()
    sd = X[:n_train].std(0)
    numbers: dict[str, Any] = {
        "n_train": n_train,
        "n_test": len(y_te),
        "neighbours": neighbours,
        "spread_ratio": float(sd[1] / sd[0]),
    }
    for model in MODELS:
        for s in SCALINGS:
            numbers[f"{model}_mse_{s}"] = float(np.mean((preds[model][s] - y_te) ** 2))
            if s != "raw":
                gap = np.abs(preds[model][s] - preds[model]["raw"])
                numbers[f"{model}_max_diff_{s}"] = float(gap.max())
    return numbers


def measure(*, n_train: int = 700, neighbours: int = 5) -> dict[str, Any]:
    """The numbers of the section.

    Returns
    -------
    dict
        ``<model>_max_diff_<s>`` (largest difference between the test predictions on raw and
        on ``s``-scaled rows; ``model`` in ``tree``, ``knn``, ``s`` in ``minmax``, ``zscore``),
        ``<model>_mse_<s>`` (test mean squared error, label units squared, ``s`` also
        ``raw``), ``spread_ratio`` (x2's standard deviation over x1's, as recorded, on the
        training rows) and the settings ``n_train``, ``n_test``, ``neighbours``.
    """
    preds, y_te = _predict(n_train, neighbours)
    return _numbers(preds, y_te, n_train, neighbours)


def _chart(preds: Predictions, y_te: Array, numbers: dict[str, Any]) -> Chart:
    lo, hi = float(y_te.min()), float(y_te.max())
    diagonal = Series(
        "diagonal",
        "line",
        {"x": [lo, hi], "y": [lo, hi]},
        t("fig.diagonal"),
        "#868e96",
        dash="dashed",
        width=1.5,
    )
    styles = {"knn": ("#c92a2a", 0.6), "tree": ("#2b8a3e", 0.8)}
    points = tuple(
        Series(
            model,
            "scatter",
            {"x": preds[model]["raw"], "y": preds[model]["zscore"]},
            t(f"fig.{model}", **numbers),
            color,
            width=6,
            alpha=alpha,
        )
        for model, (color, alpha) in styles.items()
    )
    return Chart(
        "predictions",
        t("fig.title"),
        t("fig.x"),
        t("fig.y"),
        (diagonal, *points),
        caption=t("fig.caption"),
        equal_aspect=True,
        height=380,
    )


def _table(numbers: dict[str, Any]) -> Table:
    columns = ("model", "diff_minmax", "diff_zscore", "mse_raw", "mse_zscore")
    rows = tuple(
        (
            t(f"table.{model}", **numbers),
            numbers[f"{model}_max_diff_minmax"],
            numbers[f"{model}_max_diff_zscore"],
            numbers[f"{model}_mse_raw"],
            numbers[f"{model}_mse_zscore"],
        )
        for model in MODELS
    )
    return Table(t("table.title", **numbers), tuple(t(f"table.{c}") for c in columns), rows)


def run(*, n_train: int = 700, neighbours: int = 5) -> ExperimentResult:
    """一、3: a decision tree predicts identically on raw and scaled data; KNN does not.

    Examples
    --------
    >>> r = run()
    >>> r.numbers["tree_max_diff_zscore"], r.numbers["knn_max_diff_zscore"] > 1
    (0.0, True)
    """
    preds, y_te = _predict(n_train, neighbours)
    numbers = _numbers(preds, y_te, n_train, neighbours)
    return section_result(
        "trees", numbers, tables=(_table(numbers),), charts=(_chart(preds, y_te, numbers),)
    )
