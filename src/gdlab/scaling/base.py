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
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import FLOAT_DTYPES, check_is_fitted, validate_data

from gdlab.scaling import state
from gdlab.scaling.blocks import affine, scan
from gdlab.scaling.checks import check_block, reject_non_numeric

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

    copy: bool
    n_features_in_: int
    n_samples_seen_: int | NDArray[np.int64]

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
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    # -- hooks for subclasses -------------------------------------------------------------
    def _check_params(self) -> None:
        """Raise ValueError/TypeError on a bad constructor argument."""

    def _needs_spread(self) -> bool:
        """Whether ``fit`` estimates a spread (and so needs at least 2 samples)."""
        return True

    def _accumulate(self, X: Floats) -> None:
        """Scan validated ``X`` once (rejecting ±inf), merge its statistics, call _finish."""
        raise NotImplementedError

    def _finish(self) -> None:
        """Compute the derived attributes from the statistics."""

    def _check_state(self) -> None:
        """Raise ValueError if loaded statistics are impossible (e.g. a negative variance)."""

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
    def _validate(self, X: ArrayLike, *, reset: bool) -> Floats:
        reject_non_numeric(X)
        # Finiteness is checked inside the single pass over the data, not by a separate scan.
        Xv: Floats = validate_data(
            self,
            X,
            reset=reset,
            accept_sparse=False,
            dtype=FLOAT_DTYPES,
            copy=False,
            ensure_all_finite=False,
        )
        return Xv

    def _reset(self) -> None:
        for name in ("n_samples_seen_", *self._statistics, *self._derived):
            if hasattr(self, name):
                delattr(self, name)

    def _apply(self, X: ArrayLike, copy: bool | None, *, inverse: bool) -> Floats:
        check_is_fitted(self, "n_samples_seen_")
        copy = self.copy if copy is None else copy
        Xv = self._validate(X, reset=False)
        checked = False
        if _fresh(X, Xv):
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
    def fit(self: T, X: ArrayLike, y: Any = None) -> T:
        """Compute the statistics of ``X`` from scratch (NaN ignored, ±inf rejected).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
            Present for scikit-learn API compatibility.

        Returns
        -------
        self
        """
        self._fit(X)
        return self

    def _fit(self, X: ArrayLike) -> Floats:
        self._check_params()
        self._reset()
        Xv = self._validate(X, reset=True)
        if Xv.shape[0] < 2 and self._needs_spread():
            raise ValueError(
                f"{type(self).__name__}.fit got 1 sample; estimating each column's spread "
                "needs at least 2 samples. Fit on more rows"
                + (", or stream rows with partial_fit." if hasattr(self, "partial_fit") else ".")
            )
        self._accumulate(Xv)
        return Xv

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
            Same float dtype as ``X`` (float64 for integer input).
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

    def fit_transform(self, X: ArrayLike, y: Any = None, **fit_params: Any) -> Floats:
        """Fit on ``X`` and return it scaled: one pass to fit, one pass to transform.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        **fit_params : ignored
            Present for scikit-learn API compatibility.

        Returns
        -------
        ndarray of shape (n_samples, n_features)
        """
        Xv = self._fit(X)
        in_place = _fresh(X, Xv) or (not self.copy and Xv.flags.writeable)
        out = Xv if in_place else np.empty_like(Xv)
        self._forward(Xv, out, checked=True)  # fit already rejected ±inf
        return out

    # -- JSON state -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The fitted scaler as a JSON-ready dict (see :mod:`gdlab.scaling.state`).

        Returns
        -------
        dict
            Class name, constructor parameters, fitted attributes and a sha256 checksum.
        """
        check_is_fitted(self, "n_samples_seen_")
        names = getattr(self, "feature_names_in_", None)
        payload: dict[str, Any] = {
            "format": state.FORMAT,
            "version": state.VERSION,
            "class": type(self).__name__,
            "params": state.encode(self.get_params(deep=False)),
            "n_features_in": int(self.n_features_in_),
            "feature_names_in": None if names is None else [str(s) for s in names],
            "attributes": {
                name: state.encode(getattr(self, name))
                for name in ("n_samples_seen_", *self._statistics, *self._derived)
            },
        }
        payload["sha256"] = state.digest(payload)
        return payload

    @classmethod
    def from_dict(cls: type[T], d: Mapping[str, Any]) -> T:
        """Rebuild a fitted scaler from :meth:`to_dict` output, validating every field.

        Raises
        ------
        ValueError
            If the dict is malformed, edited (checksum mismatch), of another class, or holds
            impossible statistics.
        """
        d = dict(d) if isinstance(d, Mapping) else d
        name = state.header(d, None if cls is BaseScaler else cls.__name__)
        target = REGISTRY.get(name)
        if target is None:
            raise ValueError(f"Unknown scaler class {name!r}; expected one of {sorted(REGISTRY)}.")
        params, attrs = d["params"], d["attributes"]
        expected = set(target._get_param_names())
        if set(params) != expected:
            raise ValueError(
                f"Invalid scaler state: params of {name} should be {sorted(expected)}, got "
                f"{sorted(params)}. Fit the scaler again and save it."
            )
        defaults = target().get_params(deep=False)
        est = target(**{k: state.param(k, v, defaults[k]) for k, v in params.items()})
        est._check_params()
        n, feature_names = state.n_features(d)
        wanted = {"n_samples_seen_", *target._statistics, *target._derived}
        if set(attrs) != wanted:
            raise ValueError(
                f"Invalid scaler state: attributes of {name} should be {sorted(wanted)}, got "
                f"{sorted(attrs)}. Fit the scaler again and save it."
            )
        est.n_features_in_ = n
        if feature_names is not None:
            est.feature_names_in_ = feature_names
        est.n_samples_seen_ = state.count("n_samples_seen_", attrs["n_samples_seen_"], n)
        for stat in target._statistics:
            setattr(est, stat, state.float_vector(stat, attrs[stat], n))
        est._check_state()
        est._finish()
        for derived in target._derived:
            stored = state.float_vector(derived, attrs[derived], n)
            state.agree(derived, stored, getattr(est, derived))
        return est


class StreamingScaler(BaseScaler):
    """A scaler whose statistics merge exactly, so data can arrive in chunks."""

    _abstract: ClassVar[bool] = True

    def partial_fit(self: T, X: ArrayLike, y: Any = None) -> T:
        """Merge the statistics of one more chunk of rows (the first call starts afresh).

        Chunked ``partial_fit`` calls give the same statistics as one ``fit`` on all the
        rows, to floating-point rounding, whatever the chunk sizes (one row is fine).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        self._check_params()
        first = not hasattr(self, "n_samples_seen_")
        self._accumulate(self._validate(X, reset=first))
        return self
