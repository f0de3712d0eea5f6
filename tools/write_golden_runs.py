"""Write ``tests/data/golden_runs.json``: gdlab's Python engine on every kind of run the lesson
page makes, for the page's JavaScript engine to replay iterate by iterate.

    python tools/write_golden_runs.py

Everything in the file is computed here by gdlab itself: ``gdlab.optim.descend`` (with
``record="step"`` or ``"epoch"``, on the engine it picks: the Gram stepper for full batch, the
compiled loops for plain SGD and mini-batches, NumPy for momentum), the real scalers of
``gdlab.scaling`` and ``gdlab.analysis.conditioning``. Shuffled runs store the row order of
every epoch, reconstructed from the same generator the engine draws them from
(``numpy.random.default_rng(seed).permutation(n)`` once per epoch, see
``gdlab.optim.batching.Batcher.epoch``); the replay in ``tests/js/`` proves they are the ones
the run used, since any other order gives other iterates.

Floats are written by ``repr`` (shortest round-trip form, nothing rounded); non-finite values
as the strings ``"Infinity"``, ``"-Infinity"`` and ``"NaN"`` (JSON has no such numbers).
Each case's ``js`` object is the options of ``gdlab.descend`` that replay it (``X`` and ``y``
come from its design). ``tests/test_page_engine.py`` reruns a few cases and checks the file
is current.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from gdlab import lesson, schedules
from gdlab.analysis import conditioning
from gdlab.datasets import add_intercept
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.optim.rules import Momentum
from gdlab.report.data import regression_problem
from gdlab.scaling import MinMaxScaler, SigmoidScaler, StandardScaler

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "golden_runs.json"
SEED = 24  # the lesson's seed: its contour start, its split and the engine's shuffles
Array = np.ndarray
Design = tuple[Array, Array]


# -- the data the page runs on --------------------------------------------------------------
def contour_designs() -> dict[str, Design]:
    """The lesson's contour problem: X = [[1, 1], [3, 1]] (intercept last), y = [2, 4], its
    first column raw, min-max and z-scored by gdlab's scalers (the lesson's own results)."""
    X, y = np.array([[1.0, 1.0], [3.0, 1.0]]), np.array([2.0, 4.0])
    out = {"contour/raw": (X, y)}
    for name, scaler, same in (
        ("minmax", MinMaxScaler(), lesson.maxmin_norm),
        ("zscore", StandardScaler(), lesson.z_score),
    ):
        A = X.copy()
        A[:, :1] = scaler.fit_transform(X[:, :1])
        assert np.array_equal(A[:, :1], same(X[:, :1]))
        out[f"contour/{name}"] = (A, y)
    return out


def contour_start() -> Array:
    """The lesson's start: ``np.random.seed(24); np.random.randn(2, 1)`` (the legacy stream)."""
    return np.random.RandomState(SEED).randn(2, 1).ravel()


def part2_split() -> tuple[Array, Array, Array, Array]:
    """Part 二's data, split 70/30 by the lesson's ``array_split`` (features and labels
    shuffled together, as one array, so they stay aligned): X_train, X_test, y_train, y_test."""
    X, y = regression_problem(1000)
    both = np.column_stack([X, y])
    train, test, _, _ = lesson.array_split(both, y, rate=0.7, random_state=SEED)
    return train[:, :2], test[:, :2], train[:, 2], test[:, 2]


PART2_SCALERS: dict[str, Any] = {
    "raw": None,
    "minmax": MinMaxScaler,
    "zscore": StandardScaler,
    "sigmoid": SigmoidScaler,
}


def designs() -> dict[str, Design]:
    """Every design a golden run uses, by name (intercept column last where there is one)."""
    out = contour_designs()
    X_train, _, y_train, _ = part2_split()
    for name, scaler in PART2_SCALERS.items():
        F = X_train if scaler is None else scaler().fit(X_train).transform(X_train)
        out[f"part2/{name}"] = (np.asarray(add_intercept(F), dtype=np.float64), y_train)
    X, y = regression_problem(10_000)
    out["big/zscore"] = (np.asarray(add_intercept(StandardScaler().fit_transform(X))), y)
    return out


# -- runs -----------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Run:
    """One run: its design, rate (a number, or a multiple of that design's 2/L) and options."""

    name: str
    design: str
    epochs: int
    lr: float | None = None
    times_limit: float | None = None  # lr = times_limit * 2 / L when lr is None
    batch_size: int | None = None
    decay: dict[str, Any] | None = None  # the page's spec, e.g. {"type": "exponential", ...}
    momentum: float = 0.0
    record: str = "step"
    w0: str = "zeros"  # or "lesson": the contour problem's seeded start


