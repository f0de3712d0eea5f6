"""A run's state, and the one place that knows how a Trajectory saves it for an exact resume.

:func:`start` checks the data, splits off the validation rows and builds the state at the
start of a run, or restores it from the trajectory of an earlier one; :meth:`RunState.saved`
writes it back. N epochs then a resume with M more equals N + M epochs, bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab import schedules
from gdlab.dask_types import is_dask
from gdlab.models import Model
from gdlab.optim.options import Options
from gdlab.optim.rules import State
from gdlab.optim.stopping import Stopper
from gdlab.optim.weights import mean_one, row_weights
from gdlab.trajectory import Trajectory

Array = NDArray[np.float64]
# Settings that must not change when a run is resumed (they shape the state or the batches).
_FIXED_ON_RESUME = (
    "model", "method", "batch_size", "shuffle", "n_samples", "n_features", "lr_per", "record",
    "validation_fraction", "sample_weight",
)  # fmt: skip


@dataclass
class RunState:
    """Where a run stands: parameters, rule, plateau and stopper state, generator, counters,
    and (``keep_best``) the iterate with the lowest monitored loss so far."""

    w: Array
    rule: State
    plateau: schedules.PlateauState | None
    stopper: Stopper
    rng: np.random.Generator
    val_index: NDArray[np.int64] | None = None
    epoch: int = 0
    step: int = 0
    samples: int = 0
    time0: float = 0.0  # seconds already spent (by the run a resume continues)
    lr: float = math.nan  # the last update's rate and scheduled momentum, for the records
    momentum: float = math.nan
    status: str = "max_epochs"
    reason: str = ""
    best_w: Array | None = None
    best_loss: float = math.inf
    best_epoch: int = 0

    def keep_if_best(self, loss: float) -> None:
        """Copy ``w`` as the best iterate when ``loss`` is below the best so far."""
        if self.best_w is not None and loss < self.best_loss:
            self.best_w[...] = self.w
            self.best_loss, self.best_epoch = loss, self.epoch

    def saved(self, last_row_extra: bool) -> dict[str, Any]:
        """The state as a Trajectory keeps it (``last_row_extra``: the final row is not one
        the run would record, so a resume drops it)."""
        state: dict[str, Any] = {
            "rng": self.rng.bit_generator.state,
            "epoch_done": self.epoch,
            "step_done": self.step,
            "samples_done": self.samples,
            "last_row_extra": last_row_extra,
            "stopper": self.stopper.state(),
            **{f"rule.{key}": np.array(value) for key, value in self.rule.items()},
        }
        if self.plateau is not None:
            state["plateau"] = self.plateau.to_dict()
        if self.val_index is not None:
            state["val_index"] = self.val_index
        if self.best_w is not None:
            state["best_w"] = self.best_w.copy()
            best = self.best_loss
            state["best_loss"] = best if math.isfinite(best) else str(best)
            state["best_epoch"] = self.best_epoch
        return state


@dataclass
class Start:
    """What :func:`start` prepares: training and validation rows (with their row weights,
    each part scaled to mean 1), schedule, state, config."""

    X: Array
    y: NDArray[Any]
    X_val: Array | None
    y_val: NDArray[Any] | None
    schedule: schedules.Schedule
    state: RunState
    config: dict[str, Any]
    resume: Trajectory | None = None
    kept_rows: int = 0  # rows of the resumed trajectory that the new one starts with
    weight: Array | None = None
    weight_val: Array | None = None


def start(model: Model, X: ArrayLike, y: ArrayLike, options: Options) -> Start:
    """Check the data against ``model`` and build the run's starting state."""
    if not isinstance(model, Model):
        raise TypeError(
            f"model must be a gdlab model (LeastSquares, Logistic, Softmax), got "
            f"{type(model).__name__}."
        )
    # The NaN/inf scan is left to the first loss evaluation (one pass fewer).
    if is_dask(X) or is_dask(y):  # checked lazily, chunk by chunk, where the data are
        from gdlab.optim import dask_stepper

        Xa, ya = dask_stepper.check(model, X, y, options)
    else:
        Xa, ya = model.check(X, y, finite=False)
    n, d = Xa.shape
    if n == 0:
        raise ValueError("X has no rows; gradient descent needs at least one sample.")
    weight = None if options.sample_weight is None else row_weights(options.sample_weight, Xa)
    fixed = _fixed(options, model, n, d)
    resume = options.resume
    if resume is not None:
        _check_resume(resume, fixed, options)
    lr = options.lr
    if lr is None:
        if resume is None or not resume.config.get("schedule"):
            raise TypeError("descend() needs lr= (a positive float or a gdlab Schedule).")
        lr = schedules.from_dict(resume.config["schedule"])
    schedule = schedules.as_schedule(lr)
    config = _config(options, fixed, schedule)
    # Randomness: the validation split first, then one permutation per epoch.
    if resume is not None:
        rng = _rng_from_state(dict(resume.state.get("rng") or {}))
    elif isinstance(options.seed, np.random.Generator):
        rng = options.seed
    else:
        rng = np.random.default_rng(options.seed)
    val_index = _validation_rows(n, options.validation_fraction, rng, resume)
    # The parameters' shape comes from all rows: a class seen only in the held-out rows
    # still gets its Softmax column.
    if resume is not None:
        w = np.array(resume.params[-1], dtype=np.float64)
    elif options.w0 is None:
        w = model.init_params(Xa, ya)
    else:
        w = model.check_params(options.w0, Xa, ya)
    X_val = y_val = weight_val = None
    if val_index is not None:
        keep = np.ones(n, dtype=bool)
        keep[val_index] = False
        X_val, y_val = Xa[val_index], ya[val_index]
        Xa, ya = np.ascontiguousarray(Xa[keep]), np.ascontiguousarray(ya[keep])
        if weight is not None:
            weight, weight_val = mean_one(weight[keep]), mean_one(weight[val_index])
    rule = options.rule
    plateau = options.plateau
    state = RunState(
        w=w,
        rule=rule.init(w),
        plateau=plateau.init() if plateau is not None else None,
        stopper=options.stopper(),
        rng=rng,
        val_index=val_index,
        best_w=w.copy() if options.keep_best else None,
    )
    out = Start(Xa, ya, X_val, y_val, schedule, state, config, resume, 0, weight, weight_val)
    if resume is None:
        config["epochs"] = options.epochs
        return out
    config["seed"] = resume.config.get("seed")
    config["epochs"] = resume.n_epochs + options.epochs
    saved = resume.state
    state.epoch, state.step = int(saved["epoch_done"]), int(saved["step_done"])
    state.samples = int(saved["samples_done"])
    state.time0 = float(resume.time[-1])
    state.rule = _rule_state(saved, state.rule)
    state.stopper.restore(dict(saved.get("stopper") or {}))
    if plateau is not None:
        state.plateau = schedules.PlateauState.from_dict(saved["plateau"])
    if state.best_w is not None and "best_w" in saved:
        state.best_w = np.array(saved["best_w"], dtype=np.float64).reshape(w.shape)
        state.best_loss = float(saved["best_loss"])
        state.best_epoch = int(saved["best_epoch"])
    out.kept_rows = len(resume) - (1 if saved.get("last_row_extra") else 0)
    return out


