"""Recognise Dask collections without importing Dask.

``import gdlab`` stays light: Dask is loaded only by the modules that work on Dask objects,
and only once the caller has handed one over (the caller imported Dask already).
"""

from __future__ import annotations

import sys
from typing import Any


def is_dask(obj: Any) -> bool:
    """True for a Dask array, DataFrame or Series (any Dask collection).

    Examples
    --------
    >>> import numpy as np
    >>> is_dask(np.ones(3))
    False
    """
    if sys.modules.get("dask") is None:  # no Dask object can exist before Dask is imported
        return False
    return type(obj).__module__.partition(".")[0] == "dask"


def is_dask_dataframe(obj: Any) -> bool:
    """True for a Dask DataFrame (not a Series, not an array)."""
    if not is_dask(obj):
        return False
    import dask.dataframe as dd

    return isinstance(obj, dd.DataFrame)
