"""Steppers: the strategies that advance a run by a stretch of updates within one epoch.

Each stepper says what it supports (model family, update rule, batch mode; every one takes
the model's L2 penalty, intercept-free or not) and owns the run's batches and its full-data
evaluation. :func:`choose` picks one: the first of :data:`STEPPERS` that supports the run for
``engine="auto"``, or the one named. Adding a stepper is writing a class and listing it here.

- :class:`NumpyStepper`: any model, any rule, any batch mode; one batch at a time in NumPy.
- :class:`GramStepper`: full-batch least squares; the gradient ``H w - c`` from ``X^T X``.
- :class:`CompiledStepper`: plain steps on SGD and mini-batches of least squares or logistic
  regression, whole stretches of batches in one compiled call (numba).
- :class:`~gdlab.optim.dask_stepper.DaskStepper`: data given as a Dask array (any model, rule
  and batch mode); chosen by the data's type, loaded only then.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from gdlab.dask_types import is_dask
from gdlab.models import Model
from gdlab.optim.batching import Batcher
from gdlab.optim.options import Options
from gdlab.optim.oracle import FullData, GramLeastSquares
from gdlab.optim.state import RunState
from gdlab.optim.stopping import divergence_reference
from gdlab.optim.watch import Watch

Array = NDArray[np.float64]
# Above this batch size BLAS on contiguous views beats the compiled loop, and the per-batch
# Python overhead it removes no longer matters.
COMPILED_MAX_BATCH = 1024


class Stepper(ABC):
    """Advance ``state.w`` by the updates of batches ``start..stop-1`` of the current epoch.

    ``stretch`` is when :func:`gdlab.optim.iterate` yields by default: after every "update",
    or at the next "record" (or epoch end). ``gathers``: the batcher copies each epoch's rows
    into contiguous buffers (the compiled loop reads them through the permutation instead).
    """

    name: ClassVar[str]
    needs: ClassVar[str] = ""
    stretch: ClassVar[str] = "update"
    gathers: ClassVar[bool] = True

    @classmethod
    def supports(cls, model: Model, options: Options, validation: bool) -> bool:
        """Whether this stepper can run ``model`` with these options."""
        return True

    def __init__(
        self,
        model: Model,
        X: Array,
        y: NDArray[Any],
        options: Options,
        w: Array,
        weight: Array | None = None,
    ) -> None:
        self.model, self.rule, self.X, self.y, self.weight = model, options.rule, X, y, weight
        self.batcher = Batcher(
            X, y, options.batch_size, options.shuffle, work_shape=w.shape[1:],
            gather=self.gathers, weight=weight,
        )  # fmt: skip
        self.full_batch = options.full_batch
        self.g_shape = w.shape[1:]  # the parameters per feature: () or (k,)
        self.oracle: FullData | GramLeastSquares = self.make_oracle()
        self.cached: tuple[float, Array] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r}, batches={self.batcher!r})"

    def make_oracle(self) -> FullData | GramLeastSquares:
        """The full-data loss and gradient of the training rows."""
        return FullData(self.model, self.X, self.y, weight=self.weight)

    def evaluate(self, w: Array) -> tuple[float, Array]:
        """Full-data loss and gradient at ``w``, kept until the next update."""
        if self.cached is None:
            self.cached = self.oracle(w)
        return self.cached

    def _weighted_rows(self) -> Array:
        # Row i weighted by s_i has the curvature of the row sqrt(s_i) x_i.
        return self.X if self.weight is None else self.X * np.sqrt(self.weight)[:, None]

    def curvature(self) -> float:
        """The Hessian bound ``L`` that names a stable rate when a run diverges."""
        return self.model.lipschitz(self._weighted_rows())

    def batch_curvature(self) -> float:
        """``L_max``: the largest curvature of one row, a bound on every batch's Hessian."""
        X = self._weighted_rows()
        row = int(np.argmax(np.einsum("ij,ij->i", X, X)))
        return self.model.lipschitz(X[row : row + 1])

    def reference(self, w0: Array, loss0: float) -> float:
        """The loss divergence is measured against (see :func:`divergence_reference`)."""
        model, X, y, weight = self.model, self.X, self.y, self.weight
        return divergence_reference(lambda w: model.loss(w, X, y, weight), w0, loss0)

    def run_epochs(self, state: RunState, lrs: Array, watch: Watch) -> None:
        """Full batch: one update per rate in ``lrs``, each followed by a full evaluation that
        ``watch`` checks; stop early when it says so. Plain and accelerated steps on the
        models' own losses run in one compiled call where that is faster
        (:mod:`gdlab.optim.full_batch`)."""
        kind = self._compiled_kind(watch)
        if kind is not None:
            from gdlab.optim import full_batch

            return full_batch.run_stretch(self, kind, state, lrs, watch)
        w, rule, rule_state, oracle = state.w, self.rule, state.rule, self.oracle
        grad = self.evaluate(w)[1]  # scratch for the rule: evaluated again after the update
        searched = rule.wants_oracle
        for lr in lrs.tolist():
            if searched:
                rule.update(w, grad, lr, rule_state, oracle=oracle)  # type: ignore[call-arg]
            else:
                rule.update(w, grad, lr, rule_state)
            self.cached = loss, grad = oracle(w)
            if watch(loss, grad, lr):
                return

    def warm_up(self, state: RunState, stretches: bool) -> None:
        """Call the compiled loops this run will use once, on nothing, so that numba compiles
        (or loads) them now; ``stretches``: the run goes through :meth:`run_epochs`."""
        kind = self._compiled_kind(None) if stretches else None
        if kind is None:
            return
        from gdlab.optim import full_batch

        if not full_batch.kernel().signatures:  # compiled once per process: every call of
            # it has the same argument types. No epochs: the parameters stay as they are.
            full_batch.run_stretch(self, kind, state, np.empty(0), None)

    def _compiled_kind(self, watch: Watch | None) -> int | None:
        """The compiled loss of :mod:`gdlab.optim.full_batch` for this run, or None."""
        from gdlab.optim import full_batch

        if self.rule.name not in full_batch.RULES or (watch is not None and not watch.compiled_ok):
            return None
        if isinstance(self.oracle, GramLeastSquares):
            kind: int | None = full_batch.GRAM
        elif is_dask(self.X) or self.X.size * np.prod(self.g_shape) > full_batch.MAX_ROW_WORK:
            return None
        else:
            kind = full_batch.KINDS.get(self.model.family)
        return kind if kind is not None and full_batch.kernel() is not None else None

    @abstractmethod
    def advance(
        self, state: RunState, start: int, stop: int, lrs: Array, moms: list[float] | None
    ) -> None:
        """Apply the updates of batches ``start..stop-1`` to ``state.w`` and ``state.rule``,
        with rates ``lrs[b]`` (and scheduled momenta ``moms[b]``) indexed by batch."""


