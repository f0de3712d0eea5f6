"""Part 一, section 3 of the lesson: the contour experiment, raw, min-max and z-scored.

``X = [[1, 1], [3, 1]]`` (the second column is the intercept), ``y = [2, 4]``, a start drawn by
``np.random.seed(24); np.random.randn(2, 1)`` and full-batch steps on the mean squared error.
The first column is used raw, min-max scaled or z-scored by the lesson's functions. Z-scoring
makes ``X^T X`` a multiple of the identity, so the contours become circles and every step
points at the minimum. The page lets the reader pick the scaling and drag the learning rate
over a grid that runs past 2 / L; every path, loss curve and count it shows is precomputed
here by the engine.
"""

from __future__ import annotations

import numpy as np

from gdlab import lesson
from gdlab.analysis import conditioning, steps_to_tolerance
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.charts import Chart, Control, Interactive, Readout, Series, State, as_list
from gdlab.report.data import contour_problem
from gdlab.report.legacy_rng import lesson_seed
from gdlab.report.result import ExperimentResult, Table, count_text
from gdlab.report.scalers import PART
from gdlab.report.text import Bilingual as B

RTOL = 1e-3
NAMES = {
    "raw": B("原始数据", "raw"),
    "min-max": B("0-1 标准化", "min-max"),
    "z-score": B("Z-Score 标准化", "z-score"),
}
LRS = (
    0.02,
    0.03,
    0.05,
    0.07,
    0.1,
    0.12,
    0.15,
    0.17,
    0.18,
    0.2,
    0.25,
    0.3,
    0.4,
    0.5,
    0.6,
    0.7,
    0.76,
    0.8,
    0.9,
    0.95,
    1.0,
    1.05,
    1.1,
)


def _designs() -> dict[str, np.ndarray]:
    X, X_norm, _ = contour_problem()
    X_mm = X.copy()
    X_mm[:, :1] = lesson.maxmin_norm(X[:, :1])
    return {"raw": X, "min-max": X_mm, "z-score": X_norm}


def _contour_lines(
    model: LeastSquares,
    A: np.ndarray,
    y: np.ndarray,
    box: tuple[float, ...],
    f_star: float,
    top: float,
) -> dict[str, list[list[float | None]]]:
    import contourpy

    x0, x1, y0, y1 = box
    # Wider than the view: a wide screen shows more of w1 than the square view holds.
    w = x1 - x0
    gx, gy = np.meshgrid(
        np.linspace(x0 - 1.5 * w, x1 + 1.5 * w, 240), np.linspace(y0 - 0.1 * w, y1 + 0.1 * w, 120)
    )
    W = np.stack([gx.ravel(), gy.ravel()], axis=1)
    Z = (((W @ A.T) - y) ** 2).mean(axis=1).reshape(gx.shape)
    gen = contourpy.contour_generator(gx, gy, Z, line_type="Separate")
    xs: list[list[float | None]] = []
    ys: list[list[float | None]] = []
    for level in f_star + (top - f_star) * np.geomspace(1e-3, 1.0, 9):
        for line in gen.lines(level):
            points = np.asarray(line)
            xs.append(as_list(points[:, 0]))
            ys.append(as_list(points[:, 1]))
    return {"xs": xs, "ys": ys}


