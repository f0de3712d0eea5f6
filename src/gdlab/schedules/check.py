"""Lint a schedule against a run length before training: jumps, non-positive rates, a peak that
is never reached, and what happens around the schedule's horizon."""

from __future__ import annotations

import dataclasses

import numpy as np

from gdlab.schedules import params as P
from gdlab.schedules.base import Schedule

__all__ = ["Finding", "check"]

_SHOW = 5  # steps listed per finding before "and N more"
_FULL = 2_000_000  # longer runs are checked on a sample, so the lint never needs gigabytes
_SAMPLE = 1_000_000


@dataclasses.dataclass(frozen=True)
class Finding:
    """One observation of `check`: a machine-readable ``kind``, the first ``step`` concerned (or
    None) and a readable ``message``."""

    kind: str
    step: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


def _steps_text(steps: np.ndarray) -> str:
    shown = ", ".join(str(int(s)) for s in steps[:_SHOW])
    more = len(steps) - _SHOW
    return shown + (f" and {more} more" if more > 0 else "")


def _grid(stop: int) -> np.ndarray:
    """Steps 0..stop-1, or an even sample of them (ends included) when there are too many."""
    if stop <= _FULL:
        return np.arange(stop)
    return np.unique(np.linspace(0, stop - 1, _SAMPLE).astype(np.int64))


def check(schedule: Schedule, total_steps: int, *, max_jump: float = 0.5) -> list[Finding]:
    r"""Return findings about ``schedule`` over a run of ``total_steps`` steps (0 .. total_steps-1).

    Kinds reported:

    - ``"non_finite"``: an infinite or NaN rate (e.g. an uncapped growing `exponential`);
    - ``"non_positive"``: a rate :math:`\le 0` (the parameters would not move, or move uphill);
    - ``"jump"``: a change between consecutive steps larger than ``max_jump`` times the run's
      largest rate (expected for step decay and restarts, a bug for most other shapes);
    - ``"peak_not_reached"``: the schedule's maximum over its horizon is never reached in the run;
    - ``"after_horizon"``: the schedule ends before the run does; the message says whether it
      holds its final value or rises again (e.g. ``cosine(dialect="torch")``);
    - ``"horizon_beyond_run"``: the run stops before the schedule has finished.

    Runs (or horizons) longer than 2,000,000 steps are checked on an even sample of 1,000,000
    steps, and jumps are then not looked for.

    Examples
    --------
    >>> from gdlab.schedules import check, cosine
    >>> [f.kind for f in check(cosine(lr=0.1, total_steps=100), 50)]
    ['horizon_beyond_run']
    >>> torch_cosine = cosine(lr=0.1, total_steps=100, min_lr=0.01, dialect="torch")
    >>> [f.kind for f in check(torch_cosine, 150)]
    ['after_horizon']
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"check expects a Schedule, got {type(schedule).__name__}.")
    n = P.integer("check", "total_steps", total_steps, low=1)
    jump_tol = P.number("check", "max_jump", max_jump, low=0.0, high=1.0, low_open=True)
    horizon = schedule.horizon
    steps = _grid(n)
    values = schedule(steps)
    findings: list[Finding] = []

    inf = np.flatnonzero(~np.isfinite(values))
    if inf.size:
        findings.append(
            Finding("non_finite", int(steps[inf[0]]), f"lr is not finite at steps "
                    f"{_steps_text(steps[inf])}; cap it (e.g. end_lr) or shorten the run.")
        )  # fmt: skip
    bad = np.flatnonzero(~(values > 0) & np.isfinite(values))
    if bad.size:
        findings.append(
            Finding(
                "non_positive", int(steps[bad[0]]), f"lr <= 0 at steps {_steps_text(steps[bad])}."
            )
        )
    finite = values[np.isfinite(values)]
    if n > 1 and n <= _FULL and finite.size:
        # Relative to the run's peak: near zero every decay has large *relative* steps.
        scale = float(np.abs(finite).max()) or 1.0
        with np.errstate(invalid="ignore"):
            change = np.abs(np.diff(values))
        jumps = np.flatnonzero(np.isfinite(change) & (change > jump_tol * scale)) + 1
        if jumps.size:
            findings.append(
                Finding(
                    "jump",
                    int(jumps[0]),
                    f"lr changes by more than {jump_tol:.0%} of its peak at steps "
                    f"{_steps_text(jumps)}.",
                )
            )

    span = max(n, (horizon or 0) + 1)
    everywhere_steps = _grid(span) if span > n else steps
    everywhere = schedule(everywhere_steps) if span > n else values
    if finite.size and np.isfinite(everywhere).all():
        peak, reached = float(everywhere.max()), float(finite.max())
        if reached < peak * (1 - 1e-9):
            at = int(everywhere_steps[everywhere.argmax()])
            findings.append(
                Finding(
                    "peak_not_reached",
                    at,
                    f"the schedule peaks at {peak:.6g} at step {at}, but the run stops at step "
                    f"{n - 1} with a maximum of {reached:.6g}.",
                )
            )

    if horizon is not None and 0 < horizon < n - 1:
        tail = schedule(_grid(n - horizon) + horizon)
        if np.all(tail == tail[0]):
            what = f"holds {tail[0]:.6g} for the last {n - horizon} steps"
        elif np.any(np.diff(tail) > 0):
            what = f"rises again after it (up to {tail.max():.6g})"
        else:
            what = "keeps changing after it"
        findings.append(
            Finding("after_horizon", horizon, f"the schedule ends at step {horizon} and {what}.")
        )
    elif horizon is not None and horizon > n:
        final = schedule(horizon)
        findings.append(
            Finding(
                "horizon_beyond_run",
                n,
                f"the run stops at step {n - 1} but the schedule ends at step {horizon}: the "
                f"last lr is {values[-1]:.6g}, not the final {final:.6g}.",
            )
        )
    return findings
