"""Record golden learning-rate traces from the real PyTorch and Keras schedulers.

The frameworks are not gdlab dependencies, so this script installs them into a throwaway
virtual environment and re-runs itself there:

    python3 tools/record_schedule_traces.py            # makes /tmp/fw-venv, writes the fixture
    python3 tools/record_schedule_traces.py --no-venv  # run with the current interpreter

PyTorch's wheel on the package index pulls CUDA libraries; the script installs the CPU build from
a local wheel instead (``--torch-wheel``, default the one under /opt/wheels) and refuses to go on
without one.

For PyTorch it drives a real optimizer and scheduler and reads ``param_groups[0]["lr"]`` (and,
with ``cycle_momentum``, the momentum or Adam's ``beta1``) before each ``optimizer.step()``; it
also records short training runs whose rate and momentum both follow the schedule, and the
rates of ``ReduceLROnPlateau`` on top of ``ExponentialLR``. For Keras it calls the
``LearningRateSchedule`` at each step (Keras 3 on the torch backend, float64); for optax it
calls the schedule function at each step (JAX with 64-bit floats). Each trace stores the
framework class, its exact constructor arguments and the gdlab text form that should reproduce
it; ``tests/test_schedules_traces.py`` and ``tests/test_optim_momentum_schedule.py`` compare
them to 1e-12 relative (1e-9 for the training runs). gdlab itself is not imported here.
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
TORCH_VERSION = "2.13.0"
TORCH_WHEELS = Path("/opt/wheels")
PACKAGES = ["keras", "jax", "optax"]

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
    # A float t_mul: periods of 3, 4.5, 6.75, ... steps, starting between steps.
    (
        "CosineDecayRestarts",
        {
            "initial_learning_rate": 0.1,
            "first_decay_steps": 3,
            "t_mul": 1.5,
            "m_mul": 0.9,
            "alpha": 0.1,
        },
        40,
        "cosine_restarts(lr=0.1, first_period=3, t_mult=1.5, m_mult=0.9, min_lr=0.01)",
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
    # transition_begin: the rate holds its start before the decay begins.
    (
        "exponential_decay",
        {"init_value": 0.2, "transition_steps": 2, "decay_rate": 0.8, "transition_begin": 3},
        14,
        "exponential(lr=0.2, gamma=0.8, decay_steps=2, delay_steps=3)",
    ),
    (
        "exponential_decay",
        {
            "init_value": 0.2,
            "transition_steps": 3,
            "decay_rate": 0.8,
            "transition_begin": 4,
            "staircase": True,
            "end_value": 0.1,
        },
        20,
        "exponential(lr=0.2, gamma=0.8, decay_steps=3, staircase=True, end_lr=0.1, delay_steps=4)",
    ),
    # end_value bounds the held start too: a floor above init_value holds from step 0.
    (
        "exponential_decay",
        {
            "init_value": 0.2,
            "transition_steps": 2,
            "decay_rate": 0.5,
            "transition_begin": 3,
            "end_value": 0.3,
        },
        10,
        "exponential(lr=0.2, gamma=0.5, decay_steps=2, end_lr=0.3, delay_steps=3)",
    ),
    (
        "exponential_decay",
        {
            "init_value": 0.01,
            "transition_steps": 2,
            "decay_rate": 1.5,
            "transition_begin": 2,
            "end_value": 0.05,
        },
        14,
        "exponential(lr=0.01, gamma=1.5, decay_steps=2, end_lr=0.05, delay_steps=2)",
    ),
    (
        "polynomial_schedule",
        {
            "init_value": 0.1,
            "end_value": 0.01,
            "power": 2,
            "transition_steps": 6,
            "transition_begin": 4,
        },
        14,
        "polynomial(lr=0.1, total_steps=6, end_lr=0.01, power=2.0, delay_steps=4)",
    ),
    (
        "linear_schedule",
        {"init_value": 0.1, "end_value": 0.0, "transition_steps": 5, "transition_begin": 3},
        12,
        "linear(lr=0.1, end_lr=0.0, total_steps=5, delay_steps=3)",
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
# PyTorch only: eps skips a cut that would lower the rate by eps or less.
TORCH_PLATEAU_CASES: list[dict[str, Any]] = [
    {
        "mode": "min",
        "factor": 0.5,
        "patience": 0,
        "threshold": 0.005,
        "threshold_mode": "abs",
        "cooldown": 0,
        "min_lr": 0.0,
        "eps": 0.01,
    },
]
# ReduceLROnPlateau on top of ExponentialLR (exp.step() then plateau.step(metric) each epoch):
# the plateau's min_lr bounds its cuts only, so the decay goes on below it.
STACKED_PLATEAU = {"gamma": 0.9, "factor": 0.5, "patience": 1, "min_lr": 0.02, "threshold": 0.01}
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


# Momentum cycled against the rate (cycle_momentum=True): (class, kwargs, optimizer, steps,
# gdlab rate, gdlab momentum). The optimizer is SGD with momentum or Adam (then beta1 cycles).
MOMENTUM_CASES: list[tuple[str, dict[str, Any], str, int, str, str]] = [
    (
        "CyclicLR",
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4},
        "SGD",
        20,
        "cyclic(base_lr=0.01, max_lr=0.1, step_size_up=4)",
        "cycled_momentum(schedule=cyclic(base_lr=0.01, max_lr=0.1, step_size_up=4))",
    ),
    (
        "CyclicLR",
        {
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 3,
            "step_size_down": 5,
            "base_momentum": 0.85,
            "max_momentum": 0.95,
        },
        "SGD",
        25,
        "cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=5)",
        "cycled_momentum(schedule=cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, "
        "step_size_down=5), base_momentum=0.85, max_momentum=0.95)",
    ),
    (
        "CyclicLR",
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, "mode": "triangular2"},
        "SGD",
        25,
        "cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, mode='triangular2')",
        "cycled_momentum(schedule=cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, "
        "mode='triangular2'))",
    ),
    (
        "CyclicLR",
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, "mode": "exp_range", "gamma": 0.9},
        "SGD",
        25,
        "cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, mode='exp_range', gamma=0.9)",
        "cycled_momentum(schedule=cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, "
        "mode='exp_range', gamma=0.9))",
    ),
    (
        "CyclicLR",
        {
            "base_lr": 0.001,
            "max_lr": 0.01,
            "step_size_up": 4,
            "base_momentum": 0.8,
            "max_momentum": 0.9,
        },
        "Adam",
        20,
        "cyclic(base_lr=0.001, max_lr=0.01, step_size_up=4)",
        "cycled_momentum(schedule=cyclic(base_lr=0.001, max_lr=0.01, step_size_up=4))",
    ),
    (
        "CyclicLR",
        {
            "base_lr": 0.001,
            "max_lr": 0.01,
            "step_size_up": 2,
            "step_size_down": 4,
            "mode": "triangular2",
            "base_momentum": 0.7,
            "max_momentum": 0.9,
        },
        "Adam",
        24,
        "cyclic(base_lr=0.001, max_lr=0.01, step_size_up=2, step_size_down=4, mode='triangular2')",
        "cycled_momentum(schedule=cyclic(base_lr=0.001, max_lr=0.01, step_size_up=2, "
        "step_size_down=4, mode='triangular2'), base_momentum=0.7)",
    ),
    (
        "OneCycleLR",
        {"max_lr": 0.1, "total_steps": 20},
        "SGD",
        20,
        "one_cycle(max_lr=0.1, total_steps=20)",
        "cycled_momentum(schedule=one_cycle(max_lr=0.1, total_steps=20))",
    ),
    (
        "OneCycleLR",
        {
            "max_lr": 0.1,
            "total_steps": 20,
            "anneal_strategy": "linear",
            "base_momentum": 0.8,
            "max_momentum": 0.9,
        },
        "SGD",
        20,
        "one_cycle(max_lr=0.1, total_steps=20, anneal='linear')",
        "cycled_momentum(schedule=one_cycle(max_lr=0.1, total_steps=20, anneal='linear'), "
        "base_momentum=0.8, max_momentum=0.9)",
    ),
    (
        "OneCycleLR",
        {"max_lr": 0.1, "total_steps": 24, "pct_start": 0.25, "three_phase": True},
        "SGD",
        24,
        "one_cycle(max_lr=0.1, total_steps=24, pct_start=0.25, three_phase=True)",
        "cycled_momentum(schedule=one_cycle(max_lr=0.1, total_steps=24, pct_start=0.25, "
        "three_phase=True))",
    ),
    (
        "OneCycleLR",
        {
            "max_lr": 0.1,
            "total_steps": 24,
            "anneal_strategy": "linear",
            "three_phase": True,
            "div_factor": 10.0,
            "final_div_factor": 100.0,
        },
        "SGD",
        24,
        "one_cycle(max_lr=0.1, total_steps=24, anneal='linear', div_factor=10.0, "
        "final_div_factor=100.0, three_phase=True)",
        "cycled_momentum(schedule=one_cycle(max_lr=0.1, total_steps=24, anneal='linear', "
        "div_factor=10.0, final_div_factor=100.0, three_phase=True))",
    ),
    (
        "OneCycleLR",
        {"max_lr": 0.01, "total_steps": 20},
        "Adam",
        20,
        "one_cycle(max_lr=0.01, total_steps=20)",
        "cycled_momentum(schedule=one_cycle(max_lr=0.01, total_steps=20))",
    ),
    (
        "OneCycleLR",
        {
            "max_lr": 0.01,
            "total_steps": 20,
            "three_phase": True,
            "base_momentum": 0.8,
            "max_momentum": 0.9,
        },
        "Adam",
        20,
        "one_cycle(max_lr=0.01, total_steps=20, three_phase=True)",
        "cycled_momentum(schedule=one_cycle(max_lr=0.01, total_steps=20, three_phase=True), "
        "base_momentum=0.8, max_momentum=0.9)",
    ),
    # The horizon as epochs x steps_per_epoch.
    (
        "OneCycleLR",
        {"max_lr": 0.1, "epochs": 4, "steps_per_epoch": 6},
        "SGD",
        24,
        "one_cycle(max_lr=0.1, epochs=4, steps_per_epoch=6)",
        "cycled_momentum(schedule=one_cycle(max_lr=0.1, total_steps=24))",
    ),
    (
        "OneCycleLR",
        {"max_lr": 0.1, "total_steps": 20, "pct_start": 0.25},
        "SGD-nesterov",
        20,
        "one_cycle(max_lr=0.1, total_steps=20, pct_start=0.25)",
        "cycled_momentum(schedule=one_cycle(max_lr=0.1, total_steps=20, pct_start=0.25))",
    ),
]

# CosineAnnealingWarmRestarts stepped at fractional epochs, scheduler.step(epoch + i / iters):
# (kwargs, epochs, iters, gdlab text).
FRACTIONAL_CASES: list[tuple[dict[str, Any], int, int, str]] = [
    ({"T_0": 3, "T_mult": 2, "eta_min": 0.001}, 10, 4,
     "cosine_restarts(lr=0.1, first_period=3, t_mult=2, min_lr=0.001)"),
    ({"T_0": 4, "T_mult": 1}, 9, 5, "cosine_restarts(lr=0.1, first_period=4)"),
]  # fmt: skip

# A least-squares fit whose rate and momentum both follow the schedule: (optimizer, kwargs of
# the scheduler class, gdlab rate, gdlab rule). Full batch, w0 = 0, float64, one update a step.
RUN_CASES: list[tuple[str, str, dict[str, Any], str, str]] = [
    ("SGD", "OneCycleLR", {"max_lr": 0.1, "total_steps": 30},
     "one_cycle(max_lr=0.1, total_steps=30)",
     "Momentum(momentum=cycled_momentum(schedule=one_cycle(max_lr=0.1, total_steps=30)))"),
    ("SGD-nesterov", "CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5},
     "cyclic(base_lr=0.01, max_lr=0.1, step_size_up=5)",
     "Nesterov(momentum=cycled_momentum(schedule=cyclic(base_lr=0.01, max_lr=0.1, "
     "step_size_up=5)))"),
    ("Adam", "OneCycleLR", {"max_lr": 0.05, "total_steps": 30, "three_phase": True},
     "one_cycle(max_lr=0.05, total_steps=30, three_phase=True)",
     "Adam(beta1=cycled_momentum(schedule=one_cycle(max_lr=0.05, total_steps=30, "
     "three_phase=True)))"),
]  # fmt: skip
RUN_X = [[(i % 7) / 3.0 - 1.0, ((i * 5) % 11) / 5.0 - 1.0, 1.0] for i in range(40)]
RUN_Y = [1.5 * a - 0.5 * b + 0.25 + 0.1 * (((i * 3) % 7) - 3) for i, (a, b, _) in enumerate(RUN_X)]


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
    for kwargs in PLATEAU_CASES + TORCH_PLATEAU_CASES:
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
    extra = momentum_traces() + fractional_traces() + run_traces() + stacked_traces()
    return out + extra + chained_traces()


def chained_traces() -> list[dict[str, Any]]:
    """ChainedScheduler: each scheduler multiplies the optimizer's rate by its own factor."""
    import torch

    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    chain = torch.optim.lr_scheduler.ChainedScheduler(
        [
            torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5),
            torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.99),
        ]
    )
    values = []
    for _ in range(35):
        values.append(float(opt.param_groups[0]["lr"]))
        opt.step()
        chain.step()
    return [
        {"framework": "torch", "class": "ChainedScheduler",
         "args": {"StepLR": {"step_size": 10, "gamma": 0.5}, "ExponentialLR": {"gamma": 0.99}},
         "base_lr": 0.1, "values": values,
         "gdlab": "product([step(lr=0.1, step_size=10, gamma=0.5), "
                  "exponential(lr=1.0, gamma=0.99)])"}
    ]  # fmt: skip


