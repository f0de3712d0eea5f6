"""descend/iterate: batching, seeds, recording, schedules, stopping, divergence, errors."""

from __future__ import annotations

import math
import warnings
from collections.abc import Generator

import numpy as np
import pytest

from gdlab import schedules
from gdlab.models import LeastSquares, Logistic, Softmax
from gdlab.optim import Step, descend, iterate
from gdlab.trajectory import Trajectory


def _data(n: int = 50, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.c_[rng.normal(size=(n, 2)) * [1.0, 3.0], np.ones(n)]
    return X, X @ [2.0, -1.0, 1.0] + 0.1 * rng.normal(size=n)


X, Y = _data()


def _drain(gen: Generator[Step, None, Trajectory]) -> tuple[list[Step], Trajectory]:
    """Every step ``iterate`` yields, and the trajectory it returns."""
    steps: list[Step] = []
    while True:
        try:
            steps.append(next(gen))
        except StopIteration as done:
            return steps, done.value


@pytest.mark.parametrize(("batch_size", "per_epoch"), [(None, 1), (1, 50), (7, 8), (50, 1)])
def test_updates_per_epoch_and_last_partial_batch(batch_size: int | None, per_epoch: int) -> None:
    t = descend(LeastSquares(), X, Y, lr=0.01, epochs=3, batch_size=batch_size, seed=0)
    assert t.step.tolist() == [0, per_epoch, 2 * per_epoch, 3 * per_epoch]
    assert t.samples_seen.tolist() == [0, 50, 100, 150]  # the last partial batch is kept


def test_batch_size_n_without_shuffle_equals_full_batch() -> None:
    full = descend(LeastSquares(), X, Y, lr=0.02, epochs=30, engine="numpy")
    whole = descend(LeastSquares(), X, Y, lr=0.02, epochs=30, batch_size=50, shuffle=False)
    np.testing.assert_allclose(whole.params, full.params, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(whole.loss, full.loss, rtol=1e-13)


def test_same_seed_same_trajectory_different_seed_different_order() -> None:
    kw = dict(lr=0.01, epochs=4, batch_size=5, method="momentum")
    a = descend(LeastSquares(), X, Y, seed=11, **kw)  # type: ignore[arg-type]
    b = descend(LeastSquares(), X, Y, seed=11, **kw)  # type: ignore[arg-type]
    c = descend(LeastSquares(), X, Y, seed=12, **kw)  # type: ignore[arg-type]
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.loss, b.loss)
    assert not np.array_equal(a.params[1], c.params[1])
    # A Generator works like its seed.
    g = descend(LeastSquares(), X, Y, seed=np.random.default_rng(11), **kw)  # type: ignore[arg-type]
    np.testing.assert_array_equal(a.params, g.params)


def test_shuffle_order_is_one_permutation_per_epoch_from_the_seed() -> None:
    # SGD with lr -> 0 is not needed: replay the permutations by hand with plain NumPy.
    kw = dict(lr=0.01, epochs=2, batch_size=10)
    t = descend(LeastSquares(), X, Y, seed=5, record="step", **kw)  # type: ignore[arg-type]
    rng = np.random.default_rng(5)
    w = np.zeros(3)
    rows = []
    for _ in range(2):
        perm = rng.permutation(50)
        for s in range(0, 50, 10):
            idx = perm[s : s + 10]
            r = X[idx] @ w - Y[idx]
            w = w - 0.01 * (2 * X[idx].T @ r / 10)
            rows.append(w)
    np.testing.assert_allclose(t.params[1:], np.array(rows), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(("record", "rows"), [("epoch", 5), ("step", 41), (3, 15), (40, 2)])
def test_record_lengths(record: str | int, rows: int) -> None:
    t = descend(LeastSquares(), X, Y, lr=0.01, epochs=4, batch_size=5, seed=0, record=record)
    assert len(t) == rows
    assert t.step[-1] == 40 and t.epoch[-1] == 4  # the final point is always recorded
    if isinstance(record, int) and record < 40:
        assert (t.step[1:-1] % record == 0).all()


def test_per_step_schedule_is_applied_to_each_update() -> None:
    s = schedules.exponential(lr=0.05, gamma=0.9)
    t = descend(LeastSquares(), X, Y, lr=s, epochs=2, batch_size=10, seed=0, lr_per="step",
                record="step")  # fmt: skip
    np.testing.assert_allclose(t.lr[1:], s(np.arange(10)), rtol=1e-15)
    e = descend(LeastSquares(), X, Y, lr=s, epochs=3, batch_size=10, seed=0, record="step")
    np.testing.assert_allclose(e.lr[1:], np.repeat(s(np.arange(3)), 5), rtol=1e-15)
    assert e.config["lr"] == str(s) and e.config["schedule"] == schedules.to_dict(s)


def test_plateau_controller_shrinks_the_rate_when_the_loss_stalls() -> None:
    # lr far too large for SGD: the loss stalls in a noisy band, so the controller cuts lr.
    rop = schedules.ReduceOnPlateau(factor=0.5, patience=1, threshold=0.0)
    t = descend(LeastSquares(), X, Y, lr=0.02, epochs=30, batch_size=1, seed=0, plateau=rop)
    assert t.lr[-1] < 0.02 and set(np.round(t.lr[1:] / 0.02, 12)) <= {0.5**k for k in range(31)}
    assert "ReduceOnPlateau" in t.config["plateau"]


def test_tol_stops_a_flat_loss_as_stalled_not_converged() -> None:
    t = descend(LeastSquares(), X, Y, lr=0.01, epochs=500, batch_size=10, seed=0,
                tol=1e-3, n_iter_no_change=3)  # fmt: skip
    assert t.status == "stalled" and "3 epochs in a row" in t.reason
    # Replay the rule on the recorded epoch losses: stop at the first 3 epochs in a row whose
    # loss lies within tol * |best| of the best so far (below the band resets, and so does
    # above it: an oscillation is not a plateau).
    best, count, stop = math.inf, 0, None
    for e, v in enumerate(t.loss[1:], start=1):
        band = 1e-3 * (abs(best) if math.isfinite(best) else 1)
        count = count + 1 if best - band < v <= best + band else 0
        best = min(best, v)
        if count >= 3:
            stop = e
            break
    assert stop == t.n_epochs


def test_tol_does_not_stop_an_oscillating_loss() -> None:
    # Momentum at a rate near the edge of stability for single rows: the epoch loss jumps
    # up and down, far above its best, and never settles; a rule that counted every epoch
    # above the best as "no improvement" stopped this run as if it had settled.
    t = descend(LeastSquares(), X, Y, lr=0.005, epochs=60, batch_size=1, seed=0,
                method="momentum", tol=1e-3, n_iter_no_change=3)  # fmt: skip
    jumps = np.abs(np.diff(t.loss[1:])) / t.loss[1:-1]
    assert np.median(jumps) > 0.05  # oscillating
    assert t.status == "max_epochs" and t.n_epochs == 60


def test_gtol_and_validation_split() -> None:
    t = descend(LeastSquares(), X, Y, lr=0.02, epochs=5000, gtol=1e-8)
    assert t.status == "converged" and t.grad_norm[-1] <= 1e-8 and t.n_epochs < 5000
    v = descend(LeastSquares(), X, Y, lr=0.01, epochs=5, batch_size=4, seed=0,
                validation_fraction=0.2)  # fmt: skip
    assert v.val_loss is not None and v.val_loss.shape == (6,) and np.isfinite(v.val_loss).all()
    assert v.samples_seen[1] == 40 and v.state["val_index"].shape == (10,)


@pytest.mark.parametrize("batch_size", [None, 1, 8])
def test_divergence_stops_with_a_stable_lr_and_no_warnings(batch_size: int | None) -> None:
    model = LeastSquares()
    stable = 2.0 / model.lipschitz(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = descend(model, X, Y, lr=50 * stable, epochs=200, batch_size=batch_size, seed=0)
    assert t.status == "diverged"
    assert "try lr=" in t.reason
    if batch_size is None:
        assert f"2/L = {stable:.4g}" in t.reason
    else:
        # The full-batch 2/L holds for the mean of the rows, not for a batch of them: the
        # bound quoted is that of the most curved row, 2 / (2 max ||x_i||^2).
        row_bound = 2.0 / (2.0 * np.einsum("ij,ij->i", X, X).max())
        assert "2/L =" not in t.reason and f"2/L_max = {row_bound:.4g}" in t.reason
    assert np.isfinite(t.params).all() and np.isfinite(t.loss).all()


def test_logistic_with_huge_steps_stays_finite_and_silent() -> None:
    Xl = X * 1e3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = descend(Logistic(), Xl, (Y > 1).astype(float), lr=1e3, epochs=50, batch_size=5,
                    seed=0, record="step")  # fmt: skip
    assert t.status in ("diverged", "max_epochs")
    assert np.isfinite(t.loss).all()


def test_iterate_yields_every_update_and_returns_the_trajectory() -> None:
    gen = iterate(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=20, seed=0, engine="numpy")
    steps, t = _drain(gen)
    assert [s.step for s in steps] == [1, 2, 3, 4, 5, 6]
    assert [s.epoch for s in steps] == [0, 0, 1, 1, 1, 2]
    assert [s.recorded for s in steps] == [False] * 6  # epoch records come after the step
    ref = descend(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=20, seed=0, engine="numpy")
    np.testing.assert_array_equal(t.params, ref.params)


def test_iterate_does_not_silence_the_callers_warnings() -> None:
    gen = iterate(LeastSquares(), X, Y, lr=0.01, epochs=2)
    next(gen)
    with pytest.warns(RuntimeWarning):
        np.log(np.zeros(1))
    gen.close()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epochs": -1}, ValueError, "epochs must be an int >= 0"),
        ({"batch_size": 0}, ValueError, "batch_size must be an int >= 1"),
        ({"method": "sgdx"}, ValueError, "method must be one of"),
        ({"record": "often"}, ValueError, "record must be 'epoch', 'step' or an int"),
        ({"lr_per": "batch"}, ValueError, "lr_per must be 'epoch' or 'step'"),
        ({"lr": None}, TypeError, "needs lr="),
        ({"engine": "gram", "batch_size": 5}, ValueError, "engine='gram' needs"),
        ({"validation_fraction": 1.5}, ValueError, "validation_fraction must be in"),
        ({"seed": "x"}, TypeError, "seed must be an int"),
        ({"tol": -1.0}, ValueError, "tol must be a float >= 0"),
        ({"w0": np.zeros(2)}, ValueError, "w0 must have shape"),
    ],
)
def test_bad_arguments_raise(kwargs: dict[str, object], error: type, match: str) -> None:
    args: dict[str, object] = {"lr": 0.01, "epochs": 2, **kwargs}
    with pytest.raises(error, match=match):
        descend(LeastSquares(), X, Y, **args)  # type: ignore[arg-type]


def test_model_must_be_a_gdlab_model() -> None:
    with pytest.raises(TypeError, match="model must be a gdlab model"):
        descend("ls", X, Y, lr=0.1, epochs=1)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ["gram", "numpy"])
