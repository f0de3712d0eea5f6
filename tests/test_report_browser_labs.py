"""Every lab's live readouts against gdlab's Python numbers: two engines, one truth.

The page's labs compute in JavaScript; each section's module computes the same runs with
gdlab's Python engine (``sections.X.measure()``, whose numbers the page also carries in
``<script id="claims-X">``). At the lab's defaults, and at settings that make runs converge,
stall or diverge, every readout must say what Python says, in the words of its regime
(converged / not within tolerance / diverged; "not reached (> N)", never -1) and in both
languages. Mini-batch runs shuffle with the page's own seeds: their counts are compared within
one epoch and their noise bands within a stated factor; everything deterministic exactly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from browser_page import (
    HAVE_CHROMIUM,
    LABS,
    NO_CHROMIUM,
    console_errors,
    control,
    lesson_page,
    load,
    readout,
    set_control,
    settled,
    start_browser,
    type_into,
)
from gdlab import schedules
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.data import contour_problem
from gdlab.report.prose import Count, Status, fill
from gdlab.report.sections import contours, decay, part2, speed

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
pytest.importorskip("selenium", reason="selenium is not installed")

N_SAMPLES = 1000  # part 二's rows at the page's defaults


@dataclass(frozen=True)
class Near:
    """A number the page shows rounded: equal to ``value`` within ``rel`` (its shown digits)
    or ``atol`` (round-off of a difference of losses, which the page may show as 0)."""

    value: float
    rel: float = 5e-3
    atol: float = 1e-12

    def matches(self, text: str) -> bool:
        shown = float(text.replace(",", ""))
        return math.isclose(shown, self.value, rel_tol=self.rel, abs_tol=self.atol)


@dataclass(frozen=True)
class Within:
    """A number from the page's own shuffles: within ``factor`` of Python's, either way."""

    value: float
    factor: float

    def matches(self, text: str) -> bool:
        shown = float(text.replace(",", ""))
        return self.value / self.factor <= shown <= self.value * self.factor


@dataclass(frozen=True)
class Words:
    """A phrase of the word files, filled from Python's numbers, in each language."""

    key: str
    values: dict[str, Any]

    def in_language(self, lang: str, spec: str = "") -> str:
        return fill(self.key, lang, self.values)


Expected = dict[tuple[str, str], Any]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    return lesson_page(tmp_path_factory).as_uri()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = start_browser("en-US", tmp_path_factory.mktemp("profile"))
    yield driver
    driver.quit()


@pytest.fixture
def shown(browser: Any, page: str) -> Iterator[Any]:
    """The browser showing the page as it opens, for a test that only reads it."""
    load(browser, page)
    browser.get_log("browser")
    yield browser
    assert console_errors(browser) == []


@pytest.fixture
def driver(browser: Any, page: str) -> Iterator[Any]:
    """The browser showing the page as it opens, for a test that changes it."""
    load(browser, page, changes=True)
    browser.get_log("browser")
    yield browser
    assert console_errors(browser) == []


def claims(driver: Any, key: str) -> dict[str, Any]:
    """The section's Python numbers, as the page carries them."""
    text = driver.execute_script(f"return document.getElementById('claims-{key}').textContent")
    numbers: dict[str, Any] = json.loads(text)
    return numbers


def check_readouts(driver: Any, key: str, expected: Expected) -> None:
    """Each readout says what ``expected`` holds, in both languages."""
    for (row, column), want in expected.items():
        for lang in ("en", "zh"):
            if isinstance(want, str) or hasattr(want, "in_language"):
                text = want if isinstance(want, str) else want.in_language(lang)
                got = settled(
                    driver, lambda r=row, c=column, g=lang: readout(driver, key, r, c, g), text
                )
                assert got == text, f"{key} {row}/{column} ({lang})"
            else:
                got = readout(driver, key, row, column, lang)
                assert want.matches(got), f"{key} {row}/{column}: {got} against {want}"


