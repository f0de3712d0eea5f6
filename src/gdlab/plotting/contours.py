"""Loss contours with parameter paths on top: the lesson's picture of why scaling helps.

Any two coordinates ``(i, j)`` of the parameter vector span the plane; the others are held at
``center`` (by default the optimum). Level sets are spaced geometrically above the grid's
minimum so that nested ellipses show evenly from the bottom of the bowl to its rim, and the
aspect ratio is equal, so elongated contours (a badly conditioned loss) look elongated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdlab.analysis.conditioning import conditioning
from gdlab.models import LeastSquares
from gdlab.plotting.axes import require_axes
from gdlab.trajectory import Trajectory

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["loss_contours", "raw_vs_scaled_contours"]

PathsLike = Trajectory | ArrayLike | Sequence[Any] | Mapping[str, Any] | None


def _as_paths(paths: PathsLike) -> list[tuple[str, NDArray[np.float64]]]:
    """Normalise paths to ``[(label, params of shape (R, p))]``."""
    if paths is None:
        return []
    if isinstance(paths, Mapping):
        items = list(paths.items())
    elif isinstance(paths, Trajectory) or (isinstance(paths, np.ndarray) and paths.dtype != object):
        items = [("", paths)]
    else:
        items = [("", p) for p in paths]  # type: ignore[union-attr]
    out = []
    for k, (label, p) in enumerate(items):
        if isinstance(p, Trajectory):
            name = label or str(p.config.get("lr", f"path {k + 1}"))
            arr = p.params
        else:
            name, arr = label or f"path {k + 1}", np.asarray(p, dtype=np.float64)
        if arr.ndim < 2:
            raise ValueError(
                f"a path must have one row of parameters per point, got shape {arr.shape}; "
                "pass a Trajectory or an array of shape (R, n_params)."
            )
        out.append((str(name), arr.reshape(arr.shape[0], -1)))
    return out


def _loss_grid(
    model: Any,
    X: ArrayLike,
    y: ArrayLike,
    center: NDArray[np.float64],
    shape: tuple[int, ...],
    coords: tuple[int, int],
    a: NDArray[np.float64],
    b: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Loss on the grid ``a x b`` of coordinates ``coords``, the others at ``center``."""
    i, j = coords
    if isinstance(model, LeastSquares) and len(shape) == 1:
        # A quadratic: one pass over X for X^T X, X^T y, y^T y, then O(d^2) per grid point,
        # whatever the number of rows.
        A = np.asarray(X, dtype=np.float64)
        t = np.asarray(y, dtype=np.float64).ravel()
        m = A.shape[0]
        G, g, c = A.T @ A / m, A.T @ t / m, float(t @ t) / m
        W = np.broadcast_to(center, (b.size, a.size, center.size)).copy()
        W[..., i], W[..., j] = a[None, :], b[:, None]
        quad = np.einsum("rck,kl,rcl->rc", W, G, W) - 2.0 * (W @ g) + c
        return np.asarray(quad + 0.5 * model.l2 * (W * W).sum(axis=-1))
    Z = np.empty((b.size, a.size))
    w = center.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for r, bj in enumerate(b):
            for col, ai in enumerate(a):
                w[i], w[j] = ai, bj
                Z[r, col] = model.loss(w.reshape(shape), X, y)
    return Z


def loss_contours(
    model: Any,
    X: ArrayLike,
    y: ArrayLike,
    paths: PathsLike = None,
    *,
    coords: tuple[int, int] = (0, 1),
    center: ArrayLike | None = None,
    extent: tuple[float, float, float, float] | None = None,
    levels: int = 15,
    resolution: int = 61,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    optimum_label: str = "optimum",
    path_label: str = "{name} ({steps} steps)",
    ax: Axes | None = None,
) -> Axes:
    """Draw the loss over two parameter coordinates, with descent paths on top.

    Parameters
    ----------
    model : gdlab.models model
        Supplies ``loss(w, X, y)`` (and ``optimum`` for least squares).
    X, y : array-like
        The design (including any intercept column) and labels the paths were run on.
    paths : Trajectory, array (R, n_params), or a sequence / mapping of them, optional
        Parameter paths; a mapping's keys label them in the legend.
    coords : pair of int
        Indices into the (flattened) parameter vector for the x and y axes.
    center : array-like, optional
        Values of the other coordinates; default ``model.optimum(X, y)`` when it exists, else
        the last point of the first path.
    extent : (xmin, xmax, ymin, ymax), optional
        Plot window; default a square around the center holding every path, 15% margin.
    levels : int
        Number of contour levels.
    resolution : int
        Grid points per axis.
    title : str, optional
        Axes title (default names the model).
    xlabel, ylabel : str, optional
        Axis labels (default ``w[i]`` and ``w[j]``).
    optimum_label : str
        The optimum's legend entry.
    path_label : str
        A path's legend entry: ``{name}`` is its label and ``{steps}`` its number of steps.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        Holding one contour set, one line per path and, when known, a star at the optimum.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> X, y = np.array([[1.0, 1.0], [3.0, 1.0]]), np.array([2.0, 4.0])
    >>> ax = loss_contours(LeastSquares(), X, y, [[[0.0, 0.0], [0.8, 0.3], [1.0, 1.0]]])
    >>> len(ax.lines)  # the path and the optimum
    2
    """
    ax = require_axes(ax)
    named = _as_paths(paths)
    optimum = None
    if center is None and hasattr(model, "optimum"):
        optimum = np.asarray(model.optimum(X, y), dtype=np.float64)
    if center is not None:
        base = np.asarray(center, dtype=np.float64)
    elif optimum is not None:
        base = optimum
    elif named:
        base = named[0][1][-1].copy()
    else:
        raise ValueError(
            "loss_contours needs a center: pass center=, a path, or a model with optimum()."
        )
    shape, flat = base.shape, base.ravel().copy()
    i, j = coords
    if not (0 <= i < flat.size and 0 <= j < flat.size and i != j):
        raise ValueError(
            f"coords must be two different indices in [0, {flat.size}), got {coords!r}."
        )
    if extent is None:
        pts = np.vstack([flat[None, :], *(p for _, p in named)])[:, [i, j]]
        pts = pts[np.isfinite(pts).all(axis=1)]
        half = 1.15 * max(float(np.abs(pts - flat[[i, j]]).max()), 1e-3)
        extent = (flat[i] - half, flat[i] + half, flat[j] - half, flat[j] + half)
    a = np.linspace(extent[0], extent[1], resolution)
    b = np.linspace(extent[2], extent[3], resolution)
    Z = _loss_grid(model, X, y, flat, shape, (i, j), a, b)
    lo, hi = float(np.nanmin(Z)), float(np.nanmax(Z))
    spread = max(hi - lo, 1e-12)
    ax.contour(a, b, Z, levels=lo + spread * np.geomspace(1e-3, 1.0, levels), cmap="viridis")
    for name, p in named:
        label = path_label.format(name=name, steps=len(p) - 1)
        ax.plot(p[:, i], p[:, j], "o-", ms=3, lw=1.2, label=label)
    if optimum is not None:
        o = optimum.ravel()
        ax.plot(o[i], o[j], "*", ms=14, color="crimson", label=optimum_label)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(xlabel or f"w[{i}]")
    ax.set_ylabel(ylabel or f"w[{j}]")
    ax.set_title(title or f"{type(model).__name__} loss contours")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize="small")
    return ax


