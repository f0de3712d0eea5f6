"""Running the lesson's code, which draws from NumPy's legacy global RNG, without side effects."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


@contextmanager
def lesson_seed(seed: int = 24) -> Iterator[None]:
    """Seed the global RNG as the lesson does (``np.random.seed(24)``) and restore it afterwards.

    The course's helpers (``arrayGenReg``, ``array_split``, ...) read the global state, so the
    report reproduces the lesson's numbers exactly; restoring the state keeps a caller's own
    random stream untouched.

    Examples
    --------
    >>> before = np.random.get_state()[1][:3].copy()
    >>> with lesson_seed(24):
    ...     round(float(np.random.randn()), 8)
    1.32921217
    >>> bool((np.random.get_state()[1][:3] == before).all())
    True
    """
    # The lesson's helpers read the legacy global state by design, hence NPY002 below.
    state = np.random.get_state()  # noqa: NPY002
    np.random.seed(seed)  # noqa: NPY002
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002
