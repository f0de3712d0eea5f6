"""Part 一, section 3 of the lesson: what scaling keeps and what it costs.

Scaling is an affine map, so it keeps the data's shape (the correlation is unchanged); it
costs interpretability, since a coefficient on scaled data is "per standard deviation" rather
than per unit, which ``gdlab.analysis.coefficients_to_raw`` undoes. Who ignores scaling
altogether, tree models, is :mod:`gdlab.report.trees`.
"""

from __future__ import annotations

import numpy as np

from gdlab import lesson
from gdlab.analysis import coefficients_to_raw
from gdlab.datasets import add_intercept, rescale_columns
from gdlab.report.charts import Chart, Series
from gdlab.report.legacy_rng import lesson_seed
from gdlab.report.result import ExperimentResult, Table
from gdlab.report.scalers import PART
from gdlab.report.text import Bilingual as B
from gdlab.report.text import Text
from gdlab.scaling import StandardScaler

_UNITS = (0.1, 10.0)


def affine_shape() -> ExperimentResult:
    """一、3: the lesson's scatter before and after min-max; the correlation is unchanged.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``corr_raw``, ``corr_minmax`` (feature-label correlation before and after).

    Examples
    --------
    >>> r = affine_shape()
    >>> abs(r.numbers["corr_raw"] - r.numbers["corr_minmax"]) < 1e-12
    True
    """
    with lesson_seed(24):
        features, labels = lesson.arrayGenReg(delta=0.01)
    x, y = features[:, 0], labels[:, 0]
    xs, ys = lesson.maxmin_norm(x), lesson.maxmin_norm(y)
    corr_raw = float(np.corrcoef(x, y)[0, 1])
    corr_mm = float(np.corrcoef(xs, ys)[0, 1])
    charts = (
        Chart(
            "raw",
            B("原始数据", "raw"),
            B("特征 0", "feature 0"),
            B("标签", "label"),
            (Series("points", "scatter", {"x": x, "y": y}, None, "#1f77b4", width=4, alpha=0.5),),
            height=300,
        ),
        Chart(
            "minmax",
            B("0-1 标准化后", "after min-max"),
            B("特征 0（0-1 标准化）", "feature 0 (min-max)"),
            B("标签（0-1 标准化）", "label (min-max)"),
            (Series("points", "scatter", {"x": xs, "y": ys}, None, "#ff7f0e", width=4, alpha=0.5),),
            caption=B("同一团点，只换了坐标轴的刻度。", "The same cloud of points on new axes."),
            height=300,
        ),
    )
    return ExperimentResult(
        key="affine",
        section="一、3",
        part=PART,
        title=B(
            "数据归一化算法评价：仿射变换不改变数据规律",
            "Scaling is affine: the data's shape is kept",
        ),
        claim=B(
            f"归一化只是平移和放缩，不改变数据分布：特征与标签的相关系数归一化前是 {corr_raw:.6f}，"
            f"之后还是 {corr_mm:.6f}。",
            "Scaling only shifts and stretches, so the data keep their shape: the feature-label "
            f"correlation is {corr_raw:.6f} before and {corr_mm:.6f} after.",
        ),
        text=B(
            "仿射变换指样本空间的平移（加减某个数）和放缩（乘除某个数）。0-1 标准化的平移"
            "是减去每列的最小值，"
            "放缩是除以极差。它不影响数据的内在规律，只影响那些受特征绝对数值影响的算法挖"
            "掘规律的难度，"
            "比如线性模型、距离类模型和梯度下降。",
            "An affine map shifts (adds or subtracts a number) and stretches (multiplies "
            "or divides). "
            "Min-max shifts by each column's minimum and stretches by its range. It leaves the "
            "data's law untouched and only changes how hard it is to find for algorithms that "
            "feel the absolute size of a feature: linear models, distance-based models and "
            "gradient descent.",
        ),
        numbers={"corr_raw": corr_raw, "corr_minmax": corr_mm},
        charts=charts,
        headline=B(
            f"相关系数 {corr_raw:.4f} = {corr_mm:.4f}",
            f"correlation {corr_raw:.4f} = {corr_mm:.4f}",
        ),
    )


