"""Full-batch descent, many epochs in one compiled call: plain or accelerated steps.

A full-batch epoch is one full-data loss and gradient and one update. On small data (least
squares from its Gram matrix, logistic or softmax regression with a few thousand rows) the
arithmetic takes microseconds and a Python-level epoch costs more than it. This loop runs a
stretch of epochs in one numba call and checks after each update what the engine's loop
checks (see :class:`gdlab.optim.watch.Watch`): divergence against the reference loss, the
gradient test and the best iterate. The updates are those of :class:`~gdlab.optim.rules.GD`
and :class:`~gdlab.optim.rules.Accelerated` and the losses those of the models, operation by
operation, apart from the order of the sums: the two paths agree to rounding (tested).
Without numba, or on larger data (where NumPy's BLAS products are faster), the engine keeps its
Python loop.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from gdlab.jit import numba_or_none
from gdlab.optim.accelerated import GROW, MAX_STEP
from gdlab.optim.oracle import GramLeastSquares

if TYPE_CHECKING:  # the steppers import this module on use
    from gdlab.optim.state import RunState
    from gdlab.optim.steppers import Stepper
    from gdlab.optim.watch import Watch

# What the kernel returns as its second value: why it stopped.
BUDGET, CONVERGED, DIVERGED = 0, 1, 2
# The rules with a compiled form (by name), and the losses: the Gram matrix of least squares,
# or the rows of least squares, logistic and softmax regression (by Model.family).
RULES = ("gd", "accelerated")
GRAM, KINDS = 0, {"LeastSquares": 1, "Logistic": 2, "Softmax": 3}
# Row kinds compile only up to this many multiply-adds per pass (rows x weights): beyond it
# the two BLAS products of the NumPy path are faster than the one fused compiled loop.
MAX_ROW_WORK = 1 << 16


def _rows(kind: int, w: Any, g: Any, A: Any, y: Any, sw: Any, k: int, z: Any) -> float:
    # The mean loss over the rows of A and its gradient (into g), without the penalty.
    if kind == 3:
        return _softmax_rows(w, g, A, y, sw, k, z)
    n, d = A.shape
    g[:] = 0.0
    total = 0.0
    for i in range(n):
        s = sw[i] if sw.shape[0] else 1.0
        v = 0.0
        for j in range(d):
            v += A[i, j] * w[j]
        if kind == 1:  # least squares: (z - y)^2, residual 2 (z - y)
            r = v - y[i]
            total += s * r * r
            r = 2.0 * s * r
        elif v >= 0.0:  # logistic: log(1 + e^z) - y z, residual sigmoid(z) - y
            e = math.exp(-v)
            total += s * (v + math.log1p(e) - y[i] * v)
            r = s * (1.0 / (1.0 + e) - y[i])
        else:
            e = math.exp(v)
            total += s * (math.log1p(e) - y[i] * v)
            r = s * (e / (1.0 + e) - y[i])
        for j in range(d):
            g[j] += A[i, j] * r
    for j in range(d):
        g[j] /= n
    return total / n


def _softmax_rows(w: Any, g: Any, A: Any, y: Any, sw: Any, k: int, z: Any) -> float:
    # Softmax: logsumexp(z) - z_y per row, residual softmax(z) - onehot(y); w is W (d x k)
    # flattened by rows, so w[j * k + c] is W[j, c].
    n, d = A.shape
    g[:] = 0.0
    total = 0.0
    for i in range(n):
        s = sw[i] if sw.shape[0] else 1.0
        z[:] = 0.0
        for j in range(d):
            a = A[i, j]
            for c in range(k):
                z[c] += a * w[j * k + c]
        label = int(y[i])
        top = z[0]
        for c in range(1, k):
            top = max(top, z[c])
        picked = z[label]
        norm = 0.0
        for c in range(k):
            z[c] = math.exp(z[c] - top)
            norm += z[c]
        total += s * (math.log(norm) + top - picked)
        for c in range(k):
            z[c] = s * z[c] / norm
        z[label] -= s
        for j in range(d):
            a = A[i, j]
            for c in range(k):
                g[j * k + c] += a * z[c]
    for j in range(g.shape[0]):
        g[j] /= n
    return total / n


def _evaluate(
    kind: int, w: Any, g: Any, A: Any, y: Any, sw: Any, k: int, z: Any,
    H: Any, c: Any, w_star: Any, f_star: float, g_star: Any, l2: float, penalised: int,
) -> float:  # fmt: skip
    if kind == GRAM:  # the penalty is inside H and f*
        # g = H w - c, and with e = w - w*: H e = g - g*, so the loss expansion of
        # GramLeastSquares, f* + g*.e + e.He / 2, needs no second product.
        d = w.shape[0]
        loss = f_star
        for i in range(d):
            total = 0.0
            for j in range(d):
                total += H[i, j] * w[j]
            g[i] = total - c[i]
            e = w[i] - w_star[i]
            loss += e * (g_star[i] + 0.5 * (g[i] - g_star[i]))
        return loss
    loss = _rows(kind, w, g, A, y, sw, k, z)
    if l2 != 0.0:
        squares = 0.0
        for j in range(penalised):
            squares += w[j] * w[j]
            g[j] += l2 * w[j]
        loss += 0.5 * l2 * squares
    return loss


def _epochs(
    kind: int, A: Any, y: Any, sw: Any, k: int,
    H: Any, c: Any, w_star: Any, f_star: float, g_star: Any, l2: float, penalised: int,
    w: Any, x: Any, t: Any, accelerated: bool, mu: float, restart: bool, search: bool,
    last_step: Any, gx: Any, moved: Any, lrs: Any, limit: float, threshold: float,
    best_w: Any, best: Any, epoch0: int, last: Any, norms: Any,
) -> tuple[int, int]:  # fmt: skip
    size = w.shape[0]
    g, z, v, gv = np.empty(size), np.empty(k), np.empty(size), np.empty(size)
    _evaluate(kind, w, g, A, y, sw, k, z, H, c, w_star, f_star, g_star, l2, penalised)
    keep = best_w.shape[0] == size
    for it in range(lrs.shape[0]):
        lr = lrs[it]
        if accelerated:
            # Accelerated.update: the momentum's last move checked (rolled back to x when the
            # curvature there is too high), the step searched (Accelerated.search), x+ = w -
            # step g, a restart when step g . (x+ - x) > 0, then the momentum.
            step, ratio, back, found = lr, 1.0, False, False
            if search:
                previous = last_step[0] if last_step[0] > 0.0 else lr
                if moved[0] != 0.0:
                    change, move = 0.0, 0.0
                    for j in range(size):
                        change += (g[j] - gx[j]) * (g[j] - gx[j])
                        move += (w[j] - x[j]) * (w[j] - x[j])
                    if math.sqrt(change) > math.sqrt(move) / (2.0 * previous):
                        back = True
                        for j in range(size):
                            w[j] = x[j]
                            g[j] = gx[j]
                gsize = math.sqrt(g @ g)
                trial = max(min(GROW * previous, MAX_STEP * lr), lr)
                while True:
                    if trial <= lr:
                        step = lr
                        break
                    for j in range(size):
                        v[j] = w[j] - trial * g[j]
                    _evaluate(kind, v, gv, A, y, sw, k, z, H, c, w_star, f_star, g_star, l2,
                              penalised)  # fmt: skip
                    diff = 0.0
                    for j in range(size):
                        diff += (gv[j] - g[j]) * (gv[j] - g[j])
                    if math.sqrt(diff) <= 0.5 * gsize:
                        step, found = trial, True
                        break
                    trial *= 0.5
                ratio = previous / step
            uphill = 0.0
            for j in range(size):
                move = g[j] * step
                w[j] -= move
                uphill += move * (w[j] - x[j])
            tk = 1.0 if back or (restart and uphill > 0.0) else t[0]
            t_next = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * ratio * tk * tk))
            beta = (tk - 1.0) / t_next
            if mu > 0.0 and not search:
                q = math.sqrt(min(mu * step, 1.0))
                beta = max(beta, (1.0 - q) / (1.0 + q))
            for j in range(size):
                move = w[j] - x[j]
                x[j] = w[j]
                if beta != 0.0:
                    w[j] += move * beta
            t[0] = t_next
            last_step[0] = step
            if search:
                if found:
                    gx[:] = gv
                moved[0] = 1.0 if beta != 0.0 and found else 0.0
        else:
            for j in range(size):
                w[j] -= g[j] * lr
        loss = _evaluate(kind, w, g, A, y, sw, k, z, H, c, w_star, f_star, g_star, l2, penalised)
        last[0] = loss
        norms[it] = math.sqrt(g @ g)
        if not (loss <= limit):  # NaN too
            return it + 1, DIVERGED
        if keep and loss < best[0]:
            best_w[:] = w
            best[0] = loss
            best[1] = epoch0 + it + 1
        if norms[it] <= threshold:
            return it + 1, CONVERGED
    return lrs.shape[0], BUDGET


_compiled: Any = None


def kernel() -> Any:
    """The compiled loop, or None without numba.

    ``kernel(kind, A, y, sw, k, H, c, w_star, f_star, g_star, l2, penalised, w, x, t,
    accelerated, mu, restart, search, last_step, gx, moved, lrs, limit, threshold, best_w, best,
    epoch0, last, norms)`` applies one update per rate in ``lrs`` to the flat parameters ``w``
    (and the accelerated rule's state: ``x``, ``t``, ``last_step``, ``gx`` and ``moved``,
    ``t``, ``last_step`` and ``moved`` 1-element arrays; ``search`` its ``line_search``) and
    returns ``(epochs run, BUDGET | CONVERGED | DIVERGED)``.
    ``kind`` is ``GRAM`` (the loss from ``H, c, w_star, f_star, g_star``, see
    :class:`~gdlab.optim.oracle.GramLeastSquares`) or a row kind of :data:`KINDS` (the rows
    ``A``, labels ``y`` as floats, row weights ``sw`` (empty: none), ``k`` columns of weights
    per feature, the penalty ``l2`` on the first ``penalised`` entries of ``w``). It stops after
    the update whose loss is above ``limit`` (or not finite) or whose gradient norm is at most
    ``threshold``; ``last[0]`` receives that loss and ``norms`` (as long as ``lrs``) each
    epoch's gradient norm. ``best_w`` (empty: not kept) and ``best = [loss, epoch]`` follow the
    lowest loss.

    Examples
    --------
    >>> loop, none = kernel(), np.empty(0)
    >>> if loop is not None:   # least squares with H = diag(2, 1): w* = (1, 1)
    ...     H, c = np.diag([2.0, 1.0]), np.array([2.0, 1.0]); w = np.zeros(2); last = np.zeros(2)
    ...     out = loop(GRAM, np.empty((0, 0)), none, none, 1, H, c, np.ones(2), 0.0,
    ...                np.zeros(2), 0.0, 0, w, w.copy(), np.ones(1), False, 0.0, False, False,
    ...                np.zeros(1), none, np.zeros(1), np.full(100, 0.5), np.inf, 1e-6, none,
    ...                np.zeros(2), 0, last, np.zeros(100))
    ...     assert out[1] == CONVERGED and np.allclose(w, 1.0)
    """
    global _compiled
    if _compiled is None:
        if numba_or_none() is None:
            return None
        from gdlab.jit import njit

        # Reassociation lets LLVM vectorise the sums (as BLAS reorders them); no "nnan" or
        # "ninf": divergence must still show up as inf or nan.
        jit = njit(nogil=True, fastmath={"reassoc", "contract"})
        globals()["_softmax_rows"] = jit(_softmax_rows)
        globals()["_rows"] = jit(_rows)
        globals()["_evaluate"] = jit(_evaluate)
        _compiled = jit(_epochs)
    return _compiled


def run_stretch(
    stepper: Stepper, kind: int, state: RunState, lrs: Any, watch: Watch | None
) -> None:
    """:meth:`~gdlab.optim.steppers.Stepper.run_epochs` in one call of :func:`kernel`, the
    loss of ``kind`` (without a ``watch``, and with no rates, only to compile it)."""
    rule, model, w = stepper.rule, stepper.model, state.w
    none, empty = np.empty(0), np.empty((0, 0))
    accelerated = rule.name == "accelerated"
    x = state.rule["x"].reshape(-1) if accelerated else w.reshape(-1)
    t = state.rule["t"].reshape(1) if accelerated else np.ones(1)
    last_step = state.rule["step"].reshape(1) if accelerated else np.zeros(1)
    searched = rule.wants_oracle
    gx = state.rule["gx"].reshape(-1) if searched else none
    moved = state.rule["moved"].reshape(1) if searched else np.zeros(1)
    best = np.array([state.best_loss, state.best_epoch], dtype=np.float64)
    best_w = none if state.best_w is None else state.best_w.reshape(-1)
    k = int(np.prod(w.shape[1:]))
    penalised = w.size - model.penalty.spared * k
    if kind == GRAM:
        gram = stepper.oracle
        assert isinstance(gram, GramLeastSquares)
        loss = (empty, none, none, 1, gram.H, gram.c, gram.w_star, float(gram.f_star), gram.g_star)
        l2 = 0.0  # inside H
    else:
        y = np.asarray(stepper.y, dtype=np.float64)
        sw = none if stepper.weight is None else stepper.weight
        loss = (stepper.X, y, sw, k, empty, none, none, 0.0, none)
        l2 = model.l2
    last, norms = np.zeros(1), np.zeros(len(lrs))
    done, code = kernel()(
        kind, *loss, l2, penalised, w.reshape(-1), x, t, accelerated,
        float(getattr(rule, "mu", 0.0)), bool(getattr(rule, "restart", False)),
        searched, last_step, gx, moved, lrs, math.inf if watch is None else watch.limit,
        state.stopper.threshold, best_w, best, state.epoch, last, norms,
    )  # fmt: skip
    if watch is None or done == 0:
        return
    state.best_loss, state.best_epoch = float(best[0]), int(best[1])
    stepper.cached = None
    stopped = {CONVERGED: "converged", DIVERGED: "diverged"}.get(code)
    watch.settle(done, float(lrs[done - 1]), stopped, float(last[0]), norms)
