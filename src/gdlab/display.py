"""Rich displays for Jupyter: small HTML tables and inline SVG curves, without matplotlib.

`Trajectory`, every `Schedule`, `ReduceOnPlateau` and `PlateauState` show themselves in a
notebook through ``_repr_html_`` methods that call the functions here. The curves are drawn
as a plain SVG ``<polyline>`` so that a display costs a few microseconds, needs no plotting
library and reads the same on a code host as in Jupyter. This module imports nothing of
gdlab: the objects it draws are read through their public attributes, so any layer may use it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "MAX_POINTS",
    "plateau_html",
    "plateau_state_html",
    "schedule_html",
    "schedule_steps",
    "sparkline_svg",
    "trajectory_html",
]

# A sparkline a few hundred pixels wide cannot show more points than this; longer series are
# thinned to evenly spaced samples, the last one always kept.
MAX_POINTS = 400
# Steps a schedule without a horizon is drawn over.
DEFAULT_STEPS = 100
_STATUS_COLOURS = {"converged": "#1a7f37", "max_epochs": "#57606a", "diverged": "#cf222e"}


def _fmt(value: Any) -> str:
    """A number with six significant digits, anything else as its text."""
    if isinstance(value, (float, np.floating)):
        return "nan" if math.isnan(value) else f"{float(value):.6g}"
    return str(value)


def _thin(n: int) -> np.ndarray:
    """Indices of at most `MAX_POINTS` evenly spaced samples of ``range(n)``, last included."""
    if n <= MAX_POINTS:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, MAX_POINTS).round().astype(np.int64))


def sparkline_svg(
    y: ArrayLike,
    x: ArrayLike | None = None,
    *,
    width: int = 240,
    height: int = 64,
    log: bool | None = None,
    label: str = "curve",
) -> str:
    """Draw ``y`` against ``x`` as a small inline SVG line.

    The y range is that of the finite values (a log range when ``log``; by default log is
    chosen when every value is positive and they span more than two decades). Non-finite
    values break the line, so a run that diverged ends where its loss left float64.

    Parameters
    ----------
    y : array-like, shape (n,)
        Values to draw.
    x : array-like, shape (n,), optional
        Their positions (default ``0 .. n - 1``).
    width, height : int
        Size in pixels.
    log : bool, optional
        Logarithmic y axis; None chooses as above.
    label : str
        Accessible name of the figure (its ``<title>``).

    Returns
    -------
    str
        An ``<svg>`` element; the line is a ``<polyline>`` per finite stretch.

    Examples
    --------
    >>> svg = sparkline_svg([4.0, 2.0, 1.0], width=100, height=40)
    >>> svg.startswith("<svg") and svg.count("<polyline") == 1
    True
    """
    values = np.asarray(y, dtype=np.float64).reshape(-1)
    where = np.arange(len(values), dtype=np.float64) if x is None else np.asarray(x, np.float64)
    if where.shape != values.shape:
        raise ValueError(
            f"x and y must have the same length, got {where.shape} and {values.shape}."
        )
    keep = _thin(len(values))
    values, where = values[keep], where[keep]
    finite = np.isfinite(values)
    if log is None:
        positive = values[finite]
        log = bool(positive.size and positive.min() > 0 and positive.max() / positive.min() > 100)
    if log:
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(values > 0, np.log10(values), np.nan)
        finite = np.isfinite(values)
    pad = 3.0
    lines = []
    if finite.any():
        lo, hi = float(values[finite].min()), float(values[finite].max())
        x_lo, x_hi = float(where.min()), float(where.max())
        span_y = hi - lo or 1.0
        span_x = x_hi - x_lo or 1.0
        px = pad + (where - x_lo) / span_x * (width - 2 * pad)
        # A flat curve sits in the middle; otherwise the largest value is at the top.
        py = np.where(hi > lo, pad + (hi - values) / span_y * (height - 2 * pad), height / 2)
        run: list[str] = []
        for i in range(len(values)):
            if finite[i]:
                run.append(f"{px[i]:.1f},{py[i]:.1f}")
            elif run:
                lines.append(run)
                run = []
        if run:
            lines.append(run)
    shapes = "".join(
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" '
        f'points="{" ".join(points)}"/>'
        if len(points) > 1
        else f'<circle r="2" fill="currentColor" cx="{points[0].split(",")[0]}" '
        f'cy="{points[0].split(",")[1]}"/>'
        for points in lines
    )
    name = html.escape(label + (" (log scale)" if log else ""))
    # A log axis is marked in the corner: a straight line there is geometric convergence.
    mark = (
        f'<text x="{width - 4}" y="11" text-anchor="end" font-size="9" fill="#57606a">log</text>'
        if log
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{name}"><title>{name}</title>'
        f'<rect width="{width}" height="{height}" fill="none" stroke="#d0d7de"/>{mark}{shapes}'
        "</svg>"
    )


def _table(rows: Iterable[tuple[str, str]]) -> str:
    """Rows of (name, already escaped HTML value) as a two-column table."""
    cells = "".join(
        f'<tr><th style="text-align:left;padding-right:1em">{html.escape(k)}</th>'
        f'<td style="text-align:left">{v}</td></tr>'
        for k, v in rows
    )
    return f"<table>{cells}</table>"


def _card(title: str, body: str) -> str:
    return (
        '<div class="gdlab-display" style="display:inline-block;vertical-align:top">'
        f"<strong>{html.escape(title)}</strong>{body}</div>"
    )


def trajectory_html(t: Any) -> str:
    """HTML of a `gdlab.trajectory.Trajectory`: status, counters, losses and the loss curve.

    Reads ``status``, ``reason``, ``config``, ``epoch``, ``step``, ``samples_seen``,
    ``loss`` and ``grad_norm``; the curve is the loss at every record against the update
    counter.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import numpy as np
    >>> t = SimpleNamespace(status="converged", reason="tol reached", config={},
    ...                     epoch=np.array([0, 1]), step=np.array([0, 2]),
    ...                     samples_seen=np.array([0, 8]), loss=np.array([2.0, 1.0]),
    ...                     grad_norm=np.array([1.0, 0.5]))
    >>> "converged" in trajectory_html(t)
    True
    """
    config = dict(getattr(t, "config", {}) or {})
    status = str(t.status)
    colour = _STATUS_COLOURS.get(status, "#57606a")
    loss = np.asarray(t.loss, dtype=np.float64)
    rows = [
        ("status", f'<span style="color:{colour};font-weight:bold">{html.escape(status)}</span>'),
        ("reason", html.escape(str(t.reason))),
    ]
    for key, name in (("model", "model"), ("lr", "lr"), ("method", "rule")):
        if key in config:
            rows.append((name, f"<code>{html.escape(str(config[key]))}</code>"))
    if "batch_size" in config:
        size = config["batch_size"]
        rows.append(("batch size", "full batch" if size is None else html.escape(str(size))))
    rows += [
        ("epochs", str(int(t.epoch[-1]))),
        ("updates", str(int(t.step[-1]))),
        ("samples seen", str(int(t.samples_seen[-1]))),
        ("records", str(len(loss))),
        ("loss", f"{_fmt(loss[0])} &rarr; <strong>{_fmt(loss[-1])}</strong>"),
        ("gradient norm", _fmt(np.asarray(t.grad_norm, dtype=np.float64)[-1])),
    ]
    val_loss = getattr(t, "val_loss", None)
    if val_loss is not None:
        rows.append(("validation loss", _fmt(np.asarray(val_loss, dtype=np.float64)[-1])))
    curve = sparkline_svg(loss, np.asarray(t.step), label="training loss against updates")
    return _card("Trajectory", _table(rows) + f"<div>loss against updates</div>{curve}")


def schedule_steps(schedule: Any) -> int:
    """The last step a schedule is drawn to: a tenth past its horizon, or `DEFAULT_STEPS`.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> schedule_steps(SimpleNamespace(horizon=100)), schedule_steps(SimpleNamespace(horizon=None))
    (110, 100)
    """
    horizon = getattr(schedule, "horizon", None)
    if not horizon or horizon < 0:
        return DEFAULT_STEPS
    return int(min(horizon + max(horizon // 10, 1), 2**53 - 1))


def schedule_html(schedule: Any, steps: int | None = None) -> str:
    """HTML of a schedule: its text form, its values at a few steps and its curve.

    The schedule is evaluated only at the (at most `MAX_POINTS`) steps drawn, so a horizon
    of 10^12 steps costs no more than one of 100.

    Examples
    --------
    >>> from gdlab import schedules
    >>> "exponential(lr=0.2, gamma=0.95)" in schedule_html(schedules.exponential(0.2, 0.95))
    True
    """
    end = schedule_steps(schedule) if steps is None else int(steps)
    if end < 1:
        raise ValueError(f"steps must be >= 1, got {end}.")
    at = np.unique(np.linspace(0, end, min(end + 1, MAX_POINTS)).round().astype(np.int64))
    values = np.asarray(schedule(at), dtype=np.float64)
    marks = sorted({0, min(1, end), end // 2, end})
    shown = {int(k): float(schedule(int(k))) for k in marks}
    # Most schedules give a learning rate; cycled_momentum gives the momentum of each step.
    what = "momentum" if "momentum" in type(schedule).__name__ else "lr"
    rows = [
        ("text form", f"<code>{html.escape(str(schedule))}</code>"),
        ("horizon", html.escape(str(getattr(schedule, "horizon", None)))),
        (what, ", ".join(f"s({k}) = {_fmt(v)}" for k, v in shown.items())),
    ]
    curve = sparkline_svg(values, at, label=f"{what} over steps 0 to {end}", log=False)
    return _card("Schedule", _table(rows) + f"<div>{what} over steps 0&ndash;{end}</div>{curve}")


def _fields(obj: Any, names: Sequence[str]) -> list[tuple[str, str]]:
    return [(name, html.escape(_fmt(getattr(obj, name)))) for name in names]


def plateau_html(controller: Any) -> str:
    """HTML of a `ReduceOnPlateau` controller: every setting, one row each.

    Examples
    --------
    >>> from gdlab.schedules import ReduceOnPlateau
    >>> "patience" in plateau_html(ReduceOnPlateau(patience=3))
    True
    """
    names = ("mode", "factor", "patience", "threshold", "threshold_mode", "cooldown",
             "min_lr", "dialect", "eps")  # fmt: skip
    note = "<div>a controller: the rate is lr &times; state.scale</div>"
    return _card("ReduceOnPlateau", _table(_fields(controller, names)) + note)


def plateau_state_html(state: Any) -> str:
    """HTML of a `PlateauState`: the scale so far, the best metric and the counters.

    Examples
    --------
    >>> from gdlab.schedules import PlateauState
    >>> "num_bad" in plateau_state_html(PlateauState())
    True
    """
    names = ("scale", "best", "num_bad", "cooldown_counter", "count")
    return _card("PlateauState", _table(_fields(state, names)))
