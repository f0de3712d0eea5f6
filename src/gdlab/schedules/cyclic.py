"""Cyclical schedules: cyclic learning rates (CLR) and the one-cycle policy."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np

from gdlab.schedules import params as P
from gdlab.schedules.base import SCHEDULES, FloatArray, IntArray, Schedule

__all__ = ["cyclic", "one_cycle"]


@dataclasses.dataclass(frozen=True, repr=False)
class cyclic(Schedule):
    r"""Cyclical learning rate between ``base_lr`` and ``max_lr`` (PyTorch ``CyclicLR``).

    With :math:`L = \mathrm{up} + \mathrm{down}`, :math:`r = \mathrm{up}/L`,
    :math:`c = \lfloor 1 + t/L \rfloor` and :math:`x = 1 + t/L - c`, the height is
    :math:`h = x/r` when :math:`x \le r` else :math:`(x - 1)/(r - 1)`, and
    :math:`\eta_t = \mathrm{base\_lr} + (\mathrm{max\_lr} - \mathrm{base\_lr})\,h\,g` where
    :math:`g = 1` ("triangular"), :math:`2^{1-c}` ("triangular2") or :math:`\gamma^t`
    ("exp_range"). Periodic: it has no horizon.

    Parameters
    ----------
    base_lr, max_lr : float
        Bottom and top of the cycle, ``0 <= base_lr <= max_lr``.
    step_size_up : int, default 2000
        Steps from ``base_lr`` up to ``max_lr``.
    step_size_down : int or None, default None
        Steps back down; None means ``step_size_up``.
    mode : {"triangular", "triangular2", "exp_range"}, default "triangular"
        Amplitude policy: constant, halved every cycle, or times :math:`\gamma^t`.
    gamma : float, default 1.0
        Decay of "exp_range", in ``(0, 1]``.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import cyclic
    >>> cyclic(base_lr=0.0, max_lr=1.0, step_size_up=2)(np.arange(6))
    array([0. , 0.5, 1. , 0.5, 0. , 0.5])
    """

    real_steps: ClassVar[bool] = True

    base_lr: float
    max_lr: float
    step_size_up: int = 2000
    step_size_down: int | None = None
    mode: str = "triangular"
    gamma: float = 1.0

    def __post_init__(self) -> None:
        owner = "cyclic"
        self._set("base_lr", P.number(owner, "base_lr", self.base_lr, low=0.0))
        self._set("max_lr", P.number(owner, "max_lr", self.max_lr, low=self.base_lr))
        self._set("step_size_up", P.integer(owner, "step_size_up", self.step_size_up, low=1))
        if self.step_size_down is not None:
            down = P.integer(owner, "step_size_down", self.step_size_down, low=1)
            # None means "same as up"; store it so that equal schedules compare equal.
            self._set("step_size_down", None if down == self.step_size_up else down)
        modes = ("triangular", "triangular2", "exp_range")
        self._set("mode", P.choice(owner, "mode", self.mode, modes))
        self._set("gamma", P.number(owner, "gamma", self.gamma, low=0.0, high=1.0, low_open=True))

    def _value(self, t: IntArray) -> FloatArray:
        return self._wave(t, self.base_lr, self.max_lr)

    def _wave(self, t: IntArray, start: float, other: float) -> FloatArray:
        """``start`` at the cycle's ends, ``other`` at its peak: the rate from ``base_lr`` to
        ``max_lr``, or the momentum PyTorch cycles the other way (see `momentum`)."""
        up = float(self.step_size_up)
        down = float(self.step_size_down) if self.step_size_down is not None else up
        total = up + down
        ratio = up / total
        # PyTorch's exact operation order, so traces agree to the last bits.
        cycle = np.floor(1 + t / total)
        x = 1.0 + t / total - cycle
        scale = np.where(x <= ratio, x / ratio, (x - 1) / (ratio - 1))
        height = (other - start) * scale
        if self.mode == "triangular2":
            # 0.5**(c-1) equals PyTorch's 1/2.0**(c-1) exactly and underflows instead of
            # overflowing far out.
            return start + height * np.power(0.5, cycle - 1)
        if self.mode == "exp_range":
            return start + height * np.power(self.gamma, t.astype(np.float64))
        return start + height * 1.0

    def momentum(self, base_momentum: float = 0.8, max_momentum: float = 0.9) -> Schedule:
        """The momentum (or Adam's ``beta1``) cycled against this rate, as PyTorch's
        ``CyclicLR(cycle_momentum=True)`` does: ``max_momentum`` where the rate is
        ``base_lr``, ``base_momentum`` at its peak. Pass it as ``Momentum(momentum=...)``.

        Examples
        --------
        >>> from gdlab.schedules import cyclic
        >>> cyclic(base_lr=0.0, max_lr=1.0, step_size_up=2).momentum()([0, 1, 2]).round(3)
        array([0.9 , 0.85, 0.8 ])
        """
        return SCHEDULES["cycled_momentum"](  # type: ignore[call-arg]
            schedule=self, base_momentum=base_momentum, max_momentum=max_momentum
        )


@dataclasses.dataclass(frozen=True, repr=False)
class one_cycle(Schedule):
    r"""The one-cycle policy (PyTorch ``OneCycleLR``, optax ``cosine_onecycle_schedule`` and
    ``linear_onecycle_schedule``).

    From :math:`\eta_0 = \mathrm{max\_lr}/\mathrm{div\_factor}` up to ``max_lr``, then down to
    :math:`\eta_0/\mathrm{final\_div\_factor}`; with ``three_phase`` back to :math:`\eta_0` first
    and then down. Each phase anneals from :math:`a` to :math:`b` with
    :math:`b + (a - b)(1 + \cos(\pi p))/2` ("cos") or :math:`(b - a)p + a` ("linear"),
    :math:`p` the fraction of the phase done.

    The peak step differs between frameworks: ``dialect="torch"`` (default) puts it at
    ``pct_start * total_steps - 1`` and ends at ``total_steps - 1``; ``dialect="optax"`` at
    ``int(pct_start * total_steps)`` and ends at ``total_steps``. After the end the rate holds
    its final value (PyTorch raises instead). With ``three_phase`` the descent back to
    :math:`\eta_0` ends at ``2 * pct_start * total_steps - 2`` (PyTorch) or
    ``int(pct_final * total_steps)`` (optax, ``pct_final`` defaults to ``2 * pct_start``; optax's
    ``linear_onecycle_schedule`` is ``anneal="linear", three_phase=True, pct_final=0.85``).

    Parameters
    ----------
    max_lr : float
        The peak, > 0.
    total_steps : int
        Length of the cycle, >= 2; or give ``epochs`` and ``steps_per_epoch`` instead.
    pct_start : float, default 0.3
        Fraction of the cycle spent rising, in (0, 1).
    anneal : {"cos", "linear"}, default "cos"
        Shape of each phase (PyTorch ``anneal_strategy``).
    div_factor, final_div_factor : float, default 25.0 and 1e4
        Start at ``max_lr / div_factor``; end at that divided by ``final_div_factor``.
    three_phase : bool, default False
        Come back down to the start value before the final descent.
    dialect : {"torch", "optax"}, default "torch"
        Where the phase boundaries fall (see above).
    pct_final : float or None, default None
        optax only: end of the second of three phases, as a fraction of ``total_steps``.
    epochs, steps_per_epoch : int or None, default None
        PyTorch's other way to give the horizon: ``total_steps = epochs * steps_per_epoch``
        (stored as ``total_steps``, so both spellings compare equal).

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.schedules import one_cycle
    >>> s = one_cycle(max_lr=1.0, total_steps=10, pct_start=0.3, anneal="linear", div_factor=10.0)
    >>> int(np.argmax(s(np.arange(10))))
    2
    >>> int(np.argmax(one_cycle(1.0, 10, 0.3, dialect="optax")(np.arange(10))))
    3
    """

    real_steps: ClassVar[bool] = True

    max_lr: float
    total_steps: int | None = None
    pct_start: float = 0.3
    anneal: str = "cos"
    div_factor: float = 25.0
    final_div_factor: float = 1e4
    three_phase: bool = False
    dialect: str = "torch"
    pct_final: float | None = None
    epochs: int | None = None
    steps_per_epoch: int | None = None

    def __post_init__(self) -> None:
        owner = "one_cycle"
        self._set("max_lr", P.number(owner, "max_lr", self.max_lr, low=0.0, low_open=True))
        self._set("total_steps", self._horizon_argument(owner))
        pct = P.number(
            owner, "pct_start", self.pct_start, low=0.0, high=1.0, low_open=True, high_open=True
        )
        self._set("pct_start", pct)
        self._set("anneal", P.choice(owner, "anneal", self.anneal, ("cos", "linear")))
        self._set(
            "div_factor", P.number(owner, "div_factor", self.div_factor, low=0.0, low_open=True)
        )
        fdf = P.number(owner, "final_div_factor", self.final_div_factor, low=0.0, low_open=True)
        self._set("final_div_factor", fdf)
        self._set("three_phase", P.flag(owner, "three_phase", self.three_phase))
        self._set("dialect", P.choice(owner, "dialect", self.dialect, ("torch", "optax")))
        if self.pct_final is not None:
            if not (self.three_phase and self.dialect == "optax"):
                raise ValueError(
                    f"{owner}: pct_final={self.pct_final!r} only applies with three_phase=True "
                    "and dialect='optax'; drop it or set both."
                )
            pf = P.number(owner, "pct_final", self.pct_final, low=pct, high=1.0, low_open=True)
            self._set("pct_final", pf)
        ends = [e for e, _, _ in self._phases()]
        starts = [0.0, *ends[:-1]]
        if any(e <= s for s, e in zip(starts, ends, strict=True)):
            raise ValueError(
                f"{owner}: pct_start={self.pct_start} with total_steps={self.total_steps} gives an "
                f"empty phase (phase ends {ends}); raise total_steps or move pct_start away "
                "from 0 and 1."
            )

    def _horizon_argument(self, owner: str) -> int:
        """``total_steps``, or ``epochs * steps_per_epoch`` (PyTorch's two spellings)."""
        per_epoch = (self.epochs, self.steps_per_epoch)
        if self.total_steps is not None:
            if per_epoch != (None, None):
                raise ValueError(
                    f"{owner}: give total_steps or epochs and steps_per_epoch, not both; got "
                    f"total_steps={self.total_steps!r}, epochs={self.epochs!r}, "
                    f"steps_per_epoch={self.steps_per_epoch!r}."
                )
            return P.integer(owner, "total_steps", self.total_steps, low=2)
        if None in per_epoch:
            raise ValueError(
                f"{owner}: missing the horizon; give total_steps (the length of the cycle in "
                "steps) or both epochs and steps_per_epoch, e.g. one_cycle(max_lr=0.1, "
                "epochs=10, steps_per_epoch=50)."
            )
        epochs = P.integer(owner, "epochs", self.epochs, low=1)
        per = P.integer(owner, "steps_per_epoch", self.steps_per_epoch, low=1)
        self._set("epochs", None)
        self._set("steps_per_epoch", None)
        return P.integer(owner, "epochs * steps_per_epoch", epochs * per, low=2)

    def _phases(self) -> list[tuple[float, float, float]]:
        """(end step, start lr, end lr) of each phase, in PyTorch's or optax's counting."""
        lo = self.max_lr / self.div_factor
        final = lo / self.final_div_factor
        n, pct = int(self.total_steps or 0), self.pct_start
        if self.dialect == "torch":
            peak, back, end = float(pct * n) - 1, float(2 * pct * n) - 2, float(n - 1)
        else:
            final_pct = 2 * pct if self.pct_final is None else self.pct_final
            peak, back, end = float(int(pct * n)), float(int(final_pct * n)), float(n)
        if self.three_phase:
            return [(peak, lo, self.max_lr), (back, self.max_lr, lo), (end, lo, final)]
        return [(peak, lo, self.max_lr), (end, self.max_lr, final)]

    def _value(self, t: IntArray) -> FloatArray:
        return self._anneal(t, [(a, b) for _, a, b in self._phases()])

    def momentum(self, base_momentum: float = 0.85, max_momentum: float = 0.95) -> Schedule:
        """The momentum (or Adam's ``beta1``) cycled against this rate, as PyTorch's
        ``OneCycleLR(cycle_momentum=True)`` and fastai's one-cycle do: from ``max_momentum``
        down to ``base_momentum`` while the rate rises, then back up (and held with
        ``three_phase``). Pass it as ``Momentum(momentum=...)`` or ``Adam(beta1=...)``.

        Examples
        --------
        >>> from gdlab.schedules import one_cycle
        >>> m = one_cycle(max_lr=1.0, total_steps=10, pct_start=0.3, anneal="linear").momentum()
        >>> m([0, 2, 9]).round(3)
        array([0.95, 0.85, 0.95])
        """
        return SCHEDULES["cycled_momentum"](  # type: ignore[call-arg]
            schedule=self, base_momentum=base_momentum, max_momentum=max_momentum
        )

    def _momentum_phases(self, low: float, high: float) -> list[tuple[float, float]]:
        """(start, end) momentum of each phase, PyTorch's inverse of the rate's phases."""
        if self.three_phase:
            return [(high, low), (low, high), (high, high)]
        return [(high, low), (low, high)]

    def _anneal(self, t: IntArray, ends: list[tuple[float, float]]) -> FloatArray:
        """Anneal from ``ends[i][0]`` to ``ends[i][1]`` over phase ``i``."""
        phases = [(e, a, b) for (e, _, _), (a, b) in zip(self._phases(), ends, strict=True)]
        steps = np.minimum(t, phases[-1][0]).astype(np.float64)
        out = np.empty(t.shape, dtype=np.float64)
        done = np.zeros(t.shape, dtype=bool)
        start_step = 0.0
        for i, (end_step, a, b) in enumerate(phases):
            mask = ~done & ((steps <= end_step) | (i == len(phases) - 1))
            p = (steps[mask] - start_step) / (end_step - start_step)
            if self.anneal == "cos":
                out[mask] = b + (a - b) / 2.0 * (np.cos(np.pi * p) + 1)
            else:
                out[mask] = (b - a) * p + a
            done |= mask
            start_step = end_step
        return out

    @property
    def horizon(self) -> int | None:
        return int(np.ceil(self._phases()[-1][0]))