# One run per line or two, in the page's order (a table: the formatter leaves it as written).
# fmt: off
RUNS: tuple[Run, ...] = (
    # 一、3: the contour figure's runs, lr 0.1 for 100 steps on each scaling, and rates near
    # and past 2/L (slowly and fast diverging, and one whose first step overflows).
    *(Run(f"contour {s} lr 0.1", f"contour/{s}", 100, lr=0.1, w0="lesson")
      for s in ("raw", "minmax", "zscore")),
    Run("contour raw lr 1/L", "contour/raw", 100, times_limit=0.5, w0="lesson"),
    Run("contour raw 0.99 x 2/L", "contour/raw", 200, times_limit=0.99, w0="lesson"),
    Run("contour raw 1.02 x 2/L", "contour/raw", 400, times_limit=1.02, w0="lesson"),
    Run("contour raw 1.5 x 2/L", "contour/raw", 100, times_limit=1.5, w0="lesson"),
    Run("contour raw lr 1e160", "contour/raw", 10, lr=1e160, w0="lesson"),
    Run("contour minmax 1.05 x 2/L", "contour/minmax", 200, times_limit=1.05, w0="lesson"),
    Run("contour zscore 0.99 x 2/L", "contour/zscore", 100, times_limit=0.99, w0="lesson"),
    Run("contour zscore 1.2 x 2/L", "contour/zscore", 100, times_limit=1.2, w0="lesson"),
    # 二、1: full batch at the best fixed rate 2/(L + mu) (times_limit = None, lr = None).
    *(Run(f"part2 {s} full batch best rate", f"part2/{s}", 100)
      for s in ("raw", "minmax", "zscore", "sigmoid")),
    # 二、2: decay, full batch: a small start slowed, a start above 2/L rescued (its fixed
    # twin diverges), step and cosine schedules (cosine past its horizon holds min_lr).
    Run("part2 zscore exponential 0.95 from 0.25 x 2/L", "part2/zscore", 150, times_limit=0.25,
        decay={"type": "exponential", "gamma": 0.95}),
    Run("part2 zscore exponential 0.95 from 1.25 x 2/L", "part2/zscore", 150, times_limit=1.25,
        decay={"type": "exponential", "gamma": 0.95}),
    Run("part2 zscore fixed 1.25 x 2/L", "part2/zscore", 150, times_limit=1.25),
    Run("part2 zscore step 0.5 every 20 from 0.9 x 2/L", "part2/zscore", 100, times_limit=0.9,
        decay={"type": "step", "gamma": 0.5, "stepSize": 20}),
    Run("part2 zscore cosine 50 from 1.1 x 2/L", "part2/zscore", 80, times_limit=1.1,
        decay={"type": "cosine", "totalSteps": 50, "minLr": 0.01 * 1.1}),
    Run("part2 zscore momentum 0.9 full batch", "part2/zscore", 100, times_limit=0.1,
        momentum=0.9),
    # 二、3: SGD and mini-batches with the engine's shuffles (the last batch of 32 is partial).
    Run("part2 zscore SGD", "part2/zscore", 2, times_limit=0.02, batch_size=1),
    Run("part2 zscore mini-batch 10", "part2/zscore", 6, times_limit=0.1, batch_size=10),
    Run("part2 zscore mini-batch 50", "part2/zscore", 20, times_limit=0.25, batch_size=50),
    Run("part2 zscore mini-batch 32", "part2/zscore", 5, times_limit=0.25, batch_size=32),
    Run("part2 zscore mini-batch 10 momentum 0.9", "part2/zscore", 5, times_limit=0.02,
        batch_size=10, momentum=0.9),
    Run("part2 raw SGD diverging", "part2/raw", 2, times_limit=1.0, batch_size=1),
    Run("part2 raw SGD diverging, record per epoch", "part2/raw", 3, times_limit=1.0,
        batch_size=1, record="epoch"),
    Run("part2 zscore mini-batch 50, record per epoch", "part2/zscore", 10, times_limit=0.25,
        batch_size=50, record="epoch"),
    # 二、4: the combined strategy, z-score + mini-batch 50 + exponential decay.
    Run("part2 combined: zscore, mini-batch 50, exponential 0.9", "part2/zscore", 20,
        times_limit=0.5, batch_size=50, decay={"type": "exponential", "gamma": 0.9}),
    # 10,000 rows, one row per epoch.
    Run("big zscore mini-batch 100, record per epoch", "big/zscore", 3, times_limit=0.25,
        batch_size=100, record="epoch"),
    Run("big zscore full batch, record per epoch", "big/zscore", 30, times_limit=0.5,
        record="epoch"),
)
# fmt: on


