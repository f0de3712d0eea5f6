"""The gradient-descent engine: ``descend`` (and its generator form ``iterate``).

Full-batch, stochastic and mini-batch descent with pluggable update rules, learning-rate
schedules, stopping rules, divergence detection, the best iterate, recording and exact resume.
"""

from gdlab.optim.accelerated import Accelerated
from gdlab.optim.descend import descend, iterate
from gdlab.optim.loop import Step
from gdlab.optim.methods import RULES, make_rule
from gdlab.optim.rules import GD, AdaGrad, Adam, Momentum, Nesterov, RMSProp, UpdateRule

__all__ = [
    "GD",
    "RULES",
    "Accelerated",
    "AdaGrad",
    "Adam",
    "Momentum",
    "Nesterov",
    "RMSProp",
    "Step",
    "UpdateRule",
    "descend",
    "iterate",
    "make_rule",
]
