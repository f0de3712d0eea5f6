"""How fast gdlab's descent is, each figure a ratio against an anchor timed in the same run.

Data: n rows (1,000,000; ``--quick``: 100,000), d = 20 correlated features whose scales span
10^-2..10^2 (``np.logspace(-2, 2, 20)``) around non-zero means, ``y = X w + 1 + 0.01 * noise``
(the lesson's noise level), all from ``numpy.random.default_rng(0)``. Every time is the median
of ``--repeats`` runs after one untimed warm-up run.

1. Full-batch least squares to a relative loss gap of 1e-6, from the z-score fit to the final
   weights, against ``np.linalg.lstsq`` on the raw data (target: at most 0.5x its time).
2. One mini-batch epoch (batch 256, shuffled) against the usual PyTorch loop (autograd,
   ``torch.optim.SGD``, a scheduler; target at least 3x faster) and against a NumPy loop that
   gathers ``X[idx]`` per batch (target at least 1.5x faster).
3. Per-sample SGD (batch 1): samples per second against scikit-learn's ``SGDRegressor``
   (target: at least as fast).
4. The lesson's combined strategy (z-score + mini-batch + exponential decay) to a relative gap
   of 1e-3, against ``Pipeline(StandardScaler(), SGDRegressor(penalty=None))`` (target: at least
   10x faster), and the gap that scikit-learn's default L2 penalty leaves.

5. ``GDRegressor(l2=0.1)`` against ``GDRegressor(l2=0)`` on the same mini-batch fit (batch 256,
   2 epochs; target: at most 1.2x its time): the intercept-free penalty keeps the fast path.

The relative gap is ``(f(w) - f*) / f*`` with ``f`` the mean squared error on the training data
and ``f*`` its minimum from ``np.linalg.lstsq``. Run: ``python benchmarks/bench_descent.py``
(torch is optional: without it the PyTorch line says "skipped (torch not installed)").
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler as SkStandardScaler

from gdlab import schedules
from gdlab.datasets import add_intercept
from gdlab.estimators import GDRegressor
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.scaling import StandardScaler

Array = NDArray[Any]

# The combined strategy of section 4, stated once (see the docstring of ``combined``).
COMBINED_BATCH = 256
COMBINED_LR = "exponential(lr=0.1, gamma=0.5)"
PROFILE = False  # set by --profile


def make_data(n: int, d: int = 20, seed: int = 0) -> tuple[Array, Array]:
    """Correlated features with scales 10^-2..10^2 and offsets; a linear target with noise."""
    rng = np.random.default_rng(seed)
    scales = np.logspace(-2, 2, d)
    mixing = np.eye(d) + 0.5 * rng.standard_normal((d, d)) / np.sqrt(d)
    offsets = rng.uniform(-2.0, 2.0, d)
    X = (rng.standard_normal((n, d)) @ mixing + offsets) * scales
    w = rng.standard_normal(d) / scales
    y = X @ w + 1.0 + 0.01 * rng.standard_normal(n)
    return X, y


def profile(fn: Callable[[], Any], label: str, top: int = 10) -> None:
    """Print where ``fn`` spends its time (cProfile, by own time), for ``--profile``."""
    prof = cProfile.Profile()
    prof.runcall(fn)
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    body = [ln for ln in out.getvalue().splitlines() if ln.strip()][3:]
    print(f"    profile of {label}:", *("    " + ln for ln in body), sep="\n")


def median_time(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time of ``fn()`` over ``repeats`` runs after one warm-up; and its result."""
    result = fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def interleaved(fns: list[Callable[[], Any]], repeats: int) -> list[tuple[float, Any]]:
    """Like :func:`median_time` for several functions, run in turns so that they share the
    same moments of a busy machine; one warm-up each."""
    results = [fn() for fn in fns]
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            results[i] = fn()
            times[i].append(time.perf_counter() - start)
    return [(statistics.median(t), r) for t, r in zip(times, results, strict=True)]


def mse(w: Array, A: Array, y: Array) -> float:
    r = A @ w - y
    return float(r @ r) / len(y)


def gap(loss: float, f_star: float) -> float:
    return (loss - f_star) / f_star


def line(label: str, value: str, anchor: str, ratio: float, target: str, ok: bool) -> None:
    verdict = "meets target" if ok else "MISSES target"
    print(f"{label}: {value} | anchor {anchor} | ratio {ratio:.2f}x ({target}: {verdict})")


def zscore_design(X: Array) -> Array:
    """gdlab's z-score fitted on X, applied, and the ones column appended last."""
    return add_intercept(StandardScaler().fit_transform(X))