def contours_expected(numbers: dict[str, Any]) -> Expected:
    out: Expected = {}
    for column, design in (("raw", "raw"), ("scaled", "zscore")):
        factor, status = numbers[f"factor_{design}"], numbers[f"status_{design}"].name
        edge = abs(factor - 1) <= 1e-12
        words = "lab.factor_edge" if edge else "lab.factor_diverges" if factor > 1 else None
        shown = Words(words, {"factor": factor}) if words else f"{factor:.4f}"
        if status == "diverged":
            run = descend(
                LeastSquares(),
                contours.designs()[design],
                contour_problem()[2],
                lr=numbers["lr"],
                epochs=contours.BUDGET,
                w0=contours.lesson_start(),
            )
            # The step at which gdlab's engine stops the run as diverged (its loss past
            # 1000 x its reference), which the page's engine must find too.
            measured: Any = Words("lab.measured_diverged", {"k": int(run.step[-1])})
        else:
            measured = numbers[f"measured_{design}"]
        out.update(
            {
                ("kappa", column): f"{numbers[f'kappa_{design}']:.2f}",
                ("limit", column): f"{numbers[f'limit_{design}']:.4g}",
                ("factor", column): shown,
                ("predicted", column): numbers[f"predicted_{design}"],
                ("measured", column): measured,
            }
        )
    return out


def speed_expected(numbers: dict[str, Any]) -> Expected:
    out: Expected = {}
    for name in ("raw", "minmax", "zscore"):
        diverged = numbers[f"status_{name}"].name == "diverged"
        out.update(
            {
                ("kappa", name): f"{numbers[f'kappa_{name}']:,.1f}",
                ("lr", name): f"{numbers[f'lr_{name}']:.4g}",
                ("predicted", name): numbers[f"predicted_{name}"],
                ("measured", name): numbers[f"epochs_{name}"],
                ("gap", name): Status("diverged") if diverged else Near(numbers[f"gap_{name}"]),
            }
        )
    return out


def decay_expected(numbers: dict[str, Any]) -> Expected:
    out: Expected = {}
    for column, run in (("fixed", "large_fixed"), ("decay", "large_decay")):
        status = numbers[f"status_{run}"]
        gap = numbers[f"gap_{run}"]
        out.update(
            {
                ("status", column): status,
                ("reached", column): numbers[f"epochs_{run}"],
                ("gap", column): status if status.name == "diverged" else f"{gap:.1e}",
                ("sum", column): f"{numbers[f'sum_{run}']:.3g}",
            }
        )
    return out


def test_contours_lab_shows_the_sections_numbers(shown: Any) -> None:
    driver = shown
    numbers = contours.measure()
    # The lesson's design: kappa_raw = (6 + sqrt(32)) / (6 - sqrt(32)), z-score makes it 1.
    assert numbers["kappa_raw"] == pytest.approx((6 + 32**0.5) / (6 - 32**0.5), rel=1e-12)
    check_readouts(driver, "contours", contours_expected(numbers))
    shown = [
        readout(driver, "contours", r, c) for r in ("kappa", "measured") for c in ("raw", "scaled")
    ]
    assert shown == ["33.97", "1.00", "198", "31"]


def test_speed_lab_shows_the_sections_numbers(shown: Any) -> None:
    driver = shown
    numbers = speed.measure()
    check_readouts(driver, "speed", speed_expected(numbers))
    shown = [readout(driver, "speed", "measured", c) for c in ("zscore", "minmax", "raw")]
    assert shown == ["147", "4,466", "not reached (> 5,000)"]


def test_decay_lab_shows_the_sections_numbers(shown: Any) -> None:
    driver = shown
    check_readouts(driver, "decay", decay_expected(decay.measure()))
    assert [readout(driver, "decay", "reached", c) for c in ("decay", "fixed")] == [
        "31",
        "diverged",
    ]


def _full_batch_tail(n: dict[str, Any]) -> float:
    """Python's mean loss gap of full batch at 2/(L + mu) over the lab's last epochs."""
    d = part2.designs(N_SAMPLES)["zscore"]
    run = descend(LeastSquares(), d.A, d.y, lr=d.cond.lr_best, epochs=int(n["epochs"]), w0=d.w0)
    return float(np.mean(np.asarray(run.loss)[-int(n["tail"]) :] - d.f_star))


def test_minibatch_lab_shows_the_sections_numbers(shown: Any) -> None:
    driver = shown
    n = claims(driver, "minibatch")
    budget = int(n["epochs"])
    check_readouts(
        driver,
        "minibatch",
        {
            ("lr", "mini"): f"{n['lr_10']:.3g}",  # the lab opens at batch 10's tuned rate
            ("updates", "mini"): f"{math.ceil(N_SAMPLES / 10):,}",
            ("final", "mini"): Within(n["band_10"], 2.0),
            ("lr", "full"): f"{n['lr_full']:.3g}",
            ("updates", "full"): "1",
            ("epochs", "full"): Count(n["epochs_full"], budget),
            ("final", "full"): Near(_full_batch_tail(n)),
            ("spread", "full"): Words("sections.minibatch.lab.no_randomness", {}),
        },
    )
    epochs = int(readout(driver, "minibatch", "epochs", "mini"))
    assert abs(epochs - n["epochs_10"]) <= 1  # the page's shuffles, not Python's