def _optimizer(torch: Any, kind: str, params: list[Any], lr: float) -> Any:
    if kind == "Adam":
        return torch.optim.Adam(params, lr=lr)
    return torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=kind == "SGD-nesterov")


def _momentum(group: dict[str, Any]) -> float:
    return float(group["betas"][0] if "betas" in group else group["momentum"])


def momentum_traces() -> list[dict[str, Any]]:
    """Rate and momentum (or beta1) of CyclicLR / OneCycleLR with cycle_momentum=True."""
    import torch

    out: list[dict[str, Any]] = []
    for name, kwargs, kind, steps, text, momentum_text in MOMENTUM_CASES:
        opt = _optimizer(torch, kind, [torch.zeros(1, requires_grad=True)], 0.1)
        sched = getattr(torch.optim.lr_scheduler, name)(opt, cycle_momentum=True, **kwargs)
        values, momenta = [], []
        for _ in range(steps):
            values.append(float(opt.param_groups[0]["lr"]))
            momenta.append(_momentum(opt.param_groups[0]))
            opt.step()
            sched.step()
        out.append(
            {"framework": "torch", "class": name, "args": {**kwargs, "optimizer": kind},
             "gdlab": text, "values": values, "gdlab_momentum": momentum_text,
             "momentum": momenta}
        )  # fmt: skip
    return out


