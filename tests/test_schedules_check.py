"""schedules.check: the lint finds what it promises and stays quiet on a clean schedule."""

from __future__ import annotations

from gdlab import schedules as S


def _kinds(s: S.Schedule, n: int) -> list[str]:
    return [f.kind for f in S.check(s, n)]


def test_clean_schedule_has_no_findings() -> None:
    assert S.check(S.cosine(lr=0.1, total_steps=100, min_lr=0.001), 101) == []
    assert S.check(S.exponential(lr=0.2, gamma=0.95), 20) == []


def test_zero_rate_is_reported_with_its_step() -> None:
    (finding,) = [f for f in S.check(S.linear(0.0, 0.1, 10), 20) if f.kind == "non_positive"]
    assert finding.step == 0 and "lr <= 0 at steps 0" in finding.message


def test_jumps_are_reported() -> None:
    findings = S.check(S.multistep(lr=1.0, milestones=[5, 50], gamma=0.1), 100)
    jumps = [f for f in findings if f.kind == "jump"]
    assert len(jumps) == 1 and jumps[0].step == 5  # 1.0 -> 0.1; 0.1 -> 0.01 is below 50% of peak


def test_peak_never_reached() -> None:
    s = S.warmup_cosine(lr=0.1, warmup_steps=50, decay_steps=200)
    (finding,) = [f for f in S.check(s, 30) if f.kind == "peak_not_reached"]
    assert finding.step == 50 and "0.1" in finding.message


def test_after_the_horizon_hold_or_rise() -> None:
    hold = S.check(S.cosine(lr=0.1, total_steps=10, min_lr=0.01), 20)
    assert [f.kind for f in hold] == ["after_horizon"] and "holds 0.01" in hold[0].message
    rise = S.check(S.cosine(lr=0.1, total_steps=10, min_lr=0.01, dialect="torch"), 20)
    assert [f.kind for f in rise] == ["after_horizon"] and "rises again" in rise[0].message


def test_run_shorter_than_the_schedule() -> None:
    findings = S.check(S.linear(0.1, 0.01, 100), 50)
    assert _kinds(S.linear(0.1, 0.01, 100), 50) == ["horizon_beyond_run"]
    assert "ends at step 100" in findings[0].message
    assert str(findings[0]).startswith("horizon_beyond_run: ")


def test_uncapped_growth_is_non_finite() -> None:
    findings = S.check(S.exponential(lr=1e-7, gamma=1.5), 2000)
    assert [f.kind for f in findings] == ["non_finite"]
    assert "end_lr" in findings[0].message
    assert S.check(S.exponential(lr=1e-7, gamma=1.5, end_lr=1.0), 2000) == [
        S.Finding(
            "after_horizon", 40, "the schedule ends at step 40 and holds 1 for the last 1960 steps."
        )
    ]


def test_long_runs_are_sampled() -> None:
    s = S.cosine(lr=0.1, total_steps=10**9)
    assert [f.kind for f in S.check(s, 5 * 10**6)] == ["horizon_beyond_run"]
    assert [f.kind for f in S.check(S.warmup_cosine(0.1, 10**8, 10**9), 10**7)] == [
        "non_positive",  # the warmup starts at 0
        "peak_not_reached",
        "horizon_beyond_run",
    ]
