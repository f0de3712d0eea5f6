"""gdlab.datasets: shapes, draw order, statistics, validation; least squares and scikit-learn
as oracles."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import sklearn.datasets
from numpy.testing import assert_allclose, assert_array_equal

from gdlab.datasets import (
    add_intercept,
    load_iris,
    make_classification,
    make_regression,
    rescale_columns,
)


def test_make_regression_shapes_and_defaults() -> None:
    X, y = make_regression(seed=0)
    assert X.shape == (1000, 2)
    assert y.shape == (1000,)
    assert X.dtype == y.dtype == np.float64


def test_make_regression_draw_order_features_then_noise() -> None:
    X, y = make_regression(
        n_samples=50, weights=(1.0, 2.0, -3.0), bias=0.5, noise=0.2, degree=3, seed=7
    )
    rng = np.random.default_rng(7)
    raw = rng.standard_normal((50, 3))
    eps = rng.standard_normal(50)
    assert_array_equal(X, raw)
    assert_allclose(y, raw**3 @ [1.0, 2.0, -3.0] + 0.5 + 0.2 * eps, rtol=1e-13)


def test_make_regression_reproducible_and_generator_accepted() -> None:
    a = make_regression(n_samples=20, seed=3)
    b = make_regression(n_samples=20, seed=np.random.default_rng(3))
    c = make_regression(n_samples=20, seed=4)
    assert_array_equal(a[0], b[0])
    assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_make_regression_least_squares_recovers_weights() -> None:
    # Oracle: the least-squares fit of the generated data is within a few noise standard
    # errors of the true weights and bias.
    X, y = make_regression(n_samples=5000, weights=(200.0, -1.0), bias=1.0, noise=0.01, seed=1)
    coef = np.linalg.lstsq(add_intercept(X), y, rcond=None)[0]
    assert_allclose(coef, [200.0, -1.0, 1.0], rtol=0, atol=2e-3)
    resid = y - add_intercept(X) @ coef
    assert resid.std() == pytest.approx(0.01, rel=0.05)


def test_make_classification_layout_and_statistics() -> None:
    X, y = make_classification(n_per_class=4000, n_features=2, n_classes=3, spread=(4, 2), seed=0)
    assert X.shape == (12000, 2)
    assert y.dtype == np.int64
    assert_array_equal(y, np.repeat([0, 1, 2], 4000))
    # Centres i*4 - 4*(3-1)/2 = -4, 0, 4 in every coordinate, std 2 (standard error ~0.03).
    for i, centre in enumerate((-4.0, 0.0, 4.0)):
        block = X[y == i]
        assert_allclose(block.mean(axis=0), [centre, centre], atol=0.12)
        assert_allclose(block.std(axis=0), [2.0, 2.0], rtol=0.05)


def test_make_classification_even_class_count_is_centred() -> None:
    X, y = make_classification(n_per_class=1, n_classes=2, spread=(6, 0), seed=0)
    assert_array_equal(X, [[-3.0, -3.0], [3.0, 3.0]])
    assert_array_equal(y, [0, 1])


def test_add_intercept_puts_ones_last() -> None:
    X = np.array([[1, 2], [3, 4]])
    out = add_intercept(X)
    assert_array_equal(out, [[1.0, 2.0, 1.0], [3.0, 4.0, 1.0]])
    assert out.dtype == np.float64
    assert add_intercept(X.astype(np.float32)).dtype == np.float32
    assert_array_equal(X, [[1, 2], [3, 4]])


def test_rescale_columns_reproduces_the_lesson_unit_mismatch() -> None:
    X, y = make_regression(n_samples=500, weights=(200.0, -1.0), noise=0.01, seed=24)
    Xs = rescale_columns(X, (0.1, 10))
    assert Xs is not X
    assert_array_equal(X[:, 0] * 0.1, Xs[:, 0])
    coef = np.linalg.lstsq(add_intercept(X), y, rcond=None)[0]
    coef_s = np.linalg.lstsq(add_intercept(Xs), y, rcond=None)[0]
    # Least squares is equivariant: rescaling column j by c_j divides its coefficient by c_j,
    # so about 2000 and -0.1, 20000x apart instead of 200x; the intercept is unchanged.
    assert_allclose(coef_s * [0.1, 10, 1], coef, rtol=1e-9)
    assert_allclose(coef_s[:2], [2000.0, -0.1], rtol=1e-3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_samples": 0}, ValueError, "n_samples must be >= 1"),
        ({"n_samples": 2.5}, TypeError, "n_samples must be an int"),
        ({"weights": [[1, 2]]}, ValueError, "weights must be"),
        ({"weights": []}, ValueError, "weights must be"),
        ({"weights": [1, np.nan]}, ValueError, "finite"),
        ({"weights": ["a"]}, TypeError, "sequence of numbers"),
        ({"noise": -1}, ValueError, "noise must be finite and >= 0"),
        ({"degree": 0}, ValueError, "degree must be >= 1"),
        ({"bias": np.inf}, ValueError, "bias must be finite"),
        ({"bias": "1"}, TypeError, "bias must be a real number"),
        ({"seed": "x"}, TypeError, "seed must be None"),
        ({"seed": -1}, TypeError, "seed must be None"),
    ],
)
def test_make_regression_validation(kwargs: dict[str, Any], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        make_regression(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_classes": 1}, ValueError, "n_classes must be >= 2"),
        ({"n_per_class": 0}, ValueError, "n_per_class must be >= 1"),
        ({"n_features": True}, TypeError, "n_features must be an int"),
        ({"spread": (1, 2, 3)}, ValueError, "spread must be 2 numbers"),
        ({"spread": (1, -2)}, ValueError, "standard deviation"),
    ],
)
def test_make_classification_validation(kwargs: dict[str, Any], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        make_classification(**kwargs)


def test_matrix_helpers_validation() -> None:
    with pytest.raises(ValueError, match=r"X must be a 2-D array.*reshape"):
        add_intercept(np.ones(3))
    with pytest.raises(TypeError, match="X must be numeric"):
        add_intercept(np.array([["a"]]))
    with pytest.raises(ValueError, match="factors must be 2 numbers"):
        rescale_columns(np.ones((2, 2)), (1, 2, 3))


def test_load_iris_matches_scikit_learn() -> None:
    X, y = load_iris()
    ref = sklearn.datasets.load_iris()
    assert X.shape == (150, 4)
    assert_array_equal(X, ref.data)
    assert_array_equal(y, ref.target)
    Xf, yf = load_iris(as_frame=True)
    assert isinstance(Xf, pd.DataFrame)
    assert isinstance(yf, pd.Series)
    assert list(Xf.columns) == list(ref.feature_names)
    assert_array_equal(Xf.to_numpy(), ref.data)
