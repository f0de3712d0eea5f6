"""The descent loop: one short loop over epochs and stretches of updates, any stepper.

Per epoch: draw the batches, compute the rates; then, stretch by stretch up to the next record
(or one update, when the caller asks for every one), let the stepper apply the updates, record,
watch for divergence and yield. At the epoch end: evaluate, record, keep the best iterate, step
the plateau controller and the stopping rules. A full-batch run that needs nothing between
epochs hands the stepper whole stretches of epochs instead, checked by a
:class:`~gdlab.optim.watch.Watch`: the same iterates and checks without the loop's per-epoch
overhead. ``Run.steps`` is a plain generator; :func:`gdlab.optim.iterate` drives
it under ``np.errstate(all="ignore")`` one piece at a time, so no floating-point warning
reaches the caller and none of the caller's own code runs with warnings silenced.
"""

from __future__ import annotations

import math
import time
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab.models import Model
from gdlab.optim import steppers
from gdlab.optim.options import Options
from gdlab.optim.oracle import FullData
from gdlab.optim.rates import Rates
from gdlab.optim.recorder import Recorder
from gdlab.optim.state import start
from gdlab.optim.stopping import bad_start, divergence_reason, explosion
from gdlab.optim.watch import Watch
from gdlab.trajectory import Trajectory

