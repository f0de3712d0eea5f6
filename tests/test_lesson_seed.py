"""gdlab.lesson against every number printed in the lesson's seed text.

Oracle: ``/work/shared/seed/lesson-4.5-part1.zh.txt`` (Lesson 4.5, part 1), the course's own
code run with its own helpers; the expected arrays below are copied from its printed output
(8 significant digits, hence the tolerances).
"""

# The course and its printed numbers use NumPy's legacy global RNG.
# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from gdlab.lesson import arrayGenReg, maxmin_norm, sigmoid, z_score

# Printed to 8 decimals in the seed text: half a unit in the last place, plus float slack.
ATOL = 6e-9


@pytest.fixture
def a() -> np.ndarray:
    return np.arange(12).reshape(6, 2)


def test_maxmin_norm_on_arange(a: np.ndarray) -> None:
    # Seed text, section 1.1: maxmin_norm(a).
    expected = np.array([[0.0, 0.0], [0.2, 0.2], [0.4, 0.4], [0.6, 0.6], [0.8, 0.8], [1, 1]])
    assert_allclose(maxmin_norm(a), expected, rtol=0, atol=1e-15)


def test_z_score_on_arange(a: np.ndarray) -> None:
    # Seed text, section 1.2: a.std(0) and z_score(a).
    assert_allclose(a.std(0), [3.41565026, 3.41565026], rtol=0, atol=ATOL)
    col = [-1.46385011, -0.87831007, -0.29277002, 0.29277002, 0.87831007, 1.46385011]
    assert_allclose(z_score(a), np.column_stack([col, col]), rtol=0, atol=ATOL)


def test_sigmoid_on_arange(a: np.ndarray) -> None:
    # Seed text, section 1.3: sigmoid(a).
    expected = np.array(
        [
            [0.5, 0.73105858],
            [0.88079708, 0.95257413],
            [0.98201379, 0.99330715],
            [0.99752738, 0.99908895],
            [0.99966465, 0.99987661],
            [0.9999546, 0.9999833],
        ]
    )
    assert_allclose(sigmoid(a), expected, rtol=0, atol=ATOL)


def test_sigmoid_saturates_without_overflow_warning() -> None:
    # exp(800) overflows; the limit values 0 and 1 are exact.
    assert_array_equal(sigmoid(np.array([-800.0, 800.0])), [0.0, 1.0])


def test_outlier_example() -> None:
    # Seed text, section 4: a = arange(8).reshape(4, 2); a[1, 1] = 100.
    a = np.arange(8).reshape(4, 2)
    a[1, 1] = 100
    assert_allclose(
        maxmin_norm(a),
        [[0.0, 0.0], [0.33333333, 1.0], [0.66666667, 0.04040404], [1.0, 0.06060606]],
        rtol=0,
        atol=ATOL,
    )
    assert_allclose(
        z_score(a),
        [
            [-1.34164079, -0.65692457],
            [-0.4472136, 1.72970047],
            [0.4472136, -0.56049527],
            [1.34164079, -0.51228063],
        ],
        rtol=0,
        atol=ATOL,
    )


def test_unit_mismatch_walkthrough() -> None:
    """Section 2 of the seed text, step by step, with every printed array checked."""
    np.random.seed(24)
    features, labels = arrayGenReg(w=[200, -1, 1], delta=0.01)
    assert features.shape == (1000, 3)
    assert labels.shape == (1000, 1)
    assert_allclose(
        features[[0, 1, 2, -3, -2, -1]],
        [
            [1.32921217, -0.77003345, 1.0],
            [-0.31628036, -0.99081039, 1.0],
            [-1.07081626, -1.43871328, 1.0],
            [1.5507578, -0.35986144, 1.0],
            [-1.36267161, -0.61353562, 1.0],
            [-1.44029131, 0.50439425, 1.0],
        ],
        rtol=0,
        atol=ATOL,
    )

    features[:, :1] = features[:, :1] * 0.1
    features[:, 1:2] = features[:, 1:2] * 10
    assert_allclose(
        features[[0, 1, 2, -3, -2, -1], :2],
        [
            [0.13292122, -7.70033452],
            [-0.03162804, -9.90810387],
            [-0.10708163, -14.3871328],
            [0.15507578, -3.5986144],
            [-0.13626716, -6.13535618],
            [-0.14402913, 5.04394254],
        ],
        rtol=0,
        atol=ATOL,
    )

    coef = np.linalg.lstsq(features, labels, rcond=-1)[0]
    assert_allclose(coef.ravel(), [1.99999619e03, -9.99852807e-02, 9.99705410e-01], rtol=1e-8)

    features_min = features[:, :2].min(0)
    features_range = features[:, :2].max(0) - features[:, :2].min(0)
    features[:, :2] = maxmin_norm(features[:, :2])
    assert_allclose(
        features[[0, 1, 2, -3, -2, -1], :2],
        [
            [0.72219451, 0.35489507],
            [0.44561184, 0.32515777],
            [0.31878564, 0.26482801],
            [0.75943302, 0.41014271],
            [0.26972912, 0.37597436],
            [0.25668241, 0.52655264],
        ],
        rtol=0,
        atol=ATOL,
    )

    w = np.linalg.lstsq(features, maxmin_norm(labels), rcond=-1)[0]
    assert_allclose(w.ravel(), [0.99847747, -0.00622912, 0.00410845], rtol=0, atol=ATOL)

    # New data drawn next from the same global RNG stream.
    features1, labels1 = arrayGenReg(num_examples=100, w=[200, -1, 1], delta=0.01)
    features1[:, :1] = features1[:, :1] * 0.1
    features1[:, 1:2] = features1[:, 1:2] * 10
    # The seed text states this step in words only ("process the new data with the extremes
    # computed on the training data"); the printed yhat below confirms it.
    features1[:, :2] = (features1[:, :2] - features_min) / features_range
    yhat = features1.dot(w)
    assert_allclose(
        yhat[:5].ravel(),
        [0.90058932, 0.73377993, 0.25493639, 0.48001114, 0.24441544],
        rtol=0,
        atol=ATOL,
    )
    labels_min = labels.min(0)
    labels_range = labels.max(0) - labels.min(0)
    yhat = yhat * labels_range + labels_min
    assert_allclose(
        yhat[:5].ravel(),
        [479.25093691, 280.4665185, -290.1646276, -21.94619293, -302.70229372],
        rtol=0,
        atol=6e-8,
    )
    assert_allclose(
        labels1[:5].ravel(),
        [479.25042102, 280.45978588, -290.16538845, -21.94008706, -302.70455066],
        rtol=0,
        atol=6e-8,
    )


def test_contour_example_data() -> None:
    # Seed text, section 3: z-scoring the first column of an int array in place.
    x = np.array([[1, 1], [3, 1]])
    x_norm = np.copy(x)
    x_norm[:, :1] = z_score(x_norm[:, :1])
    assert_array_equal(x_norm, [[-1, 1], [1, 1]])


def test_maxmin_norm_constant_column_gives_nan_with_warning() -> None:
    # The course divides by the range as is; 0/0 is nan and NumPy warns.
    with pytest.warns(RuntimeWarning):
        out = maxmin_norm(np.array([[1.0, 2.0], [1.0, 4.0]]))
    assert np.isnan(out[:, 0]).all()
    assert_array_equal(out[:, 1], [0.0, 1.0])


def test_sigmoid_of_a_scalar_is_a_scalar() -> None:
    # The course's one-liner maps a number to a NumPy scalar, not a 0-d array.
    out = sigmoid(0)
    assert isinstance(out, np.floating)
    assert out == 0.5
