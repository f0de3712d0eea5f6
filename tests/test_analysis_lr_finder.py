"""The learning-rate range test on least squares, where 2/L is known exactly."""

from __future__ import annotations

import numpy as np
import pytest

from gdlab.analysis import LRFinderResult, conditioning, lr_range_test
from gdlab.models import LeastSquares


def design(seed: int, scale: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.c_[rng.normal(size=(100, 2)) * scale, np.ones(100)]
    return X, X @ [2.0, -1.0, 0.5] + 0.1 * rng.normal(size=100)


@pytest.mark.parametrize("scale", [(1.0, 1.0), (0.1, 10.0)])
@pytest.mark.parametrize("batch_size", [None, 10])
@pytest.mark.parametrize("rule", ["steep", "minimum"])
def test_suggestion_is_below_two_over_L_within_a_factor_twenty(
    scale: tuple[float, float], batch_size: int | None, rule: str
) -> None:
    # Measured ratios on these problems: steep 0.08-0.16, minimum 0.13-0.66 of 2/L.
    X, y = design(0, scale)
    res = lr_range_test(LeastSquares(), X, y, batch_size=batch_size, rule=rule)
    edge = conditioning(X, intercept=False).lr_stable
    assert res.lr_stable == pytest.approx(edge)
    assert res.ratio is not None
    assert edge / 20 < res.suggestion < edge
    assert res.ratio == pytest.approx(res.suggestion / edge)


def test_sweep_is_geometric_and_stops_after_the_blow_up() -> None:
    X, y = design(1, (1.0, 1.0))
    res = lr_range_test(LeastSquares(), X, y, start_lr=1e-6, end_lr=100.0, num_iter=80)
    ratios = res.lrs[1:] / res.lrs[:-1]
    np.testing.assert_allclose(ratios, (100.0 / 1e-6) ** (1 / 80), rtol=1e-12)
    assert res.lrs[0] == pytest.approx(1e-6)
    assert res.lrs.size < 80  # stopped early: the loss exploded past 2/L
    assert (res.smoothed <= 4.0 * np.minimum.accumulate(res.smoothed)).all()
    assert res.lr_stable is not None and res.lrs[-1] > res.lr_stable


def test_smoothing_is_a_debiased_moving_average() -> None:
    X, y = design(2, (1.0, 1.0))
    res = lr_range_test(LeastSquares(), X, y, beta=0.9)
    avg, expected = 0.0, []
    for i, value in enumerate(res.losses):
        avg = 0.9 * avg + 0.1 * value
        expected.append(avg / (1 - 0.9 ** (i + 1)))
    np.testing.assert_allclose(res.smoothed, expected, rtol=1e-12)
    assert res.smoothed[0] == pytest.approx(res.losses[0])


def test_repr_and_unknown_curvature() -> None:
    res = LRFinderResult(
        lrs=np.ones(3), losses=np.ones(3), smoothed=np.ones(3), suggestion=0.1, rule="steep",
        lr_stable=None,
    )  # fmt: skip
    assert res.ratio is None
    assert repr(res) == "LRFinderResult(suggestion=0.1, rule='steep', lr_stable=None, n_iter=3)"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start_lr": 1.0, "end_lr": 0.1}, "start_lr < end_lr"),
        ({"num_iter": 2}, "num_iter"),
        ({"rule": "valley"}, "rule must be"),
        ({"beta": 1.0}, "beta"),
        ({"start_lr": 5.0, "end_lr": 1e6}, "lower start_lr"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    X, y = design(3, (1.0, 1.0))
    with pytest.raises(ValueError, match=match):
        lr_range_test(LeastSquares(), X, y, **kwargs)  # type: ignore[arg-type]


def test_the_sweep_stops_at_the_blow_up_without_running_the_remaining_updates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 100,000 updates asked for on a rate range that crosses 2/L early: fastai's rule stops
    # at the first smoothed loss above 4 x the best, and no update runs after it.
    import gdlab.analysis.lr_finder as finder

    taken = []
    real_iterate = finder.iterate

    def counting(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        for update in real_iterate(*args, **kwargs):  # type: ignore[arg-type]
            taken.append(update.step)
            yield update

    monkeypatch.setattr(finder, "iterate", counting)
    X, y = design(1, (1.0, 1.0))
    edge = conditioning(X, intercept=False).lr_stable
    res = lr_range_test(LeastSquares(), X, y, start_lr=1e-3, end_lr=1e3, num_iter=100_000)
    assert res.lrs.size < 100_000
    assert len(taken) == res.lrs.size + 1  # the update that blew up, and none after it
    # The stop comes past 2/L (unstable rates), not before: the curve is complete.
    assert edge < res.lrs[-1] < 4 * edge


def test_the_count_is_bounded() -> None:
    X, y = design(1, (1.0, 1.0))
    for count in (finder_max() + 1, 10**8):
        with pytest.raises(ValueError, match="num_iter must be from 5 to 100,000"):
            lr_range_test(LeastSquares(), X, y, start_lr=1e-3, end_lr=1e6, num_iter=count)
    with pytest.raises(ValueError, match="num_iter must be an integer"):
        lr_range_test(LeastSquares(), X, y, num_iter=50.5)  # type: ignore[arg-type]


def finder_max() -> int:
    from gdlab.analysis.lr_finder import MAX_NUM_ITER

    assert MAX_NUM_ITER == 100_000  # the bound the README states
    return MAX_NUM_ITER


def test_a_sweep_wider_than_300_decades_is_refused_and_one_just_inside_runs() -> None:
    X, y = design(1, (1.0, 1.0))
    with pytest.raises(ValueError, match=r"start_lr must be at least end_lr / 1e300 = 1e-299"):
        lr_range_test(LeastSquares(), X, y, start_lr=1e-320, end_lr=10.0)
    res = lr_range_test(LeastSquares(), X, y, start_lr=1e-290, end_lr=10.0, num_iter=400)
    assert res.lrs[0] == pytest.approx(1e-290)
    np.testing.assert_allclose(res.lrs[1:] / res.lrs[:-1], 10.0 ** (291 / 400), rtol=1e-9)


@pytest.mark.parametrize("end_lr", [np.inf, np.nan])
def test_an_end_rate_that_is_not_finite_is_refused(end_lr: float) -> None:
    X, y = design(1, (1.0, 1.0))
    with pytest.raises(ValueError, match="end_lr < inf"):
        lr_range_test(LeastSquares(), X, y, end_lr=end_lr)