def fractional_traces() -> list[dict[str, Any]]:
    """CosineAnnealingWarmRestarts driven with scheduler.step(epoch + i / iters)."""
    import torch

    out: list[dict[str, Any]] = []
    for kwargs, epochs, iters, text in FRACTIONAL_CASES:
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, **kwargs)
        steps, values = [], []
        for epoch in range(epochs):
            for i in range(iters):
                opt.step()
                sched.step(epoch + i / iters)
                steps.append(epoch + i / iters)
                values.append(float(opt.param_groups[0]["lr"]))
        out.append(
            {"framework": "torch", "class": "CosineAnnealingWarmRestarts",
             "args": {**kwargs, "iters": iters}, "base_lr": 0.1, "gdlab": text,
             "steps": steps, "values": values}
        )  # fmt: skip
    return out


def run_traces() -> list[dict[str, Any]]:
    """Parameters of a full-batch least-squares fit (mean squared error, w0 = 0) whose rate
    and momentum follow a cycling scheduler, after every update."""
    import torch

    X = torch.tensor(RUN_X, dtype=torch.float64)
    y = torch.tensor(RUN_Y, dtype=torch.float64)
    out: list[dict[str, Any]] = []
    for kind, name, kwargs, text, rule in RUN_CASES:
        w = torch.zeros(X.shape[1], dtype=torch.float64, requires_grad=True)
        opt = _optimizer(torch, kind, [w], 0.1)
        sched = getattr(torch.optim.lr_scheduler, name)(opt, cycle_momentum=True, **kwargs)
        params, momenta = [], []
        for _ in range(int(kwargs.get("total_steps", 30))):
            momenta.append(_momentum(opt.param_groups[0]))
            opt.zero_grad()
            loss = ((X @ w - y) ** 2).mean()
            loss.backward()
            opt.step()
            sched.step()
            params.append(w.detach().tolist())
        out.append(
            {"framework": "torch", "class": f"{kind}+{name}", "args": kwargs, "gdlab": text,
             "gdlab_rule": rule, "X": RUN_X, "y": RUN_Y, "params": params,
             "momentum": momenta, "values": []}
        )  # fmt: skip
    return out


