"""Exactness, overflow, sparse input and the compiled kernels' fallbacks.

Expected values come from scikit-learn, from extended precision (``np.longdouble``, whose
range reaches 1e4932 on x86, so it holds the squares that overflow float64) and from closed
forms.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn.preprocessing as skp
from scipy import sparse

from gdlab.scaling import (
    MaxAbsScaler,
    MinMaxScaler,
    RobustScaler,
    SigmoidScaler,
    StandardScaler,
    kernels,
)
from gdlab.scaling.affine import affine
from gdlab.scaling.checks import check_block

# C order runs the row kernels, F order the column kernels (the same arithmetic), and "numpy"
# (numba switched off) the NumPy path.
LAYOUTS = ["C", "F", "numpy"]


@pytest.fixture
def no_numba(monkeypatch: pytest.MonkeyPatch):
    def switch_off() -> None:
        monkeypatch.setattr(kernels, "compiled", lambda: None)

    return switch_off


def _layout(X: np.ndarray, order: str, no_numba=None) -> np.ndarray:
    if order == "numpy":
        no_numba()
    return np.asfortranarray(X) if order == "F" else np.ascontiguousarray(X)


def _reference(col: np.ndarray) -> tuple[float, float]:
    x = col.astype(np.longdouble)
    mean = x.mean()
    return float(mean), float(np.sqrt(((x - mean) ** 2).mean()))


@pytest.mark.parametrize("order", LAYOUTS)
@pytest.mark.parametrize("value", [0.1, np.log(1e-5), 1e10 + 0.3])
def test_an_exactly_constant_column_has_zero_variance(order, value, no_numba):
    X = _layout(np.full((10, 2), value), order, no_numba)
    ours, theirs = StandardScaler().fit(X), skp.StandardScaler().fit(X)
    np.testing.assert_array_equal(ours.var_, theirs.var_)  # 0, not rounding residue
    np.testing.assert_array_equal(ours.var_, 0.0)
    np.testing.assert_array_equal(ours.transform(X), 0.0)
    np.testing.assert_array_equal(StandardScaler().fit_transform(X), 0.0)


@pytest.mark.parametrize("order", LAYOUTS)
def test_narrow_data_far_from_zero_is_exact_to_rounding(order, no_numba):
    # 1e8 + N(0, 1): the mean's rounding at 1e8 (1.5e-8) once cost 1.7e-9 of the variance.
    X = _layout(1e8 + np.random.default_rng(0).standard_normal((100_000, 2)), order, no_numba)
    s = StandardScaler().fit(X)
    for j in range(2):
        mean, std = _reference(X[:, j])
        assert abs(s.var_[j] - std**2) <= 1e-14 * std**2
        assert abs(s.mean_[j] - mean) <= 1e-15 * abs(mean)


@pytest.mark.parametrize("order", LAYOUTS)
def test_squares_beyond_float64_are_measured_in_scaled_units(order, no_numba):
    # Deviations near 1e154 square to near 1e308: their sum overflows, the variance does not.
    rng = np.random.default_rng(1)
    columns = [1e154 * rng.standard_normal(1000), rng.standard_normal(1000)]
    X = _layout(np.column_stack(columns), order, no_numba)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = StandardScaler().fit(X)
        Z = s.transform(X)
    mean, std = _reference(X[:, 0])
    np.testing.assert_allclose([s.mean_[0], s.scale_[0]], [mean, std], rtol=1e-12)
    np.testing.assert_allclose(Z[:, 0], (X[:, 0] - mean) / std, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, rtol=1e-12)


@pytest.mark.parametrize("order", LAYOUTS)
def test_a_variance_beyond_float64_names_its_column(order, no_numba):
    X = _layout(np.column_stack([np.arange(4.0), [-1e300, 1e300, -1e300, 1e300]]), order, no_numba)
    with pytest.raises(ValueError, match=r"variance of column\(s\) \[1\] exceeds"):
        StandardScaler().fit(X)
    with pytest.raises(ValueError, match=r"variance of column\(s\) \[1\] exceeds"):
        StandardScaler().fit(pd.DataFrame(X, columns=["a", "b"]))  # the CLI's path


def test_the_cli_refuses_overflowing_statistics_instead_of_writing_nan(tmp_path, capsys):
    from gdlab.cli.main import main

    data = tmp_path / "big.csv"
    pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [-1e300, 1e300, -1e300]}).to_csv(data, index=False)
    params = tmp_path / "p.json"
    assert main(["scale", "fit", str(data), "--method", "zscore", "-o", str(params)]) == 2
    err = capsys.readouterr().err
    assert "variance of column(s) [1] exceeds" in err and "Traceback" not in err
    assert not params.exists()


@pytest.mark.parametrize("order", LAYOUTS)
def test_a_range_beyond_float64_names_its_column(order, no_numba):
    X = _layout(np.array([[0.0, -1e308], [1.0, 1e308]]), order, no_numba)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning flood on the way
        with pytest.raises(ValueError, match=r"range \(max - min\) of column\(s\) \[1\]"):
            MinMaxScaler().fit(X)
        with pytest.raises(ValueError, match=r"quantile range of column\(s\) \[1\]"):
            RobustScaler(quantile_range=(0.0, 100.0)).fit(X)
        # The quartiles themselves fit: median 0, quartiles -+5e307 (closed forms).
        s = RobustScaler().fit(X)
        np.testing.assert_allclose([s.center_[1], s.scale_[1]], [0.0, 1e308], rtol=1e-15)
        np.testing.assert_allclose(s.transform(X)[:, 1], [-1.0, 1.0], rtol=1e-15)


@pytest.mark.parametrize("name", ["StandardScaler", "MinMaxScaler", "MaxAbsScaler"])
@pytest.mark.parametrize("order", LAYOUTS)
def test_float32_near_its_maximum_transforms_to_the_finite_result(name, order, no_numba):
    # x - mean (or x - min) exceeds 3.4e38 although every result is of order 1.
    X = np.array([[3.3e38, 1.0], [3.3e38, 2.0], [-3.3e38, 4.0]], dtype=np.float32)
    Xf = _layout(X, order, no_numba)
    ours = getattr(__import__("gdlab.scaling", fromlist=[name]), name)().fit(Xf)
    expected = getattr(skp, name)().fit(X.astype(np.float64)).transform(X.astype(np.float64))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Z = ours.transform(Xf)
    assert Z.dtype == np.float32 and np.isfinite(Z).all()
    np.testing.assert_allclose(Z, expected.astype(np.float32), rtol=1e-6)
    back = ours.inverse_transform(Z)
    np.testing.assert_allclose(back, X, rtol=1e-6)


@pytest.mark.parametrize("order", LAYOUTS)
def test_a_transform_that_overflows_names_its_column(order, no_numba):
    s = StandardScaler().fit([[0.0, 0.0], [1e-150, 1.0]])  # scale_ 5e-151
    with pytest.raises(ValueError, match=r"scaled values of column\(s\) \[0\] exceed the largest"):
        s.transform(_layout(np.array([[1e160, 0.5], [0.0, 0.5]]), order, no_numba))


def test_affine_runs_a_given_check_before_writing_on_the_compiled_path():
    X = np.random.default_rng(2).normal(size=(50, 3))
    out = np.full_like(X, 7.0)

    def refuse(block):
        raise ValueError("refused by the check")

    with pytest.raises(ValueError, match="refused by the check"):
        affine(X, np.zeros(3), np.ones(3), out, check=refuse)
    np.testing.assert_array_equal(out, 7.0)  # nothing written
    # In place with the default check: ±inf is refused before the caller's array changes.
    Y = X.copy()
    Y[-1, 2] = np.inf
    before = Y.copy()
    with pytest.raises(ValueError, match=r"infinity in column\(s\) \[2\]"):
        affine(Y, np.zeros(3), np.full(3, 2.0), Y, check=check_block)
    np.testing.assert_array_equal(Y, before)


# -- sparse input ------------------------------------------------------------------------------


def _sparse_data(dtype=np.float64) -> np.ndarray:
    rng = np.random.default_rng(3)
    X = rng.normal(2.0, 3.0, size=(60, 4)) * (rng.uniform(size=(60, 4)) < 0.3)
    X[5, 1] = np.nan
    return X.astype(dtype)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.MaxAbsScaler(),
        lambda m: m.StandardScaler(with_mean=False),
        lambda m: m.RobustScaler(with_centering=False),
    ],
    ids=["maxabs", "standard", "robust"],
)
def test_sparse_input_matches_scikit_learn(fmt, dtype, make):
    import gdlab.scaling as gd

    X = (
        sparse.csr_array(_sparse_data(dtype))
        if fmt == "csr"
        else sparse.csc_array(_sparse_data(dtype))
    )
    ours, theirs = make(gd).fit(X), make(skp).fit(X)
    assert ours.scale_.dtype == np.float64
    np.testing.assert_allclose(
        ours.scale_, theirs.scale_, rtol=1e-6 if dtype == np.float32 else 1e-12
    )
    Z = ours.transform(X)
    assert sparse.issparse(Z) and Z.format == fmt and Z.nnz == X.nnz and Z.dtype == dtype
    np.testing.assert_allclose(Z.toarray(), theirs.transform(X).toarray(), rtol=1e-6)
    np.testing.assert_allclose(ours.inverse_transform(Z).toarray(), X.toarray(), rtol=1e-6)
    assert ours.fit_transform(X).nnz == X.nnz


def test_sparse_partial_fit_and_weights_match_scikit_learn():
    X = sparse.csr_array(_sparse_data())
    w = np.random.default_rng(4).uniform(0.5, 2.0, size=60)
    ours = StandardScaler(with_mean=False).partial_fit(X[:25], sample_weight=w[:25])
    ours.partial_fit(X[25:], sample_weight=w[25:])
    theirs = skp.StandardScaler(with_mean=False).fit(X, sample_weight=w)
    np.testing.assert_allclose(ours.var_, theirs.var_, rtol=1e-12)
    np.testing.assert_allclose(ours.n_samples_seen_, theirs.n_samples_seen_, rtol=1e-12)
    m = MaxAbsScaler().partial_fit(X[:25]).partial_fit(X[25:])
    np.testing.assert_array_equal(m.max_abs_, skp.MaxAbsScaler().fit(X).max_abs_)


def test_sparse_input_that_would_densify_is_refused():
    X = sparse.csr_array(_sparse_data())
    with pytest.raises(ValueError, match="Cannot center sparse matrices: pass `with_mean=False`"):
        StandardScaler().fit(X)
    with pytest.raises(ValueError, match="Cannot center sparse matrices: use `with_centering"):
        RobustScaler().fit(X)
    for scaler in (MinMaxScaler(), SigmoidScaler()):
        with pytest.raises(TypeError, match=r"does not take sparse input.*MaxAbsScaler"):
            scaler.fit(X)
    dense = _sparse_data()
    dense[3, 2] = np.inf
    Y = sparse.csr_array(dense)
    with pytest.raises(ValueError, match=r"infinity in column\(s\) \[2\]"):
        MaxAbsScaler().fit(Y)


# -- numba: optional, lazy, and without a writable cache -----------------------------------------

SRC = Path(__file__).resolve().parents[1] / "src"


def _python(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def test_scaling_works_without_numba_and_loads_it_lazily(tmp_path):
    code = """
        import sys
        import numpy as np
        from sklearn.preprocessing import StandardScaler as Sk
        import gdlab.scaling as gd
        assert sys.modules.get("numba") is None, "numba loaded at import"
        X = np.random.default_rng(0).normal(5.0, 2.0, size=(300, 4))
        np.testing.assert_allclose(gd.StandardScaler().fit_transform(X), Sk().fit_transform(X))
        print(sys.modules.get("numba") is not None)
    """
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    lazy = _python(code, env, tmp_path)
    assert lazy.returncode == 0, lazy.stderr
    assert lazy.stdout.strip() == "True"  # loaded on first use
    missing = _python(
        "import sys; sys.modules['numba'] = None\n" + textwrap.dedent(code), env, tmp_path
    )
    assert missing.returncode == 0, missing.stderr
    assert missing.stdout.strip() == "False"


def test_no_writable_cache_folder_compiles_without_a_cache(tmp_path):
    # A read-only copy of the package and a read-only home, NUMBA_CACHE_DIR unset: numba has
    # no folder for its cache. (Root ignores file modes, so numba's cache locators are also
    # taken away there, which is what a read-only install looks like to numba.)
    package = tmp_path / "site"
    shutil.copytree(SRC / "gdlab", package / "gdlab", ignore=shutil.ignore_patterns("__pycache__"))
    home = tmp_path / "home"
    home.mkdir()
    for path in [package, *package.rglob("*"), home]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    code = """
        import os
        if os.geteuid() == 0:
            from numba.core import caching
            impl = getattr(caching, "_CacheImpl", None) or caching.CacheImpl
            impl._locator_classes = []
        import numpy as np
        import gdlab.optim.compiled
        from gdlab.scaling import StandardScaler
        X = np.random.default_rng(0).normal(size=(100, 3))
        print(float(abs(StandardScaler().fit_transform(X).mean(axis=0)).max()) < 1e-12)
    """
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(HOME=str(home), PYTHONPATH=str(package), PYTHONDONTWRITEBYTECODE="1")
    try:
        result = _python(code, env, tmp_path)
    finally:
        for path in [package, *package.rglob("*"), home]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert "cannot cache function" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
