"""Doctest configuration: a non-interactive matplotlib backend and a fixed print width."""

import os

import numpy as np

os.environ.setdefault("MPLBACKEND", "Agg")
np.set_printoptions(legacy=False)
