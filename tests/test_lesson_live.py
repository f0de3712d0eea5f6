"""The live sections' claims, hints and exercises, asserted on their own numbers.

Oracles: closed forms of the lesson's two-row problem, gdlab's engine rerun at the stated
settings, NumPy's least squares, and the theory's bounds. Every sentence whose regime depends
on the numbers (converged / not within tolerance / diverged) is checked to say the regime
the numbers are in.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from gdlab import schedules
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.report.sections import combined, contours, decay, minibatch, speed
from gdlab.report.sections.part2 import designs, settle


@pytest.fixture(scope="module")
def c() -> dict[str, Any]:
    return contours.measure()


def test_contours_the_seed_problem_in_closed_form(c: dict[str, Any]) -> None:
    # X = [[1, 1], [3, 1]]: X^T X = [[10, 4], [4, 2]], eigenvalues 6 ± sqrt(32); H = X^T X.
    lam = (6 + math.sqrt(32), 6 - math.sqrt(32))
    assert c["kappa_raw"] == pytest.approx(lam[0] / lam[1], rel=1e-12)
    assert c["limit_raw"] == pytest.approx(2 / lam[0], rel=1e-12)
    # z-scored: X^T X = 2 I, H = 2 I: kappa 1, 2/L = 1.
    assert c["kappa_zscore"] == pytest.approx(1.0) and c["limit_zscore"] == pytest.approx(1.0)
    # The claim's counts: 198 raw, 31 z-scored, both within the 100 steps only for z-score.
    assert (c["measured_raw"].value, c["measured_zscore"].value) == (198, 31)
    assert c["shown_raw"].value is None and c["shown_zscore"].value == 31
    assert float(c["max_diff_lesson"]) <= 1e-12  # the engine's path is the lesson's w_cal_rec
    assert c["limit_sharp"] == 1.0  # "past 2/L the path diverges", and not before


def test_contours_measured_never_exceeds_predicted(c: dict[str, Any]) -> None:
    for name in contours.DESIGNS:
        assert c[f"status_{name}"].name == "converged"
        assert c[f"measured_{name}"].value <= float(c[f"predicted_{name}"])


def test_contours_exercises_hold(c: dict[str, Any]) -> None:
    # "lr 0.18 diverges on raw data and converges after z-score".
    assert c["limit_raw"] < 0.18 < c["limit_zscore"]
    r = contours.measure(lr=0.18)
    assert (r["status_raw"].name, r["status_zscore"].name) == ("diverged", "converged")
    # "lr 0.5 = 1/L on z-scored data reaches the minimum in one step".
    A, y = contours.designs()["zscore"], np.array([2.0, 4.0])
    run = descend(LeastSquares(), A, y, lr=0.5, epochs=1, w0=contours.lesson_start())
    np.testing.assert_allclose(run.params[1], np.linalg.lstsq(A, y, rcond=None)[0], atol=1e-12)


def test_contours_words_follow_the_regime() -> None:
    n = contours.measure(lr=0.5)  # past raw data's 2/L, at z-score's 1/L
    raw, z = n["sentence_raw"].get("en"), n["sentence_zscore"].get("en")
    assert "diverges" in raw and "in theory" not in raw
    assert "diverges" not in z and "1 measured" in z
    assert n["measured_raw"].in_language("en") == "not reached (> 500)"
    slow = contours.measure(lr=0.001)
    assert slow["status_raw"].name == "not_within"
    assert "do not bring it within" in slow["sentence_raw"].get("en")


def test_contours_refuses_nothing_it_can_draw_and_the_lab_spans_the_rate() -> None:
    r = contours.run(lr=0.005, steps=20)
    lr = next(ctl for ctl in r.lab.controls if ctl.name == "lr")  # type: ignore[union-attr]
    assert lr.low <= 0.005 and lr.high > r.numbers["limit_zscore"]  # the slider runs past 2/L


# ---------------------------------------------------------------------------------------------
# Part 二


@pytest.fixture(scope="module")
def sp() -> dict[str, Any]:
    return speed.measure()


def test_speed_scaling_shrinks_kappa_and_the_epochs(sp: dict[str, Any]) -> None:
    assert sp["kappa_raw"] > 1e4 > sp["kappa_minmax"] > 100 > sp["kappa_zscore"]
    assert sp["epochs_zscore"].value < sp["epochs_minmax"].value and sp["epochs_raw"].value is None
    for name in ("minmax", "zscore"):  # the worst case bounds the measured count
        assert sp[f"epochs_{name}"].value <= float(sp[f"predicted_{name}"])
    k = sp["kappa_zscore"]
    assert sp["best_fraction_zscore"] == pytest.approx(k / (k + 1))
    d = designs(1000)["zscore"]
    assert d.cond.lr_best == pytest.approx(sp["best_fraction_zscore"] * d.cond.lr_stable)


def test_speed_diverges_past_the_limit() -> None:
    n = speed.measure(n_samples=200, epochs=50, fraction=1.2)
    assert {n[f"status_{s}"].name for s in ("raw", "minmax", "zscore")} == {"diverged"}
    assert n["epochs_zscore"].in_language("en") == "diverged"


@pytest.fixture(scope="module")
def dc() -> dict[str, Any]:
    return decay.measure()


def test_decay_rescues_a_large_rate_and_slows_a_small_one(dc: dict[str, Any]) -> None:
    assert dc["status_large_fixed"].name == "diverged"
    assert dc["status_large_decay"].name == "converged"
    assert dc["epochs_large_decay"].value == 31 and dc["gap_large_decay"] <= 1e-3
    assert dc["gap_small_decay"] > dc["gap_small_fixed"]
    assert dc["sum_small_decay"] <= dc["cap_small"]
    assert dc["cap_small"] == pytest.approx(0.25 * dc["limit"] / (1 - 0.95))
    said = dc["large_said"].get("en")
    assert "makes it converge" in said and "from epoch 31" in said


def test_decay_with_gamma_099_cannot_rescue_the_large_start(dc: dict[str, Any]) -> None:
    # The exercise: 1.25 x 2/L needs ln(1/1.25) / ln(0.99) = 22.2 epochs to fall under 2/L.
    assert dc["under_limit_099"] == pytest.approx(math.log(1 / 1.25) / math.log(0.99))
    n = decay.measure(gamma=0.99)
    assert n["status_large_decay"].name == "diverged"
    assert "diverges before the rate falls under 2/L" in n["large_said"].get("en")


def test_decay_schedules_match_the_labs_kinds() -> None:
    assert decay.schedule("exponential", 0.2, 0.9, 10)(2) == pytest.approx(0.2 * 0.81)
    assert decay.schedule("step", 0.2, 0.5, 30)(10) == pytest.approx(0.1)
    assert decay.schedule("cosine", 0.2, 0.5, 30)(30) == 0.0
    assert decay.schedule("exponential", 0.2, 1.0, 30) == schedules.constant(0.2)


@pytest.fixture(scope="module")
def mb() -> dict[str, Any]:
    return minibatch.measure(shuffles=4)


def test_minibatch_gets_close_in_few_epochs_then_wanders(mb: dict[str, Any]) -> None:
    assert mb["epochs_50"].value <= 5 and mb["epochs_full"].value is None
    assert mb["needed_full"].value > 10 * mb["epochs_50"].value
    assert mb["updates_10"] == 100 and mb["updates_50"] == 20 and mb["updates_1"] == 1000
    # At one rate the band widens as the batch shrinks; decay narrows every band.
    assert mb["band_same_rate_1"] > mb["band_same_rate_10"] > mb["band_same_rate_50"]
    for b in minibatch.BATCHES:
        assert mb[f"band_decay_{b}"] < mb[f"band_{b}"]


def test_minibatch_full_batch_is_unconverged_not_noisy(mb: dict[str, Any]) -> None:
    # Full batch's final gap is far above every mini-batch band: it has not converged yet.
    assert mb["gap_full"] > 100 * max(mb[f"band_{b}"] for b in minibatch.BATCHES)
    words = minibatch.run(n_samples=300, epochs=10, shuffles=2).text.get("en")
    assert "not a band but a run that has not converged yet" in words


@pytest.fixture(scope="module")
def cb() -> dict[str, Any]:
    return combined.measure()


def test_combined_all_three_settle_first(cb: dict[str, Any]) -> None:
    first = cb["epochs_combined"].value
    assert first is not None and first <= 10
    for name in ("no_decay", "no_minibatch", "no_zscore"):
        other = cb[f"epochs_{name}"].value
        assert other is None or other > first
    assert float(cb["f_star_change"]) < 1e-12  # scaling is affine: one f* for all eight


def test_combined_settle_reads_the_gap_the_way_the_claim_says(cb: dict[str, Any]) -> None:
    d = designs(1000)["zscore"]
    rate = schedules.exponential(lr=cb["fraction_111"] * d.cond.lr_stable, gamma=cb["gamma_111"])
    run = descend(LeastSquares(), d.A, d.y, lr=rate, epochs=30, batch_size=50, w0=d.w0, seed=24)
    gap = np.asarray(run.loss) - d.f_star
    assert settle(gap, 0.01 * d.f_star) == cb["epochs_combined"].value
    assert np.all(gap[cb["epochs_combined"].value :] <= 0.01 * d.f_star)
