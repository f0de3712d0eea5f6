"""The lesson's static sections prove their claims, hints and exercises on their own numbers.

Every assertion reads a section's ``run()`` / ``measure()`` result, never the page. Golden
values marked "seed" are printed in the lesson text (../shared/seed/lesson-4.5-part1.zh.txt);
the others come from closed forms, NumPy, SciPy or scikit-learn, as each comment says. Each
hint and exercise that quotes a number has the test below that checks what it says.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from scipy import stats
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor
from sklearn.preprocessing import MinMaxScaler as SkMinMaxScaler
from sklearn.preprocessing import StandardScaler as SkStandardScaler

from gdlab import lesson
from gdlab.analysis import conditioning as conditioning_of
from gdlab.models import LeastSquares
from gdlab.report import prose
from gdlab.report.charts import Chart
from gdlab.report.data import appendix_problems, regression_problem, unit_mismatch_data
from gdlab.report.legacy_rng import lesson_seed
from gdlab.report.outline import entry
from gdlab.report.prose import Count, Phrase, Predicted, Status
from gdlab.report.result import ExperimentResult
from gdlab.report.sections import stability as stability_module
from gdlab.report.text import as_bilingual

KEYS = (
    "formulas",
    "units",
    "affine",
    "interpretability",
    "trees",
    "outliers",
    "conditioning",
    "stability",
    "iterations",
)


def _quick(key: str) -> dict[str, Any]:
    """The section's parameters as ``gdlab demo --quick`` runs it."""
    return {p.name: p.default if p.quick is None else p.quick for p in entry(key).params}


@pytest.fixture(scope="module")
def results() -> dict[str, ExperimentResult]:
    return {key: entry(key).run(**_quick(key)) for key in KEYS}


@pytest.fixture(scope="module")
def n(results: dict[str, ExperimentResult]) -> dict[str, dict[str, Any]]:
    return {key: dict(r.numbers) for key, r in results.items()}


# ---------------------------------------------------------------------------------------
# Every section: its parameters, its words, its teaching material.


@pytest.mark.parametrize("key", KEYS)
def test_params_match_run_and_measure(key: str) -> None:
    module = entry(key).module
    declared = {p.name: p.default for p in module.PARAMS}
    for function in (module.run, module.measure):
        signature = inspect.signature(function).parameters
        assert {k: v.default for k, v in signature.items()} == declared, function
        assert all(v.kind is inspect.Parameter.KEYWORD_ONLY for v in signature.values())


def test_both_word_files_have_the_same_keys_and_slots() -> None:
    assert prose.check() == []


def _texts(result: ExperimentResult) -> Iterator[Any]:
    """Every text a section shows: headings, tables, figures."""
    yield from (result.title, result.claim, result.text, result.headline, result.part)
    for table in result.tables:
        yield table.title
        yield from table.columns
        yield from (c for row in table.rows for c in row if isinstance(c, Phrase))
    for chart in result.charts:
        assert isinstance(chart, Chart)
        yield from (chart.title, chart.x_label, chart.y_label)
        yield from (chart.caption,) if str(chart.caption) else ()
        yield from (s.legend for s in chart.series if s.legend is not None)
        yield from (label for _, label in (*chart.vlines, *chart.hlines))


@pytest.mark.parametrize("key", KEYS)
def test_every_text_reads_in_both_languages(results: dict[str, ExperimentResult], key: str) -> None:
    for text in _texts(results[key]):
        words = as_bilingual(text)
        for lang in ("zh", "en"):
            filled = words.get(lang)
            assert filled and "{" not in filled and "}" not in filled, (key, lang, filled)


def _teaching(key: str, lang: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"tex": [], "where": [], "hints": [], "q": [], "a": []}
    prefix = f"sections.{key}."
    for name, value in prose.phrases(lang).items():
        part = name[len(prefix) :].split(".") if name.startswith(prefix) else []
        if part[:1] == ["formulas"]:
            found[part[2]].append(value)
        elif part[:1] == ["hints"]:
            found["hints"].append(value)
        elif part[:1] == ["exercises"]:
            found[part[2]].append(value)
    return found


