"""The update rules by name: what ``descend(method=...)`` and the estimators accept.

The rules are defined in :mod:`gdlab.optim.rules` (and the accelerated one, which builds on
them, in :mod:`gdlab.optim.accelerated`); this module only names them, so neither has to
import the other.
"""

from __future__ import annotations

from gdlab.optim.accelerated import Accelerated
from gdlab.optim.rules import GD, AdaGrad, Adam, Momentum, Nesterov, RMSProp, UpdateRule

RULES: dict[str, type[UpdateRule]] = {
    "gd": GD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "accelerated": Accelerated,
    "adagrad": AdaGrad,
    "rmsprop": RMSProp,
    "adam": Adam,
}


def make_rule(method: str | UpdateRule) -> UpdateRule:
    """Return the update rule named by ``method`` (default settings) or ``method`` itself.

    Examples
    --------
    >>> make_rule("adam")
    Adam(beta1=0.9, beta2=0.999, eps=1e-08)
    """
    if isinstance(method, UpdateRule):
        return method
    if isinstance(method, str) and method.lower() in RULES:
        return RULES[method.lower()]()
    raise ValueError(
        f"method must be one of {sorted(RULES)} or an UpdateRule instance, got {method!r}; "
        "e.g. method='momentum' or method=Momentum(momentum=0.95)."
    )
