"""What the loop checks after each full-batch epoch, for steppers that run many epochs at once.

A full-batch run whose caller needs nothing between epochs (no record per epoch, no plateau
controller, no validation split, no scheduled momentum, nobody printing or watching each update)
hands a stepper a stretch of epochs: :meth:`Stepper.run_epochs` applies them one by one and calls
a :class:`Watch` after each, which does what :meth:`Run._epoch_end` does for the others:
counters, divergence, the best iterate and the stopping rules. A compiled stretch
(:mod:`gdlab.optim.gram_loop`) checks the same things itself and reports through
:meth:`Watch.settle`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from gdlab.optim.state import RunState
from gdlab.optim.stopping import EXPLODE_FACTOR, RECENT, explosion

Array = NDArray[np.float64]


class Watch:
    """The per-epoch checks of a full-batch stretch; calling it returns True to stop.

    Parameters
    ----------
    state : RunState
        The run's state: counters, stopper and best iterate are updated in place.
    reference : float
        The loss divergence is measured against.
    rows : int
        Training rows (the samples one epoch sees).
    diverge : callable
        ``diverge(what)`` stops the run as diverged (the loop's :meth:`Run.diverge`).
    """

    def __init__(
        self, state: RunState, reference: float, rows: int, diverge: Callable[[str], None]
    ) -> None:
        self.state, self.reference, self.rows, self.diverge = state, reference, rows, diverge

    def __repr__(self) -> str:
        return f"Watch(reference={self.reference:.6g}, rows={self.rows})"

    @property
    def limit(self) -> float:
        """The largest loss that has not diverged."""
        return EXPLODE_FACTOR * max(self.reference, 1e-300)

    @property
    def compiled_ok(self) -> bool:
        """Whether a compiled stretch can check everything: only the gradient test stops it."""
        stopper = self.state.stopper
        return stopper.tol is None and not stopper.early_stopping

    def __call__(self, loss: float, grad: Array, lr: float) -> bool:
        """After one more epoch at rate ``lr`` with full-data ``loss`` and ``grad``."""
        st = self.state
        st.epoch += 1
        st.step += 1
        st.samples += self.rows
        st.lr = lr
        what = explosion(loss, self.reference)
        if what is not None:
            self.diverge(what)
            return True
        st.keep_if_best(loss)
        status = st.stopper.epoch_end(loss, math.sqrt(float(np.vdot(grad, grad))))
        if status is not None:
            st.status, st.reason = status, st.stopper.reason
            return True
        return False

    def settle(
        self, done: int, last_lr: float, stopped: str | None, loss: float, norms: Array
    ) -> None:
        """Account for ``done`` epochs a compiled stretch ran; ``stopped`` is "converged",
        "diverged" or None (the stretch ended), with the last epoch's loss and the gradient
        norm of each epoch."""
        st = self.state
        st.stopper.recent.extend(norms[max(0, done - RECENT) : done - 1].tolist())
        gnorm = float(norms[done - 1])
        st.epoch += done
        st.step += done
        st.samples += done * self.rows
        st.lr = last_lr
        if stopped == "diverged":
            self.diverge(explosion(loss, self.reference) or f"loss is {loss}")
        elif stopped == "converged":
            st.stopper.epoch_end(loss, gnorm)  # sets the reason
            st.status, st.reason = "converged", st.stopper.reason
        else:
            st.stopper.recent.append(gnorm)
