"""Threads are opt-in: one shared pool, used only inside ``gdlab.threads.workers(k)``."""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from gdlab import threads
from gdlab.scaling import StandardScaler
from gdlab.scaling.blocks import PARALLEL_MIN_ELEMENTS


@pytest.fixture
def two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threads, "usable_cpus", lambda: 2)


@pytest.mark.usefixtures("two_cpus")
def test_one_thread_unless_asked_for() -> None:
    assert threads.allowed() == 1
    with threads.workers(2):
        assert threads.allowed() == 2
        with threads.workers(1):
            assert threads.allowed() == 1
        with threads.workers(8):  # never more than the CPUs
            assert threads.allowed() == 2
        with threads.workers(np.int64(2)):
            assert threads.allowed() == 2
    assert threads.allowed() == 1


def test_the_setting_does_not_leak_into_other_threads() -> None:
    with threads.workers(2), ThreadPoolExecutor(1) as other:
        seen = other.submit(lambda: threads._WORKERS.get()).result()
    assert seen == 1
    assert contextvars.copy_context().run(threads._WORKERS.get) == 1


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2", None])
def test_a_bad_count_is_refused(bad: object) -> None:
    with (
        pytest.raises(ValueError, match=r"workers must be an int >= 1, got "),
        threads.workers(bad),
    ):  # type: ignore[arg-type]
        pass


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the jobs submitted to the shared pool."""
    submitted: list[int] = []
    pool = threads._pool_of(-1)
    submit = pool.submit

    def counted(fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        submitted.append(1)
        return submit(fn, *args, **kwargs)

    monkeypatch.setattr(pool, "submit", counted)
    monkeypatch.setattr(threads, "_pool_of", lambda pid: pool)
    return submitted


@pytest.mark.usefixtures("two_cpus")
def test_run_jobs_keeps_the_order_and_uses_the_pool_only_when_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    submitted = _spy(monkeypatch)
    jobs = [lambda k=k: k * k for k in range(5)]
    assert threads.run_jobs(jobs) == [0, 1, 4, 9, 16]
    assert not submitted
    with threads.workers(2):
        assert threads.run_jobs(jobs) == [0, 1, 4, 9, 16]
    assert len(submitted) == 5


@pytest.mark.usefixtures("two_cpus")
def test_a_scaler_uses_the_shared_pool_inside_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    submitted = _spy(monkeypatch)
    X = np.random.default_rng(0).normal(size=(PARALLEL_MIN_ELEMENTS // 4 + 3, 4))
    alone = StandardScaler().fit(X)
    assert not submitted
    with threads.workers(2):
        shared = StandardScaler().fit(X)
    assert submitted
    # The same statistics; only the merge of the partial sums differs.
    np.testing.assert_allclose(shared.mean_, alone.mean_, rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(shared.var_, alone.var_, rtol=1e-12)
