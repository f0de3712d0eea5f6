"""一、3, what scaling costs: coefficients on scaled data lose their units.

Least squares on the z-scored features of 一、2's data gives effects per standard deviation,
and an intercept that is the prediction at the features' means. Scaling is affine, so
:func:`gdlab.analysis.coefficients_to_raw` maps the coefficients back to recorded units, and
the recording units take them back to the law's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.analysis import coefficients_to_raw
from gdlab.datasets import add_intercept
from gdlab.report.charts import Chart, Series
from gdlab.report.data import LAW, UNITS, unit_mismatch_data
from gdlab.report.outline import section_result, words
from gdlab.report.params import Param
from gdlab.report.prose import Tiny
from gdlab.report.result import ExperimentResult, Table
from gdlab.scaling import StandardScaler

PARAMS: tuple[Param, ...] = ()
READINGS = ("scaled", "raw", "law")
NAMES = ("w1", "w2", "intercept")
t = words("interpretability")

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Readings:
    """One model read three ways: per standard deviation, per recorded unit, in the law's
    units; and the least-squares fit on the raw data, for comparison."""

    scaled: Array
    raw: Array
    law: Array
    direct: Array


def _readings() -> Readings:
    X, y, _, _ = unit_mismatch_data()
    scaler = StandardScaler().fit(X)
    scaled = np.linalg.lstsq(add_intercept(scaler.transform(X)), y, rcond=None)[0]
    back = coefficients_to_raw(scaled, x_scaler=scaler)
    raw = np.append(back.coef, back.intercept)
    law = np.append(back.coef * np.asarray(UNITS), back.intercept)
    direct = np.linalg.lstsq(add_intercept(X), y, rcond=None)[0]
    return Readings(scaled, raw, law, direct)


def measure() -> dict[str, Any]:
    """The numbers of the section.

    Returns
    -------
    dict
        ``w_<reading>_<i>`` for the readings ``scaled`` (least squares on z-scored features),
        ``raw`` (mapped back by ``coefficients_to_raw``) and ``law`` (the recording units
        undone), ``i`` = 0, 1, 2 for w1, w2 and the intercept; ``max_diff_direct`` (``raw``
        against least squares on the raw data), ``y_mean`` (the labels' mean), ``sd_1``,
        ``sd_2`` (the features' standard deviations as recorded) and ``sd_law_1``,
        ``sd_law_2`` (in the law's units).
    """
    r = _readings()
    X, y, _, _ = unit_mismatch_data()
    sd, sd_law = X.std(0), (X / np.asarray(UNITS)).std(0)
    return {
        **{f"w_{k}_{i}": float(v) for k in READINGS for i, v in enumerate(getattr(r, k))},
        # lstsq on the mis-scaled design rounds at about 1e-12 of coefficients near 2,000.
        "max_diff_direct": Tiny(float(np.max(np.abs(r.raw - r.direct))), bound=1e-9),
        "y_mean": float(y.mean()),
        "sd_1": float(sd[0]),
        "sd_2": float(sd[1]),
        "sd_law_1": float(sd_law[0]),
        "sd_law_2": float(sd_law[1]),
    }


def _table(numbers: dict[str, Any]) -> Table:
    rows = tuple(
        (t(f"table.{name}"), *(numbers[f"w_{k}_{i}"] for k in READINGS), LAW[i])
        for i, name in enumerate(NAMES)
    )
    columns = tuple(t(f"table.{c}") for c in ("coefficient", *READINGS, "truth"))
    return Table(t("table.title"), columns, rows)


def _chart(numbers: dict[str, Any]) -> Chart:
    colors = {"scaled": "#1864ab", "raw": "#d9480f", "law": "#2b8a3e"}
    series = tuple(
        Series(
            k,
            "vbar",
            {
                "x": [i + (j - 1) * 0.25 for i in range(3)],
                "top": [abs(numbers[f"w_{k}_{i}"]) for i in range(3)],
            },
            t(f"fig.{k}"),
            colors[k],
            width=0.23,
        )
        for j, k in enumerate(READINGS)
    )
    return Chart(
        "coefficients",
        t("fig.title"),
        t("fig.x"),
        t("fig.y"),
        series,
        caption=t("fig.caption", **numbers),
        y_log=True,
        y_range=(1e-2, 1e4),
        x_range=(-0.6, 2.6),
        x_ticks=(0.0, 1.0, 2.0),
        height=300,
    )


def run() -> ExperimentResult:
    """一、3: coefficients per standard deviation, per recorded unit and in the law's units.

    Examples
    --------
    >>> r = run()
    >>> [round(r.numbers[f"w_law_{i}"], 2) for i in range(3)]
    [200.0, -1.0, 1.0]
    """
    numbers = measure()
    return section_result(
        "interpretability", numbers, tables=(_table(numbers),), charts=(_chart(numbers),)
    )
