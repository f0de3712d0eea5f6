"""Scalers given to an analysis are fitted as fresh copies, never refitted in the caller's hands.

scikit-learn's model selection clones the estimators it is given for the same reason: a
user's fitted scaler passed in for one comparison keeps the statistics it had.
"""

from __future__ import annotations

from typing import Any

from sklearn.base import clone

__all__ = ["fresh_scaler"]


def fresh_scaler(scaler: Any) -> Any:
    """An unfitted scaler from a class or an instance (cloned, so the caller's is not refitted).

    Examples
    --------
    >>> from gdlab.scaling import StandardScaler
    >>> mine = StandardScaler(with_mean=False)
    >>> fresh_scaler(mine) is mine, fresh_scaler(mine), fresh_scaler(StandardScaler)
    (False, StandardScaler(with_mean=False), StandardScaler())
    """
    return scaler() if isinstance(scaler, type) else clone(scaler)