def interpretability() -> ExperimentResult:
    """一、3: coefficients on z-scored data lose their units; ``coefficients_to_raw`` restores them.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``w_scaled_<i>`` (least squares on z-scored features), ``w_raw_<i>`` (the
        same mapped back by ``coefficients_to_raw``), ``w_law_<i>`` (in the law's units: the
        recorded units undone) and ``max_diff_direct`` (against least squares on raw data).

    Examples
    --------
    >>> r = interpretability()
    >>> [round(r.numbers[f"w_law_{i}"], 2) for i in range(3)]
    [200.0, -1.0, 1.0]
    """
    with lesson_seed(24):
        features, labels = lesson.arrayGenReg(w=[200, -1, 1], delta=0.01)
    raw = rescale_columns(features[:, :2], _UNITS)
    y = labels[:, 0]
    scaler = StandardScaler().fit(raw)
    w_scaled = np.linalg.lstsq(add_intercept(scaler.transform(raw)), y, rcond=None)[0]
    back = coefficients_to_raw(w_scaled, x_scaler=scaler)
    w_back = np.append(back.coef, back.intercept)
    w_direct = np.linalg.lstsq(add_intercept(raw), y, rcond=None)[0]
    w_law = np.append(back.coef * np.array(_UNITS), back.intercept)
    names: tuple[Text, ...] = ("w1", "w2", B("截距", "intercept"))
    table = Table(
        B("同一个模型的三种读法", "One model, three readings"),
        (
            B("系数", "coefficient"),
            B("Z-Score 数据上（每个标准差）", "on z-scored data (per sd)"),
            B("coefficients_to_raw：每个记录单位", "coefficients_to_raw: per recorded unit"),
            B("换回规律的单位", "in the law's units"),
            B("真实规律", "true law"),
        ),
        tuple(
            (n, float(a), float(b), float(c), float(t))
            for n, a, b, c, t in zip(
                names, w_scaled, w_back, w_law, (200.0, -1.0, 1.0), strict=True
            )
        ),
    )
    chart = Chart(
        "coefficients",
        B(
            "系数的绝对值（对数坐标）：Z-Score 后与换回单位后",
            "|coefficient| (log scale): z-scored and mapped back",
        ),
        B("w1、w2、截距", "w1, w2, intercept"),
        B("|系数|", "|coefficient|"),
        (
            Series(
                "scaled",
                "vbar",
                {"x": [-0.25, 0.75, 1.75], "top": np.abs(w_scaled)},
                B("Z-Score 数据上：每个标准差", "on z-scored data: per sd"),
                "#1f77b4",
                width=0.23,
            ),
            Series(
                "recorded",
                "vbar",
                {"x": [0.0, 1.0, 2.0], "top": np.abs(w_back)},
                B("coefficients_to_raw：每个记录单位", "coefficients_to_raw: per recorded unit"),
                "#ff7f0e",
                width=0.23,
            ),
            Series(
                "law",
                "vbar",
                {"x": [0.25, 1.25, 2.25], "top": np.abs(w_law)},
                B("再换回规律的单位：200 / -1 / 1", "in the law's units: 200 / -1 / 1"),
                "#2ca02c",
                width=0.23,
            ),
        ),
        y_log=True,
        y_range=(1e-2, 1e4),
        x_range=(-0.6, 2.6),
        x_ticks=(0.0, 1.0, 2.0),
        caption=B(
            "同一个模型的三种读法。蓝色柱子的单位是“一个标准差”，按记录单位读，x1 的系数应是橙色的"
            " 2000，"
            "截距也不是 x = 0 处的值。",
            "One model read three ways. The blue bars are per standard deviation: per recorded "
            "unit x1's coefficient is the orange 2000, and the intercept is not the value at x = "
            "0.",
        ),
    )
    diff = float(np.max(np.abs(w_back - w_direct)))
    return ExperimentResult(
        key="interpretability",
        section="一、3",
        part=PART,
        title=B(
            "数据归一化算法评价：归一化的代价是可解释性",
            "What scaling costs: the coefficients lose their units",
        ),
        claim=B(
            f"Z-Score 后的系数 {w_scaled[0]:.1f} / {w_scaled[1]:.2f} / {w_scaled[2]:.1f} 是"
            "“每个标准差”的效应，不能按原来的单位读：截距 "
            f"{w_scaled[2]:.1f} 是各特征取均值时的预测，而不是真实截距 1；coefficients_to_raw 把它"
            "们"
            f"换回每个记录单位的 {w_back[0]:.0f} / {w_back[1]:.3f} / {w_back[2]:.2f}，"
            f"乘上记录单位就是 {w_law[0]:.1f} / {w_law[1]:.2f} / {w_law[2]:.2f}。",
            f"On z-scored data the coefficients {w_scaled[0]:.1f} / {w_scaled[1]:.2f} / "
            f"{w_scaled[2]:.1f} are effects per standard deviation and cannot be read in the "
            f"original units: the intercept {w_scaled[2]:.1f} is the prediction at the mean, not "
            "the true intercept 1. coefficients_to_raw maps them back to "
            f"{w_back[0]:.0f} / {w_back[1]:.3f} / {w_back[2]:.2f} per recorded unit, and the "
            f"recording units turn that into {w_law[0]:.1f} / {w_law[1]:.2f} / {w_law[2]:.2f}.",
        ),
        text=B(
            "归一化之后，每条数据都不再有明确的现实意义：x1 的系数变成了“x1 增加一个标准差"
            "，y 变化多少”。"
            f"这里 w1 = {w_scaled[0]:.1f} 看上去和规律里的 200 差不多，只是因为 x1 的标准差恰好约等"
            "于"
            "规律里的一个单位，换一份数据就不是这样了。"
            "所以在需要可解释性的场合，课程建议慎用归一化。但这个代价可以收回：归一化是仿"
            "射变换 x' = s x + o，"
            "系数按 w = w' s 换回，截距按 Σ w' o + c' 换回。gdlab.analysis.coefficients_to_raw "
            "做的正是这件事，"
            f"换回的系数和直接在原始数据上做最小二乘的结果相差只有 {diff:.0e}；再乘上记录"
            "单位 (0.1, 10)，就回到规律本身的单位。",
            "After scaling a row no longer has a plain meaning: x1's coefficient now says how much "
            "y changes per standard deviation of x1. Here w1 = "
            f"{w_scaled[0]:.1f} looks like the law's 200 only because x1's standard deviation "
            "happens to be about one of the law's units; other data would not be so kind. That "
            "is why the lesson advises care where a model must be explained. The cost can be paid "
            "back: scaling is the affine map "
            "x' = s x + o, so coefficients map back as w = w' s and the intercept as Σ w' o + c'. "
            "gdlab.analysis.coefficients_to_raw does exactly that; the result differs from least "
            f"squares on the raw data by {diff:.0e}, and multiplying by the recording units "
            "(0.1, 10) returns the law's own units.",
        ),
        numbers={
            **{f"w_scaled_{i}": float(v) for i, v in enumerate(w_scaled)},
            **{f"w_raw_{i}": float(v) for i, v in enumerate(w_back)},
            **{f"w_law_{i}": float(v) for i, v in enumerate(w_law)},
            "max_diff_direct": diff,
        },
        tables=(table,),
        charts=(chart,),
        headline=B(
            f"换回单位：{w_law[0]:.1f} / {w_law[1]:.2f} / {w_law[2]:.2f}",
            f"mapped back: {w_law[0]:.1f} / {w_law[1]:.2f} / {w_law[2]:.2f}",
        ),
    )
