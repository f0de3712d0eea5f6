"""Argument types and shared options of the subcommands that read the user's data set."""

from __future__ import annotations

import argparse
import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.cli.inputs import UsageError

_MODELS = ("auto", "least-squares", "logistic", "softmax")
# A target of at most this many distinct whole numbers looks like class labels to "auto".
_FEW_CLASSES = 20


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


def choose_model(name: str, y: NDArray[np.float64]) -> tuple[Any, NDArray[Any]]:
    """The model named by ``--model`` and the target as it reads it.

    ``auto`` is logistic for a 0/1 target and least squares for other numbers; a target of a
    few whole numbers (3 to 20 distinct values) is refused, since least squares on class ids
    treats class 9 as "more" than class 1: ``--model softmax`` fits them as classes (encoded
    0..k-1 in sorted order), ``--model least-squares`` as numbers.
    """
    from gdlab.models import LeastSquares, Logistic, Softmax

    values = np.unique(y)
    binary = set(values.tolist()) == {0.0, 1.0}
    if name == "logistic" and not binary:
        raise UsageError("--model logistic needs a target holding only 0 and 1")
    if name == "softmax":
        if values.size < 2:
            raise UsageError("--model softmax needs a target with at least 2 classes")
        return Softmax(n_classes=max(int(values.size), 2)), np.searchsorted(values, y)
    if name == "logistic" or (name == "auto" and binary):
        return Logistic(), y
    whole = bool(np.all(values == np.round(values)))
    if name == "auto" and whole and 3 <= values.size <= _FEW_CLASSES:
        raise UsageError(
            f"the target holds {values.size} distinct whole numbers, which look like class "
            "labels: pass --model softmax to fit them as classes, or --model least-squares to "
            "fit them as numbers"
        )
    return LeastSquares(), y


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
        help="loss to minimise; auto: logistic when the target is 0/1, else least squares "
        "(a target of 3 to 20 whole numbers is refused as ambiguous: choose softmax or "
        "least-squares)",
    )
