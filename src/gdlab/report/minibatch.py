"""Part 二, section 3 of the lesson: mini-batch gradient descent and convergence per epoch.

An epoch is one pass over the data: ``ceil(m / batch_size)`` updates. On part 二's z-scored
data (still κ ≈ 20 from the correlated features) full batch needs many passes even at its
best rate ``2 / (L + mu)``, while a mini-batch makes many updates per pass and gets close in a
few. Each batch size runs at its own best fixed rate, chosen on a stated grid; the price is a
noise band above the optimum (the gradient noise at the optimum), drawn here as the spread
over several shuffles, which decaying the rate shrinks.
"""

from __future__ import annotations

import math

import numpy as np

from gdlab import schedules
from gdlab.analysis import conditioning
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.charts import Chart, Control, Interactive, Readout, Series, State
from gdlab.report.data import SEED, design, regression_problem
from gdlab.report.result import Cell, ExperimentResult, Table
from gdlab.report.speed import DATA, PART
from gdlab.report.text import Bilingual as B

GRID = tuple(float(f) for f in np.geomspace(1 / 64, 1.0, 13))
TARGET = 0.1
TAIL = 5
COMMON = 0.25


def _reach(gap: np.ndarray, level: float) -> int:
    hit = np.flatnonzero(gap <= level)
    return int(hit[0]) if len(hit) else -1