Array = NDArray[np.float64]
# Epochs per stretch on the full-batch fast path when no record comes sooner and someone
# watches (a progress bar, a generator's caller): few enough for them to see the run move.
FAST_STRETCH = 256


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
    """A run in progress: options, state, stepper, recorder and rates."""

    def __init__(self, model: Model, X: ArrayLike, y: ArrayLike, options: Options) -> None:
        begin = start(model, X, y, options)
        self.options, self.model, self.state = options, model, begin.state
        self.resume, self.config = begin.resume, begin.config
        self.X, self.y = begin.X, begin.y
        stepper = steppers.choose(model, options, begin.X_val is not None, data=begin.X)
        self.config["engine"] = stepper.name
        self.stepper = stepper(model, begin.X, begin.y, options, self.state.w, begin.weight)
        self.reference: float | None = None
        if self.resume is not None:
            self.reference = self.stepper.reference(
                self.resume.params[0], float(self.resume.loss[0])
            )
        self.val = None
        if begin.X_val is not None and begin.y_val is not None:
            self.val = FullData(model, begin.X_val, begin.y_val, weight=begin.weight_val)
        momentum = options.rule.momentum_schedule
        self.rec = Recorder(
            options.record, validation=self.val is not None, momentum=momentum is not None
        )
        if self.resume is not None:
            self.rec.extend_from(self.resume, begin.kept_rows)
        st, nb = self.state, self.stepper.batcher.n_batches
        end = (
            st.epoch + options.epochs
            if options.lr_per == "epoch"
            else st.step + options.epochs * nb
        )
        self.rates = Rates(begin.schedule, options.lr_per, options.plateau, end=end)
        # A scheduled momentum runs on the learning rate's counter (PyTorch steps both at once).
        self.momenta = None if momentum is None else Rates(momentum, options.lr_per, end=end)
        self.schedule = begin.schedule
        # Full batch with nothing to do between epochs runs in stretches of epochs (Watch).
        busy = (
            (options.every or self.stepper.stretch) == "update"
            or options.record in ("epoch", "step") or options.plateau is not None
            or self.val is not None or self.momenta is not None or options.verbose
        )  # fmt: skip
        self.fast = options.full_batch and not busy
        # A compiled loop compiles, or loads its machine code, on its first call: done here,
        # so the run's recorded time is the descent's own.
        self.stepper.warm_up(self.state, stretches=self.fast)
        self.clock = time.perf_counter()

    def __repr__(self) -> str:
        return (
            f"Run(model={self.model!r}, engine={self.stepper.name!r}, epoch={self.state.epoch}, "
            f"step={self.state.step}, status={self.state.status!r})"
        )

    # -- records and divergence ---------------------------------------------------------
    def add_row(self, loss: float, grad: Array, val: float | None = None) -> float:
        """Record the current point; returns the gradient norm."""
        st = self.state
        gnorm = float(np.sqrt(np.vdot(grad, grad)))
        if val is None:
            val = self.val(st.w)[0] if self.val is not None else math.nan
        self.rec.add(
            st.w, loss=loss, lr=st.lr, epoch=st.epoch, step=st.step, grad_norm=gnorm,
            samples_seen=st.samples, val_loss=val, momentum=st.momentum,
            time=st.time0 + time.perf_counter() - self.clock,
        )  # fmt: skip
        return gnorm

    def diverge(self, what: str) -> None:
        """Stop with status "diverged" and a reason that names a stable learning rate: below
        2/L for full batch, below 2/L_max (one row's curvature) for batches of rows."""
        size = self.options.batch_size
        if size is None or size >= self.stepper.batcher.n:
            L, size = self.stepper.curvature(), None
            kind = "exact" if self.model.exact_lipschitz else "bound"
        else:
            L, kind = self.stepper.batch_curvature(), "bound"
        self.state.status = "diverged"
        self.state.reason = divergence_reason(
            what, self.state.lr, 2.0 / L if L > 0 else None, kind, batch_size=size
        )

    def check(self, loss: float) -> bool:
        """True (and status set) when ``loss`` shows divergence."""
        assert self.reference is not None
        what = explosion(loss, self.reference)
        if what is not None:
            self.diverge(what)
        return what is not None

    def _momenta(self, n: int) -> list[float] | None:
        """This epoch's scheduled momenta, each checked to lie in [0, 1)."""
        if self.momenta is None:
            return None
        st = self.state
        values = self.momenta.for_epoch(st.epoch, st.step, n)
        bad = np.flatnonzero(~((values >= 0.0) & (values < 1.0)))
        if bad.size:
            raise ValueError(
                f"the momentum schedule {self.momenta.schedule} gives {values[bad[0]]!r} at "
                f"update {st.step + int(bad[0])}; a momentum must be in [0, 1)."
            )
        return values.tolist()

    # -- the loop ------------------------------------------------------------------------
    def steps(self) -> Generator[Step, None, Trajectory]:
        """Run the remaining epochs, yielding after each stretch of updates."""
        o, st, stepper, rec = self.options, self.state, self.stepper, self.rec
        batcher = stepper.batcher
        if self.resume is None:
            loss, grad = stepper.evaluate(st.w)
            if math.isfinite(loss):
                self.reference = stepper.reference(st.w, loss)
                self.add_row(loss, grad)
        else:
            loss = stepper.evaluate(st.w)[0]
        if not math.isfinite(loss):
            raise ValueError(bad_start(loss, self.X, self.y))
        self._start_checks()
        if self.fast:
            return (yield from self._fast_steps())
        needs_epoch_eval = (
            o.record == "epoch" or st.stopper.active or o.plateau is not None
            or self.val is not None or o.full_batch or o.keep_best or o.verbose
        )  # fmt: skip
        each_update = (o.every or stepper.stretch) == "update"
        nb, size, n = batcher.n_batches, batcher.batch_size, batcher.n
        end = st.epoch + o.epochs
        while st.epoch < end and st.status != "diverged":
            batcher.epoch(st.rng)
            lrs = self.rates.for_epoch(st.epoch, st.step, nb, st.plateau)
            moms = self._momenta(nb)
            first = 0
            while first < nb:
                if each_update:
                    stop = first + 1
                else:  # up to the next record, or the epoch end
                    nxt = rec.next_step_record(st.step)
                    stop = nb if nxt is None else min(nb, first + nxt - st.step)
                stepper.advance(st, first, stop, lrs, moms)
                st.step += stop - first
                st.samples += min(stop * size, n) - first * size
                st.lr = float(lrs[stop - 1])
                if moms is not None:
                    st.momentum = moms[stop - 1]
                first = stop
                if stop == nb:  # the epoch is complete once its last batch is applied
                    st.epoch += 1
                wanted = rec.wants_step(st.step)
                loss_now = gnorm = None
                if wanted or o.full_batch:
                    loss_now, grad = stepper.evaluate(st.w)
                    if self.check(loss_now):
                        break
                    if wanted:
                        gnorm = self.add_row(loss_now, grad)
                yield Step(st.epoch, st.step, st.samples, st.lr, st.w, loss_now, gnorm, wanted)
            if st.status == "diverged":
                break
            if needs_epoch_eval:
                if self._epoch_end():
                    break
            elif not np.isfinite(st.w).all():
                self.diverge("the parameters overflowed to inf/nan")
                break
        return self._finish()

    def _start_checks(self) -> None:
        """What the stopping rules and the best iterate need before the first epoch."""
        st = self.state
        if st.stopper.gtol_rel is not None:  # the scale of the relative gradient test
            w0 = st.w
            grad = self.stepper.evaluate(w0)[1] if not np.any(w0) else None
            if grad is None:
                grad = self.stepper.oracle(np.zeros_like(w0))[1]
            st.stopper.grad_scale = float(np.sqrt(np.vdot(grad, grad)))
        if self.resume is None and self.val is not None and st.stopper.early_stopping:
            # Patience counts from the start: epochs that do not beat it do not improve.
            st.stopper.val_best = self.val(st.w)[0]
        if st.best_w is not None and self.resume is None:
            loss = self.stepper.evaluate(st.w)[0]
            st.best_loss = self.val(st.w)[0] if self.val is not None else loss

    def _fast_steps(self) -> Generator[Step, None, Trajectory]:
        """Full batch, nothing between epochs: stretches of epochs up to the next record."""
        o, st, stepper, rec = self.options, self.state, self.stepper, self.rec
        assert self.reference is not None
        watch = Watch(st, self.reference, stepper.batcher.n, self.diverge)
        end = st.epoch + o.epochs
        watched = o.progress or o.every != "record"  # descend without a bar: nobody
        while st.epoch < end and st.status == "max_epochs":
            nxt = rec.next_step_record(st.step)
            if nxt is None:
                nxt = st.step + (FAST_STRETCH if watched else end - st.epoch)
            count = min(end - st.epoch, nxt - st.step)
            counter = st.epoch if o.lr_per == "epoch" else st.step
            stepper.run_epochs(st, self.rates.values(counter, count), watch)
            recorded = rec.wants_step(st.step) and st.status != "diverged"
            loss, grad = stepper.evaluate(st.w) if recorded else (None, None)
            gnorm = self.add_row(loss, grad) if recorded else None  # type: ignore[arg-type]
            yield Step(st.epoch, st.step, st.samples, st.lr, st.w, loss, gnorm, recorded)
        return self._finish()

    def _epoch_end(self) -> bool:
        """Evaluate, record, keep the best iterate, step the plateau and stopping rules; True
        when the run stops."""
        o, st = self.options, self.state
        loss, grad = self.stepper.evaluate(st.w)
        if self.check(loss):
            return True
        val = self.val(st.w)[0] if self.val is not None else None
        gnorm = float(np.sqrt(np.vdot(grad, grad)))
        if o.record == "epoch":
            self.add_row(loss, grad, val)
        metric = loss if val is None else val
        st.keep_if_best(metric)
        if o.verbose:
            extra = "" if val is None else f", validation loss {val:.6g}"
            print(f"epoch {st.epoch}: loss {loss:.6g}, gradient norm {gnorm:.3g}{extra}")
        if o.plateau is not None and st.plateau is not None:
            # PyTorch bounds a cut by the rate it lowers: the next update's.
            counter = st.epoch if o.lr_per == "epoch" else st.step
            rate = float(self.schedule(counter)) if o.plateau.needs_rate else None
            st.plateau = o.plateau.update(st.plateau, metric, lr=rate)
        status = st.stopper.epoch_end(metric, gnorm, val)
        if status is not None:
            st.status, st.reason = status, st.stopper.reason
            return True
        return False

    def _finish(self) -> Trajectory:
        rec, st, stepper = self.rec, self.state, self.stepper
        extra = False
        if st.status == "diverged":
            # Keep the diverged point only when it is finite; the run's result stays usable.
            loss = stepper.cached[0] if stepper.cached is not None else math.nan
            if rec.last_step != st.step and math.isfinite(loss) and np.isfinite(st.w).all():
                self.add_row(*stepper.evaluate(st.w))
        elif rec.last_step != st.step:
            self.add_row(*stepper.evaluate(st.w))
            extra = True
        reason = st.reason or f"reached epochs={self.config['epochs']} (the epoch budget)"
        return rec.to_trajectory(
            status=st.status, reason=reason, config=self.config, state=st.saved(extra)
        )


def drive(run: Run) -> Generator[Step, None, Trajectory]:
    """Run ``run.steps()`` under silenced floating-point warnings, one piece at a time; the
    caller's code between two steps runs unsilenced."""
    inner = run.steps()
    while True:
        with np.errstate(all="ignore"):
            try:
                event = next(inner)
            except StopIteration as done:
                result: Trajectory = done.value
                return result
        yield event
