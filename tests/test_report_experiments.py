"""Every section of the lesson report proves its claim, on the numbers the page shows.

The numbers are read back from the written page (``<script id="claims-KEY">``), so a test
checks what a reader sees. Golden values marked "seed" are the outputs printed in the lesson
text (../shared/seed/lesson-4.5-part1.zh.txt); the others come from closed forms, NumPy's
eigensolver or scikit-learn, as each comment says.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsRegressor
from sklearn.preprocessing import StandardScaler as SkStandardScaler

from gdlab import lesson
from gdlab.report import contours, outliers, scalers, units
from gdlab.report.data import regression_problem
from gdlab.report.demo import DemoRun, run_demo
from gdlab.report.legacy_rng import lesson_seed

OUTLINE = [
    ("formulas", "一、1"),
    ("units", "一、2"),
    ("affine", "一、3"),
    ("interpretability", "一、3"),
    ("trees", "一、3"),
    ("contours", "一、3"),
    ("outliers", "一、4"),
    ("speed", "二、1"),
    ("decay", "二、2"),
    ("minibatch", "二、3"),
    ("combined", "二、4"),
    ("conditioning", "附录 1"),
    ("stability", "附录 2"),
    ("iterations", "附录 3"),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    return run_demo(tmp_path_factory.mktemp("report") / "out", quick=True)


@pytest.fixture(scope="module")
def page(demo: DemoRun) -> str:
    assert demo.path is not None
    return Path(demo.path).read_text(encoding="utf-8")


def claims(page: str, key: str) -> dict[str, Any]:
    """The measured numbers the page embeds for section ``key`` (null: infinite)."""
    found = re.search(rf'<script type="application/json" id="claims-{key}">(.*?)</script>', page)
    assert found, f"no claims for {key}"
    data: dict[str, Any] = json.loads(found.group(1))
    return {k: (math.inf if v is None else v) for k, v in data.items()}


def never_is_inf(v: float) -> float:
    """Counts store "not reached" as -1; for comparisons that is "more than any budget"."""
    return math.inf if v < 0 else v


def test_sections_follow_the_lessons_outline(demo: DemoRun, page: str) -> None:
    assert [(r.key, r.section) for r in demo.results] == OUTLINE
    parts = re.findall(r'<h2 class="part"><span lang="zh">([^<]*)</span>', page)
    assert parts == ["一、数据归一化方法", "二、梯度下降算法优化初阶", "附录：理论与实测"]
    for r in demo.results:
        assert r.charts and str(r.claim) and str(r.text), r.key
        assert r.claim.zh != r.claim.en  # type: ignore[union-attr]


def test_formulas_match_the_seed_and_eps_guards_a_constant_column(page: str) -> None:
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
    n = claims(page, "formulas")
    assert max(n[k] for k in n if k.startswith("max_diff")) < 1e-12
    assert n["constant_without_eps"] == 1.0 and n["constant_with_eps"] == 0.0
    # Closed form: max |x - mu| (1/sigma - 1/(sigma + eps)), with sigma = std(0, 2, ..., 10).
    sigma = np.std(np.arange(0, 12, 2.0))
    expected = 5 * (1 / sigma - 1 / (sigma + n["eps"]))
    assert n["eps_shift"] == pytest.approx(expected, rel=1e-3)


def test_unit_mismatch_matches_the_seed(page: str) -> None:
    n = claims(page, "units")
    # seed: np.linalg.lstsq(features, labels)[0] = [1999.99618924, -0.0999852807, 0.99970541]
    assert n["w_raw_0"] == pytest.approx(1999.99618924, rel=1e-10)
    assert n["ratio_raw"] == pytest.approx(1999.99618924 / -9.99852807e-02, rel=1e-8)
    # seed: w after min-max of features and labels = [0.99847747, -0.00622912, 0.00410845]
    assert n["w_minmax_0"] == pytest.approx(0.99847747, abs=1e-8)
    assert n["w_minmax_1"] == pytest.approx(-0.00622912, abs=1e-8)
    preds = np.array(units.unit_mismatch().tables[1].rows, dtype=float)
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


def test_affine_scaling_keeps_the_correlation(page: str) -> None:
    n = claims(page, "affine")
    with lesson_seed(24):
        features, labels = lesson.arrayGenReg(delta=0.01)
    # Oracle: NumPy's correlation of the raw lesson data.
    assert n["corr_raw"] == pytest.approx(
        np.corrcoef(features[:, 0], labels[:, 0])[0, 1], abs=1e-12
    )
    assert n["corr_minmax"] == pytest.approx(n["corr_raw"], abs=1e-12)


def test_coefficients_mapped_back_are_the_raw_fit_and_the_law(page: str) -> None:
    n = claims(page, "interpretability")
    with lesson_seed(24):
        features, labels = lesson.arrayGenReg(w=[200, -1, 1], delta=0.01)
    raw = features[:, :2] * [0.1, 10.0]
    # Oracle: least squares on the raw data, directly.
    direct = np.linalg.lstsq(np.c_[raw, np.ones(len(raw))], labels[:, 0], rcond=None)[0]
    np.testing.assert_allclose([n[f"w_raw_{i}"] for i in range(3)], direct, rtol=1e-9)
    # The law y = 200 x1 - x2 + 1 (noise 0.01) in its own units.
    np.testing.assert_allclose([n[f"w_law_{i}"] for i in range(3)], [200, -1, 1], atol=2e-3)
    # The scaled coefficients differ from the law: the units are gone.
    assert abs(n["w_scaled_2"] - 1.0) > 5


def test_a_tree_predicts_identically_on_raw_and_scaled_data_knn_does_not(page: str) -> None:
    n = claims(page, "trees")
    assert n["tree_max_diff_minmax"] == 0.0 and n["tree_max_diff_zscore"] == 0.0
    assert n["knn_max_diff_zscore"] > 1.0
    # Oracle: scikit-learn's own KNN on raw and on scikit-learn-z-scored rows.
    with lesson_seed(24):
        features, labels = lesson.arrayGenReg(w=[200, -1, 1], delta=0.01)
    X, y = features[:, :2] * [0.1, 10.0], labels[:, 0]
    sk = SkStandardScaler().fit(X[:700])
    raw = KNeighborsRegressor(5).fit(X[:700], y[:700]).predict(X[700:])
    scaled = (
        KNeighborsRegressor(5).fit(sk.transform(X[:700]), y[:700]).predict(sk.transform(X[700:]))
    )
    assert n["knn_max_diff_zscore"] == pytest.approx(np.abs(raw - scaled).max(), rel=1e-9)
    assert n["knn_mse_zscore"] < n["knn_mse_raw"]


def test_contours_kappa_and_steps_follow_the_closed_form(page: str) -> None:
    n = claims(page, "contours")
    # Closed form: the raw Hessian 2 X^T X / 2 = [[10, 4], [4, 2]] has eigenvalues 6 +- sqrt(32).
    L, mu = 6 + math.sqrt(32), 6 - math.sqrt(32)
    assert n["kappa_raw"] == pytest.approx(L / mu, rel=1e-10)
    assert n["limit_raw"] == pytest.approx(2 / L, rel=1e-10)
    assert n["kappa_scaled"] == pytest.approx(1.0, abs=1e-12)
    # Z-scored the Hessian is 2 I, lr 0.1 contracts by 0.8 exactly: ceil(log 1e-3 / log 0.8).
    assert n["steps_scaled"] == math.ceil(math.log(1e-3) / math.log(0.8)) == 31
    # Raw, the slow direction contracts by 1 - 0.1 mu: more than the lesson's 100 steps.
    assert n["steps_raw"] == -1
    assert n["predicted_raw"] == math.ceil(math.log(1e-3) / math.log(1 - 0.1 * mu)) == 198
    assert n["measured_raw"] == 198  # the start excites both eigenvectors: the bound is exact
    assert 0 < n["measured_scaled"] < n["measured_minmax"] < n["measured_raw"]
    assert n["diverged_above_limit"] == 1.0  # every grid rate above 2/L diverges, none below
    assert n["max_diff_lesson"] < 1e-12  # the engine retraces the lesson's w_cal_rec


def test_outliers_match_the_seed_and_only_zscore_flags_the_outlier(page: str) -> None:
    r = outliers.outliers()
    rows = np.array(r.tables[0].rows, dtype=float)
    # seed: maxmin_norm(a)[:, 1] and z_score(a)[:, 1] with a[1, 1] = 100
    np.testing.assert_allclose(rows[:, 3], [0, 1, 0.04040404, 0.06060606], atol=1e-8)
    np.testing.assert_allclose(
        rows[:, 5], [-0.65692457, 1.72970047, -0.56049527, -0.51228063], atol=1e-8
    )
    n = claims(page, "outliers")
    assert n["minmax_others_span"] == pytest.approx(0.06060606, abs=1e-8)
    assert n["column_minmax_span"] < 0.1  # min-max crushes the ordinary values
    assert n["column_zscore_outlier"] > n["threshold"] and n["column_flagged"] == 1
    assert n["capped_zscore_span"] > 10 * n["column_minmax_span"]  # capping restores the spread


def test_scaling_speeds_descent_and_zscore_beats_minmax(page: str) -> None:
    n = claims(page, "speed")
    assert n["kappa_z-score"] < n["kappa_min-max"] < n["kappa_raw"]
    assert (
        0 < n["epochs_z-score"] < never_is_inf(n["epochs_min-max"]) < never_is_inf(n["epochs_raw"])
    )
    for name in ("z-score", "min-max"):
        assert n[f"epochs_{name}"] <= n[f"predicted_{name}"]
    # Oracle for kappa: NumPy's eigenvalues of 2 A^T A / m with scikit-learn's z-score.
    X, _ = regression_problem(1000)
    A = np.hstack([SkStandardScaler().fit_transform(X), np.ones((1000, 1))])
    eig = np.linalg.eigvalsh(2 * A.T @ A / 1000)
    assert n["kappa_z-score"] == pytest.approx(eig[-1] / eig[0], rel=1e-9)
    # Correlation 0.9 leaves kappa = (1 + 0.9) / (1 - 0.9) ~ 19 after z-score (sample: ~21).
    assert 15 < n["kappa_z-score"] < 25


def test_decay_rescues_a_large_rate_and_slows_a_small_one(page: str) -> None:
    n = claims(page, "decay")
    assert n["diverged_large_fixed"] == 1.0
    assert n["diverged_large_decay"] == 0.0 and n["epochs_large_decay"] > 0
    assert n["peak_large_decay"] > 1.0  # it oscillates upward before converging
    assert n["epochs_small_fixed"] > 0 and n["epochs_small_decay"] == -1
    assert n["gap_small_decay"] > 100 * n["gap_small_fixed"]


def test_minibatch_is_faster_per_epoch_and_decay_narrows_the_band(page: str) -> None:
    n = claims(page, "minibatch")
    budget = 20
    assert n["epochs_full"] == -1 and n["full_epochs_needed"] > budget
    for b in (1, 10, 50):
        assert 0 < n[f"epochs_{b}"] <= budget / 4
        assert n[f"band_decay_{b}"] < 0.5 * n[f"band_{b}"]
    # At one shared rate the band narrows as the batch grows: noise averages out.
    assert n["band_same_rate_1"] > n["band_same_rate_10"] > n["band_same_rate_50"]
    # The full-batch rate is the theory's best, 2/(L + mu) (= 0.5 on centred data: L + mu = 4).
    assert n["lr_full"] == pytest.approx(0.5, rel=1e-6)


def test_the_combined_strategy_beats_each_ablation_at_the_stated_budget(
    demo: DemoRun, page: str
) -> None:
    n = claims(page, "combined")
    assert n["budget"] == 30 and n["target"] == 0.01
    combined = n["epochs_combined"]
    assert 0 < combined <= n["budget"]
    for ablation in ("no_zscore", "no_minibatch", "no_decay"):
        assert combined < never_is_inf(n[f"epochs_{ablation}"]), ablation
    assert n["epochs_111"] == min(
        never_is_inf(n[f"epochs_{c}"])
        for c in ("111", "110", "101", "100", "011", "010", "001", "000")
    )
    assert n["full_needed"] > n["budget"]  # full batch gets there, just not within budget
    # The page states the metric and the budget in the claim.
    claim = demo.result("combined").claim
    assert "30" in claim.en and "1%" in claim.en and "30" in claim.zh  # type: ignore[union-attr]


def test_conditioning_table_agrees_with_numpy(page: str) -> None:
    n = claims(page, "conditioning")
    X, _ = regression_problem(1000)
    A = np.hstack([X, np.ones((1000, 1))])
    eig = np.linalg.eigvalsh(2 * A.T @ A / 1000)
    assert n["kappa_raw"] == pytest.approx(eig[-1] / eig[0], rel=1e-9)
    assert n["kappa_zscore"] < n["kappa_minmax"] < n["kappa_raw"]


def test_theory_predicts_the_stability_limit_and_iteration_counts(page: str) -> None:
    limit = claims(page, "stability")
    for key, ratio in limit.items():
        if key.startswith("ratio_"):
            assert ratio == pytest.approx(1.0, abs=1e-2), key
    assert limit["map_full_diverged_below"] == 0 and limit["map_full_stable_above"] == 0
    # Single-row steps see more curvature than the average: SGD's edge sits below 2 / L.
    assert limit["map_edge_batch_1"] < limit["map_edge_batch_50"] <= 1.0
    counts = claims(page, "iterations")
    problems = [k[len("predicted_") :] for k in counts if k.startswith("predicted_")]
    assert len(problems) == 4
    for p in problems:
        predicted, measured = counts[f"predicted_{p}"], counts[f"measured_{p}"]
        assert 0 < measured <= predicted, p
        assert measured >= 0.85 * predicted, p  # the bound is nearly tight on these starts
    assert counts["measured_p1_3_raw"] == counts["predicted_p1_3_raw"]


def test_contours_alone_match_the_seed_path() -> None:
    # The lesson's own loop, run here: the engine's path is the same to round-off.
    r = contours.lesson_contours()
    assert r.numbers["max_diff_lesson"] < 1e-12
    assert r.numbers["steps_scaled"] == 31


def test_the_chinese_page_speaks_the_lessons_terms(page: str) -> None:
    chinese = " ".join(re.findall(r'<(?:span|p) lang="zh">([^<]*)</(?:span|p)>', page))
    # The seed lesson's own words for what each part teaches.
    for term in (
        "0-1 标准化",
        "Z-Score 标准化",
        "学习率调度",
        "小批量梯度下降",
        "等高线",
        "收敛速度",
        "量纲",
        "仿射变换",
        "盖帽",
        "逆向归一化",
        "树模型",
    ):
        assert term in chinese, term
    # The outline's section titles are the lesson's (文章目录).
    for title in (
        "数据归一化计算公式",
        "数据归一化算法执行过程",
        "数据归一化算法评价",
        "Z-Score 标准化算法评价及横向对比",
        "数据归一化与梯度下降算法优化",
        "学习率调度",
        "小批量梯度下降与迭代收敛速度",
        "梯度下降组合优化策略",
    ):
        assert re.search(rf"<h3>.*{re.escape(title)}", page), title