def test_combined_lab_shows_the_sections_numbers(shown: Any) -> None:
    driver = shown
    n = claims(driver, "combined")
    limits = {name: d.cond.lr_stable for name, d in part2.designs(N_SAMPLES).items()}
    for column in ("all", "yours"):  # "yours" opens at the tuned "all three"
        check_readouts(
            driver,
            "combined",
            {
                ("rate", column): f"{n['fraction_111'] * limits['zscore']:.3g}",
                ("factor_used", column): f"{n['gamma_111']:g}",
                ("final", column): Within(n["final_111"], 3.0),
            },
        )
        settle = int(readout(driver, "combined", "settle", column))
        assert abs(settle - n["epochs_111"]) <= 1  # the page's shuffles, not Python's
    check_readouts(
        driver,
        "combined",
        {
            ("rate", "none"): f"{n['fraction_000'] * limits['raw']:.3g}",
            ("factor_used", "none"): "—",
            ("settle", "none"): Count(n["epochs_000"], int(n["epochs"])),
            ("final", "none"): f"{n['final_000']:.3g}",
        },
    )
    assert readout(driver, "combined", "settle", "all") == "6"


@pytest.mark.parametrize(
    "lr", [0.1, 1e-3, 0.183, "2/L"], ids=["converged", "not-within", "diverged", "at-2-over-L"]
)
def test_contours_words_match_the_regime(driver: Any, lr: float | str) -> None:
    if lr == "2/L":  # raw data's own limit, to the last digit: neither converges nor diverges
        lr = contours.measure()["limit_raw"]
    assert isinstance(lr, float)
    type_into(control(driver, "contours", "lr"), repr(lr))
    check_readouts(driver, "contours", contours_expected(contours.measure(lr=lr)))


@pytest.mark.parametrize("fraction", [1.2, 0.3])
def test_speed_words_match_the_regime(driver: Any, fraction: float) -> None:
    set_control(driver, "speed", "fraction", fraction)
    set_control(driver, "speed", "epochs", 1000)
    check_readouts(driver, "speed", speed_expected(speed.measure(fraction=fraction, epochs=1000)))


@pytest.mark.parametrize(("factor", "gamma"), [(0.25, 0.95), (1.25, 0.99), (1.25, 0.5)])
def test_decay_words_match_the_regime(driver: Any, factor: float, gamma: float) -> None:
    set_control(driver, "decay", "factor", factor)
    set_control(driver, "decay", "gamma", gamma)
    numbers = decay.measure(too_large=factor, gamma=gamma)
    check_readouts(driver, "decay", decay_expected(numbers))


def test_a_diverging_run_says_diverged_in_every_lab(driver: Any) -> None:
    # Rates far past 2/L in the part-二 labs: a readout shows the word, never a number.
    d = part2.designs(N_SAMPLES)["zscore"]
    for seed in range(24, 32):
        run = descend(
            LeastSquares(),
            d.A,
            d.y,
            lr=1.5 * d.cond.lr_stable,
            epochs=20,
            batch_size=10,
            w0=d.w0,
            seed=seed,
        )
        assert run.status == "diverged"
    set_control(driver, "minibatch", "factor", 1.5)
    diverged = Status("diverged")
    check_readouts(driver, "minibatch", {("epochs", "mini"): diverged, ("final", "mini"): diverged})
    rate = schedules.constant(1.5 * d.cond.lr_stable)
    assert descend(LeastSquares(), d.A, d.y, lr=rate, epochs=30, w0=d.w0).status == "diverged"
    set_control(driver, "combined", "minibatch", False)
    set_control(driver, "combined", "decay", False)
    set_control(driver, "combined", "factor", 1.5)
    check_readouts(
        driver, "combined", {("settle", "yours"): diverged, ("final", "yours"): diverged}
    )


