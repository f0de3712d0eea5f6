"""The options of a descent: one frozen object, checked once, that every part of a run reads.

:class:`Options` is the keyword signature of :func:`gdlab.optim.descend` and
:func:`gdlab.optim.iterate`, written once: both take ``**options`` and build it, and their
``__signature__`` is derived from its fields.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from gdlab import schedules
from gdlab.optim.methods import make_rule
from gdlab.optim.rules import UpdateRule
from gdlab.optim.stopping import Stopper
from gdlab.trajectory import Trajectory

ENGINES = ("auto", "numpy", "gram", "numba", "dask")
GRANULARITIES = (None, "update", "record")


def _check_int(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}.")
    return int(value)


@dataclasses.dataclass(frozen=True)
class Options:
    """The settings of one run of :func:`gdlab.optim.descend` (see its parameters).

    ``rule`` is the update rule ``method`` names. ``every`` says when :func:`iterate` yields:
    after every update ("update"), at records and epoch ends only ("record"), or None, each
    stepper's own stretch (one update on the NumPy and Gram paths, a record or an epoch end on
    the compiled one).

    Examples
    --------
    >>> Options(epochs=3, lr=0.1, method="momentum").rule
    Momentum(momentum=0.9)
    >>> Options(epochs=3, lr_per="batch")
    Traceback (most recent call last):
    ...
    ValueError: lr_per must be 'epoch' or 'step', got 'batch'.
    """

    epochs: int
    lr: float | schedules.Schedule | None = None
    batch_size: int | None = None
    w0: ArrayLike | None = None
    method: str | UpdateRule = "gd"
    seed: int | np.random.Generator | None = None
    shuffle: bool = True
    lr_per: str = "epoch"
    record: str | int | None = "epoch"
    tol: float | None = None
    n_iter_no_change: int = 5
    tol_mode: str = "rel"
    gtol: float | None = None
    gtol_rel: float | None = None
    validation_fraction: float | None = None
    early_stopping: bool = False
    keep_best: bool = False
    plateau: schedules.ReduceOnPlateau | None = None
    resume: Trajectory | None = None
    engine: str = "auto"
    every: str | None = None
    progress: bool = False
    verbose: bool = False
    sample_weight: ArrayLike | None = dataclasses.field(default=None, repr=False, compare=False)
    rule: UpdateRule = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fix = object.__setattr__
        fix(self, "epochs", _check_int("epochs", self.epochs, 0))
        if self.batch_size is not None:
            fix(self, "batch_size", _check_int("batch_size", self.batch_size, 1))
        if self.lr_per not in ("epoch", "step"):
            raise ValueError(f"lr_per must be 'epoch' or 'step', got {self.lr_per!r}.")
        record = self.record
        if not (
            record is None
            or record in ("epoch", "step")
            or (isinstance(record, int) and record >= 1 and not isinstance(record, bool))
        ):
            raise ValueError(
                "record must be 'epoch', 'step' or an int k >= 1 (every k-th update), or None "
                f"(the start and the end only); got {record!r}."
            )
        if self.plateau is not None and not isinstance(self.plateau, schedules.ReduceOnPlateau):
            raise TypeError(
                f"plateau must be a gdlab.schedules.ReduceOnPlateau or None, got "
                f"{type(self.plateau).__name__}."
            )
        fraction = self.validation_fraction
        if fraction is not None and not (0.0 < fraction < 1.0):
            raise ValueError(f"validation_fraction must be in (0, 1) or None, got {fraction!r}.")
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, got {self.engine!r}.")
        if self.every not in GRANULARITIES:
            raise ValueError(f"every must be 'update', 'record' or None, got {self.every!r}.")
        for flag in ("progress", "verbose", "early_stopping", "keep_best"):
            value = getattr(self, flag)
            if not isinstance(value, bool):
                raise TypeError(f"{flag} must be True or False, got {value!r:.60}.")
        if self.early_stopping and fraction is None:
            raise ValueError(
                "early_stopping=True watches the loss on held-out rows: pass "
                "validation_fraction (e.g. 0.1) too."
            )
        if self.resume is not None and not isinstance(self.resume, Trajectory):
            raise TypeError(f"resume must be a Trajectory, got {type(self.resume).__name__}.")
        seed = self.seed
        if not (
            seed is None
            or isinstance(seed, np.random.Generator)
            or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool))
        ):
            raise TypeError(
                f"seed must be an int, a numpy.random.Generator or None, got {type(seed).__name__}."
            )
        self.stopper()  # checks tol, gtol, gtol_rel, n_iter_no_change and tol_mode
        fix(self, "rule", make_rule(self.method))

    @property
    def full_batch(self) -> bool:
        """One update per epoch, on all rows."""
        return self.batch_size is None

    def stopper(self) -> Stopper:
        """A fresh stopping rule for a run."""
        return Stopper(
            tol=self.tol, n_iter_no_change=self.n_iter_no_change, tol_mode=self.tol_mode,
            gtol=self.gtol, gtol_rel=self.gtol_rel, early_stopping=self.early_stopping,
        )  # fmt: skip


def takes_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give ``func(model, X, y, **options)`` the keyword signature of :class:`Options`."""
    params = list(inspect.signature(func).parameters.values())[:3]
    for field in dataclasses.fields(Options):
        if field.init:
            default = inspect.Parameter.empty if field.name == "epochs" else field.default
            params.append(
                inspect.Parameter(field.name, inspect.Parameter.KEYWORD_ONLY, default=default)
            )
    func.__signature__ = inspect.signature(func).replace(parameters=params)  # type: ignore[attr-defined]
    return func
