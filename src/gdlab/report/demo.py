"""``gdlab demo``: run the lesson's sections in order and write the page.

The sections and their parameters come from :mod:`gdlab.report.outline`; one section can be
rerun alone (``only``) or with other parameters (``overrides``, the CLI's ``--set
decay.gamma=0.9``), each value checked against its declared bounds before anything runs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from gdlab import __version__
from gdlab.report.outline import KEYS, OUTLINE
from gdlab.report.params import Param, Value
from gdlab.report.params import parse_overrides as _parse
from gdlab.report.progress import Progress
from gdlab.report.prose import Phrase
from gdlab.report.result import ExperimentResult
from gdlab.report.text import section_number


def section_parameters() -> dict[str, tuple[Param, ...]]:
    """Every section's key and its declared parameters, in the outline's order.

    Examples
    --------
    >>> section_parameters()["contours"][0]
    Param('lr', default=0.1, range [0.0001, 10.0])
    """
    return {e.key: e.params for e in OUTLINE}


def parse_overrides(items: Iterable[str]) -> dict[str, dict[str, Value]]:
    """``--set`` items, checked against the sections' declared parameters (see
    :func:`gdlab.report.params.parse_overrides`)."""
    items = list(items)
    return _parse(items, section_parameters()) if items else {}


def check_only(only: Sequence[str] | None) -> None:
    """Refuse an empty or unknown list of section keys."""
    if only is None:
        return
    if not only:
        raise ValueError(
            f"--only expects one or more section keys, e.g. contours; sections: {', '.join(KEYS)}"
        )
    unknown = [k for k in only if k not in KEYS]
    if unknown:
        raise ValueError(f"no section {unknown[0]!r}; sections: {', '.join(KEYS)}")


def experiments(
    quick: bool = False,
    only: Sequence[str] | None = None,
    overrides: Mapping[str, Mapping[str, Value]] | None = None,
) -> list[tuple[str, Callable[[], ExperimentResult]]]:
    """The lesson's sections in order, as ``(label, zero-argument function)`` pairs.

    Parameters
    ----------
    quick : bool
        Smaller budgets where a section declares them.
    only : sequence of str, optional
        Keys of the sections to run (the outline's order is kept); ``None`` runs all.
    overrides : mapping, optional
        ``{section: {parameter: value}}`` (see :func:`parse_overrides`).

    Raises
    ------
    ValueError
        For an empty ``only`` or an unknown section key.
    """
    check_only(only)
    check_only(list(overrides or {}) or None)
    steps: list[tuple[str, Callable[[], ExperimentResult]]] = []
    for e in OUTLINE:
        if only is not None and e.key not in only:
            continue
        params: dict[str, Any] = {p.name: p.default for p in e.params}
        if quick:
            params.update({p.name: p.quick for p in e.params if p.quick is not None})
        params.update((overrides or {}).get(e.key, {}))
        steps.append((f"{section_number(e.number).en} {e.key}", partial(e.run, **params)))
    return steps


@dataclass(frozen=True)
class DemoRun:
    """What :func:`run_demo` produced: the results, where the page went, how long it took."""

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
        raise KeyError(f"no section {key!r} in this run; known: {known}")


def _write(
    folder: Path,
    results: list[ExperimentResult],
    quick: bool,
    seconds: float,
    lang: str,
    share: str | None,
) -> Path:
    """Write the page and its static figures into ``folder``, all of them or none."""
    from gdlab.files import staged_folder, write_atomic
    from gdlab.report.page import write_report
    from gdlab.report.summary import summary_table

    meta = Phrase(
        "page.meta_quick" if quick else "page.meta",
        {"version": __version__, "count": len(results), "seconds": seconds},
    )
    with staged_folder(folder) as stage:
        for r in results:
            for image in r.images:
                write_atomic(stage / "figures" / f"{r.key}-{image.name}.png", image.png)
        write_report(
            results,
            stage / "index.html",
            meta=meta,
            summary=summary_table(results),
            lang=lang,
            share=share,
        )
    return (folder / "index.html").resolve()


def run_demo(
    out: str | os.PathLike[str] | None = "gdlab-report",
    *,
    quick: bool = False,
    stream: TextIO | None = None,
    only: Sequence[str] | None = None,
    overrides: Mapping[str, Mapping[str, Value]] | None = None,
    lang: str = "auto",
    share: str | None = None,
) -> DemoRun:
    """Run the sections and write ``out/index.html``, all of it or nothing.

    Parameters
    ----------
    out : path or None
        Output folder; ``None`` runs the sections without writing anything. The page and any
        static figures (``out/figures/*.png``) appear together when the run succeeds; a failed
        run leaves ``out`` as it was.
    quick : bool
        Smaller budgets.
    stream : text stream, optional
        Where the progress lines go (``None``: silent), one per section.
    only, overrides :
        See :func:`experiments`.
    lang : {"auto", "zh", "en"}
        The page's opening language; ``"auto"`` follows the browser.
    share : str, optional
        The address the page will be served at (a QR code on the page).

    Returns
    -------
    DemoRun
    """
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
    path = None if out is None else _write(Path(out), results, quick, seconds, lang, share)
    return DemoRun(tuple(results), path, seconds)
