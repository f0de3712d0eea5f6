"""Part 一, section 1 of the lesson: the formulas, and where the small constant ε enters.

Each formula is run twice, once with the course's helper (``gdlab.lesson``) and once with the
library scaler (``gdlab.scaling``); the report shows the table the lesson prints and the
largest difference between the two implementations.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab import lesson
from gdlab.report.charts import Chart, Series
from gdlab.report.result import Cell, ExperimentResult, Table
from gdlab.report.text import Bilingual as B
from gdlab.scaling import MinMaxScaler, SigmoidScaler, StandardScaler

PART = B("一、数据归一化方法", "Part 1 · Feature scaling")
EPS = 1e-8


def rows_of(*columns: NDArray[Any]) -> tuple[tuple[Cell, ...], ...]:
    """Columns side by side as table rows of floats."""
    stacked = np.column_stack(columns)
    return tuple(tuple(float(v) for v in row) for row in stacked)


def scaler_formulas(*, eps: float = EPS) -> ExperimentResult:
    """一、1: the three formulas on ``a = np.arange(12).reshape(6, 2)``, lesson vs library.

    Parameters
    ----------
    eps : float
        The small constant added to the standard deviation, ``z = (x - mean) / (std + eps)``.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``max_diff_minmax``, ``max_diff_zscore``, ``max_diff_sigmoid`` (largest
        absolute difference between ``gdlab.lesson`` and ``gdlab.scaling``), ``zscore_mean``,
        ``zscore_std`` (of the z-scored columns), ``eps_shift`` (largest change ε makes on
        ``a``), ``constant_without_eps`` (1.0 when the lesson's formula gives NaN on a
        constant column) and ``constant_with_eps`` (the z-score of that column with ε).

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
    with_eps = StandardScaler(eps=eps).fit_transform(a)
    shift = float(np.max(np.abs(with_eps - z)))
    constant = np.full((4, 1), 5.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        bare = lesson.z_score(constant)  # 0 / 0: the case the lesson's ε is for
    guarded = (constant - constant.mean(0)) / (constant.std(0) + eps)
    table = Table(
        B(
            "a = np.arange(12).reshape(6, 2) 两列的标准化结果",
            "a = np.arange(12).reshape(6, 2), both columns scaled",
        ),
        (
            "a0",
            "a1",
            B("0-1 标准化 0", "min-max 0"),
            B("0-1 标准化 1", "min-max 1"),
            "Z-Score 0",
            "Z-Score 1",
            "Sigmoid 0",
            "Sigmoid 1",
        ),
        rows_of(a, ours["minmax"][1], z, ours["sigmoid"][1]),
    )
    eps_table = Table(
        B(
            f"ε 加在标准差上：z = (x − μ) / (σ + ε)，ε = {eps:g}",
            f"Where ε enters: z = (x − μ) / (σ + ε), ε = {eps:g}",
        ),
        (B("列", "column"), "σ", B("不加 ε", "without ε"), B("加 ε", "with ε")),
        (
            (
                B("a 的第 0 列，第一个值", "a, column 0, first value"),
                float(a[:, 0].std()),
                float(z[0, 0]),
                float(with_eps[0, 0]),
            ),
            (
                B("常数列 [5, 5, 5, 5]", "constant column [5, 5, 5, 5]"),
                0.0,
                B("0 / 0，无定义 (NaN)", "0 / 0, undefined (NaN)"),
                float(guarded[0, 0]),
            ),
        ),
    )
    x = a[:, 0]
    chart = Chart(
        "maps",
        B("同一列数据的三种标准化", "One column, three scalings"),
        B("原始值 a0", "raw value a0"),
        B("标准化后的值", "scaled value"),
        (
            Series(
                "minmax",
                "line",
                {"x": x, "y": ours["minmax"][1][:, 0]},
                B("0-1 标准化：线性，落在 [0, 1]", "min-max: linear, onto [0, 1]"),
                "#ff7f0e",
            ),
            Series(
                "zscore",
                "line",
                {"x": x, "y": z[:, 0]},
                B("Z-Score 标准化：线性，以 0 为中心", "z-score: linear, centred on 0"),
                "#1f77b4",
            ),
            Series(
                "sigmoid",
                "line",
                {"x": x, "y": ours["sigmoid"][1][:, 0]},
                B("Sigmoid 标准化：非线性，很快饱和", "sigmoid: non-linear, saturates"),
                "#2ca02c",
            ),
            Series(
                "points",
                "scatter",
                {
                    "x": np.tile(x, 3),
                    "y": np.concatenate(
                        [ours["minmax"][1][:, 0], z[:, 0], ours["sigmoid"][1][:, 0]]
                    ),
                },
                None,
                "#333333",
                width=6,
            ),
        ),
        caption=B(
            "两条直线说明 0-1 和 Z-Score 都是仿射变换；Sigmoid 在 a0 ≥ 4 时已经几乎等于 "
            "1，大小差异被抹平。",
            "The two straight lines are the affine maps; sigmoid is already close to 1 from "
            "a0 = 4 on, where it flattens the differences.",
        ),
    )
    sat = float(ours["sigmoid"][1][2, 0])
    text = B(
        "0-1 标准化逐列减去最小值、再除以极差，结果落在 [0, 1]；Z-Score 标准化逐列减去均值"
        "、再除以标准差，"
        f"结果均值为 {float(np.abs(z.mean(0)).max()):.2g}、标准差为 {float(z.std(0)[0]):.4f}，"
        "均匀分布在 0 的两侧；"
        f"Sigmoid 标准化是非线性的，a0 = 4 时已经是 {sat:.4f}，之后的差别几乎看不出来，所以"
        "课程更推荐前两种。"
        f"gdlab.scaling 与课程里的函数结果一致，最大差别只有 {max(diffs.values()):.0e}。"
        f"课程提到更严谨的写法要在分母的标准差上加一个很小的常数 ε：对正常的列，ε = {eps:g} "
        "只让结果变化 "
        f"{shift:.0e}；对取值全部相同的常数列，标准差为 0，不加 ε 就是 0 / 0，得到 NaN，加"
        "了 ε 则得到 "
        f"{float(guarded[0, 0]):g}。",
        "Min-max subtracts each column's minimum and divides by its range, landing on [0, 1]; "
        "z-score subtracts the mean and divides by the standard deviation, giving mean "
        f"{float(np.abs(z.mean(0)).max()):.2g} and standard deviation {float(z.std(0)[0]):.4f}, "
        f"spread on both sides of 0; sigmoid is non-linear and is already {sat:.4f} at a0 = 4, "
        "after which differences all but vanish, which is why the lesson prefers the linear two. "
        f"gdlab.scaling reproduces the lesson's helpers to {max(diffs.values()):.0e}. The lesson's "
        "more careful form adds a small constant ε to the standard deviation in the "
        f"denominator: on an ordinary column ε = {eps:g} changes the result by {shift:.0e}; on a "
        "constant column the standard deviation is 0 and the bare formula computes 0 / 0 = NaN, "
        f"while with ε the column becomes {float(guarded[0, 0]):g}.",
    )
    return ExperimentResult(
        key="formulas",
        section="一、1",
        part=PART,
        title=B(
            "数据归一化计算公式：0-1 标准化、Z-Score 标准化、非线性标准化",
            "The formulas: min-max, z-score and sigmoid scaling",
        ),
        claim=B(
            "0-1 标准化把每列线性地缩放到 [0, 1]，Z-Score 标准化把每列变成均值 0、标准差 1，"
            "分母上的 ε 保证常数列也不会除以 0。",
            "Min-max maps each column linearly onto [0, 1], z-score gives it mean 0 and standard "
            "deviation 1, and the ε in the denominator keeps a constant column from dividing by 0.",
        ),
        text=text,
        numbers={
            **{f"max_diff_{k}": v for k, v in diffs.items()},
            "zscore_mean": float(np.abs(z.mean(0)).max()),
            "zscore_std": float(z.std(0)[0]),
            "eps": eps,
            "eps_shift": shift,
            "constant_without_eps": float(np.isnan(bare).all()),
            "constant_with_eps": float(guarded[0, 0]),
        },
        tables=(table, eps_table),
        charts=(chart,),
        headline=B(
            f"库与课程函数一致到 {max(diffs.values()):.0e}；常数列加 ε 后为 0",
            f"library = lesson to {max(diffs.values()):.0e}; constant column 0 with ε",
        ),
    )
