"""The lesson report's experiments: the lesson's printed numbers, closed forms, theory.

Golden values marked "seed" are the outputs printed in the lesson text
(../shared/seed/lesson-4.5-part1.zh.txt); the others come from closed forms, NumPy's
eigensolver or scikit-learn, as each comment says.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler as SkStandardScaler

from gdlab.report import contours, scalers, units
from gdlab.report.data import design, regression_problem
from gdlab.report.demo import DemoRun, experiments, run_demo


@pytest.fixture(scope="module")
def demo() -> DemoRun:
    return run_demo(None, quick=True)


def test_every_lesson_section_is_in_the_report(demo: DemoRun) -> None:
    sections = " ".join(r.section for r in demo.results)
    for n in range(1, 11):
        assert re.search(rf"§{n}\b|§\d+-{n}\b|§{n}-\d+", sections), f"§{n} missing"
    assert [r.key for r in demo.results] == [
        "formulas",
        "outliers",
        "units",
        "contours",
        "speed",
        "decay",
        "minibatch",
        "combined",
        "conditioning",
        "stability",
        "iterations",
    ]
    for r in demo.results:
        assert r.images, f"{r.key} has no figure"
        assert r.tables and r.text and r.headline
        assert all(img.png.startswith(b"\x89PNG") for img in r.images)
    assert len(experiments(quick=True)) == len(demo.results)


def test_scaler_formulas_match_the_lesson_printout() -> None:
    r = scalers.scaler_formulas()
    rows = np.array(r.tables[0].rows, dtype=float)
    # seed: maxmin_norm(a), z_score(a) and sigmoid(a) on a = np.arange(12).reshape(6, 2)
    np.testing.assert_allclose(rows[:, 2], [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    np.testing.assert_allclose(
        rows[:, 4],
        [-1.46385011, -0.87831007, -0.29277002, 0.29277002, 0.87831007, 1.46385011],
        atol=1e-8,
    )
    np.testing.assert_allclose(
        rows[:, 7],
        [0.73105858, 0.95257413, 0.99330715, 0.99908895, 0.99987661, 0.9999833],
        atol=1e-8,
    )
    assert max(r.numbers[k] for k in r.numbers if k.startswith("max_diff")) < 1e-12
    assert r.numbers["corr_raw"] == pytest.approx(r.numbers["corr_minmax"], abs=1e-12)


def test_outliers_match_the_lesson_printout() -> None:
    r = scalers.outliers()
    rows = np.array(r.tables[0].rows, dtype=float)
    # seed: maxmin_norm(a)[:, 1] and z_score(a)[:, 1] with a[1, 1] = 100
    np.testing.assert_allclose(rows[:, 3], [0, 1, 0.04040404, 0.06060606], atol=1e-8)
    np.testing.assert_allclose(
        rows[:, 5], [-0.65692457, 1.72970047, -0.56049527, -0.51228063], atol=1e-8
    )
    assert r.numbers["minmax_others_span"] == pytest.approx(0.06060606, abs=1e-8)


def test_unit_mismatch_matches_the_lesson_printout() -> None:
    r = units.unit_mismatch()
    n = r.numbers
    # seed: np.linalg.lstsq(features, labels)[0] = [1999.99618924, -0.0999852807, 0.99970541]
    assert n["w_raw_0"] == pytest.approx(1999.99618924, rel=1e-10)
    assert n["ratio_raw"] == pytest.approx(1999.99618924 / -9.99852807e-02, rel=1e-8)
    # seed: w after min-max of features and labels = [0.99847747, -0.00622912, 0.00410845]
    assert n["w_minmax_0"] == pytest.approx(0.99847747, abs=1e-8)
    assert n["w_minmax_1"] == pytest.approx(-0.00622912, abs=1e-8)
    preds = np.array(r.tables[1].rows, dtype=float)
    # seed: yhat[:5] after the inverse transform, and labels1[:5]
    np.testing.assert_allclose(
        preds[:, 1],
        [479.25093691, 280.4665185, -290.1646276, -21.94619293, -302.70229372],
        atol=1e-7,
    )
    np.testing.assert_allclose(
        preds[:, 2],
        [479.25042102, 280.45978588, -290.16538845, -21.94008706, -302.70455066],
        atol=1e-7,
    )
    assert abs(n["ratio_zscore"] + 200) < 5  # per-standard-deviation units recover the law


def test_contours_kappa_and_steps_follow_the_closed_form() -> None:
    r = contours.lesson_contours()
    n = r.numbers
    # Closed form: the raw Hessian 2 X^T X / 2 = [[10, 4], [4, 2]] has eigenvalues 6 +- sqrt(32).
    assert n["kappa_raw"] == pytest.approx((6 + math.sqrt(32)) / (6 - math.sqrt(32)), rel=1e-10)
    assert n["kappa_scaled"] == pytest.approx(1.0, abs=1e-12)
    # Z-scored the Hessian is 2 I, lr 0.1 contracts by 0.8 exactly: ceil(log 1e-3 / log 0.8).
    assert n["steps_scaled"] == math.ceil(math.log(1e-3) / math.log(0.8)) == 31
    # Raw, the slow direction contracts by 1 - 0.1 mu: more than the 100 steps run.
    assert n["steps_raw"] == -1
    assert n["predicted_raw"] > 100
    assert n["max_diff_lesson"] < 1e-12  # the engine retraces the lesson's w_cal_rec


def test_scaling_speeds_descent_and_zscore_beats_minmax(demo: DemoRun) -> None:
    n = demo.result("speed").numbers
    assert n["kappa_z-score"] < n["kappa_min-max"] < n["kappa_raw"]
    assert 0 < n["epochs_z-score"] < n["epochs_min-max"]
    assert n["epochs_raw"] == -1
    for name in ("z-score", "min-max"):
        assert n[f"epochs_{name}"] <= n[f"predicted_{name}"]
    # Oracle for kappa: NumPy's eigenvalues of 2 A^T A / m with scikit-learn's z-score.
    X, _ = regression_problem(300)
    A = np.hstack([SkStandardScaler().fit_transform(X), np.ones((300, 1))])
    eig = np.linalg.eigvalsh(2 * A.T @ A / 300)
    assert n["kappa_z-score"] == pytest.approx(eig[-1] / eig[0], rel=1e-9)
    np.testing.assert_allclose(design(X, "z-score"), A, atol=1e-12)


def test_decay_rescues_a_large_rate_and_slows_a_small_one(demo: DemoRun) -> None:
    n = demo.result("decay").numbers
    assert n["diverged_large_fixed"] == 1.0
    assert n["diverged_large_decay"] == 0.0 and n["epochs_large_decay"] > 0
    assert n["peak_large_decay"] > 1.0  # it oscillates upward before converging
    assert n["epochs_small_fixed"] > 0
    assert n["gap_small_decay"] > 1e3 * max(n["gap_small_fixed"], 1e-16)


def test_minibatch_is_faster_per_epoch_and_decay_shrinks_the_band(demo: DemoRun) -> None:
    n = demo.result("minibatch").numbers
    full = n["epochs_full"] if n["epochs_full"] > 0 else math.inf
    assert 0 < n["epochs_minibatch"] < full
    assert 0 < n["epochs_sgd"] < full
    assert n["band_minibatch"] < n["band_sgd"]
    assert n["band_sgd_decay"] < 0.5 * n["band_sgd"]
    assert n["band_minibatch_decay"] < n["band_minibatch"]


def test_combined_strategy_matches_the_lesson_loop(demo: DemoRun) -> None:
    n = demo.result("combined").numbers
    assert n["loss_combined"] >= n["optimal_loss"] - 1e-9  # scikit-learn's optimum is a floor
    assert n["loss_full"] > n["loss_combined"]
    # Same recipe, different shuffles: the engine and the course's sgd_cal land together.
    assert n["loss_lesson"] == pytest.approx(n["loss_combined"], rel=0.05)
    assert n["test_acc_combined"] > 0.8


def test_theory_predicts_the_stability_limit_and_iteration_counts(demo: DemoRun) -> None:
    limit = demo.result("stability").numbers
    for key, ratio in limit.items():
        if key.startswith("ratio_"):
            assert ratio == pytest.approx(1.0, abs=1e-2), key
    assert limit["map_full_diverged_below"] == 0 and limit["map_full_stable_above"] == 0
    # Single-row steps see more curvature than the average: SGD's edge sits below 2 / L.
    assert limit["map_edge_batch_1"] < limit["map_edge_batch_50"] <= 1.0
    counts = demo.result("iterations").numbers
    problems = [k[len("predicted_") :] for k in counts if k.startswith("predicted_")]
    assert len(problems) == 4
    for p in problems:
        predicted, measured = counts[f"predicted_{p}"], counts[f"measured_{p}"]
        assert 0 < measured <= predicted, p
        assert measured >= 0.85 * predicted, p  # the bound is nearly tight on these starts
    # Where the start excites both extreme eigenvectors the bound is exact.
    assert counts["measured_s6_raw"] == counts["predicted_s6_raw"]


def test_conditioning_table_agrees_with_numpy(demo: DemoRun) -> None:
    n = demo.result("conditioning").numbers
    X, _ = regression_problem(300)
    A = np.hstack([X, np.ones((300, 1))])
    eig = np.linalg.eigvalsh(2 * A.T @ A / 300)
    assert n["kappa_raw"] == pytest.approx(eig[-1] / eig[0], rel=1e-9)
    assert n["kappa_zscore"] < n["kappa_minmax"] < n["kappa_raw"]
