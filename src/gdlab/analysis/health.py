"""A scaler health report: what in the data would make scaling fail or mislead.

Per column it counts NaNs, flags constant and near-constant columns (a scaler divides by their
spread), estimates the float32 cancellation risk of centring, and, given a test set, the share
of test values outside the training range (min-max output leaves ``[0, 1]`` there).

Float32 carries about 7.2 significant digits. Centring ``x - mean`` cancels the leading digits
the values share: about ``log10(|mean| / std)`` of them. When that exceeds
``cancellation_digits`` (default 3) fewer than ~4 digits survive a float32 pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

__all__ = ["HealthReport", "health_report"]


@dataclass(frozen=True)
class HealthReport:
    """Result of :func:`health_report`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per column: ``nan_train``, ``nan_test``, ``mean``, ``std``, ``min``, ``max``,
        ``constant``, ``near_constant``, ``float32_digits_lost``, ``float32_risk``,
        ``outside_train_range`` (share of the column's test values, NaN without a test set).
    rows_outside_train_range : float or None
        Share of test rows with at least one value outside the training range.
    n_train, n_test : int
        Row counts (``n_test`` is 0 without a test set).
    """

    table: pd.DataFrame
    rows_outside_train_range: float | None
    n_train: int
    n_test: int

    @property
    def problems(self) -> list[str]:
        """One readable line per problem found, empty when the data looks healthy."""
        t = self.table
        names = [str(c) for c in t.index]
        cols = {k: t[k].to_numpy() for k in t.columns}
        out: list[str] = []
        for k, where in (("nan_train", "training"), ("nan_test", "test")):
            out += [
                f"column {names[i]!r}: {int(cols[k][i])} NaN in the {where} data"
                for i in np.flatnonzero(cols[k] > 0)
            ]
        constant = cols["constant"].astype(bool)
        out += [
            f"column {names[i]!r} is constant: scaling cannot divide by its spread"
            for i in np.flatnonzero(constant)
        ]
        out += [
            f"column {names[i]!r} is near-constant: scaling will amplify its noise"
            for i in np.flatnonzero(cols["near_constant"].astype(bool) & ~constant)
        ]
        out += [
            f"column {names[i]!r}: centring in float32 loses about "
            f"{float(cols['float32_digits_lost'][i]):.1f} of 7 digits; keep float64"
            for i in np.flatnonzero(cols["float32_risk"].astype(bool) & ~constant)
        ]
        if self.rows_outside_train_range:
            out.append(
                f"{self.rows_outside_train_range:.1%} of test rows fall outside the training range"
            )
        return out

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def __repr__(self) -> str:
        return (
            f"HealthReport(n_features={len(self.table)}, n_train={self.n_train}, "
            f"n_test={self.n_test}, problems={len(self.problems)})"
        )

    def __str__(self) -> str:
        lines = self.problems or ["no problems found"]
        return "\n".join(["Scaler health report", *(f"- {p}" for p in lines)])


def _as_matrix(X: ArrayLike | pd.DataFrame, what: str) -> tuple[NDArray[np.float64], list[str]]:
    if isinstance(X, pd.DataFrame):
        names = [str(c) for c in X.columns]
        values = X.to_numpy()
    else:
        values = np.asarray(X)
        names = [f"x{j}" for j in range(values.shape[1])] if values.ndim == 2 else []
    if values.ndim != 2:
        raise ValueError(f"{what} must be 2-D (rows x features), got shape {values.shape}.")
    try:
        matrix = values.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{what} must be numeric; convert or drop non-numeric columns first ({exc})."
        ) from exc
    return matrix, names


def health_report(
    X_train: ArrayLike | pd.DataFrame,
    X_test: ArrayLike | pd.DataFrame | None = None,
    *,
    near_constant_rtol: float = 1e-6,
    cancellation_digits: float = 3.0,
) -> HealthReport:
    """Check data before scaling it.

    A column is *constant* when its non-NaN values are all equal, *near-constant* when
    ``std <= near_constant_rtol * |mean|``, and at *float32 risk* when
    ``log10(|mean| / std) > cancellation_digits``.

    Parameters
    ----------
    X_train : array-like or DataFrame, shape (m, d)
        Data the scaler is fitted on (column names come from a DataFrame).
    X_test : array-like or DataFrame, shape (k, d), optional
        Data the fitted scaler will be applied to.
    near_constant_rtol : float
        Relative spread below which a column counts as near-constant.
    cancellation_digits : float
        Digits lost to centring above which float32 is flagged.

    Returns
    -------
    HealthReport

    Examples
    --------
    >>> import numpy as np
    >>> train = np.array([[1.0, 5.0, 1e6 + 0.1], [2.0, 5.0, 1e6 + 0.2], [np.nan, 5.0, 1e6]])
    >>> report = health_report(train, [[3.0, 5.0, 1e6]])
    >>> print(report)
    Scaler health report
    - column 'x0': 1 NaN in the training data
    - column 'x1' is constant: scaling cannot divide by its spread
    - column 'x2' is near-constant: scaling will amplify its noise
    - column 'x2': centring in float32 loses about 7.1 of 7 digits; keep float64
    - 100.0% of test rows fall outside the training range
    """
    train, names = _as_matrix(X_train, "X_train")
    if train.shape[0] == 0:
        raise ValueError("X_train has no rows; a scaler needs at least one row to fit.")
    if np.isinf(train).any():
        raise ValueError("X_train contains inf; replace it with NaN or a finite value first.")
    nan_train = np.isnan(train).sum(axis=0)
    # All-NaN columns have no statistics: they keep NaN moments and count as constant.
    empty = nan_train == train.shape[0]
    keep = ~empty
    mean, std, lo, hi = (np.full(train.shape[1], np.nan) for _ in range(4))
    if keep.any():
        lo[keep] = np.nanmin(train[:, keep], axis=0)
        hi[keep] = np.nanmax(train[:, keep], axis=0)
        mean[keep] = np.nanmean(train[:, keep], axis=0)
        std[keep] = np.nanstd(train[:, keep], axis=0)
    constant = empty | (hi == lo)
    near_constant = constant | (std <= near_constant_rtol * np.abs(mean))
    with np.errstate(divide="ignore", invalid="ignore"):
        digits = np.log10(np.abs(mean) / std)
    # A constant column centres to exact zeros and a zero-mean one cancels nothing.
    digits = np.where((std > 0) & (np.abs(mean) > 0), digits, 0.0)
    table = pd.DataFrame(
        {
            "nan_train": nan_train,
            "nan_test": np.zeros(train.shape[1], dtype=np.int64),
            "mean": mean,
            "std": std,
            "min": lo,
            "max": hi,
            "constant": constant,
            "near_constant": near_constant,
            "float32_digits_lost": np.maximum(digits, 0.0),
            "float32_risk": digits > cancellation_digits,
            "outside_train_range": np.full(train.shape[1], np.nan),
        },
        index=pd.Index(names, name="column"),
    )
    rows_outside: float | None = None
    n_test = 0
    if X_test is not None:
        test, test_names = _as_matrix(X_test, "X_test")
        if test.shape[1] != train.shape[1]:
            raise ValueError(
                f"X_test has {test.shape[1]} columns but X_train has {train.shape[1]}; "
                "pass the same features in the same order."
            )
        # Two DataFrames name their columns: a reordered test set would be compared column
        # by column against the wrong training ranges.
        both_named = isinstance(X_train, pd.DataFrame) and isinstance(X_test, pd.DataFrame)
        if both_named and test_names != names:
            raise ValueError(
                f"X_test has columns {test_names} but X_train has {names}; pass the same "
                "features in the same order (e.g. X_test[X_train.columns])."
            )
        n_test = test.shape[0]
        table["nan_test"] = np.isnan(test).sum(axis=0)
        # NaN compares False, so missing values never count as out of range.
        outside = (test < lo) | (test > hi)
        if n_test:
            present = np.maximum((~np.isnan(test)).sum(axis=0), 1)
            table["outside_train_range"] = outside.sum(axis=0) / present
            rows_outside = float(outside.any(axis=1).mean())
    return HealthReport(
        table=table, rows_outside_train_range=rows_outside, n_train=train.shape[0], n_test=n_test
    )
