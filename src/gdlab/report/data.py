"""The built-in data of the report, shared by the experiments that use it.

The contour experiment's two-row problem is the lesson's own (一、3). Part 二 runs on one data
set throughout, the lesson's own law ``y = 200 x1 - x2 + 1`` with its unit mismatch (x1
recorded x 0.1, x2 x 10), Gaussian noise of standard deviation 1 (the mini-batch noise band
is the gradient noise at the optimum, which noise-free data would not have) and features
correlated 0.9, as measured features often are. Scaling fixes the units but not the
correlation, so even z-scored the loss keeps a condition number near 20: full-batch descent
still needs many passes, which is where mini-batches and a decaying rate earn their place.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from gdlab import lesson
from gdlab.datasets import add_intercept, make_regression, rescale_columns
from gdlab.report.legacy_rng import lesson_seed
from gdlab.scaling import MinMaxScaler, StandardScaler

UNITS = (0.1, 10.0)
LAW = (200.0, -1.0, 1.0)
SEED = 24
CORRELATION = 0.9
NOISE = 1.0
# Part 一's label noise: the lesson's ``arrayGenReg(..., delta=0.01)``.
LESSON_NOISE = 0.01

Array = NDArray[np.float64]
Scaling = Callable[[NDArray[np.float64]], NDArray[np.float64]]


def _raw(X: NDArray[np.float64]) -> NDArray[np.float64]:
    return X


def _minmax(X: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(MinMaxScaler().fit_transform(X), dtype=np.float64)


def _zscore(X: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(StandardScaler().fit_transform(X), dtype=np.float64)


# Report order and names of the feature scalings compared in part 2.
SCALINGS: dict[str, Scaling] = {"raw": _raw, "min-max": _minmax, "z-score": _zscore}


def regression_problem(
    n_samples: int = 1000,
    noise: float = NOISE,
    seed: int = SEED,
    correlation: float = CORRELATION,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Part 二's data: ``y = 200 x1 - x2 + 1 + noise``, x1 recorded x 0.1 and x2 x 10.

    ``x1`` is standard normal and ``x2 = correlation x1 + sqrt(1 - correlation^2) z`` with
    ``z`` standard normal, so both have unit variance before the unit mismatch.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The recorded features (no intercept column).
    y : ndarray of shape (n_samples,)

    Examples
    --------
    >>> X, y = regression_problem(n_samples=2000, noise=0.0)
    >>> X.shape, round(float(np.corrcoef(X.T)[0, 1]), 1)
    ((2000, 2), 0.9)
    >>> bool(np.allclose(y, 200 * (X[:, 0] / 0.1) - X[:, 1] / 10 + 1))
    True
    """
    if not -1 < correlation < 1:
        raise ValueError(f"correlation must be in (-1, 1), got {correlation}")
    rng = np.random.default_rng(seed)
    Z, _ = make_regression(n_samples, weights=(0.0, 0.0), bias=0.0, noise=0.0, seed=rng)
    X = np.column_stack([Z[:, 0], correlation * Z[:, 0] + math.sqrt(1 - correlation**2) * Z[:, 1]])
    y = X @ np.array(LAW[:2]) + LAW[2] + noise * rng.standard_normal(n_samples)
    return np.asarray(rescale_columns(X, UNITS), dtype=np.float64), y


def design(X: NDArray[np.float64], scaling: str) -> NDArray[np.float64]:
    """Scale ``X`` by the named scaling of :data:`SCALINGS` and append the intercept last."""
    return np.asarray(add_intercept(SCALINGS[scaling](X)), dtype=np.float64)


def contour_problem() -> tuple[Array, Array, Array]:
    """The lesson's contour problem (一、3): ``X = [[1, 1], [3, 1]]`` (intercept last), the
    same with its first column z-scored by the lesson's ``z_score``, and ``y = [2, 4]``.

    Examples
    --------
    >>> X, X_norm, y = contour_problem()
    >>> X_norm.tolist(), y.tolist()
    ([[-1.0, 1.0], [1.0, 1.0]], [2.0, 4.0])
    """
    X = np.array([[1.0, 1.0], [3.0, 1.0]])
    X_norm = X.copy()
    X_norm[:, :1] = lesson.z_score(X[:, :1])
    return X, X_norm, np.array([2.0, 4.0])


def unit_mismatch_data() -> tuple[Array, Array, Array, Array]:
    """Part 一's data, drawn as the lesson draws it (``np.random.seed(24)``, then
    ``arrayGenReg(w=[200, -1, 1], delta=0.01)`` for 1,000 rows and again for 100 new rows),
    with x1 recorded x 0.1 and x2 x 10.

    Returns
    -------
    X, y : ndarray of shape (1000, 2) and (1000,)
        The training rows as recorded (no intercept column) and their labels.
    X_new, y_new : ndarray of shape (100, 2) and (100,)
        The new rows the lesson predicts, recorded the same way.

    Examples
    --------
    >>> X, y, X_new, y_new = unit_mismatch_data()
    >>> X.shape, X_new.shape, round(float(X[0, 0]), 8)  # the lesson prints 0.13292122
    ((1000, 2), (100, 2), 0.13292122)
    """
    with lesson_seed(SEED):
        features, labels = lesson.arrayGenReg(w=list(LAW), delta=LESSON_NOISE)
        new_features, new_labels = lesson.arrayGenReg(
            num_examples=100, w=list(LAW), delta=LESSON_NOISE
        )
    return (
        np.asarray(rescale_columns(features[:, :2], UNITS), dtype=np.float64),
        labels[:, 0],
        np.asarray(rescale_columns(new_features[:, :2], UNITS), dtype=np.float64),
        new_labels[:, 0],
    )


def appendix_problems() -> dict[str, tuple[Array, Array]]:
    """Designs (intercept included) and labels the appendix checks the theory on, under the
    keys its words use: ``lesson_raw``, ``lesson_zscore`` (the contour problem, 一、3),
    ``part2_minmax``, ``part2_zscore`` (part 二's data)."""
    X6, Z6, y6 = contour_problem()
    X, y = regression_problem()
    return {
        "lesson_raw": (X6, y6),
        "lesson_zscore": (Z6, y6),
        "part2_minmax": (design(X, "min-max"), y),
        "part2_zscore": (design(X, "z-score"), y),
    }
