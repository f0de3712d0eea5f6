"""Feature scaling: scikit-learn-compatible scalers with float64 streaming statistics.

Every scaler fits in one pass over its input (row blocks in cache; threads opt-in), keeps its
statistics in float64, merges chunks exactly (``partial_fit``), ignores NaN when fitting and
keeps it when transforming, and saves to JSON with :func:`save` / :func:`load`. Parameters
are checked by scikit-learn's own constraints at ``fit``; sparse matrices are taken where the
scaling keeps zeros at zero (``MaxAbsScaler``, ``StandardScaler(with_mean=False)``,
``RobustScaler(with_centering=False)``).
"""

from gdlab.scaling.base import BaseScaler
from gdlab.scaling.maxabs import MaxAbsScaler
from gdlab.scaling.minmax import MinMaxScaler
from gdlab.scaling.persistence import load, save
from gdlab.scaling.robust import RobustScaler
from gdlab.scaling.sigmoid import SigmoidScaler
from gdlab.scaling.standard import StandardScaler

#: Short names (as used on the command line) for every scaler class.
SCALERS: dict[str, type[BaseScaler]] = {
    "minmax": MinMaxScaler,
    "zscore": StandardScaler,
    "sigmoid": SigmoidScaler,
    "maxabs": MaxAbsScaler,
    "robust": RobustScaler,
}

__all__ = [
    "SCALERS",
    "BaseScaler",
    "MaxAbsScaler",
    "MinMaxScaler",
    "RobustScaler",
    "SigmoidScaler",
    "StandardScaler",
    "load",
    "save",
]
