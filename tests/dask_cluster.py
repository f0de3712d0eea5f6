"""The scheduler the Dask tests run on: a real LocalCluster of two worker processes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

# Each worker may hold this much; the larger-than-memory fit is sized against it. A worker that
# has run a scaler's statistics (scikit-learn and numba's compiled kernels loaded) holds 330 to
# 430 MiB before any data, and a chunk's work adds about 100 MiB: the limit leaves room for both
# below the 95 % at which the nanny restarts a worker.
WORKER_MEMORY = 768 * 2**20
N_WORKERS = 2
# distributed pauses a worker whose process memory passes 80 % of its limit, and a paused worker
# waits for memory to be freed; memory held by loaded libraries never is, so the run would hang
# instead of failing. The reductions here keep no data on the workers, so pausing is off.
_CONFIG = {"distributed.worker.memory.pause": False}


def local_client() -> Iterator[Any]:
    """Start the cluster, yield its Client, close both (for a module-scoped fixture)."""
    pytest.importorskip("dask.array")
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    import dask

    with (
        dask.config.set(_CONFIG),  # the nannies hand the config on to their workers
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
