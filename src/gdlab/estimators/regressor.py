"""GDRegressor: least squares fitted by gdlab's gradient descent, as a scikit-learn regressor."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import RegressorMixin
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from gdlab.dask_types import is_dask
from gdlab.estimators import on_dask
from gdlab.estimators._base import GDEstimatorBase
from gdlab.models import LeastSquares, Model

Array = NDArray[np.float64]


class GDRegressor(RegressorMixin, GDEstimatorBase):
    r"""Linear regression by full-batch, mini-batch or stochastic gradient descent.

    Minimises the (weighted) mean squared error of :class:`gdlab.models.LeastSquares`,

    .. math:: f(w, b) = \frac{\sum_i s_i (x_i^\top w + b - y_i)^2}{\sum_i s_i}
              + \frac{l_2}{2}\|w\|^2,

    with :func:`gdlab.optim.descend` (``s_i`` the sample weights, 1 by default; the intercept
    ``b`` is the weight of a ones column appended last, and is never penalised). In
    scikit-learn's terms ``l2 = 0`` is ``LinearRegression`` and ``l2 > 0`` is
    ``Ridge(alpha = l2 * sum(s) / 2)``; ``l2`` is the penalty of the mean loss, as
    ``SGDRegressor``'s ``alpha`` (whose squared loss is halved: ``alpha = l2``).

    Parameters
    ----------
    lr : float, gdlab schedule, str or "auto", default "auto"
        Learning rate: a constant, a :class:`gdlab.schedules.Schedule`, its text form such as
        ``"exponential(lr=0.2, gamma=0.95)"``, or ``"auto"``: for full batch ``1/L``, ``L``
        the largest eigenvalue of the Hessian :math:`2 A^\top S A/m + l_2` (``A`` the data
        with its ones column); for batches of ``b`` rows ``1/(2 L_b)``, ``L_b`` their
        expected smoothness (between ``L`` and the most curved row's ``L_max``, see
        :mod:`gdlab.estimators._rates`); for AdaGrad 0.1 and for RMSProp and Adam 0.01 times
        the standard deviation of ``y`` (their steps are about ``lr`` per coefficient).
    max_iter : int or None, default None
        Maximum number of epochs (passes over the data); None is 10,000 for full batch (each
        epoch is one gradient step) and 1,000 for mini-batches and SGD.
    batch_size : int or None, default None
        None for full batch, 1 for SGD, k for mini-batches of k rows (last partial batch kept).
    method : str or update rule, default "auto"
        "auto" is "accelerated" (Nesterov's momentum with adaptive restart, its momentum
        floor set by the Hessian's smallest eigenvalue) for full batch and "gd" for
        mini-batches; or "gd", "momentum", "nesterov", "accelerated", "adagrad", "rmsprop",
        "adam", or an :class:`gdlab.optim.UpdateRule`.
    lr_per : {"epoch", "step"}, default "epoch"
        Whether a schedule advances once per epoch or once per update.
    tol : float or None, default 1e-8
        The fit has converged, and stops, when the norm of the gradient of ``f`` on all
        training rows, at an epoch end, is at most ``tol`` times its norm at ``w = 0``: the
        same test for full batch, mini-batches and SGD (lbfgs stops on the gradient too;
        scikit-learn's ``tol`` is absolute, this one relative, so the scale of ``y`` does not
        matter). Where ``f`` is strongly convex (``mu > 0``) it bounds the distance to the
        optimum: :math:`\|w - w^*\| \le \|\nabla f(w)\| / \mu`. Running out of epochs first
        raises a ``ConvergenceWarning`` that says what to change and keeps the best iterate
        seen; None runs all ``max_iter`` epochs (and keeps the best iterate, silently).
    n_iter_no_change : int, default 5
        With ``early_stopping``, the epochs without a new lowest validation loss before
        stopping.
    l2 : float, default 0.0
        Ridge penalty :math:`\frac{l_2}{2}\|w\|^2` on the coefficients (not the intercept).
    fit_intercept : bool, default True
        Whether to fit ``intercept_``.
    shuffle : bool, default True
        Reshuffle the rows every epoch (mini-batch and SGD).
    random_state : None, int, RandomState or Generator, default None
        Seed of the per-epoch shuffles and of the validation split.
    early_stopping : bool, default False
        Hold out ``validation_fraction`` of the rows, stop when their loss has not reached a
        new low for ``n_iter_no_change`` epochs, and keep the iterate of the lowest one
        (``history_.status == "early_stopped"``; no warning, as in scikit-learn's SGD).
    validation_fraction : float, default 0.1
        The rows held out by ``early_stopping`` (unused without it).
    warm_start : bool, default False
        Start ``fit`` from the previous fit's coefficients.
    verbose : int, default 0
        Print each epoch's loss and gradient norm (and validation loss) when > 0.
    record : bool, "epoch", "step" or int, default False
        What ``history_`` keeps: False the start and the end only (a small pickle), True or
        "epoch" every epoch's parameters and diagnostics, "step" every update's, k every k-th.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
        Epochs run (summed over ``partial_fit`` calls).
    t_ : int
        Updates run (summed over ``partial_fit`` calls).
    l2_ : float
        The penalty used.
    lr_ : float or Schedule
        The learning rate used.
    history_ : gdlab.trajectory.Trajectory
        The run: status ("converged", "early_stopped", "max_epochs"), reason, and the rows
        ``record`` asked for.
    n_features_in_ : int
    feature_names_in_ : ndarray of str, when X had string column names

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.estimators import GDRegressor
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]]); y = 2 * X[:, 0] + 1
    >>> reg = GDRegressor().fit(X, y)
    >>> reg.coef_.round(6), round(reg.intercept_, 6)
    (array([2.]), 1.0)
    >>> reg.predict([[4.0]]).round(6)
    array([9.])
    >>> reg.history_.status, reg.n_iter_ < 100
    ('converged', True)
    """

    def fit(
        self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> GDRegressor:
        """Fit the coefficients by gradient descent; return ``self``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Or a Dask array (or DataFrame): fitted chunk by chunk on its scheduler
            (:mod:`gdlab.estimators.on_dask`).
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Row weights >= 0: a row of weight 2 counts as two copies of it.
        """
        if is_dask(X) or is_dask(y):  # fitted chunk by chunk where the data are
            on_dask.fit(self, X, y, sample_weight, k=1)
            return self
        self._partial = False
        Xa, ya, weight = self._validate(X, y, sample_weight, reset=True)
        self._fit_arrays(Xa, ya, weight, 1)
        return self

    def partial_fit(
        self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> GDRegressor:
        """One epoch over ``(X, y)`` from the current coefficients (zeros at first); ``lr``
        is fixed by the first call ("auto" from its rows) and a schedule goes on counting."""
        first = not hasattr(self, "coef_")
        Xa, ya, weight = self._validate(X, y, sample_weight, reset=first)
        self._partial = True
        try:
            self._fit_arrays(Xa, ya, weight, 1)
        finally:
            self._partial = False
        return self

    def _validate(
        self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None, reset: bool
    ) -> tuple[Array, Array, Array | None]:
        Xa, ya = validate_data(self, X, y, dtype=np.float64, y_numeric=True, reset=reset)
        weight = None
        if sample_weight is not None:
            weight = _check_sample_weight(
                sample_weight, Xa, dtype=np.float64, ensure_non_negative=True
            )
        return Xa, np.asarray(ya, dtype=np.float64), weight

    def _base_model(self, k: int, l2: float = 0.0) -> Model:
        return LeastSquares(l2=l2)

    def _set_weights(self, w: Array, k: int) -> None:
        if self.fit_intercept:
            self.coef_, self.intercept_ = w[:-1], float(w[-1])
        else:
            self.coef_, self.intercept_ = w, 0.0

    def _stacked(self) -> Array:
        coef = np.asarray(self.coef_, dtype=np.float64)
        return np.append(coef, self.intercept_) if self.fit_intercept else coef.copy()

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