@pytest.mark.parametrize("key", KEYS)
def test_formulas_hints_and_exercises_fill_from_the_numbers(
    n: dict[str, dict[str, Any]], key: str
) -> None:
    zh, en = _teaching(key, "zh"), _teaching(key, "en")
    assert zh["tex"] and zh["tex"] == en["tex"]  # the LaTeX is the same in both languages
    assert len(zh["where"]) == len(zh["tex"])
    assert len(zh["hints"]) >= 2 and len(zh["q"]) >= 2 and len(zh["q"]) == len(zh["a"])
    for lang, found in (("zh", zh), ("en", en)):
        # A symbol's definition reads the same filled or not: no slots, no braces.
        assert not any("{" in w or "}" in w for w in found["where"]), (key, lang)
        for i, kind in ((i, k) for k in ("hints", "q", "a") for i in range(len(found[k]))):
            phrase = "hints" if kind == "hints" else "exercises"
            name = f"sections.{key}.{phrase}.{i}" + ("" if kind == "hints" else f".{kind}")
            filled = prose.fill(name, lang, n[key])
            assert "{" not in filled and filled.count("$") % 2 == 0, (name, lang, filled)
        assert all(h.startswith("你应该看到：") for h in zh["hints"])
        assert all(h.startswith("What you should see:") for h in en["hints"])


@pytest.mark.parametrize("key", KEYS)
def test_the_chinese_reads_in_the_lessons_terms(key: str) -> None:
    zh = {k: v for k, v in prose.phrases("zh").items() if k.startswith(f"sections.{key}.")}
    for name, text in zh.items():
        if ".tex" in name:
            continue
        # Full-width punctuation after Chinese text; none of the coined wordings.
        assert not re.search(r"[\u4e00-\u9fff][,;:?!()]", text), (name, text)
        for coined in ("一致到", "记录单位", "紧的上界", "最多缩小到", "缩小到 0."):
            assert coined not in text, (name, coined)
        # The lesson's own names, not English ones (case matters: Z-Score is the lesson's).
        for english in ("min-max", "z-score", "sigmoid scaling"):
            assert english not in text, (name, english)


# ---------------------------------------------------------------------------------------
# 一、1 formulas