# -- 1. full batch ----------------------------------------------------------------------
def full_batch(X: Array, y: Array, f_star: float, repeats: int) -> None:
    A = zscore_design(X)
    # Untimed calibration: the rate 1/L (L = 2 lambda_max(A^T A / n), the curvature of the
    # z-scored problem) and the first epoch whose loss is within 1e-6 of the optimum.
    lr = float(f"{1.0 / LeastSquares().lipschitz(A):.3g}")
    probe = descend(LeastSquares(), A, y, lr=lr, epochs=2000, tol=None)
    hits = np.flatnonzero(gap_array(probe.loss, f_star) <= 1e-6)
    if hits.size == 0:
        print(f"[1] full batch: gap 1e-6 not reached in 2000 epochs (last {probe.loss[-1]:.3g})")
        return
    epochs = int(probe.epoch[hits[0]])

    def ours() -> Array:
        A = zscore_design(X)
        return descend(LeastSquares(), A, y, lr=lr, epochs=epochs, tol=None).w

    def lstsq() -> Array:
        return np.linalg.lstsq(add_intercept(X), y, rcond=None)[0]

    (t_ours, w), (t_ref, _) = interleaved([ours, lstsq], repeats)
    if PROFILE:
        profile(ours, "[1] gdlab")
    reached = gap(mse(w, A, y), f_star)
    line(
        f"[1] full-batch LS, z-score fit + {epochs} GD epochs (lr={lr}=1/L) to gap {reached:.1e}",
        f"{t_ours:.3f} s",
        f"np.linalg.lstsq on raw data {t_ref:.3f} s",
        t_ours / t_ref,
        "target <= 0.5x",
        t_ours <= 0.5 * t_ref,
    )
    # The same epochs through the estimator, as a user would write it (not a target); it
    # starts the intercept at the mean of y rather than at 0.
    pipe = make_pipeline(
        StandardScaler(), GDRegressor(lr=lr, max_iter=epochs, tol=None, method="gd")
    )
    t_pipe, _ = median_time(lambda: pipe.fit(X, y), repeats)
    print(
        f"[1] the same through Pipeline(gdlab StandardScaler(), GDRegressor(lr={lr}, "
        f"max_iter={epochs}, tol=None, method='gd')).fit: {t_pipe:.3f} s "
        f"({t_pipe / t_ref:.3g}x lstsq)"
    )


def gap_array(loss: Array, f_star: float) -> Array:
    return (np.asarray(loss) - f_star) / f_star


# -- 2. one mini-batch epoch ----------------------------------------------------------------
def numpy_epoch(A: Array, y: Array, w: Array, lr: float, bs: int, rng: Any) -> Array:
    """The usual NumPy loop: a permutation, then ``X[idx]`` gathered for every batch."""
    perm = rng.permutation(len(y))
    for s in range(0, len(y), bs):
        idx = perm[s : s + bs]
        Xb, yb = A[idx], y[idx]
        w -= lr * (2.0 / len(idx)) * (Xb.T @ (Xb @ w - yb))
    return w


