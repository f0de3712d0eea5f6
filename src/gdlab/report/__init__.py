"""The lesson, from one source: its outline, its sections, its words, and what renders them.

:mod:`gdlab.report.outline` declares the lesson's sections once; each section (a module of
:mod:`gdlab.report.sections`) computes its numbers with gdlab's engine and declares its
figures and its lab; :mod:`gdlab.report.prose` holds every sentence in one file per language.
:func:`render_html` / :func:`write_report` draw the results as one self-contained, bilingual
page whose own JavaScript engine recomputes the labs live; :mod:`gdlab.report.demo` runs the
lesson in order.
"""

from gdlab.files import write_atomic
from gdlab.report.charts import Chart, Series
from gdlab.report.lab import Control, Lab
from gdlab.report.page import render_html, write_report
from gdlab.report.progress import Progress
from gdlab.report.prose import Count, Phrase, Predicted, Status
from gdlab.report.result import ExperimentResult, Image, Table, format_cell, render_png
from gdlab.report.summary import format_table, summary_table
from gdlab.report.text import Bilingual

__all__ = [
    "Bilingual",
    "Chart",
    "Control",
    "Count",
    "ExperimentResult",
    "Image",
    "Lab",
    "Phrase",
    "Predicted",
    "Progress",
    "Series",
    "Status",
    "Table",
    "format_cell",
    "format_table",
    "render_html",
    "render_png",
    "summary_table",
    "write_atomic",
    "write_report",
]