def _fixed(options: Options, model: Model, n: int, d: int) -> dict[str, Any]:
    """The settings that shape a run's state and batches (a resume must keep them)."""
    return {
        "model": repr(model),
        "model_class": type(model).__name__,
        "l2": model.l2,
        "method": repr(options.rule),
        "method_name": options.rule.name,
        "batch_size": options.batch_size,
        "shuffle": bool(options.shuffle),
        "lr_per": options.lr_per,
        "record": options.record,
        "validation_fraction": options.validation_fraction,
        "sample_weight": None if options.sample_weight is None else "given",
        "n_samples": n,
        "n_features": d,
    }


def _config(
    options: Options, fixed: dict[str, Any], schedule: schedules.Schedule
) -> dict[str, Any]:
    """The run's settings as its Trajectory records them (``engine`` and ``epochs`` are added
    once known)."""
    seed = options.seed
    try:
        saved_schedule = schedules.to_dict(schedule)
    except (TypeError, ValueError):  # a schedule built on a Python callable cannot be saved
        saved_schedule = None
    return {
        **fixed,
        "lr": str(schedule),
        "schedule": saved_schedule,
        "seed": int(seed)
        if isinstance(seed, (int, np.integer))
        else (None if seed is None else "Generator"),
        "plateau": repr(options.plateau) if options.plateau is not None else None,
        "tol": options.tol,
        "tol_mode": options.tol_mode,
        "n_iter_no_change": options.n_iter_no_change,
        "gtol": options.gtol,
        "engine": options.engine,
    }