class NumpyStepper(Stepper):
    """Any model and rule: each batch's gradient from ``model.grad_into``, then the rule."""

    name = "numpy"

    def make_oracle(self) -> FullData | GramLeastSquares:
        # Full-batch softmax evaluates all rows every update: its link, a pass per reduction
        # in NumPy, is one compiled pass where numba is (same numbers to rounding).
        if self.full_batch and self.model.family == "Softmax" and not is_dask(self.X):
            from gdlab.optim import compiled

            if compiled.numba is not None:
                link = compiled.softmax_residual
                return FullData(self.model, self.X, self.y, weight=self.weight, softmax=link)
        return super().make_oracle()

    def __init__(
        self,
        model: Model,
        X: Array,
        y: NDArray[Any],
        options: Options,
        w: Array,
        weight: Array | None = None,
    ) -> None:
        super().__init__(model, X, y, options, w, weight)
        self.g = np.empty_like(w)

    def advance(
        self, state: RunState, start: int, stop: int, lrs: Array, moms: list[float] | None
    ) -> None:
        w, rule, rstate, grad_into = state.w, self.rule, state.rule, self.model.grad_into
        rates, batcher = lrs[start:stop].tolist(), self.batcher
        for k, (Xb, yb, work) in enumerate(batcher.stretch(start, stop)):
            if self.full_batch:
                g = self.evaluate(w)[1]
            else:
                g = grad_into(w, Xb, yb, self.g, work, batcher.weights(start + k))
            if moms is not None:
                rule.update(w, g, rates[k], rstate, momentum=moms[start + k])
            elif self.full_batch and rule.wants_oracle:
                rule.update(w, g, rates[k], rstate, oracle=self.oracle)  # type: ignore[call-arg]
            else:
                rule.update(w, g, rates[k], rstate)
            self.cached = None


