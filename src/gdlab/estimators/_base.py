"""What GDRegressor and GDClassifier share: their parameters and the fit over ``descend``.

A subclass validates and encodes its target, names its model (:meth:`_base_model`) and calls
:meth:`GDEstimatorBase._fit_arrays` (or :meth:`_partial_arrays`) with row weights; the rest is
here: the penalty, the rate and rule (:mod:`gdlab.estimators._rates`), the starting point
(warm start, or the intercept's optimum), the run, and what the fit reports
(:mod:`gdlab.estimators._messages`).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning

from gdlab import schedules
from gdlab.dask_types import is_dask
from gdlab.datasets import add_intercept
from gdlab.estimators import _messages, _params, on_dask
from gdlab.estimators._rates import Curvature, auto_rate, spread, start_intercept
from gdlab.models import InterceptFreeL2, Model
from gdlab.optim import descend
from gdlab.optim.accelerated import Accelerated
from gdlab.optim.blas import threads_limited
from gdlab.optim.methods import make_rule
from gdlab.optim.rules import UpdateRule
from gdlab.optim.weights import mean_one
from gdlab.trajectory import Trajectory

Array = NDArray[np.float64]
LearningRate = float | str | schedules.Schedule


class GDEstimatorBase(BaseEstimator):
    """Parameters and fitting common to the gdlab estimators (see their docstrings)."""

    def __init__(
        self,
        *,
        lr: LearningRate = "auto",
        max_iter: int | None = None,
        batch_size: int | None = None,
        method: Any = "auto",
        lr_per: str = "epoch",
        tol: float | None = 1e-8,
        n_iter_no_change: int = 5,
        l2: float | str = 0.0,
        fit_intercept: bool = True,
        shuffle: bool = True,
        random_state: Any = None,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        warm_start: bool = False,
        verbose: int = 0,
        record: bool | str | int = False,
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
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.warm_start = warm_start
        self.verbose = verbose
        self.record = record

    # -- hooks of the subclasses ---------------------------------------------------------
    def _base_model(self, k: int, l2: float = 0.0) -> Model:
        """The model for ``k`` classes (1 for regression) with a penalty on every row."""
        raise NotImplementedError

    def _set_weights(self, w: Array, k: int) -> None:
        """``coef_`` and ``intercept_`` from the stacked weights (intercept row last)."""
        raise NotImplementedError

    def _stacked(self) -> Array:
        """The fitted ``coef_`` and ``intercept_`` stacked as ``descend`` holds them."""
        raise NotImplementedError

    # -- fit -------------------------------------------------------------------------------
    def _model(self, k: int, weight: Array | None, n: int) -> Model:
        """The model with its penalty, which spares the intercept; ``l2="auto"`` is
        ``1 / sum(weights)``, the penalty of ``LogisticRegression(C=1.0)``."""
        l2 = _params.penalty(self, weight, n)
        self.l2_ = l2
        if self.fit_intercept and l2 > 0:
            return InterceptFreeL2(self._base_model(k), l2=l2)
        return self._base_model(k, l2)

    def _rule(self, curvature: Curvature, family: str) -> UpdateRule:
        """``method``, with "auto" the accelerated rule for full batch and plain steps for
        mini-batches; "accelerated" by name too: for least squares with its exact ``L`` and
        ``mu`` (the momentum floor), for the classifiers (whose curvature near the optimum is
        far below its bound ``L``) with a step that follows the local curvature."""
        method = self.method
        if isinstance(method, str) and method.lower() in ("auto", "accelerated"):
            if method.lower() == "accelerated" or self.batch_size is None:
                if family != "LeastSquares" and self.batch_size is None:
                    return Accelerated(line_search=True)
                return Accelerated(mu=curvature.mu)
            return make_rule("gd")
        return make_rule(method)

    def _rate(self, curvature: Curvature, rule: UpdateRule, target_spread: float) -> Any:
        """The rate passed to ``descend``: ``lr`` itself, its parsed text form, or "auto"."""
        lr = _params.learning_rate(self)
        if lr != "auto":
            return lr
        if not np.isfinite(curvature.L):
            raise ValueError(
                f"{type(self).__name__}: lr='auto' needs the curvature of X, which overflows "
                "float64; standardize X (e.g. StandardScaler in a Pipeline) or pass lr explicitly."
            )
        return auto_rate(curvature, self.batch_size, rule.name, target_spread)

    def _start(self, d: int, k: int, intercept: Any) -> Array:
        """Warm start from the fitted weights, else zeros with the intercept at its optimum."""
        w0 = np.zeros((d, k) if k > 2 else d)
        if (self.warm_start or self._partial) and hasattr(self, "coef_"):
            previous = self._stacked()
            if previous.shape == w0.shape:
                return previous
        if self.fit_intercept:
            w0[-1] = intercept
        return w0

    _partial = False  # set by partial_fit for its call

    def _fit_arrays(self, X: Array, t: NDArray[Any], weight: Array | None, k: int) -> None:
        """Fit on validated rows ``X``, encoded target ``t`` and raw row weights; under
        ``partial_fit``, one epoch from the current weights, on the rate of the first call."""
        with threads_limited():  # the curvature's products too (see gdlab.optim.blas)
            self._fit_limited(X, t, weight, k)

    def _fit_limited(self, X: Array, t: NDArray[Any], weight: Array | None, k: int) -> None:
        _params.check_flags(self)
        partial, fitted = self._partial, hasattr(self, "coef_")
        model = self._model(k, weight, X.shape[0])
        if is_dask(X):  # the same summaries, each one pass over the chunks
            A = on_dask.add_intercept(X) if self.fit_intercept else X
            curvature, target_spread, intercept = on_dask.summaries(model, A, t, k)
        else:
            scaled = None if weight is None else mean_one(weight)
            A = add_intercept(X) if self.fit_intercept else X
            curvature = Curvature.of(model, A, scaled)
            target_spread = spread(model.family, t, scaled)
            intercept = start_intercept(model.family, t, scaled, k)
        rule = self._rule(curvature, model.family)
        done: tuple[int, int] = (0, 0)
        if partial and fitted:  # the schedule's counter goes on from the updates done
            done = (int(getattr(self, "n_iter_")), int(getattr(self, "t_")))  # noqa: B009
            lr = _continued(getattr(self, "lr_"), self.lr_per, *done)  # noqa: B009
        else:
            lr = self.lr_ = self._rate(curvature, rule, target_spread)
        w0 = self._start(A.shape[1], k, intercept)
        stop_early = bool(self.early_stopping) and not partial
        history = descend(
            model, A, t, lr=lr, epochs=1 if partial else _params.epochs(self),
            batch_size=_params.batch_size(self), w0=w0, method=rule, seed=_params.seed(self),
            shuffle=self.shuffle, lr_per=self.lr_per, record=_params.record(self),
            gtol_rel=None if partial else _params.tol(self), keep_best=not partial,
            early_stopping=stop_early,
            validation_fraction=self.validation_fraction if stop_early else None,
            n_iter_no_change=self.n_iter_no_change, verbose=bool(self.verbose),
            sample_weight=weight,
        )  # fmt: skip
        self._settle(history, A, t, k, rule)
        self.n_iter_ = done[0] + history.n_epochs
        self.t_ = done[1] + history.n_steps

    def _settle(
        self, history: Trajectory, A: Array, t: NDArray[Any], k: int, rule: UpdateRule
    ) -> None:
        """Raise on divergence; keep the final iterate of a converged fit (or of a
        ``partial_fit`` epoch), else the best one; warn when the budget ran out first."""
        name = type(self).__name__
        if history.status == "diverged":
            raise ValueError(_messages.diverged(name, history, self.batch_size))
        final = history.status == "converged" or self._partial
        w = np.array(history.w if final else history.best_w, dtype=np.float64)
        self.history_ = history
        self._set_weights(w, k)
        if self._partial or self.tol is None:
            return
        # Separable classes have no optimum without a penalty: the gradient can still fall
        # below tol there (the loss tends to 0 as the weights grow), so no status is trusted.
        separable = (
            k >= 2
            and not self.l2_
            and _messages.separable(np.asarray(A), np.asarray(t).astype(np.intp), k, w)
        )
        if history.status == "max_epochs" or separable:
            message = _messages.not_converged(
                name, history, float(self.tol), batch_size=self.batch_size, rule=rule.name,
                lr_auto=isinstance(self.lr, str) and self.lr == "auto", separable=separable,
            )  # fmt: skip
            warnings.warn(message, ConvergenceWarning, stacklevel=4)


def _continued(lr: Any, lr_per: str, epochs: int, steps: int) -> Any:
    """The rate of a later ``partial_fit`` call: a schedule goes on from its counter."""
    if not isinstance(lr, schedules.Schedule):
        return lr
    offset = epochs if lr_per == "epoch" else steps

    def shifted(t: Any) -> Any:
        return lr(np.asarray(t) + offset)

    return schedules.factor(1.0, shifted)
