"""Formulas in the reader's words: ``$...$`` in a phrase is LaTeX, typeset on the page as
MathML (which browsers draw natively, offline, and print as text).

The word files write maths once, as LaTeX; the page converts it here with ``latex2mathml``
when it is built, the notebooks keep it for Jupyter's own typesetting, and the terminal shows
it bare.
"""

from __future__ import annotations

import functools
import html
import re

# $...$ with no "$" inside; "\$" is a literal dollar sign.
_MATH = re.compile(r"(?<!\\)\$([^$]+?)(?<!\\)\$")


@functools.cache
def mathml(tex: str, display: str = "inline") -> str:
    """``tex`` as a MathML ``<math>`` element.

    Examples
    --------
    >>> mathml("x^2")[:46]
    '<math xmlns="http://www.w3.org/1998/Math/MathM'
    """
    from latex2mathml.converter import convert

    return str(convert(tex, display=display))


def rich_html(text: str) -> str:
    """``text`` as HTML: its words escaped, each ``$...$`` typeset.

    Examples
    --------
    >>> rich_html("a < b and $x$")  # doctest: +ELLIPSIS
    'a &lt; b and <math ...<mi>x</mi>...</math>'
    """
    parts, last = [], 0
    for match in _MATH.finditer(text):
        parts.append(html.escape(text[last : match.start()].replace(r"\$", "$")))
        parts.append(mathml(match.group(1)))
        last = match.end()
    parts.append(html.escape(text[last:].replace(r"\$", "$")))
    return "".join(parts)


def bare(text: str) -> str:
    """``text`` with its ``$`` delimiters dropped, for the terminal and plain attributes.

    Examples
    --------
    >>> bare(r"each step $w \\leftarrow w - \\eta g$ costs \\$0")
    'each step w \\\\leftarrow w - \\\\eta g costs $0'
    """
    return _MATH.sub(lambda m: m.group(1), text).replace(r"\$", "$")
