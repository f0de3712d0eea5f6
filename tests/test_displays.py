"""Jupyter displays: Trajectory, schedules, ReduceOnPlateau and its state; scalers keep theirs."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from gdlab import display, schedules
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.scaling import SCALERS
from gdlab.trajectory import Trajectory

SVG = "{http://www.w3.org/2000/svg}"


def _svg(html: str) -> ET.Element:
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    return ET.fromstring(html[start:end])


def _points(svg: ET.Element) -> list[list[tuple[float, float]]]:
    return [
        [tuple(float(v) for v in p.split(",")) for p in line.get("points", "").split()]
        for line in svg.iter(f"{SVG}polyline")
    ]


def _trajectory(loss: list[float], status: str = "max_epochs", reason: str = "") -> Trajectory:
    n = len(loss)
    return Trajectory(
        params=np.zeros((n, 2)), loss=np.array(loss), lr=np.r_[np.nan, np.full(n - 1, 0.1)],
        epoch=np.arange(n), step=np.arange(n) * 2, grad_norm=np.linspace(1.0, 0.1, n),
        samples_seen=np.arange(n) * 10, time=np.zeros(n), status=status, reason=reason,
    )  # fmt: skip


def test_sparkline_maps_values_linearly_onto_the_box() -> None:
    # y = 4, 2, 0 on a 100 x 40 box with a 3-pixel margin: top, middle, bottom; x evenly.
    svg = ET.fromstring(display.sparkline_svg([4.0, 2.0, 0.0], width=100, height=40))
    assert svg.get("width") == "100" and svg.get("height") == "40"
    assert _points(svg) == [[(3.0, 3.0), (50.0, 20.0), (97.0, 37.0)]]
    assert not list(svg.iter(f"{SVG}text"))  # a linear axis carries no "log" mark


def test_sparkline_log_scale_for_wide_positive_ranges() -> None:
    # 1e4, 1e2, 1: equally spaced in log10, so the middle point is at mid-height.
    svg = ET.fromstring(display.sparkline_svg([1e4, 1e2, 1.0], width=100, height=40))
    assert "log scale" in svg.get("aria-label", "")
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["log"]
    assert _points(svg)[0][1] == (50.0, 20.0)


def test_sparkline_breaks_at_non_finite_values_and_thins_long_series() -> None:
    svg = ET.fromstring(display.sparkline_svg([3.0, 2.0, np.inf, 1.0, 0.5, np.nan]))
    assert [len(line) for line in _points(svg)] == [2, 2]
    long = ET.fromstring(display.sparkline_svg(np.arange(10_000.0)))
    (line,) = _points(long)
    assert len(line) == display.MAX_POINTS
    assert line[-1][0] == 240 - 3.0  # the last value is always drawn, at the right edge


def test_sparkline_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="same length"):
        display.sparkline_svg([1.0, 2.0], [0.0])


def test_trajectory_html_shows_status_counters_final_loss_and_curve() -> None:
    t = _trajectory([8.0, 4.0, 2.0, 1.0])
    html = t._repr_html_()
    assert "max_epochs" in html
    assert "<th" in html and ">3<" in html  # epochs
    assert ">6<" in html and ">30<" in html  # updates and samples seen
    assert "8 &rarr; <strong>1</strong>" in html
    (line,) = _points(_svg(html))
    ys = [y for _, y in line]
    assert ys == sorted(ys)  # a falling loss is drawn going down the box
    xs = [x for x, _ in line]
    assert xs[0] == 3.0 and xs[-1] == 237.0


def test_trajectory_html_of_a_real_diverged_run_names_the_reason() -> None:
    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=(50, 2)), np.ones(50)]
    y = X @ [1.0, 2.0, 3.0]
    run = descend(LeastSquares(), X, y, lr=5.0, epochs=50)
    html = run._repr_html_()
    assert run.status == "diverged"
    assert "diverged" in html and "2/L" in html
    assert "constant(lr=5.0)" in html and "full batch" in html


def test_trajectory_html_escapes_text() -> None:
    html = _trajectory([1.0, 0.5], reason="<b>odd</b> & more")._repr_html_()
    assert "&lt;b&gt;odd&lt;/b&gt; &amp; more" in html and "<b>odd" not in html


@pytest.mark.parametrize(
    ("schedule", "end"),
    [
        (schedules.exponential(lr=0.2, gamma=0.95), 100),  # no horizon: 100 steps
        (schedules.cosine(lr=0.1, total_steps=100), 110),  # a tenth past the horizon
        (schedules.cosine(lr=0.1, total_steps=10**12), 10**12 + 10**11),
    ],
)
def test_schedule_html_draws_the_curve_over_its_horizon(
    schedule: schedules.Schedule, end: int
) -> None:
    html = schedule._repr_html_()
    assert f"<code>{schedule}</code>" in html
    assert f"steps 0&ndash;{end}" in html
    (line,) = _points(_svg(html))
    assert len(line) <= display.MAX_POINTS
    # The first point is the largest rate (top of the box) for these decays.
    assert line[0][1] == min(y for _, y in line)
    assert f"s(0) = {schedule(0):.6g}" in html
    assert f"s({end}) = {schedule(end):.6g}" in html


def test_schedule_html_values_are_the_schedule_s() -> None:
    s = schedules.exponential(lr=0.2, gamma=0.95)
    html = s._repr_html_()
    # 0.2 * 0.95 = 0.19, 0.2 * 0.95**50 = 0.0153890..., 0.2 * 0.95**100 = 0.00118411...
    assert "s(0) = 0.2, s(1) = 0.19, s(50) = 0.015389, s(100) = 0.00118411" in html


def test_momentum_schedule_html_says_momentum() -> None:
    s = schedules.cyclic(base_lr=0.01, max_lr=0.1, step_size_up=10).momentum(0.8, 0.9)
    html = s._repr_html_()
    assert ">momentum</th>" in html and "momentum over steps" in html
    assert f"s(0) = {s(0):.6g}" in html and ">lr</th>" not in html


def test_trajectory_html_shows_the_validation_loss_when_recorded() -> None:
    t = _trajectory([4.0, 2.0])
    assert "validation loss" not in t._repr_html_()
    t.val_loss = np.array([5.0, 2.5])
    assert '>validation loss</th><td style="text-align:left">2.5<' in t._repr_html_()


def test_schedule_html_escapes_a_python_function() -> None:
    html = schedules.factor(0.2, lambda epoch: 0.95**epoch)._repr_html_()
    assert "fn=&lt;function " in html and "&lt;lambda&gt;&gt;)</code>" in html
    assert "<lambda>" not in html and "<locals>" not in html


def test_plateau_controller_and_state_html() -> None:
    rop = schedules.ReduceOnPlateau(factor=0.5, patience=1)
    html = rop._repr_html_()
    for name, value in (("factor", "0.5"), ("patience", "1"), ("dialect", "torch")):
        assert f'>{name}</th><td style="text-align:left">{value}<' in html
    state = rop.init()
    for loss in (1.0, 0.9, 0.9, 0.9):
        state = rop.update(state, loss)
    state_html = state._repr_html_()
    assert '>scale</th><td style="text-align:left">0.5<' in state_html
    assert '>best</th><td style="text-align:left">0.9<' in state_html
    assert '>count</th><td style="text-align:left">4<' in state_html


@pytest.mark.parametrize("name", sorted(SCALERS))
def test_scalers_keep_scikit_learn_html_repr(name: str) -> None:
    from sklearn.utils import estimator_html_repr

    scaler = SCALERS[name]()
    html = scaler._repr_html_()
    assert "sk-top-container" in html and type(scaler).__name__ in html
    assert "gdlab-display" not in html
    assert estimator_html_repr(scaler).count("sk-top-container") == html.count("sk-top-container")


def test_display_module_imports_nothing_of_gdlab() -> None:
    # It sits below every layer that uses it (schedules, trajectory), so it may import none.
    path = Path(display.__file__)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [
        getattr(node, "module", None) or ",".join(a.name for a in node.names)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]
    assert not [m for m in imported if m.startswith("gdlab")], imported
    assert not [m for m in imported if "matplotlib" in m], imported
