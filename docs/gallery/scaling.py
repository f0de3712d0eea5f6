"""Gallery figure: data before and after scaling."""

import numpy as np

from gdlab.plotting import plot_scaling
from gdlab.scaling import StandardScaler

X = np.random.default_rng(0).normal([5.0, 1.0], [2.0, 0.5], size=(200, 2))
plot_scaling(X, StandardScaler().fit_transform(X), labels=("raw", "z-scored"))