@pytest.mark.parametrize("batch_size", [None, 5])
def test_non_finite_data_is_reported(engine: str, batch_size: int | None) -> None:
    if engine == "gram" and batch_size is not None:
        return
    for bad in (np.nan, np.inf):
        Xb = X.copy()
        Xb[3, 1] = bad
        with pytest.raises(ValueError, match="NaN or infinite"):
            descend(LeastSquares(), Xb, Y, lr=0.01, epochs=2, batch_size=batch_size, engine=engine)
    Yb = Y.copy()
    Yb[0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        descend(LeastSquares(), X, Yb, lr=0.01, epochs=2, batch_size=batch_size, engine=engine)


def test_iterate_with_the_compiled_loop_yields_at_records() -> None:
    gen = iterate(LeastSquares(), X, Y, lr=0.01, epochs=2, batch_size=1, seed=0, record=20)
    steps, t = _drain(gen)
    assert t.config["engine"] == "numba"
    assert [s.step for s in steps] == [20, 40, 50, 60, 80, 100]  # records and epoch ends
    assert [s.recorded for s in steps] == [True, True, False, True, True, True]
    assert t.step.tolist() == [0, 20, 40, 60, 80, 100]


@pytest.mark.parametrize("lr_per", ["epoch", "step"])
def test_schedule_checked_only_over_the_counters_the_run_uses(lr_per: str) -> None:
    # Rates are computed in blocks of counters reaching past the run; a schedule that leaves
    # its valid range only there (here: negative from counter 50 on) must not stop a run that
    # ends before it, and must stop one that reaches it.
    fading = schedules.factor(0.01, lambda t: 1.0 - t / 50.0)
    ok = descend(LeastSquares(), X, Y, lr=fading, epochs=5, batch_size=10, lr_per=lr_per)
    assert ok.status == "max_epochs"
    with pytest.raises(ValueError, match="negative or non-finite learning rate"):
        descend(LeastSquares(), X, Y, lr=fading, epochs=60, batch_size=10, lr_per=lr_per)


def test_softmax_class_seen_only_in_the_validation_rows() -> None:
    # Parameters take their shape from all rows: seed 4 holds out the one row of class 2
    # (found: an IndexError in the validation loss when the shape came from training rows).
    rng = np.random.default_rng(0)
    Xs = rng.normal(size=(40, 2))
    ys = np.r_[np.zeros(20), np.ones(19), [2]].astype(int)
    for seed in range(8):
        t = descend(Softmax(), Xs, ys, lr=0.1, epochs=2, validation_fraction=0.25, seed=seed)
        assert t.w.shape == (2, 3)
        assert t.val_loss is not None and np.isfinite(t.val_loss).all()


@pytest.mark.parametrize("lr_per", ["epoch", "step"])
def test_user_schedule_is_called_only_for_counters_the_run_uses(lr_per: str) -> None:
    # A lookup table as long as the run (the lesson's lr_lambda style): rates are computed
    # in blocks, which must stop at the run's last counter (found: an IndexError at 5).
    epochs, per_epoch = 5, 5
    table = [0.01 * 0.9**k for k in range(epochs if lr_per == "epoch" else epochs * per_epoch)]
    lookup = schedules.factor(1.0, lambda t: table[t])
    t = descend(LeastSquares(), X, Y, lr=lookup, epochs=epochs, batch_size=10, lr_per=lr_per)
    assert t.status == "max_epochs"
    assert t.lr[-1] == pytest.approx(table[-1], rel=1e-15)


def test_overflowing_data_is_a_value_error_without_warnings() -> None:
    # X^T X overflows while the run is built (found: "overflow encountered in matmul" first).
    Xh = np.c_[np.full((10, 1), 1e200), np.ones(10)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="X\\^T X overflows"):
            descend(LeastSquares(), Xh, np.ones(10), lr=0.1, epochs=2)


def test_a_run_started_at_the_optimum_is_not_called_diverged():
    # Noiseless data: the starting loss at the least-squares solution is ~1e-30, and Adam's
    # normalised steps move away from it (to ~1e-3). Measured against the start alone that
    # looked like a 1e6-fold explosion; the loss at w = 0 (mean y^2, here ~5) is the scale.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 3))
    y = X @ np.array([1.0, -2.0, 0.5])
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    t = descend(
        LeastSquares(), X, y, lr=0.1, epochs=5, batch_size=32, w0=w_star, seed=0, method="adam"
    )
    assert t.loss[0] < 1e-20 < t.loss.max()
    assert t.status == "max_epochs", t.reason
    # A genuine explosion from the same start is still caught.
    t = descend(LeastSquares(), X, y, lr=50.0, epochs=5, w0=w_star + 1.0)
    assert t.status == "diverged"
    assert "loss at w = 0" in t.reason or "nan" in t.reason or "inf" in t.reason


def test_a_logistic_loss_that_climbs_far_above_its_start_is_diverged() -> None:
    # The cross-entropy grows only linearly in |w|: from log 2 it reached 7e4, never the
    # former 1e6-fold bar, and the run was reported as "max_epochs".
    rng = np.random.default_rng(3)
    X = np.c_[rng.normal(size=(200, 1)) * 1000.0 + 5000.0, np.ones(200)]
    y = (X[:, 0] > 5000.0).astype(float)
    t = descend(Logistic(), X, y, lr=0.1, epochs=50)
    assert t.status == "diverged"
    assert float(t.loss.max()) < 1e6 * math.log(2)  # the old bar was never reached
    assert float(t.loss[-1]) > 1e3 * math.log(2)
    assert "more than 1000 x the reference 0.693" in t.reason and "try lr=" in t.reason
    # A stable rate on the same data is left alone.
    assert descend(Logistic(), X, y, lr=1e-8, epochs=50).status == "max_epochs"


@pytest.mark.parametrize("model", [LeastSquares(), Logistic(), Softmax()])
def test_divergence_on_huge_features_is_reported_not_a_linalg_error(model) -> None:
    # X^T X overflows at |x| ~ 1e154: numpy's eigvalsh said "Eigenvalues did not converge"
    # while the divergence reason asked for L.
    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=(20, 2)) * 1e155, np.ones(20)]
    y = (X[:, 0] > 0).astype(float)
    t = descend(model, X, y, lr=0.1, epochs=3, batch_size=5, seed=0)
    assert t.status == "diverged"
    assert "lower the learning rate" in t.reason or "try lr=" in t.reason


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (np.ones((5, 0)), "no columns"),
        (np.ones((5, 2)) * (1 + 2j), "complex"),
    ],
)
def test_descend_refuses_no_columns_and_complex_features(X: np.ndarray, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        descend(LeastSquares(), X, np.ones(5), lr=0.1, epochs=2)


def test_a_softmax_label_far_beyond_the_rows_is_refused() -> None:
    # max(y) + 1 = 1e9 classes asked for 447 GiB of weights.
    X = np.c_[np.arange(4.0), np.ones(4)]
    with pytest.raises(ValueError, match="more classes than the 4 rows"):
        descend(Softmax(), X, np.array([0, 1, 2, 1e9]), lr=0.1, epochs=1)
    t = descend(Softmax(n_classes=6), X, np.array([0, 1, 2, 5]), lr=0.1, epochs=1)
    assert t.w.shape == (2, 6)  # an explicit count is taken as given
