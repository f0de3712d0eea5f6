"""Gallery figure: the learning-rate range test."""

from gdlab import analysis, datasets
from gdlab.models import LeastSquares
from gdlab.plotting import plot_lr_finder
from gdlab.scaling import StandardScaler

X, y = datasets.make_regression(n_samples=1000, weights=(200, -1), bias=1.0, seed=24)
A = datasets.add_intercept(StandardScaler().fit_transform(X))
plot_lr_finder(analysis.lr_range_test(LeastSquares(), A, y, batch_size=50))
