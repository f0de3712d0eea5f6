"""Gallery figure: a comparison grid."""

from gdlab import datasets
from gdlab.analysis import grid_runs
from gdlab.models import LeastSquares
from gdlab.plotting import plot_comparison

X, y = datasets.make_regression(n_samples=500, weights=(200, -1), bias=1.0, seed=24)
X = datasets.rescale_columns(X, (0.1, 10))
runs = grid_runs(
    LeastSquares(),
    X,
    y,
    scalers=["none", "minmax", "zscore"],
    schedules=[0.01, "exponential(lr=0.5, gamma=0.95)"],
    epochs=30,
)
plot_comparison(runs)
