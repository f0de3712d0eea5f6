"""Analysis: the least-squares Hessian's condition number, raw and after every scaler.

The Hessian of the mean squared error is ``2 X^T X / m``; its extreme eigenvalues ``L`` and
``mu`` give the stable rate ``2 / L`` and, through ``kappa = L / mu``, the speed of fixed-step
gradient descent (``gdlab.analysis.theory``).
"""

from __future__ import annotations

from gdlab.analysis import conditioning_table
from gdlab.plotting import plot_scaling
from gdlab.report.data import SCALINGS, regression_problem
from gdlab.report.result import Cell, ExperimentResult, Image, Table, render_png
from gdlab.scaling import SCALERS

RTOL = 1e-6


def conditioning_analysis(*, n_samples: int = 1000) -> ExperimentResult:
    """Condition number of the least-squares Hessian, raw and after every gdlab scaler.

    Returns
    -------
    ExperimentResult
        ``numbers``: ``kappa_<name>`` for ``raw`` and every key of ``gdlab.scaling.SCALERS``.

    Examples
    --------
    >>> r = conditioning_analysis(n_samples=200)
    >>> r.numbers["kappa_zscore"] < r.numbers["kappa_minmax"] < r.numbers["kappa_raw"]
    True
    """
    X, _ = regression_problem(n_samples)
    frame = conditioning_table(X, scalers=SCALERS, rtol=RTOL)
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            str(name),
            float(r.L),
            float(r.mu),
            float(r.kappa),
            float(r.lr_stable),
            float(r.predicted_iterations),
        )
        for name, r in frame.iterrows()
    )
    numbers = {f"kappa_{name}": float(k) for name, k in frame["kappa"].items()}
    ax = plot_scaling(
        X,
        SCALINGS["z-score"](X),
        labels=("raw", "z-scored"),
        names=("x1 (x 0.1)", "x2 (x 10)"),
        equal=False,
        title="The regression set before and after z-score",
    )
    image = Image(
        "conditioning",
        "The regression set's two features, raw and z-scored.",
        render_png(ax.figure),
    )
    best = min((k for k in numbers if k != "kappa_raw"), key=numbers.__getitem__)
    text = (
        "The Hessian of the mean squared error is 2 X^T X / m (intercept included); its "
        "extreme eigenvalues L and mu set the stable rate 2 / L and, through kappa = L / mu, "
        f"the speed. On the raw regression set kappa is {numbers['kappa_raw']:,.0f}; every "
        f"scaler brings it down, the best being {best[6:]} at {numbers[best]:.3g}. Centring "
        "matters as much as scaling: z-score and robust scaling centre the columns, which "
        "decouples the intercept, while min-max, max-abs and sigmoid leave an offset."
    )
    return ExperimentResult(
        key="conditioning",
        section="Analysis",
        title="Conditioning before and after scaling",
        text=text,
        numbers=numbers,
        tables=(
            Table(
                f"least squares on the regression set (predicted iterations to rtol {RTOL:g} at "
                "lr = 2 / (L + mu))",
                ("scaling", "L", "mu", "kappa", "2 / L", "predicted iterations"),
                rows,
            ),
        ),
        images=(image,),
        headline=f"kappa raw {numbers['kappa_raw']:,.0f} -> {best[6:]} {numbers[best]:.3g}",
    )
