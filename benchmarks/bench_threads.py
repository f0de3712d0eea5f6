"""Whether a second thread pays: the scalers inside ``gdlab.threads.workers(2)`` against one
thread, on an idle machine and on a busy one.

Threads in gdlab are opt-in (:mod:`gdlab.threads`). This script shows what opting in buys:
on an ``n x 20`` float64 array (1,000,000 rows; ``--rows``), ``fit`` and ``transform`` of
``StandardScaler`` and ``MinMaxScaler``, each timed with the default single thread and inside
``workers(2)``, interleaved call by call; each figure is the median of ``--repeats`` rounds.
The round is run twice: first as the machine is, then with every other usable CPU kept busy by
a spinning process (``--busy`` of them, default: all CPUs but one), which is how a shared CI
machine or a laptop running other work looks to gdlab. Ratio > 1: two threads are faster.

Run::

    .venv/bin/python benchmarks/bench_threads.py
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from gdlab import threads
from gdlab.scaling import MinMaxScaler, StandardScaler


def spin() -> None:  # pragma: no cover - runs in a child process until terminated
    while True:
        pass


def interleaved(fns: list[Callable[[], Any]], repeats: int) -> list[float]:
    """Median wall time of each function, run in turns after one warm-up each."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def two_threads(fn: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        with threads.workers(2):
            return fn()

    return run


def round_of(X: np.ndarray, repeats: int, label: str) -> None:
    for cls in (StandardScaler, MinMaxScaler):
        fitted = cls().fit(X)
        calls = {"fit": lambda c=cls: c().fit(X), "transform": lambda s=fitted: s.transform(X)}
        for call, fn in calls.items():
            one, two = interleaved([fn, two_threads(fn)], repeats)
            print(
                f"[{label}] {cls.__name__}.{call}: 1 thread {one * 1e3:.1f} ms | workers(2) "
                f"{two * 1e3:.1f} ms | 2 threads {one / two:.2f}x the speed of 1"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--busy", type=int, default=None, help="spinning processes")
    args = parser.parse_args()
    cpus = threads.usable_cpus()
    if cpus < 2:
        print("1 usable CPU: gdlab.threads.workers(2) runs one thread; nothing to measure")
        return
    X = np.random.default_rng(0).normal(size=(args.rows, 20))
    print(
        f"{args.rows:,} x 20 float64, {cpus} usable CPUs, medians of {args.repeats}; load "
        f"average {os.getloadavg()[0]:.2f} before the idle round"
    )
    round_of(X, args.repeats, "as is")
    busy = cpus - 1 if args.busy is None else args.busy
    spinners = [mp.get_context("spawn").Process(target=spin, daemon=True) for _ in range(busy)]
    for p in spinners:
        p.start()
    try:
        time.sleep(0.5)
        round_of(X, args.repeats, f"{busy} CPU(s) busy")
    finally:
        for p in spinners:
            p.terminate()
            p.join()


if __name__ == "__main__":
    main()