def lesson_contours(*, lr: float = 0.1, steps: int = 100, budget: int = 500) -> ExperimentResult:
    """一、3: descend on the raw, min-max and z-scored design; draw the contours with paths.

    Parameters
    ----------
    lr : float
        The learning rate the page opens at and the table reports (the lesson's 0.1); it is
        added to the slider's grid.
    steps : int
        Steps drawn (the lesson's 100).
    budget : int
        Steps allowed when counting the steps to the tolerance.

    Returns
    -------
    ExperimentResult
        ``numbers`` for ``s`` in ``raw``, ``minmax``, ``scaled`` (z-score): ``kappa_s``,
        ``limit_s`` (2 / L), ``steps_s`` (updates to ``||w - w*|| <= 1e-3 ||w0 - w*||`` within
        ``steps``, -1 if not reached), ``predicted_s`` (the theory's count at ``lr``),
        ``measured_s`` (the count within ``budget``); ``dist_raw``, ``dist_scaled`` (final
        distance to the optimum after ``steps``), ``max_diff_lesson`` (largest difference
        between the engine's path and the lesson's ``w_cal_rec``), ``diverged_above_limit``
        (1.0 when every grid rate above 2 / L diverged and none below did).

    Examples
    --------
    >>> r = lesson_contours()  # kappa_raw = (6 + sqrt(32)) / (6 - sqrt(32))
    >>> round(r.numbers["kappa_raw"], 2), r.numbers["steps_scaled"]
    (33.97, 31.0)
    """
    _, _, y = contour_problem()
    with lesson_seed(24):
        w0 = np.random.randn(2, 1)  # noqa: NPY002 (the lesson's start)
    lrs = tuple(sorted(set(LRS) | {lr}))
    model = LeastSquares()
    numbers: dict[str, float] = {"max_diff_lesson": 0.0}
    states: dict[str, State] = {}
    rows = []
    clean_edge = True
    for name, A in _designs().items():
        short = {"raw": "raw", "min-max": "minmax", "z-score": "scaled"}[name]
        cond = conditioning(A, intercept=False)
        w_star = model.optimum(A, y)
        f_star = model.loss(w_star, A, y)
        # A square view around the start and the minimum, so circles look round.
        centre = (w0.ravel() + w_star) / 2
        half = 0.8 * float(np.abs(w0.ravel() - w_star).max())
        box = (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)
        f0 = model.loss(w0.ravel(), A, y)
        lines = _contour_lines(model, A, y, box, f_star, 4 * f0)
        for rate in lrs:
            run = descend(model, A, y, lr=rate, epochs=budget, w0=w0.ravel(), record="step")
            hit = steps_to_tolerance(run, w_star, RTOL)
            diverged = run.status == "diverged" or not np.isfinite(run.loss[-1])
            clean_edge &= diverged == (rate > cond.lr_stable)
            path = np.asarray(run.params[: steps + 1])
            # A diverging path is cut once far outside the view; the view itself stays fixed.
            far = np.abs(path - w_star).max(axis=1) > 10 * (box[1] - box[0])
            if far.any():
                path = path[: int(np.argmax(far)) + 1]
            gap = np.asarray(run.loss[: steps + 1]) - f_star
            predicted = cond.predicted_iterations(RTOL, rate)
            measured: B | str = (
                B("发散", "diverges")
                if diverged
                else count_text(-1 if hit is None else hit, budget)
            )
            pred_text: B | str = (
                B("不收敛（lr ≥ 2/L）", "none (lr ≥ 2/L)")
                if not np.isfinite(predicted) or rate >= cond.lr_stable
                else f"{predicted:,.0f}"
            )
            states[f"scaling={name}|lr={rate:g}"] = State(
                data={
                    ("surface", "contours"): lines,
                    ("surface", "view"): {"x": [box[0], box[1]], "y": [box[2], box[3]]},
                    ("surface", "path"): {"x": path[:, 0], "y": path[:, 1]},
                    ("surface", "start"): {"x": [float(w0[0, 0])], "y": [float(w0[1, 0])]},
                    ("surface", "optimum"): {"x": [float(w_star[0])], "y": [float(w_star[1])]},
                    ("loss", "gap"): {"x": np.arange(len(gap)), "y": np.maximum(gap, 1e-16)},
                },
                readouts={
                    "kappa": f"{cond.kappa:.2f}",
                    "limit": f"{cond.lr_stable:.4g}",
                    "rate": f"{cond.rate(rate):.4f}",
                    "predicted": pred_text,
                    "measured": measured,
                },
            )
            if rate == lr:
                first = steps_to_tolerance(
                    descend(model, A, y, lr=lr, epochs=steps, w0=w0.ravel(), record="step"),
                    w_star,
                    RTOL,
                )
                numbers[f"kappa_{short}"] = cond.kappa
                numbers[f"limit_{short}"] = cond.lr_stable
                numbers[f"steps_{short}"] = float(first) if first is not None else -1.0
                numbers[f"predicted_{short}"] = predicted
                numbers[f"measured_{short}"] = float(hit) if hit is not None else -1.0
                numbers[f"dist_{short}"] = float(np.linalg.norm(run.params[steps] - w_star))
                rows.append(
                    (
                        NAMES[name],
                        cond.kappa,
                        cond.lr_stable,
                        cond.rate(lr),
                        predicted,
                        -1.0 if hit is None else float(hit),
                    )
                )
                if name != "min-max":
                    _, rec = lesson.w_cal_rec(
                        A, w0.copy(), y[:, None], gd_cal=lesson.lr_gd, lr=lr, itera_times=steps
                    )
                    numbers["max_diff_lesson"] = max(
                        numbers["max_diff_lesson"],
                        float(np.abs(np.asarray(rec)[:, :, 0] - run.params[: steps + 1]).max()),
                    )
    numbers["diverged_above_limit"] = float(clean_edge)
    default = states[f"scaling=raw|lr={lr:g}"].data
    surface = Chart(
        "surface",
        B("损失函数的等高线与梯度下降路径", "Loss contours and the gradient-descent path"),
        B("w1（第一列的系数）", "w1 (coefficient of column 1)"),
        B("w2（截距）", "w2 (intercept)"),
        (
            Series(
                "contours",
                "multi_line",
                default[("surface", "contours")],
                B("等高线", "contours"),
                "#9ecae1",
                width=1.2,
            ),
            Series(
                "path",
                "line",
                default[("surface", "path")],
                B(f"前 {steps} 步的路径", f"path, first {steps} steps"),
                "#ff7f0e",
                width=2.5,
            ),
            Series(
                "start",
                "scatter",
                default[("surface", "start")],
                B("起点（种子 24）", "start (seed 24)"),
                "#d62728",
                width=10,
            ),
            Series(
                "optimum",
                "scatter",
                default[("surface", "optimum")],
                B("最小值点 w*", "minimum w*"),
                "#2ca02c",
                width=12,
            ),
            # Two invisible corner points: the view follows the scaling, not a runaway path.
            Series(
                "view",
                "scatter",
                default[("surface", "view")],
                None,
                "#ffffff",
                width=0.1,
                alpha=0.0,
            ),
        ),
        caption=B(
            "路径一离开视野，就说明学习率超过了 2/L，迭代发散了。",
            "A path that leaves the view has a learning rate above 2/L: it diverges.",
        ),
        equal_aspect=True,
        fit_to="view",
        height=420,
    )
    loss = Chart(
        "loss",
        B("损失与最优值之差，逐步", "Loss above the optimum, step by step"),
        B("迭代步数", "step"),
        "loss − f*",
        (
            Series(
                "gap", "line", default[("loss", "gap")], B("当前设置", "current setting"), "#ff7f0e"
            ),
        ),
        y_log=True,
        y_range=(1e-12, 1e4),
        x_range=(0, steps),
        height=280,
    )
    interactive = Interactive(
        controls=(
            Control(
                "scaling", B("第一列的处理", "first column"), "select", tuple(NAMES.items()), "raw"
            ),
            Control(
                "lr",
                B("学习率", "learning rate"),
                "range",
                tuple((f"{r:g}", f"{r:g}") for r in lrs),
                f"{lr:g}",
            ),
        ),
        readouts=(
            Readout("kappa", B("条件数 κ", "condition number κ")),
            Readout("limit", B("稳定上限 2/L", "stability limit 2/L")),
            Readout("rate", B("每步收缩率", "contraction per step")),
            Readout("predicted", B(f"理论步数（到 {RTOL:g}）", f"predicted steps (to {RTOL:g})")),
            Readout(
                "measured", B(f"实测步数（{budget} 步内）", f"measured steps (within {budget})")
            ),
        ),
        states=states,
    )
    table = Table(
        B(
            f"学习率 {lr:g}，从课程种子 24 的起点出发；步数指 ‖w − w*‖ 降到初始的 {RTOL:g}",
            f"lr {lr:g} from the lesson's seed-24 start; steps until ‖w − w*‖ falls to {RTOL:g} "
            "of its start",
        ),
        (
            B("数据", "design"),
            "κ",
            "2/L",
            B("每步收缩率", "contraction per step"),
            B("理论步数", "predicted steps"),
            B("实测步数", "measured steps"),
        ),
        tuple(rows),
    )
    raw_steps = count_text(numbers["steps_raw"], steps)
    text = B(
        f"原始数据的海森矩阵 2XᵀX/m 条件数为 {numbers['kappa_raw']:.1f}，等高线是细长的椭圆"
        "，每一步都横穿山谷而不是顺着它走。"
        f"学习率 {lr:g} 时误差每步最多缩小到 {rows[0][3]:.4f} 倍，理论上要 "
        f"{numbers['predicted_raw']:.0f} 步才能到 {RTOL:g}，"
        f"前 {steps} 步还差得远（剩余距离 {numbers['dist_raw']:.2e}），实测 "
        f"{numbers['measured_raw']:.0f} 步。"
        f"0-1 标准化后 κ = {numbers['kappa_minmax']:.2f}，实测 {numbers['measured_minmax']:.0f} "
        "步；"
        f"Z-Score 标准化后 κ = {numbers['kappa_scaled']:.1f}，等高线是正圆，梯度处处指向最"
        f"低点，{numbers['steps_scaled']:.0f} 步就到"
        f"（理论 {numbers['predicted_scaled']:.0f} 步）。Z-Score 的效果好于 0-1 标准化，正"
        "如课程所说。"
        f"拖动学习率越过 2/L（原始数据是 {numbers['limit_raw']:.3f}，Z-Score 后是 "
        f"{numbers['limit_scaled']:.3g}），路径就会发散。"
        f"引擎的路径与课程的 w_cal_rec 一致到 {numbers['max_diff_lesson']:.0e}。",
        f"On the raw design the Hessian 2XᵀX/m has condition number {numbers['kappa_raw']:.1f}: "
        "the "
        "contours are long thin ellipses and each step crosses the valley instead of following "
        f"it. At lr {lr:g} the error shrinks by at most {rows[0][3]:.4f} per step, so theory needs "
        f"{numbers['predicted_raw']:.0f} steps to reach {RTOL:g}; the first {steps} are not enough "
        f"(distance left {numbers['dist_raw']:.2e}, steps needed {raw_steps}) and it gets there in "
        f"{numbers['measured_raw']:.0f}. Min-max gives κ = {numbers['kappa_minmax']:.2f} and "
        f"{numbers['measured_minmax']:.0f} steps; z-score gives κ = {numbers['kappa_scaled']:.1f}: "
        "the contours are circles, every gradient points at the minimum, and "
        f"{numbers['steps_scaled']:.0f} steps suffice (theory: {numbers['predicted_scaled']:.0f}). "
        "Z-score helps more than min-max, as the lesson says. Drag the rate past 2/L "
        f"({numbers['limit_raw']:.3f} raw, {numbers['limit_scaled']:.3g} z-scored) and the path "
        "diverges. The engine's path equals the lesson's w_cal_rec to "
        f"{numbers['max_diff_lesson']:.0e}.",
    )
    return ExperimentResult(
        key="contours",
        section="一、3",
        part=PART,
        title=B("数据归一化算法评价：等高线与收敛速度", "Contours and convergence speed"),
        claim=B(
            f"Z-Score 标准化把细长的椭圆等高线变成正圆（κ 从 {numbers['kappa_raw']:.0f} 降"
            f"到 {numbers['kappa_scaled']:.0f}），"
            f"学习率 {lr:g} 下到达 {RTOL:g} 的步数从 {numbers['measured_raw']:.0f} 降到 "
            f"{numbers['steps_scaled']:.0f}；"
            "学习率一旦超过 2/L，路径发散。",
            "Z-score turns the long elliptic contours into circles (κ from "
            f"{numbers['kappa_raw']:.0f} "
            f"to {numbers['kappa_scaled']:.0f}), and at lr {lr:g} the steps to {RTOL:g} drop from "
            f"{numbers['measured_raw']:.0f} to {numbers['steps_scaled']:.0f}; past 2/L the "
            "path diverges.",
        ),
        text=text,
        numbers=numbers,
        tables=(table,),
        charts=(surface, loss),
        interactive=interactive,
        headline=B(
            f"κ {numbers['kappa_raw']:.0f} → {numbers['kappa_scaled']:.0f}；步数 "
            f"{numbers['measured_raw']:.0f} → {numbers['steps_scaled']:.0f}",
            f"kappa {numbers['kappa_raw']:.0f} -> {numbers['kappa_scaled']:.0f}; steps to 1e-3: "
            f"{numbers['measured_raw']:.0f} -> {numbers['steps_scaled']:.0f}",
        ),
    )
