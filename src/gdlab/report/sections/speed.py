"""二、1: how much faster full-batch gradient descent runs on scaled features.

Each design (raw, min-max, z-score) is descended at the same fraction of its own stability
limit 2/L, so the comparison is about the shape of the loss and not about a rate tuned for
one of them. The page's lab reruns the three for any fraction and budget.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gdlab.analysis import steps_to_tolerance
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.charts import Chart, Series
from gdlab.report.lab import Control, Lab
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.prose import Predicted, Tiny
from gdlab.report.result import ExperimentResult, Table
from gdlab.report.sections.part2 import Design, designs, lab_data, outcome

PARAMS = (
    Param("n_samples", 1000, 10, 20_000),
    Param("epochs", 5000, 10, 20_000, quick=2000),
    Param("fraction", 0.95, 0.01, 2.0),
)
RTOL = 1e-6
COLORS = {"raw": "#c92a2a", "minmax": "#e67700", "zscore": "#1864ab"}
t = words("speed")


def _measure(name: str, d: Design, fraction: float, epochs: int) -> dict[str, Any]:
    lr = fraction * d.cond.lr_stable
    run = descend(LeastSquares(), d.A, d.y, lr=lr, epochs=epochs, w0=d.w0)
    status, reached = outcome(run, steps_to_tolerance(run, d.w_star, RTOL), epochs)
    gap = float(run.loss[-1]) - d.f_star if run.status != "diverged" else np.inf
    numbers = {
        "kappa": d.cond.kappa,
        "lr": lr,
        "predicted": Predicted(d.cond.predicted_iterations(RTOL, lr)),
        "epochs": reached,
        "status": status,
        # A converged run's gap is rounding: read as its bound, the same on every machine.
        "gap": Tiny(max(gap, 0.0)),
    }
    return {f"{k}_{name}": v for k, v in numbers.items()}


def measure(*, n_samples: int = 1000, epochs: int = 5000, fraction: float = 0.95) -> dict[str, Any]:
    """The section's numbers: each design at ``fraction`` x its own 2/L for ``epochs``.

    Returns
    -------
    dict
        For ``s`` in ``raw``, ``minmax``, ``zscore``: ``kappa_s``, ``lr_s``, ``predicted_s``
        (the theory's epochs to ``‖w − w*‖ ≤ 1e-6 ‖w0 − w*‖``), ``epochs_s`` (measured, a
        Count within ``epochs``), ``status_s``, ``gap_s`` (final loss above the optimum, in
        the squared label units of the loss); and the settings.

    Examples
    --------
    >>> n = measure(n_samples=200, epochs=50)
    >>> n["kappa_zscore"] < n["kappa_minmax"] < n["kappa_raw"]
    True
    """
    numbers: dict[str, Any] = {"n_samples": n_samples, "fraction": fraction, "budget": epochs}
    numbers["rtol"] = RTOL
    for name, d in designs(n_samples).items():
        numbers.update(_measure(name, d, fraction, epochs))
    # The fraction of 2/L that the best fixed rate 2/(L + mu) is: kappa / (kappa + 1).
    numbers["best_fraction_zscore"] = numbers["kappa_zscore"] / (numbers["kappa_zscore"] + 1)
    return numbers


def _lab(n_samples: int, epochs: int, fraction: float) -> Lab:
    controls = (
        Control("fraction", t("lab.fraction"), "slider", fraction, low=0.05, high=1.5, step=0.01),
        Control(
            "epochs", t("lab.budget"), "slider", epochs, low=100, high=max(epochs, 5000), step=100
        ),
    )
    rows = tuple(
        (r, t(f"lab.{r}", rtol=RTOL)) for r in ("kappa", "lr", "predicted", "measured", "gap")
    )
    columns = tuple((name, t(f"lab.{name}")) for name in COLORS)
    setup = {**lab_data(n_samples), "rtol": RTOL}
    return Lab("speed", setup, controls, columns=columns, rows=rows)


def _chart() -> Chart:
    return Chart(
        "loss",
        t("fig.loss"),
        t("fig.epoch"),
        t("fig.gap"),
        tuple(Series(n, "line", legend=t(f"lab.{n}"), color=c, width=2) for n, c in COLORS.items()),
        caption=t("fig.caption"),
        y_log=True,
        y_range=(1e-16, 1e6),
        height=340,
    )


def _table(numbers: dict[str, Any]) -> Table:
    columns = ("design", "kappa", "lr", "predicted", "epochs", "gap")
    rows = tuple((t(f"lab.{n}"), *(numbers[f"{c}_{n}"] for c in columns[1:])) for n in COLORS)
    return Table(
        t("table.title", **numbers), tuple(t(f"table.{c}", **numbers) for c in columns), rows
    )


def run(*, n_samples: int = 1000, epochs: int = 5000, fraction: float = 0.95) -> ExperimentResult:
    """二、1: loss per epoch on raw, min-max and z-scored features at the same fraction of
    each one's 2/L.

    Examples
    --------
    >>> r = run(n_samples=200, epochs=200)
    >>> r.numbers["epochs_zscore"].value is not None, r.numbers["epochs_raw"].value
    (True, None)
    """
    numbers = measure(n_samples=n_samples, epochs=epochs, fraction=fraction)
    return section_result(
        "speed",
        numbers,
        tables=(_table(numbers),),
        charts=(_chart(),),
        lab=_lab(n_samples, epochs, fraction),
    )
