"""``gdlab demo``: run the lesson's experiments and write the report.

The sections follow the lesson's outline (一、1-4, 二、1-4, then the appendix). Each is a
function of keyword parameters (:data:`SECTIONS` lists them with their defaults), so one
experiment can be rerun alone (``only``) or with other parameters (``overrides``, the CLI's
``--set decay.gamma=0.9``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from gdlab import __version__
from gdlab.report.progress import Progress
from gdlab.report.result import ExperimentResult
from gdlab.report.text import Bilingual


@dataclass(frozen=True)
class Section:
    """One section of the report: its key, the function that builds it and its parameters.

    ``quick`` holds the parameters ``--quick`` changes (smaller budgets).
    """

    key: str
    label: str
    build: Callable[..., ExperimentResult]
    params: Mapping[str, Any] = field(default_factory=dict)
    quick: Mapping[str, Any] = field(default_factory=dict)


def _sections() -> list[Section]:
    # Imported here so that loading gdlab.report does not load the whole engine.
    from gdlab.report import (
        combined,
        conditioning,
        contours,
        decay,
        evaluation,
        iterations,
        minibatch,
        outliers,
        scalers,
        speed,
        stability,
        trees,
        units,
    )

    return [
        Section("formulas", "一、1 formulas", scalers.scaler_formulas, {"eps": 1e-8}),
        Section("units", "一、2 unit mismatch", units.unit_mismatch),
        Section("affine", "一、3 affine maps", evaluation.affine_shape),
        Section("interpretability", "一、3 interpretability", evaluation.interpretability),
        Section("trees", "一、3 tree models", trees.tree_models, {"n_train": 700, "neighbours": 5}),
        Section(
            "contours",
            "一、3 contours",
            contours.lesson_contours,
            {"lr": 0.1, "steps": 100, "budget": 500},
        ),
        Section(
            "outliers",
            "一、4 outliers",
            outliers.outliers,
            {"n_ordinary": 50, "outlier": 100.0, "threshold": 3.0},
        ),
        Section(
            "speed",
            "二、1 scaling and speed",
            speed.normalization_speed,
            {"n_samples": 1000, "epochs": 5000},
        ),
        Section(
            "decay",
            "二、2 learning-rate decay",
            decay.learning_rate_decay,
            {"n_samples": 1000, "epochs": 150, "gamma": 0.95, "too_large": 1.25, "small": 0.25},
        ),
        Section(
            "minibatch",
            "二、3 mini-batch",
            minibatch.minibatch_band,
            {"n_samples": 1000, "epochs": 20, "gamma": 0.9, "shuffles": 8},
            {"shuffles": 4},
        ),
        Section(
            "combined",
            "二、4 combined strategy",
            combined.combined_strategy,
            {"n_samples": 1000, "epochs": 30, "batch_size": 50, "target": 0.01},
        ),
        Section(
            "conditioning",
            "appendix conditioning",
            conditioning.conditioning_analysis,
            {"n_samples": 1000},
        ),
        Section(
            "stability",
            "appendix stability limit",
            stability.stability_limit,
            {"epochs": 300, "iterations": 14, "n_samples": 1000},
            {"epochs": 150, "iterations": 8},
        ),
        Section("iterations", "appendix iteration counts", iterations.iteration_counts),
    ]


def section_parameters() -> dict[str, dict[str, Any]]:
    """Every section's key and its parameters with their defaults, in report order.

    Examples
    --------
    >>> section_parameters()["decay"]["gamma"]
    0.95
    """
    return {s.key: dict(s.params) for s in _sections()}


def _parse_value(text: str, default: Any, where: str) -> Any:
    kind = type(default)
    try:
        if kind is bool:
            if text.lower() not in ("true", "false", "1", "0", "on", "off"):
                raise ValueError
            return text.lower() in ("true", "1", "on")
        return kind(text)
    except ValueError:
        raise ValueError(
            f"{where} expects a {kind.__name__} like {default!r}, got {text!r}"
        ) from None


def parse_overrides(items: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``["decay.gamma=0.9", ...]`` as ``{"decay": {"gamma": 0.9}}``, checked and typed.

    Raises
    ------
    ValueError
        For a malformed item, an unknown section or parameter, or a value of the wrong type.

    Examples
    --------
    >>> parse_overrides(["decay.gamma=0.9", "contours.steps=50"])
    {'decay': {'gamma': 0.9}, 'contours': {'steps': 50}}
    """
    known = section_parameters()
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        section, dot, param = name.strip().partition(".")
        if not sep or not dot or not section or not param:
            raise ValueError(
                f"--set expects SECTION.PARAMETER=VALUE (e.g. decay.gamma=0.9), got {item!r}"
            )
        if section not in known:
            raise ValueError(f"--set: no section {section!r}; sections: {', '.join(known)}")
        if param not in known[section]:
            params = ", ".join(known[section]) or "none"
            raise ValueError(
                f"--set: section {section!r} has no parameter {param!r}; its parameters: {params}"
            )
        out.setdefault(section, {})[param] = _parse_value(
            value.strip(), known[section][param], f"--set {section}.{param}"
        )
    return out


