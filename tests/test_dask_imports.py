"""Dask stays unloaded until the caller passes a Dask object."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
import numpy as np
import gdlab
from gdlab.cli import main
from gdlab.estimators import GDClassifier, GDRegressor
from gdlab.scaling import RobustScaler, StandardScaler

X = np.random.default_rng(0).normal(size=(60, 2))
StandardScaler().fit(X).transform(X)
RobustScaler().fit_transform(X)
gdlab.descend(gdlab.LeastSquares(), X, X[:, 0], lr=0.1, epochs=2, batch_size=8, seed=0)
GDRegressor(max_iter=5, tol=None).fit(X, X[:, 0]).predict(X)
GDClassifier(max_iter=5, tol=None).fit(X, X[:, 0] > 0).predict(X)
print(sorted(m for m in ("dask", "distributed") if m in sys.modules))
"""


def test_gdlab_does_not_import_dask_on_numpy_data():
    done = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