def test_formulas_match_the_seed_and_scikit_learn(results: dict[str, ExperimentResult]) -> None:
    rows = np.array(results["formulas"].tables[0].rows, dtype=float)
    a = np.arange(12.0).reshape(6, 2)
    # seed: maxmin_norm(a), z_score(a), sigmoid(a)
    np.testing.assert_allclose(rows[:, 2], [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    z0 = [-1.46385011, -0.87831007, -0.29277002, 0.29277002, 0.87831007, 1.46385011]
    np.testing.assert_allclose(rows[:, 4], z0, atol=1e-8)
    np.testing.assert_allclose(rows[:, 5], z0, atol=1e-8)
    sig0 = [0.5, 0.88079708, 0.98201379, 0.99752738, 0.99966465, 0.9999546]
    sig1 = [0.73105858, 0.95257413, 0.99330715, 0.99908895, 0.99987661, 0.9999833]
    np.testing.assert_allclose(rows[:, 6], sig0, atol=1e-8)
    np.testing.assert_allclose(rows[:, 7], sig1, atol=1e-8)
    # Oracles: scikit-learn's scalers.
    np.testing.assert_allclose(rows[:, 2:4], SkMinMaxScaler().fit_transform(a), atol=1e-15)
    np.testing.assert_allclose(rows[:, 4:6], SkStandardScaler().fit_transform(a), atol=1e-15)


def test_formulas_claims_hints_and_exercises(n: dict[str, dict[str, Any]]) -> None:
    f = n["formulas"]
    assert float(f["max_diff"]) < 1e-12  # gdlab.scaling = the lesson's helpers
    # Hint 1: both columns have mean 0 and standard deviation 1 after z-score.
    assert f["zscore_mean"] < 1e-12 and f["zscore_std"] == pytest.approx(1.0, abs=1e-12)
    assert f["sigma"] == pytest.approx(3.41565026, abs=1e-8)  # seed: a.std(0)
    # Exercise 1: (2 - 0) / (10 - 0).
    assert f["minmax_second"] == pytest.approx(0.2, abs=1e-15)
    # Exercise 2: closed form of the change ε makes, max |x - mu| (1/sigma - 1/(sigma + eps)).
    expected = 5 * (1 / f["sigma"] - 1 / (f["sigma"] + f["eps"]))
    assert f["eps_shift"] == pytest.approx(expected, rel=1e-6)
    assert f["constant_without_eps"] == 1.0 and f["constant_with_eps"] == 0.0
    # Exercise 3 and the claim: sigmoid(4) and sigmoid(10) in closed form, 6 raw units apart.
    assert f["sigmoid_4"] == pytest.approx(1 / (1 + math.exp(-4)), rel=1e-14)
    assert f["sigmoid_10"] == pytest.approx(1 / (1 + math.exp(-10)), rel=1e-14)
    assert f["sigmoid_tail_gap"] < 0.02 * (10 - 4) / 6


# ---------------------------------------------------------------------------------------
# 一、2 units


def test_units_match_the_seed(results: dict[str, ExperimentResult]) -> None:
    u = results["units"].numbers
    # seed: np.linalg.lstsq(features, labels) = [1.99999619e+03, -9.99852807e-02, 9.99705410e-01]
    np.testing.assert_allclose(
        [u["w_raw_0"], u["w_raw_1"], u["w_raw_2"]],
        [1999.99618924, -9.99852807e-02, 9.99705410e-01],
        rtol=1e-8,
    )
    assert u["ratio_raw"] == pytest.approx(-20002.906320210335, rel=1e-7)  # seed
    # seed: w after min-max of features and labels
    np.testing.assert_allclose(
        [u["w_minmax_0"], u["w_minmax_1"], u["w_minmax_2"]],
        [0.99847747, -0.00622912, 0.00410845],
        atol=1e-8,
    )
    preds = np.array(results["units"].tables[1].rows, dtype=float)
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


def test_units_ratios_follow_each_columns_scale(n: dict[str, dict[str, Any]]) -> None:
    u = n["units"]
    X, y, _, _ = unit_mismatch_data()
    # Oracle: scikit-learn's least squares, raw and on its own z-score.
    raw = LinearRegression().fit(X, y)
    np.testing.assert_allclose([u["w_raw_0"], u["w_raw_1"]], raw.coef_, rtol=1e-8)
    z = LinearRegression().fit(SkStandardScaler().fit_transform(X), y)
    np.testing.assert_allclose([u["w_zscore_0"], u["w_zscore_1"]], z.coef_, rtol=1e-8)
    # Z-score multiplies each coefficient by its column's standard deviation (formula 3).
    sd, span, law = X.std(0), np.ptp(X, axis=0), X / [0.1, 10.0]
    assert u["ratio_zscore"] == pytest.approx(u["ratio_raw"] * sd[0] / sd[1], rel=1e-9)
    assert u["ratio_minmax"] == pytest.approx(u["ratio_raw"] * span[0] / span[1], rel=1e-9)
    # The text and exercise 2: about -200 times the ratio of the law-unit spreads.
    assert u["sd_ratio"] == pytest.approx(law[:, 0].std() / law[:, 1].std(), rel=1e-12)
    assert u["ratio_zscore"] == pytest.approx(-200 * u["sd_ratio"], rel=1e-3)
    assert u["ratio_minmax"] == pytest.approx(-200 * u["range_ratio"], rel=1e-3)
    # ... so it follows the spread, not the law: x1 twice as wide doubles it.
    assert u["ratio_zscore_wide"] == pytest.approx(2 * u["ratio_zscore"], rel=1e-3)
    # Hint 1 and exercise 1: ten times one way, ten times the other, 100 times in the ratio.
    assert u["ratio_growth"] == pytest.approx(100, rel=1e-3)
    assert u["w_raw_0"] == pytest.approx(2000, rel=1e-4) and u["w_raw_1"] == pytest.approx(
        -0.1, rel=1e-3
    )
    # The claim, hint 2 and exercise 3: new rows, training statistics against their own.
    assert u["noise"] / 10 < u["new_max_abs_error"] < 10 * u["noise"]
    assert u["new_own_stats_error"] > 100 * u["new_max_abs_error"]


# ---------------------------------------------------------------------------------------
# 一、3 affine, interpretability, trees


def test_affine_keeps_the_correlation(n: dict[str, dict[str, Any]]) -> None:
    a = n["affine"]
    with lesson_seed(24):
        features, labels = lesson.arrayGenReg(delta=0.01)
    x, y = features[:, 0], labels[:, 0]
    # Oracle: SciPy's Pearson correlation of the lesson's raw data.
    assert a["corr_raw"] == pytest.approx(stats.pearsonr(x, y)[0], abs=1e-12)
    assert abs(a["corr_minmax"] - a["corr_raw"]) <= float(a["corr_diff"]) < 1e-12
    assert abs(a["corr_zscore"] - a["corr_raw"]) <= float(a["corr_diff"])
    # Exercise 2: a negative factor flips the sign.
    assert a["corr_negated"] == pytest.approx(-a["corr_raw"], abs=1e-15)
    # Exercise 3: y = 2 x1 - x2 + 1 with unit-variance features gives 2 / sqrt(5).
    assert a["corr_law"] == 2 / math.sqrt(5)
    assert a["corr_raw"] == pytest.approx(a["corr_law"], abs=0.01)


def test_interpretability_maps_the_coefficients_back(n: dict[str, dict[str, Any]]) -> None:
    i = n["interpretability"]
    X, y, _, _ = unit_mismatch_data()
    # Oracle: scikit-learn's least squares on the raw data.
    direct = LinearRegression().fit(X, y)
    np.testing.assert_allclose([i["w_raw_0"], i["w_raw_1"]], direct.coef_, rtol=1e-9)
    assert i["w_raw_2"] == pytest.approx(direct.intercept_, rel=1e-9)
    assert float(i["max_diff_direct"]) < 1e-9
    np.testing.assert_allclose([i[f"w_law_{k}"] for k in range(3)], [200, -1, 1], atol=2e-3)
    # Exercise 1 and hint 1: the z-scored intercept is the labels' mean, not the law's 1.
    assert i["w_scaled_2"] == pytest.approx(y.mean(), rel=1e-9) == i["y_mean"]
    assert abs(i["w_scaled_2"] - 1.0) > 5
    # Exercise 2: w1 = w1' / sigma1.
    assert i["w_raw_0"] == pytest.approx(i["w_scaled_0"] / i["sd_1"], rel=1e-9)
    # Exercise 3 and the text: w' = law coefficient x the law-unit standard deviation.
    assert i["w_scaled_0"] == pytest.approx(i["w_law_0"] * i["sd_law_1"], rel=1e-9)
    assert i["w_scaled_1"] == pytest.approx(i["w_law_1"] * i["sd_law_2"], rel=1e-9)


def test_units_and_interpretability_tell_one_story(n: dict[str, dict[str, Any]]) -> None:
    # 一、2 explains the -199 ratio by the law-unit spreads; 一、3 reads w1 = 198 the same way.
    u, i = n["units"], n["interpretability"]
    assert u["w_zscore_0"] == pytest.approx(i["w_scaled_0"], rel=1e-12)
    assert u["sd_ratio"] == pytest.approx(i["sd_law_1"] / i["sd_law_2"], rel=1e-12)


def test_trees_ignore_scale_and_knn_does_not(n: dict[str, dict[str, Any]]) -> None:
    tr = n["trees"]
    assert tr["tree_max_diff_minmax"] == 0.0 and tr["tree_max_diff_zscore"] == 0.0
    assert tr["tree_mse_raw"] == tr["tree_mse_zscore"] == tr["tree_mse_minmax"]
    assert tr["knn_max_diff_zscore"] > 1.0
    # Oracle: scikit-learn's KNN on raw and on scikit-learn-z-scored rows.
    X, y, _, _ = unit_mismatch_data()
    k, m = tr["neighbours"], tr["n_train"]
    sk = SkStandardScaler().fit(X[:m])
    raw = KNeighborsRegressor(k).fit(X[:m], y[:m]).predict(X[m:])
    scaled = KNeighborsRegressor(k).fit(sk.transform(X[:m]), y[:m]).predict(sk.transform(X[m:]))
    assert tr["knn_max_diff_zscore"] == pytest.approx(np.abs(raw - scaled).max(), rel=1e-9)
    assert tr["knn_mse_raw"] == pytest.approx(np.mean((raw - y[m:]) ** 2), rel=1e-9)
    # Hint 2 and exercise 2: x2 spreads about 100 times wider, and scaling helps KNN.
    assert 50 < tr["spread_ratio"] < 200
    assert tr["knn_mse_zscore"] < tr["knn_mse_raw"] / 10


def test_trees_claim_holds_across_its_parameter_range() -> None:
    module = entry("trees").module
    for n_train, neighbours in ((100, 20), (980, 1)):
        got = module.measure(n_train=n_train, neighbours=neighbours)
        assert got["tree_max_diff_zscore"] == 0.0 and got["knn_max_diff_zscore"] > 1.0
        assert got["knn_mse_zscore"] < got["knn_mse_raw"]


# ---------------------------------------------------------------------------------------
# 一、4 outliers


def test_outliers_match_the_seed(results: dict[str, ExperimentResult]) -> None:
    rows = np.array(results["outliers"].tables[0].rows, dtype=float)
    # seed: maxmin_norm(a) and z_score(a) with a[1, 1] = 100
    np.testing.assert_allclose(rows[:, 2], [0, 0.33333333, 0.66666667, 1], atol=1e-8)
    np.testing.assert_allclose(rows[:, 3], [0, 1, 0.04040404, 0.06060606], atol=1e-8)
    np.testing.assert_allclose(
        rows[:, 4], [-1.34164079, -0.4472136, 0.4472136, 1.34164079], atol=1e-8
    )
    np.testing.assert_allclose(
        rows[:, 5], [-0.65692457, 1.72970047, -0.56049527, -0.51228063], atol=1e-8
    )


def test_no_z_score_of_n_values_exceeds_sqrt_n_minus_1(n: dict[str, dict[str, Any]]) -> None:
    o = n["outliers"]
    # The claim, hint 1 and exercise 1: the lesson's 4 rows sit under sqrt(3) = 1.73.
    assert o["n_lesson"] == 4 and o["cap_lesson"] == math.sqrt(3)
    assert o["zscore_others_max"] < o["zscore_outlier"] <= o["cap_lesson"] < o["threshold"]
    # The longer column: under its own cap sqrt(50) and past the 3-sd rule, flagged alone.
    assert o["n_column"] == 51 and o["cap_column"] == math.sqrt(50)
    assert o["threshold"] < o["column_zscore_outlier"] <= o["cap_column"]
    assert o["column_flagged"] == 1 and o["regime"] == "flagged"
    # The cap is reached when the other n - 1 values are equal (SciPy's z-score as oracle).
    for size in (4, 10, 11, 51):
        column = np.r_[np.zeros(size - 1), 1.0]
        assert stats.zscore(column)[-1] == pytest.approx(math.sqrt(size - 1), rel=1e-12)
        rng = np.random.default_rng(size)
        assert np.abs(stats.zscore(rng.standard_cauchy((200, size)), axis=1)).max() <= math.sqrt(
            size - 1
        ) * (1 + 1e-12)
    # Exercise 2: 11 values at least for |z| > 3; with 10 the cap is exactly 3.
    assert o["min_rows"] == 11 and o["cap_below_min"] == 3.0
    assert math.sqrt(o["min_rows"] - 1) > o["threshold"] >= math.sqrt(o["min_rows"] - 2)


def test_outliers_min_max_squeezes_and_capping_restores(n: dict[str, dict[str, Any]]) -> None:
    o = n["outliers"]
    assert o["minmax_others_span"] == pytest.approx(0.06060606, abs=1e-8)  # seed
    # Hint 3, exercise 3: the ordinary values crowd into a sliver of [0, 1].
    assert o["column_minmax_span"] < 0.1
    # The capping sentence: the standard deviation falls and the ordinary values spread again.
    assert o["sd_with_outlier"] > 5 * o["sd_capped"]
    assert o["capped_zscore_span"] > 10 * o["column_minmax_span"]


def test_outliers_sentence_follows_the_regime() -> None:
    module = entry("outliers").module
    few = module.measure(n_ordinary=3)  # 4 values: the cap sqrt(3) is below the rule
    assert few["regime"] == "capped_by_n" and few["column_zscore_outlier"] <= few["cap_column"]
    assert few["cap_column"] <= few["threshold"] and few["column_flagged"] == 0
    near = module.measure(n_ordinary=20, outlier=10.0, threshold=4.0)
    assert near["regime"] == "not_far"
    assert near["column_zscore_outlier"] <= near["threshold"] < near["cap_column"]


# ---------------------------------------------------------------------------------------
# 附录 1 conditioning


def _hessian_kappa(A: np.ndarray) -> tuple[float, float]:
    eig = np.linalg.eigvalsh(2 * A.T @ A / len(A))
    return float(eig[-1]), float(eig[0])


def test_conditioning_agrees_with_numpy_and_the_correlation(n: dict[str, dict[str, Any]]) -> None:
    c = n["conditioning"]
    X, _ = regression_problem(c["n_samples"])
    ones = np.ones((len(X), 1))
    # Oracle: NumPy's eigenvalues of 2 A^T A / m, raw and with scikit-learn's z-score.
    L, mu = _hessian_kappa(np.hstack([X, ones]))
    assert c["kappa_raw"] == pytest.approx(L / mu, rel=1e-8)
    L, mu = _hessian_kappa(np.hstack([SkStandardScaler().fit_transform(X), ones]))
    assert (c["L_zscore"], c["mu_zscore"]) == pytest.approx((L, mu), rel=1e-9)
    # Exercise 1 and the claim: after z-score kappa = (1 + r) / (1 - r), L = 2(1 + r).
    r = np.corrcoef(X.T)[0, 1]
    assert c["corr"] == pytest.approx(r, rel=1e-12)
    assert c["kappa_zscore"] == pytest.approx((1 + r) / (1 - r), rel=1e-9)
    assert c["L_zscore"] == pytest.approx(2 * (1 + r), rel=1e-9)
    assert c["mu_zscore"] == pytest.approx(2 * (1 - r), rel=1e-9)


def test_conditioning_claims_hints_and_exercises(n: dict[str, dict[str, Any]]) -> None:
    c = n["conditioning"]
    scalers = ("minmax", "zscore", "sigmoid", "maxabs", "robust")
    # The claim: every scaler lowers kappa; the named best is the lowest.
    assert all(c[f"kappa_{s}"] < c["kappa_raw"] for s in scalers)
    assert c["kappa_best"] == min(c[f"kappa_{s}"] for s in scalers) == c["kappa_zscore"]
    # Hint 3: the centring scalers are lowest.
    assert max(c["kappa_zscore"], c["kappa_robust"]) < min(
        c["kappa_minmax"], c["kappa_maxabs"], c["kappa_sigmoid"]
    )
    for s in ("raw", *scalers):
        kappa = c[f"kappa_{s}"]
        assert c[f"limit_{s}"] == pytest.approx(2 / c[f"L_{s}"], rel=1e-12)
        # Exercise 2: q = (kappa - 1) / (kappa + 1) and steps = ceil(log(rtol) / log(q)).
        assert c[f"rate_{s}"] == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-12)
        steps = math.ceil(math.log(c["rtol"]) / math.log(c[f"rate_{s}"]) - 1e-9)
        assert float(c[f"predicted_{s}"]) == steps
    # Exercise 3: x2's large values make the raw bowl steep.
    assert c["L_raw"] > 10 * c["L_zscore"] and c["limit_zscore"] > 10 * c["limit_raw"]


# ---------------------------------------------------------------------------------------
# 附录 2 stability


def test_stability_bisection_meets_2_over_L(n: dict[str, dict[str, Any]]) -> None:
    s = n["stability"]
    # Closed form: the lesson's raw Hessian [[10, 4], [4, 2]] has L = 6 + sqrt(32).
    assert s["limit_lesson_raw"] == pytest.approx(2 / (6 + math.sqrt(32)), rel=1e-12)
    assert s["limit_lesson_zscore"] == pytest.approx(1.0, rel=1e-12)
    for key, (A, _) in appendix_problems().items():
        assert s[f"limit_{key}"] == pytest.approx(2 / _hessian_kappa(A)[0], rel=1e-9)
    # The claim: never below 2/L to the resolution, at most worst_ratio_error above.
    assert s["min_ratio"] >= 1 - s["resolution"]
    assert (
        s["max_ratio"] - 1 == pytest.approx(s["worst_ratio_error"])
        and s["worst_ratio_error"] < 1e-2
    )
    # Hint 1: full batch diverges at every map rate above 2/L and at none below.
    assert s["map_full_diverged_below"] == 0 and s["map_full_stable_above"] == 0
    # The claim, hint 2 and exercise 2: the smaller the batch, the lower the edge.
    assert 0 < s["map_edge_batch_1"] < s["map_edge_batch_50"] <= 1.0


def test_stability_growth_above_the_limit(n: dict[str, dict[str, Any]]) -> None:
    s = n["stability"]
    # Exercise 1: |1 - 1.1 x 2| = 1.2, and the run's last step grows the distance by it.
    assert (
        s["factor_above"] == pytest.approx(abs(1 - 2 * s["above"]), rel=1e-15) == pytest.approx(1.2)
    )
    assert s["measured_growth"] == pytest.approx(s["factor_above"], rel=1e-4)
    assert 0 < s["diverged_step"] < 200
    # Exercise 3: the factor at the furthest measured limit, and its growth over the epochs.
    assert s["worst_factor"] == pytest.approx(2 * s["max_ratio"] - 1, rel=1e-12)
    assert s["worst_growth"] == pytest.approx(s["worst_factor"] ** s["epochs"], rel=1e-12)


def test_more_epochs_bring_the_bisected_limit_closer_to_2_over_L() -> None:
    # Exercise 3's last sentence, on the problem whose limit lies furthest out.
    A, y = appendix_problems()["part2_minmax"]
    limit = conditioning_of(A, intercept=False).lr_stable
    short, long = (
        stability_module.measured_limit(A, y, limit, epochs=e, iterations=14) for e in (100, 800)
    )
    assert limit <= long < short


# ---------------------------------------------------------------------------------------
# 附录 3 iterations


def test_iterations_predicted_counts_bound_the_measured(n: dict[str, dict[str, Any]]) -> None:
    it = n["iterations"]
    keys = list(appendix_problems())
    for key in keys:
        assert isinstance(it[f"measured_{key}"], Count) and isinstance(
            it[f"predicted_{key}"], Predicted
        )
        assert it[f"status_{key}"] == Status("converged")
        assert 0 < float(it[f"measured_{key}"]) <= float(it[f"predicted_{key}"]), key
    assert it["n_problems"] == len(keys) == 4 and it["all_within_bound"] == 1.0
    assert (
        it["n_exact"]
        == sum(float(it[f"measured_{k}"]) == float(it[f"predicted_{k}"]) for k in keys)
        == 3
    )
    # Exercise 1: the raw two rows, kappa = (6 + sqrt 32) / (6 - sqrt 32), in closed form.
    kappa = (6 + math.sqrt(32)) / (6 - math.sqrt(32))
    q = (kappa - 1) / (kappa + 1)
    assert it["rate_lesson_raw"] == pytest.approx(q, rel=1e-12)
    assert it["steps_exact_lesson_raw"] == pytest.approx(math.log(1e-6) / math.log(q), rel=1e-12)
    assert float(it["predicted_lesson_raw"]) == math.ceil(it["steps_exact_lesson_raw"]) == 235
    assert it["measured_lesson_raw"].value == 235
    # Exercise 2: after z-score L = mu = 2, lr = 1/L, one step.
    assert it["L_lesson_zscore"] == it["mu_lesson_zscore"] == pytest.approx(2.0)
    assert it["lr_lesson_zscore"] == pytest.approx(0.5) and it["measured_lesson_zscore"].value == 1
    # The same data and tolerance as 附录 1: the same predictions.
    c = n["conditioning"]
    for s in ("minmax", "zscore"):
        assert float(it[f"predicted_part2_{s}"]) == float(c[f"predicted_{s}"])


def test_iterations_min_max_is_faster_for_the_reason_given(n: dict[str, dict[str, Any]]) -> None:
    # Exercise 3: three directions, the middle one shrinks faster, and the share of the
    # starting error along the two extreme ones accounts for the steps saved exactly.
    it = n["iterations"]
    A, y = appendix_problems()["part2_minmax"]
    lam, V = np.linalg.eigh(2 * A.T @ A / len(A))
    lr, q = it["lr_part2_minmax"], it["rate_part2_minmax"]
    factors = np.abs(1 - lr * lam)
    assert len(lam) == 3 and factors[1] < q and np.allclose(factors[[0, 2]], q, rtol=1e-9)
    start = V.T @ (0 - LeastSquares().optimum(A, y))  # descend starts from 0
    share = np.linalg.norm(start[[0, 2]]) / np.linalg.norm(start)
    assert 0 < share < 1
    assert it["measured_part2_minmax"].value == math.ceil(
        math.log(it["rtol"] / share) / math.log(q)
    )


def _series(result: ExperimentResult, chart: str, series: str) -> tuple[np.ndarray, np.ndarray]:
    found = next(c for c in result.charts if c.name == chart).series_named(series)
    return np.asarray(found.data["x"], dtype=float), np.asarray(found.data["y"], dtype=float)


def test_stability_map_curve_reads_as_the_hint_says(results: dict[str, ExperimentResult]) -> None:
    # Hint 1: left of 2/L full batch never diverges and its loss falls towards 2/L; right of
    # it every run is drawn at the top.
    x, y = _series(results["stability"], "map", "full")
    below, above = x < 1, x > 1
    assert (y[below] < 1e8).all() and (np.diff(y[below]) < 0).all()
    assert (y[above] == 1e8).all()


def test_iterations_curves_stay_under_their_bounds(results: dict[str, ExperimentResult]) -> None:
    # Hint 1: each measured curve is on or under its bound q^k, on it for the raw two rows.
    floor = 1e-16
    for key in appendix_problems():
        _, measured = _series(results["iterations"], "distance", f"{key}_measured")
        _, bound = _series(results["iterations"], "distance", f"{key}_bound")
        assert (measured <= np.maximum(bound, floor) * (1 + 1e-9)).all(), key
    _, measured = _series(results["iterations"], "distance", "lesson_raw_measured")
    _, bound = _series(results["iterations"], "distance", "lesson_raw_bound")
    shown = bound > 1e-12
    np.testing.assert_allclose(measured[shown], bound[shown], rtol=1e-6)