def experiments(
    quick: bool = False,
    only: Sequence[str] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[tuple[str, Callable[[], ExperimentResult]]]:
    """The report's experiments in order, as ``(label, zero-argument function)`` pairs.

    Parameters
    ----------
    quick : bool
        Smaller budgets where a section has them.
    only : sequence of str, optional
        Keys of the sections to run (report order is kept); ``None`` runs all.
    overrides : mapping, optional
        ``{section: {parameter: value}}`` (see :func:`parse_overrides`).

    Raises
    ------
    ValueError
        For an unknown section key in ``only`` or ``overrides``.
    """
    sections = _sections()
    keys = [s.key for s in sections]
    for key in [*(only or ()), *(overrides or {})]:
        if key not in keys:
            raise ValueError(f"no section {key!r}; sections: {', '.join(keys)}")
    chosen = [s for s in sections if only is None or s.key in only]
    steps: list[tuple[str, Callable[[], ExperimentResult]]] = []
    for s in chosen:
        params = {
            **s.params,
            **(s.quick if quick else {}),
            **dict((overrides or {}).get(s.key, {})),
        }
        steps.append((s.label, partial(s.build, **params)))
    return steps


@dataclass(frozen=True)
class DemoRun:
    """What :func:`run_demo` produced: the results, where the report went, how long it took."""

    results: tuple[ExperimentResult, ...]
    path: Path | None
    seconds: float

    def __repr__(self) -> str:
        return (
            f"DemoRun(n_results={len(self.results)}, path={str(self.path)!r}, "
            f"seconds={self.seconds:.1f})"
        )

    def result(self, key: str) -> ExperimentResult:
        """The result whose key is ``key``."""
        for r in self.results:
            if r.key == key:
                return r
        known = ", ".join(r.key for r in self.results)
        raise KeyError(f"no experiment {key!r} in this run; known: {known}")


def run_demo(
    out: str | os.PathLike[str] | None = "gdlab-report",
    *,
    quick: bool = False,
    stream: TextIO | None = None,
    only: Sequence[str] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    lang: str = "auto",
) -> DemoRun:
    """Run the experiments and write ``out/index.html``, all of it or nothing.

    Parameters
    ----------
    out : path or None
        Output folder; ``None`` runs the experiments without writing anything. The page and
        any static figures (``out/figures/*.png``) appear together when the run succeeds; a
        failed run leaves ``out`` as it was.
    quick : bool
        Smaller budgets (fewer shuffles and bisection steps).
    stream : text stream, optional
        Where the progress lines go (``None``: silent), one per section.
    only, overrides :
        See :func:`experiments`.
    lang : {"auto", "zh", "en"}
        The page's opening language; ``"auto"`` follows the browser.

    Returns
    -------
    DemoRun
    """
    from gdlab.files import staged_folder, write_atomic
    from gdlab.report.page import write_report
    from gdlab.report.summary import summary_table

    if lang not in ("auto", "zh", "en"):
        raise ValueError(f"lang must be 'auto', 'zh' or 'en', got {lang!r}")
    steps = experiments(quick, only, overrides)
    bar = Progress(len(steps), stream=stream)
    start = time.perf_counter()
    results = []
    for label, run in steps:
        results.append(run())
        bar.advance(label)
    bar.close()
    seconds = time.perf_counter() - start
    path = None
    if out is not None:
        folder = Path(out)
        note = " (quick mode: smaller budgets)" if quick else ""
        meta = Bilingual(
            f"gdlab {__version__}：{len(results)} 个实验，内置数据，用时 {seconds:.1f} 秒"
            f"{'（快速模式）' if quick else ''}。",
            f"gdlab {__version__}: {len(results)} experiments on built-in data in {seconds:.1f} "
            f"s{note}.",
        )
        with staged_folder(folder) as stage:
            for r in results:
                for image in r.images:
                    write_atomic(stage / "figures" / f"{r.key}-{image.name}.png", image.png)
            write_report(
                results, stage / "index.html", meta=meta, summary=summary_table(results), lang=lang
            )
        path = (folder / "index.html").resolve()
    return DemoRun(tuple(results), path, seconds)
