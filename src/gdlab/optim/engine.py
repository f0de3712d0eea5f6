"""The descent loop: batches, learning rates, updates, records, stopping and divergence.

``Run.steps`` is a plain generator; :func:`gdlab.optim.iterate` drives it under
``np.errstate(all="ignore")`` one piece at a time, so no floating-point warning reaches the
caller and none of the caller's own code runs with warnings silenced.
"""

from __future__ import annotations

import math
import time
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab import schedules
from gdlab.models import LeastSquares
from gdlab.optim import workers
from gdlab.optim.batching import Batch, Batcher
from gdlab.optim.oracle import FullData, GramLeastSquares
from gdlab.optim.rates import Rates
from gdlab.optim.recorder import Recorder
from gdlab.optim.relay import split_gather
from gdlab.optim.rules import state_from_arrays, state_to_arrays
from gdlab.optim.setup import Plan
from gdlab.optim.stopping import (
    Stopper,
    divergence_reason,
    divergence_reference,
    exploded,
    explosion,
)
from gdlab.trajectory import Trajectory

Array = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Step:
    """One event of a run, as :func:`gdlab.optim.iterate` yields it.

    ``w`` is the live parameter array (copy it to keep it); ``loss`` and ``grad_norm`` are
    the full-data values when this update was evaluated (recorded or epoch end), else None.
    """

    epoch: int
    step: int
    samples_seen: int
    lr: float
    w: Array
    loss: float | None
    grad_norm: float | None
    recorded: bool


