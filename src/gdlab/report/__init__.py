"""The lesson report: every experiment of the lesson, measured, written as one HTML page.

Experiments return an :class:`ExperimentResult` (claim, text, numbers, tables and the charts
of :mod:`gdlab.report.charts`); :func:`render_html` / :func:`write_report` draw them into one
self-contained, bilingual page; :mod:`gdlab.report.demo` runs the lesson's sections in order.
"""

from gdlab.files import write_atomic
from gdlab.report.charts import Chart, Control, Interactive, Readout, Series, State
from gdlab.report.page import render_html, write_report
from gdlab.report.progress import Progress
from gdlab.report.result import ExperimentResult, Image, Table, format_cell, render_png
from gdlab.report.summary import format_table, summary_table
from gdlab.report.text import Bilingual

__all__ = [
    "Bilingual",
    "Chart",
    "Control",
    "ExperimentResult",
    "Image",
    "Interactive",
    "Progress",
    "Readout",
    "Series",
    "State",
    "Table",
    "format_cell",
    "format_table",
    "render_html",
    "render_png",
    "summary_table",
    "write_atomic",
    "write_report",
]
