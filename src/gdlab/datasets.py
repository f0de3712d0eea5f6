"""Data sets for gradient-descent experiments: generated regression and classification data,
the unit-mismatch transform of the lesson, and the iris data shipped with scikit-learn.

Randomness comes only from a :class:`numpy.random.Generator` (``seed`` is ``None``, an int or a
Generator), never from NumPy's global state; :mod:`gdlab.lesson` keeps the course's
global-RNG generators for reproducing its printed numbers. Targets are 1-D ``(n,)`` arrays and
features carry no ones column: :func:`add_intercept` appends it when a model needs one.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "add_intercept",
    "load_iris",
    "make_classification",
    "make_regression",
    "rescale_columns",
]

Seed = int | np.random.Generator | None


def _rng(seed: Seed) -> np.random.Generator:
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise TypeError(
        f"seed must be None, a non-negative int or a numpy.random.Generator, got {seed!r}; "
        "pass e.g. seed=0 for reproducible data."
    )


def _count(name: str, value: Any, minimum: int = 1) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}; pass a larger {name}.")
    return int(value)


def _finite_vector(name: str, value: ArrayLike, size: int | None = None) -> NDArray[np.float64]:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a sequence of numbers, got {value!r}.") from exc
    if arr.ndim != 1 or arr.size == 0 or (size is not None and arr.size != size):
        want = f"{size} numbers" if size is not None else "a non-empty 1-D sequence of numbers"
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}: {value!r}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}; remove the nan/inf entries.")
    return arr


def _non_negative(name: str, value: Any) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}.")
    out = float(value)
    if not np.isfinite(out) or out < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {value}.")
    return out


def make_regression(
    n_samples: int = 1000,
    weights: ArrayLike = (2, -1),
    bias: float = 1.0,
    noise: float = 0.01,
    degree: int = 1,
    seed: Seed = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Linear (or power) regression data with standard normal features and Gaussian noise.

    .. math:: y_i = \\sum_j w_j x_{ij}^{p} + b + \\sigma \\varepsilon_i,
       \\quad x_{ij}, \\varepsilon_i \\sim \\mathcal{N}(0, 1)

    with ``p = degree``, ``b = bias`` and ``sigma = noise`` (the lesson's ``arrayGenReg``
    with a Generator instead of the global RNG: features first, then the noise).

    Parameters
    ----------
    n_samples : int
        Number of rows ``n``.
    weights : sequence of float
        True coefficients ``w``, one per feature ``d = len(weights)``.
    bias, noise : float
        Intercept ``b`` and noise standard deviation (``noise >= 0``).
    degree : int
        Power ``p`` applied to every feature before the linear map.
    seed : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of shape (n_samples, len(weights))
    y : ndarray of shape (n_samples,)

    Examples
    --------
    >>> X, y = make_regression(n_samples=4, weights=(2.0, -1.0), noise=0.0, seed=0)
    >>> X.shape, y.shape
    ((4, 2), (4,))
    >>> bool(np.allclose(y, 2 * X[:, 0] - X[:, 1] + 1))
    True
    """
    n = _count("n_samples", n_samples)
    w = _finite_vector("weights", weights)
    p = _count("degree", degree)
    sigma = _non_negative("noise", noise)
    if not isinstance(bias, numbers.Real) or isinstance(bias, bool):
        raise TypeError(f"bias must be a real number, got {type(bias).__name__} {bias!r}.")
    if not np.isfinite(float(bias)):
        raise ValueError(f"bias must be finite, got {bias}.")
    rng = _rng(seed)
    X = rng.standard_normal((n, w.size))
    y = np.power(X, p) @ w + float(bias) + sigma * rng.standard_normal(n)
    return X, y


