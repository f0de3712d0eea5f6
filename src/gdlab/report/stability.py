"""Analysis: the largest stable fixed learning rate, theory ``2 / L`` against real runs.

On a quadratic a fixed-rate step multiplies the error along an eigenvector of eigenvalue
``lambda`` by ``1 - lr lambda``, so the run converges exactly when ``lr < 2 / L``. Here the
boundary is found by bisecting the rate over real full-batch runs, and mapped over rate x
batch size.
"""

from __future__ import annotations

import numpy as np

from gdlab.analysis import conditioning, stability_map
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.charts import Chart, Series
from gdlab.report.conditioning import APPENDIX
from gdlab.report.data import (
    DESIGN_NAMES,
    Array,
    design,
    design_key,
    lesson_designs,
    regression_problem,
)
from gdlab.report.result import Cell, ExperimentResult, Table
from gdlab.report.text import Bilingual as B


def _rising(A: Array, y: Array, lr: float, epochs: int) -> bool:
    """True when a fixed-rate run's loss gap is still growing at the end: the rate is unstable.

    A converged run sits at the optimum up to round-off, so growth only counts above a floor
    of 1e-10 of the starting gap.
    """
    model = LeastSquares()
    run = descend(model, A, y, lr=lr, epochs=epochs)
    if run.status == "diverged" or not np.isfinite(run.loss[-1]):
        return True
    gap = np.asarray(run.loss) - model.loss(model.optimum(A, y), A, y)
    return bool(gap[-1] > max(gap[-10], 1e-10 * gap[0]))


