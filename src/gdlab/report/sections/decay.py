"""二、2: learning-rate decay, ``lr_i = lr_init * gamma**i`` per epoch, against a fixed rate.

Full-batch descent on part 二's z-scored data. Two starts carry the lesson's point: one above
the stability limit 2/L diverges at a fixed rate and converges once decay has brought the
rate under the limit; one far below it converges steadily at a fixed rate, while decay stalls
it, because the decayed rates add up to at most ``lr_init / (1 - gamma)``. The page's lab
overlays the fixed and the decayed run for any start, gamma and kind of decay.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gdlab import schedules
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.charts import Chart, Series, guide
from gdlab.report.lab import Control, Lab
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.result import ExperimentResult, Table
from gdlab.report.sections.part2 import Design, designs, lab_data, outcome, relative_gap, settle

PARAMS = (
    Param("n_samples", 1000, 10, 20_000),
    Param("epochs", 150, 10, 5_000),
    Param("gamma", 0.95, 0.5, 0.999),
    Param("too_large", 1.25, 1.0, 3.0),
    Param("small", 0.25, 0.01, 1.0),
)
RTOL = 1e-3
STEP_SIZE = 10  # epochs between cuts of step decay (PyTorch's StepLR)
KINDS = ("exponential", "step", "cosine")
t = words("decay")


def schedule(kind: str, lr: float, gamma: float, epochs: int) -> schedules.Schedule:
    """The decayed rate of the lab's ``kind``, per epoch; ``gamma = 1`` keeps it fixed."""
    if gamma == 1 and kind != "cosine":
        return schedules.constant(lr)
    if kind == "step":
        return schedules.step(lr=lr, step_size=STEP_SIZE, gamma=gamma)
    if kind == "cosine":
        return schedules.cosine(lr=lr, total_steps=epochs)
    return schedules.exponential(lr=lr, gamma=gamma)


def _run(d: Design, factor: float, gamma: float, epochs: int, name: str) -> dict[str, Any]:
    rate = schedule("exponential", factor * d.cond.lr_stable, gamma, epochs)
    run = descend(LeastSquares(), d.A, d.y, lr=rate, epochs=epochs, w0=d.w0)
    gap = relative_gap(run, d.f_star)
    status, reached = outcome(run, settle(gap, RTOL), epochs)
    numbers = {
        "status": status,
        "epochs": reached,
        "gap": float(gap[-1]) if run.status != "diverged" else np.inf,
        "sum": float(np.sum(rate(np.arange(epochs)))),
        "peak": float(np.nanmax(np.asarray(run.loss)) / run.loss[0]),
    }
    return {f"{k}_{name}": v for k, v in numbers.items()}


def measure(
    *,
    n_samples: int = 1000,
    epochs: int = 150,
    gamma: float = 0.95,
    too_large: float = 1.25,
    small: float = 0.25,
) -> dict[str, Any]:
    """The four runs of the claim: a start ``too_large`` x 2/L and one ``small`` x 2/L, each
    at a fixed rate and decayed by ``gamma`` per epoch.

    Returns
    -------
    dict
        For ``r`` in ``large_fixed``, ``large_decay``, ``small_fixed``, ``small_decay``:
        ``status_r``, ``epochs_r`` (the epoch from which the relative loss gap
        ``(f − f*) / (f0 − f*)`` stays within 1e-3), ``gap_r`` (the final relative gap),
        ``sum_r`` (the sum of the rates used), ``peak_r`` (largest loss over the starting
        loss); ``limit`` (2/L), ``cap_small`` (``lr_init / (1 − gamma)``, what decayed rates
        can add up to at most) and the settings.

    Examples
    --------
    >>> n = measure(n_samples=200, epochs=60)
    >>> n["status_large_fixed"].name, n["status_large_decay"].name
    ('diverged', 'converged')
    """
    d = designs(n_samples)["zscore"]
    numbers: dict[str, Any] = {
        "n_samples": n_samples,
        "limit": d.cond.lr_stable,
        "gamma": gamma,
        "budget": epochs,
        "rtol": RTOL,
        "too_large": too_large,
        "small": small,
        "cap_small": small * d.cond.lr_stable / (1 - gamma),
        # Epochs a start too_large x 2/L needs to fall under 2/L when gamma is 0.99.
        "under_limit_099": float(np.log(1 / too_large) / np.log(0.99)),
    }
    for size, factor in (("large", too_large), ("small", small)):
        numbers.update(_run(d, factor, 1.0, epochs, f"{size}_fixed"))
        numbers.update(_run(d, factor, gamma, epochs, f"{size}_decay"))
    # The words that fit what happened: the rescue may fail, decay may not slow a small rate.
    large = numbers["status_large_decay"].name
    small_case = "slower" if numbers["gap_small_decay"] > numbers["gap_small_fixed"] else "faster"
    for kind in ("said", "detail"):
        numbers[f"large_{kind}"] = t(f"{kind}.large_{large}", **numbers)
        numbers[f"small_{kind}"] = t(f"{kind}.small_{small_case}", **numbers)
    return numbers


