"""The comparison grid at equal budgets, and the stability map against the 2/L edge."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler

from gdlab.analysis import (
    GridRun,
    compare,
    conditioning,
    grid_runs,
    scaled_design,
    stability_map,
    summarize,
)
from gdlab.models import LeastSquares, Logistic, Softmax
from gdlab.trajectory import Trajectory


def lesson_data(n: int = 120, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    # The lesson's unit mismatch: y = 200 x1 - x2 + 1 with x1 scaled by 0.1, x2 by 10.
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * [0.1, 10.0]
    return X, X @ [200.0, -1.0] + 1.0 + 0.01 * rng.normal(size=n)


@pytest.fixture(scope="module")
def runs() -> list[GridRun]:
    X, y = lesson_data()
    return grid_runs(
        LeastSquares(),
        X,
        y,
        scalers=["none", "zscore"],
        schedules=[0.004, "exponential(lr=0.1, gamma=0.95)"],
        batch_sizes=[None, 16],
        methods=["gd", "momentum"],
        epochs=30,
    )


def test_grid_has_every_combination(runs: list[GridRun]) -> None:
    table = summarize(runs)
    assert len(table) == 2 * 2 * 2 * 2
    assert set(table["scaler"]) == {"none", "zscore"}
    assert set(table["schedule"]) == {"constant(lr=0.004)", "exponential(lr=0.1, gamma=0.95)"}
    assert set(table["method"]) == {"gd", "momentum"}
    assert table.groupby(["scaler", "schedule", "batch_size", "method"], dropna=False).ngroups == 16
    for column in ("final_loss", "status", "reached", "steps_to_tol", "seconds_to_tol"):
        assert column in table.columns


def test_epoch_budget_is_equal_work(runs: list[GridRun]) -> None:
    table = summarize(runs, budget="epochs")
    n = 120
    # raw data with lr 0.1 diverges and stops early; the others run the whole budget
    assert set(table.loc[table["epochs"] < 30, "status"]) == {"diverged"}
    table = table[table["status"] != "diverged"]
    assert len(table) >= 8
    assert (table["epochs"] == 30).all()
    # Gradient evaluations = rows processed: the same for every batch size.
    assert (table["samples"] == 30 * n).all()
    full = table[table["batch_size"].isna()]
    mini = table[table["batch_size"] == 16]
    assert (full["steps"] == 30).all()
    assert (mini["steps"] == 30 * int(np.ceil(n / 16))).all()
    cut = summarize(runs, budget="epochs", budget_value=10)
    kept = cut[cut["status"] != "diverged"]
    assert (kept["epochs"] == 10).all() and (kept["status"] == "budget").all()


def _timed_run(times: list[float], status: str = "max_epochs") -> GridRun:
    """A grid run with chosen record times (a measured clock would make the test depend on
    the machine's speed): one record per epoch, the loss halving each epoch."""
    n = len(times)
    t = Trajectory(
        params=np.zeros((n, 1)), loss=0.5 ** np.arange(n), lr=np.r_[np.nan, np.full(n - 1, 0.1)],
        epoch=np.arange(n), step=np.arange(n), grad_norm=np.ones(n),
        samples_seen=10 * np.arange(n), time=np.asarray(times), status=status,
    )  # fmt: skip
    return GridRun("zscore", "constant(lr=0.1)", None, "gd", t, optimum=0.0)


def test_time_budget_reads_every_run_at_the_same_wall_time() -> None:
    runs = [
        _timed_run([0.01, 0.1, 0.2, 0.3]),  # finishes first: sets the budget
        _timed_run([0.01, 0.15, 0.25, 0.35, 0.45]),
        _timed_run([0.01, 0.05], status="diverged"),  # stopped early: must not set it
    ]
    table = summarize(runs, budget="time")
    assert table.attrs["budget_value"] == 0.3
    assert table["seconds"].tolist() == [0.3, 0.25, 0.05]
    assert table["epochs"].tolist() == [3, 2, 1]
    assert table["status"].tolist() == ["max_epochs", "budget", "diverged"]


def test_a_run_whose_first_record_is_past_the_budget_is_read_at_its_start() -> None:
    # A busy machine: this run's first evaluation ended after the whole budget.
    runs = [_timed_run([0.01, 0.1, 0.2]), _timed_run([0.5, 0.6, 0.7])]
    table = summarize(runs, budget="time", budget_value=0.2)
    late = table.iloc[1]
    assert late["epochs"] == 0 and late["final_loss"] == 1.0
    assert late["status"] == "budget" and not late["reached"]
    assert summarize(runs, budget="time", budget_value=0.0)["epochs"].tolist() == [0, 0]


def test_samples_budget_cuts_inside_an_epoch_when_recorded_per_step() -> None:
    X, y = lesson_data(n=40)
    runs = grid_runs(
        LeastSquares(), X, y, scalers=["zscore"], batch_sizes=[10], epochs=3, record="step"
    )
    table = summarize(runs, budget="samples", budget_value=55)
    assert table.loc[0, "samples"] == 50  # five batches of 10; the sixth would pass 55
    assert table.loc[0, "steps"] == 5


def test_zscore_reaches_the_tolerance_raw_does_not(runs: list[GridRun]) -> None:
    table = summarize(runs, rtol=1e-4)
    best = {s: table[table["scaler"] == s]["final_loss"].min() for s in ("none", "zscore")}
    assert best["zscore"] < best["none"]
    assert table[table["scaler"] == "zscore"]["reached"].any()
    assert not table[table["scaler"] == "none"]["reached"].any()
    hit = table[table["reached"]]
    # Full batch: one update per epoch, so the counters at the hit agree.
    fb = hit[hit["batch_size"].isna()]
    assert (fb["steps_to_tol"] == fb["epochs_to_tol"]).all()
    assert (hit["steps_to_tol"] <= hit["steps"]).all()


def test_optimum_is_the_closed_form_loss(runs: list[GridRun]) -> None:
    X, y = lesson_data()
    A = scaled_design(X, "zscore")
    m = LeastSquares()
    expected = m.loss(m.optimum(A, y), A, y)
    assert all(r.optimum == pytest.approx(expected) for r in runs if r.scaler == "zscore")
    assert "scaler='zscore'" in repr(next(r for r in runs if r.scaler == "zscore"))


def test_logistic_and_softmax_optimum_is_scikit_learns() -> None:
    # No closed form: the reference is the solved objective, not the best run (which made
    # every run of a scaling look optimal when all of them rose from the start).
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 2))
    for model, y in [
        (Logistic(), (X[:, 0] + 0.5 * rng.normal(size=80) > 0).astype(float)),
        (Softmax(), np.digitize(X[:, 0] + 0.5 * rng.normal(size=80), [-0.5, 0.5])),
    ]:
        runs = grid_runs(model, X, y, scalers=["zscore"], schedules=[0.1, 1.0], epochs=20)
        A = scaled_design(X, "zscore")
        sk = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(A[:, :-1], y)
        w = np.r_[sk.coef_.T, sk.intercept_[None, :]]
        w = w[:, 0] if isinstance(model, Logistic) else w
        expected = model.loss(w, A, y)
        assert all(r.optimum == pytest.approx(expected, abs=1e-10) for r in runs)
        assert all(r.trajectory.loss[-1] > expected + 1e-6 for r in runs)  # 20 epochs: not there


