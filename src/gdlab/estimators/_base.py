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
from gdlab.dask_types import is_dask
from gdlab.datasets import add_intercept
from gdlab.models import InterceptFreeL2, Model
from gdlab.optim import descend
from gdlab.optim.rules import make_rule
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
        tol: float | None = 1e-5,
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
        if isinstance(l2, bool) or not isinstance(l2, numbers.Real):
            raise TypeError(
                f"{type(self).__name__}: l2 must be a finite float >= 0, got "
                f"{type(l2).__name__} {l2!r}; pass 0.0 for no penalty."
            )
        if not (np.isfinite(l2) and l2 >= 0):
            raise ValueError(
                f"{type(self).__name__}: l2 must be a finite float >= 0, got {l2!r}; "
                "pass 0.0 for no penalty."
            )
        if self.fit_intercept and l2 > 0:
            return InterceptFreeL2(base(**kwargs), l2=float(l2))
        return base(l2=float(l2), **kwargs)

    def _learning_rate(self, model: Model, A: Any) -> float | schedules.Schedule:
        """The rate passed to ``descend``: ``lr`` itself, its parsed text form, or "auto"."""
        lr = self.lr
        if isinstance(lr, str) and lr == "auto":
            # The rule's own name: "Adam" and Adam() get Adam's rate as "adam" does.
            name = make_rule(self.method).name
            if name in _ADAPTIVE_LR:
                return _ADAPTIVE_LR[name]
            n = A.shape[0]
            full = self.batch_size is None or self.batch_size >= n
            if is_dask(A):  # one pass over the chunks, the rows never gathered
                from gdlab.optim.dask_stepper import lipschitz

                L = lipschitz(model, A, batch=not full)
            elif full:
                L = model.lipschitz(A)
            else:
                # A batch's Hessian is a mean of per-row terms, so the row of largest norm
                # bounds the curvature of every batch: 1/L is stable for any batch size.
                row = int(np.argmax(np.einsum("ij,ij->i", A, A)))
                L = model.lipschitz(A[row : row + 1])
            if not np.isfinite(L):
                raise ValueError(
                    f"{type(self).__name__}: lr='auto' needs the curvature of X, which "
                    f"overflows float64 (largest |x| = {float(np.max(np.abs(A))):.3g}); "
                    "standardize "
                    "X (e.g. StandardScaler in a Pipeline) or pass lr explicitly."
                )
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

    def _descend(self, model: Model, X: Any, y: Any) -> tuple[Trajectory, NDArray[np.float64]]:
        """Run the descent; return the trajectory and the weights (intercept row last).

        ``X`` and ``y`` may be Dask arrays (see :mod:`gdlab.estimators.on_dask`)."""
        epochs = self._check_counts()
        if not self.fit_intercept:
            A = X
        elif is_dask(X):
            from gdlab.estimators import on_dask

            A = on_dask.add_intercept(X)
        else:
            A = add_intercept(X)
        # Full batch stops on the gradient norm, as lbfgs does: a loss that barely moves per
        # epoch (an ill-conditioned problem) is not yet an optimum. A mini-batch gradient
        # never vanishes, so mini-batches stop on the loss, as scikit-learn's SGD does.
        on_gradient = self.tol is not None and self.batch_size is None
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
            tol=None if on_gradient else self.tol,
            gtol=self.tol if on_gradient else None,
            n_iter_no_change=self.n_iter_no_change,
            validation_fraction=self.validation_fraction,
        )
        name = type(self).__name__
        if history.status == "diverged":
            raise ValueError(
                f"{name}: {history.reason}. Lower lr (lr='auto' is always stable for "
                "'gd'), or standardize X with gdlab.scaling.StandardScaler in a Pipeline."
            )
        if history.status == "max_epochs" and self.tol is not None:
            if on_gradient:
                detail = _gradient_shortfall(history, self.tol, epochs)
            else:
                detail = (
                    f"before the loss stopped improving by tol={self.tol} for "
                    f"{self.n_iter_no_change} epochs; raise max_iter, standardize X, or adjust lr."
                )
            warnings.warn(
                f"{name} stopped at max_iter={epochs} epochs {detail}",
                ConvergenceWarning,
                stacklevel=3,
            )
        return history, np.asarray(history.w, dtype=np.float64)

    def _split(self, w: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Coefficients and intercept from the stacked weights (intercept row last)."""
        if self.fit_intercept:
            return w[:-1], w[-1]
        return w, np.zeros(w.shape[1:], dtype=np.float64)


def _gradient_shortfall(history: Trajectory, tol: float, epochs: int) -> str:
    """The end of the warning of a full-batch fit that ran out of epochs: how far off it is
    and, from the gradient norm's rate of decrease over the last epochs, how many it needs."""
    g = np.asarray(history.grad_norm, dtype=np.float64)
    text = (
        f"with the gradient norm at {g[-1]:.3g}, above tol={tol}: the coefficients are not "
        "yet at the optimum. "
    )
    k = min(50, len(g) - 1)
    if k >= 1 and 0 < g[-1] < g[-1 - k]:
        rate = (g[-1] / g[-1 - k]) ** (1.0 / k)
        more = int(np.ceil(np.log(tol / g[-1]) / np.log(rate))) if rate < 1 else 0
        if 0 < more < 10**9:
            text += f"At the last epochs' rate it needs about {more} more: raise max_iter to "
            text += f"about {epochs + more}; or"
            return text + _FASTER
    return text + "Raise max_iter; or" + _FASTER


# Momentum needs about sqrt(kappa) times fewer epochs than plain steps on an ill-conditioned
# problem (standardized diabetes: 401 epochs against about 5,300).
_FASTER = (
    " use method='momentum', which needs far fewer epochs on ill-conditioned data; or "
    "standardize X if it is not yet."
)
