"""Part 一, section 2 of the lesson: unit mismatch, and scaling used the right way on new data.

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
from gdlab.report.charts import Chart, Series
from gdlab.report.legacy_rng import lesson_seed
from gdlab.report.result import ExperimentResult, Table
from gdlab.report.scalers import PART
from gdlab.report.text import Bilingual as B
from gdlab.scaling import MinMaxScaler, StandardScaler

_UNITS = (0.1, 10.0)


def _lstsq(X: NDArray[Any], y: NDArray[Any]) -> NDArray[np.float64]:
    # The lesson's own solver call, so the numbers match its printout.
    return np.asarray(np.linalg.lstsq(X, y, rcond=-1)[0]).ravel()


def unit_mismatch() -> ExperimentResult:
    """一、2: least-squares coefficients raw, min-max and z-score; prediction on new rows.

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
        B(
            "最小二乘系数（x1 记录时 ×0.1，x2 ×10；真实规律 y = 200 x1 − x2 + 1）",
            "least-squares coefficients (x1 recorded x 0.1, x2 x 10; true law y = 200 x1 - x2 + 1)",
        ),
        (B("特征", "features"), "w1", "w2", B("截距", "intercept"), "w1 / w2"),
        (
            (B("原始单位", "raw units"), *map(float, w_raw), ratios["raw"]),
            (
                B("0-1 标准化（特征和标签）", "min-max (features and label)"),
                *map(float, w_mm),
                ratios["minmax"],
            ),
            (B("Z-Score 标准化（特征）", "z-score (features)"), *map(float, w_z), ratios["zscore"]),
        ),
    )
    preds = Table(
        B(
            "新数据：预测值逆向归一化回标签单位，与真实标签对比",
            "new rows: prediction mapped back to label units against the true label",
        ),
        (
            B("行", "row"),
            B("预测值", "prediction"),
            B("真实标签", "true label"),
            B("绝对误差", "abs error"),
        ),
        tuple((i, float(yhat[i, 0]), float(new_labels[i, 0]), float(errors[i])) for i in range(5)),
    )
    names = [
        B("真实规律", "true law"),
        B("原始单位", "raw units"),
        B("0-1 标准化", "min-max"),
        B("Z-Score", "z-score"),
    ]
    values = [200.0, abs(ratios["raw"]), abs(ratios["minmax"]), abs(ratios["zscore"])]
    colors = ["#999999", "#d62728", "#ff7f0e", "#1f77b4"]
    chart = Chart(
        "ratio",
        B("两个系数之比 |w1 / w2|（对数坐标）", "Coefficient ratio |w1 / w2| (log scale)"),
        B("拟合方式（见图例）", "fit (see legend)"),
        "|w1 / w2|",
        tuple(
            Series(
                f"bar{i}",
                "vbar",
                {"x": [float(i)], "top": [v]},
                B(f"{n.zh}：{v:,.0f}", f"{n.en}: {v:,.0f}"),
                c,
                width=0.7,
            )
            for i, (n, v, c) in enumerate(zip(names, values, colors, strict=True))
        ),
        caption=B(
            "200 是数据真实单位下的比例；量纲错配把它放大到约 20,000，归一化后又回到 200 左右。",
            "200 is the ratio in the data's own units; the unit mismatch inflates it to about "
            "20,000 and scaling brings it back near 200.",
        ),
        y_log=True,
        y_range=(1.0, 4.0 * max(values)),
        x_range=(-0.6, 3.6),
        x_ticks=(),
    )
    text = B(
        f"x1 用了大十倍的单位记录、x2 用了小十倍的单位记录后，最小二乘得到 w1 = {w_raw[0]:.2f}、"
        f"w2 = {w_raw[1]:.5f}，两者之比是 {ratios['raw']:,.0f}，而真实规律只有 -200："
        "系数差距从 200 倍变成了 2 万倍，小系数容易有精度问题，也容易在判断特征重要性时被忽视。"
        f"对特征和标签做 0-1 标准化后，比例回到 {ratios['minmax']:.1f}；只对特征做 Z-Score "
        "标准化，比例是 "
        f"{ratios['zscore']:.1f}：第一个特征的重要性约为第二个的 200 倍，和真实规律一致。"
        "新数据必须用训练集的最小值和极差来缩放，模型输出的是归一化后的标签，还要逆向归一"
        "化回原来的单位；"
        f"100 条新数据上的最大误差是 {float(errors.max()):.4f}（噪声水平 0.01）。",
        "With x1 recorded ten times too small and x2 ten times too large, least squares gives "
        f"w1 = {w_raw[0]:.2f} and w2 = {w_raw[1]:.5f}: a ratio of {ratios['raw']:,.0f} where the "
        "law has -200. The gap between the coefficients grows from 200x to 20,000x, so small "
        "coefficients risk precision loss and are easily overlooked when judging feature "
        f"importance. After min-max scaling of features and label the ratio is "
        f"{ratios['minmax']:.1f}, and after z-scoring the features it is {ratios['zscore']:.1f}: "
        "the first feature matters about 200x more again, as in the law. New rows are scaled "
        "with the training minimum and range, and the model's output, a scaled label, is mapped "
        "back through the label scaler's inverse; over 100 new rows the largest error is "
        f"{float(errors.max()):.4f} label units (noise level 0.01).",
    )
    return ExperimentResult(
        key="units",
        section="一、2",
        part=PART,
        title=B(
            "数据归一化算法执行过程：量纲错配与新数据的预测",
            "Unit mismatch, and scaling new data with the training statistics",
        ),
        claim=B(
            f"量纲错配让系数之比从 -200 变成 {ratios['raw']:,.0f}；用训练集的统计量归一化后"
            "回到约 -200，"
            "新数据的预测逆向归一化后与真实标签一致。",
            f"A unit mismatch turns the coefficient ratio from -200 into {ratios['raw']:,.0f}; "
            "scaling with the training statistics brings it back near -200, and predictions on "
            "new rows, mapped back to label units, match the true labels.",
        ),
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
        charts=(chart,),
        headline=B(
            f"w1/w2：原始 {ratios['raw']:,.0f} → Z-Score {ratios['zscore']:.0f}",
            f"w1/w2 {ratios['raw']:,.0f} raw -> {ratios['zscore']:.0f} z-scored",
        ),
    )
