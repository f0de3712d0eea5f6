"""Max-abs scaling: ``z = x / max|x|``, column by column, into [-1, 1] without shifting."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from scipy import sparse

from gdlab.scaling import sparse_data
from gdlab.scaling.affine import affine
from gdlab.scaling.base import F64, Floats, StreamingScaler
from gdlab.scaling.checks import check_block
from gdlab.scaling.constant import constant_spread, safe_scale
from gdlab.scaling.moments import column_extremes


class MaxAbsScaler(StreamingScaler):
    r"""Divide each column by its largest absolute value.

    .. math:: z = \frac{x}{\max_i |x_i|}

    Zeros stay zeros (sparsity and sign are kept), so sparse CSR/CSC input is scaled as
    sparse, with the same float64 statistics. An all-zero column is constant (see
    :mod:`gdlab.scaling.constant`) and keeps ``scale_ = 1``. NaN is ignored by fit and kept
    by transform.

    Parameters
    ----------
    copy : bool, default=True
        False lets ``transform`` write into its input when it is a float ndarray (or a
        CSR/CSC matrix).
    clip : bool, default=False
        Clip transformed values of new data into [-1, 1] (dense input only: clipping a
        sparse matrix keeps its zeros, so it is applied to the stored values).

    Attributes
    ----------
    max_abs_ : ndarray of shape (n_features,)
        Per-column maximum absolute value.
    scale_ : ndarray of shape (n_features,)
        ``max_abs_``, 1 for all-zero columns.
    n_samples_seen_ : int
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> s = MaxAbsScaler().fit([[1.0, -4.0], [-2.0, 2.0], [0.0, 0.0]])
    >>> s.max_abs_
    array([2., 4.])
    >>> s.transform([[1.0, 1.0]])
    array([[0.5 , 0.25]])
    """

    _statistics: ClassVar[tuple[str, ...]] = ("max_abs_",)
    _derived: ClassVar[tuple[str, ...]] = ("scale_",)

    max_abs_: F64
    scale_: F64

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "copy": ["boolean"],
        "clip": ["boolean"],
    }

    def __init__(self, *, copy: bool = True, clip: bool = False) -> None:
        self.copy = copy
        self.clip = clip

    def _takes_columns(self) -> bool:
        return not self.clip  # clipping runs on NumPy blocks of one array

    def _sparse_refusal(self) -> Exception | None:
        return None

    def _accumulate(self, X: Floats) -> None:
        ext = column_extremes(X)
        self._merge(np.fmax(np.abs(ext.low), np.abs(ext.high)), X.shape[0])

    def _accumulate_sparse(self, X: Any) -> None:
        self._merge(sparse_data.max_abs(X), X.shape[0])

    def _merge(self, max_abs: F64, rows: int) -> None:
        if hasattr(self, "n_samples_seen_"):
            max_abs = np.fmax(self.max_abs_, max_abs)
            self.n_samples_seen_ = int(self.n_samples_seen_) + rows
        else:
            self.n_samples_seen_ = rows
        self.max_abs_ = max_abs
        self._finish()

    def _finish(self) -> None:
        self.scale_ = safe_scale(self.max_abs_, constant_spread(self.max_abs_, self.max_abs_))

    def _check_state(self) -> None:
        if (self.max_abs_ < 0).any():
            raise ValueError("Invalid scaler state: max_abs_ has negative values; refit and save.")

    def _map(self) -> tuple[F64, F64, F64]:
        return np.zeros_like(self.scale_), 1.0 / self.scale_, self.scale_

    def _forward(self, X: Floats, out: Floats, *, checked: bool) -> None:
        offset, factor, _ = self._map()

        def clip(block: Floats) -> None:
            np.clip(block, -1.0, 1.0, out=block)

        check = None if checked else check_block
        affine(X, offset, factor, out, check=check, after=clip if self.clip else None)

    def transform(self, X: Any, copy: bool | None = None) -> Any:
        """Scale ``X`` by the fitted maxima; NaN stays NaN, zeros stay zeros.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        copy : bool, optional
            As in :meth:`BaseScaler.transform`.

        Returns
        -------
        ndarray or sparse matrix of shape (n_samples, n_features)
        """
        out: Any = self._apply(X, copy, inverse=False)
        if self.clip and sparse.issparse(out):
            np.clip(out.data, -1.0, 1.0, out=out.data)
        return out
