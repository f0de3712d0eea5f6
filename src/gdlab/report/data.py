"""The built-in data of the report, shared by the experiments that use it.

The contour experiment's two-row problem is the lesson's own (§6). Part 2 reuses the lesson's
unit-mismatch story: ``y = 2 x1 - x2 + 1 + noise`` with x1 recorded in a unit ten times too
large (x 0.1) and x2 in one ten times too small (x 10), so the raw design is badly
conditioned and scaling has something to fix.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from gdlab import lesson
from gdlab.datasets import add_intercept, make_regression, rescale_columns
from gdlab.scaling import MinMaxScaler, StandardScaler

UNITS = (0.1, 10.0)
SEED = 24

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
    n_samples: int = 1000, noise: float = 0.01, seed: int = SEED
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Features with the lesson's unit mismatch (no intercept column) and labels ``(n,)``.

    Examples
    --------
    >>> X, y = regression_problem(n_samples=5)
    >>> X.shape, y.shape
    ((5, 2), (5,))
    """
    X, y = make_regression(n_samples, weights=(2.0, -1.0), bias=1.0, noise=noise, seed=seed)
    return np.asarray(rescale_columns(X, UNITS), dtype=np.float64), y


def design(X: NDArray[np.float64], scaling: str) -> NDArray[np.float64]:
    """Scale ``X`` by the named scaling of :data:`SCALINGS` and append the intercept last."""
    return np.asarray(add_intercept(SCALINGS[scaling](X)), dtype=np.float64)


def contour_problem() -> tuple[Array, Array, Array]:
    """The lesson's §6 problem: ``X = [[1, 1], [3, 1]]`` (intercept last), the same with its
    first column z-scored by the lesson's ``z_score``, and ``y = [2, 4]``.

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


def lesson_designs() -> dict[str, tuple[Array, Array]]:
    """Designs (intercept included) and labels the analyses check the theory on: the §6
    problem raw and z-scored, the regression set min-max and z-scored."""
    X6, Z6, y6 = contour_problem()
    X, y = regression_problem()
    return {
        "§6 raw": (X6, y6),
        "§6 z-scored": (Z6, y6),
        "§7 min-max": (design(X, "min-max"), y),
        "§7 z-score": (design(X, "z-score"), y),
    }


def design_key(name: str) -> str:
    """A :func:`lesson_designs` name as a key of ``ExperimentResult.numbers``.

    Examples
    --------
    >>> design_key("§6 z-scored")
    's6_z-scored'
    """
    return name.replace("§", "s").replace(" ", "_")
