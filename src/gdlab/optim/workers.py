"""A worker thread for the engine, opt-in: ``descend(..., workers=2)``.

Only a run that asks for it (:func:`allowed`) sees the pool; by default a run uses one thread,
which is also the faster choice on a machine whose other cores are busy.

A full-data evaluation at a point the loop does not change next (the starting point) can run
on a second core while the main thread draws the epoch's permutation. NumPy's matrix products
and the compiled passes (:mod:`gdlab.optim.compiled`, ``nogil``) release the GIL, so the two
really overlap. Only work that neither reads the random generator nor writes the parameters is
handed over, so a run's results do not depend on whether a worker exists.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")
# Below this many elements of X a full-data pass takes about what a hand-off to the worker
# costs (tens of microseconds), so nothing is handed over.
MIN_ELEMENTS = 1 << 18
# Threads the run being computed may use (set by the engine around each of its steps).
_THREADS: contextvars.ContextVar[int] = contextvars.ContextVar("gdlab_threads", default=1)


@contextlib.contextmanager
def allowed(threads: int) -> Iterator[None]:
    """Let the code inside use :func:`pool` when ``threads >= 2``.

    Examples
    --------
    >>> with allowed(1):
    ...     pool() is None
    True
    """
    token = _THREADS.set(threads)
    try:
        yield
    finally:
        _THREADS.reset(token)


def usable_cpus() -> int:
    """CPUs this process may run on (the affinity mask where the platform has one).

    Examples
    --------
    >>> usable_cpus() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@cache
def _pool_of(pid: int) -> ThreadPoolExecutor:
    # One long-lived thread: starting a thread per run would cost about what it saves.
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="gdlab-optim")


def pool() -> ThreadPoolExecutor | None:
    """The engine's one-thread pool, or None: unless the run asked for a second thread
    (:func:`allowed`), or on a single CPU (nothing would overlap).

    Keyed by process id: a forked child inherits the pool object but not its thread, and would
    wait forever on it.

    Examples
    --------
    >>> p = pool()
    >>> p is None or p.submit(sum, (1, 2)).result() == 3
    True
    """
    if _THREADS.get() < 2 or usable_cpus() < 2:
        return None
    return _pool_of(os.getpid())


def overlap(background: Callable[[], T], foreground: Callable[[], Any]) -> T:
    """Run ``background()`` on the worker while ``foreground()`` runs here; return the former.

    Without a worker both run here, ``background`` first. ``background`` must neither touch
    what ``foreground`` writes nor draw random numbers, so the results are the same either way;
    it runs under the caller's ``np.errstate``.

    Examples
    --------
    >>> seen = []
    >>> overlap(lambda: 2 + 3, lambda: seen.append("drawn"))
    5
    >>> seen
    ['drawn']
    """
    workers = pool()
    if workers is None:
        result = background()
        foreground()
        return result
    # NumPy's floating-point error settings are per thread: carry the caller's over, so a
    # warning silenced here stays silenced on the worker.
    errors = np.geterr()

    def run() -> T:
        with np.errstate(**errors):
            return background()

    pending = workers.submit(run)
    foreground()
    if pending.cancel():  # not started (another run holds the worker): run it here
        return background()
    return pending.result()
