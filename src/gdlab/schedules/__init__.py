"""Learning-rate schedules: pure functions ``lr = s(t)`` of a 0-based step counter.

Every schedule is a frozen dataclass that prints as the call that built it, compares equal by
value and round-trips through `to_dict`/`from_dict` and its text form (`parse`). Composition
(`join`, `warmup`, `scaled`, `product`) adds no formula; `cycled_momentum` is the momentum
that PyTorch cycles against `cyclic` and `one_cycle`; `ReduceOnPlateau` is a separate
controller with explicit state. See the README's schedule table for the PyTorch / Keras / optax
names of each schedule.
"""

from gdlab.schedules.adapters import to_keras, to_torch
from gdlab.schedules.annealing import cosine, linear, polynomial
from gdlab.schedules.base import SCHEDULES, Schedule, from_dict, to_dict
from gdlab.schedules.basic import (
    constant,
    exponential,
    factor,
    inverse_time,
    multistep,
    piecewise_constant,
    step,
)
from gdlab.schedules.check import Finding, check
from gdlab.schedules.compose import join, product, scaled, warmup
from gdlab.schedules.cyclic import cyclic, one_cycle
from gdlab.schedules.momentum import cycled_momentum
from gdlab.schedules.phased import warmup_cosine, warmup_stable_decay
from gdlab.schedules.plateau import PlateauState, ReduceOnPlateau
from gdlab.schedules.restarts import cosine_restarts
from gdlab.schedules.sklearn_rates import invscaling, optimal
from gdlab.schedules.text import as_schedule, parse

__all__ = [
    "SCHEDULES",
    "Finding",
    "PlateauState",
    "ReduceOnPlateau",
    "Schedule",
    "as_schedule",
    "check",
    "constant",
    "cosine",
    "cosine_restarts",
    "cycled_momentum",
    "cyclic",
    "exponential",
    "factor",
    "from_dict",
    "inverse_time",
    "invscaling",
    "join",
    "linear",
    "multistep",
    "one_cycle",
    "optimal",
    "parse",
    "piecewise_constant",
    "polynomial",
    "product",
    "scaled",
    "step",
    "to_dict",
    "to_keras",
    "to_torch",
    "warmup",
    "warmup_cosine",
    "warmup_stable_decay",
]
