"""Value checks shared by fitting and transforming: ±inf is an error, NaN is missing data."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def reject_infinite(block: NDArray[np.generic]) -> None:
    """Raise ValueError naming the columns of ``block`` that hold ±inf.

    Examples
    --------
    >>> import numpy as np
    >>> reject_infinite(np.array([[1.0, np.nan]]))
    >>> reject_infinite(np.array([[1.0, np.inf]]))
    Traceback (most recent call last):
    ...
    ValueError: X contains infinity in column(s) [1]; expected finite values or NaN ...
    """
    bad = np.isinf(block).any(axis=0)
    if bad.any():
        cols = np.flatnonzero(bad).tolist()
        raise ValueError(
            f"X contains infinity in column(s) {cols}; expected finite values or NaN for "
            "missing ones. Replace or drop the infinite values first."
        )


def check_block(block: NDArray[np.generic]) -> None:
    """Raise on ±inf in ``block``; one cheap sum in the common all-finite case.

    Examples
    --------
    >>> import numpy as np
    >>> check_block(np.array([[1.0, 2.0]]))
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = block.sum()
    if not np.isfinite(total):  # NaN, inf or an overflowing sum: look closer
        reject_infinite(block)
