"""How close gdlab's scalers run to the memory floor, and how they compare with scikit-learn.

On an ``n x 20`` array (5,000,000 rows by default, float64 and float32), times ``fit``,
``transform`` and ``fit_transform`` of ``StandardScaler`` and ``MinMaxScaler`` against

* scikit-learn's same call on the same data, and
* the memory floor: ``X.sum()`` (one read) for ``fit``, ``X.copy()`` (one read plus one new
  array written) for ``transform``, and their sum for ``fit_transform`` (a fit pass, then a
  transform pass),

all in the same run, interleaved round by round so that load from other processes hits every
contender alike; each figure is the median of ``--repeats`` rounds. Peak extra memory (the
largest amount allocated at once during a call, seen by ``tracemalloc``, which NumPy reports
to) is printed as a multiple of ``X.nbytes``; the output array itself accounts for 1.0.

A sparse round (``--sparse``, on by default) times ``fit`` and ``transform`` of
``MaxAbsScaler`` and ``StandardScaler(with_mean=False)`` on a CSR matrix (1% dense) against
scikit-learn's same calls, interleaved the same way.

Run::

    .venv/bin/python benchmarks/bench_scaling.py            # 5,000,000 x 20
    .venv/bin/python benchmarks/bench_scaling.py --quick    # 200,000 x 20 smoke run
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import sklearn
import sklearn.preprocessing as skp
from scipy import sparse

from gdlab import threads
from gdlab.scaling import MaxAbsScaler, MinMaxScaler, StandardScaler

PAIRS = {
    "StandardScaler": (StandardScaler, skp.StandardScaler),
    "MinMaxScaler": (MinMaxScaler, skp.MinMaxScaler),
}
CALLS = ("fit", "transform", "fit_transform")
FLOOR = {"fit": "sum", "transform": "copy", "fit_transform": "sum+copy"}


def _timed(f: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def _jobs(X: np.ndarray) -> dict[str, Callable[[], Any]]:
    """Every timed callable by name: the floors, then ``"Scaler.call/library"``."""
    jobs: dict[str, Callable[[], Any]] = {"sum": X.sum, "copy": X.copy}
    jobs["sum+copy"] = lambda: (X.sum(), X.copy())
    for name, (ours, theirs) in PAIRS.items():
        for lib, cls in (("gdlab", ours), ("sklearn", theirs)):
            jobs.update(_calls(f"{name}.", f"/{lib}", cls, X))
    return jobs


def _calls(prefix: str, suffix: str, cls: Any, X: np.ndarray) -> dict[str, Callable[[], Any]]:
    fitted = cls().fit(X)

    def fit() -> Any:
        return cls().fit(X)

    def transform() -> Any:
        return fitted.transform(X)

    def fit_transform() -> Any:
        return cls().fit_transform(X)

    return {f"{prefix}{f.__name__}{suffix}": f for f in (fit, transform, fit_transform)}


def _peak(f: Callable[[], Any]) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    result = f()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del result
    return peak


def _accuracy(X: np.ndarray, label: str) -> None:
    """Same results first (the speed is for these): against scikit-learn and exact statistics."""
    for name, (ours, theirs) in PAIRS.items():
        a, b = ours().fit_transform(X), theirs().fit_transform(X)
        span = np.abs(b).max(axis=0)
        rel = float((np.abs(a.astype(np.float64) - b) / span).max())
        print(f"{label} {name}: max |gdlab - sklearn| / column scale = {rel:.1e}")
        del a, b
    # Mean and standard deviation in extended precision (np.longdouble, two passes), one
    # column at a time to bound memory: the reference both libraries are measured against.
    ref_mean = np.empty(X.shape[1])
    ref_std = np.empty(X.shape[1])
    for j in range(X.shape[1]):
        col = X[:, j].astype(np.longdouble)
        m = col.mean()
        ref_mean[j], ref_std[j] = m, np.sqrt(((col - m) ** 2).mean())
    for lib, cls in (("gdlab", StandardScaler), ("sklearn", skp.StandardScaler)):
        s = cls().fit(X)
        err = max(
            float((np.abs(s.mean_ - ref_mean) / ref_std).max()),
            float((np.abs(s.scale_ - ref_std) / ref_std).max()),
        )
        print(f"{label} StandardScaler {lib}: max error of mean_, scale_ / std = {err:.1e}")


def bench(n: int, d: int, dtype: type, repeats: int) -> None:
    X: np.ndarray = np.random.default_rng(0).standard_normal((n, d)).astype(dtype)
    X *= np.logspace(0, 3, d).astype(dtype)  # columns on different scales
    X += np.linspace(-100, 1000, d).astype(dtype)
    label = f"{np.dtype(dtype).name} {n:,} x {d}"
    print(f"\n== {label} ({X.nbytes / 2**20:.0f} MiB), median of {repeats} rounds ==")

    _accuracy(X, label)

    jobs = _jobs(X)
    for f in jobs.values():  # warm up: compile kernels, fault in the pool
        f()
    times: dict[str, list[float]] = {k: [] for k in jobs}
    rng = np.random.default_rng(1)
    for _ in range(repeats):
        for key in rng.permutation(list(jobs)):  # interleaved, in a fresh order each round
            times[key].append(_timed(jobs[key]))
    med = {k: statistics.median(v) for k, v in times.items()}

    for anchor in ("sum", "copy", "sum+copy"):
        print(f"{label} floor {anchor}: {med[anchor] * 1e3:.1f} ms")
    for name in PAIRS:
        for call in CALLS:
            t_ours, t_sk = med[f"{name}.{call}/gdlab"], med[f"{name}.{call}/sklearn"]
            floor = med[FLOOR[call]]
            head = f"{label} {name}.{call}"
            print(
                f"{head}: {t_sk / t_ours:.2f}x faster than scikit-learn "
                f"(gdlab {t_ours * 1e3:.1f} ms, sklearn {t_sk * 1e3:.1f} ms)"
            )
            print(
                f"{head}: {t_ours / floor:.2f}x the memory floor {FLOOR[call]} "
                f"(gdlab {t_ours * 1e3:.1f} ms, floor {floor * 1e3:.1f} ms)"
            )
    for name in PAIRS:
        for call in CALLS:
            peaks = [_peak(jobs[f"{name}.{call}/{lib}"]) for lib in ("gdlab", "sklearn")]
            output = 0 if call == "fit" else X.nbytes  # the result array itself
            print(
                f"{label} {name}.{call}: peak extra memory {peaks[0] / X.nbytes:.3f}x X "
                f"= output + {(peaks[0] - output) / 2**20:.2f} MiB "
                f"(sklearn {peaks[1] / X.nbytes:.3f}x X)"
            )


SPARSE_PAIRS = {
    "MaxAbsScaler": (MaxAbsScaler, skp.MaxAbsScaler),
    "StandardScaler(with_mean=False)": (
        lambda: StandardScaler(with_mean=False),
        lambda: skp.StandardScaler(with_mean=False),
    ),
}


def bench_sparse(n: int, d: int, repeats: int) -> None:
    """fit and transform of the sparse-capable scalers on CSR data, against scikit-learn."""
    X = sparse.random_array((n, d), density=0.01, format="csr", rng=np.random.default_rng(0))
    label = f"sparse csr {n:,} x {d} ({X.nnz:,} stored)"
    print(f"\n== {label}, median of {repeats} rounds ==")
    jobs: dict[str, Callable[[], Any]] = {}
    for name, (ours, theirs) in SPARSE_PAIRS.items():
        for lib, make in (("gdlab", ours), ("sklearn", theirs)):
            fitted = make().fit(X)
            jobs[f"{name}.fit/{lib}"] = lambda make=make: make().fit(X)
            jobs[f"{name}.transform/{lib}"] = lambda fitted=fitted: fitted.transform(X)
        a, b = ours().fit(X).transform(X), theirs().fit(X).transform(X)
        print(f"{label} {name}: max |gdlab - sklearn| = {abs(a - b).max():.1e}")
    for f in jobs.values():
        f()
    times: dict[str, list[float]] = {k: [] for k in jobs}
    rng = np.random.default_rng(1)
    for _ in range(repeats):
        for key in rng.permutation(list(jobs)):
            times[key].append(_timed(jobs[key]))
    med = {k: statistics.median(v) for k, v in times.items()}
    for name in SPARSE_PAIRS:
        for call in ("fit", "transform"):
            t_ours, t_sk = med[f"{name}.{call}/gdlab"], med[f"{name}.{call}/sklearn"]
            print(
                f"{label} {name}.{call}: {t_sk / t_ours:.2f}x faster than scikit-learn "
                f"(gdlab {t_ours * 1e3:.1f} ms, sklearn {t_sk * 1e3:.1f} ms)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200,000 rows, 5 rounds: a smoke run")
    parser.add_argument("--rows", type=int, default=None, help="rows (default 5,000,000)")
    parser.add_argument("--cols", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5, help="rounds; medians need >= 5")
    parser.add_argument("--dtype", choices=["float64", "float32", "both"], default="both")
    parser.add_argument("--no-sparse", action="store_true", help="skip the sparse round")
    args = parser.parse_args()
    n = args.rows or (200_000 if args.quick else 5_000_000)
    print(
        f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
        f"{os.cpu_count()} CPUs, gdlab threads {threads.allowed()} (gdlab.threads.workers), "
        f"load average {os.getloadavg()[0]:.2f} (other processes share these CPUs)"
    )
    dtypes = ["float64", "float32"] if args.dtype == "both" else [args.dtype]
    for dt in dtypes:
        bench(n, args.cols, np.dtype(dt).type, max(5, args.repeats))
    if not args.no_sparse:
        bench_sparse(max(1000, n // 5), 1000, max(5, args.repeats))


if __name__ == "__main__":
    main()