def raw_vs_scaled_contours(
    model: Any,
    X_raw: ArrayLike,
    X_scaled: ArrayLike,
    y: ArrayLike,
    raw_paths: PathsLike = None,
    scaled_paths: PathsLike = None,
    *,
    coords: tuple[int, int] = (0, 1),
    scaled_name: str = "z-scored",
    titles: tuple[str, str] | None = None,
    contour_kw: Mapping[str, Any] | None = None,
    axes: Sequence[Axes] | None = None,
) -> tuple[Axes, Axes]:
    """The lesson's figure: the same descent on raw and on scaled features, side by side.

    Each panel's title gives the condition number ``kappa = L / mu`` of its design, the number
    that turns round contours (``kappa`` near 1) into long valleys.

    Parameters
    ----------
    model : gdlab.models model
    X_raw, X_scaled : array-like
        Designs as the model saw them (including any intercept column).
    y : array-like
        Labels.
    raw_paths, scaled_paths : paths, optional
        As in :func:`loss_contours`.
    coords : pair of int
        Parameter coordinates to draw.
    scaled_name : str
        Name of the scaling for the right panel's title.
    titles : pair of str, optional
        The panels' titles, raw then scaled, in place of the default ones; ``{kappa}`` in a
        title is the panel's condition number (``{kappa:.3g}`` formats it; NaN when the
        model's curvature is unknown).
    contour_kw : mapping, optional
        Keyword arguments for :func:`loss_contours` on both panels (``xlabel``,
        ``optimum_label``, ``path_label``, ``levels``, ...).
    axes : pair of Axes, optional
        Where to draw; a new 1 x 2 figure when omitted.

    Returns
    -------
    tuple of two Axes

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> X = np.array([[1.0, 1.0], [3.0, 1.0]]); y = np.array([2.0, 4.0])
    >>> Z = np.array([[-1.0, 1.0], [1.0, 1.0]])
    >>> left, right = raw_vs_scaled_contours(LeastSquares(), X, Z, y)
    >>> left.get_title().startswith("Raw")
    True
    >>> left, right = raw_vs_scaled_contours(
    ...     LeastSquares(), X, Z, y, titles=("原始数据（κ = {kappa:.2f}）", "Z-Score 之后"),
    ...     contour_kw={"optimum_label": "最小值点"})
    >>> left.get_title(), right.get_legend().get_texts()[0].get_text()
    ('原始数据（κ = 33.97）', '最小值点')
    """
    if axes is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(11.0, 4.8), layout="constrained")
        pair = fig.subplots(1, 2)
        left, right = pair[0], pair[1]
    else:
        if len(axes) != 2:
            raise ValueError(f"axes must hold two Axes (raw, scaled), got {len(axes)}.")
        left, right = require_axes(axes[0]), require_axes(axes[1])
    names = ("Raw features", f"{scaled_name.capitalize()} features")
    for k, (ax, X, paths) in enumerate(((left, X_raw, raw_paths), (right, X_scaled, scaled_paths))):
        try:
            kappa = conditioning(X, model=model, intercept=False).kappa
        except (TypeError, ValueError):  # a model of unknown curvature, or a flat design
            kappa = math.nan
        if titles is not None:
            title = titles[k].format(kappa=kappa)
        elif math.isnan(kappa):
            title = f"{names[k]} (kappa undefined)"
        else:
            title = f"{names[k]} (kappa = {kappa:.3g})"
        loss_contours(model, X, y, paths, coords=coords, title=title, ax=ax, **(contour_kw or {}))
    return left, right
