"""Part 一, section 4 of the lesson: one extreme value, min-max against z-score.

Both maps are affine, so both squeeze the ordinary values together; what differs is the
reading. After min-max the outlier is just the maximum, 1; z-score reads in standard
deviations, where a rule such as ``|z| > 3`` finds it, and capping (盖帽) it restores the
ordinary values' spread.
"""

from __future__ import annotations

import numpy as np

from gdlab.report.charts import Chart, Series
from gdlab.report.data import SEED
from gdlab.report.result import ExperimentResult, Table
from gdlab.report.scalers import PART, rows_of
from gdlab.report.text import Bilingual as B
from gdlab.scaling import MinMaxScaler, StandardScaler


def outliers(
    *, n_ordinary: int = 50, outlier: float = 100.0, threshold: float = 3.0
) -> ExperimentResult:
    """一、4: one extreme value, min-max against z-score.

    The lesson's table (``a[1, 1] = 100`` in ``np.arange(8).reshape(4, 2)``) and, for the
    figure, a column of ``n_ordinary`` values around 5 with one value ``outlier``.

    Parameters
    ----------
    n_ordinary : int
        Ordinary values in the figure's column (standard normal around 5, seed 24).
    outlier : float
        The extreme value added to it.
    threshold : float
        The rule that flags a value: ``|z| > threshold``.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``minmax_others_span`` and ``zscore_outlier`` (the lesson's 4-row
        table), ``column_minmax_span`` (span of the ordinary values after min-max),
        ``column_zscore_outlier`` (the outlier's z-score), ``column_flagged`` (values with
        ``|z| > threshold``), ``capped_zscore_span`` (span of the ordinary values' z-scores
        after the flagged value is capped).

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
    z_out = float(zs[1, 1])
    table = Table(
        B(
            "a = np.arange(8).reshape(4, 2)，且 a[1, 1] = 100",
            "a = np.arange(8).reshape(4, 2) with a[1, 1] = 100",
        ),
        (
            "a0",
            "a1",
            B("0-1 标准化 0", "min-max 0"),
            B("0-1 标准化 1", "min-max 1"),
            "Z-Score 0",
            "Z-Score 1",
        ),
        rows_of(a, mm, zs),
    )
    rng = np.random.default_rng(SEED)
    column = np.append(5.0 + rng.standard_normal(n_ordinary), outlier)[:, None]
    col_mm = MinMaxScaler().fit_transform(column)[:, 0]
    col_z = StandardScaler().fit_transform(column)[:, 0]
    flagged = np.abs(col_z) > threshold
    capped = column[:, 0].copy()
    capped[flagged] = capped[
        ~flagged
    ].max()  # 盖帽: the flagged value takes the largest ordinary one
    col_capped = StandardScaler().fit_transform(capped[:, None])[:, 0]
    ordinary = ~flagged
    numbers = {
        "minmax_others_span": span,
        "zscore_outlier": z_out,
        "zscore_others_max": float(np.abs(zs[others, 1]).max()),
        "column_minmax_span": float(np.ptp(col_mm[:n_ordinary])),
        "column_zscore_outlier": float(col_z[-1]),
        "column_flagged": float(flagged.sum()),
        "capped_zscore_span": float(np.ptp(col_capped[ordinary])),
        "threshold": threshold,
    }
    n = len(column)
    chart = Chart(
        "strips",
        B(
            "同一列数据：0-1 标准化、Z-Score 标准化、盖帽后再标准化",
            "One column: min-max, z-score, and z-score after capping",
        ),
        B("标准化后的值", "scaled value"),
        B("三种处理（自上而下）", "three treatments (top to bottom)"),
        (
            Series(
                "minmax",
                "scatter",
                {"x": col_mm, "y": np.full(n, 3.0)},
                B(
                    "0-1 标准化：极端值成了 1，其余挤在 0 附近",
                    "min-max: the outlier becomes 1, the rest crowd near 0",
                ),
                "#ff7f0e",
                width=9,
                alpha=0.6,
            ),
            Series(
                "zscore",
                "scatter",
                {"x": col_z, "y": np.full(n, 2.0)},
                B(
                    f"Z-Score 标准化：极端值在 {col_z[-1]:.1f} 个标准差处",
                    f"z-score: the outlier sits {col_z[-1]:.1f} sd out",
                ),
                "#1f77b4",
                width=9,
                alpha=0.6,
            ),
            Series(
                "capped",
                "scatter",
                {"x": col_capped, "y": np.full(n, 1.0)},
                B(
                    "盖帽后再做 Z-Score：普通值重新展开",
                    "z-score after capping: the ordinary values spread again",
                ),
                "#2ca02c",
                width=9,
                alpha=0.6,
            ),
        ),
        caption=B(
            f"虚线是 {threshold:g} 个标准差：只有 Z-Score 的读数能用这条规则找出极端值。",
            f"Dashed: {threshold:g} standard deviations; only the z-score reading lets this "
            "rule find the outlier.",
        ),
        y_range=(0.4, 3.6),
        vlines=((threshold, B(f"{threshold:g} 个标准差的界限", f"the {threshold:g}-sd rule")),),
        y_ticks=(),
        height=280,
    )
    text = B(
        "课程的例子里，a 的第二列有一个极端值 100。0-1 标准化除以由它决定的极差，其余三个"
        "值被压进宽度只有 "
        f"{span:.4f} 的区间；Z-Score 标准化后极端值是 {z_out:.3f}，其余值都在 "
        f"{numbers['zscore_others_max']:.3f} 以内，"
        f"它仍然是极端值。图里用 {n_ordinary} 个普通值加一个 {outlier:g} 看得更清楚：两种方"
        "法都是仿射变换，"
        f"都会把普通值挤在一起（0-1 标准化后只占 {numbers['column_minmax_span']:.3f} 的宽度），"
        f"区别在于读数的含义——0-1 标准化后极端值只是“最大值 = 1”，看不出它有多极端；"
        f"Z-Score 的单位是标准差，它在 {col_z[-1]:.1f} 个标准差之外，超过常用的 {threshold:g} "
        "倍标准差界限，"
        "一眼就能找出来。把它盖帽之后再标准化，普通值重新展开到 "
        f"{numbers['capped_zscore_span']:.2f} "
        "个标准差的宽度。"
        "代价是 Z-Score 要计算均值和方差，计算量比 0-1 标准化大一些。",
        f"In the lesson's example column 1 of a holds one extreme value, 100. Min-max divides by "
        f"the range it sets, squeezing the other three values into a span of {span:.4f}; after "
        f"z-score the outlier is {z_out:.3f} while the others stay within "
        f"{numbers['zscore_others_max']:.3f}: it is still an outlier. The figure makes it "
        f"clearer with {n_ordinary} ordinary values and one {outlier:g}. Both maps are affine, "
        "so both squeeze the ordinary values together (min-max leaves them a span of "
        f"{numbers['column_minmax_span']:.3f}); what differs is the reading. After min-max the "
        "outlier is just 'the maximum, 1', nothing says how extreme it is; z-score reads in "
        f"standard deviations, and at {col_z[-1]:.1f} sd it lies beyond the usual {threshold:g}-sd "
        "rule, so it is found at a glance. Capped and re-scaled, the ordinary values spread "
        f"again over {numbers['capped_zscore_span']:.2f} sd. The price: z-score needs a mean and "
        "a variance, a little more computation than min-max.",
    )
    return ExperimentResult(
        key="outliers",
        section="一、4",
        part=PART,
        title=B(
            "Z-Score 标准化算法评价及横向对比：保留极端值",
            "Z-score against min-max: the outlier stays visible",
        ),
        claim=B(
            f"0-1 标准化把极端值变成 1、把其余值压在一起；Z-Score 标准化以标准差为单位，极端值落在 "
            f"{col_z[-1]:.1f} 个标准差之外，可以被找出来并盖帽。",
            "Min-max turns the outlier into 1 and crushes the rest together; z-score reads in "
            f"standard deviations, so the outlier stands {col_z[-1]:.1f} sd out, where it can be "
            "found and capped.",
        ),
        text=text,
        numbers=numbers,
        tables=(table,),
        charts=(chart,),
        headline=B(
            f"0-1 标准化其余值宽度 {span:.3f}；Z-Score 极端值 {z_out:.2f}",
            f"min-max span of the rest {span:.3f}; z-score outlier {z_out:.2f} sd",
        ),
    )