def _validation_rows(
    n: int, fraction: float | None, rng: np.random.Generator, resume: Trajectory | None
) -> NDArray[np.int64] | None:
    if fraction is None:
        return None
    if resume is not None:
        return np.asarray(resume.state.get("val_index"), dtype=np.int64)
    n_val = max(1, int(fraction * n))
    if n_val >= n:
        raise ValueError(
            f"validation_fraction={fraction} leaves no training rows out of {n}; use a "
            "smaller fraction."
        )
    return np.sort(rng.permutation(n)[:n_val]).astype(np.int64)


def _rule_state(saved: dict[str, Any], fresh: State) -> State:
    """The update rule's saved arrays (``rule.KEY``), checked against a fresh state."""
    out: State = {}
    for key, value in fresh.items():
        stored = saved.get(f"rule.{key}")
        if stored is None or np.shape(stored) != value.shape:
            raise ValueError(
                f"the trajectory to resume lacks update-rule state {key!r} of shape "
                f"{value.shape}; resume with the same method it was run with."
            )
        out[key] = np.array(stored, dtype=np.float64)
    return out


def _rng_from_state(state: dict[str, Any]) -> np.random.Generator:
    name = state.get("bit_generator")
    cls = getattr(np.random, str(name), None)
    if cls is None or not isinstance(cls, type) or not issubclass(cls, np.random.BitGenerator):
        raise ValueError(f"the trajectory's RNG state names an unknown bit generator {name!r}.")
    bitgen = cls()
    try:
        bitgen.state = state
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        raise ValueError(
            f"the trajectory's RNG state is damaged ({type(exc).__name__}: {exc}); resume "
            "only from a trajectory descend() saved, unedited."
        ) from exc
    return np.random.Generator(bitgen)


def _check_resume(resume: Trajectory, fixed: dict[str, Any], options: Options) -> None:
    if options.w0 is not None:
        raise ValueError(
            "w0 and resume cannot be combined: a resumed run starts where the trajectory "
            "ended; drop w0 (or drop resume to start afresh from w0)."
        )
    if resume.status == "diverged":
        raise ValueError(
            f"cannot resume a run that diverged; start again with a smaller lr ({resume.reason})."
        )
    for key in ("rng", "epoch_done"):
        if key not in resume.state:
            raise ValueError(
                f"the trajectory to resume has no saved {key!r} state; only "
                "trajectories returned by descend() (or saved from one) resume."
            )
    changed = [key for key in _FIXED_ON_RESUME if resume.config.get(key) != fixed[key]]
    if changed:
        detail = ", ".join(f"{k}: {resume.config.get(k)!r} -> {fixed[k]!r}" for k in changed)
        raise ValueError(
            f"resume must keep the settings the run started with; changed {detail}. "
            "Pass the same data, model and options as the first call."
        )
    if not math.isfinite(float(resume.loss[-1])):
        raise ValueError("the trajectory to resume ends at a non-finite loss; start again.")
    if (options.plateau is not None) != ("plateau" in resume.state):
        had = "with" if "plateau" in resume.state else "without"
        raise ValueError(
            f"the run to resume was started {had} plateau=; resume it the same way (its "
            "plateau state carries on), or start a new run to change it."
        )
