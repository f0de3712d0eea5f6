"""scikit-learn estimators over gdlab's gradient descent: ``GDRegressor`` and ``GDClassifier``.

They follow the scikit-learn estimator contract (``fit``/``predict``/``score``, ``get_params``,
``clone``, Pipelines) and keep the whole descent in ``history_``, a
:class:`gdlab.trajectory.Trajectory`.
"""

from gdlab.estimators.classifier import GDClassifier
from gdlab.estimators.regressor import GDRegressor

__all__ = ["GDClassifier", "GDRegressor"]