def test_a_classifier_run_whose_loss_climbs_is_diverged_not_a_winner() -> None:
    # A 0/1 target on raw features of scale 1000: the logistic loss grows linearly in |w|,
    # from log 2 to ~1e5, never 1e6 times the start, and the raw runs were reported as
    # "max_epochs", reached at epoch 0 (the best loss seen on that scaling was the start).
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 2)) * [1.0, 1000.0] + [0.0, 5000.0]
    y = (X[:, 0] + (X[:, 1] - 5000.0) / 1000.0 + rng.normal(size=200) > 0).astype(float)
    runs = grid_runs(Logistic(), X, y, scalers=["none", "zscore"], schedules=[1.0], epochs=100)
    table = summarize(runs, rtol=1e-2)
    raw, scaled = table.iloc[0], table.iloc[1]
    assert raw["status"] == "diverged" and not raw["reached"]
    assert np.isnan(raw["epochs_to_tol"])
    assert "more than 1000 x the reference" in runs[0].trajectory.reason
    assert scaled["status"] == "max_epochs" and scaled["reached"]
    assert scaled["final_loss"] < np.log(2)


def test_scaler_instances_progress_and_compare_wrapper() -> None:
    X, y = lesson_data(n=30)
    calls: list[tuple[int, int]] = []
    table = compare(
        LeastSquares(),
        X,
        y,
        scalers={"sk": StandardScaler()},
        schedules=[0.1],
        epochs=5,
        progress=lambda done, total, label: calls.append((done, total)),
    )
    assert list(table["scaler"]) == ["sk"]
    assert calls == [(1, 1)]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"scalers": ["zscorex"]}, "unknown scaler"),
        ({"budget": "flops"}, "budget must be one of"),
        ({"methods": []}, "grid is empty"),
        ({"budget_value": -1.0}, "budget_value must be"),
    ],
)
def test_bad_configuration(kwargs: dict[str, object], match: str) -> None:
    X, y = lesson_data(n=20)
    with pytest.raises(ValueError, match=match):
        compare(LeastSquares(), X, y, epochs=2, **kwargs)  # type: ignore[arg-type]


def test_stability_edge_is_two_over_L() -> None:
    X, y = lesson_data(n=60)
    A = scaled_design(X, "zscore")
    edge = conditioning(A, intercept=False).lr_stable
    frame = stability_map(
        LeastSquares(),
        X,
        y,
        lrs=[0.5 * edge, 0.9 * edge, 1.1 * edge, 2 * edge],
        batch_sizes=[None, 10],
        scaler="zscore",
        epochs=200,
    )
    assert frame.attrs["lr_stable"] == pytest.approx(edge)
    full = frame[frame["batch_size"].isna()]
    assert full["diverged"].tolist() == [False, False, True, True]
    assert np.isinf(full["final_loss"].iloc[-1])
    assert len(frame) == 8
    with pytest.raises(ValueError, match="positive finite"):
        stability_map(LeastSquares(), X, y, lrs=[-1.0])


def test_a_scaler_instance_given_is_not_refitted() -> None:
    # The caller's scaler keeps the statistics it was fitted with (scikit-learn clones too).
    X, y = lesson_data(n=30)
    mine = StandardScaler().fit(np.array([[0.0, 0.0], [2.0, 4.0]]))
    grid_runs(LeastSquares(), X, y, scalers={"mine": mine}, epochs=2)
    scaled_design(X, mine)
    np.testing.assert_array_equal(mine.mean_, [1.0, 2.0])
