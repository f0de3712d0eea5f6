"""The ridge penalty every model carries: ``L2``, optionally sparing the intercept's row.

Models, the engine's steppers, its compiled kernels and the estimators all read the penalty
from ``model.penalty``, so a penalised fit runs on the same fast paths as an unpenalised one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class L2:
    r"""The penalty :math:`\frac{s}{2}\|w\|^2`, or :math:`\frac{s}{2}\|w_{:-1}\|^2` with
    ``spare_last`` (the last row of ``w`` is the intercept's).

    Examples
    --------
    >>> import numpy as np
    >>> p = L2(2.0, spare_last=True); w = np.array([1.0, 5.0])
    >>> p.value(w), p.add_grad(w, np.zeros(2)), p.diagonal(2)
    (1.0, array([2., 0.]), array([2., 0.]))
    """

    strength: float = 0.0
    spare_last: bool = False

    def __post_init__(self) -> None:
        s = self.strength
        if isinstance(s, bool) or not isinstance(s, (int, float, np.floating, np.integer)):
            raise TypeError(f"l2 must be a non-negative float, got {type(s).__name__}.")
        if not (math.isfinite(float(s)) and s >= 0):
            raise ValueError(f"l2 must be a finite float >= 0, got {s!r}; pass 0.0 for none.")
        object.__setattr__(self, "strength", float(s))

    @property
    def spared(self) -> int:
        """How many trailing rows of ``w`` carry no penalty (0 or 1)."""
        return int(self.spare_last)

    def value(self, w: Array) -> float:
        """The penalty at ``w``."""
        if not self.strength:
            return 0.0
        v = w[:-1] if self.spare_last else w
        return 0.5 * self.strength * float(np.vdot(v, v))

    def add_grad(self, w: Array, g: Array) -> Array:
        """``g += grad(penalty)(w)`` in place (no allocation beyond the product); returns ``g``."""
        if self.strength:
            if self.spare_last:
                g[:-1] += self.strength * w[:-1]
            else:
                g += self.strength * w
        return g

    def diagonal(self, d: int) -> Array:
        """The penalty's (diagonal) Hessian for ``d`` rows of ``w``."""
        diag = np.full(d, self.strength)
        if self.spare_last:
            diag[-1] = 0.0
        return diag
