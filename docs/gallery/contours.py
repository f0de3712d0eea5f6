"""Gallery figure: the lesson's contour experiment, raw against z-scored features."""

# The lesson's starting point comes from NumPy's legacy global RNG, seeded with 24.
# ruff: noqa: NPY002

import numpy as np

from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.plotting import raw_vs_scaled_contours

X = np.array([[1.0, 1.0], [3.0, 1.0]])
y = np.array([2.0, 4.0])
Z = np.array([[-1.0, 1.0], [1.0, 1.0]])  # the first column z-scored
np.random.seed(24)
w0 = np.random.randn(2)  # the lesson's starting point
runs = [descend(LeastSquares(), A, y, lr=0.1, epochs=100, w0=w0) for A in (X, Z)]
raw_vs_scaled_contours(LeastSquares(), X, Z, y, runs[0], runs[1])
