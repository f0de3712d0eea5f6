"""gdlab — Gradient Descent Lab.

Feature scaling, learning-rate schedules and full-batch / stochastic / mini-batch gradient
descent, with every trajectory recorded and the analysis that explains why it converges.

Examples
--------
>>> import gdlab
>>> X, y = gdlab.datasets.make_regression(n_samples=200, seed=0)
>>> X = gdlab.datasets.add_intercept(gdlab.StandardScaler().fit_transform(X))
>>> run = gdlab.descend(gdlab.LeastSquares(), X, y, lr=gdlab.schedules.exponential(0.2, 0.95),
...                     epochs=5, batch_size=32, seed=0)
>>> run.status, len(run)
('max_epochs', 6)
"""

from gdlab import (
    analysis,
    datasets,
    estimators,
    lesson,
    models,
    optim,
    plotting,
    scaling,
    schedules,
    trajectory,
)
from gdlab.estimators import GDClassifier, GDRegressor
from gdlab.models import LeastSquares, Logistic, Softmax
from gdlab.optim import descend, iterate
from gdlab.scaling import MinMaxScaler, SigmoidScaler, StandardScaler
from gdlab.trajectory import Trajectory

__version__ = "0.1.0"

__all__ = [
    "GDClassifier",
    "GDRegressor",
    "LeastSquares",
    "Logistic",
    "MinMaxScaler",
    "SigmoidScaler",
    "Softmax",
    "StandardScaler",
    "Trajectory",
    "__version__",
    "analysis",
    "datasets",
    "descend",
    "estimators",
    "iterate",
    "lesson",
    "models",
    "optim",
    "plotting",
    "scaling",
    "schedules",
    "trajectory",
]
