"""When does a run reach a tolerance, and how does that compare with the theory's count.

Two criteria, chosen by what ``optimum`` is:

* a number ``f*`` (the optimal loss): the first record with
  ``loss_k - f* <= rtol * (loss_0 - f*)`` (relative suboptimality);
* an array ``w*`` (the optimal parameters, same shape as ``w``): the first record with
  ``||w_k - w*|| <= rtol * ||w_0 - w*||`` (relative distance, the quantity the classic
  ``((kappa - 1) / (kappa + 1))^k`` bound controls).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from gdlab.analysis.conditioning import Conditioning
from gdlab.trajectory import Trajectory

__all__ = ["TheoryCheck", "first_within_tolerance", "steps_to_tolerance", "theory_vs_measured"]


def first_within_tolerance(
    trajectory: Trajectory, optimum: float | ArrayLike, rtol: float
) -> int | None:
    """Index of the first record within ``rtol`` of the optimum, or None if never reached.

    Parameters
    ----------
    trajectory : gdlab.trajectory.Trajectory
        The run; only its recorded rows are examined (record per step for exact counts).
    optimum : float or array-like
        Optimal loss value ``f*`` (loss criterion) or optimal parameters ``w*`` (distance
        criterion), see the module docstring.
    rtol : float
        Relative tolerance in ``(0, 1]``.

    Returns
    -------
    int or None
        Row index into the trajectory's arrays.
    """
    if not isinstance(trajectory, Trajectory):
        raise TypeError(
            f"trajectory must be a gdlab Trajectory (what descend returns, or "
            f"Trajectory.load), got {type(trajectory).__name__} {trajectory!r:.40}."
        )
    if isinstance(rtol, bool) or not isinstance(rtol, (int, float, np.floating, np.integer)):
        raise TypeError(f"rtol must be a number in (0, 1], got {type(rtol).__name__} {rtol!r}.")
    if not (0 < rtol <= 1):
        raise ValueError(f"rtol must be in (0, 1], got {rtol!r}.")
    try:
        target = np.asarray(optimum, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"optimum must be the optimal loss (a number) or the optimal parameters (an "
            f"array), got {type(optimum).__name__} {optimum!r:.40}."
        ) from exc
    if target.ndim == 0:
        gap = np.asarray(trajectory.loss, dtype=np.float64) - float(target)
    else:
        params = np.asarray(trajectory.params, dtype=np.float64)
        if target.shape != params.shape[1:]:
            raise ValueError(
                f"optimum must be the optimal loss (a number) or parameters of shape "
                f"{params.shape[1:]}, got shape {target.shape}."
            )
        diff = (params - target).reshape(len(params), -1)
        gap = np.linalg.norm(diff, axis=1)
    # NaN rows (a diverged run) compare False, so they never count as a hit.
    hits = np.flatnonzero(gap <= rtol * gap[0])
    return int(hits[0]) if hits.size else None


def steps_to_tolerance(
    trajectory: Trajectory, optimum: float | ArrayLike, rtol: float
) -> int | None:
    """Number of updates the run needed to come within ``rtol`` of the optimum.

    See the module docstring for the two criteria (``optimum`` a loss value or parameters).

    Parameters
    ----------
    trajectory : gdlab.trajectory.Trajectory
        The run. Its ``step`` counter at the first hit is returned, so record every step
        (``record="step"``) for an exact count; coarser records round up.
    optimum : float or array-like
        Optimal loss value ``f*`` or optimal parameters ``w*``.
    rtol : float
        Relative tolerance in ``(0, 1]``.

    Returns
    -------
    int or None
        Updates done at the first record within tolerance; None if the run never got there.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> from gdlab.optim import descend
    >>> X, y = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, 1.0])
    >>> t = descend(LeastSquares(), X, y, lr=0.5, epochs=50, record="step")
    >>> steps_to_tolerance(t, np.ones(2), 1e-3)  # error halves each step: 0.5**10 < 1e-3
    10
    """
    row = first_within_tolerance(trajectory, optimum, rtol)
    return None if row is None else int(trajectory.step[row])


@dataclass(frozen=True)
class TheoryCheck:
    """Predicted and measured iterations to a tolerance, side by side.

    Attributes
    ----------
    lr : float
        The fixed learning rate of the run.
    rate : float
        Theoretical contraction per step at ``lr``.
    rtol : float
        Relative tolerance on ``||w - w*||``.
    predicted : float
        Bound ``ceil(log(rtol) / log(rate))`` (``inf`` if no linear rate).
    measured : int or None
        Updates the run needed (None if it never got there).
    """

    lr: float
    rate: float
    rtol: float
    predicted: float
    measured: int | None

    @property
    def within_bound(self) -> bool:
        """True when the run reached the tolerance no later than the bound says."""
        return self.measured is not None and self.measured <= self.predicted

    def __repr__(self) -> str:
        return (
            f"TheoryCheck(lr={self.lr:.6g}, rate={self.rate:.6g}, rtol={self.rtol:g}, "
            f"predicted={self.predicted:g}, measured={self.measured})"
        )


def theory_vs_measured(
    trajectory: Trajectory,
    cond: Conditioning,
    w_star: ArrayLike,
    rtol: float,
    *,
    lr: float | None = None,
) -> TheoryCheck:
    """Set the bound on iterations beside the count measured on a fixed-step run.

    Parameters
    ----------
    trajectory : gdlab.trajectory.Trajectory
        A full-batch run with a fixed learning rate, recorded every step.
    cond : Conditioning
        Curvature of the same loss and design (see :func:`gdlab.analysis.conditioning`).
    w_star : array-like
        Optimal parameters.
    rtol : float
        Relative tolerance on ``||w - w*||``.
    lr : float, optional
        The run's learning rate; read from ``trajectory.lr`` when omitted.

    Returns
    -------
    TheoryCheck

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.analysis import conditioning
    >>> from gdlab.models import LeastSquares
    >>> from gdlab.optim import descend
    >>> X, y = np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([1.0, 1.0])
    >>> c = conditioning(X, intercept=False)  # L = 4, mu = 1
    >>> t = descend(LeastSquares(), X, y, lr=c.lr_best, epochs=60, record="step")
    >>> check = theory_vs_measured(t, c, [0.5, 1.0], 1e-6)
    >>> check.predicted, check.measured  # rate 0.6 on both axes: the bound is exact
    (28.0, 28)
    """
    if lr is None:
        rates = np.asarray(trajectory.lr, dtype=np.float64)[1:]
        if rates.size == 0 or not np.allclose(rates, rates[0]):
            raise ValueError(
                "theory_vs_measured needs a run with a fixed learning rate of at least one step; "
                "pass lr= explicitly or run descend with a constant lr."
            )
        lr = float(rates[0])
    rate = cond.rate(lr)
    return TheoryCheck(
        lr=lr,
        rate=rate,
        rtol=rtol,
        predicted=cond.predicted_iterations(rtol, lr),
        measured=steps_to_tolerance(trajectory, w_star, rtol),
    )