def schedule(lr: float, spec: dict[str, Any] | None) -> float | schedules.Schedule:
    """The gdlab schedule a page's decay spec names."""
    if spec is None:
        return lr
    kind = spec["type"]
    if kind == "exponential":
        return schedules.exponential(lr=lr, gamma=spec["gamma"])
    if kind == "step":
        return schedules.step(lr=lr, step_size=spec["stepSize"], gamma=spec["gamma"])
    assert kind == "cosine"
    return schedules.cosine(lr=lr, total_steps=spec["totalSteps"], min_lr=spec["minLr"])


def rate_of(run: Run, A: Array) -> float:
    """The run's starting rate: given, a multiple of 2/L, or the best fixed rate 2/(L + mu)."""
    if run.lr is not None:
        return run.lr
    cond = conditioning(A, intercept=False)
    return cond.lr_best if run.times_limit is None else run.times_limit * cond.lr_stable


def row_orders(n: int, epochs: int) -> list[list[int]]:
    """The engine's per-epoch permutations for ``seed=SEED``: one ``permutation(n)`` of the
    run's generator at the start of every epoch (``Batcher.epoch``)."""
    rng = np.random.default_rng(SEED)
    return [rng.permutation(n).tolist() for _ in range(epochs)]


def run_case(run: Run, data: dict[str, Design]) -> dict[str, Any]:
    """Run ``run`` with gdlab's engine; its golden entry."""
    A, y = data[run.design]
    lr = rate_of(run, A)
    w0 = contour_start() if run.w0 == "lesson" else np.zeros(A.shape[1])
    shuffled = run.batch_size is not None and run.batch_size < A.shape[0]
    t = descend(
        LeastSquares(), A, y, lr=schedule(lr, run.decay), epochs=run.epochs,
        batch_size=run.batch_size, w0=w0, seed=SEED, record=run.record,
        method=Momentum(momentum=run.momentum) if run.momentum else "gd",
    )  # fmt: skip
    js: dict[str, Any] = {"w0": w0.tolist(), "lr": lr, "epochs": run.epochs, "record": run.record}
    if run.batch_size is not None:
        js["batchSize"] = run.batch_size
    if shuffled:
        js["order"] = row_orders(A.shape[0], run.epochs)
    if run.decay is not None:
        js["decay"] = run.decay
    if run.momentum:
        js["momentum"] = run.momentum
    diverged = t.status == "diverged"
    return {
        "name": run.name,
        "design": run.design,
        "engine": t.config["engine"],
        "js": js,
        "status": t.status,
        "diverged_at": (
            {"step": t.state["step_done"], "epoch": t.state["epoch_done"]} if diverged else None
        ),
        "w": t.params.tolist(),
        "loss": t.loss.tolist(),
        "lr": t.lr.tolist(),
        "epoch": t.epoch.tolist(),
        "step": t.step.tolist(),
    }


# -- scalers and conditioning ---------------------------------------------------------------
SCALER_STATS = {
    "minmax": {"dataMin": "data_min_", "dataMax": "data_max_", "dataRange": "data_range_",
               "scale": "scale_", "min": "min_"},
    "zscore": {"mean": "mean_", "var": "var_", "scale": "scale_"},
    "sigmoid": {"mean": "mean_", "var": "var_", "scale": "scale_"},
}  # fmt: skip


def scaler_sets() -> dict[str, tuple[Array, Array]]:
    """Rows to fit scalers on and other rows to apply them to, by name."""
    X_train, X_test, _, _ = part2_split()
    return {
        "part2": (X_train, X_test),
        "contour": (np.array([[1.0], [3.0]]), np.array([[0.0], [2.0], [5.0]])),
        "constant column": (
            np.array([[1.0, 7.0], [2.0, 7.0], [4.0, 7.0]]),
            np.array([[0.0, 7.0], [5.0, 8.0]]),
        ),
    }


def scaler_cases(sets: dict[str, tuple[Array, Array]]) -> list[dict[str, Any]]:
    """Each scaler fitted on a set's first rows, applied to its second, and inverted."""
    kinds: list[tuple[str, dict[str, Any], Any]] = [
        ("minmax", {}, MinMaxScaler()),
        ("zscore", {}, StandardScaler()),
        ("zscore", {"eps": 1e-3}, StandardScaler(eps=1e-3)),
        ("sigmoid", {}, SigmoidScaler()),
        ("sigmoid", {"standardize": True}, SigmoidScaler(standardize=True)),
    ]
    out = []
    for set_name, (fit_rows, apply_rows) in sets.items():
        for kind, options, scaler in kinds:
            scaler.fit(fit_rows)
            Z = scaler.transform(apply_rows)
            out.append({
                "name": f"{set_name} {kind} {json.dumps(options)}".removesuffix(" {}"),
                "set": set_name, "kind": kind, "options": options,
                "stats": {k: getattr(scaler, v).tolist() for k, v in SCALER_STATS[kind].items()},
                "transformed": Z.tolist(), "inverse": scaler.inverse_transform(Z).tolist(),
            })  # fmt: skip
    return out


