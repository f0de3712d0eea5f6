"""二、4: the combined strategy, z-score + mini-batch + exponential decay.

On part 二's data both problems bite: raw features are mis-scaled (κ in the tens of
thousands) and, even z-scored, the correlated features leave κ about 20, so full batch needs
many passes while mini-batches bring gradient noise. Every combination of the three
ingredients gets the same budget and its own best settings from one stated grid (rates
``2/L x (1/64 … 1)`` of its own design, decay factors 0.8 / 0.9 / 0.95); the measure is the
epoch from which the loss stays within 1 % of the optimum. The page's lab toggles each
ingredient and runs it live beside the tuned "all three" and "none".
"""

from __future__ import annotations

import itertools
from typing import Any

from gdlab.report.charts import Chart, Series, guide
from gdlab.report.lab import Control, Lab
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.prose import Count, Tiny
from gdlab.report.result import ExperimentResult, Table
from gdlab.report.sections.part2 import Tuned, designs, lab_data, settle, tune

PARAMS = (
    Param("n_samples", 1000, 100, 20_000),
    Param("epochs", 30, 5, 500),
    Param("batch_size", 50, 1, 1_000),
    Param("target", 0.01, 1e-6, 1.0),
)
GAMMAS = (0.8, 0.9, 0.95)
ABLATIONS = {"combined": "111", "no_zscore": "011", "no_minibatch": "101", "no_decay": "110"}
t = words("combined")


def _tuned(code: str, params: dict[str, Any], level: float) -> Tuned:
    zscore, minibatch, decay = (flag == "1" for flag in code)
    return tune(
        params["n_samples"],
        "zscore" if zscore else "raw",
        params["batch_size"] if minibatch else None,
        GAMMAS if decay else (1.0,),
        params["epochs"],
        lambda gap: settle(gap, level),
    )


def measure(
    *, n_samples: int = 1000, epochs: int = 30, batch_size: int = 50, target: float = 0.01
) -> dict[str, Any]:
    """Every combination of the three ingredients, each at its best grid settings.

    Returns
    -------
    dict
        ``epochs_<z><m><d>`` for each combination (``1``/``0`` for z-score, mini-batch, decay:
        the epoch from which ``f − f* ≤ target · f*`` holds to the end, a Count within the
        budget), ``fraction_...`` (its rate, x its design's 2/L), ``gamma_...`` and
        ``final_...`` (its final ``f − f*``); ``epochs_combined``, ``epochs_no_zscore``,
        ``epochs_no_minibatch``, ``epochs_no_decay``; ``loose_combined``,
        ``loose_no_decay`` (the same at 10 x ``target``, tuned again); ``needed_full``
        (z-scored full batch at 2/(L + μ), with no budget); ``f_star`` and the settings.

    Examples
    --------
    >>> n = measure(n_samples=500)
    >>> n["epochs_combined"].value < n["epochs_no_decay"].value
    True
    """
    params = {"n_samples": n_samples, "epochs": epochs, "batch_size": batch_size}
    d = designs(n_samples)["zscore"]
    level = target * d.f_star
    numbers: dict[str, Any] = {**params, "target": target, "f_star": d.f_star}
    for flags in itertools.product("10", repeat=3):
        code = "".join(flags)
        best = _tuned(code, params, level)
        numbers[f"epochs_{code}"] = Count(best.epoch, epochs)
        numbers.update(
            {
                f"fraction_{code}": best.fraction,
                f"gamma_{code}": best.gamma,
                f"final_{code}": best.final,
            }
        )
    for name, code in ABLATIONS.items():
        numbers[f"epochs_{name}"] = numbers[f"epochs_{code}"]
    for name in ("combined", "no_decay"):
        loose = _tuned(ABLATIONS[name], params, 10 * level)
        numbers[f"loose_{name}"] = Count(loose.epoch, epochs)
    raw = designs(n_samples)["raw"]
    numbers["f_star_change"] = Tiny(abs(raw.f_star - d.f_star) / d.f_star)
    numbers["needed_full"] = Count(
        _tuned("100", {**params, "epochs": 100 * epochs}, level).epoch, 100 * epochs
    )
    return numbers


def _lab(params: dict[str, Any], numbers: dict[str, Any]) -> Lab:
    controls = (
        Control("zscore", t("lab.zscore"), "checkbox", True),
        Control("minibatch", t("lab.minibatch", batch_size=params["batch_size"]), "checkbox", True),
        Control("decay", t("lab.decay"), "checkbox", True),
        Control(
            "factor",
            t("lab.factor"),
            "slider",
            round(numbers["fraction_111"], 3),
            low=0.005,
            high=1.5,
            step=0.005,
        ),
        Control(
            "gamma", t("lab.gamma"), "slider", numbers["gamma_111"], low=0.5, high=0.995, step=0.005
        ),
    )
    tuned = {
        code: {"fraction": numbers[f"fraction_{code}"], "gamma": numbers[f"gamma_{code}"]}
        for code in ("111", "000")
    }
    setup = {**lab_data(params["n_samples"]), **params, "target": numbers["target"], "tuned": tuned}
    rows = tuple((r, t(f"lab.{r}", **numbers)) for r in ("rate", "factor_used", "settle", "final"))
    columns = tuple((c, t(f"lab.{c}")) for c in ("yours", "all", "none"))
    return Lab("combined", setup, controls, columns=columns, rows=rows)


def _chart(numbers: dict[str, Any]) -> Chart:
    return Chart(
        "loss",
        t("fig.loss"),
        t("fig.epoch"),
        t("fig.gap"),
        (
            Series("yours", "line", legend=t("lab.yours"), color="#1864ab", width=2.5),
            Series("all", "line", legend=t("lab.all"), color="#2b8a3e", width=1.5, dash="dashed"),
            Series("none", "line", legend=t("lab.none"), color="#c92a2a", width=1.5, dash="dashed"),
            guide("target", t("fig.target", **numbers)),
        ),
        y_log=True,
        y_range=(1e-4, 1e6),
        height=320,
        caption=t("fig.caption"),
    )


def _table(numbers: dict[str, Any]) -> Table:
    rows = tuple(
        (
            t(f"table.row_{code}"),
            numbers[f"fraction_{code}"],
            numbers[f"gamma_{code}"] if code[2] == "1" else None,
            numbers[f"epochs_{code}"],
            numbers[f"final_{code}"],
        )
        for code in ("".join(f) for f in itertools.product("10", repeat=3))
    )
    columns = ("run", "fraction", "gamma", "epochs", "final")
    return Table(
        t("table.title", **numbers), tuple(t(f"table.{c}", **numbers) for c in columns), rows
    )


def run(
    *, n_samples: int = 1000, epochs: int = 30, batch_size: int = 50, target: float = 0.01
) -> ExperimentResult:
    """二、4: the three ingredients together settle soonest; each one removed costs epochs.

    Examples
    --------
    >>> r = run(n_samples=500)
    >>> r.numbers["epochs_no_minibatch"].value is None
    True
    """
    params = {"n_samples": n_samples, "epochs": epochs, "batch_size": batch_size}
    numbers = measure(**params, target=target)
    return section_result(
        "combined",
        numbers,
        tables=(_table(numbers),),
        charts=(_chart(numbers),),
        lab=_lab(params, numbers),
    )
