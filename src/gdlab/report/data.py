"""The built-in data of part 2 of the lesson, shared by the experiments that use it.

Part 2 reuses the lesson's unit-mismatch story: ``y = 2 x1 - x2 + 1 + noise`` with x1 recorded
in a unit ten times too large (x 0.1) and x2 in one ten times too small (x 10), so the raw
design is badly conditioned and scaling has something to fix.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from gdlab.datasets import add_intercept, make_regression, rescale_columns
from gdlab.scaling import MinMaxScaler, StandardScaler

UNITS = (0.1, 10.0)
SEED = 24

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