class GramStepper(NumpyStepper):
    """Full-batch least squares: every gradient is ``H w - c``, O(d^2) whatever the rows."""

    name = "gram"
    needs = "LeastSquares, batch_size=None and no validation split"

    @classmethod
    def supports(cls, model: Model, options: Options, validation: bool) -> bool:
        return model.family == "LeastSquares" and options.full_batch and not validation

    def make_oracle(self) -> GramLeastSquares:
        return GramLeastSquares(self.model, self.X, self.y, weight=self.weight)

    def curvature(self) -> float:
        assert isinstance(self.oracle, GramLeastSquares)
        return float(np.linalg.eigvalsh(self.oracle.H)[-1])


class CompiledStepper(Stepper):
    """Plain steps, whole stretches of batches per compiled call (numba)."""

    name = "numba"
    needs = (
        f"1 <= batch_size <= {COMPILED_MAX_BATCH}, method='gd', a LeastSquares or Logistic "
        "model and numba installed"
    )
    stretch = "record"
    gathers = False

    @classmethod
    def supports(cls, model: Model, options: Options, validation: bool) -> bool:
        size = options.batch_size
        if size is None or size > COMPILED_MAX_BATCH or not options.rule.plain:
            return False
        if options.sample_weight is not None:  # the kernels read no row weights
            return False
        # Imported here: loading numba costs a fraction of a second, paid only when it can help.
        from gdlab.optim import compiled

        return compiled.kernel(model.family, 1) is not None

    def __init__(
        self,
        model: Model,
        X: Array,
        y: NDArray[Any],
        options: Options,
        w: Array,
        weight: Array | None = None,
    ) -> None:
        from gdlab.optim import compiled

        self.compiled = compiled
        super().__init__(model, X, y, options, w, weight)
        b, d = self.batcher, X.shape[1]
        kernel = compiled.kernel(model.family, b.batch_size, model.penalty.spared)
        assert kernel is not None
        self.kernel = kernel
        self.g, self.rows = np.empty(d), np.empty((b.batch_size, d + 1))

    def make_oracle(self) -> FullData:
        family = self.model.family
        if family not in self.compiled.PASSES:
            return FullData(self.model, self.X, self.y)
        # numba is loaded already: the records' full-data passes use it too. One row now
        # loads (or compiles) the pass before the clock starts.
        squares = self.compiled.least_squares_pass
        squares(np.zeros(self.X.shape[1]), self.X[:1], self.y[:1])
        return FullData(self.model, self.X, self.y, squares)

    def warm_up(self, state: RunState, stretches: bool) -> None:
        b = self.batcher
        self.kernel(state.w, b.X, b.y, b.order, 0, 0, b.batch_size, np.empty(0), self.model.l2,
                    self.g, self.rows)  # fmt: skip

    def advance(
        self, state: RunState, start: int, stop: int, lrs: Array, moms: list[float] | None
    ) -> None:
        b = self.batcher
        self.kernel(
            state.w, b.X, b.y, b.order, start, stop, b.batch_size, lrs, self.model.l2, self.g,
            self.rows,
        )  # fmt: skip
        self.cached = None


# In the order engine="auto" tries them: the first that supports a run takes it.
STEPPERS: tuple[type[Stepper], ...] = (GramStepper, CompiledStepper, NumpyStepper)


def choose(model: Model, options: Options, validation: bool, data: Any = None) -> type[Stepper]:
    """The stepper ``options.engine`` names (checked), or the fastest that supports the run.

    ``data`` (the training ``X``) given as a Dask array takes the Dask stepper, whatever the
    model and options; ``engine="dask"`` asks for it and needs one.

    Examples
    --------
    >>> from gdlab.models import LeastSquares, Softmax
    >>> choose(LeastSquares(), Options(epochs=1), validation=False).name
    'gram'
    >>> choose(Softmax(), Options(epochs=1, batch_size=8), validation=False).name
    'numpy'
    """
    if is_dask(data) and options.engine in ("auto", "dask"):
        from gdlab.optim.dask_stepper import DaskStepper

        return DaskStepper
    if is_dask(data) or options.engine == "dask":
        given = "a Dask array" if is_dask(data) else f"a {type(data).__name__}"
        raise ValueError(
            f"engine={options.engine!r} cannot run on {given}: X as a Dask array runs on "
            "engine='dask' (or 'auto'), in-memory data on the others."
        )
    if options.engine == "auto":
        return next(s for s in STEPPERS if s.supports(model, options, validation))
    stepper = next(s for s in STEPPERS if s.name == options.engine)
    if not stepper.supports(model, options, validation):
        raise ValueError(
            f"engine={stepper.name!r} needs {stepper.needs}; use engine='auto' to pick the "
            "fastest valid engine."
        )
    return stepper
