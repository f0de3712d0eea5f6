"""Conditioning of least squares and the logistic bound, checked against closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from gdlab.analysis import Conditioning, conditioning, conditioning_table
from gdlab.models import LeastSquares, Logistic, Softmax


def test_diagonal_design_closed_form() -> None:
    # X^T X = diag(a^2, b^2) and m = 2, so H = 2 X^T X / m = diag(a^2, b^2).
    a, b = 5.0, 0.5
    c = conditioning(np.diag([a, b]), intercept=False)
    assert c.L == pytest.approx(a**2)
    assert c.mu == pytest.approx(b**2)
    assert c.kappa == pytest.approx((a / b) ** 2)
    assert c.lr_stable == pytest.approx(2 / a**2)
    assert c.lr_best == pytest.approx(2 / (a**2 + b**2))


def test_intercept_is_a_ones_column_appended() -> None:
    # x = [-s, s] has zero mean, so A = [x, 1] has orthogonal columns:
    # A^T A = diag(2 s^2, 2), m = 2, H = 2 A^T A / m = diag(2 s^2, 2).
    s = 3.0
    c = conditioning([[-s], [s]])
    assert (c.L, c.mu) == pytest.approx((2 * s**2, 2.0))
    assert c.intercept
    same = conditioning([[-s, 1.0], [s, 1.0]], intercept=False)
    assert (same.L, same.mu) == pytest.approx((c.L, c.mu))


def test_matches_the_models_own_hessian() -> None:
    X = np.random.default_rng(0).normal(size=(40, 3)) * [1.0, 10.0, 0.1]
    A = np.hstack([X, np.ones((40, 1))])
    eig = np.linalg.eigvalsh(LeastSquares().hessian(None, A))
    c = conditioning(X)
    assert (c.L, c.mu) == pytest.approx((eig[-1], eig[0]))


def test_ridge_shifts_every_eigenvalue() -> None:
    X = np.diag([2.0, 1.0])
    plain = conditioning(X, intercept=False)
    ridge = conditioning(X, model=LeastSquares(l2=0.5), intercept=False)
    assert (ridge.L, ridge.mu) == pytest.approx((plain.L + 0.5, plain.mu + 0.5))
    assert conditioning(X, intercept=False, l2=0.5).L == pytest.approx(ridge.L)


def test_logistic_bound_is_an_eighth_of_least_squares() -> None:
    # X^T X / (4 m) against 2 X^T X / m.
    X = np.random.default_rng(1).normal(size=(30, 2))
    ls, lo = conditioning(X), conditioning(X, model=Logistic())
    assert lo.model == "logistic"
    assert (lo.L, lo.mu) == pytest.approx((ls.L / 8, ls.mu / 8))
    assert lo.kappa == pytest.approx(ls.kappa)


def test_softmax_bound_is_a_quarter_of_least_squares() -> None:
    # Böhning's bound X^T X / (2 m) against 2 X^T X / m.
    X = np.random.default_rng(4).normal(size=(30, 2))
    c = conditioning(X, model=Softmax())
    assert (c.model, c.L) == ("softmax", pytest.approx(conditioning(X).L / 4))


def test_rank_deficient_design_has_zero_mu_and_no_linear_rate() -> None:
    x = np.arange(5.0)[:, None]
    c = conditioning(np.hstack([x, 2 * x]), intercept=False)
    assert c.mu == 0.0
    assert math.isinf(c.kappa)
    assert math.isinf(c.predicted_iterations(1e-3))


def test_zscore_table_matches_correlation_matrix() -> None:
    # After z-scoring, columns have mean 0 and variance 1, so with the intercept
    # H = 2 * blockdiag(corr(X), 1): kappa is that block matrix's eigenvalue ratio.
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 2)) @ np.array([[1.0, 0.6], [0.0, 0.8]]) * [0.1, 10.0] + [5, -3]
    table = conditioning_table(X, scalers={"zscore": StandardScaler(), "minmax": MinMaxScaler})
    eig = np.linalg.eigvalsh(np.block([[np.corrcoef(X.T), np.zeros((2, 1))], [np.zeros(2), 1]]))
    assert table.loc["zscore", "L"] == pytest.approx(2 * eig[-1])
    assert table.loc["zscore", "kappa"] == pytest.approx(eig[-1] / eig[0])
    # The lesson's claim: scaling lowers kappa, z-score most.
    kappa = table["kappa"].to_dict()
    assert kappa["zscore"] < kappa["minmax"] < kappa["raw"]
    assert list(table.columns) == [
        "L",
        "mu",
        "kappa",
        "lr_stable",
        "lr_best",
        "predicted_iterations",
    ]


def test_table_defaults_to_gdlab_scalers() -> None:
    from gdlab.scaling import SCALERS

    X = np.random.default_rng(3).normal(size=(50, 2)) * [100.0, 0.01]
    table = conditioning_table(X)
    assert list(table.index) == ["raw", *SCALERS]


def test_repr_shows_configuration() -> None:
    text = repr(Conditioning(L=4.0, mu=1.0))
    assert "L=4" in text and "kappa=4" in text and "least_squares" in text


@pytest.mark.parametrize(
    ("X", "kwargs", "match"),
    [
        ([[1.0, np.nan]], {}, "NaN"),
        ([1.0, 2.0], {}, "2-D"),
        ([[0.0, 0.0]], {"intercept": False}, "no curvature"),
        ([[1.0]], {"model": "poisson"}, "model must be one of"),
        ([[1.0]], {"l2": -1.0}, "l2 must be"),
    ],
)
def test_bad_input_is_a_value_error(X: object, kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        conditioning(X, **kwargs)  # type: ignore[arg-type]


def test_unknown_model_object_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="LeastSquares"):
        conditioning([[1.0]], model=object())


def test_table_leaves_the_callers_scaler_unfitted() -> None:
    mine = StandardScaler()
    conditioning_table(np.random.default_rng(5).normal(size=(20, 2)), scalers={"z": mine})
    assert not hasattr(mine, "mean_")


def test_huge_features_give_the_true_curvature_or_a_value_error() -> None:
    # X^T X overflows from |x| ~ 1e154 on; numpy then said "Eigenvalues did not converge".
    X = np.full((1000, 1), 1e153)  # sum of squares 1e309 overflows, the mean 1e306 does not
    c = conditioning(X, intercept=False)
    assert c.L == pytest.approx(2e306, rel=1e-12)  # 2 * mean(x^2), the closed form
    with pytest.raises(ValueError, match="curvature of X overflows float64"):
        conditioning(np.array([[1e160, 1.0], [-1e160, 2.0]]))


def test_no_linalg_error_escapes_from_analysis_or_estimators() -> None:
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    from gdlab.analysis import lr_range_test, stability_map
    from gdlab.estimators import GDClassifier, GDRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2)) * 1e155
    y = (X[:, 0] > 0).astype(float)
    frame = stability_map(Logistic(), X, y, lrs=[0.1], batch_sizes=[8], epochs=3)
    assert frame["diverged"].tolist() == [True]
    assert "lr_stable" not in frame.attrs  # L lies beyond float64
    with pytest.raises(ValueError) as caught:
        lr_range_test(Logistic(), X, y, num_iter=20)
    assert not isinstance(caught.value, np.linalg.LinAlgError)
    for estimator in (GDRegressor(), GDClassifier(), GDClassifier(lr=0.1, batch_size=8)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            with pytest.raises(ValueError) as caught:
                estimator.fit(X, y)
        assert not isinstance(caught.value, np.linalg.LinAlgError), caught.value


def test_an_intercept_free_penalty_spares_the_ones_column() -> None:
    from gdlab.models import InterceptFreeL2

    rng = np.random.default_rng(2)
    A = np.c_[rng.normal(size=(30, 2)), np.ones(30)]
    model = InterceptFreeL2(LeastSquares(), l2=0.5)
    # Oracle: the Hessian of the quadratic column by column from its gradients.
    y, zero = np.zeros(30), np.zeros(3)
    H = np.column_stack([model.grad(e, A, y) - model.grad(zero, A, y) for e in np.eye(3)])
    eig = np.linalg.eigvalsh(H)
    c = conditioning(A, model=model, intercept=False)
    assert c.L == pytest.approx(eig[-1], rel=1e-12) and c.mu == pytest.approx(eig[0], rel=1e-12)
    assert c.mu < conditioning(A, model=LeastSquares(l2=0.5), intercept=False).mu
