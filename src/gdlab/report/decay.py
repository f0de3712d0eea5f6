"""Part 二, section 2 of the lesson: exponential decay ``lr_i = lr_init * gamma**i``, per epoch.

Full-batch descent on part 二's z-scored data, over a grid of starting rates (multiples of the
stability limit ``2 / L``) and decay factors (``gamma = 1`` is a fixed rate). Two rows of the
grid carry the lesson's point: a start above ``2 / L`` diverges with a fixed rate and
converges once decay has brought the rate under the limit; a start far below it converges
steadily fixed, while decay stalls it, because the rates then sum to only
``lr_init / (1 - gamma)``.
"""

from __future__ import annotations

import numpy as np

from gdlab import schedules
from gdlab.analysis import conditioning, first_within_tolerance
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.charts import Chart, Control, Interactive, Readout, Series, State
from gdlab.report.data import design, regression_problem
from gdlab.report.result import Cell, ExperimentResult, Table
from gdlab.report.speed import DATA, PART
from gdlab.report.text import Bilingual as B

RTOL = 1e-3
FACTORS = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
GAMMAS = (0.8, 0.85, 0.9, 0.95, 0.99, 1.0)
STATUS = {"diverged": B("发散", "diverged"), "max_epochs": B("未发散", "did not diverge")}


def _gap(run_loss: np.ndarray, f_star: float, loss0: float) -> float:
    last = float(run_loss[-1])
    # Clipped at 0: round-off can put a converged loss a hair below the closed-form optimum's.
    return max((last - f_star) / (loss0 - f_star), 0.0) if np.isfinite(last) else float("inf")


