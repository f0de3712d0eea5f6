"""GDClassifier: logistic (two classes) or softmax (more) regression by gradient descent."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special
from numpy.typing import ArrayLike, NDArray
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from gdlab.dask_types import is_dask
from gdlab.estimators import on_dask
from gdlab.estimators._base import GDEstimatorBase
from gdlab.models import Logistic, Softmax


class GDClassifier(ClassifierMixin, GDEstimatorBase):
    r"""Logistic or multinomial (softmax) regression fitted by gradient descent.

    Two classes minimise the mean binary cross-entropy of :class:`gdlab.models.Logistic`,

    .. math:: f(w, b) = \frac1m \sum_i \big(\log(1 + e^{z_i}) - t_i z_i\big)
              + \frac{l_2}{2}\|w\|^2, \quad z_i = x_i^\top w + b,

    with :math:`t_i = 1` for ``classes_[1]``; three or more minimise the mean cross-entropy of
    :class:`gdlab.models.Softmax` (one weight column per class). Labels may be any values:
    they are encoded in the order of ``classes_`` (sorted). The intercept is never penalised.

    Parameters
    ----------
    lr : float, gdlab schedule, str or "auto", default "auto"
        As in :class:`GDRegressor`, with the curvature bound :math:`L = \lambda_{max}/4 + l_2`
        (logistic) or :math:`\lambda_{max}/2 + l_2` (softmax).
    max_iter, batch_size, method, lr_per, tol, n_iter_no_change
        As in :class:`GDRegressor`.
    l2, fit_intercept, shuffle, random_state, validation_fraction
        As in :class:`GDRegressor`.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int
        Epochs run.
    history_ : gdlab.trajectory.Trajectory
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.estimators import GDClassifier
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]]); y = np.array(["no", "no", "yes", "yes"])
    >>> clf = GDClassifier(max_iter=200, tol=None).fit(X, y)
    >>> clf.classes_.tolist(), clf.predict([[-3.0], [3.0]]).tolist()
    (['no', 'yes'], ['no', 'yes'])
    >>> clf.predict_proba([[0.0]]).round(2)
    array([[0.5, 0.5]])
    >>> clf.coef_.shape, clf.intercept_.shape
    ((1, 1), (1,))
    """

    def fit(self, X: ArrayLike, y: ArrayLike) -> GDClassifier:
        """Fit the weights by gradient descent; return ``self``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Or a Dask array (or DataFrame): fitted chunk by chunk on its scheduler
            (:mod:`gdlab.estimators.on_dask`).
        y : array-like of shape (n_samples,), any hashable labels
        """
        if is_dask(X) or is_dask(y):  # fitted chunk by chunk where the data are
            Xa, ya = on_dask.fit_inputs(self, X, y)
            self.classes_, codes = on_dask.encode_labels(ya)
        else:
            Xa, ya = validate_data(self, X, y, dtype=np.float64)
            check_classification_targets(ya)
            encoder = LabelEncoder().fit(ya)
            self.classes_, codes = encoder.classes_, encoder.transform(ya)
        k = len(self.classes_)
        if k < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in y, got 1 class "
                f"({self.classes_[0]!r}); a classifier cannot learn from one class."
            )
        if k == 2:
            model = self._model(Logistic)
            self.history_, w = self._descend(model, Xa, codes.astype(np.float64))
            coef, intercept = self._split(w)
            self.coef_ = coef[None, :]
            self.intercept_ = np.atleast_1d(intercept).astype(np.float64)
        else:
            model = self._model(Softmax, n_classes=k)
            self.history_, w = self._descend(model, Xa, codes.astype(np.int64))
            coef, intercept = self._split(w)
            self.coef_ = np.ascontiguousarray(coef.T)
            self.intercept_ = np.asarray(intercept, dtype=np.float64)
        self.n_iter_ = self.history_.n_epochs
        return self

    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """Logits :math:`X W^\\top + b`: shape ``(n_samples,)`` for two classes (the logit of
        ``classes_[1]``), else ``(n_samples, n_classes)``. A Dask ``X`` gives Dask arrays
        here and in the methods below, computed only when asked."""
        check_is_fitted(self)
        if is_dask(X):
            scores = on_dask.predict_input(self, X) @ self.coef_.T + self.intercept_
            return scores[:, 0] if scores.shape[1] == 1 else scores
        Xa: NDArray[np.float64] = validate_data(self, X, dtype=np.float64, reset=False)
        scores = Xa @ self.coef_.T + self.intercept_
        return np.asarray(scores[:, 0] if scores.shape[1] == 1 else scores)

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Class probabilities, shape ``(n_samples, n_classes)``, columns in ``classes_`` order.

        ``sigmoid`` of the logit for two classes, ``softmax`` of the logits otherwise.
        """
        scores = self.decision_function(X)
        if is_dask(scores):
            if scores.ndim == 1:
                p = scipy.special.expit(scores)  # a ufunc: Dask applies it lazily
                return on_dask.stack_columns(1.0 - p, p)
            return on_dask.softmax(scores)
        if scores.ndim == 1:
            p = scipy.special.expit(scores)
            return np.column_stack((1.0 - p, p))
        return np.asarray(scipy.special.softmax(scores, axis=1))

    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Logarithm of :meth:`predict_proba`, computed stably from the logits."""
        scores = self.decision_function(X)
        if is_dask(scores):
            if scores.ndim == 1:
                return on_dask.stack_columns(
                    -np.logaddexp(0.0, scores), -np.logaddexp(0.0, -scores)
                )
            return on_dask.softmax(scores, log=True)
        if scores.ndim == 1:
            # log sigmoid(z) = -log(1 + e^{-z}), without overflow for large |z|.
            return np.column_stack((-np.logaddexp(0.0, scores), -np.logaddexp(0.0, -scores)))
        return np.asarray(scipy.special.log_softmax(scores, axis=1))

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The most probable label of each row (ties go to the first class)."""
        scores = self.decision_function(X)
        index = (scores > 0).astype(np.intp) if scores.ndim == 1 else scores.argmax(axis=1)
        if is_dask(index):
            return on_dask.labels_of(self.classes_, index)
        return np.asarray(self.classes_[index])