class Run:
    """A run in progress, built from a validated :class:`~gdlab.optim.setup.Plan`."""

    def __init__(self, plan: Plan, stopper: Stopper, every_step: bool) -> None:
        self.p, self.stopper, self.every_step = plan, stopper, every_step
        model, X, y = plan.model, plan.X, plan.y
        self.full_batch = plan.batch_size is None
        self.kernel = squares = None
        if plan.engine == "numba":
            from gdlab.optim import compiled

            self.kernel = compiled.kernel(type(model).__name__, self.p.batch_size or 0)
            if type(model) is LeastSquares:
                # numba is loaded already: the records' full-data passes use it too. One row
                # now loads (or compiles) the pass before the clock starts.
                squares = compiled.least_squares_pass
                squares(plan.w, X[:1], y[:1])
        if plan.engine == "gram":
            assert isinstance(model, LeastSquares)
            self.oracle: FullData | GramLeastSquares = GramLeastSquares(model, X, y)
        else:
            self.oracle = FullData(model, X, y, squares)
        work = plan.w.shape[1:]
        self.batcher = Batcher(
            X, y, plan.batch_size, plan.shuffle, work_shape=work, gather=self.kernel is None
        )
        self.split = None
        if self.kernel is not None and self.batcher.shuffle:
            self.split = split_gather(self.kernel, self.batcher.batch_size, X.shape[1], X.shape[0])
        self.val = (
            FullData(model, plan.X_val, plan.y_val)
            if plan.X_val is not None and plan.y_val is not None
            else None
        )
        momentum = plan.rule.momentum_schedule
        self.rec = Recorder(
            plan.record, validation=self.val is not None, momentum=momentum is not None
        )
        self.w = plan.w
        self.g = np.empty_like(self.w)
        self.rstate = plan.rule.init(self.w)
        self.pstate = plan.plateau.init() if plan.plateau is not None else None
        self.epoch = self.step = self.samples = 0
        self.time0 = 0.0
        self.status, self.reason = "max_epochs", ""
        self.lr_last = self.momentum_last = math.nan
        if plan.resume is not None:
            self._restore(plan.resume)
        end = (
            self.epoch + plan.epochs
            if plan.lr_per == "epoch"
            else self.step + plan.epochs * self.batcher.n_batches
        )
        self.rates = Rates(plan.schedule, plan.lr_per, plan.plateau, end=end)
        # A scheduled momentum runs on the learning rate's counter (PyTorch steps both at once).
        self.momenta = None if momentum is None else Rates(momentum, plan.lr_per, end=end)
        self.clock = time.perf_counter()
        self.cached: tuple[float, Array] | None = None

    def __repr__(self) -> str:
        return (
            f"Run(model={self.p.model!r}, engine={self.p.engine!r}, epoch={self.epoch}, "
            f"step={self.step}, status={self.status!r})"
        )

    # -- state ------------------------------------------------------------------------
    def _restore(self, t: Trajectory) -> None:
        self.rec.extend_from(t, self.p.resume_rows)
        self.epoch, self.step = int(t.state["epoch_done"]), int(t.state["step_done"])
        self.samples = int(t.state["samples_done"])
        self.time0 = float(t.time[-1])
        self.rstate = state_from_arrays(t.state, self.rstate)
        self.stopper.restore(dict(t.state.get("stopper") or {}))
        if self.p.plateau is not None:
            self.pstate = schedules.PlateauState.from_dict(t.state["plateau"])
        self.loss0 = divergence_reference(
            self.p.model, self.p.X, self.p.y, t.params[0], float(t.loss[0])
        )

    def _state(self, last_row_extra: bool) -> dict[str, Any]:
        state: dict[str, Any] = {
            "rng": self.p.rng.bit_generator.state,
            "epoch_done": self.epoch,
            "step_done": self.step,
            "samples_done": self.samples,
            "last_row_extra": last_row_extra,
            "stopper": self.stopper.state(),
            **state_to_arrays(self.rstate),
        }
        if self.pstate is not None:
            state["plateau"] = self.pstate.to_dict()
        if self.p.val_index is not None:
            state["val_index"] = self.p.val_index
        return state

    # -- evaluation and records ---------------------------------------------------------
    def evaluate(self) -> tuple[float, Array]:
        """Full-data loss and gradient at the current ``w`` (cached in full-batch mode)."""
        if self.cached is None:
            self.cached = self.oracle(self.w)
        return self.cached

    def _timed_evaluate(self) -> tuple[tuple[float, Array], float]:
        return self.oracle(self.w), time.perf_counter()

    def add_row(
        self, loss: float, grad: Array, val: float | None = None, at: float | None = None
    ) -> float:
        """Record the current point (at ``perf_counter()`` time ``at``, default now); returns
        the gradient norm."""
        gnorm = float(np.sqrt(np.vdot(grad, grad)))
        if val is None:
            val = self.val(self.w)[0] if self.val is not None else math.nan
        self.rec.add(
            self.w,
            loss=loss,
            lr=self.lr_last,
            epoch=self.epoch,
            step=self.step,
            grad_norm=gnorm,
            samples_seen=self.samples,
            val_loss=val,
            momentum=self.momentum_last,
            time=self.time0 + (time.perf_counter() if at is None else at) - self.clock,
        )
        return gnorm

    def diverge(self, what: str) -> None:
        """Stop with status "diverged" and a reason that names a stable learning rate."""
        self.status = "diverged"
        if isinstance(self.oracle, GramLeastSquares):
            L = float(np.linalg.eigvalsh(self.oracle.H)[-1])
        else:
            L = self.p.model.lipschitz(self.p.X)
        exact = type(self.p.model) is LeastSquares
        self.reason = divergence_reason(
            what, self.lr_last, 2.0 / L if L > 0 else None, "exact" if exact else "bound"
        )

    def check(self, loss: float) -> bool:
        """True (and status set) when ``loss`` shows divergence."""
        if exploded(loss, self.loss0):
            self.diverge(explosion(loss, self.loss0))
            return True
        return False

    # -- the loop ------------------------------------------------------------------------
    def steps(self) -> Generator[Step, None, Trajectory]:
        """Run the remaining epochs, yielding per update (or per compiled chunk)."""
        p = self.p
        # The compiled loop's pass at w0 and its first permutation are independent: overlap them.
        drawn = p.resume is None and self.kernel is not None and p.epochs > 0
        drawn = drawn and p.X.size >= workers.MIN_ELEMENTS
        if p.resume is None:
            at = None  # row 0 is timed when its evaluation ends, not after the permutation
            if drawn:
                self.cached, at = workers.overlap(
                    self._timed_evaluate, lambda: self.batcher.epoch(p.rng)
                )
            loss, grad = self.evaluate()
            self.loss0 = divergence_reference(self.p.model, self.p.X, self.p.y, self.w, loss)
            self.add_row(loss, grad, at=at)
        else:
            loss = self.evaluate()[0]
        if not math.isfinite(loss):
            raise ValueError(
                f"the loss at the starting point is {loss}: X or y holds NaN or infinite "
                "values (or w0 is extreme); impute or drop those rows first."
            )
        needs_epoch_eval = (
            p.record == "epoch"
            or self.stopper.active
            or p.plateau is not None
            or self.val is not None
        )
        end = self.epoch + p.epochs
        while self.epoch < end and self.status != "diverged":
            if not drawn:
                self.batcher.epoch(p.rng)
            drawn = False
            lrs = self.rates.for_epoch(self.epoch, self.step, self.batcher.n_batches, self.pstate)
            if self.kernel is not None:  # plain steps only: no momentum to schedule
                yield from self._compiled_epoch(self.kernel, lrs)
            else:
                moms = self._momenta()
                yield from self._numpy_epoch(self.batcher.batches, lrs.tolist(), moms)
            if self.status == "diverged":
                break
            if needs_epoch_eval or self.full_batch:
                loss, grad = self.evaluate()
                if self.check(loss):
                    break
                val = self.val(self.w)[0] if self.val is not None else None
                gnorm = float(np.sqrt(np.vdot(grad, grad)))
                if p.record == "epoch":
                    self.add_row(loss, grad, val)
                metric = loss if val is None else val
                if p.plateau is not None and self.pstate is not None:
                    # PyTorch bounds a cut by the rate it lowers: the next update's.
                    counter = self.epoch if p.lr_per == "epoch" else self.step
                    rate = float(p.schedule(counter)) if p.plateau.needs_rate else None
                    self.pstate = p.plateau.update(self.pstate, metric, lr=rate)
                if self.stopper.epoch_end(metric, gnorm) == "converged":
                    self.status, self.reason = "converged", self.stopper.reason
                    break
            elif not np.isfinite(self.w).all():
                self.diverge("the parameters overflowed to inf/nan")
                break
        return self._finish()

    def _momenta(self) -> list[float] | None:
        """This epoch's scheduled momenta, each checked to lie in [0, 1)."""
        if self.momenta is None:
            return None
        n = self.batcher.n_batches
        values = self.momenta.for_epoch(self.epoch, self.step, n)
        bad = np.flatnonzero(~((values >= 0.0) & (values < 1.0)))
        if bad.size:
            raise ValueError(
                f"the momentum schedule {self.momenta.schedule} gives {values[bad[0]]!r} at "
                f"update {self.step + int(bad[0])}; a momentum must be in [0, 1)."
            )
        return values.tolist()

    def _numpy_epoch(
        self, batches: Iterable[Batch], lrs: list[float], moms: list[float] | None = None
    ) -> Generator[Step, None, None]:
        rec, model, rule, rstate = self.rec, self.p.model, self.p.rule, self.rstate
        last = self.batcher.n_batches - 1
        for i, ((Xb, yb, work), lr) in enumerate(zip(batches, lrs, strict=True)):
            if self.full_batch:
                g = self.evaluate()[1]
            else:
                g = model.grad_into(self.w, Xb, yb, self.g, work)
            if moms is None:
                rule.update(self.w, g, lr, rstate)
            else:
                self.momentum_last = moms[i]
                rule.update(self.w, g, lr, rstate, momentum=moms[i])
            self.cached = None
            self.step += 1
            self.samples += Xb.shape[0]
            self.lr_last = lr
            if i == last:  # the epoch is complete once its last batch is applied
                self.epoch += 1
            loss = gnorm = None
            wanted = rec.wants_step(self.step)
            if wanted or self.full_batch:
                loss, grad = self.evaluate()
                if self.check(loss):
                    return
                if wanted:
                    gnorm = self.add_row(loss, grad)
            if self.every_step:
                yield Step(self.epoch, self.step, self.samples, lr, self.w, loss, gnorm, wanted)

    def _compiled_epoch(self, kernel: Any, lrs: NDArray[np.float64]) -> Generator[Step, None, None]:
        """Plain-step updates in compiled stretches of batches that end where a record is due."""
        b = self.batcher
        X, y, order, bs, nb, l2 = b.X, b.y, b.order, b.batch_size, b.n_batches, self.p.model.l2
        rows = np.empty((bs, X.shape[1] + 1))
        start = 0
        while start < nb:
            nxt = self.rec.next_step_record(self.step)
            stop = nb if nxt is None else min(nb, start + nxt - self.step)
            if self.split is not None and stop - start >= 2 * self.split.chunk:
                self.split.run(self.w, X, y, order, start, stop, lrs, l2, self.g, rows)
            else:
                kernel(self.w, X, y, order, start, stop, bs, lrs, l2, self.g, rows)
            self.cached = None
            self.step += stop - start
            self.samples += min(stop * bs, b.n) - start * bs
            self.lr_last = float(lrs[stop - 1])
            start = stop
            if stop == nb:
                self.epoch += 1
            wanted = self.rec.wants_step(self.step)
            loss = gnorm = None
            if wanted:
                loss, grad = self.evaluate()
                if self.check(loss):
                    return
                gnorm = self.add_row(loss, grad)
            if self.every_step:
                yield Step(
                    self.epoch, self.step, self.samples, self.lr_last, self.w, loss, gnorm, wanted
                )

    def _finish(self) -> Trajectory:
        rec = self.rec
        extra = False
        if self.status == "diverged":
            # Keep the diverged point only when it is finite; the run's result stays usable.
            last = rec.last_step
            loss = self.cached[0] if self.cached is not None else math.nan
            if last != self.step and math.isfinite(loss) and np.isfinite(self.w).all():
                self.add_row(*self.evaluate())
        elif rec.last_step != self.step:
            self.add_row(*self.evaluate())
            extra = True
        return rec.to_trajectory(
            status=self.status,
            reason=self.reason or self._why(),
            config=self.p.config,
            state=self._state(extra),
        )

    def _why(self) -> str:
        return f"reached epochs={self.p.config['epochs']} (the epoch budget)"
