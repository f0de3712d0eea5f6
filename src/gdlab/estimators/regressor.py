"""GDRegressor: least squares fitted by gdlab's gradient descent, as a scikit-learn regressor."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from gdlab.dask_types import is_dask
from gdlab.estimators import on_dask
from gdlab.estimators._base import GDEstimatorBase
from gdlab.models import LeastSquares


class GDRegressor(RegressorMixin, GDEstimatorBase):
    r"""Linear regression by full-batch, mini-batch or stochastic gradient descent.

    Minimises the mean squared error of :class:`gdlab.models.LeastSquares`,

    .. math:: f(w, b) = \frac1m \sum_i (x_i^\top w + b - y_i)^2 + \frac{l_2}{2}\|w\|^2,

    with :func:`gdlab.optim.descend` (the intercept ``b`` is the weight of a ones column appended
    last, and is never penalised). The whole run is kept in ``history_``.

    Parameters
    ----------
    lr : float, gdlab schedule, str or "auto", default "auto"
        Learning rate: a constant, a :class:`gdlab.schedules.Schedule`, its text form such as
        ``"exponential(lr=0.2, gamma=0.95)"``, or ``"auto"``: ``1/L`` with ``L`` the model's
        curvature bound, :math:`L = 2\lambda_{max}(A^\top A/m) + l_2` on the data ``A`` with its
        ones column for full batch, or :math:`2\max_i\|a_i\|^2 + l_2` for mini-batches (stable
        for every batch); 0.1 for "adagrad", 0.01 for "rmsprop" and "adam".
    max_iter : int, default 1000
        Maximum number of epochs (passes over the data).
    batch_size : int or None, default None
        None for full batch, 1 for SGD, k for mini-batches of k rows (last partial batch kept).
    method : str or update rule, default "gd"
        "gd", "momentum", "nesterov", "adagrad", "rmsprop" or "adam" (see ``descend``).
    lr_per : {"epoch", "step"}, default "epoch"
        Whether a schedule advances once per epoch or once per update.
    tol : float or None, default 1e-5
        When to stop before ``max_iter``. Full batch: once the Euclidean norm of the gradient
        of the whole objective is ``<= tol`` at an epoch end, as lbfgs stops (the default ends
        about as close to the optimum as scikit-learn's lbfgs at its own ``tol=1e-4``).
        Mini-batches and SGD, whose gradient never vanishes: after ``n_iter_no_change``
        epochs whose loss is not below ``best - tol * |best|`` (relative to the best loss so
        far; scikit-learn's SGD estimators subtract ``tol`` itself). Running out of epochs
        first raises a ``ConvergenceWarning`` that says what to change (for full batch, about
        how many epochs the run needs). None runs all ``max_iter`` epochs.
    n_iter_no_change : int, default 5
        Epochs without enough improvement before stopping (mini-batches and SGD).
    l2 : float, default 0.0
        Ridge penalty :math:`\frac{l_2}{2}\|w\|^2` on the coefficients (not the intercept:
        the model is :class:`gdlab.models.InterceptFreeL2` around the unpenalised one).
    fit_intercept : bool, default True
        Whether to fit ``intercept_``.
    shuffle : bool, default True
        Reshuffle the rows every epoch (mini-batch and SGD).
    random_state : None, int, RandomState or Generator, default None
        Seed of the per-epoch shuffles.
    validation_fraction : float or None, default None
        Hold out this fraction of rows and record the validation loss.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
        Epochs run.
    history_ : gdlab.trajectory.Trajectory
        The recorded run: loss, learning rate, gradient norm and parameters per epoch.
    n_features_in_ : int
    feature_names_in_ : ndarray of str, when X had string column names

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.estimators import GDRegressor
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]]); y = 2 * X[:, 0] + 1
    >>> reg = GDRegressor(tol=None, max_iter=500).fit(X, y)
    >>> reg.coef_.round(4), round(reg.intercept_, 4)
    (array([2.]), 1.0)
    >>> reg.predict([[4.0]]).round(4)
    array([9.])
    >>> reg.history_.status, reg.n_iter_
    ('max_epochs', 500)
    """

    def fit(self, X: ArrayLike, y: ArrayLike) -> GDRegressor:
        """Fit the coefficients by gradient descent; return ``self``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Or a Dask array (or DataFrame): fitted chunk by chunk on its scheduler
            (:mod:`gdlab.estimators.on_dask`).
        y : array-like of shape (n_samples,)
        """
        model = self._model(LeastSquares)
        if is_dask(X) or is_dask(y):  # fitted chunk by chunk where the data are
            Xd, yd = on_dask.fit_inputs(self, X, y)
            self.history_, w = self._descend(model, Xd, yd.astype(np.float64))
        else:
            Xa, ya = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
            self.history_, w = self._descend(model, Xa, np.asarray(ya, dtype=np.float64))
        coef, intercept = self._split(w)
        self.coef_ = coef
        self.intercept_ = float(intercept)
        self.n_iter_ = self.history_.n_epochs
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predictions :math:`X w + b`, shape ``(n_samples,)`` (a Dask array, not yet
        computed, for a Dask ``X``)."""
        check_is_fitted(self)
        if is_dask(X):
            Xd = on_dask.predict_input(self, X)
            return Xd @ self.coef_ + self.intercept_
        Xa: NDArray[np.float64] = validate_data(self, X, dtype=np.float64, reset=False)
        return np.asarray(Xa @ self.coef_ + self.intercept_)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = False
        return tags