def make_classification(
    n_per_class: int = 500,
    n_features: int = 2,
    n_classes: int = 3,
    spread: Sequence[float] = (4, 2),
    seed: Seed = None,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Gaussian blobs along the diagonal, one per class, as the lesson's ``arrayGenCla``.

    With ``spread = (m, s)`` and ``C = n_classes``, the rows of class ``i`` are drawn, in class
    order, as

    .. math:: x \\sim \\mathcal{N}\\big((i m - m (C - 1) / 2)\\,\\mathbf{1},\\; s^2 I\\big)

    so the class centres are symmetric around the origin, ``m`` apart.

    Returns
    -------
    X : ndarray of shape (n_per_class * n_classes, n_features)
    y : ndarray of int64, shape (n_per_class * n_classes,), class ids ``0 .. C-1``

    Examples
    --------
    >>> X, y = make_classification(n_per_class=2, n_classes=2, seed=0)
    >>> X.shape, y
    ((4, 2), array([0, 0, 1, 1]))
    """
    n = _count("n_per_class", n_per_class)
    d = _count("n_features", n_features)
    c = _count("n_classes", n_classes, minimum=2)
    mean, std = _finite_vector("spread", spread, size=2)
    if std < 0:
        raise ValueError(f"spread[1] is a standard deviation and must be >= 0, got {std}.")
    rng = _rng(seed)
    centres = np.arange(c) * mean - mean * (c - 1) / 2
    X = rng.normal(np.repeat(centres, n)[:, None], std, size=(n * c, d))
    y = np.repeat(np.arange(c, dtype=np.int64), n)
    return X, y


def _matrix(X: ArrayLike) -> NDArray[Any]:
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise ValueError(
            f"X must be a 2-D array (n_samples, n_features), got shape {arr.shape}; "
            "reshape a single feature with X.reshape(-1, 1)."
        )
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"X must be numeric, got dtype {arr.dtype}.")
    return arr


def add_intercept(X: ArrayLike) -> NDArray[Any]:
    """Append a column of ones **last**, as the lesson does, so ``w[-1]`` is the intercept.

    .. math:: [X \\;|\\; \\mathbf{1}]

    Returns a new float array of shape ``(n, d + 1)``.

    Examples
    --------
    >>> add_intercept(np.array([[2.0], [3.0]]))
    array([[2., 1.],
           [3., 1.]])
    """
    arr = _matrix(X)
    dtype = np.result_type(arr.dtype, np.float32)
    return np.hstack((arr.astype(dtype, copy=False), np.ones((arr.shape[0], 1), dtype=dtype)))


def rescale_columns(X: ArrayLike, factors: ArrayLike) -> NDArray[Any]:
    """Multiply column ``j`` by ``factors[j]``: a change of units that creates scale mismatch.

    .. math:: x'_{ij} = c_j\\, x_{ij}

    The lesson measures ``x1`` in a unit 10x larger (``c = 0.1``) and ``x2`` in one 10x smaller
    (``c = 10``); least squares then gives coefficients ``1/c_j`` times the true ones.
    Returns a new array; ``X`` is not modified.

    Examples
    --------
    >>> rescale_columns(np.array([[1.0, 1.0, 1.0]]), (0.1, 10, 1))
    array([[ 0.1, 10. ,  1. ]])
    """
    arr = _matrix(X)
    c = _finite_vector("factors", factors, size=arr.shape[1])
    return arr * c


def load_iris(as_frame: bool = False) -> tuple[Any, Any]:
    """The iris data (150 flowers, 4 measurements in cm, 3 species) from scikit-learn's copy.

    No network access: the CSV ships inside scikit-learn.

    Returns
    -------
    X : ndarray of shape (150, 4), or a pandas DataFrame with the feature names
    y : ndarray of int of shape (150,), or a pandas Series named ``target``

    Examples
    --------
    >>> X, y = load_iris()
    >>> X.shape, sorted(set(y.tolist()))
    ((150, 4), [0, 1, 2])
    """
    from sklearn.datasets import load_iris as _sk_load_iris

    X, y = _sk_load_iris(return_X_y=True, as_frame=bool(as_frame))
    return X, y
