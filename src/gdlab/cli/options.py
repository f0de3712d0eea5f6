"""Argument types and shared options of the subcommands that read the user's data set."""

from __future__ import annotations

import argparse
import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.cli.inputs import UsageError

_MODELS = ("auto", "least-squares", "logistic")


def batch_size(text: str) -> int | None:
    """argparse type: a positive batch size, or None for 'full' (full batch)."""
    if text.lower() in ("full", "none"):
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"batch size must be a positive integer or 'full', got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"batch size must be >= 1, got {value}")
    return value


def batch_label(value: Any) -> str:
    """'full' for full batch (None, or NaN once it has been through a DataFrame)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "full"
    return str(int(value))


def learning_rate(text: str) -> Any:
    """A learning rate as typed: a plain number stays a number, anything else is parsed."""
    from gdlab import schedules

    try:
        value = float(text)
    except ValueError:
        pass
    else:
        if not 0 < value < math.inf:
            raise argparse.ArgumentTypeError(
                f"a learning rate must be a positive finite number, got {text!r}"
            )
        return value
    try:
        return schedules.parse(text)
    except (ValueError, TypeError) as exc:
        raise argparse.ArgumentTypeError(str(exc).splitlines()[0]) from None


def seed(text: str) -> int:
    """argparse type: a shuffling seed, a whole number from 0 to 2^64 - 1."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**64:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 0 to 2^64 - 1, got {text!r}"
        )
    return value


def choose_model(name: str, y: NDArray[np.float64]) -> Any:
    """The model named by ``--model``; ``auto`` is logistic for a 0/1 target."""
    from gdlab.models import LeastSquares, Logistic

    binary = set(np.unique(y).tolist()) == {0.0, 1.0}
    if name == "logistic" and not binary:
        raise UsageError("--model logistic needs a target holding only 0 and 1")
    return Logistic() if name == "logistic" or (name == "auto" and binary) else LeastSquares()


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """``DATA.csv --target COL [--exclude COL ...] [--model ...]``, for compare and lr-find."""
    parser.add_argument(
        "data",
        metavar="DATA.csv",
        help="CSV with a header row; every column but --target and --exclude is a feature",
    )
    parser.add_argument("--target", required=True, metavar="COL", help="column to predict")
    parser.add_argument(
        "--exclude",
        nargs="+",
        default=[],
        metavar="COL",
        help="columns that are not features (ids, text): left out (default: every other "
        "column is a feature)",
    )
    parser.add_argument(
        "--model",
        choices=_MODELS,
        default="auto",
        help="loss to minimise; auto: logistic when the target is 0/1, else least squares",
    )
