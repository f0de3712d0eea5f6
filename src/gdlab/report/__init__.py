"""The lesson report: every experiment of the lesson, measured, written as one HTML file."""

from gdlab.files import write_atomic
from gdlab.report.page import render_html, write_report
from gdlab.report.progress import Progress
from gdlab.report.result import ExperimentResult, Image, Table, format_cell, render_png
from gdlab.report.summary import format_table, summary_table

__all__ = [
    "ExperimentResult",
    "Image",
    "Progress",
    "Table",
    "format_cell",
    "format_table",
    "render_html",
    "render_png",
    "summary_table",
    "write_atomic",
    "write_report",
]