def torch_epoch_factory(Xs: Array, y: Array, lr: float, bs: int) -> Callable[[], Any] | None:
    """The usual PyTorch loop (float32 tensors, nn.Linear, MSELoss, SGD, ExponentialLR)."""
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    Xt = torch.tensor(Xs, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32).unsqueeze(1)
    net = torch.nn.Linear(Xs.shape[1], 1)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.95)
    loss_fn = torch.nn.MSELoss()
    n = len(y)

    def epoch() -> Any:
        perm = torch.randperm(n)
        for s in range(0, n, bs):
            idx = perm[s : s + bs]
            opt.zero_grad()
            loss = loss_fn(net(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        sched.step()
        return net

    return epoch


def minibatch_epoch(X: Array, y: Array, repeats: int) -> None:
    Xs = StandardScaler().fit_transform(X)
    A = add_intercept(Xs)
    lr, bs = 0.01, 256

    def ours() -> Array:
        return descend(LeastSquares(), A, y, lr=lr, epochs=1, batch_size=bs, seed=0).w

    rng = np.random.default_rng(0)

    def numpy_loop() -> Array:
        return numpy_epoch(A, y, np.zeros(A.shape[1]), lr, bs, rng)

    fns: list[Callable[[], Any]] = [ours, numpy_loop]
    torch_epoch = torch_epoch_factory(Xs, y, lr, bs)
    threads = 0
    if torch_epoch is not None:
        import torch

        threads = torch.get_num_threads()

        def torch_one_thread() -> Any:
            # On a busy machine torch's default intra-op threads can spin against other
            # processes and slow the loop many times over: time 1 thread too, keep the faster.
            torch.set_num_threads(1)
            try:
                return torch_epoch()
            finally:
                torch.set_num_threads(threads)

        fns += [torch_epoch, torch_one_thread]
    timed = interleaved(fns, repeats)
    t_ours, t_np = timed[0][0], timed[1][0]
    if PROFILE:
        profile(ours, "[2] gdlab")
    label = f"[2] one mini-batch epoch (batch {bs}, shuffled), gdlab descend"
    line(
        label,
        f"{t_ours:.3f} s",
        f"NumPy X[idx] loop {t_np:.3f} s",
        t_np / t_ours,
        "target >= 1.5x",
        t_np >= 1.5 * t_ours,
    )
    if torch_epoch is None:
        print(f"{label} vs PyTorch: skipped (torch not installed)")
        return
    t_default, t_one = timed[2][0], timed[3][0]
    t_torch = min(t_default, t_one)
    line(
        label,
        f"{t_ours:.3f} s",
        f"PyTorch autograd+SGD+ExponentialLR loop {t_torch:.3f} s (float32; {threads} threads "
        f"{t_default:.3f} s, 1 thread {t_one:.3f} s)",
        t_torch / t_ours,
        "target >= 3x",
        t_torch >= 3 * t_ours,
    )


# -- 3. per-sample SGD ----------------------------------------------------------------------
def per_sample(X: Array, y: Array, repeats: int) -> None:
    Xs = StandardScaler().fit_transform(X)
    A = add_intercept(Xs)
    n = len(y)
    lr = 1e-3
    compile_start = time.perf_counter()
    descend(LeastSquares(), A[:100], y[:100], lr=lr, epochs=1, batch_size=1, seed=0)
    first_call = time.perf_counter() - compile_start

    def ours() -> Array:
        return descend(LeastSquares(), A, y, lr=lr, epochs=1, batch_size=1, seed=0).w

    # scikit-learn's squared loss is r^2 / 2, half of ours: eta0 = 2 lr gives the same steps.
    sk = SGDRegressor(
        penalty=None,
        learning_rate="constant",
        eta0=2 * lr,
        max_iter=1,
        tol=None,
        shuffle=True,
        random_state=0,
    )

    def reference() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return sk.fit(Xs, y)

    (t_ours, _), (t_ref, _) = interleaved([ours, reference], repeats)
    if PROFILE:
        profile(ours, "[3] gdlab")
    line(
        f"[3] per-sample SGD, one epoch (first call, numba compile or cache: {first_call:.2f} s)",
        f"{n / t_ours / 1e6:.2f} M samples/s",
        f"sklearn SGDRegressor {n / t_ref / 1e6:.2f} M samples/s",
        t_ref / t_ours,
        "target >= 1x",
        t_ref >= t_ours,
    )


# -- 4. the lesson's combined strategy ------------------------------------------------------
def combined(X: Array, y: Array, f_star: float, repeats: int, budget_s: float) -> None:
    """z-score + mini-batches of COMBINED_BATCH rows + COMBINED_LR stepped once per epoch."""
    target = 1e-3
    lr = schedules.as_schedule(COMBINED_LR)
    A = zscore_design(X)
    probe = descend(LeastSquares(), A, y, lr=lr, epochs=30, batch_size=COMBINED_BATCH, seed=0)
    hits = np.flatnonzero(gap_array(probe.loss, f_star) <= target)
    if hits.size == 0:
        print(f"[4] combined strategy: gap {target:g} not reached in 30 epochs")
        return
    epochs = int(probe.epoch[hits[0]])

    def ours() -> Array:
        A = zscore_design(X)
        return descend(
            LeastSquares(), A, y, lr=lr, epochs=epochs, batch_size=COMBINED_BATCH, seed=0
        ).w

    t_ours, w = median_time(ours, repeats)
    reached = gap(mse(w, A, y), f_star)
    if PROFILE:
        profile(ours, "[4] gdlab")

    # The anchor, epoch by epoch: partial_fit continues the same invscaling schedule that
    # fit(max_iter=k, tol=None) runs, so k epochs of it are that fit; the gap is checked
    # between epochs, outside the timing.
    t_scale, Xs = median_time(lambda: SkStandardScaler().fit_transform(X), repeats)
    As = add_intercept(Xs)
    sk = SGDRegressor(penalty=None, random_state=0)
    epoch_times: list[float] = []
    sk_gap = np.inf
    while sum(epoch_times) < budget_s:
        start = time.perf_counter()
        sk.partial_fit(Xs, y)
        epoch_times.append(time.perf_counter() - start)
        sk_gap = gap(mse(np.append(sk.coef_, sk.intercept_), As, y), f_star)
        if sk_gap <= target:
            break
    k = len(epoch_times)
    t_ref = t_scale + k * statistics.median(epoch_times)
    label = (
        f"[4] combined strategy (gdlab z-score + batch {COMBINED_BATCH} + {COMBINED_LR} per "
        f"epoch), {epochs} epochs to gap {reached:.1e}"
    )
    if sk_gap <= target:
        anchor = (
            f"Pipeline(StandardScaler(), SGDRegressor(penalty=None)) {t_ref:.2f} s "
            f"({k} epochs to gap {sk_gap:.1e}, tol=None)"
        )
        line(
            label, f"{t_ours:.3f} s", anchor, t_ref / t_ours, "target >= 10x", t_ref >= 10 * t_ours
        )
    else:
        anchor = (
            f"Pipeline(StandardScaler(), SGDRegressor(penalty=None)) not there after {k} "
            f"epochs, {t_ref:.1f} s (gap {sk_gap:.1e})"
        )
        line(
            label,
            f"{t_ours:.3f} s",
            anchor,
            t_ref / t_ours,
            "target >= 10x, lower bound",
            t_ref >= 10 * t_ours,
        )
    sklearn_defaults(X, Xs, As, y, f_star, target)


def sklearn_defaults(
    X: Array, Xs: Array, As: Array, y: Array, f_star: float, target: float
) -> None:
    """Where scikit-learn's defaults stop: its own tol, and the optimum its L2 penalty moves."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        pipe = make_pipeline(SkStandardScaler(), SGDRegressor(penalty=None, random_state=0))
        pipe.fit(X, y)
        elapsed = time.perf_counter() - start
    sgd = pipe[-1]
    stopped = gap(mse(np.append(sgd.coef_, sgd.intercept_), As, y), f_star)
    print(
        f"[4] SGDRegressor(penalty=None) with its default tol=1e-3 stops after {sgd.n_iter_} "
        f"epochs ({elapsed:.1f} s) at gap {stopped:.1e} (target {target:g})"
    )
    # scikit-learn's objective is mean(r^2)/2 + alpha/2 ||w||^2 (intercept free); on centred
    # z-scores its minimiser solves (Xs^T Xs / n + alpha I) w = Xs^T (y - mean y) / n.
    alpha = SGDRegressor().alpha
    n = len(y)
    w = np.linalg.solve(Xs.T @ Xs / n + alpha * np.eye(Xs.shape[1]), Xs.T @ (y - y.mean()) / n)
    b = y.mean() - Xs.mean(axis=0) @ w
    best = gap(mse(np.append(w, b), As, y), f_star)
    verdict = "never reaches" if best > target else "can reach"
    print(
        f"[4] with the default penalty='l2' (alpha={alpha:g}) even the exact optimum of "
        f"SGDRegressor's objective sits at gap {best:.1e}: it {verdict} {target:g}"
    )


# -- 5. the penalty's cost ---------------------------------------------------------------------
def penalty_cost(X: Array, y: Array, repeats: int) -> None:
    Xs = StandardScaler().fit_transform(X)

    def fit(l2: float) -> Callable[[], Any]:
        est = GDRegressor(l2=l2, lr=0.01, batch_size=256, max_iter=2, tol=None, random_state=0)
        return lambda: est.fit(Xs, y)

    (t_plain, _), (t_pen, _) = interleaved([fit(0.0), fit(0.1)], repeats)
    line(
        "[5] GDRegressor(l2=0.1, batch_size=256, max_iter=2).fit",
        f"{t_pen:.3f} s",
        f"the same with l2=0 {t_plain:.3f} s",
        t_pen / t_plain,
        "target <= 1.2x",
        t_pen <= 1.2 * t_plain,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="100,000 rows: a smoke run")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per figure")
    parser.add_argument("--sections", default="12345", help="which figures, e.g. 13")
    parser.add_argument(
        "--budget", type=float, default=None, help="seconds the slow anchor of figure 4 may run"
    )
    parser.add_argument("--profile", action="store_true", help="profile gdlab's side of each")
    args = parser.parse_args(argv)
    global PROFILE
    PROFILE = args.profile
    n = 100_000 if args.quick else 1_000_000
    repeats = args.repeats or (3 if args.quick else 5)
    budget = args.budget or (20.0 if args.quick else 120.0)
    X, y = make_data(n)
    A = zscore_design(X)
    f_star = mse(np.linalg.lstsq(A, y, rcond=None)[0], A, y)
    import sklearn

    print(
        f"bench_descent: n={n:,} d={X.shape[1]} feature scales 1e-2..1e2, f*={f_star:.4g}, "
        f"median of {repeats} runs; numpy {np.__version__}, scikit-learn {sklearn.__version__}"
    )
    if "1" in args.sections:
        full_batch(X, y, f_star, repeats)
    if "2" in args.sections:
        minibatch_epoch(X, y, repeats)
    if "3" in args.sections:
        per_sample(X, y, repeats)
    if "4" in args.sections:
        combined(X, y, f_star, repeats, budget)
    if "5" in args.sections:
        penalty_cost(X, y, repeats)


if __name__ == "__main__":
    main()
