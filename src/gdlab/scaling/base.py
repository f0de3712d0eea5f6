"""The scikit-learn scaler contract shared by every gdlab scaler.

Subclasses describe *what* they learn (statistics, merged block by block) and the column-wise
map they apply; this base class owns validation, the blocked transform, copy semantics and
the JSON state. Every scaler's forward map is written ``z = (x - offset) * factor`` (a
nonlinear scaler adds a squashing function after it) and its inverse ``x = z * inverse_factor
+ offset``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin, _fit_context
from sklearn.utils.validation import FLOAT_DTYPES, check_array, check_is_fitted, validate_data

from gdlab.dask_types import is_dask
from gdlab.scaling import sparse_data, state
from gdlab.scaling.affine import affine
from gdlab.scaling.blocks import scan
from gdlab.scaling.checks import check_block, reject_non_numeric
from gdlab.scaling.columns import Columns, frame_columns

T = TypeVar("T", bound="BaseScaler")
F64 = NDArray[np.float64]
Floats = NDArray[np.floating]

#: Every concrete scaler by class name, so ``load`` can rebuild what ``save`` wrote.
REGISTRY: dict[str, type[BaseScaler]] = {}


def _fresh(X_in: Any, Xv: NDArray[Any]) -> bool:
    # True when validation already made a private copy (a list, or a converted dtype), so the
    # result may be written into it without touching the caller's data.
    if isinstance(X_in, np.ndarray):
        return not np.may_share_memory(X_in, Xv)
    return isinstance(X_in, (list, tuple))


class BaseScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Common machinery; not used directly (see the concrete scalers)."""

    _abstract: ClassVar[bool] = True
    #: scikit-learn's declarative parameter checks, run by ``fit`` (InvalidParameterError).
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {"copy": ["boolean"]}
    #: Keyword arguments ``fit`` takes besides ``X`` and ``y`` (``fit_transform`` passes them).
    _fit_keywords: ClassVar[frozenset[str]] = frozenset()

    copy: bool
    n_features_in_: int
    n_samples_seen_: int | float | NDArray[Any]

    #: float64 arrays learned from data, saved by ``to_dict``.
    _statistics: ClassVar[tuple[str, ...]] = ()
    #: float64 arrays computed from the statistics by ``_finish``; checked on load.
    _derived: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("_abstract", False):
            REGISTRY[cls.__name__] = cls

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # NaN is missing data: ignored by fit, kept by transform
        tags.input_tags.sparse = self._sparse_refusal() is None
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    # -- hooks for subclasses -------------------------------------------------------------
    def _check_params(self) -> None:
        """Raise ValueError on parameter values the declarative constraints cannot express."""

    def _sparse_refusal(self) -> Exception | None:
        """The error for sparse input where this configuration would densify it, or None."""
        return TypeError(
            f"{type(self).__name__} does not take sparse input: it would turn the zeros into "
            "other values and so densify the matrix. Use MaxAbsScaler (or StandardScaler("
            "with_mean=False)) on sparse data, or convert it with .toarray() first."
        )

    def _absent(self) -> frozenset[str]:
        """Fitted attributes that are None under these parameters (as in scikit-learn)."""
        return frozenset()

    def _accumulate(self, X: Floats) -> None:
        """Scan validated ``X`` once (rejecting ±inf), merge its statistics, call _finish."""
        raise NotImplementedError

    def _accumulate_sparse(self, X: Any) -> None:
        """As :meth:`_accumulate`, for a CSR/CSC matrix (only where ``_sparse_refusal`` is None)."""
        raise NotImplementedError

    def _finish(self) -> None:
        """Compute the derived attributes from the statistics."""

    def _observed_counts(self) -> bool:
        """Whether ``n_samples_seen_`` counts each column's observed values (a number, per
        column where they differ, sums of weights with ``sample_weight``) rather than the
        rows fitted, a whole number."""
        return False

    def _check_state(self) -> None:
        """Raise ValueError if loaded statistics break an invariant that *this* class adds.

        A class checks only its own invariants and never calls ``super()``: loading runs the
        ``_check_state`` of every class in the hierarchy, base class first
        (:meth:`_check_loaded_state`), so no subclass can skip the checks of its bases. The
        base class's: at least one sample seen, a whole number of rows where rows are
        counted, and every statistic null in the same columns.
        """
        seen = self.n_samples_seen_
        if np.all(np.asarray(seen) == 0):
            raise ValueError(
                "Invalid scaler state: n_samples_seen_ is 0, but a fitted scaler has seen at "
                "least one sample. Fit the scaler again and save it."
            )
        if not self._observed_counts() and not isinstance(seen, (int, np.integer)):
            raise ValueError(
                f"Invalid scaler state: n_samples_seen_ of {type(self).__name__} counts the "
                f"rows fitted, a whole number, got {seen!r:.60}. Fit the scaler again and "
                "save it."
            )
        present = [s for s in self._statistics if getattr(self, s) is not None]
        for name in present[1:]:
            if not np.array_equal(
                np.isnan(getattr(self, name)), np.isnan(getattr(self, present[0]))
            ):
                raise ValueError(
                    f"Invalid scaler state: {present[0]} and {name} disagree on which columns "
                    "were observed (null in one, a number in the other). Fit the scaler again "
                    "and save it."
                )

    def _check_loaded_state(self) -> None:
        """Run the ``_check_state`` of every class in the hierarchy, base class first."""
        for klass in reversed(type(self).__mro__):
            check = vars(klass).get("_check_state")
            if check is not None:
                check(self)

    def _map(self) -> tuple[F64, F64, F64]:
        """``(offset, factor, inverse_factor)`` of the column-wise affine map."""
        raise NotImplementedError

    def _input_check(self, *, inverse: bool) -> Callable[[Floats], None]:
        """The check every input block of ``transform`` (or its inverse) must pass."""
        return check_block

    def _forward(self, X: Floats, out: Floats, *, checked: bool) -> None:
        offset, factor, _ = self._map()
        affine(X, offset, factor, out, check=None if checked else check_block)

    def _backward(self, X: Floats, out: Floats, *, checked: bool) -> None:
        offset, _, inverse_factor = self._map()
        affine(X, offset, inverse_factor, out, inverse=True, check=None if checked else check_block)

    # -- validation ----------------------------------------------------------------------
    def _takes_columns(self) -> bool:
        """Whether fit and transform read a DataFrame's columns where they are (no conversion)."""
        return False

    def _validate(
        self, X: ArrayLike, *, reset: bool, inverse: bool = False, columns: bool = False
    ) -> Any:
        reject_non_numeric(X)
        refusal = self._sparse_refusal()
        if sparse.issparse(X) and refusal is not None:
            raise refusal
        # Finiteness is checked inside the single pass over the data, not by a separate scan.
        options: dict[str, Any] = {
            "accept_sparse": ("csr", "csc"),
            "dtype": FLOAT_DTYPES,
            "copy": False,
            "ensure_all_finite": False,
        }
        held = frame_columns(X) if columns and not inverse and self._takes_columns() else None
        if held is not None:  # float columns, read where they are: names and width to check
            held.check_names(self, reset=reset)
            return held
        if inverse:
            # Scaled values carry no feature names (they are often a model's NumPy output),
            # so only the width is checked, as scikit-learn's scalers do.
            Xv = check_array(X, **options)
            if Xv.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {Xv.shape[1]} features, but {type(self).__name__} is expecting "
                    f"{self.n_features_in_} features as input."
                )
            return Xv
        return validate_data(self, X, reset=reset, **options)

    def _reset(self) -> None:
        for name in ("n_samples_seen_", *self._statistics, *self._derived):
            if hasattr(self, name):
                delattr(self, name)

    def _apply(self, X: ArrayLike, copy: bool | None, *, inverse: bool) -> Floats:
        check_is_fitted(self, "n_samples_seen_")
        if is_dask(X):  # lazy: a Dask array or DataFrame in, the same kind out
            from gdlab.scaling import on_dask

            return on_dask.apply(self, X, inverse=inverse)
        copy = self.copy if copy is None else copy
        Xv = self._validate(X, reset=False, inverse=inverse, columns=True)
        if sparse.issparse(Xv):
            _, factor, inverse_factor = self._map()
            out: Floats = sparse_data.scale_columns(
                Xv, inverse_factor if inverse else factor, copy=bool(copy)
            )
            return out
        checked = False
        if isinstance(Xv, Columns):
            out = Xv.empty()
        elif _fresh(X, Xv):
            out = Xv
        elif not copy and Xv.flags.writeable:
            # In place on the caller's array: scan first so an error leaves it untouched.
            scan(Xv, self._input_check(inverse=inverse))
            out, checked = Xv, True
        else:
            out = np.empty_like(Xv)
        (self._backward if inverse else self._forward)(Xv, out, checked=checked)
        return out

    # -- public API ----------------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self: T, X: ArrayLike, y: Any = None) -> T:
        """Compute the statistics of ``X`` from scratch (NaN ignored, ±inf rejected).

        One sample is enough: its spread is zero, so under the constant-column policy every
        column gets scale 1.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Sparse input where the scaler keeps zeros at zero (see the class).
        y : ignored
            Present for scikit-learn API compatibility.

        Returns
        -------
        self
        """
        self._fit(X)
        return self

    def _fit(self, X: ArrayLike, **fit_params: Any) -> Any:
        unexpected = sorted(set(fit_params) - self._fit_keywords)
        if unexpected:
            raise TypeError(
                f"{type(self).__name__}.fit() got an unexpected keyword argument "
                f"{unexpected[0]!r}; it takes no sample weights or other fit parameters."
            )
        self._check_params()
        self._reset()
        if is_dask(X):  # one pass where the chunks live (gdlab.scaling.on_dask)
            from gdlab.scaling import on_dask

            on_dask.learn(self, X, fit_params, reset=True)
            return X
        weighted = any(v is not None for v in fit_params.values())  # weights: NumPy path
        Xv = self._validate(X, reset=True, columns=not weighted)
        self._learn(Xv, **fit_params)
        return Xv

    def _learn(self, Xv: Any, **fit_params: Any) -> None:
        if sparse.issparse(Xv):
            sparse_data.reject_infinite(Xv)
            self._accumulate_sparse(Xv, **fit_params)
        else:
            self._accumulate(Xv, **fit_params)

    def transform(self, X: ArrayLike, copy: bool | None = None) -> Floats:
        """Scale ``X`` with the fitted statistics; NaN stays NaN.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        copy : bool, optional
            False writes the result into ``X`` when it is a float ndarray that can hold it;
            defaults to the ``copy`` given at construction.

        Returns
        -------
        ndarray of shape (n_samples, n_features)
            Same float dtype as ``X`` (float64 for integer input). A Dask array or DataFrame
            gives the same kind, not yet computed (:mod:`gdlab.scaling.on_dask`).
        """
        return self._apply(X, copy, inverse=False)

    def inverse_transform(self, X: ArrayLike, copy: bool | None = None) -> Floats:
        """Map scaled values back to the original units (e.g. predictions to label units).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        copy : bool, optional
            As in :meth:`transform`.

        Returns
        -------
        ndarray of shape (n_samples, n_features)
        """
        return self._apply(X, copy, inverse=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X: ArrayLike, y: Any = None, **fit_params: Any) -> Floats:
        """Fit on ``X`` and return it scaled: one pass to fit, one pass to transform.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : ignored
        **fit_params
            Passed on to :meth:`fit` (``sample_weight`` for StandardScaler); TypeError for
            a parameter ``fit`` does not take.

        Returns
        -------
        ndarray or sparse matrix of shape (n_samples, n_features)
        """
        Xv = self._fit(X, **fit_params)
        if sparse.issparse(Xv) or is_dask(Xv):
            return self._apply(Xv, None, inverse=False)
        if isinstance(Xv, Columns):
            out = Xv.empty()
        elif _fresh(X, Xv) or (not self.copy and Xv.flags.writeable):
            out = Xv
        else:
            out = np.empty_like(Xv)
        self._forward(Xv, out, checked=True)  # fit already rejected ±inf
        return out

    # -- JSON state -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The fitted scaler as a JSON-ready dict (see :mod:`gdlab.scaling.state`).

        Returns
        -------
        dict
            Class name, constructor parameters, fitted attributes and a sha256 checksum.

        Raises
        ------
        ValueError
            If a statistic is infinite (JSON and float64 cannot hold it).
        """
        check_is_fitted(self, "n_samples_seen_")
        return state.payload(self)

    @classmethod
    def from_dict(cls: type[T], d: Mapping[str, Any]) -> T:
        """Rebuild a fitted scaler from :meth:`to_dict` output, validating every field.

        Raises
        ------
        ValueError
            If the dict is malformed, nested too deeply, edited (checksum mismatch), of
            another class, or holds impossible statistics (even with a recomputed checksum).
        """
        est: T = state.rebuild(d, None if cls is BaseScaler else cls.__name__, REGISTRY)
        return est


class StreamingScaler(BaseScaler):
    """A scaler whose statistics merge exactly, so data can arrive in chunks."""

    _abstract: ClassVar[bool] = True

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self: T, X: ArrayLike, y: Any = None) -> T:
        """Merge the statistics of one more chunk of rows (the first call starts afresh).

        Chunked ``partial_fit`` calls give the same statistics as one ``fit`` on all the
        rows, to floating-point rounding, whatever the chunk sizes (one row is fine).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        self._partial(X)
        return self

    def _partial(self, X: ArrayLike, **fit_params: Any) -> None:
        self._check_params()
        first = not hasattr(self, "n_samples_seen_")
        if is_dask(X):
            from gdlab.scaling import on_dask

            on_dask.learn(self, X, fit_params, reset=first)
            return
        weighted = any(v is not None for v in fit_params.values())
        self._learn(self._validate(X, reset=first, columns=not weighted), **fit_params)