def minibatch_band(
    *,
    n_samples: int = 1000,
    epochs: int = 20,
    batch_sizes: tuple[int, ...] = (1, 10, 50),
    gamma: float = 0.9,
    shuffles: int = 8,
) -> ExperimentResult:
    """二、3: epochs to get close and the noise band, by batch size, fixed and decayed.

    Parameters
    ----------
    n_samples : int
        Rows of part 二's data set.
    epochs : int
        The budget of every run, in epochs.
    batch_sizes : tuple of int
        The mini-batch sizes compared with full batch.
    gamma : float
        Decay factor per epoch of the decayed runs.
    shuffles : int
        Shuffling seeds per setting; the band is their spread.

    Returns
    -------
    ExperimentResult
        ``numbers`` per batch ``b`` in the batch sizes and ``full``: ``lr_b`` (its rate),
        ``epochs_b`` (median over shuffles of the first epoch with loss − f* <= 0.1 f*, -1 if
        never), ``band_b`` and ``band_decay_b`` (median over shuffles of the mean loss − f*
        over the last 5 epochs, fixed and decayed), ``band_same_rate_b`` (the band of every
        mini-batch at one common rate, 0.25 x 2 / L); ``f_star``; ``full_epochs_needed`` (full
        batch at its best rate, epochs to the same target with no budget limit).

    Examples
    --------
    >>> r = minibatch_band(n_samples=300, epochs=15, shuffles=3)
    >>> r.numbers["band_decay_1"] < r.numbers["band_1"]
    True
    """
    X, y = regression_problem(n_samples)
    A = design(X, "z-score")
    model = LeastSquares()
    cond = conditioning(A, intercept=False)
    f_star = model.loss(model.optimum(A, y), A, y)
    w0 = np.zeros(A.shape[1])
    level = TARGET * f_star
    numbers: dict[str, float] = {"f_star": f_star, "limit": cond.lr_stable}
    states: dict[str, State] = {}
    rows: list[tuple[Cell, ...]] = []
    long = descend(model, A, y, lr=cond.lr_best, epochs=2000, w0=w0)
    numbers["full_epochs_needed"] = float(_reach(np.asarray(long.loss) - f_star, level))
    full_ref = np.maximum(np.asarray(long.loss[: epochs + 1]) - f_star, 1e-16)
    for batch in (*batch_sizes, None):
        key = "full" if batch is None else str(batch)
        if batch is None:
            lr = cond.lr_best  # full batch: the theory's best fixed rate
        else:
            scores = []
            for f in GRID:
                run = descend(
                    model,
                    A,
                    y,
                    lr=f * cond.lr_stable,
                    epochs=epochs,
                    batch_size=batch,
                    w0=w0,
                    seed=SEED,
                )
                gap = np.asarray(run.loss) - f_star
                first = _reach(gap, level)
                if run.status != "diverged" and np.isfinite(gap[-1]):
                    scores.append(
                        (first if first >= 0 else epochs + 1, float(np.mean(gap[-TAIL:])), f)
                    )
            lr = min(scores)[2] * cond.lr_stable
        numbers[f"lr_{key}"] = lr
        for decays in (False, True):
            rate = schedules.exponential(lr=lr, gamma=gamma) if decays else schedules.constant(lr)
            gaps = np.array(
                [
                    np.asarray(
                        descend(
                            model,
                            A,
                            y,
                            lr=rate,
                            epochs=epochs,
                            batch_size=batch,
                            w0=w0,
                            seed=SEED + s,
                        ).loss
                    )
                    - f_star
                    for s in range(shuffles if batch is not None else 1)
                ]
            )
            reached = float(
                np.median([_reach(g, level) if _reach(g, level) >= 0 else np.inf for g in gaps])
            )
            band = float(np.median(gaps[:, -TAIL:].mean(axis=1)))
            suffix = "decay_" if decays else ""
            if not decays:
                numbers[f"epochs_{key}"] = reached if np.isfinite(reached) else -1.0
            numbers[f"band_{suffix}{key}"] = band
            updates = 1 if batch is None else math.ceil(len(y) / batch)
            x = np.arange(epochs + 1)
            states[f"batch={key}|decay={'on' if decays else 'off'}"] = State(
                data={
                    ("loss", "band"): {
                        "x": x,
                        "lower": np.maximum(gaps.min(axis=0), 1e-16),
                        "upper": np.maximum(gaps.max(axis=0), 1e-16),
                    },
                    ("loss", "median"): {"x": x, "y": np.maximum(np.median(gaps, axis=0), 1e-16)},
                },
                readouts={
                    "lr": f"{lr:.3g} ({lr / cond.lr_stable:.2f} × 2/L)",
                    "updates": f"{updates:,}",
                    "epochs": "—" if not np.isfinite(reached) else f"{reached:.0f}",
                    "band": f"{band:.3g}",
                },
            )
            label = (
                B("全批量", "full batch") if batch is None else B(f"批量 {batch}", f"batch {batch}")
            )
            rows.append(
                (
                    label
                    + (
                        B(f"，衰减 {gamma:g}", f", decay {gamma:g}")
                        if decays
                        else B("，固定", ", fixed")
                    ),
                    lr,
                    updates,
                    None if not np.isfinite(reached) else int(reached),
                    band,
                )
            )
    # The band's height against batch size alone: every mini-batch at one rate, a quarter of
    # the full-batch limit, which every batch size here survives and converges at in budget.
    common = COMMON * cond.lr_stable
    for batch in batch_sizes:
        tails = [
            np.mean(
                np.asarray(
                    descend(
                        model,
                        A,
                        y,
                        lr=common,
                        epochs=epochs,
                        batch_size=batch,
                        w0=w0,
                        seed=SEED + s,
                    ).loss
                )[-TAIL:]
                - f_star
            )
            for s in range(shuffles)
        ]
        numbers[f"band_same_rate_{batch}"] = float(np.median(tails))
    default = (
        states["batch=50|decay=off"].data if 50 in batch_sizes else next(iter(states.values())).data
    )
    chart = Chart(
        "loss",
        B(
            "损失与最优值之差，逐轮；阴影是不同打乱顺序之间的波动带",
            "Loss above the optimum per epoch; the shading is the spread over shuffles",
        ),
        B("轮数（epoch）", "epoch"),
        "loss − f*",
        (
            Series(
                "band",
                "band",
                default[("loss", "band")],
                B(
                    f"当前设置：{shuffles} 种打乱顺序的最小–最大",
                    f"current setting: min–max over {shuffles} shuffles",
                ),
                "#1f77b4",
                alpha=0.3,
            ),
            Series(
                "median",
                "line",
                default[("loss", "median")],
                B("当前设置：中位数", "current setting: median"),
                "#1f77b4",
            ),
            Series(
                "full",
                "line",
                {"x": np.arange(epochs + 1), "y": full_ref},
                B("全批量，最佳学习率 2/(L+μ)", "full batch at its best rate 2/(L+μ)"),
                "#d62728",
                dash="dashed",
            ),
        ),
        hlines=((level, B(f"目标：f* 的 {TARGET:g} 倍", f"target: {TARGET:g} f*")),),
        y_log=True,
        y_range=(1e-4, 1e5),
        x_range=(0, epochs),
        height=340,
        caption=B(
            f"预算：每种设置 {epochs} 轮；小批量的学习率是网格 2/L × (1/64 … 1) 中最快到达"
            "目标的那个。",
            f"Budget: {epochs} epochs for every setting; each mini-batch rate is the one "
            "on the grid 2/L x (1/64 … 1) that reaches the target soonest.",
        ),
    )
    interactive = Interactive(
        controls=(
            Control(
                "batch",
                B("批量大小", "batch size"),
                "select",
                (
                    *(
                        (str(b), B(f"{b}（随机梯度下降）", f"{b} (SGD)") if b == 1 else str(b))
                        for b in batch_sizes
                    ),
                    ("full", B("全批量", "full batch")),
                ),
                "50" if 50 in batch_sizes else str(batch_sizes[0]),
            ),
            Control(
                "decay",
                B(f"学习率衰减（每轮 ×{gamma:g}）", f"learning-rate decay (x{gamma:g} per epoch)"),
                "checkbox",
                (("off", "off"), ("on", "on")),
                "off",
            ),
        ),
        readouts=(
            Readout("lr", B("学习率", "learning rate")),
            Readout("updates", B("每轮更新次数", "updates per epoch")),
            Readout("epochs", B("到达目标的轮数（中位数）", "epochs to the target (median)")),
            Readout(
                "band",
                B(
                    f"波动带：最后 {TAIL} 轮平均 loss − f*",
                    f"band: mean loss − f* over the last {TAIL} epochs",
                ),
            ),
        ),
        states=states,
    )
    table = Table(
        B(
            f"Z-Score 后的第二部分数据，{epochs} 轮，{shuffles} 种打乱顺序（种子 {SEED} 起"
            f"）；目标 loss − f* ≤ {TARGET:g} f*",
            f"part 2's z-scored data, {epochs} epochs, {shuffles} shuffles (seeds from {SEED}); "
            f"target loss − f* ≤ {TARGET:g} f*",
        ),
        (
            B("设置", "run"),
            B("学习率", "lr"),
            B("每轮更新次数", "updates per epoch"),
            B("到达目标的轮数", "epochs to target"),
            B(f"波动带（最后 {TAIL} 轮）", f"band (last {TAIL} epochs)"),
        ),
        tuple(rows),
    )
    n = numbers
    mids = [b for b in batch_sizes if b > 1]
    text = B(
        f"{DATA.zh}。Z-Score 之后 κ 仍约为 {cond.kappa:.0f}，全批量即使用最佳学习率，每轮也"
        "只能更新一次，"
        f"{epochs} 轮内到不了目标（需要 {n['full_epochs_needed']:.0f} 轮）；"
        + "，".join(
            f"批量 {b} 每轮更新 {math.ceil(len(y) / b)} 次，{n[f'epochs_{b}']:g} 轮就到"
            for b in mids
        )
        + "。代价是随机性：固定学习率下，损失最后停在最优值上方的一条波动带里，批量 1 是 "
        f"{n['band_1']:.3g}，"
        + "，".join(f"批量 {b} 是 {n[f'band_{b}']:.3g}" for b in mids)
        + f"（各自的学习率不同）；如果都用同一个学习率 {common:.3g}，波动带随批量增大而变窄："
        + " > ".join(f"{n[f'band_same_rate_{b}']:.2g}" for b in batch_sizes)
        + f"。学习率每轮乘以 {gamma:g} 之后，波动带缩小到 "
        + "、".join(f"{n[f'band_decay_{b}']:.2g}" for b in batch_sizes)
        + "：这正是学习率调度要解决的问题。",
        f"{DATA.en}. After z-score κ is still about {cond.kappa:.0f}; full batch, even at "
        "its best rate, "
        f"updates once per epoch and does not reach the target within {epochs} epochs (it needs "
        f"{n['full_epochs_needed']:.0f}); "
        + ", ".join(
            f"batch {b} makes {math.ceil(len(y) / b)} updates per epoch and gets there in "
            f"{n[f'epochs_{b}']:g}"
            for b in mids
        )
        + ". The price is randomness: at a fixed rate the loss ends in a band above the optimum, "
        f"{n['band_1']:.3g} for batch 1, "
        + ", ".join(f"{n[f'band_{b}']:.3g} for batch {b}" for b in mids)
        + f" (at different rates); at one common rate, {common:.3g}, the band narrows as the batch "
        "grows: "
        + " > ".join(f"{n[f'band_same_rate_{b}']:.2g}" for b in batch_sizes)
        + f". Multiplying the rate by {gamma:g} each epoch shrinks the bands to "
        + ", ".join(f"{n[f'band_decay_{b}']:.2g}" for b in batch_sizes)
        + ": the problem learning-rate schedules exist to solve.",
    )
    return ExperimentResult(
        key="minibatch",
        section="二、3",
        part=PART,
        title=B(
            "小批量梯度下降与迭代收敛速度", "Mini-batch gradient descent and convergence speed"
        ),
        claim=B(
            f"各自用最佳学习率、同样 {epochs} 轮的预算下，小批量按轮数计收敛更快（批量 50 "
            f"用 {n['epochs_50']:.0f} 轮，"
            f"全批量要 {n['full_epochs_needed']:.0f} 轮），但会停在一条波动带里；学习率衰"
            "减让波动带变窄。",
            f"Each at its best rate and on the same {epochs}-epoch budget, mini-batches converge "
            "in "
            f"fewer epochs (batch 50 in {n['epochs_50']:.0f}, full batch needs "
            f"{n['full_epochs_needed']:.0f}) but end in a noise band, which decay narrows.",
        )
        if 50 in batch_sizes
        else B(
            "小批量按轮数计收敛更快，但会停在波动带里；学习率衰减让波动带变窄。",
            "Mini-batches converge in fewer epochs but end in a noise band, which decay narrows.",
        ),
        text=text,
        numbers=numbers,
        tables=(table,),
        charts=(chart,),
        interactive=interactive,
        headline=B(
            f"批量 1 波动带 {n['band_1']:.1e} → 衰减后 {n['band_decay_1']:.1e}",
            f"SGD band {n['band_1']:.1e} -> {n['band_decay_1']:.1e} with decay",
        ),
    )