def learning_rate_decay(
    *,
    n_samples: int = 1000,
    epochs: int = 150,
    gamma: float = 0.95,
    too_large: float = 1.25,
    small: float = 0.25,
) -> ExperimentResult:
    """二、2: fixed against exponentially decayed learning rates, over a grid of both.

    Parameters
    ----------
    n_samples : int
        Rows of part 二's data set.
    epochs : int
        Full-batch epochs per run.
    gamma : float
        The decay factor of the claim's runs and the page's opening state (added to the grid).
    too_large, small : float
        Starting learning rates of the claim's runs, as multiples of ``2 / L`` (added to the
        grid); ``too_large`` is also where the page opens.

    Returns
    -------
    ExperimentResult
        ``numbers`` per run ``r`` in ``large_fixed``, ``large_decay``, ``small_fixed``,
        ``small_decay``: ``gap_r`` (final suboptimality relative to the start, inf when the
        run diverged), ``epochs_r`` (epochs to a relative suboptimality of 1e-3, -1 if never),
        ``diverged_r`` (1.0 or 0.0); and ``peak_large_decay`` (largest loss of the rescued run
        over its starting loss), ``limit`` (``2 / L``), ``gamma``.

    Examples
    --------
    >>> r = learning_rate_decay(n_samples=200, epochs=60)
    >>> r.numbers["diverged_large_fixed"], r.numbers["diverged_large_decay"]
    (1.0, 0.0)
    """
    if not 0 < gamma <= 1:
        raise ValueError(f"gamma must be in (0, 1], got {gamma}")
    X, y = regression_problem(n_samples)
    A = design(X, "z-score")
    model = LeastSquares()
    cond = conditioning(A, intercept=False)
    f_star = model.loss(model.optimum(A, y), A, y)
    factors = tuple(sorted(set(FACTORS) | {too_large, small}))
    gammas = tuple(sorted(set(GAMMAS) | {gamma}))
    states: dict[str, State] = {}
    results: dict[tuple[float, float], dict[str, float]] = {}
    w0 = np.zeros(A.shape[1])
    for factor in factors:
        lr0 = factor * cond.lr_stable
        for g in gammas:
            rate = schedules.constant(lr0) if g == 1 else schedules.exponential(lr=lr0, gamma=g)
            run = descend(model, A, y, lr=rate, epochs=epochs, w0=w0)
            loss = np.asarray(run.loss)
            hit = first_within_tolerance(run, f_star, RTOL)
            reached = int(run.epoch[hit]) if hit is not None else -1
            gap = _gap(loss, f_star, float(loss[0]))
            diverged = run.status == "diverged"
            results[(factor, g)] = {
                "gap": gap,
                "epochs": float(reached),
                "diverged": float(diverged),
                "peak": float(np.nanmax(loss) / loss[0]),
            }
            lrs = np.asarray(rate(np.arange(epochs)), dtype=np.float64) * np.ones(epochs)
            states[f"lr={factor:g}|gamma={g:g}"] = State(
                data={
                    ("loss", "gap"): {
                        "x": np.asarray(run.epoch),
                        "y": np.maximum((loss - f_star) / (loss[0] - f_star), 1e-16),
                    },
                    ("rate", "lr"): {"x": np.arange(epochs), "y": lrs},
                },
                readouts={
                    "lr0": f"{lr0:.4g}",
                    "status": STATUS.get(run.status, run.status),
                    "epochs": "—" if reached < 0 else f"{reached}",
                    "gap": "∞" if not np.isfinite(gap) else f"{gap:.1e}",
                    "sum": "∞" if g == 1 else f"{lr0 / (1 - g):.3g}",
                },
            )
    numbers: dict[str, float] = {"limit": cond.lr_stable, "gamma": gamma}
    for name, key in (
        ("large_fixed", (too_large, 1.0)),
        ("large_decay", (too_large, gamma)),
        ("small_fixed", (small, 1.0)),
        ("small_decay", (small, gamma)),
    ):
        for field in ("gap", "epochs", "diverged"):
            numbers[f"{field}_{name}"] = results[key][field]
    numbers["peak_large_decay"] = results[(too_large, gamma)]["peak"]
    default = states[f"lr={too_large:g}|gamma={gamma:g}"].data
    charts = (
        Chart(
            "loss",
            B(
                "相对损失差 (f − f*) / (f₀ − f*)，逐轮",
                "Relative loss gap (f − f*) / (f₀ − f*) per epoch",
            ),
            B("轮数（epoch）", "epoch"),
            B("相对损失差", "relative gap"),
            (
                Series(
                    "gap",
                    "line",
                    default[("loss", "gap")],
                    B("当前设置", "current setting"),
                    "#1f77b4",
                ),
            ),
            y_log=True,
            y_range=(1e-8, 1e6),
            x_range=(0, epochs),
            height=300,
            hlines=((RTOL, B(f"容差 {RTOL:g}", f"tolerance {RTOL:g}")),),
        ),
        Chart(
            "rate",
            B("每一轮的学习率", "Learning rate per epoch"),
            B("轮数（epoch）", "epoch"),
            B("学习率", "learning rate"),
            (
                Series(
                    "lr",
                    "line",
                    default[("rate", "lr")],
                    B("当前设置", "current setting"),
                    "#ff7f0e",
                ),
            ),
            y_log=True,
            y_range=(1e-6 * cond.lr_stable, 3 * max(factors) * cond.lr_stable),
            x_range=(0, epochs),
            height=240,
            hlines=(
                (
                    cond.lr_stable,
                    B(
                        f"稳定上限 2/L = {cond.lr_stable:.3g}",
                        f"stability limit 2/L = {cond.lr_stable:.3g}",
                    ),
                ),
            ),
            caption=B(
                "学习率曲线落到 2/L 以下之后，损失才开始下降。",
                "The loss starts falling only once the rate is under 2/L.",
            ),
        ),
    )
    interactive = Interactive(
        controls=(
            Control(
                "lr",
                B("初始学习率 lr_init（2/L 的倍数）", "initial rate lr_init (multiple of 2/L)"),
                "range",
                tuple((f"{f:g}", f"{f:g} × 2/L") for f in factors),
                f"{too_large:g}",
            ),
            Control(
                "gamma",
                B("衰减系数 γ（1 为固定学习率）", "decay factor γ (1: fixed rate)"),
                "select",
                tuple(
                    (f"{g:g}", B("1（固定）", "1 (fixed)") if g == 1 else f"{g:g}") for g in gammas
                ),
                f"{gamma:g}",
            ),
        ),
        readouts=(
            Readout("lr0", "lr_init"),
            Readout("status", B("结果", "outcome")),
            Readout("epochs", B(f"到 {RTOL:g} 的轮数", f"epochs to {RTOL:g}")),
            Readout("gap", B("最终相对差", "final relative gap")),
            Readout(
                "sum",
                B("学习率之和上限 lr_init / (1 − γ)", "rates sum to at most lr_init / (1 − γ)"),
            ),
        ),
        states=states,
    )
    rows: list[tuple[Cell, ...]] = []
    for label, (factor, g) in (
        (B(f"{too_large:g} × 2/L，固定", f"{too_large:g} x 2/L, fixed"), (too_large, 1.0)),
        (
            B(f"{too_large:g} × 2/L，衰减 {gamma:g}", f"{too_large:g} x 2/L, decay {gamma:g}"),
            (too_large, gamma),
        ),
        (B(f"{small:g} × 2/L，固定", f"{small:g} x 2/L, fixed"), (small, 1.0)),
        (
            B(f"{small:g} × 2/L，衰减 {gamma:g}", f"{small:g} x 2/L, decay {gamma:g}"),
            (small, gamma),
        ),
    ):
        r = results[(factor, g)]
        rows.append(
            (
                label,
                factor * cond.lr_stable,
                B("发散", "diverged") if r["diverged"] else B("未发散", "stable"),
                None if r["epochs"] < 0 else int(r["epochs"]),
                r["gap"],
            )
        )
    table = Table(
        B(
            f"全批量梯度下降，Z-Score 后的第二部分数据，{epochs} 轮，2/L = {cond.lr_stable:.4g}",
            f"full-batch GD on part 2's z-scored data, {epochs} epochs, 2/L = {cond.lr_stable:.4g}",
        ),
        (
            B("设置", "run"),
            B("初始学习率", "lr at epoch 0"),
            B("结果", "outcome"),
            B(f"到 {RTOL:g} 的轮数", f"epochs to {RTOL:g}"),
            B("最终相对差", "final relative gap"),
        ),
        tuple(rows),
    )
    n = numbers
    text = B(
        "学习率调度让学习率随迭代逐渐变小，这里用指数衰减 lr_i = lr_init · γ^i，每轮一次。"
        f"{DATA.zh}，Z-Score 之后全批量迭代。"
        f"初始学习率为 {too_large:g} 倍 2/L 时，固定学习率每一步都越冲越远，最终发散；衰减"
        f" γ = {gamma:g} 时，"
        f"开始几轮同样在震荡（损失一度涨到初始的 {n['peak_large_decay']:.1f} 倍），学习率一"
        "旦降到 2/L 以下就开始收敛，"
        f"第 {n['epochs_large_decay']:.0f} 轮达到 {RTOL:g}。反过来，初始学习率只有 {small:g} "
        "倍 2/L 时，固定学习率稳步收敛"
        f"（第 {n['epochs_small_fixed']:.0f} 轮），衰减反而拖慢了它：不管迭代多久，学习率之"
        "和都不超过 lr_init / (1 − γ) = "
        f"{1 / (1 - gamma):.0f} lr_init，{epochs} 轮后相对差还停在 {n['gap_small_decay']:.1e}。"
        "衰减能挽救过大的学习率，却会拖慢本来就小的学习率；拖动滑块和下拉框可以看到整个网格。",
        "A learning-rate schedule makes the rate shrink as training goes on; here exponential "
        f"decay lr_i = lr_init · γ^i, once per epoch, full batch on {DATA.en} after z-score. "
        f"Starting at {too_large:g} x 2/L a fixed rate overshoots further at every step and "
        f"diverges; with γ = {gamma:g} the same start first oscillates (the loss peaks at "
        f"{n['peak_large_decay']:.1f}x its start) and, once the rate is under 2/L, converges: "
        f"{RTOL:g} at epoch {n['epochs_large_decay']:.0f}. Conversely, at {small:g} x 2/L "
        "the fixed "
        f"rate converges steadily (epoch {n['epochs_small_fixed']:.0f}) while decay slows "
        "it: however "
        f"long it runs, the rates sum to at most lr_init / (1 − γ) = {1 / (1 - gamma):.0f} "
        "lr_init, "
        f"and after {epochs} epochs the relative gap is still {n['gap_small_decay']:.1e}. Decay "
        "rescues a rate that is too large and slows one that is already small; the slider and "
        "the list show the whole grid.",
    )
    return ExperimentResult(
        key="decay",
        section="二、2",
        part=PART,
        title=B("学习率调度：指数衰减", "Learning-rate scheduling: exponential decay"),
        claim=B(
            f"初始学习率为 {too_large:g} 倍 2/L 时，固定学习率发散，按 γ = {gamma:g} 衰减则"
            f"在第 {n['epochs_large_decay']:.0f} 轮收敛；"
            f"但对 {small:g} 倍 2/L 这样小的学习率，衰减让它在 {epochs} 轮后还差 "
            f"{n['gap_small_decay']:.0e}。",
            f"Starting at {too_large:g} x 2/L, a fixed rate diverges while decay by γ = {gamma:g} "
            f"converges at epoch {n['epochs_large_decay']:.0f}; but a small start ({small:g} "
            "x 2/L) "
            f"decayed is still {n['gap_small_decay']:.0e} short after {epochs} epochs.",
        ),
        text=text,
        numbers=numbers,
        tables=(table,),
        charts=charts,
        interactive=interactive,
        headline=B(
            f"过大学习率：固定发散，衰减后第 {n['epochs_large_decay']:.0f} 轮收敛",
            f"too large: diverges fixed, converges with decay (epoch {n['epochs_large_decay']:.0f}"
            ")",
        ),
    )
