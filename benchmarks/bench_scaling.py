"""How close gdlab's scalers run to the memory floor, for every layout, and against scikit-learn.

On an ``n x 20`` array (2,000,000 rows by default) held six ways — C-ordered float64,
Fortran-ordered float64, C- and Fortran-ordered float32, a DataFrame of float64 columns and a
DataFrame whose columns alternate float32 and float64 — times ``fit``, ``transform`` and
``fit_transform`` of ``StandardScaler``, ``MinMaxScaler`` and ``MaxAbsScaler`` against

* scikit-learn's same call on the same input, and
* the memory floor of that input: one read (``X.sum()``) for ``fit``, one read and one new
  array written (``X.copy()``, keeping the layout: ``order="K"``) for ``transform``, and both
  for ``fit_transform``. A DataFrame's floor runs on arrays holding its columns' bytes the way
  it holds them (column-major, one array per dtype); its transform writes float64, as
  scikit-learn's and gdlab's do.

Every contender of a layout runs once per round, in a fresh random order each round (so load
from other processes hits all alike); a ratio is the median over the rounds of the ratio
measured within each round, and the bracket its spread (lowest and highest round); each call's
ratio to its floor is also given in CPU time of the calling thread (what a busy machine's other
processes do not add to, though they still share its memory bus). Before the
timings, each layout's results are compared bit for bit with those of the C-ordered array of
the same values, and gdlab's and scikit-learn's with exact statistics. The peak extra memory
of each call (``tracemalloc``, which NumPy reports to) is printed as a multiple of the input.

A sparse round (on by default) times ``MaxAbsScaler`` and ``StandardScaler(with_mean=False)``
on a CSR matrix (1% dense) against scikit-learn's same calls, interleaved the same way.

Run::

    .venv/bin/python benchmarks/bench_scaling.py            # 2,000,000 x 20, 5 rounds
    .venv/bin/python benchmarks/bench_scaling.py --quick    # 200,000 x 20
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
import pandas as pd
import sklearn
import sklearn.preprocessing as skp
from scipy import sparse

from gdlab import threads
from gdlab.scaling import MaxAbsScaler, MinMaxScaler, StandardScaler

PAIRS = {
    "StandardScaler": (StandardScaler, skp.StandardScaler),
    "MinMaxScaler": (MinMaxScaler, skp.MinMaxScaler),
    "MaxAbsScaler": (MaxAbsScaler, skp.MaxAbsScaler),
}
CALLS = ("fit", "transform", "fit_transform")
FLOOR = {"fit": "read", "transform": "read+write", "fit_transform": "read, read+write"}
#: The targets: at most this many times the floor; at least this many times scikit-learn's speed.
FLOOR_TARGET = 1.3
MINMAX_C_TARGET = 3.8


def _layouts(X: np.ndarray) -> dict[str, Callable[[], Any]]:
    names = [f"x{j}" for j in range(X.shape[1])]

    def mixed() -> pd.DataFrame:
        kinds = [np.float32 if j % 2 == 0 else np.float64 for j in range(X.shape[1])]
        return pd.DataFrame({n: X[:, j].astype(kinds[j]) for j, n in enumerate(names)})

    return {
        "C float64": lambda: X,
        "F float64": lambda: np.asfortranarray(X),
        "C float32": lambda: X.astype(np.float32),
        "F float32": lambda: np.asfortranarray(X, dtype=np.float32),
        "DataFrame float64": lambda: pd.DataFrame(X, columns=names),
        "DataFrame float32+float64": mixed,
    }


def _stored(data: Any) -> tuple[list[np.ndarray], type]:
    """Arrays holding the input's bytes as it stores them, and the transform's output dtype."""
    if isinstance(data, np.ndarray):
        return [data], data.dtype.type
    groups = [data.select_dtypes(kind).to_numpy() for kind in ("float32", "float64")]
    stored = [np.asfortranarray(g) for g in groups if g.size]
    return stored, np.result_type(*stored).type


def _jobs(data: Any) -> dict[str, Callable[[], Any]]:
    """Every timed callable: the floors, then ``"Scaler.call/library"``."""
    stored, out = _stored(data)

    def read() -> Any:
        return [a.sum() for a in stored]

    def write() -> Any:
        return [np.array(a, dtype=out, order="K") for a in stored]

    jobs: dict[str, Callable[[], Any]] = {"read": read, "read+write": write}
    jobs["read, read+write"] = lambda: (read(), write())
    for name, (ours, theirs) in PAIRS.items():
        for lib, cls in (("gdlab", ours), ("sklearn", theirs)):
            fitted = cls().fit(data)
            jobs[f"{name}.fit/{lib}"] = lambda cls=cls: cls().fit(data)
            jobs[f"{name}.transform/{lib}"] = lambda fitted=fitted: fitted.transform(data)
            jobs[f"{name}.fit_transform/{lib}"] = lambda cls=cls: cls().fit_transform(data)
    return jobs


Times = dict[str, list[float]]


def _rounds(jobs: dict[str, Callable[[], Any]], repeats: int) -> tuple[Times, Times]:
    """Per job and round: the wall-clock time, and the CPU time of this thread."""
    for f in jobs.values():  # warm up: compile kernels, fault in the pool
        f()
    wall: Times = {k: [] for k in jobs}
    cpu: Times = {k: [] for k in jobs}
    rng = np.random.default_rng(1)
    for _ in range(repeats):
        for key in rng.permutation(list(jobs)):  # interleaved, in a fresh order each round
            t0, c0 = time.perf_counter(), time.thread_time()
            jobs[key]()
            cpu[key].append(time.thread_time() - c0)
            wall[key].append(time.perf_counter() - t0)
    return wall, cpu


def _ratio(num: list[float], den: list[float]) -> tuple[float, float, float]:
    """Median, lowest and highest of the per-round ratios ``num / den``."""
    r = [a / b for a, b in zip(num, den, strict=True)]
    return statistics.median(r), min(r), max(r)


def _fmt(r: tuple[float, float, float]) -> str:
    return f"{r[0]:.2f}x [{r[1]:.2f}-{r[2]:.2f}]"


def _peak(data: Any, cls: type, call: str) -> int:
    """The most memory ``cls().call(data)`` holds at once beyond what it started with."""
    fitted = cls().fit(data)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    result = fitted.transform(data) if call == "transform" else getattr(cls(), call)(data)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del result
    return peak


def _same_bits(data: Any, reference: np.ndarray) -> str:
    """Whether every fitted statistic and transformed value equals that of C-ordered data."""
    differ = []
    for name, (cls, _) in PAIRS.items():
        a, b = cls().fit(reference), cls().fit(data)
        for attr in ("mean_", "var_", "scale_", "data_min_", "data_max_", "max_abs_"):
            if hasattr(a, attr) and not np.array_equal(getattr(a, attr), getattr(b, attr)):
                differ.append(f"{name}.{attr}")
        if not np.array_equal(a.transform(reference), np.asarray(b.transform(data))):
            differ.append(f"{name}.transform")
    return "yes" if not differ else "no: " + ", ".join(differ)


def _accuracy(X: np.ndarray, label: str) -> None:
    """Agreement with scikit-learn, and with exact statistics (extended precision)."""
    for name, (ours, theirs) in PAIRS.items():
        a, b = ours().fit_transform(X), theirs().fit_transform(X)
        rel = float((np.abs(a.astype(np.float64) - b) / np.abs(b).max(axis=0)).max())
        print(f"{label} {name}: max |gdlab - sklearn| / column scale = {rel:.1e}")
    ref_mean, ref_std = np.empty(X.shape[1]), np.empty(X.shape[1])
    for j in range(X.shape[1]):  # one column at a time, to bound memory
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


def bench_layout(label: str, data: Any, reference: np.ndarray, repeats: int) -> dict[str, Any]:
    n, d = data.shape
    stored, _ = _stored(data)
    mib = sum(a.nbytes for a in stored) / 2**20
    print(f"\n== {label}, {n:,} x {d} ({mib:.0f} MiB), {repeats} interleaved rounds ==")
    if label.startswith("C"):
        _accuracy(np.asarray(data), label)
    else:
        same = _same_bits(data, reference)
        print(f"{label}: same bits as the C-ordered array of its values: {same}")
    times, cpu = _rounds(_jobs(data), repeats)
    med = {k: statistics.median(v) * 1e3 for k, v in times.items()}
    floors = ", ".join(f"{k} {med[k]:.1f} ms" for k in ("read", "read+write", "read, read+write"))
    print(f"{label} floors: {floors}")
    print(
        "| call | gdlab | x floor [spread] | x floor, CPU time | scikit-learn | x floor "
        "| gdlab vs scikit-learn [spread] |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    rows: dict[str, Any] = {}
    for name in PAIRS:
        for call in CALLS:
            key = f"{name}.{call}"
            ours, theirs, floor = times[f"{key}/gdlab"], times[f"{key}/sklearn"], times[FLOOR[call]]
            on_cpu = _ratio(cpu[f"{key}/gdlab"], cpu[FLOOR[call]])
            rows[key] = (_ratio(ours, floor), _ratio(theirs, ours), on_cpu)
            print(
                f"| {key} | {med[f'{key}/gdlab']:.1f} ms | {_fmt(rows[key][0])} | "
                f"{_fmt(on_cpu)} | {med[f'{key}/sklearn']:.1f} ms | "
                f"{_ratio(theirs, floor)[0]:.2f}x | {_fmt(rows[key][1])} faster |"
            )
    nbytes = sum(a.nbytes for a in stored)
    for name in PAIRS:
        peaks = [
            "/".join(f"{_peak(data, cls, call) / nbytes:.2f}" for call in CALLS)
            for cls in PAIRS[name]
        ]
        print(f"{label} {name} peak extra memory (fit/transform/fit_transform, x input): "
              f"gdlab {peaks[0]}, sklearn {peaks[1]}")  # fmt: skip
    return rows


def summary(results: dict[str, dict[str, Any]]) -> None:
    print("\n== summary: x the floor (fit / transform / fit_transform), and fit_transform's "
          "speed against scikit-learn's (medians) ==")  # fmt: skip
    head = " | ".join(f"{name}: x floor | vs scikit-learn" for name in PAIRS)
    print(f"| input | {head} |")
    print("| --- |" + " --- | --- |" * len(PAIRS))
    for label, rows in results.items():
        cells = []
        for name in PAIRS:
            floors = " / ".join(f"{rows[f'{name}.{call}'][0][0]:.2f}x" for call in CALLS)
            cells.append(f"{floors} | {rows[f'{name}.fit_transform'][1][0]:.2f}x faster")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("\n== targets ==")
    for clock, index in (("wall-clock", 0), ("CPU", 2)):
        every = [(r[index], f"{label} {key}") for label, rows in results.items()
                 for key, r in rows.items()]  # fmt: skip
        worst = max(every)
        over = [f"{what} {r[0]:.2f}x" for r, what in every if r[0] > FLOOR_TARGET]
        print(f"every call within {FLOOR_TARGET}x the floor ({clock} time): worst "
              f"{worst[0][0]:.2f}x ({worst[1]}); {len(every) - len(over)} of {len(every)} met"
              + ("" if not over else "; over: " + ", ".join(over)))  # fmt: skip
    speeds = [(rows[key][1], f"{label} {key}") for label, rows in results.items() for key in rows]
    slowest = min(speeds)
    print(f"no call slower than scikit-learn: slowest {slowest[0][0]:.2f}x its speed "
          f"({slowest[1]}) -> {'met' if slowest[0][0] >= 1 else 'NOT met'}")  # fmt: skip
    if "C float64" in results:
        mm = results["C float64"]["MinMaxScaler.fit_transform"][1]
        print(f"MinMaxScaler.fit_transform on C float64 at least {MINMAX_C_TARGET}x scikit-learn: "
              f"{_fmt(mm)} -> {'met' if mm[0] >= MINMAX_C_TARGET else 'NOT met'}")  # fmt: skip


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
    print(f"\n== {label}, {repeats} interleaved rounds ==")
    jobs: dict[str, Callable[[], Any]] = {}
    for name, (ours, theirs) in SPARSE_PAIRS.items():
        for lib, make in (("gdlab", ours), ("sklearn", theirs)):
            fitted = make().fit(X)
            jobs[f"{name}.fit/{lib}"] = lambda make=make: make().fit(X)
            jobs[f"{name}.transform/{lib}"] = lambda fitted=fitted: fitted.transform(X)
        a, b = ours().fit(X).transform(X), theirs().fit(X).transform(X)
        print(f"{label} {name}: max |gdlab - sklearn| = {abs(a - b).max():.1e}")
    times, _ = _rounds(jobs, repeats)
    for name in SPARSE_PAIRS:
        for call in ("fit", "transform"):
            speed = _ratio(times[f"{name}.{call}/sklearn"], times[f"{name}.{call}/gdlab"])
            print(f"{label} {name}.{call}: {_fmt(speed)} faster than scikit-learn")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200,000 rows: a short run")
    parser.add_argument("--rows", type=int, default=None, help="rows (default 2,000,000)")
    parser.add_argument("--cols", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5, help="rounds; medians need >= 5")
    parser.add_argument("--layouts", nargs="*", help="some of the layouts (default: all)")
    parser.add_argument("--no-sparse", action="store_true", help="skip the sparse round")
    parser.add_argument("--threads", type=int, default=1, help="gdlab.threads.workers(k)")
    args = parser.parse_args()
    n = args.rows or (200_000 if args.quick else 2_000_000)
    repeats = max(5, args.repeats)
    with threads.workers(args.threads):
        run(args, n, repeats)


def run(args: argparse.Namespace, n: int, repeats: int) -> None:
    print(
        f"numpy {np.__version__}, pandas {pd.__version__}, scikit-learn {sklearn.__version__}, "
        f"{os.cpu_count()} CPUs, gdlab threads {threads.allowed()} (gdlab.threads.workers; "
        f"CPU times then count the calling thread only), load average "
        f"{os.getloadavg()[0]:.2f} (other processes share these CPUs)"
    )
    X = np.random.default_rng(0).standard_normal((n, args.cols))
    X *= np.logspace(0, 3, args.cols)  # columns on different scales
    X += np.linspace(-100, 1000, args.cols)
    results = {}
    for label, make in _layouts(X).items():
        if args.layouts and label not in args.layouts:
            continue
        data = make()
        reference = np.ascontiguousarray(np.asarray(data))  # the same values, C-ordered
        results[label] = bench_layout(label, data, reference, repeats)
        del data, reference
    if results:
        summary(results)
    if not args.no_sparse:
        bench_sparse(max(1000, n // 5), 1000, repeats)


if __name__ == "__main__":
    main()