def stacked_traces() -> list[dict[str, Any]]:
    """ReduceLROnPlateau on top of ExponentialLR: the rate of every epoch."""
    import torch

    a = STACKED_PLATEAU
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    decay = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=a["gamma"])
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, factor=a["factor"], patience=a["patience"], min_lr=a["min_lr"],
        threshold=a["threshold"],
    )  # fmt: skip
    values = []
    for m in METRICS:
        values.append(float(opt.param_groups[0]["lr"]))
        opt.step()
        decay.step()
        plateau.step(m)
    return [
        {"framework": "torch", "class": "ReduceLROnPlateau+ExponentialLR", "args": a,
         "base_lr": 0.1, "metrics": METRICS, "values": values,
         "gdlab": f"exponential(lr=0.1, gamma={a['gamma']})"}
    ]  # fmt: skip


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


def _torch_wheel(given: str | None) -> Path:
    """The CPU build of torch to install; never the package index's (it pulls CUDA)."""
    if given:
        wheel = Path(given)
    else:
        found = sorted(TORCH_WHEELS.glob(f"torch-{TORCH_VERSION}+cpu-*.whl"))
        if not found:
            sys.exit(
                f"no torch {TORCH_VERSION} CPU wheel under {TORCH_WHEELS}; pass "
                "--torch-wheel PATH (the package index's Linux wheel pulls CUDA libraries)."
            )
        wheel = found[-1]
    if not wheel.is_file() or f"torch-{TORCH_VERSION}" not in wheel.name:
        sys.exit(f"--torch-wheel must be a torch-{TORCH_VERSION} wheel file, got {wheel}.")
    return wheel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-venv", action="store_true", help="use the current interpreter")
    parser.add_argument("--torch-wheel", help=f"torch {TORCH_VERSION} CPU wheel to install")
    args = parser.parse_args()
    if args.no_venv:
        record()
        return
    wheel = _torch_wheel(args.torch_wheel)
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    # Idempotent: quick when everything is there, completes an older environment otherwise.
    # The wheel comes first so that nothing asks the index for another torch.
    install = [str(python), "-m", "pip", "install", "-q", str(wheel), *PACKAGES]
    subprocess.run(install, check=True)
    env = dict(os.environ, KERAS_BACKEND="torch")
    subprocess.run([str(python), __file__, "--no-venv"], check=True, env=env)


if __name__ == "__main__":
    main()
