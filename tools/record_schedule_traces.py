"""Record golden learning-rate traces from the real PyTorch and Keras schedulers.

The frameworks are not gdlab dependencies, so this script installs them into a throwaway
virtual environment and re-runs itself there:

    python3 tools/record_schedule_traces.py            # makes /tmp/fw-venv, writes the fixture
    python3 tools/record_schedule_traces.py --no-venv  # run with the current interpreter

For PyTorch it drives a real optimizer and scheduler and reads ``param_groups[0]["lr"]`` before
each ``optimizer.step()``; for Keras it calls the ``LearningRateSchedule`` at each step (Keras 3 on
the torch backend, float64); for optax it calls the schedule function at each step (JAX with
64-bit floats). Each trace stores the framework class, its exact constructor
arguments and the gdlab text form that should reproduce it; ``tests/test_schedules_traces.py``
compares them to 1e-12 relative. gdlab itself is not imported here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "schedule_traces.json"
VENV = Path("/tmp/fw-venv")
PACKAGES = ["torch==2.13.0", "keras", "jax", "optax"]

# (class, constructor kwargs, base lr, steps, gdlab text)
TORCH_CASES: list[tuple[str, dict[str, Any], float, int, str]] = [
    ("ExponentialLR", {"gamma": 0.95}, 0.2, 30, "exponential(lr=0.2, gamma=0.95)"),
    ("StepLR", {"step_size": 3, "gamma": 0.5}, 0.1, 12, "step(lr=0.1, step_size=3, gamma=0.5)"),
    (
        "MultiStepLR",
        {"milestones": [3, 7], "gamma": 0.1},
        0.1,
        12,
        "multistep(lr=0.1, milestones=[3, 7], gamma=0.1)",
    ),
    (
        "LinearLR",
        {"start_factor": 0.25, "end_factor": 1.0, "total_iters": 5},
        0.1,
        10,
        "linear(lr=0.025, end_lr=0.1, total_steps=5)",
    ),
    (
        "PolynomialLR",
        {"total_iters": 6, "power": 2.0},
        0.1,
        10,
        "polynomial(lr=0.1, total_steps=6, power=2.0)",
    ),
    (
        "CosineAnnealingLR",
        {"T_max": 8, "eta_min": 0.001},
        0.1,
        25,
        "cosine(lr=0.1, total_steps=8, min_lr=0.001, dialect='torch')",
    ),
    (
        "CosineAnnealingWarmRestarts",
        {"T_0": 3, "T_mult": 2, "eta_min": 0.001},
        0.1,
        30,
        "cosine_restarts(lr=0.1, first_period=3, t_mult=2, min_lr=0.001)",
    ),
    (
        "CosineAnnealingWarmRestarts",
        {"T_0": 4, "T_mult": 1},
        0.1,
        13,
        "cosine_restarts(lr=0.1, first_period=4)",
    ),
    (
        "CyclicLR",
        {
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 3,
            "step_size_down": 5,
            "mode": "triangular",
            "cycle_momentum": False,
        },
        0.01,
        25,
        "cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=5)",
    ),
    (
        "CyclicLR",
        {
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 4,
            "mode": "triangular2",
            "cycle_momentum": False,
        },
        0.01,
        25,
        "cyclic(base_lr=0.01, max_lr=0.1, step_size_up=4, mode='triangular2')",
    ),
    (
        "CyclicLR",
        {
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 3,
            "mode": "exp_range",
            "gamma": 0.9,
            "cycle_momentum": False,
        },
        0.01,
        25,
        "cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, mode='exp_range', gamma=0.9)",
    ),
    (
        "OneCycleLR",
        {"max_lr": 0.1, "total_steps": 20, "cycle_momentum": False},
        0.1,
        20,
        "one_cycle(max_lr=0.1, total_steps=20)",
    ),
    (
        "OneCycleLR",
        {
            "max_lr": 0.1,
            "total_steps": 20,
            "pct_start": 0.25,
            "anneal_strategy": "linear",
            "div_factor": 10.0,
            "final_div_factor": 100.0,
            "three_phase": True,
            "cycle_momentum": False,
        },
        0.1,
        20,
        "one_cycle(max_lr=0.1, total_steps=20, pct_start=0.25, anneal='linear', "
        "div_factor=10.0, final_div_factor=100.0, three_phase=True)",
    ),
    # The lesson's lr_lambda = lambda epoch: 0.95 ** epoch, as a LambdaLR.
    (
        "LambdaLR",
        {"lr_lambda": "lambda epoch: 0.95 ** epoch"},
        0.2,
        20,
        "exponential(lr=0.2, gamma=0.95)",
    ),
]

# (class, constructor kwargs, steps, gdlab text)
KERAS_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    (
        "ExponentialDecay",
        {"initial_learning_rate": 0.2, "decay_steps": 3, "decay_rate": 0.9},
        12,
        "exponential(lr=0.2, gamma=0.9, decay_steps=3)",
    ),
    (
        "ExponentialDecay",
        {"initial_learning_rate": 0.2, "decay_steps": 3, "decay_rate": 0.9, "staircase": True},
        12,
        "exponential(lr=0.2, gamma=0.9, decay_steps=3, staircase=True)",
    ),
    (
        "PiecewiseConstantDecay",
        {"boundaries": [3, 7], "values": [0.1, 0.05, 0.01]},
        10,
        "piecewise_constant(values=[0.1, 0.05, 0.01], boundaries=[3, 7], dialect='keras')",
    ),
    (
        "PolynomialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 5, "end_learning_rate": 0.01, "power": 2.0},
        9,
        "polynomial(lr=0.1, total_steps=5, end_lr=0.01, power=2.0)",
    ),
    (
        "PolynomialDecay",
        {
            "initial_learning_rate": 0.1,
            "decay_steps": 5,
            "end_learning_rate": 0.01,
            "power": 2.0,
            "cycle": True,
        },
        17,
        "polynomial(lr=0.1, total_steps=5, end_lr=0.01, power=2.0, cycle=True)",
    ),
    (
        "InverseTimeDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 2, "decay_rate": 0.5},
        9,
        "inverse_time(lr=0.1, decay_rate=0.5, decay_steps=2)",
    ),
    (
        "InverseTimeDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 2, "decay_rate": 0.5, "staircase": True},
        9,
        "inverse_time(lr=0.1, decay_rate=0.5, decay_steps=2, staircase=True)",
    ),
    (
        "CosineDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 8, "alpha": 0.1},
        12,
        "cosine(lr=0.1, total_steps=8, min_lr=0.01)",
    ),
    (
        "CosineDecay",
        {"initial_learning_rate": 0.0, "decay_steps": 8, "warmup_target": 0.1, "warmup_steps": 4},
        16,
        "warmup_cosine(lr=0.1, warmup_steps=4, decay_steps=8, dialect='keras')",
    ),
    (
        "CosineDecayRestarts",
        {
            "initial_learning_rate": 0.1,
            "first_decay_steps": 3,
            "t_mul": 2.0,
            "m_mul": 0.8,
            "alpha": 0.05,
        },
        30,
        "cosine_restarts(lr=0.1, first_period=3, t_mult=2, m_mult=0.8, min_lr=0.005)",
    ),
    (
        "CosineDecayRestarts",
        {"initial_learning_rate": 0.1, "first_decay_steps": 4, "t_mul": 1.0},
        13,
        "cosine_restarts(lr=0.1, first_period=4)",
    ),
]

# (function, keyword arguments, steps, gdlab text); optax runs on JAX with 64-bit floats.
OPTAX_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    (
        "exponential_decay",
        {"init_value": 0.2, "transition_steps": 3, "decay_rate": 0.9},
        12,
        "exponential(lr=0.2, gamma=0.9, decay_steps=3)",
    ),
    (
        "exponential_decay",
        {"init_value": 0.2, "transition_steps": 3, "decay_rate": 0.9, "staircase": True},
        12,
        "exponential(lr=0.2, gamma=0.9, decay_steps=3, staircase=True)",
    ),
    (
        "exponential_decay",
        {"init_value": 0.2, "transition_steps": 2, "decay_rate": 0.8, "end_value": 0.05},
        20,
        "exponential(lr=0.2, gamma=0.8, decay_steps=2, end_lr=0.05)",
    ),
    (
        "piecewise_constant_schedule",
        {"init_value": 0.1, "boundaries_and_scales": {3: 0.5, 7: 0.2}},
        10,
        "piecewise_constant(values=[0.1, 0.05, 0.01], boundaries=[3, 7], dialect='optax')",
    ),
    (
        "linear_schedule",
        {"init_value": 0.0, "end_value": 0.1, "transition_steps": 5},
        8,
        "linear(lr=0.0, end_lr=0.1, total_steps=5)",
    ),
    (
        "polynomial_schedule",
        {"init_value": 0.1, "end_value": 0.01, "power": 2, "transition_steps": 6},
        9,
        "polynomial(lr=0.1, total_steps=6, end_lr=0.01, power=2.0)",
    ),
    (
        "cosine_decay_schedule",
        {"init_value": 0.1, "decay_steps": 8, "alpha": 0.1, "exponent": 2.0},
        12,
        "cosine(lr=0.1, total_steps=8, min_lr=0.01, exponent=2.0)",
    ),
    (
        "warmup_cosine_decay_schedule",
        {
            "init_value": 0.01,
            "peak_value": 0.1,
            "warmup_steps": 4,
            "decay_steps": 12,
            "end_value": 0.001,
        },
        16,
        "warmup_cosine(lr=0.1, warmup_steps=4, decay_steps=12, start_lr=0.01, min_lr=0.001)",
    ),
    (
        "cosine_onecycle_schedule",
        {"transition_steps": 20, "peak_value": 0.1},
        25,
        "one_cycle(max_lr=0.1, total_steps=20, dialect='optax')",
    ),
    (
        "linear_onecycle_schedule",
        {
            "transition_steps": 20,
            "peak_value": 0.1,
            "pct_start": 0.25,
            "pct_final": 0.8,
            "div_factor": 10.0,
            "final_div_factor": 100.0,
        },
        25,
        "one_cycle(max_lr=0.1, total_steps=20, pct_start=0.25, anneal='linear', "
        "div_factor=10.0, final_div_factor=100.0, three_phase=True, dialect='optax', "
        "pct_final=0.8)",
    ),
    # SGDR as optax builds it: join_schedules of warmup-cosine cycles.
    (
        "sgdr_schedule",
        {
            "cosine_kwargs": [
                {"init_value": 0.0, "peak_value": 0.1, "warmup_steps": 2, "decay_steps": 6},
                {"init_value": 0.0, "peak_value": 0.05, "warmup_steps": 2, "decay_steps": 10},
            ]
        },
        20,
        "join([warmup_cosine(lr=0.1, warmup_steps=2, decay_steps=6), "
        "warmup_cosine(lr=0.05, warmup_steps=2, decay_steps=10)], boundaries=[6])",
    ),
]

# Metric sequences with improvements, plateaus and a relapse, for reduce-on-plateau.
METRICS = [
    1.0,
    0.8,
    0.7,
    0.7,
    0.69,
    0.7,
    0.71,
    0.5,
    0.5,
    0.5,
    0.5,
    0.5,
    0.5,
    0.49,
    0.6,
    0.45,
    0.45,
    0.45,
    0.45,
    0.45,
    0.45,
    0.45,
    0.45,
    0.3,
    0.3,
    0.3,
    0.3,
    0.3,
    0.3,
    0.3,
]
PLATEAU_CASES: list[dict[str, Any]] = [
    {
        "mode": "min",
        "factor": 0.5,
        "patience": 2,
        "threshold": 0.01,
        "threshold_mode": "rel",
        "cooldown": 1,
        "min_lr": 0.004,
    },
    {
        "mode": "min",
        "factor": 0.5,
        "patience": 0,
        "threshold": 0.005,
        "threshold_mode": "abs",
        "cooldown": 0,
        "min_lr": 0.0,
    },
    {
        "mode": "max",
        "factor": 0.3,
        "patience": 1,
        "threshold": 0.001,
        "threshold_mode": "rel",
        "cooldown": 2,
        "min_lr": 0.0,
    },
]


def torch_traces() -> list[dict[str, Any]]:
    import torch

    out: list[dict[str, Any]] = []
    for name, kwargs, base_lr, steps, text in TORCH_CASES:
        param = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([param], lr=base_lr)
        args = dict(kwargs)
        if name == "LambdaLR":
            args["lr_lambda"] = lambda epoch: 0.95**epoch
        sched = getattr(torch.optim.lr_scheduler, name)(opt, **args)
        values = []
        for _ in range(steps):
            values.append(float(opt.param_groups[0]["lr"]))
            opt.step()
            sched.step()
        out.append(
            {
                "framework": "torch",
                "class": name,
                "args": kwargs,
                "base_lr": base_lr,
                "gdlab": text,
                "values": values,
            }
        )
    for kwargs in PLATEAU_CASES:
        metrics = METRICS if kwargs["mode"] == "min" else [-m for m in METRICS]
        param = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([param], lr=0.1)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
        values = []
        for m in metrics:
            opt.step()
            sched.step(m)
            values.append(float(opt.param_groups[0]["lr"]))
        out.append(
            {
                "framework": "torch",
                "class": "ReduceLROnPlateau",
                "args": kwargs,
                "base_lr": 0.1,
                "metrics": metrics,
                "values": values,
                "gdlab": "ReduceOnPlateau(dialect='torch')",
            }
        )
    return out


def keras_traces() -> list[dict[str, Any]]:
    import keras

    keras.config.set_floatx("float64")
    out: list[dict[str, Any]] = []
    for name, kwargs, steps, text in KERAS_CASES:
        sched = getattr(keras.optimizers.schedules, name)(**kwargs)
        values = [float(keras.ops.convert_to_numpy(sched(t))) for t in range(steps)]
        out.append(
            {"framework": "keras", "class": name, "args": kwargs, "gdlab": text, "values": values}
        )
    for kwargs in PLATEAU_CASES:
        metrics = METRICS if kwargs["mode"] == "min" else [-m for m in METRICS]
        keras_args = {
            "monitor": "val_loss",
            "mode": kwargs["mode"],
            "factor": kwargs["factor"],
            "patience": kwargs["patience"],
            "min_delta": kwargs["threshold"],
            "cooldown": kwargs["cooldown"],
            "min_lr": kwargs["min_lr"],
        }
        callback = keras.callbacks.ReduceLROnPlateau(**keras_args)
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
        callback.set_model(model)
        callback.on_train_begin()
        values = []
        for epoch, m in enumerate(metrics):
            callback.on_epoch_end(epoch, {"val_loss": m})
            values.append(float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)))
        # floatx is float64, so the optimizer's learning-rate variable keeps full precision.
        out.append(
            {
                "framework": "keras",
                "class": "ReduceLROnPlateau",
                "args": keras_args,
                "base_lr": 0.1,
                "metrics": metrics,
                "values": values,
                "gdlab": "ReduceOnPlateau(dialect='keras', threshold_mode='abs')",
            }
        )
    return out


def optax_traces() -> list[dict[str, Any]]:
    import jax  # type: ignore[import-not-found,unused-ignore]

    jax.config.update("jax_enable_x64", True)
    import optax  # type: ignore[import-not-found,unused-ignore]

    out: list[dict[str, Any]] = []
    for name, kwargs, steps, text in OPTAX_CASES:
        sched = getattr(optax.schedules, name)(**kwargs)
        values = [float(sched(t)) for t in range(steps)]
        # JSON object keys are strings; the dict of boundaries is stored as pairs.
        args = {k: (sorted(v.items()) if isinstance(v, dict) else v) for k, v in kwargs.items()}
        out.append(
            {"framework": "optax", "class": name, "args": args, "gdlab": text, "values": values}
        )
    return out


def record() -> None:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import jax  # type: ignore[import-not-found,unused-ignore]
    import keras
    import numpy
    import optax  # type: ignore[import-not-found,unused-ignore]
    import torch

    data = {
        "generated_by": "tools/record_schedule_traces.py",
        "versions": {
            "torch": torch.__version__,
            "keras": keras.__version__,
            "keras_backend": keras.backend.backend(),
            "jax": jax.__version__,
            "optax": optax.__version__,
            "numpy": numpy.__version__,
            "python": sys.version.split()[0],
        },
        "traces": torch_traces() + keras_traces() + optax_traces(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=OUT.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1)
            fh.write("\n")
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would make the fixture private to its writer
        os.replace(tmp, OUT)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)  # a failed dump leaves no stray temporary file
        raise
    print(f"wrote {len(data['traces'])} traces to {OUT} with {data['versions']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-venv", action="store_true", help="use the current interpreter")
    args = parser.parse_args()
    if args.no_venv:
        record()
        return
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    # Idempotent: quick when everything is there, completes an older environment otherwise.
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
    env = dict(os.environ, KERAS_BACKEND="torch")
    subprocess.run([str(python), __file__, "--no-venv"], check=True, env=env)


if __name__ == "__main__":
    main()