_CELLS_JS = """
return Array.from(document.querySelectorAll('td, th')).flatMap((c) => {
  const spans = c.querySelectorAll(':scope > [lang]');
  return spans.length ? Array.from(spans, (s) => s.textContent.trim()) : [c.textContent.trim()];
});
"""


def test_no_cell_says_minus_one(driver: Any) -> None:
    # "Not reached" is said in words in every table and readout, both languages, in every lab
    # at its defaults and with the speed lab's budget cut short.
    set_control(driver, "speed", "epochs", 100)
    assert readout(driver, "speed", "measured", "minmax") == "not reached (> 100)"
    cells = driver.execute_script(_CELLS_JS)
    assert len(cells) > 50
    assert [c for c in cells if c.replace("−", "-") in ("-1", "-1.0")] == []
    shown = driver.execute_script(
        "return Array.from(document.querySelectorAll('.lab'), (e) => e.dataset.section)"
    )
    assert set(LABS) <= set(shown)


def _lab_values(driver: Any, key: str, names: list[str]) -> dict[str, Any]:
    return {
        name: (
            c.is_selected() if c.get_attribute("type") == "checkbox" else c.get_attribute("value")
        )
        for name in names
        for c in [control(driver, key, name)]
    }


def _decay_column(kind: str, factor: float, gamma: float, epochs: int) -> Expected:
    """The decayed column of the decay lab, from gdlab's Python engine."""
    d = part2.designs(N_SAMPLES)["zscore"]
    rate = decay.schedule(kind, factor * d.cond.lr_stable, gamma, epochs)
    run = descend(LeastSquares(), d.A, d.y, lr=rate, epochs=epochs, w0=d.w0)
    gap = part2.relative_gap(run, d.f_star)
    status, reached = part2.outcome(run, part2.settle(gap, decay.RTOL), epochs)
    diverged = status.name == "diverged"
    return {
        ("status", "decay"): status,
        ("reached", "decay"): reached,
        ("gap", "decay"): status if diverged else f"{gap[-1]:.1e}",
        ("sum", "decay"): f"{np.sum(rate(np.arange(epochs))):.3g}",
    }


def test_changing_one_decay_control_keeps_the_others(driver: Any) -> None:
    moves = [("factor", 0.5), ("gamma", 0.8), ("kind", "step"), ("epochs", 200), ("factor", 0.3)]
    done: dict[str, Any] = {}
    for name, value in moves:
        set_control(driver, "decay", name, value)
        done[name] = str(value)
        assert _lab_values(driver, "decay", list(done)) == done
        args = {"kind": "exponential", "factor": 1.25, "gamma": 0.95, "epochs": 150}
        args.update({k: type(args[k])(v) for k, v in done.items()})
        check_readouts(driver, "decay", _decay_column(**args))
    set_control(driver, "decay", "kind", "cosine")  # cosine down to 0 over the epochs
    check_readouts(driver, "decay", _decay_column("cosine", 0.3, 0.8, 200))


def test_changing_one_combined_control_keeps_the_others(driver: Any) -> None:
    # Full batch, so that "your settings" are deterministic and Python can replay them.
    n = claims(driver, "combined")
    d = part2.designs(N_SAMPLES)["zscore"]
    set_control(driver, "combined", "minibatch", False)
    for name, value in (("factor", 0.5), ("gamma", 0.9), ("factor", 0.7)):
        set_control(driver, "combined", name, value)
        values = _lab_values(
            driver, "combined", ["zscore", "minibatch", "decay", "factor", "gamma"]
        )
        assert values["zscore"] and not values["minibatch"] and values["decay"]
        factor, gamma = float(values["factor"]), float(values["gamma"])
        assert (factor, gamma)[("factor", "gamma").index(name)] == value
        rate = schedules.exponential(lr=factor * d.cond.lr_stable, gamma=gamma)
        run = descend(LeastSquares(), d.A, d.y, lr=rate, epochs=int(n["epochs"]), w0=d.w0)
        gap = np.asarray(run.loss) - d.f_star
        settle = part2.settle(gap, n["target"] * d.f_star)
        check_readouts(
            driver,
            "combined",
            {
                ("rate", "yours"): f"{factor * d.cond.lr_stable:.3g}",
                ("factor_used", "yours"): f"{gamma:g}",
                ("settle", "yours"): Count(settle, int(n["epochs"])),
                ("final", "yours"): Near(float(max(gap[-1], 0.0)), rel=5e-3, atol=1e-9),
            },
        )
