"""二、3: mini-batch gradient descent and convergence per epoch, against full batch.

An epoch is one pass over the data: ``ceil(m / batch_size)`` updates. On part 二's z-scored
data (κ still about 20 from the correlated features) full batch needs many passes even at its
best rate ``2 / (L + μ)``, while a mini-batch makes many updates per pass and gets close in a
few. The price is a noise band above the optimum: the gradient of a few rows is not zero at
the minimum. Each batch size runs at its own best fixed rate from one stated grid; the band
is measured over several shuffles, and decaying the rate narrows it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gdlab import schedules
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.charts import Chart, Series, guide
from gdlab.report.lab import Control, Lab
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.prose import Count
from gdlab.report.result import ExperimentResult, Table
from gdlab.report.sections.part2 import (
    SEED,
    Design,
    designs,
    first_at_or_below,
    lab_data,
    tune,
)

PARAMS = (
    Param("n_samples", 1000, 100, 20_000),
    Param("epochs", 20, 5, 500),
    Param("gamma", 0.9, 0.5, 0.999),
    Param("shuffles", 8, 1, 64, quick=4),
)
BATCHES = (1, 10, 50)
TARGET = 0.1  # "close": the loss within 10 % of the optimal loss f*
TAIL = 5  # the band is the mean loss above f* over the last TAIL epochs
COMMON = 0.25  # one rate for every batch size, x 2/L, to show the band against batch size
t = words("minibatch")


def _runs(d: Design, lr: Any, batch: int | None, epochs: int, shuffles: int) -> np.ndarray:
    """Loss above f* per epoch, one row per shuffle."""
    seeds = range(shuffles if batch is not None else 1)
    return np.array(
        [
            np.asarray(
                descend(
                    LeastSquares(),
                    d.A,
                    d.y,
                    lr=lr,
                    epochs=epochs,
                    batch_size=batch,
                    w0=d.w0,
                    seed=SEED + s,
                ).loss
            )
            - d.f_star
            for s in seeds
        ]
    )


def _batch_numbers(d: Design, batch: int, params: dict[str, Any]) -> dict[str, Any]:
    epochs, gamma, shuffles = params["epochs"], params["gamma"], params["shuffles"]
    level = TARGET * d.f_star
    tuned = tune(
        params["n_samples"],
        "zscore",
        batch,
        (1.0,),
        epochs,
        lambda gap: first_at_or_below(gap, level),
    )
    lr = tuned.fraction * d.cond.lr_stable
    fixed = _runs(d, lr, batch, epochs, shuffles)
    decayed = _runs(d, schedules.exponential(lr=lr, gamma=gamma), batch, epochs, shuffles)
    reach = [first_at_or_below(row, level) for row in fixed]
    same = _runs(d, COMMON * d.cond.lr_stable, batch, epochs, shuffles)
    return {
        "lr": lr,
        "fraction": tuned.fraction,
        "updates": math.ceil(len(d.y) / batch),
        # The median epoch, rounded down (the page's lab reads its shuffles the same way).
        "epochs": Count(None if None in reach else int(np.median(np.array(reach, float))), epochs),
        "band": float(np.median(fixed[:, -TAIL:].mean(axis=1))),
        "band_decay": float(np.median(decayed[:, -TAIL:].mean(axis=1))),
        "spread": float(np.ptp(fixed[:, -1])),
        "band_same_rate": float(np.median(same[:, -TAIL:].mean(axis=1))),
    }


def measure(
    *, n_samples: int = 1000, epochs: int = 20, gamma: float = 0.9, shuffles: int = 8
) -> dict[str, Any]:
    """Epochs to get close, and the band, for each batch size and for full batch.

    Returns
    -------
    dict
        For ``b`` in 1, 10, 50: ``lr_b`` (its best fixed rate on the grid), ``updates_b``
        (per epoch), ``epochs_b`` (median over shuffles of the first epoch with
        ``f − f* ≤ 0.1 f*``), ``band_b`` / ``band_decay_b`` (median over shuffles of the mean
        ``f − f*`` over the last 5 epochs, fixed and decayed by ``gamma``), ``spread_b`` (how
        far apart the shuffles end), ``band_same_rate_b`` (the band at one rate, 0.25 x 2/L,
        for every batch size). Full batch at ``2 / (L + μ)``: ``lr_full``, ``epochs_full``
        (within the budget), ``gap_full`` (its final ``f − f*``: not a band, it has no noise),
        ``needed_full`` (epochs it needs with no budget). ``f_star``, ``target`` and the
        settings. Losses are in the squared label units.
    """
    d = designs(n_samples)["zscore"]
    params = {"n_samples": n_samples, "epochs": epochs, "gamma": gamma, "shuffles": shuffles}
    numbers: dict[str, Any] = {**params, "f_star": d.f_star, "target": TARGET, "tail": TAIL}
    for batch in BATCHES:
        numbers.update({f"{k}_{batch}": v for k, v in _batch_numbers(d, batch, params).items()})
    level = TARGET * d.f_star
    full = _runs(d, d.cond.lr_best, None, epochs, 1)[0]
    long = _runs(d, d.cond.lr_best, None, 100 * epochs, 1)[0]
    numbers.update(
        {
            "lr_full": d.cond.lr_best,
            "epochs_full": Count(first_at_or_below(full, level), epochs),
            "gap_full": float(full[-1]),
            "needed_full": Count(first_at_or_below(long, level), 100 * epochs),
        }
    )
    return numbers


def _lab(params: dict[str, Any], numbers: dict[str, Any]) -> Lab:
    batches = (1, 10, 50, 100)
    controls = (
        Control(
            "batch",
            t("lab.batch"),
            "select",
            "10",
            options=tuple((str(b), t("lab.batch_option", b=b)) for b in batches),
        ),
        Control(
            "factor",
            t("lab.factor"),
            "slider",
            round(numbers["fraction_10"], 3),
            low=0.01,
            high=1.5,
            step=0.005,
        ),
        Control("gamma", t("lab.gamma"), "slider", 1.0, low=0.5, high=1.0, step=0.005),
        Control("seed", t("lab.seed"), "number", 0),
    )
    rows = tuple(
        (r, t(f"lab.{r}", tail=TAIL)) for r in ("lr", "updates", "epochs", "final", "spread")
    )
    columns = (("mini", t("lab.mini")), ("full", t("lab.full")))
    setup = {
        **lab_data(params["n_samples"]),
        "epochs": params["epochs"],
        "shuffles": params["shuffles"],
        "target": TARGET,
        "tail": TAIL,
    }
    return Lab("minibatch", setup, controls, columns=columns, rows=rows)


def _chart() -> Chart:
    return Chart(
        "loss",
        t("fig.loss"),
        t("fig.epoch"),
        t("fig.gap"),
        (
            Series("band", "band", legend=t("fig.band"), color="#74c0fc", alpha=0.5),
            Series("median", "line", legend=t("fig.median"), color="#1864ab", width=2),
            Series("full", "line", legend=t("fig.full"), color="#c92a2a", width=2),
            guide("target", t("fig.target", target=TARGET)),
        ),
        y_log=True,
        y_range=(1e-4, 1e6),
        height=320,
        caption=t("fig.caption"),
    )


def _table(numbers: dict[str, Any]) -> Table:
    columns = ("run", "lr", "updates", "epochs", "band", "band_decay", "band_same_rate")
    rows = [(t("table.batch", b=b), *(numbers[f"{c}_{b}"] for c in columns[1:])) for b in BATCHES]
    rows.append(
        (
            t("table.full"),
            numbers["lr_full"],
            1,
            numbers["epochs_full"],
            numbers["gap_full"],
            None,
            None,
        )
    )
    return Table(
        t("table.title", **numbers), tuple(t(f"table.{c}", **numbers) for c in columns), tuple(rows)
    )


def run(
    *, n_samples: int = 1000, epochs: int = 20, gamma: float = 0.9, shuffles: int = 8
) -> ExperimentResult:
    """二、3: mini-batches get close in a few epochs, then wander in a band decay narrows.

    Examples
    --------
    >>> r = run(n_samples=300, epochs=15, shuffles=3)
    >>> r.numbers["band_decay_1"] < r.numbers["band_1"]
    True
    """
    params: dict[str, Any] = {
        "n_samples": n_samples,
        "epochs": epochs,
        "gamma": gamma,
        "shuffles": shuffles,
    }
    numbers = measure(**params)
    return section_result(
        "minibatch",
        numbers,
        tables=(_table(numbers),),
        charts=(_chart(),),
        lab=_lab(params, numbers),
    )
