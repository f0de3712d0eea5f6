"""Objectives for gradient descent: least squares, logistic and softmax regression.

Each model is stateless and exposes ``loss``, ``grad``, ``predict`` and ``init_params``;
parameters are passed in. Models add no intercept: append a ones column to ``X``.
``InterceptFreeL2`` wraps a model with a ridge penalty that spares that column.
"""

from gdlab.models.base import Model
from gdlab.models.least_squares import LeastSquares
from gdlab.models.logistic import Logistic
from gdlab.models.penalty import InterceptFreeL2
from gdlab.models.softmax import Softmax

__all__ = ["InterceptFreeL2", "LeastSquares", "Logistic", "Model", "Softmax"]
