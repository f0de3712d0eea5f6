"""The estimators' parameters, checked when ``fit`` reads them (``__init__`` only stores them,
as scikit-learn requires): each helper returns the value ``descend`` takes, or raises an
error that names the estimator, what was expected and what came."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab import schedules

# max_iter=None: full batch needs its epochs (each is one gradient step: standardized digits
# takes about 2,300 accelerated ones), mini-batches need fewer, as scikit-learn's SGD (1000).
FULL_BATCH_EPOCHS, MINI_BATCH_EPOCHS = 10_000, 1_000
RECORDS = ("epoch", "step")


def _name(est: Any) -> str:
    return type(est).__name__


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def epochs(est: Any) -> int:
    """``max_iter``, or its default for the batch mode."""
    value: Any = est.max_iter
    if value is None:
        return FULL_BATCH_EPOCHS if est.batch_size is None else MINI_BATCH_EPOCHS
    if not _is_int(value) or value < 1:
        raise ValueError(
            f"{_name(est)}: max_iter must be an int >= 1 (epochs) or None (10,000 for full "
            f"batch, 1,000 for mini-batches), got {value!r}."
        )
    return int(value)


def batch_size(est: Any) -> int | None:
    size: Any = est.batch_size
    if size is not None and (not _is_int(size) or size < 1):
        raise ValueError(
            f"{_name(est)}: batch_size must be None (full batch) or an int >= 1, got {size!r}."
        )
    return None if size is None else int(size)


def tol(est: Any) -> float | None:
    value: Any = est.tol
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not (np.isfinite(float(value)) and float(value) >= 0)
    ):
        raise ValueError(
            f"{_name(est)}: tol must be a float >= 0 (the gradient norm to reach, relative to "
            f"its norm at w = 0) or None (run max_iter epochs), got {value!r}."
        )
    return float(value)


def record(est: Any) -> str | int | None:
    """``record``: False (the start and the end), True or "epoch", "step", or an int k."""
    value: Any = est.record
    if value is False:
        return None
    if value is True:
        return "epoch"
    if value in RECORDS or (_is_int(value) and value >= 1):
        return value
    raise ValueError(
        f"{_name(est)}: record must be False (keep the start and the end), True or 'epoch' "
        f"(every epoch), 'step' (every update) or an int k >= 1 (every k-th), got {value!r}."
    )


def check_flags(est: Any) -> None:
    """The yes/no parameters, ``batch_size``, and ``validation_fraction`` when early stopping
    uses it."""
    batch_size(est)
    for flag in ("fit_intercept", "shuffle", "early_stopping", "warm_start"):
        value = getattr(est, flag)
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{_name(est)}: {flag} must be True or False, got {value!r}.")
    verbose: Any = est.verbose
    if not (_is_int(verbose) or isinstance(verbose, bool)) or verbose < 0:
        raise ValueError(f"{_name(est)}: verbose must be an int >= 0, got {est.verbose!r}.")
    fraction: Any = est.validation_fraction
    if est.early_stopping and not (
        isinstance(fraction, numbers.Real)
        and not isinstance(fraction, bool)
        and 0 < float(fraction) < 1
    ):
        raise ValueError(
            f"{_name(est)}: validation_fraction must be in (0, 1) with early_stopping=True, got "
            f"{fraction!r}."
        )


def penalty(est: Any, weight: NDArray[np.float64] | None, n: int) -> float:
    """``l2`` as a float; "auto" (classifiers) is ``1 / sum(weights)``: ``LogisticRegression``
    minimises ``C sum_i s_i l_i + ||w||^2 / 2``, which divided by ``C sum_i s_i`` is the mean
    loss plus ``l2/2 ||w||^2`` with ``l2 = 1 / (C sum_i s_i)``, so ``C = 1.0`` (its default)."""
    l2: Any = est.l2
    if isinstance(l2, str) and l2 == "auto" and getattr(est, "_l2_auto", False):
        total = float(n if weight is None else np.sum(weight))
        return 1.0 / total
    if isinstance(l2, bool) or not isinstance(l2, numbers.Real):
        auto = " or 'auto' (1 / the number of rows, LogisticRegression(C=1.0))"
        raise TypeError(
            f"{_name(est)}: l2 must be a finite float >= 0"
            f"{auto if getattr(est, '_l2_auto', False) else ''}, got {type(l2).__name__} "
            f"{l2!r}; pass 0.0 for no penalty."
        )
    if not (np.isfinite(float(l2)) and float(l2) >= 0):
        raise ValueError(
            f"{_name(est)}: l2 must be a finite float >= 0, got {l2!r}; pass 0.0 for no penalty."
        )
    return float(l2)


def learning_rate(est: Any) -> float | str | schedules.Schedule:
    """``lr``: "auto", a positive float, or a schedule (its text form parsed)."""
    lr: Any = est.lr
    if isinstance(lr, str) and lr == "auto":
        return "auto"
    if isinstance(lr, (str, schedules.Schedule)):
        return schedules.as_schedule(lr)
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(
            f"{_name(est)}: lr must be a positive float, a gdlab schedule, its text form such as "
            f"'exponential(lr=0.2, gamma=0.95)', or 'auto'; got {type(lr).__name__} {lr!r}."
        )
    if not (np.isfinite(float(lr)) and float(lr) > 0):
        raise ValueError(f"{_name(est)}: lr must be finite and > 0, got {lr!r}; try lr='auto'.")
    return float(lr)


def seed(est: Any) -> int | np.random.Generator | None:
    rs = est.random_state
    if rs is None or isinstance(rs, np.random.Generator):
        return rs
    if _is_int(rs):
        return int(rs)
    if isinstance(rs, np.random.RandomState):
        # Draw the seed from the caller's RandomState, as scikit-learn estimators do.
        return int(rs.randint(np.iinfo(np.int32).max))
    raise TypeError(
        f"{_name(est)}: random_state must be None, an int, a numpy.random.RandomState or a "
        f"numpy.random.Generator; got {rs!r}."
    )
