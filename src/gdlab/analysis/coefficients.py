"""Coefficients learned on scaled data, mapped back to the raw units.

Min-max, z-score, max-abs and robust scaling are affine column by column:
``x'_j = s_j x_j + o_j`` (z-score: ``s = 1 / std``, ``o = -mean / std``; min-max:
``s = 1 / (max - min)``, ``o = -min / (max - min)``). A linear model on scaled features,
``y' = sum_j w'_j x'_j + c'``, is the raw-unit model

``y = sum_j (w'_j s_j / s_y) x_j + (sum_j w'_j o_j + c' - o_y) / s_y``

where ``y' = s_y y + o_y`` is the label scaling (``s_y = 1``, ``o_y = 0`` when labels were not
scaled). For logistic and softmax models the same map applies to the logits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["AffineMap", "RawCoefficients", "affine_map", "coefficients_to_raw"]


@dataclass(frozen=True)
class AffineMap:
    """Column-wise affine map ``scaled = raw * slope + offset`` of a fitted scaler."""

    slope: NDArray[np.float64]
    offset: NDArray[np.float64]

    def __repr__(self) -> str:
        return f"AffineMap(slope={self.slope.tolist()}, offset={self.offset.tolist()})"


@dataclass(frozen=True)
class RawCoefficients:
    """A linear model in raw units: ``prediction = X @ coef + intercept``."""

    coef: NDArray[np.float64]
    intercept: float | NDArray[np.float64]

    def __repr__(self) -> str:
        inter = np.asarray(self.intercept).tolist()
        return f"RawCoefficients(coef={self.coef.tolist()}, intercept={inter})"


def affine_map(scaler: Any) -> AffineMap:
    """Read the affine map of a fitted column-wise scaler by probing its ``transform``.

    ``offset = t(0)`` and ``slope = t(1) - t(0)``; ``t(2)`` checks the map is affine. This
    works for any affine scaler, gdlab's or scikit-learn's, whatever its attribute names.

    Parameters
    ----------
    scaler : fitted transformer
        Has ``transform`` and ``n_features_in_``.

    Returns
    -------
    AffineMap

    Examples
    --------
    >>> from sklearn.preprocessing import MinMaxScaler
    >>> affine_map(MinMaxScaler().fit([[2.0], [6.0]]))
    AffineMap(slope=[0.25], offset=[-0.5])
    """
    n = getattr(scaler, "n_features_in_", None)
    if n is None or not hasattr(scaler, "transform"):
        raise TypeError(
            f"expected a fitted scaler with transform and n_features_in_, got {scaler!r}; "
            "call fit first."
        )
    probe: Any = np.repeat(np.arange(3.0)[:, None], int(n), axis=1)
    names = getattr(scaler, "feature_names_in_", None)
    if names is not None:  # fitted on a DataFrame: probe with the same column names
        import pandas as pd

        probe = pd.DataFrame(probe, columns=names)
    out = np.asarray(scaler.transform(probe), dtype=np.float64)
    slope, offset = out[1] - out[0], out[0]
    if not np.allclose(out[2] - out[1], slope, rtol=1e-9, atol=1e-12):
        raise ValueError(
            f"{type(scaler).__name__} is not affine (e.g. the sigmoid scaler), so its "
            "coefficients have no raw-unit equivalent; use min-max, z-score, max-abs or robust."
        )
    return AffineMap(slope=slope, offset=offset)


def coefficients_to_raw(
    w: ArrayLike,
    *,
    x_scaler: Any = None,
    y_scaler: Any = None,
    intercept: bool = True,
) -> RawCoefficients:
    """Map parameters learned on scaled data back to raw feature and label units.

    See the module docstring for the formula.

    Parameters
    ----------
    w : array-like, shape (d,) or (d + 1,), or (d[+1], k) for softmax
        Learned parameters; with ``intercept=True`` the last row is the intercept (the ones
        column appended last, as ``gdlab.datasets.add_intercept`` does).
    x_scaler : fitted affine scaler, optional
        Scaler applied to the features (None: features were not scaled).
    y_scaler : fitted affine scaler, optional
        Scaler applied to the labels, fitted on a one-column array (1-D ``w`` only).
    intercept : bool
        Whether ``w`` ends with an intercept.

    Returns
    -------
    RawCoefficients
        ``coef`` of shape (d,) or (d, k) and ``intercept``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.preprocessing import StandardScaler
    >>> X = np.array([[1.0], [2.0], [3.0]]); y = 10 * X[:, 0] + 5
    >>> sx = StandardScaler().fit(X)
    >>> w_scaled = np.linalg.lstsq(np.c_[sx.transform(X), np.ones(3)], y, rcond=None)[0]
    >>> coefficients_to_raw(w_scaled, x_scaler=sx)
    RawCoefficients(coef=[10.0...], intercept=5.0...)
    """
    W = np.asarray(w, dtype=np.float64)
    if W.ndim not in (1, 2):
        raise ValueError(f"w must be 1-D (or 2-D for softmax), got shape {W.shape}.")
    coef, c = (W[:-1], W[-1]) if intercept else (W, np.zeros(W.shape[1:]))
    d = coef.shape[0]
    if x_scaler is not None:
        xm = affine_map(x_scaler)
        if xm.slope.shape[0] != d:
            raise ValueError(
                f"x_scaler was fitted on {xm.slope.shape[0]} features but w holds {d} "
                f"coefficients (intercept={intercept}); check the intercept flag."
            )
        slope = xm.slope.reshape((d,) + (1,) * (coef.ndim - 1))
        offset = xm.offset.reshape(slope.shape)
        c = c + (coef * offset).sum(axis=0)
        coef = coef * slope
    if y_scaler is not None:
        if W.ndim != 1:
            raise ValueError("y_scaler applies to a single output; w must be 1-D.")
        ym = affine_map(y_scaler)
        if ym.slope.shape != (1,) or ym.slope[0] == 0:
            raise ValueError("y_scaler must be fitted on one label column with non-zero spread.")
        coef = coef / ym.slope[0]
        c = (c - ym.offset[0]) / ym.slope[0]
    inter: float | NDArray[np.float64] = float(c) if np.ndim(c) == 0 else np.asarray(c)
    return RawCoefficients(coef=np.asarray(coef, dtype=np.float64), intercept=inter)
