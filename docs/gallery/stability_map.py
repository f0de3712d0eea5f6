"""Gallery figure: the stability map, learning rate x batch size."""

import numpy as np

from gdlab import analysis, datasets
from gdlab.models import LeastSquares
from gdlab.plotting import plot_stability_map

X, y = datasets.make_regression(n_samples=500, weights=(200, -1), bias=1.0, seed=24)
grid = analysis.stability_map(
    LeastSquares(),
    X,
    y,
    lrs=np.geomspace(0.05, 2.0, 8),
    batch_sizes=[None, 50, 1],
    epochs=5,
    scaler="zscore",
)
plot_stability_map(grid)
