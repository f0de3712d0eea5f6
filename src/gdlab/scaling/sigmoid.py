"""Sigmoid normalization: ``z = 1 / (1 + exp(-x))``, optionally of the z-score."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
from scipy.special import expit, logit

from gdlab.scaling.affine import affine
from gdlab.scaling.base import F64, Floats
from gdlab.scaling.blocks import scan
from gdlab.scaling.checks import check_block
from gdlab.scaling.standard import MomentScaler


def _squash(block: Floats) -> None:
    expit(block, out=block)


def _check_unit(block: Floats) -> None:
    # The logit is defined on [0, 1] only; ±inf is outside too.
    with np.errstate(invalid="ignore"):
        outside = (block < 0) | (block > 1)
    if outside.any():
        raise ValueError(
            f"inverse_transform of a SigmoidScaler expects values in [0, 1] (or NaN), got "
            f"values from {np.nanmin(block)} to {np.nanmax(block)}; pass sigmoid outputs only."
        )


def _unsquash(src: Floats, dst: Floats) -> None:
    _check_unit(src)
    # The policy at 0 and 1: move them to the nearest representable values inside (0, 1),
    # so their logit is finite: the most extreme inputs the sigmoid can still tell apart.
    tiny = np.nextafter(src.dtype.type(0), src.dtype.type(1))
    np.clip(src, tiny, np.nextafter(src.dtype.type(1), src.dtype.type(0)), out=dst)
    logit(dst, out=dst)


class SigmoidScaler(MomentScaler):
    r"""Squash each column into (0, 1) with the logistic sigmoid (the lesson's version).

    .. math:: z = \sigma(u) = \frac{1}{1 + e^{-u}}, \qquad
              u = x \ \text{or, with standardize=True,}\ u = \frac{x - \mu}{\sigma}

    ``inverse_transform`` applies the logit :math:`u = \ln\frac{z}{1 - z}` and then undoes
    the standardization. **Policy at 0 and 1**: the sigmoid rounds to exactly 0 or 1 for large
    :math:`|u|` (above about 36.7 towards 1 in float64), so those values carry no information
    on how far out the input was; ``inverse_transform`` moves 0 and 1 to the nearest
    representable values inside (0, 1) and returns the finite logit of those (about
    -744.4 and 36.7 in float64), never ±inf. Values outside [0, 1] raise ValueError; NaN stays
    NaN. The z-score uses the same statistics and constant-column policy as
    :class:`~gdlab.scaling.StandardScaler` (a constant column has ``scale_ = 1``).

    Parameters
    ----------
    standardize : bool, default=False
        Apply the sigmoid to the z-score instead of the raw values.
    copy : bool, default=True
        False lets ``transform`` write into its input when it is a float ndarray.

    Attributes
    ----------
    mean_, var_, scale_ : ndarray of shape (n_features,)
        Z-score statistics; zeros, ones and ones when ``standardize`` is False.
    n_samples_seen_ : int or ndarray of shape (n_features,)
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> a = np.arange(12).reshape(6, 2)
    >>> SigmoidScaler().fit_transform(a)[:2]
    array([[0.5       , 0.73105858],
           [0.88079708, 0.95257413]])
    >>> SigmoidScaler(standardize=True).fit_transform(a)[0]
    array([0.18787917, 0.18787917])
    """

    def __init__(self, *, standardize: bool = False, copy: bool = True) -> None:
        self.standardize = standardize
        self.copy = copy

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "standardize": ["boolean"],
        "copy": ["boolean"],
    }

    def _observed_counts(self) -> bool:
        return bool(self.standardize)

    def _accumulate(self, X: Floats) -> None:
        if self.standardize:
            self._merge_moments(X)
        else:
            scan(X)  # nothing to learn; reject ±inf
            seen = int(getattr(self, "n_samples_seen_", 0))
            self.n_samples_seen_ = seen + X.shape[0]
            self.mean_, self.var_ = np.zeros(X.shape[1]), np.ones(X.shape[1])
        self._finish()

    def _finish(self) -> None:
        self.scale_ = self._std_scale() if self.standardize else np.ones_like(self.var_)

    def _check_state(self) -> None:
        # Without standardize nothing is learned: the definition fixes mean_ = 0 and var_ = 1
        # (so scale_ = 1); any other value would shift or stretch every input.
        if self.standardize:
            return
        fixed = {"mean_": 0.0, "var_": 1.0}
        for name, value in fixed.items():
            stat = getattr(self, name)
            if stat is None or not np.all(stat == value):
                raise ValueError(
                    f"Invalid scaler state: SigmoidScaler(standardize=False) learns nothing, "
                    f"so its {name} is {value:g} in every column, got {stat!r:.60}. Fit the "
                    "scaler again and save it."
                )

    def _map(self) -> tuple[F64, F64, F64]:
        assert self.mean_ is not None and self.scale_ is not None  # always set here
        return self.mean_, 1.0 / self.scale_, self.scale_

    def _input_check(self, *, inverse: bool) -> Callable[[Floats], None]:
        return _check_unit if inverse else check_block

    def _forward(self, X: Floats, out: Floats, *, checked: bool) -> None:
        offset, factor, _ = self._map()
        affine(X, offset, factor, out, check=None if checked else check_block, after=_squash)

    def _backward(self, X: Floats, out: Floats, *, checked: bool) -> None:
        offset, _, inverse = self._map()
        affine(X, offset, inverse, out, inverse=True, before=_unsquash)