def conditioning_cases(
    data: dict[str, Design], sets: dict[str, tuple[Array, Array]]
) -> list[dict[str, Any]]:
    """L, mu, kappa, 2/L, 2/(L + mu), and rate and predicted steps at a few rates, of every
    design (``design`` names it), of part 二's raw features with the intercept appended by
    ``intercept=True`` (``set``: a scaler set's fitted rows) and of singular designs (``X``)."""
    singular = np.array([[5.0, 1.0]] * 4)  # a constant feature beside the intercept
    inputs: list[tuple[str, dict[str, Any], Array, bool]] = [
        (k, {"design": k}, A, False) for k, (A, _) in data.items()
    ]
    inputs.append(("part2 raw features, intercept appended", {"set": "part2"},
                   sets["part2"][0], True))  # fmt: skip
    inputs.append(("constant feature beside the intercept", {"X": singular.tolist()}, singular,
                   False))  # fmt: skip
    # Collinear up to rounding (0.3 is not 3 x 0.1 in binary): the smallest eigenvalue comes
    # out as rounding noise, which the floor L d eps must turn into mu = 0.
    collinear = np.array([[0.1, 0.3], [0.2, 0.6], [0.3, 0.9]])
    inputs.append(("columns collinear to rounding", {"X": collinear.tolist()}, collinear, False))
    out = []
    for name, source, A, intercept in inputs:
        c = conditioning(A, intercept=intercept)
        lrs = [0.1, c.lr_best, 1 / c.L, 0.5 * c.lr_stable, 0.99 * c.lr_stable, 1.01 * c.lr_stable]
        checks = [(lr, 1e-3) for lr in lrs] + [(c.lr_best, 1e-6)]
        out.append({
            "name": name, **source, "intercept": intercept,
            "L": c.L, "mu": c.mu, "kappa": c.kappa, "limit": c.lr_stable, "best": c.lr_best,
            "rates": [{"lr": lr, "rtol": rtol, "rate": c.rate(lr),
                       "steps": c.predicted_iterations(rtol, lr)} for lr, rtol in checks],
        })  # fmt: skip
    return out


# -- the file -------------------------------------------------------------------------------
def _finite_json(value: Any) -> Any:
    """``value`` with non-finite floats as the strings JavaScript's Number() reads back."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: _finite_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite_json(v) for v in value]
    return value


def build() -> dict[str, Any]:
    """Everything the file holds."""
    data, sets = designs(), scaler_sets()
    runs = [run_case(run, data) for run in RUNS]
    used = {r["design"] for r in runs}
    optima = {}
    for name in used:
        A, y = data[name]
        w = LeastSquares().optimum(A, y)
        optima[name] = {"w": w.tolist(), "loss": LeastSquares().loss(w, A, y)}
    return {
        "about": __doc__.split("\n\n")[0].strip().replace("\n", " "),
        "designs": {
            name: {"X": A.tolist(), "y": y.tolist(), "optimum": optima[name]}
            for name, (A, y) in data.items()
            if name in used
        },
        "scaler_sets": {k: {"fit": f.tolist(), "apply": a.tolist()} for k, (f, a) in sets.items()},
        "runs": runs,
        "scalers": scaler_cases(sets),
        "conditioning": conditioning_cases(data, sets),
    }


def dumps(content: dict[str, Any]) -> str:
    """JSON with one case per line (compact inside), so a change shows as a line diff."""

    def compact(v: Any) -> str:
        return json.dumps(_finite_json(v), separators=(",", ":"), allow_nan=False)

    lines = ["{"]
    for i, (key, value) in enumerate(content.items()):
        end = "," if i < len(content) - 1 else ""
        if isinstance(value, list):
            items = [f"  {compact(v)}" for v in value]
            lines.append(f"{json.dumps(key)}: [\n" + ",\n".join(items) + f"\n]{end}")
        elif isinstance(value, dict) and key in ("designs", "scaler_sets"):
            items = [f"  {json.dumps(k)}: {compact(v)}" for k, v in value.items()]
            lines.append(f"{json.dumps(key)}: {{\n" + ",\n".join(items) + f"\n}}{end}")
        else:
            lines.append(f"{json.dumps(key)}: {compact(value)}{end}")
    return "\n".join(lines) + "\n}\n"


def main() -> None:
    from gdlab.files import write_atomic

    text = dumps(build())
    write_atomic(OUT, text.encode("utf-8"))
    print(f"wrote {OUT.relative_to(ROOT)}: {len(text.encode()) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
