"""Analysis: iterations to a tolerance, the theory's count against the measured one.

At ``lr = 2 / (L + mu)`` fixed-step gradient descent on a quadratic contracts the distance to
the optimum by at most ``(kappa - 1) / (kappa + 1)`` per step, which predicts the steps to a
relative tolerance (``gdlab.analysis.theory_vs_measured``).
"""

from __future__ import annotations

import numpy as np

from gdlab.analysis import conditioning, theory_vs_measured
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.charts import Chart, Series
from gdlab.report.conditioning import APPENDIX
from gdlab.report.data import DESIGN_NAMES, design_key, lesson_designs
from gdlab.report.result import Cell, ExperimentResult, Table
from gdlab.report.text import Bilingual as B
from gdlab.report.text import as_bilingual

RTOL = 1e-6


def iteration_counts() -> ExperimentResult:
    """Predicted against measured iterations to ``||w - w*|| <= 1e-6 ||w0 - w*||``.

    Every run is full batch at ``lr = 2 / (L + mu)``, recorded each step.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``predicted_<problem>``, ``measured_<problem>`` (-1 if not reached).

    Examples
    --------
    >>> r = iteration_counts()  # kappa = 1 after z-scoring: a single step
    >>> r.numbers["predicted_p1_3_z-scored"], r.numbers["measured_p1_3_z-scored"]
    (1.0, 1.0)
    """
    rows: list[tuple[Cell, ...]] = []
    numbers: dict[str, float] = {}
    curves = {}
    for name, (A, y) in lesson_designs().items():
        model = LeastSquares()
        cond = conditioning(A, intercept=False)
        w_star = model.optimum(A, y)
        budget = int(min(cond.predicted_iterations(RTOL), 1e5)) + 10
        run = descend(model, A, y, lr=cond.lr_best, epochs=budget, record="step")
        check = theory_vs_measured(run, cond, w_star, RTOL)
        key = design_key(name)
        measured = -1.0 if check.measured is None else float(check.measured)
        numbers.update({f"predicted_{key}": check.predicted, f"measured_{key}": measured})
        rows.append(
            (DESIGN_NAMES[name], cond.kappa, check.lr, check.rate, check.predicted, check.measured)
        )
        dist = np.linalg.norm((np.asarray(run.params) - w_star).reshape(len(run), -1), axis=1)
        curves[name] = (dist / dist[0], check.rate)
    palette = ("#d62728", "#1f77b4", "#ff7f0e", "#2ca02c")
    series: list[Series] = []
    for (name, (dist, rate)), color in zip(curves.items(), palette, strict=True):
        k = np.arange(len(dist))
        series.append(
            Series(
                f"m{len(series)}",
                "line",
                {"x": k, "y": np.maximum(dist, 1e-16)},
                B(f"{DESIGN_NAMES[name].zh}：实测", f"{DESIGN_NAMES[name].en}: measured"),
                color,
            )
        )
        series.append(
            Series(
                f"b{len(series)}",
                "line",
                {"x": k, "y": np.maximum(rate**k, 1e-16)},
                B(
                    f"{DESIGN_NAMES[name].zh}：理论界 rate^k",
                    f"{DESIGN_NAMES[name].en}: bound rate^k",
                ),
                color,
                dash="dotted",
            )
        )
    chart = Chart(
        "distance",
        B(
            "lr = 2/(L+μ) 时到最优点的相对距离：实测与理论界",
            "Relative distance to the optimum at lr = 2/(L+μ): measured and the bound",
        ),
        B("迭代步数", "step"),
        "‖w − w*‖ / ‖w₀ − w*‖",
        tuple(series),
        y_log=True,
        y_range=(1e-12, 2),
        x_log=False,
        hlines=((RTOL, B(f"容差 {RTOL:g}", f"tolerance {RTOL:g}")),),
    )
    names = [as_bilingual(r[0]) for r in rows]  # type: ignore[arg-type]
    pairs_zh = "；".join(
        f"{n.zh}：理论 {r[4]:,.0f}，实测 {'未达到' if r[5] is None else format(r[5], ',')}"
        for n, r in zip(names, rows, strict=True)
    )
    pairs = "; ".join(
        f"{n.en} {r[4]:,.0f} predicted, "
        f"{'not reached' if r[5] is None else format(r[5], ',')} measured"
        for n, r in zip(names, rows, strict=True)
    )
    within = all(r[5] is not None and r[5] <= r[4] for r in rows)  # type: ignore[operator]
    numbers["all_within_bound"] = float(within)
    text = B(
        "学习率取 2/(L+μ) 时，理论给出到最优点距离的上界 ((κ − 1)/(κ + 1))^k 乘以初始距离"
        "，由此预测达到相对容差 "
        f"{RTOL:g} 所需的步数：{pairs_zh}。"
        + (
            "每个实测值都在理论界之内；起点在两个极端特征向量上都有分量时恰好等于它，误差"
            "主要落在收缩更快的方向时则更少。"
            if within
            else "至少有一次实测超过了理论界，见表。"
        ),
        "At lr = 2/(L+μ) theory bounds the distance to the optimum by ((κ − 1)/(κ + 1))^k times "
        "the starting distance, so it predicts the steps needed for a relative tolerance "
        f"of {RTOL:g}: "
        f"{pairs}. "
        + (
            "Every measured count is within the bound; it is met exactly when the start has weight "
            "on both extreme eigenvectors, and beaten when most of the error lies along directions "
            "that contract faster than the worst case."
            if within
            else "At least one run needed more steps than the bound: see the table."
        ),
    )
    return ExperimentResult(
        key="iterations",
        section="附录 3",
        part=APPENDIX,
        title=B(
            "达到容差的迭代次数：理论与实测", "Iterations to a tolerance, predicted and measured"
        ),
        claim=B(
            "κ 给出的迭代次数是一个紧的上界：每个问题的实测步数都不超过它。",
            "The iteration count κ predicts is a tight upper bound: no problem needs more steps.",
        ),
        text=text,
        numbers=numbers,
        tables=(
            Table(
                B(
                    f"全批量梯度下降，lr = 2/(L+μ)，‖w − w*‖ 的容差 {RTOL:g}",
                    f"full-batch GD at lr = 2/(L+μ), tolerance {RTOL:g} on ||w - w*||",
                ),
                (
                    B("问题", "problem"),
                    "κ",
                    "lr",
                    B("每步收缩率", "rate per step"),
                    B("理论", "predicted"),
                    B("实测", "measured"),
                ),
                tuple(rows),
            ),
        ),
        charts=(chart,),
        headline=B(
            "每个问题实测 ≤ 理论" if within else "超过理论界：见表",
            "measured <= predicted on every problem" if within else "bound exceeded: see table",
        ),
    )
