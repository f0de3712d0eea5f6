"""Objectives for gradient descent: least squares, logistic and softmax regression.

Each model is stateless: it defines its loss once, as a function of ``z = X w`` with its
residual (``link``), and derives ``loss``, ``grad``, ``loss_grad`` and ``grad_into`` from it;
parameters are passed in. Models add no intercept: append a ones column to ``X``. Every model
carries one ``L2`` penalty; ``InterceptFreeL2`` wraps a model with a ridge penalty that spares
that column.
"""

from gdlab.models.base import Model
from gdlab.models.l2 import L2
from gdlab.models.least_squares import LeastSquares
from gdlab.models.logistic import Logistic
from gdlab.models.penalty import InterceptFreeL2
from gdlab.models.softmax import Softmax

__all__ = ["L2", "InterceptFreeL2", "LeastSquares", "Logistic", "Model", "Softmax"]
