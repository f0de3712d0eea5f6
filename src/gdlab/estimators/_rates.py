r"""The estimators' ``lr="auto"``, ``method="auto"`` and starting point, from the data's curvature.

- Full batch: ``1/L``, with ``L`` the largest Hessian eigenvalue of the objective (exact for
  least squares, :math:`2\lambda_{max}(A^\top S A/m) + l_2`; the bound
  :math:`\lambda_{max}/4 + l_2` for logistic and :math:`\lambda_{max}/2 + l_2` for softmax),
  and Nesterov's accelerated steps (:class:`gdlab.optim.Accelerated`) whose momentum never
  drops below what the strong convexity ``mu`` allows (the smallest Hessian eigenvalue of least
  squares; ``l2`` for the classifiers).
- Mini-batches of ``b`` of the ``m`` rows: ``1 / (2 L_b)`` with the expected smoothness of
  ``b``-row batches drawn without replacement (Gower et al., "SGD: general analysis and improved
  rates", ICML 2019, Proposition 3.8),
  :math:`L_b = \frac{m (b - 1)}{b (m - 1)} L + \frac{m - b}{b (m - 1)} L_{max}`, ``L_max`` the
  curvature of the most curved single row: their convergence theorem holds up to that rate.
  It is ``1/(2 L_max)`` for ``b = 1`` and ``1/(2L)`` for one batch of all rows; in between it
  follows the mean curvature, where the row bound alone (the old rule) was up to 350 times too
  small (digits, ``b = 64``).
- AdaGrad, RMSProp and Adam move each coordinate by about ``lr`` per step whatever the
  gradient's size, so their rate is a step length: 0.1 (AdaGrad) or 0.01 times the spread of
  the target (its weighted standard deviation for least squares, 1 for the classifiers' logits),
  the size of the coefficients on standardized features.
- The intercept starts at its optimum with all coefficients at zero (the weighted mean of
  ``y``, the log-odds, or the log of the class shares), so no rule spends epochs walking it
  there from 0 (diabetes' intercept is about 152).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.models import Model

Array = NDArray[np.float64]
ADAPTIVE_BASE = {"adagrad": 0.1, "rmsprop": 0.01, "adam": 0.01}


@dataclass(frozen=True)
class Curvature:
    """The data's curvature as the rates need it (see the module docstring).

    Examples
    --------
    >>> from gdlab.models import LeastSquares
    >>> c = Curvature.of(LeastSquares(), np.array([[1.0, 0.0], [0.0, 2.0]]), None)
    >>> c.L, c.mu, c.L_max, c.rows
    (4.0, 1.0, 8.0, 2)
    """

    L: float
    mu: float
    L_max: float
    rows: int

    @classmethod
    def of(cls, model: Model, A: Array, weight: Array | None) -> Curvature:
        """From the rows ``A`` (intercept column included) and their weights (mean 1)."""
        m = A.shape[0]
        B = A if weight is None else A * np.sqrt(weight)[:, None]
        with np.errstate(over="ignore", invalid="ignore"):
            gram = B.T @ B / m
            row = float(np.max(np.einsum("ij,ij->i", B, B)))
        return cls.from_gram(model, gram, row, m)

    @classmethod
    def from_gram(cls, model: Model, gram: Array, row: float, m: int) -> Curvature:
        """From ``A^T S A / m`` and the largest weighted squared row norm ``row``."""
        c, l2 = getattr(model, "base", model).curvature, model.l2
        if not (np.isfinite(gram).all() and math.isfinite(row)):
            return cls(math.inf, 0.0, math.inf, m)
        if model.family == "LeastSquares":  # the Hessian itself: exact L and mu
            H = c * gram
            H[np.diag_indices_from(H)] += model.penalty.diagonal(H.shape[0])
            eig = np.linalg.eigvalsh(H)
            return cls(float(eig[-1]), max(float(eig[0]), 0.0), c * row + l2, m)
        top = float(np.linalg.eigvalsh(gram)[-1])
        return cls(c * top + l2, l2, c * row + l2, m)

    def batch(self, size: int | None) -> float:
        """``L_b``, the expected smoothness of batches of ``size`` rows (None: all)."""
        m = self.rows
        b = m if size is None else min(int(size), m)
        if b >= m or m <= 1:
            return self.L
        return (m * (b - 1) * self.L + (m - b) * self.L_max) / (b * (m - 1))


def auto_rate(curvature: Curvature, batch_size: int | None, rule: str, spread: float) -> float:
    """``lr="auto"`` for a rule (by name) and batch size; ``spread`` is the target's scale.

    Examples
    --------
    >>> c = Curvature(L=2.0, mu=0.1, L_max=100.0, rows=1000)
    >>> auto_rate(c, None, "accelerated", 1.0), auto_rate(c, 1, "gd", 1.0)
    (0.5, 0.005)
    >>> round(auto_rate(c, 64, "gd", 1.0), 4), auto_rate(c, 64, "adam", 77.0)
    (0.1456, 0.77)
    """
    if rule in ADAPTIVE_BASE:
        return ADAPTIVE_BASE[rule] * (spread if spread > 0 and math.isfinite(spread) else 1.0)
    if batch_size is None or batch_size >= curvature.rows:
        L = curvature.L
        return 1.0 / L if L > 0 else 1.0
    L_b = curvature.batch(batch_size)
    return 0.5 / L_b if L_b > 0 else 1.0


def start_intercept(family: str, y: NDArray[Any], weight: Array | None, k: int) -> Any:
    """The intercept that is optimal while every coefficient is zero: the weighted mean of
    ``y`` (least squares), the log-odds of class 1 (logistic), or the centred logs of the
    class shares (softmax). Zero where a class has no weight (its optimum is infinite).

    Examples
    --------
    >>> start_intercept("LeastSquares", np.array([1.0, 3.0]), None, 1)
    2.0
    >>> round(start_intercept("Logistic", np.array([0.0, 1.0, 1.0, 1.0]), None, 2), 4)
    1.0986
    """
    if family == "LeastSquares":
        with np.errstate(over="ignore", invalid="ignore"):  # a huge y: the run reports it
            return float(np.mean(y) if weight is None else np.average(y, weights=weight))
    counts = np.bincount(np.asarray(y, dtype=np.intp), weights=weight, minlength=k)
    shares = counts / counts.sum()
    if (shares <= 0).any():
        return 0.0 if k == 2 else np.zeros(k)
    if family == "Logistic":
        return float(np.log(shares[1] / shares[0]))
    logs = np.log(shares)
    return logs - logs.mean()


def spread(family: str, y: NDArray[Any], weight: Array | None) -> float:
    """The target's scale for the adaptive rules: the weighted standard deviation of ``y``
    for least squares, 1 for the classifiers."""
    if family != "LeastSquares":
        return 1.0
    with np.errstate(over="ignore", invalid="ignore"):  # a huge y: the run reports it
        if weight is None:
            return float(np.std(y))
        mean = np.average(y, weights=weight)
        return float(np.sqrt(np.average((y - mean) ** 2, weights=weight)))
