"""Objectives for gradient descent: least squares, logistic and softmax regression.

Each model is stateless and exposes ``loss``, ``grad``, ``predict`` and ``init_params``;
parameters are passed in. Models add no intercept: append a ones column to ``X``.
"""

from gdlab.models.base import Model
from gdlab.models.least_squares import LeastSquares
from gdlab.models.logistic import Logistic
from gdlab.models.softmax import Softmax

__all__ = ["LeastSquares", "Logistic", "Model", "Softmax"]
