"""gdlab on Dask against its anchors, every ratio measured in the same run.

On a ``distributed.LocalCluster`` of two single-threaded worker processes:

1. ``StandardScaler`` and ``MinMaxScaler`` ``fit`` and ``fit`` + ``transform`` of gdlab
   against dask-ml's same classes on the same persisted Dask array (``transform`` is lazy in
   both: it is timed up to the computed sum of its output, the same for both; also up to its
   column sums, which cost NumPy more than the transform itself); skipped, saying so, where
   dask-ml (not a dependency of gdlab) is not installed;
2. gdlab's Dask fit against gdlab's in-memory fit of the same rows as a NumPy array (the
   overhead of the scheduler: task graph, serialisation, the merge);
3. full-batch least squares, ``descend(LeastSquares(), X, y)`` on Dask (one pass for
   ``X^T X``, then O(d^2) updates) against ``dask.array.linalg.lstsq`` (a tall-skinny QR);
4. a fit of data several times larger than the workers' total memory limit, generated
   lazily with ``da.random``: its size, time, the peak memory of the cluster (all worker
   processes together, sampled by ``distributed.diagnostics.MemorySampler``) and whether
   every worker survived.

Timings are medians of ``--repeats`` rounds after one untimed round (the workers' first task
imports gdlab and loads its compiled kernels), the contenders interleaved within each round in
a fresh order; a ratio against dask-ml is the median of the per-round ratios, with the lowest
and highest round. ``X.sum(axis=0)`` on the same array is Dask's floor for one pass.
A ratio above 1 means gdlab is faster. Run::

    .venv/bin/python benchmarks/bench_dask.py           # 2,000,000 x 20; 3.5 GB out of core
    .venv/bin/python benchmarks/bench_dask.py --quick   # smoke run
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections.abc import Callable
from typing import Any

import dask
import dask.array as da
import distributed
import numpy as np
from distributed.diagnostics import MemorySampler

from gdlab import threads
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.scaling import MinMaxScaler, StandardScaler

MiB = 2**20


def _round_times(jobs: dict[str, Callable[[], Any]], repeats: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for job in jobs.values():  # untimed: workers import and load compiled kernels once
        job()
    rng = np.random.default_rng(1)
    for _ in range(repeats):
        for name in rng.permutation(list(jobs)):  # interleaved, in a fresh order each round
            t0 = time.perf_counter()
            jobs[name]()
            times[name].append(time.perf_counter() - t0)
    return times


def _median_times(jobs: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    return {name: statistics.median(t) for name, t in _round_times(jobs, repeats).items()}


def _ratio(num: list[float], den: list[float]) -> str:
    """Median of the per-round ratios ``num / den``, with the lowest and highest round."""
    r = [a / b for a, b in zip(num, den, strict=True)]
    return f"{statistics.median(r):5.2f}x [{min(r):.2f}-{max(r):.2f}]"


def _fit_transform(scaler: Any, X: Any) -> Any:
    # The lazy output is computed by its total: one more read, at memory speed.
    return scaler.fit(X).transform(X).sum().compute()


def _fit_transform_by_columns(scaler: Any, X: Any) -> Any:
    # Computed by its column sums instead, as this benchmark used to: NumPy's sum along the
    # rows of a C-ordered 20-column chunk costs more than the transform itself, for both.
    return scaler.fit(X).transform(X).sum(axis=0).compute()


def _two_threads(call: Callable[[Any], Any], X: Any) -> Any:
    # The in-memory anchor gets the two cores the two Dask workers have.
    with threads.workers(2):
        return call(X)


def scalers_vs_dask_ml(X: Any, X_np: np.ndarray, repeats: int) -> None:
    print(
        f"\n== scalers on a persisted {X.shape[0]:,} x {X.shape[1]} Dask array "
        f"({X.nbytes / MiB:.0f} MiB, {X.numblocks[0]} chunks) =="
    )
    try:
        import dask_ml.preprocessing as dml
    except ImportError:  # not a dependency of gdlab: the comparison needs it installed
        print("dask-ml is not installed: comparison skipped (pip install dask-ml)")
        return
    pairs = {"StandardScaler": (StandardScaler, dml.StandardScaler),
             "MinMaxScaler": (MinMaxScaler, dml.MinMaxScaler)}  # fmt: skip
    for name, (ours, theirs) in pairs.items():
        jobs = {
            "gdlab fit": lambda ours=ours: ours().fit(X),
            "dask-ml fit": lambda theirs=theirs: theirs().fit(X),
            "gdlab fit+transform": lambda ours=ours: _fit_transform(ours(), X),
            "dask-ml fit+transform": lambda theirs=theirs: _fit_transform(theirs(), X),
            "gdlab fit+transform, column sums": lambda ours=ours: _fit_transform_by_columns(
                ours(), X
            ),
            "dask-ml fit+transform, column sums": lambda theirs=theirs: _fit_transform_by_columns(
                theirs(), X
            ),
            "gdlab in memory fit": lambda ours=ours: _two_threads(ours().fit, X_np),
            "floor": lambda: X.sum(axis=0).compute(),
        }
        rounds = _round_times(jobs, repeats)
        t = {k: statistics.median(v) for k, v in rounds.items()}
        for call in ("fit", "fit+transform", "fit+transform, column sums"):
            print(f"{name:15s} {call:14s} gdlab {t['gdlab ' + call]:7.3f} s   dask-ml "
                  f"{t['dask-ml ' + call]:7.3f} s   ratio dask-ml/gdlab "
                  f"{_ratio(rounds['dask-ml ' + call], rounds['gdlab ' + call])}")  # fmt: skip
        print(f"{name:15s} floor          X.sum(axis=0) on Dask {t['floor']:7.3f} s (one pass, "
              f"nothing merged): gdlab fit/floor {t['gdlab fit'] / t['floor']:5.2f}x")  # fmt: skip
        print(f"{name:15s} overhead       gdlab on Dask {t['gdlab fit']:7.3f} s   in memory "
              f"{t['gdlab in memory fit']:7.3f} s   ratio Dask/in-memory "
              f"{t['gdlab fit'] / t['gdlab in memory fit']:5.2f}x")  # fmt: skip
        a, b = ours().fit(X), theirs().fit(X)
        attr = "mean_" if name == "StandardScaler" else "data_min_"
        print(
            f"{'':15s} agreement      max |gdlab - dask-ml| {attr} = "
            f"{np.max(np.abs(getattr(a, attr) - np.asarray(getattr(b, attr)))):.2e}"
        )


def least_squares_vs_lstsq(X: Any, y: Any, repeats: int) -> None:
    print(f"\n== full-batch least squares on {X.shape[0]:,} x {X.shape[1]} ==")
    settings: dict[str, Any] = {"lr": 0.5, "epochs": 200, "method": "momentum"}
    jobs = {
        "gdlab descend": lambda: descend(LeastSquares(), X, y, **settings),
        "dask lstsq": lambda: [a.compute() for a in da.linalg.lstsq(X, y)[:1]],
    }  # fmt: skip
    t = _median_times(jobs, repeats)
    run = descend(LeastSquares(), X, y, **settings)
    w = da.linalg.lstsq(X, y)[0].compute()
    print(
        f"gdlab descend (200 epochs) {t['gdlab descend']:7.3f} s   dask.array.linalg.lstsq "
        f"{t['dask lstsq']:7.3f} s   ratio lstsq/gdlab {t['dask lstsq'] / t['gdlab descend']:5.2f}x"
    )
    print(f"{'':27s}max |w_gdlab - w_lstsq| = {np.max(np.abs(run.w - w)):.2e}")  # fmt: skip


def larger_than_memory(gigabytes: float, worker_memory: int) -> None:
    print(
        f"\n== out of core: StandardScaler.fit of {gigabytes:.2f} GB on 2 workers x "
        f"{worker_memory / MiB:.0f} MiB =="
    )
    # A worker paused at 80 % of its limit by the memory its libraries hold would wait forever:
    # the reduction keeps no data on the workers, so pausing is off.
    with dask.config.set({"distributed.worker.memory.pause": False}), distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, memory_limit=worker_memory,
        dashboard_address=None, silence_logs=logging.ERROR,
    ) as cluster, distributed.Client(cluster) as client:  # fmt: skip
        cols = 20
        rows = int(gigabytes * 1e9 / (8 * cols))
        chunk = (20 * MiB) // (8 * cols)
        X = da.random.default_rng(1).normal(3.0, 2.0, size=(rows, cols), chunks=(chunk, cols))
        client.run(lambda: __import__("gdlab.scaling"))  # loaded before the baseline sample
        workers = set(client.scheduler_info()["workers"])
        sampler = MemorySampler()
        with sampler.sample("fit", interval=0.1):
            t0 = time.perf_counter()
            s = StandardScaler().fit(X)
            elapsed = time.perf_counter() - t0
        peak = sampler.to_pandas()["fit"].max()
        alive = set(client.scheduler_info()["workers"]) == workers
        print(
            f"data {X.nbytes / 1e9:.2f} GB = {X.nbytes / (2 * worker_memory):.1f} x the "
            f"workers' total memory limit; {X.numblocks[0]} chunks of "
            f"{chunk * cols * 8 / MiB:.0f} MiB"
        )
        print(f"fit {elapsed:.1f} s ({X.nbytes / MiB / elapsed:.0f} MiB/s); peak memory of all "
              f"workers {peak / MiB:.0f} MiB; every worker alive: {alive}")  # fmt: skip
        print(
            f"mean_ in [{s.mean_.min():.4f}, {s.mean_.max():.4f}] (3), scale_ in "
            f"[{s.scale_.min():.4f}, {s.scale_.max():.4f}] (2)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--gigabytes", type=float, default=3.5)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.repeats, args.gigabytes = 200_000, 1, 0.3
    print(f"dask {dask.__version__}, distributed {distributed.__version__}")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, memory_limit="3GiB",
        dashboard_address=None, silence_logs=logging.ERROR,
    ) as cluster, distributed.Client(cluster):  # fmt: skip
        rng = da.random.default_rng(0)
        X = rng.normal(size=(args.rows, 20), chunks=(args.rows // 16, 20)) * 3.0 + 1.0
        X = X.persist()
        distributed.wait(X)
        X_np = X.compute()
        scalers_vs_dask_ml(X, X_np, args.repeats)
        y = (X @ da.from_array(np.linspace(-1.0, 1.0, 20)) + rng.normal(size=args.rows)).persist()
        Xs = ((X - 1.0) / 3.0).persist()  # standardized: momentum converges in 200 epochs
        least_squares_vs_lstsq(Xs, y, args.repeats)
    larger_than_memory(args.gigabytes, 512 * MiB)


if __name__ == "__main__":
    main()
