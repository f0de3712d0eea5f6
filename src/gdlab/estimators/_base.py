"""What GDRegressor and GDClassifier share: their parameters and the call into ``descend``."""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning

from gdlab import schedules
from gdlab.datasets import add_intercept
from gdlab.estimators._penalty import InterceptFreeL2
from gdlab.models import Model
from gdlab.optim import descend
from gdlab.trajectory import Trajectory

# Adaptive rules rescale each coordinate by its own gradient history, so 1/L is no guide for
# them: their steps are about lr per coordinate. AdaGrad's shrink as 1/sqrt(t), so it starts
# larger.
_ADAPTIVE_LR = {"adagrad": 0.1, "rmsprop": 0.01, "adam": 0.01}

LearningRate = float | str | schedules.Schedule


class GDEstimatorBase(BaseEstimator):
    """Parameters and fitting loop common to the gdlab estimators (see their docstrings)."""

    def __init__(
        self,
        *,
        lr: LearningRate = "auto",
        max_iter: int = 1000,
        batch_size: int | None = None,
        method: Any = "gd",
        lr_per: str = "epoch",
        tol: float | None = 1e-4,
        n_iter_no_change: int = 5,
        l2: float = 0.0,
        fit_intercept: bool = True,
        shuffle: bool = True,
        random_state: Any = None,
        validation_fraction: float | None = None,
    ) -> None:
        self.lr = lr
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.method = method
        self.lr_per = lr_per
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.l2 = l2
        self.fit_intercept = fit_intercept
        self.shuffle = shuffle
        self.random_state = random_state
        self.validation_fraction = validation_fraction

    # -- pieces of fit ------------------------------------------------------------------
    def _model(self, base: type[Model], **kwargs: Any) -> Model:
        l2 = self.l2
        if isinstance(l2, bool) or not isinstance(l2, numbers.Real) or not np.isfinite(l2):
            raise TypeError(
                f"{type(self).__name__}: l2 must be a finite float >= 0, got {l2!r}; "
                "pass 0.0 for no penalty."
            )
        if self.fit_intercept and l2 > 0:
            return InterceptFreeL2(base(**kwargs), l2=float(l2))
        return base(l2=float(l2), **kwargs)

    def _learning_rate(self, model: Model, A: NDArray[np.float64]) -> float | schedules.Schedule:
        """The rate passed to ``descend``: ``lr`` itself, its parsed text form, or "auto"."""
        lr = self.lr
        if isinstance(lr, str) and lr == "auto":
            if isinstance(self.method, str) and self.method in _ADAPTIVE_LR:
                return _ADAPTIVE_LR[self.method]
            n = A.shape[0]
            if self.batch_size is None or self.batch_size >= n:
                L = model.lipschitz(A)
            else:
                # A batch's Hessian is a mean of per-row terms, so the row of largest norm
                # bounds the curvature of every batch: 1/L is stable for any batch size.
                row = int(np.argmax(np.einsum("ij,ij->i", A, A)))
                L = model.lipschitz(A[row : row + 1])
            return 1.0 / L if L > 0 else 1.0
        if isinstance(lr, (str, schedules.Schedule)):
            return schedules.as_schedule(lr)
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
            raise TypeError(
                f"{type(self).__name__}: lr must be a positive float, a gdlab schedule, its "
                f"text form such as 'exponential(lr=0.2, gamma=0.95)', or 'auto'; got "
                f"{type(lr).__name__} {lr!r}."
            )
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(
                f"{type(self).__name__}: lr must be finite and > 0, got {lr!r}; try lr='auto'."
            )
        return float(lr)

    def _seed(self) -> int | np.random.Generator | None:
        rs = self.random_state
        if rs is None or isinstance(rs, np.random.Generator):
            return rs
        if isinstance(rs, numbers.Integral) and not isinstance(rs, bool):
            return int(rs)
        if isinstance(rs, np.random.RandomState):
            # Draw the seed from the caller's RandomState, as scikit-learn estimators do.
            return int(rs.randint(np.iinfo(np.int32).max))
        raise TypeError(
            f"{type(self).__name__}: random_state must be None, an int, a "
            f"numpy.random.RandomState or a numpy.random.Generator; got {rs!r}."
        )

    def _check_counts(self) -> int:
        """Validate ``max_iter`` and ``batch_size``; return the number of epochs."""
        value, size = self.max_iter, self.batch_size
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(
                f"{type(self).__name__}: max_iter must be an int >= 1 (epochs), got {value!r}."
            )
        if size is not None and (
            isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1
        ):
            raise ValueError(
                f"{type(self).__name__}: batch_size must be None (full batch) or an int >= 1, "
                f"got {size!r}."
            )
        return int(value)

    def _descend(
        self, model: Model, X: NDArray[np.float64], y: NDArray[Any]
    ) -> tuple[Trajectory, NDArray[np.float64]]:
        """Run the descent; return the trajectory and the weights (intercept row last)."""
        epochs = self._check_counts()
        A = add_intercept(X) if self.fit_intercept else X
        history = descend(
            model,
            A,
            y,
            lr=self._learning_rate(model, A),
            epochs=epochs,
            batch_size=self.batch_size,
            method=self.method,
            seed=self._seed(),
            shuffle=self.shuffle,
            lr_per=self.lr_per,
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            validation_fraction=self.validation_fraction,
        )
        name = type(self).__name__
        if history.status == "diverged":
            raise ValueError(
                f"{name} diverged: {history.reason} Lower lr (lr='auto' is always stable for "
                "'gd'), or standardize X with gdlab.scaling.StandardScaler in a Pipeline."
            )
        if history.status == "max_epochs" and self.tol is not None:
            warnings.warn(
                f"{name} stopped at max_iter={epochs} epochs before the stopping rule "
                f"(tol={self.tol}) held; raise max_iter, standardize X, or adjust lr.",
                ConvergenceWarning,
                stacklevel=3,
            )
        return history, np.asarray(history.w, dtype=np.float64)

    def _split(self, w: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Coefficients and intercept from the stacked weights (intercept row last)."""
        if self.fit_intercept:
            return w[:-1], w[-1]
        return w, np.zeros(w.shape[1:], dtype=np.float64)
