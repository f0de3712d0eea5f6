"""Threads, opt-in: the one pool every part of gdlab that can use more cores draws from.

By default everything runs on the calling thread. Inside ``with gdlab.threads.workers(k):``
a call on a large array may split its row blocks over up to ``k`` threads (at most the CPUs
this process may use): the scalers do (:mod:`gdlab.scaling.blocks`), since their compiled
kernels and NumPy's ufuncs release the GIL. A second thread pays only while the other cores
are idle; with them busy it costs a little (``benchmarks/bench_threads.py`` measures both),
which is why it is opt-in. The descent engine runs on one thread: a thread that gathered a
shuffled mini-batch epoch's rows ahead of the compiled loop made the epoch 1.25x to 1.5x faster
on an idle 2-core machine and 0.75x to 0.89x as fast with the other core busy.

The setting is a context variable: it holds for the code inside the ``with`` block (and for
asyncio tasks started there), not for other threads.

Examples
--------
>>> import numpy as np
>>> from gdlab import threads
>>> threads.allowed()
1
>>> with threads.workers(2):
...     threads.allowed() == min(2, threads.usable_cpus())
True
>>> threads.run_jobs([lambda: 1, lambda: 2])
[1, 2]
"""

from __future__ import annotations

import contextlib
import contextvars
import numbers
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

T = TypeVar("T")

_WORKERS: contextvars.ContextVar[int] = contextvars.ContextVar("gdlab_workers", default=1)


@contextlib.contextmanager
def workers(n: int) -> Iterator[None]:
    """Let the calls inside use up to ``n`` threads (1 restores the default).

    Examples
    --------
    >>> with workers(0):
    ...     pass
    Traceback (most recent call last):
    ...
    ValueError: workers must be an int >= 1, got 0.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"workers must be an int >= 1, got {n!r}.")
    token = _WORKERS.set(int(n))
    try:
        yield
    finally:
        _WORKERS.reset(token)


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one).

    Examples
    --------
    >>> usable_cpus() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def allowed() -> int:
    """Threads the current call may use: the innermost :func:`workers` ``n``, at most the
    usable CPUs; 1 outside any ``workers`` block."""
    return max(1, min(_WORKERS.get(), usable_cpus()))


@cache
def _pool_of(pid: int) -> ThreadPoolExecutor:
    # One long-lived pool: starting threads per call would cost more than a small job saves.
    return ThreadPoolExecutor(max_workers=usable_cpus(), thread_name_prefix="gdlab")


def run_jobs(jobs: list[Callable[[], T]]) -> list[T]:
    """Run the jobs and return their results in order: on the shared pool when there are
    several and :func:`allowed` is above 1, else one after another here.

    The pool is keyed by process id: a forked child inherits the pool object but not its
    threads, and would wait forever on it. Jobs must not call :func:`run_jobs` themselves.
    """
    if len(jobs) == 1 or allowed() == 1:
        return [job() for job in jobs]
    pool = _pool_of(os.getpid())
    return [future.result() for future in [pool.submit(job) for job in jobs]]
