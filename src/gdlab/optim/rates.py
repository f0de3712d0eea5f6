"""The learning rate of every update: a schedule of the epoch or update counter, then the
plateau controller's scale."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from gdlab import schedules

# Schedule values are computed this many counters at a time.
BLOCK = 4096


class Rates:
    """Learning rates for the updates of one epoch.

    A schedule call validates its input; calling it once per block of counters instead of
    once per update keeps that cost off the loop. ``end``, when given, is the first counter
    the run never uses.

    Examples
    --------
    >>> from gdlab import schedules
    >>> r = Rates(schedules.exponential(lr=1.0, gamma=0.5), lr_per="step")
    >>> r.for_epoch(epoch=0, step=2, n_updates=3).tolist()
    [0.25, 0.125, 0.0625]
    >>> Rates(schedules.as_schedule(0.1), lr_per="epoch").for_epoch(4, 40, 2).tolist()
    [0.1, 0.1]
    """

    def __init__(
        self,
        schedule: schedules.Schedule,
        lr_per: str,
        plateau: schedules.ReduceOnPlateau | None = None,
        end: int | None = None,
    ) -> None:
        self.schedule, self.lr_per, self.plateau = schedule, lr_per, plateau
        # The counter after the run's last one: blocks stop there, so a schedule built on a
        # user function (a lookup table, say) is never called past the counters the run uses.
        self.end = end
        self._lo = 0
        self._values: NDArray[np.float64] = np.empty(0)

    def __repr__(self) -> str:
        return f"Rates(schedule={self.schedule}, lr_per={self.lr_per!r}, plateau={self.plateau})"

    def values(self, t0: int, count: int) -> NDArray[np.float64]:
        """``schedule(t)`` for ``t0 <= t < t0 + count``."""
        lo, values = self._lo, self._values
        if not (lo <= t0 and t0 + count <= lo + values.shape[0]):
            size = max(count, BLOCK if self.end is None else min(BLOCK, self.end - t0))
            values = np.asarray(self.schedule(np.arange(t0, t0 + size)), dtype=np.float64)
            self._lo, self._values = lo, values = t0, values
        # Only the counters this run uses are checked: the block reaches past them, where
        # a schedule may leave its valid range (exponential growth, a user factor) unused.
        out = values[t0 - lo : t0 + count - lo]
        if not np.isfinite(out).all() or (out < 0).any():
            raise ValueError(
                f"the schedule {self.schedule} gave a negative or non-finite learning "
                f"rate for a counter in [{t0}, {t0 + count}); check its arguments."
            )
        return out

    def for_epoch(
        self,
        epoch: int,
        step: int,
        n_updates: int,
        plateau_state: schedules.PlateauState | None = None,
    ) -> NDArray[np.float64]:
        """Rates of the ``n_updates`` updates of epoch ``epoch`` (0-based), starting at ``step``."""
        if self.lr_per == "epoch":
            lrs = np.full(n_updates, self.values(epoch, 1)[0])
        else:
            lrs = self.values(step, n_updates)
        if self.plateau is not None and plateau_state is not None:
            lrs = self.plateau.apply(plateau_state, lrs)
        return lrs
