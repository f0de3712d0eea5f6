"""Part 2, §8 of the lesson: exponential decay ``lr_i = lr_init * 0.95**i``, once per epoch.

Two starting rates on the z-scored regression set, each with and without decay: one above the
stability limit ``2 / L`` (fixed, it diverges; decayed, it oscillates until the rate falls
under the limit and then converges) and one far below it (fixed, it converges steadily;
decayed, the rates sum to only ``20 lr_init`` and the run stalls short of the optimum).
"""

from __future__ import annotations

import numpy as np

from gdlab import schedules
from gdlab.analysis import conditioning, first_within_tolerance
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.plotting import loss_curves, plot_schedules
from gdlab.report.data import design, regression_problem
from gdlab.report.result import Cell, ExperimentResult, Image, Table, render_png
from gdlab.trajectory import Trajectory

GAMMA = 0.95
RTOL = 1e-6


def _gap(run: Trajectory, f_star: float, loss0: float) -> float:
    last = float(run.loss[-1])
    # Clipped at 0: round-off can put a converged loss a hair below the closed-form optimum's.
    return max((last - f_star) / (loss0 - f_star), 0.0) if np.isfinite(last) else float("inf")


def learning_rate_decay(
    *, n_samples: int = 1000, epochs: int = 100, too_large: float = 1.25, small: float = 0.05
) -> ExperimentResult:
    """§8: fixed against exponentially decayed learning rates, one too large and one small.

    Parameters
    ----------
    too_large, small : float
        Starting learning rates as multiples of the stability limit ``2 / L``.

    Returns
    -------
    ExperimentResult
        ``numbers`` per run ``r`` in ``large_fixed``, ``large_decay``, ``small_fixed``,
        ``small_decay``: ``gap_r`` (final suboptimality relative to the start, inf when the
        run diverged), ``epochs_r`` (epochs to a relative suboptimality of 1e-6, -1 if never),
        ``diverged_r`` (1.0 or 0.0); and ``peak_large_decay`` (largest loss of the rescued run
        over its starting loss), ``limit`` (``2 / L``).

    Examples
    --------
    >>> r = learning_rate_decay(n_samples=200, epochs=40)
    >>> r.numbers["diverged_large_fixed"], r.numbers["diverged_large_decay"]
    (1.0, 0.0)
    """
    X, y = regression_problem(n_samples)
    A = design(X, "z-score")
    model = LeastSquares()
    cond = conditioning(A, intercept=False)
    f_star = model.loss(model.optimum(A, y), A, y)
    plans = {
        "large_fixed": (too_large, False),
        "large_decay": (too_large, True),
        "small_fixed": (small, False),
        "small_decay": (small, True),
    }
    runs: dict[str, Trajectory] = {}
    rates = {}
    rows: list[tuple[Cell, ...]] = []
    numbers: dict[str, float] = {"limit": cond.lr_stable}
    for name, (factor, decays) in plans.items():
        lr0 = factor * cond.lr_stable
        lr = schedules.exponential(lr=lr0, gamma=GAMMA) if decays else schedules.constant(lr0)
        run = descend(model, A, y, lr=lr, epochs=epochs)
        loss0 = float(run.loss[0])
        hit = first_within_tolerance(run, f_star, RTOL)
        reached = int(run.epoch[hit]) if hit is not None else None
        label = f"{factor:g} x 2/L, {'decay 0.95' if decays else 'fixed'}"
        runs[label], rates[label] = run, lr
        numbers[f"gap_{name}"] = _gap(run, f_star, loss0)
        numbers[f"epochs_{name}"] = float(reached) if reached is not None else -1.0
        numbers[f"diverged_{name}"] = float(run.status == "diverged")
        rows.append((label, lr0, run.status, len(run) - 1, reached, numbers[f"gap_{name}"]))
    rescued = runs[f"{too_large:g} x 2/L, decay 0.95"]
    numbers["peak_large_decay"] = float(np.nanmax(rescued.loss) / rescued.loss[0])

    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    loss_curves(runs, x="epoch", optimum=f_star, title="Loss above the optimum", ax=left)
    plot_schedules(rates, steps=epochs, logy=True, title="Learning rate per epoch", ax=right)
    right.axhline(cond.lr_stable, color="k", ls=":", lw=1, label="2 / L")
    right.legend(fontsize="small")
    image = Image(
        "decay",
        "Left: loss above the optimum per epoch (a curve flat at 1e-16 has reached the "
        "optimum to round-off); right: the learning rates, with the stability limit 2 / L "
        "dotted.",
        render_png(fig),
    )
    table = Table(
        f"full-batch GD on the z-scored regression set, {epochs} epochs, 2 / L = "
        f"{cond.lr_stable:.4g}",
        ("run", "lr at epoch 0", "status", "epochs run", "epochs to 1e-6", "final gap (relative)"),
        tuple(rows),
    )
    text = (
        f"At {too_large:g} x 2/L a fixed rate makes every step overshoot further: the run "
        f"ends as {runs[f'{too_large:g} x 2/L, fixed'].status}. With decay 0.95 per epoch the "
        "same start first oscillates (the loss peaks at "
        f"{numbers['peak_large_decay']:.1f}x its starting value) and, once the rate has fallen "
        f"under 2 / L, converges: the 1e-6 tolerance is reached at epoch "
        f"{numbers['epochs_large_decay']:.0f}. At {small:g} x 2/L the fixed rate converges "
        f"steadily (epoch {numbers['epochs_small_fixed']:.0f}) while decay slows it: however "
        f"long it runs, the rates sum to less than 1 / (1 - {GAMMA:g}) = "
        f"{1 / (1 - GAMMA):.0f} lr_init, and after {epochs} epochs the decayed run is still at a "
        f"relative gap of {numbers['gap_small_decay']:.1e}. Decay rescues a rate that is too "
        "large and slows one that is already small."
    )
    return ExperimentResult(
        key="decay",
        section="§8",
        title="Learning-rate scheduling: exponential decay",
        text=text,
        numbers=numbers,
        tables=(table,),
        images=(image,),
        headline=(
            f"too large: {runs[f'{too_large:g} x 2/L, fixed'].status} fixed, converged with "
            f"decay; small: decay leaves gap {numbers['gap_small_decay']:.0e}"
        ),
    )
