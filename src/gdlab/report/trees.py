"""Part 一, section 3 of the lesson: tree models do not care about scale.

A decision tree splits on the order of a feature's values, which an increasing affine map
keeps, so it predicts exactly the same on raw and scaled data; a distance-based model such
as KNN does not. Both are scikit-learn's, fitted on the lesson's unit-mismatch data.
"""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import KNeighborsRegressor
from sklearn.tree import DecisionTreeRegressor

from gdlab import lesson
from gdlab.datasets import rescale_columns
from gdlab.report.charts import Chart, Series
from gdlab.report.legacy_rng import lesson_seed
from gdlab.report.result import ExperimentResult, Table
from gdlab.report.scalers import PART
from gdlab.report.text import Bilingual as B
from gdlab.scaling import MinMaxScaler, StandardScaler

_UNITS = (0.1, 10.0)


def tree_models(*, n_train: int = 700, neighbours: int = 5) -> ExperimentResult:
    """一、3: a decision tree predicts identically on raw and scaled data; KNN does not.

    Parameters
    ----------
    n_train : int
        Training rows (the rest of the lesson's 1,000 rows are the test rows).
    neighbours : int
        ``k`` of the KNN regressor.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``tree_max_diff_<s>`` and ``knn_max_diff_<s>`` (largest difference
        between the predictions on raw and on ``s``-scaled data, ``s`` in ``minmax``,
        ``zscore``), ``knn_mse_raw``, ``knn_mse_zscore`` (test error).

    Examples
    --------
    >>> r = tree_models()
    >>> r.numbers["tree_max_diff_zscore"], r.numbers["knn_max_diff_zscore"] > 1
    (0.0, True)
    """
    with lesson_seed(24):
        features, labels = lesson.arrayGenReg(w=[200, -1, 1], delta=0.01)
    X = rescale_columns(features[:, :2], _UNITS)
    y = labels[:, 0]
    X_tr, X_te, y_tr, y_te = X[:n_train], X[n_train:], y[:n_train], y[n_train:]
    preds: dict[str, dict[str, np.ndarray]] = {"tree": {}, "knn": {}}
    for name, scaler in (("raw", None), ("minmax", MinMaxScaler()), ("zscore", StandardScaler())):
        A_tr = X_tr if scaler is None else scaler.fit(X_tr).transform(X_tr)
        A_te = X_te if scaler is None else scaler.transform(X_te)
        tree = DecisionTreeRegressor(random_state=0).fit(A_tr, y_tr)
        knn = KNeighborsRegressor(n_neighbors=neighbours).fit(A_tr, y_tr)
        preds["tree"][name], preds["knn"][name] = tree.predict(A_te), knn.predict(A_te)
    numbers: dict[str, float] = {}
    for model in ("tree", "knn"):
        for s in ("minmax", "zscore"):
            numbers[f"{model}_max_diff_{s}"] = float(
                np.max(np.abs(preds[model][s] - preds[model]["raw"]))
            )
    for s in ("raw", "zscore"):
        numbers[f"knn_mse_{s}"] = float(np.mean((preds["knn"][s] - y_te) ** 2))
        numbers[f"tree_mse_{s}"] = float(np.mean((preds["tree"][s] - y_te) ** 2))
    lo, hi = float(y_te.min()), float(y_te.max())
    chart = Chart(
        "predictions",
        B(
            "同一批测试数据：原始数据上的预测 vs Z-Score 数据上的预测",
            "The same test rows: prediction on raw vs on z-scored data",
        ),
        B("在原始数据上训练的预测", "prediction, trained on raw data"),
        B("在 Z-Score 数据上训练的预测", "prediction, trained on z-scored data"),
        (
            Series(
                "diagonal",
                "line",
                {"x": [lo, hi], "y": [lo, hi]},
                B("两者相等的对角线", "equal predictions"),
                "#999999",
                dash="dashed",
                width=1.5,
            ),
            Series(
                "knn",
                "scatter",
                {"x": preds["knn"]["raw"], "y": preds["knn"]["zscore"]},
                B(
                    f"KNN（k = {neighbours}）：偏离对角线",
                    f"KNN (k = {neighbours}): off the diagonal",
                ),
                "#d62728",
                width=6,
                alpha=0.6,
            ),
            Series(
                "tree",
                "scatter",
                {"x": preds["tree"]["raw"], "y": preds["tree"]["zscore"]},
                B("决策树：全部落在对角线上", "decision tree: all on the diagonal"),
                "#2ca02c",
                width=6,
                alpha=0.8,
            ),
        ),
        caption=B(
            "横轴和纵轴是同一个模型在两种数据上给出的预测；落在对角线上表示归一化对它毫无影响。",
            "Each point is one test row: the same model's prediction on raw and on z-scored data. "
            "On the diagonal, scaling changed nothing.",
        ),
        equal_aspect=True,
        height=380,
    )
    table = Table(
        B(
            f"{len(y_te)} 条测试数据上的结果（训练 {n_train} 条）",
            f"{len(y_te)} test rows ({n_train} training rows)",
        ),
        (
            B("模型", "model"),
            B("与原始数据预测的最大差：0-1 标准化", "max difference from raw: min-max"),
            B("最大差：Z-Score", "max difference: z-score"),
            B("测试均方误差：原始", "test MSE: raw"),
            B("测试均方误差：Z-Score", "test MSE: z-score"),
        ),
        (
            (
                B("决策树", "decision tree"),
                numbers["tree_max_diff_minmax"],
                numbers["tree_max_diff_zscore"],
                numbers["tree_mse_raw"],
                numbers["tree_mse_zscore"],
            ),
            (
                f"KNN (k = {neighbours})",
                numbers["knn_max_diff_minmax"],
                numbers["knn_max_diff_zscore"],
                numbers["knn_mse_raw"],
                numbers["knn_mse_zscore"],
            ),
        ),
    )
    return ExperimentResult(
        key="trees",
        section="一、3",
        part=PART,
        title=B("数据归一化算法评价：树模型不受量纲影响", "Tree models do not care about scale"),
        claim=B(
            "决策树只看特征取值的先后顺序，归一化不改变顺序，所以它在原始数据和归一化数据"
            "上的预测完全相同（最大差 "
            f"{numbers['tree_max_diff_zscore']:g}）；KNN 依赖距离，预测变了（最大差 "
            f"{numbers['knn_max_diff_zscore']:.1f}）。",
            "A decision tree splits on the order of a feature's values, which scaling keeps, so it "
            "predicts exactly the same on raw and scaled data (largest difference "
            f"{numbers['tree_max_diff_zscore']:g}); KNN measures distances and its predictions "
            f"change (largest difference {numbers['knn_max_diff_zscore']:.1f}).",
        ),
        text=B(
            "线性模型和距离类模型（线性回归、KNN、K-Means）会受到各列绝对数值大小的影响："
            "数值大的列主导距离，"
            "模型无法均匀地从各列中提取信息。在量纲错配的数据上，KNN 的测试均方误差在原始数据上是 "
            f"{numbers['knn_mse_raw']:,.0f}，Z-Score 之后是 {numbers['knn_mse_zscore']:,.0f}。"
            "树模型则不受影响：每次切分只比较某一列的大小，而单调的仿射变换不会改变任何两"
            "个值的先后顺序。",
            "Linear and distance-based models (linear regression, KNN, K-means) feel the absolute "
            "size of each column: the large column dominates the distance and the model cannot "
            "draw evenly on every column. On the mismatched data KNN's test MSE is "
            f"{numbers['knn_mse_raw']:,.0f} raw and {numbers['knn_mse_zscore']:,.0f} after "
            "z-score. "
            "Trees are immune: each split compares values of one column, and an increasing "
            "affine map never changes which of two values is larger.",
        ),
        numbers=numbers,
        tables=(table,),
        charts=(chart,),
        headline=B(
            f"决策树预测差 {numbers['tree_max_diff_zscore']:g}；KNN "
            f"{numbers['knn_max_diff_zscore']:.1f}",
            f"tree predictions differ by {numbers['tree_max_diff_zscore']:g}; KNN by "
            f"{numbers['knn_max_diff_zscore']:.1f}",
        ),
    )