def _lab(n_samples: int, epochs: int, gamma: float, too_large: float) -> Lab:
    controls = (
        Control("factor", t("lab.factor"), "slider", too_large, low=0.05, high=2.0, step=0.01),
        Control("gamma", t("lab.gamma"), "slider", gamma, low=0.5, high=1.0, step=0.005),
        Control(
            "kind",
            t("lab.kind"),
            "select",
            "exponential",
            options=tuple((k, t(f"lab.{k}", step=STEP_SIZE)) for k in KINDS),
        ),
        Control(
            "epochs", t("lab.budget"), "slider", epochs, low=10, high=max(500, epochs), step=10
        ),
    )
    rows = tuple((r, t(f"lab.{r}", rtol=RTOL)) for r in ("status", "reached", "gap", "sum"))
    columns = (("fixed", t("lab.fixed")), ("decay", t("lab.decay")))
    setup = {**lab_data(n_samples), "rtol": RTOL, "step_size": STEP_SIZE}
    return Lab("decay", setup, controls, columns=columns, rows=rows)


def _charts() -> tuple[Chart, ...]:
    both = (
        Series("fixed", "line", legend=t("lab.fixed"), color="#c92a2a", width=2),
        Series("decay", "line", legend=t("lab.decay"), color="#1864ab", width=2),
    )
    loss = Chart(
        "loss",
        t("fig.loss"),
        t("fig.epoch"),
        t("fig.gap"),
        (
            *both,
            guide("tolerance", t("fig.tolerance", rtol=RTOL)),
        ),
        y_log=True,
        y_range=(1e-12, 1e8),
        height=300,
    )
    rate = Chart(
        "rate",
        t("fig.rate"),
        t("fig.epoch"),
        t("fig.lr"),
        (
            *both,
            Series(
                "limit", "line", legend=t("fig.limit"), color="#555555", width=1.5, dash="dashed"
            ),
        ),
        y_log=True,
        height=240,
        caption=t("fig.rate_caption"),
    )
    return (loss, rate)


def _table(numbers: dict[str, Any]) -> Table:
    columns = ("run", "status", "epochs", "gap", "sum")
    rows = tuple(
        (t(f"table.{r}", **numbers), *(numbers[f"{c}_{r}"] for c in columns[1:]))
        for r in ("large_fixed", "large_decay", "small_fixed", "small_decay")
    )
    return Table(
        t("table.title", **numbers), tuple(t(f"table.{c}", **numbers) for c in columns), rows
    )


def run(
    *,
    n_samples: int = 1000,
    epochs: int = 150,
    gamma: float = 0.95,
    too_large: float = 1.25,
    small: float = 0.25,
) -> ExperimentResult:
    """二、2: fixed against exponentially decayed rates, from too large and from small.

    Examples
    --------
    >>> r = run(n_samples=200, epochs=60)
    >>> r.numbers["gap_small_decay"] > r.numbers["gap_small_fixed"]
    True
    """
    numbers = measure(
        n_samples=n_samples, epochs=epochs, gamma=gamma, too_large=too_large, small=small
    )
    return section_result(
        "decay",
        numbers,
        tables=(_table(numbers),),
        charts=_charts(),
        lab=_lab(n_samples, epochs, gamma, too_large),
    )
