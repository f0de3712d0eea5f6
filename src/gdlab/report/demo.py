"""``gdlab demo``: run every experiment of the lesson and write the report.

The experiments run in the lesson's order. ``quick=True`` shrinks data sets and budgets (for
tests and a first look); the figures and tables keep the same structure.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TextIO

from gdlab import __version__
from gdlab.files import write_atomic
from gdlab.report.page import write_report
from gdlab.report.progress import Progress
from gdlab.report.result import ExperimentResult
from gdlab.report.summary import summary_table


@dataclass(frozen=True)
class DemoRun:
    """What :func:`run_demo` produced: the results, where the report went, how long it took."""

    results: tuple[ExperimentResult, ...]
    path: Path | None
    seconds: float

    def __repr__(self) -> str:
        return (
            f"DemoRun(n_results={len(self.results)}, path={str(self.path)!r}, "
            f"seconds={self.seconds:.1f})"
        )

    def result(self, key: str) -> ExperimentResult:
        """The result whose key is ``key``."""
        for r in self.results:
            if r.key == key:
                return r
        known = ", ".join(r.key for r in self.results)
        raise KeyError(f"no experiment {key!r} in this run; known: {known}")


def experiments(quick: bool = False) -> list[tuple[str, Callable[[], ExperimentResult]]]:
    """The report's experiments in order, as ``(label, zero-argument function)`` pairs."""
    # Imported here so that loading gdlab.report does not load the whole engine.
    from gdlab.report import (
        combined,
        conditioning,
        contours,
        decay,
        iterations,
        minibatch,
        scalers,
        speed,
        stability,
        units,
    )

    n = 300 if quick else 1000
    return [
        ("§1-3 scaling formulas", scalers.scaler_formulas),
        ("§2 outliers", scalers.outliers),
        ("§4-5 unit mismatch", units.unit_mismatch),
        ("§6 contours", contours.lesson_contours),
        (
            "§7 scaling and speed",
            partial(speed.normalization_speed, n_samples=n),
        ),
        (
            "§8 learning-rate decay",
            partial(decay.learning_rate_decay, n_samples=n),
        ),
        (
            "§9 mini-batch",
            partial(minibatch.minibatch_band, n_samples=n, epochs=20 if quick else 40),
        ),
        (
            "§10 combined strategy",
            partial(combined.combined_strategy, n_per_class=150 if quick else 500),
        ),
        ("conditioning", partial(conditioning.conditioning_analysis, n_samples=n)),
        (
            "stability limit",
            partial(
                stability.stability_limit,
                epochs=150 if quick else 300,
                iterations=8 if quick else 14,
                n_samples=n,
            ),
        ),
        ("iteration counts", iterations.iteration_counts),
    ]


def run_demo(
    out: str | os.PathLike[str] | None = "gdlab-report",
    *,
    quick: bool = False,
    stream: TextIO | None = None,
) -> DemoRun:
    """Run every experiment and write ``out/index.html`` plus each figure as ``out/figures/*.png``.

    Parameters
    ----------
    out : path or None
        Output folder; ``None`` runs the experiments without writing anything.
    quick : bool
        Smaller data and budgets (seconds instead of tens of seconds).
    stream : text stream, optional
        Where the progress bar goes (``None``: silent).

    Returns
    -------
    DemoRun
    """
    steps = experiments(quick)
    bar = Progress(len(steps), stream=stream)
    start = time.perf_counter()
    results = []
    for label, run in steps:
        results.append(run())
        bar.advance(label)
    bar.close()
    seconds = time.perf_counter() - start
    path = None
    if out is not None:
        folder = Path(out)
        for r in results:
            for image in r.images:
                write_atomic(folder / "figures" / f"{r.key}-{image.name}.png", image.png)
        meta = (
            f"gdlab {__version__}: {len(results)} experiments on built-in data in "
            f"{seconds:.1f} s{' (quick mode: smaller data and budgets)' if quick else ''}."
        )
        path = write_report(
            results, folder / "index.html", meta=meta, summary=summary_table(results)
        )
    return DemoRun(tuple(results), path, seconds)
