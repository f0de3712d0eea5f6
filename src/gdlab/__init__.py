"""gdlab — Gradient Descent Lab.

Feature scaling, learning-rate schedules and full-batch / stochastic / mini-batch gradient
descent, with every trajectory recorded and the analysis that explains why it converges.

Every name below is loaded on first use (PEP 562): ``import gdlab.schedules`` does not pay
for scikit-learn, pandas, matplotlib or numba, which only the layers that need them import.

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

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_SUBMODULES = (
    "analysis",
    "datasets",
    "estimators",
    "lesson",
    "models",
    "optim",
    "plotting",
    "scaling",
    "schedules",
    "threads",
    "trajectory",
)
# Public name -> the module that defines it.
_NAMES = {
    "GDClassifier": "gdlab.estimators",
    "GDRegressor": "gdlab.estimators",
    "LeastSquares": "gdlab.models",
    "Logistic": "gdlab.models",
    "Softmax": "gdlab.models",
    "descend": "gdlab.optim",
    "iterate": "gdlab.optim",
    "MinMaxScaler": "gdlab.scaling",
    "SigmoidScaler": "gdlab.scaling",
    "StandardScaler": "gdlab.scaling",
    "Trajectory": "gdlab.trajectory",
}

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
    "threads",
    "trajectory",
]

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ loads these
    import gdlab.analysis as analysis
    import gdlab.datasets as datasets
    import gdlab.estimators as estimators
    import gdlab.lesson as lesson
    import gdlab.models as models
    import gdlab.optim as optim
    import gdlab.plotting as plotting
    import gdlab.scaling as scaling
    import gdlab.schedules as schedules
    import gdlab.threads as threads
    import gdlab.trajectory as trajectory
    from gdlab.estimators import GDClassifier, GDRegressor
    from gdlab.models import LeastSquares, Logistic, Softmax
    from gdlab.optim.descend import descend, iterate
    from gdlab.scaling import MinMaxScaler, SigmoidScaler, StandardScaler
    from gdlab.trajectory import Trajectory


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        value: Any = importlib.import_module(f"gdlab.{name}")
    elif name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name]), name)
    else:
        raise AttributeError(f"module 'gdlab' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
