"""The scheduler the Dask tests run on: a real LocalCluster of two worker processes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

# Each worker may hold this much; the larger-than-memory fit is sized against it. A worker that
# has run a scaler's statistics (scikit-learn and numba's compiled kernels loaded) holds about
# 330 MiB before any data, and distributed pauses a worker at 80 % of its limit.
WORKER_MEMORY = 512 * 2**20
N_WORKERS = 2


def local_client() -> Iterator[Any]:
    """Start the cluster, yield its Client, close both (for a module-scoped fixture)."""
    pytest.importorskip("dask.array")
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=N_WORKERS,
            threads_per_worker=1,
            processes=True,
            memory_limit=WORKER_MEMORY,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
