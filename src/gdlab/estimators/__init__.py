"""scikit-learn estimators over gdlab's gradient descent: ``GDRegressor`` and ``GDClassifier``.

They follow the scikit-learn estimator contract (``fit``/``predict``/``score``, ``get_params``,
``clone``, Pipelines, ``sample_weight``, ``partial_fit``, ``warm_start``, ``early_stopping``) and
keep the run in ``history_``, a :class:`gdlab.trajectory.Trajectory` (its start and end, or every
epoch with ``record=True``). A fit says it converged only when the gradient of its objective
passed ``tol``; otherwise it warns what to change and keeps the best iterate it saw.
"""

from gdlab.estimators.classifier import GDClassifier
from gdlab.estimators.regressor import GDRegressor

__all__ = ["GDClassifier", "GDRegressor"]
