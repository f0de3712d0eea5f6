"""The lesson as Jupyter notebooks, rendered from the lesson's one source.

:func:`section_numbers` is what each section of the notebooks ends with: the section's numbers
shown as the lesson page shows them. :func:`render_notebook` (Jinja2 templates, loaded on
use) writes a notebook's jupytext source; ``tools/render_notebooks.py`` renders and executes
both.
"""

from gdlab.report.notebook.numbers import SectionNumbers, section_numbers
from gdlab.report.notebook.render import render_notebook

__all__ = ["SectionNumbers", "render_notebook", "section_numbers"]