def measured_limit(
    A: Array, y: Array, limit: float, *, epochs: int = 300, iterations: int = 14
) -> float:
    """Bisect the largest fixed rate whose full-batch loss gap is not growing after ``epochs``.

    Searches ``[limit / 2, 2 limit]`` (``limit`` the theory's ``2 / L``); returns the midpoint
    of the final bracket, so the resolution is ``1.5 limit / 2**iterations``.
    """
    lo, hi = 0.5 * limit, 2.0 * limit
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if _rising(A, y, mid, epochs):
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def stability_limit(
    *, epochs: int = 300, iterations: int = 14, n_samples: int = 1000
) -> ExperimentResult:
    """The largest stable fixed rate, theory ``2 / L`` against a bisection of real runs.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``limit_<problem>`` (``2 / L``), ``measured_<problem>`` and
        ``ratio_<problem>`` (measured over theory) for the problems of the table.

    Examples
    --------
    >>> r = stability_limit(epochs=60, iterations=6, n_samples=200)
    >>> abs(r.numbers["ratio_p1_3_raw"] - 1) < 1.5 / 2**6  # within the bisection's resolution
    True
    """
    rows: list[tuple[Cell, ...]] = []
    numbers: dict[str, float] = {}
    for name, (A, y) in lesson_designs().items():
        limit = conditioning(A, intercept=False).lr_stable
        found = measured_limit(A, y, limit, epochs=epochs, iterations=iterations)
        key = design_key(name)
        numbers.update(
            {f"limit_{key}": limit, f"measured_{key}": found, f"ratio_{key}": found / limit}
        )
        rows.append((DESIGN_NAMES[name], limit, found, found / limit))
    worst = max(abs(v - 1.0) for k, v in numbers.items() if k.startswith("ratio_"))
    # The map: fixed rates around 2 / L of the z-scored regression set, by batch size.
    X, y = regression_problem(n_samples)
    limit = conditioning(design(X, "z-score"), intercept=False).lr_stable
    grid = stability_map(
        LeastSquares(),
        X,
        y,
        lrs=limit * np.geomspace(0.05, 4.0, 13),
        batch_sizes=(None, 50, 1),
        epochs=20,
        scaler="zscore",
        seed=24,
    )
    colors = {None: "#d62728", 50: "#1f77b4", 1: "#2ca02c"}
    series: list[Series] = []
    for batch, color in colors.items():
        part = (
            grid[grid["batch_size"].isna()] if batch is None else grid[grid["batch_size"] == batch]
        )
        ratio = np.asarray(part["lr"], dtype=float) / limit
        final = np.asarray(part["final_loss"], dtype=float)
        # A diverged run is drawn at the top of the view: its final loss is off any scale.
        shown = np.where(np.asarray(part["diverged"], dtype=bool) | ~np.isfinite(final), 1e8, final)
        label = B("全批量", "full batch") if batch is None else B(f"批量 {batch}", f"batch {batch}")

        series.append(
            Series(
                f"b{batch or 'full'}",
                "line",
                {"x": ratio, "y": shown},
                label + B("（发散画在顶端）", " (diverged: drawn at the top)"),
                color,
            )
        )
    charts = (
        Chart(
            "map",
            B(
                "20 轮后的损失，按固定学习率和批量大小",
                "Loss after 20 epochs by fixed learning rate and batch size",
            ),
            B("学习率 / (2/L)", "learning rate / (2/L)"),
            B("最终损失", "final loss"),
            tuple(series),
            x_log=True,
            y_log=True,
            y_range=(0.5, 3e8),
            vlines=((1.0, B("全批量稳定上限 2/L", "full-batch limit 2/L")),),
        ),
    )
    full = grid[grid["batch_size"].isna()]
    numbers["map_full_diverged_below"] = float((full["diverged"] & (full["lr"] < limit)).sum())
    numbers["map_full_stable_above"] = float((~full["diverged"] & (full["lr"] > limit)).sum())
    for batch in (50, 1):
        kept = grid[(grid["batch_size"] == batch) & ~grid["diverged"]]["lr"]
        numbers[f"map_edge_batch_{batch}"] = float(kept.max() / limit) if len(kept) else 0.0
    resolution = 1.5 / 2**iterations
    numbers["worst_ratio_error"] = worst
    clean_edge = numbers["map_full_diverged_below"] == 0 and numbers["map_full_stable_above"] == 0
    edge_text = (
        B(
            "高于 2/L 的每个学习率都发散，低于它的都不发散",
            "at every rate above 2/L and at none below",
        )
        if clean_edge
        else B(
            f"低于 2/L 时有 {numbers['map_full_diverged_below']:.0f} 个发散，高于它时有 "
            f"{numbers['map_full_stable_above']:.0f} 个没发散",
            f"at {numbers['map_full_diverged_below']:.0f} rates below 2/L and misses "
            f"{numbers['map_full_stable_above']:.0f} above it",
        )
    )
    text = B(
        "理论上，固定学习率在二次损失上收敛，当且仅当它小于 2/L。对每个问题二分查找全批量"
        "损失差不再缩小的学习率"
        f"（每次 {epochs} 轮，二分 {iterations} 次，分辨率 {resolution:.2%}），与 2/L 最大"
        f"相差 {worst:.3%}。"
        f"缩放会移动这个边界：课程的两行问题原始时是 {rows[0][1]:.4g}，Z-Score 后是 "
        f"{rows[1][1]:.4g}，"
        "它是数据曲率的性质。"
        f"在学习率 × 批量大小的地图上（20 轮），全批量{edge_text.zh}；批量 50 最大不发散的学习率是 "
        f"{numbers['map_edge_batch_50']:.2f} × 2/L，随机梯度下降是 "
        f"{numbers['map_edge_batch_1']:.2f} "
        "× 2/L——单条样本看到的曲率比平均曲率大。",
        "Theory says a fixed learning rate converges on a quadratic exactly when it is below "
        "2/L. Bisecting the rate at which a full-batch run's loss gap stops shrinking "
        f"({epochs} epochs per run, {iterations} halvings, resolution {resolution:.2%} of 2/L) "
        f"finds it within {worst:.3%} of 2/L on every problem. Scaling moves the boundary, from "
        f"{rows[0][1]:.4g} on the raw two-row problem to {rows[1][1]:.4g} once z-scored: it is a "
        "property of the data's curvature. In the map over rate and batch size (20 epochs), full "
        f"batch diverges {edge_text.en}; the largest rate that did not diverge is "
        f"{numbers['map_edge_batch_50']:.2f} x 2/L with batch 50 and "
        f"{numbers['map_edge_batch_1']:.2f} "
        "x 2/L with SGD, whose single-row steps see curvatures above the average one.",
    )
    return ExperimentResult(
        key="stability",
        section="附录 2",
        part=APPENDIX,
        title=B("稳定上限 2/L：理论与实测", "The stability limit 2/L, predicted and measured"),
        claim=B(
            f"二分真实迭代找到的最大稳定学习率与理论的 2/L 相差不到 {worst:.3%}；小批量越"
            "小，边界越低。",
            f"The largest stable rate found by bisecting real runs is within {worst:.3%} of the "
            "theory's 2/L; the smaller the batch, the lower the edge.",
        ),
        text=text,
        numbers=numbers,
        tables=(
            Table(
                B("全批量的最大稳定固定学习率", "largest stable fixed learning rate, full batch"),
                (
                    B("问题", "problem"),
                    B("2/L（理论）", "2/L (theory)"),
                    B("实测", "measured"),
                    B("实测 / 理论", "measured / theory"),
                ),
                tuple(rows),
            ),
        ),
        charts=charts,
        headline=B(
            f"实测上限 = 2/L，误差 {worst:.3%} 以内", f"measured limit = 2/L within {worst:.3%}"
        ),
    )
