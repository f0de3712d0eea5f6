"""BLAS on as many threads as :func:`gdlab.threads.allowed` says: one, by default.

A descent's matrix products are small (a few thousand rows, tens of columns): split over the
cores, their threads spend longer waiting for each other than computing, and on a machine whose
other cores are busy a two-thread product of a 1797 x 65 by 65 x 10 matrix took 3x to 10x as
long as one thread's. :func:`threads_limited` holds BLAS to the engine's thread budget for a
run; threadpoolctl (a scikit-learn dependency) finds the BLAS libraries once per process.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

from gdlab import threads


@functools.cache
def _controller() -> Any:
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    return ThreadpoolController()


@contextlib.contextmanager
def threads_limited() -> Iterator[None]:
    """Run the block with BLAS limited to ``gdlab.threads.allowed()`` threads.

    Examples
    --------
    >>> with threads_limited():
    ...     pass
    """
    with _controller().limit(limits=threads.allowed(), user_api="blas"):
        yield
