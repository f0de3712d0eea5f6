"""Part 2, §9 of the lesson: full batch, mini-batch and SGD, counted in epochs.

An epoch is one pass over the data: ``ceil(m / batch_size)`` updates, so with the same
learning rate a mini-batch run makes 20 times (batch 50 of 1000 rows) and SGD 1000 times
more progress per epoch than full batch. With a fixed rate the noisy runs do not settle: they
end in a band above the optimum whose height grows with the rate and the gradient noise;
decaying the rate shrinks it. The data are noisier here (noise 1) because the band is the
gradient noise at the optimum, which noise-free data would not have.
"""

from __future__ import annotations

import math

import numpy as np

from gdlab import schedules
from gdlab.analysis import first_within_tolerance
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.plotting import loss_curves
from gdlab.report.data import SEED, design, regression_problem
from gdlab.report.result import Cell, ExperimentResult, Image, Table, render_png
from gdlab.trajectory import Trajectory

GAMMA = 0.95
RTOL = 1e-2
BAND_EPOCHS = 10


def _band(run: Trajectory, f_star: float, last: int) -> float:
    """Mean loss above the optimum over the last ``last`` epoch ends: the band's height."""
    return float(np.mean(np.asarray(run.loss[-last:]) - f_star))


def minibatch_band(
    *, n_samples: int = 1000, epochs: int = 40, lr: float = 0.05, batch_size: int = 50
) -> ExperimentResult:
    """§9: epochs to converge and the oscillation band, by batch size, fixed and decayed.

    Returns
    -------
    ExperimentResult
        ``numbers`` per run ``r`` in ``full``, ``minibatch``, ``sgd``, ``minibatch_decay``,
        ``sgd_decay``: ``epochs_r`` (epochs until the loss is within 1e-2 of its starting
        distance from the optimum, -1 if never) and ``band_r`` (mean loss above the optimum
        over the last 10 epochs).

    Examples
    --------
    >>> r = minibatch_band(n_samples=200, epochs=30)
    >>> r.numbers["band_minibatch"] < r.numbers["band_sgd"]  # averaging removes noise
    True
    """
    X, y = regression_problem(n_samples, noise=1.0)
    A = design(X, "z-score")
    model = LeastSquares()
    f_star = model.loss(model.optimum(A, y), A, y)
    decayed = schedules.exponential(lr=lr, gamma=GAMMA)
    plans: dict[str, tuple[str, int | None, float | schedules.Schedule]] = {
        "full": ("full batch, fixed", None, lr),
        "minibatch": (f"batch {batch_size}, fixed", batch_size, lr),
        "sgd": ("SGD (batch 1), fixed", 1, lr),
        "minibatch_decay": (f"batch {batch_size}, decay 0.95", batch_size, decayed),
        "sgd_decay": ("SGD (batch 1), decay 0.95", 1, decayed),
    }
    runs: dict[str, Trajectory] = {}
    rows: list[tuple[Cell, ...]] = []
    numbers: dict[str, float] = {}
    for key, (label, batch, rate) in plans.items():
        run = descend(model, A, y, lr=rate, epochs=epochs, batch_size=batch, seed=SEED)
        hit = first_within_tolerance(run, f_star, RTOL)
        reached = int(run.epoch[hit]) if hit is not None else None
        runs[label] = run
        numbers[f"epochs_{key}"] = float(reached) if reached is not None else -1.0
        numbers[f"band_{key}"] = _band(run, f_star, BAND_EPOCHS)
        updates = 1 if batch is None else math.ceil(len(y) / batch)
        rows.append((label, updates, reached, numbers[f"band_{key}"]))

    ax = loss_curves(runs, x="epoch", optimum=f_star, title="Loss above the optimum per epoch")
    image = Image(
        "minibatch",
        f"Loss above the optimum at the end of each epoch, lr {lr}, {n_samples} rows with noise 1.",
        render_png(ax.figure),
    )
    table = Table(
        f"least squares on z-scored features, lr {lr}, {epochs} epochs, shuffled with seed {SEED}",
        (
            "run",
            "updates per epoch",
            f"epochs to {RTOL:g}",
            f"loss above optimum, mean of last {BAND_EPOCHS} epochs",
        ),
        tuple(rows),
    )
    full = numbers["epochs_full"]
    text = (
        f"Counted in epochs, batch {batch_size} reaches 1e-2 of the initial gap in "
        f"{numbers['epochs_minibatch']:.0f} epochs and SGD in {numbers['epochs_sgd']:.0f}, "
        + (
            f"full batch in {full:.0f}"
            if full >= 0
            else f"while full batch, one update per epoch, has not got there after {epochs}"
        )
        + ". With a fixed rate the stochastic runs then hover in a band above the optimum: "
        f"{numbers['band_minibatch']:.2e} for batch {batch_size} and "
        f"{numbers['band_sgd']:.2e} for SGD (mean loss above the optimum over the last "
        f"{BAND_EPOCHS} epochs); larger batches average the gradient noise away. Decaying the "
        f"rate by 0.95 per epoch shrinks the bands to {numbers['band_minibatch_decay']:.2e} and "
        f"{numbers['band_sgd_decay']:.2e}."
    )
    return ExperimentResult(
        key="minibatch",
        section="§9",
        title="Mini-batch gradient descent and convergence speed",
        text=text,
        numbers=numbers,
        tables=(table,),
        images=(image,),
        headline=(
            f"SGD band {numbers['band_sgd']:.1e} -> {numbers['band_sgd_decay']:.1e} with decay; "
            f"batch {batch_size} in {numbers['epochs_minibatch']:.0f} epochs"
        ),
    )
