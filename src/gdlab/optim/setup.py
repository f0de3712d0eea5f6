"""Checking a descent's arguments once, choosing its engine, and restoring a resumed run."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab import schedules
from gdlab.models import LeastSquares, Logistic, Model
from gdlab.optim.rules import GD, UpdateRule, make_rule
from gdlab.trajectory import Trajectory

Array = NDArray[np.float64]
ENGINES = ("auto", "numpy", "gram", "numba")
# Above this batch size BLAS on contiguous views beats the compiled loop, and the per-batch
# Python overhead it removes no longer matters.
COMPILED_MAX_BATCH = 1024
# Settings that must not change when a run is resumed (they shape the state or the batches).
_FIXED_ON_RESUME = (
    "model",
    "method",
    "batch_size",
    "shuffle",
    "n_samples",
    "n_features",
    "lr_per",
    "record",
    "validation_fraction",
)


@dataclass
class Plan:
    """Everything a run needs, validated: data, rule, schedule, engine and starting state."""

    model: Model
    X: Array
    y: NDArray[Any]
    X_val: Array | None
    y_val: NDArray[Any] | None
    schedule: schedules.Schedule
    rule: UpdateRule
    batch_size: int | None
    shuffle: bool
    lr_per: str
    record: str | int
    plateau: schedules.ReduceOnPlateau | None
    engine: str
    rng: np.random.Generator
    epochs: int
    w: Array
    config: dict[str, Any]
    resume: Trajectory | None = None
    resume_rows: int = 0
    val_index: NDArray[np.int64] | None = None


def _check_int(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}.")
    return int(value)


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


def _has_kernel(model: Model) -> bool:
    # Imported here: loading numba costs a fraction of a second, paid only when it can help.
    from gdlab.optim import compiled

    return compiled.kernel(type(model).__name__, 1) is not None


def _choose_engine(
    engine: str, model: Model, rule: UpdateRule, batch_size: int | None, validation: bool
) -> str:
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}.")
    gram_ok = type(model) is LeastSquares and batch_size is None and not validation
    numba_ok = (
        batch_size is not None
        and batch_size <= COMPILED_MAX_BATCH
        and type(rule) in (GD, UpdateRule)
        and type(model) in (LeastSquares, Logistic)
        and _has_kernel(model)
    )
    if engine == "gram" and not gram_ok:
        raise ValueError(
            "engine='gram' needs LeastSquares, batch_size=None and no validation "
            "split; use engine='auto' to pick the fastest valid engine."
        )
    if engine == "numba" and not numba_ok:
        raise ValueError(
            f"engine='numba' needs 1 <= batch_size <= {COMPILED_MAX_BATCH}, method='gd', a "
            "LeastSquares or Logistic model and numba installed; use engine='auto'."
        )
    if engine == "auto":
        return "gram" if gram_ok else "numba" if numba_ok else "numpy"
    return engine


def make_plan(
    model: Model,
    X: ArrayLike,
    y: ArrayLike,
    *,
    lr: Any,
    epochs: int,
    batch_size: int | None,
    w0: ArrayLike | None,
    method: str | UpdateRule,
    seed: int | np.random.Generator | None,
    shuffle: bool,
    lr_per: str,
    record: str | int,
    validation_fraction: float | None,
    plateau: schedules.ReduceOnPlateau | None,
    resume: Trajectory | None,
    engine: str,
    stop_config: dict[str, Any],
) -> Plan:
    """Validate every argument of :func:`gdlab.optim.descend` and build the run's plan."""
    if not isinstance(model, Model):
        raise TypeError(
            f"model must be a gdlab model (LeastSquares, Logistic, Softmax), got "
            f"{type(model).__name__}."
        )
    # The NaN/inf scan is left to the engine's first loss evaluation (one pass fewer).
    Xa, ya = model.check(X, y, finite=False)
    n, d = Xa.shape
    if n == 0:
        raise ValueError("X has no rows; gradient descent needs at least one sample.")
    epochs = _check_int("epochs", epochs, 0)
    if batch_size is not None:
        batch_size = _check_int("batch_size", batch_size, 1)
    if lr_per not in ("epoch", "step"):
        raise ValueError(f"lr_per must be 'epoch' or 'step', got {lr_per!r}.")
    if not (
        record in ("epoch", "step")
        or (isinstance(record, int) and record >= 1 and not isinstance(record, bool))
    ):
        raise ValueError(
            f"record must be 'epoch', 'step' or an int k >= 1 (every k-th update), got {record!r}."
        )
    if plateau is not None and not isinstance(plateau, schedules.ReduceOnPlateau):
        raise TypeError(
            f"plateau must be a gdlab.schedules.ReduceOnPlateau or None, got "
            f"{type(plateau).__name__}."
        )
    if validation_fraction is not None and not (0.0 < validation_fraction < 1.0):
        raise ValueError(
            f"validation_fraction must be in (0, 1) or None, got {validation_fraction!r}."
        )
    rule = make_rule(method)
    fixed: dict[str, Any] = {
        "model": repr(model),
        "model_class": type(model).__name__,
        "l2": model.l2,
        "method": repr(rule),
        "method_name": rule.name,
        "batch_size": batch_size,
        "shuffle": bool(shuffle),
        "lr_per": lr_per,
        "record": record,
        "validation_fraction": validation_fraction,
        "n_samples": n,
        "n_features": d,
    }
    if resume is not None:
        if not isinstance(resume, Trajectory):
            raise TypeError(f"resume must be a Trajectory, got {type(resume).__name__}.")
        if w0 is not None:
            raise ValueError(
                "w0 and resume cannot be combined: a resumed run starts where the trajectory "
                "ended; drop w0 (or drop resume to start afresh from w0)."
            )
        _check_resume(resume, fixed)
        if (plateau is not None) != ("plateau" in resume.state):
            had = "with" if "plateau" in resume.state else "without"
            raise ValueError(
                f"the run to resume was started {had} plateau=; resume it the same way (its "
                "plateau state carries on), or start a new run to change it."
            )
    if lr is None:
        if resume is None or not resume.config.get("schedule"):
            raise TypeError("descend() needs lr= (a positive float or a gdlab Schedule).")
        lr = schedules.from_dict(resume.config["schedule"])
    schedule = schedules.as_schedule(lr)

    # Randomness: the validation split first, then one permutation per epoch.
    if resume is not None:
        rng = _rng_from_state(dict(resume.state.get("rng") or {}))
    elif isinstance(seed, np.random.Generator):
        rng = seed
    elif seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)):
        rng = np.random.default_rng(seed)
    else:
        raise TypeError(
            f"seed must be an int, a numpy.random.Generator or None, got {type(seed).__name__}."
        )
    val_index: NDArray[np.int64] | None = None
    if validation_fraction is not None:
        if resume is not None:
            val_index = np.asarray(resume.state.get("val_index"), dtype=np.int64)
        else:
            n_val = max(1, int(validation_fraction * n))
            if n_val >= n:
                raise ValueError(
                    f"validation_fraction={validation_fraction} leaves no training "
                    f"rows out of {n}; use a smaller fraction."
                )
            val_index = np.sort(rng.permutation(n)[:n_val]).astype(np.int64)
    # The parameters' shape comes from all rows: a class seen only in the held-out rows
    # still gets its Softmax column.
    X_all, y_all = Xa, ya
    X_val = y_val = None
    if val_index is not None:
        keep = np.ones(n, dtype=bool)
        keep[val_index] = False
        X_val, y_val = Xa[val_index], ya[val_index]
        Xa, ya = np.ascontiguousarray(Xa[keep]), np.ascontiguousarray(ya[keep])

    config: dict[str, Any] = {
        **fixed,
        "lr": str(schedule),
        "schedule": _schedule_dict(schedule),
        "seed": int(seed)
        if isinstance(seed, (int, np.integer))
        else (None if seed is None else "Generator"),
        "plateau": repr(plateau) if plateau is not None else None,
        **stop_config,
    }
    chosen = _choose_engine(engine, model, rule, batch_size, X_val is not None)
    config["engine"] = chosen
    resume_rows = 0
    if resume is not None:
        config["seed"] = resume.config.get("seed")
        w = np.array(resume.params[-1], dtype=np.float64)
        resume_rows = len(resume) - (1 if resume.state.get("last_row_extra") else 0)
        config["epochs"] = resume.n_epochs + epochs
    else:
        w = model.init_params(X_all, y_all) if w0 is None else model.check_params(w0, X_all, y_all)
        config["epochs"] = epochs
    return Plan(
        model=model,
        X=Xa,
        y=ya,
        X_val=X_val,
        y_val=y_val,
        schedule=schedule,
        rule=rule,
        batch_size=batch_size,
        shuffle=shuffle,
        lr_per=lr_per,
        record=record,
        plateau=plateau,
        engine=chosen,
        rng=rng,
        epochs=epochs,
        w=w,
        config=config,
        resume=resume,
        resume_rows=resume_rows,
        val_index=val_index,
    )


def _schedule_dict(schedule: schedules.Schedule) -> dict[str, Any] | None:
    try:
        return schedules.to_dict(schedule)
    except (TypeError, ValueError):  # a schedule built on a Python callable cannot be saved
        return None


def _check_resume(resume: Trajectory, config: dict[str, Any]) -> None:
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
    changed = [key for key in _FIXED_ON_RESUME if resume.config.get(key) != config[key]]
    if changed:
        detail = ", ".join(f"{k}: {resume.config.get(k)!r} -> {config[k]!r}" for k in changed)
        raise ValueError(
            f"resume must keep the settings the run started with; changed {detail}. "
            "Pass the same data, model and options as the first call."
        )
    if not math.isfinite(float(resume.loss[-1])):
        raise ValueError("the trajectory to resume ends at a non-finite loss; start again.")
