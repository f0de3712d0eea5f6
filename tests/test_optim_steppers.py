"""The steppers behind one loop: same yields for every stepper, penalised fits on the fast
paths, a model written in one place, threads only when asked for.

Oracles: the step counters written out from the batch arithmetic, the NumPy stepper (for the
compiled and Gram ones), hand-written NumPy updates, scikit-learn's Ridge and central finite
differences.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize
from sklearn.linear_model import Ridge

from gdlab.estimators import GDClassifier, GDRegressor
from gdlab.models import InterceptFreeL2, LeastSquares, Logistic, Model
from gdlab.optim import descend, iterate, steppers
from gdlab.optim.options import Options

rng = np.random.default_rng(3)
X = np.c_[rng.normal(size=(50, 3)), np.ones(50)]
Y = X @ [1.0, -2.0, 0.5, 0.7] + 0.1 * rng.normal(size=50)
HAS_NUMBA = steppers.CompiledStepper.supports(
    LeastSquares(), Options(epochs=1, batch_size=1), False
)
needs_numba = pytest.mark.skipif(not HAS_NUMBA, reason="numba not installed")


def _steps(engine: str, every: str | None, **kw: Any) -> tuple[list[int], list[bool]]:
    gen = iterate(LeastSquares(), X, Y, lr=0.01, epochs=2, seed=0, engine=engine, every=every, **kw)
    events = list(gen)
    return [e.step for e in events], [e.recorded for e in events]


@needs_numba
@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_iterate_yields_at_the_granularity_asked_for_whatever_the_stepper(engine: str) -> None:
    # 50 rows in batches of 7: 8 updates an epoch, 16 in all; records every 5th update.
    kw = {"batch_size": 7, "record": 5}
    steps, recorded = _steps(engine, "update", **kw)
    assert steps == list(range(1, 17))
    assert [s for s, r in zip(steps, recorded, strict=True) if r] == [5, 10, 15]
    steps, recorded = _steps(engine, "record", **kw)
    assert steps == [5, 8, 10, 15, 16]  # records, and the two epoch ends
    assert recorded == [True, False, True, True, False]


@needs_numba
def test_the_compiled_stepper_one_update_at_a_time_gives_its_own_iterates() -> None:
    kw = {"lr": 0.01, "epochs": 3, "batch_size": 7, "seed": 1, "engine": "numba"}
    whole = descend(LeastSquares(), X, Y, record="step", **kw)
    gen = iterate(LeastSquares(), X, Y, record="step", every="update", **kw)
    ws = [e.w.copy() for e in gen]
    np.testing.assert_array_equal(np.stack(ws), whole.params[1:])


@needs_numba
@pytest.mark.parametrize("batch_size", [1, 8])
def test_a_penalised_regressor_runs_compiled_and_matches_the_numpy_stepper(batch_size: int) -> None:
    kw = {"lr": 0.01, "batch_size": batch_size, "max_iter": 5, "tol": None, "random_state": 0}
    fast = GDRegressor(l2=0.1, record=True, **kw).fit(X[:, :3], Y)
    assert fast.history_.config["engine"] == "numba"
    # The same objective on the NumPy stepper, the oracle for the compiled one, from the
    # estimator's start (the intercept at the mean of Y).
    model = InterceptFreeL2(LeastSquares(), l2=0.1)
    w0 = fast.history_.params[0]
    slow = descend(
        model, X, Y, lr=0.01, epochs=5, batch_size=batch_size, seed=0, engine="numpy", w0=w0
    )
    np.testing.assert_allclose(fast.history_.params, slow.params, rtol=1e-12, atol=1e-13)


def test_a_penalised_full_batch_fit_runs_on_the_gram_stepper_to_ridge() -> None:
    reg = GDRegressor(l2=0.2, lr=0.3, max_iter=5000, tol=1e-10).fit(X[:, :3], Y)
    assert reg.history_.config["engine"] == "gram"
    # Ours: mean(r^2) + l2/2 |w|^2, intercept free; sklearn's |r|^2 + alpha |w|^2, alpha = m l2/2.
    ridge = Ridge(alpha=len(Y) * 0.2 / 2).fit(X[:, :3], Y)
    np.testing.assert_allclose(reg.coef_, ridge.coef_, rtol=1e-8)
    assert reg.intercept_ == pytest.approx(ridge.intercept_, rel=1e-8)


@needs_numba
def test_a_penalised_classifier_runs_compiled() -> None:
    labels = (Y > 0).astype(int)
    clf = GDClassifier(
        l2=0.1, lr=0.1, batch_size=5, max_iter=3, tol=None, random_state=0, record=True
    )
    clf.fit(X[:, :3], labels)
    assert clf.history_.config["engine"] == "numba"
    slow = descend(InterceptFreeL2(Logistic(), 0.1), X, labels.astype(float), lr=0.1, epochs=3,
                   batch_size=5, seed=0, engine="numpy", w0=clf.history_.params[0])  # fmt: skip
    np.testing.assert_allclose(clf.history_.params, slow.params, rtol=1e-12, atol=1e-13)


@needs_numba
@pytest.mark.parametrize("batch_size", [1, 6])
def test_the_kernels_spare_the_intercept_from_the_penalty(batch_size: int) -> None:
    from gdlab.optim import compiled

    kern = compiled.kernel("LeastSquares", batch_size, spare=1)
    assert kern is not None
    order = np.random.default_rng(0).permutation(len(Y))
    nb = -(-len(Y) // batch_size)
    lrs = np.linspace(0.02, 0.01, nb)
    w = np.zeros(4)
    kern(w, X, Y, order, 0, nb, batch_size, lrs, 0.5, np.empty(4), np.empty((batch_size, 5)))
    expected = np.zeros(4)  # the updates written out in NumPy
    for b in range(nb):
        rows = order[b * batch_size : (b + 1) * batch_size]
        g = 2.0 * X[rows].T @ (X[rows] @ expected - Y[rows]) / len(rows)
        g[:-1] += 0.5 * expected[:-1]
        expected -= lrs[b] * g
    np.testing.assert_allclose(w, expected, rtol=1e-12, atol=1e-14)


class Cauchy(Model):
    """A model written in one place: the robust loss log(1 + (z - y)^2), from its link."""

    family = "Cauchy"
    curvature = 2.0

    def link(
        self, z: NDArray[np.float64], y: NDArray[Any], *, loss: bool = True, residual: bool = True
    ) -> tuple[float, NDArray[np.float64] | None]:
        r = z - y
        value = float(np.mean(np.log1p(r * r))) if loss else math.nan
        return value, (2.0 * r / (1.0 + r * r) if residual else None)

    def init_params(self, X: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
        return np.zeros(np.shape(X)[1])

    def predict(self, w: NDArray[np.float64], X: ArrayLike) -> NDArray[Any]:
        return np.asarray(X) @ w


@pytest.mark.parametrize("batch_size", [None, 5])
def test_a_new_model_needs_only_its_link(batch_size: int | None) -> None:
    model = Cauchy(l2=0.05)
    w = np.array([0.3, -0.2, 0.1, 0.4])
    numeric = np.array([
        (model.loss(w + e, X, Y) - model.loss(w - e, X, Y)) / 2e-6 for e in 1e-6 * np.eye(4)
    ])  # fmt: skip
    np.testing.assert_allclose(model.grad(w, X, Y), numeric, rtol=1e-6)
    out, work = np.empty(4), np.empty(50)
    np.testing.assert_allclose(model.grad_into(w, X, Y, out, work), numeric, rtol=1e-6)
    t = descend(model, X, Y, lr=0.2, epochs=400, batch_size=batch_size, seed=0, gtol=1e-9)
    assert t.config["engine"] == "numpy"
    best = minimize(model.loss, np.zeros(4), args=(X, Y), method="BFGS", tol=1e-12).x
    if batch_size is None:  # full batch reaches the minimiser itself
        np.testing.assert_allclose(t.w, best, atol=1e-6)
    else:  # mini-batches hover near it
        np.testing.assert_allclose(t.w, best, atol=0.1)


def test_an_engine_that_cannot_run_says_what_it_needs() -> None:
    with pytest.raises(ValueError, match=r"engine='gram' needs LeastSquares, batch_size=None"):
        descend(Cauchy(), X, Y, lr=0.1, epochs=1, engine="gram")
    with pytest.raises(ValueError, match="every must be 'update', 'record' or None"):
        descend(LeastSquares(), X, Y, lr=0.1, epochs=1, every="often")
    with pytest.raises(TypeError, match="unexpected keyword argument 'epoch'"):
        descend(LeastSquares(), X, Y, lr=0.1, epoch=1)


def test_the_intercept_free_penalty_is_the_models_l2() -> None:
    model = InterceptFreeL2(LeastSquares(), l2=0.4)
    assert model.l2 == model.strength == 0.4 and model.penalty.spare_last
    assert model.family == "LeastSquares"


@needs_numba
def test_a_compiled_loop_is_ready_before_the_clock_starts() -> None:
    # A fresh interpreter: numba compiles (or loads) a kernel on its first call, which the
    # first run's recorded time used to include (0.5 s against 5 ms: budget="time" skewed).
    import subprocess
    import sys

    code = """
import numpy as np
from gdlab.models import LeastSquares
from gdlab.optim import compiled
from gdlab.optim.loop import Run
from gdlab.optim.options import Options
X = np.c_[np.random.default_rng(0).normal(size=(40, 2)), np.ones(40)]
run = Run(LeastSquares(), X, X @ [1.0, 2.0, 3.0], Options(epochs=2, lr=0.01, batch_size=4))
print(run.stepper.name, len(compiled._batches.signatures))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    name, signatures = out.stdout.split()
    assert name == "numba" and int(signatures) >= 1
