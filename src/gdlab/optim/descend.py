"""``descend`` and ``iterate``: full-batch, stochastic and mini-batch gradient descent.

Both take the keywords of :class:`~gdlab.optim.options.Options`, the one place they are
written; ``iterate`` yields the loop's :class:`~gdlab.optim.loop.Step` events and ``descend``
drains it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from gdlab.models import Model
from gdlab.optim.blas import threads_limited
from gdlab.optim.loop import Run, Step, drive
from gdlab.optim.options import Options, takes_options
from gdlab.trajectory import Trajectory


def _run(model: Model, X: ArrayLike, y: ArrayLike, options: dict[str, Any], drain: bool) -> Run:
    checked = Options(**options)
    if drain:  # nobody sees the steps: let every stepper run to the next record in one go
        checked = dataclasses.replace(checked, every="record")
    # Building the run already computes on the data (X^T X, the start's loss): overflow
    # there is reported as a ValueError naming the data, not as a warning first.
    with np.errstate(all="ignore"):
        return Run(model, X, y, checked)


@takes_options
def iterate(
    model: Model, X: ArrayLike, y: ArrayLike, **options: Any
) -> Generator[Step, None, Trajectory]:
    """Gradient descent as a generator of :class:`Step` events; returns the Trajectory.

    Takes the arguments of :func:`descend`; the generator's return value
    (``StopIteration.value``) is the :class:`~gdlab.trajectory.Trajectory`. ``every`` says
    when it yields, the same for every stepper: "update" after every update, "record" at
    records and epoch ends only; None (default) after each stepper's own stretch: every
    update on the NumPy and Gram paths, records and epoch ends on the compiled one.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> X = np.array([[1.0, 1.0], [3.0, 1.0]]); y = np.array([2.0, 4.0])
    >>> steps = iterate(LeastSquares(), X, y, lr=0.1, epochs=3)
    >>> [s.step for s in steps]
    [1, 2, 3]
    >>> steps = iterate(LeastSquares(), X, y, lr=0.1, epochs=2, batch_size=1, every="update")
    >>> [s.step for s in steps]
    [1, 2, 3, 4]
    """
    return drive(_run(model, X, y, options, drain=False))


@takes_options
def descend(model: Model, X: ArrayLike, y: ArrayLike, **options: Any) -> Trajectory:
    r"""Minimise ``model``'s objective on ``(X, y)`` by gradient descent; return the record.

    Each update is :math:`w \leftarrow w - \eta_t\, \mathrm{rule}(\nabla f_B(w))` with
    :math:`f_B` the mean loss on a batch ``B`` of rows (plus the L2 term).

    Parameters
    ----------
    model : LeastSquares, Logistic or Softmax
    X, y : array-like or dask.array.Array
        Training data (``y`` of shape ``(n,)`` or ``(n, 1)``). A Dask array runs on its
        chunks where they live (:mod:`gdlab.optim.dask_stepper`), with the same records.
    lr : float or Schedule
        Learning rate, or a :mod:`gdlab.schedules` schedule of the epoch or update counter.
        May be omitted when resuming (the saved schedule is used).
    epochs : int
        Epochs to run (more epochs when resuming).
    batch_size : int or None
        None: full batch; 1: SGD; k: mini-batches, ``ceil(n / k)`` updates per epoch, the last
        partial batch kept.
    w0 : array-like, optional
        Starting point (default zeros).
    method : str or UpdateRule
        "gd", "momentum", "nesterov", "accelerated", "adagrad", "rmsprop" or "adam" (see
        :mod:`gdlab.optim.rules`), or a rule instance. A rule's momentum (Adam's ``beta1``)
        may be a schedule, evaluated on the rate's counter and recorded as the Trajectory's
        ``momentum``, e.g.
        ``Momentum(momentum=one_cycle(...).momentum())`` (PyTorch's ``cycle_momentum``).
    seed : int, numpy.random.Generator or None
        Source of the per-epoch shuffles (and of the validation split). Ignored when resuming:
        the generator's saved state continues.
    shuffle : bool
        Permute rows every epoch (mini-batch and SGD only).
    lr_per : {"epoch", "step"}
        Whether the schedule's counter is the epoch or the update.
    record : "epoch", "step", int or None
        Record at every epoch end, after every update, after every k-th update, or (None)
        only the start and the final point, which are always recorded.
    tol, n_iter_no_change, tol_mode : float, int, {"rel", "abs"}
        Stop ("stalled", not "converged": a plateau is no certificate of the optimum) after
        ``n_iter_no_change`` epochs in a row whose loss lies within ``tol * |best|`` of the
        best so far (``tol_mode="abs"``: within ``tol``); an epoch above that band (an
        oscillation) resets the count as an improvement does.
    gtol, gtol_rel : float, optional
        Stop ("converged") once the full-data gradient norm at an epoch end is ``<= gtol``,
        or ``<= gtol_rel`` times its norm at ``w = 0`` (the same test for every batch mode).
    validation_fraction : float, optional
        Hold out this fraction of rows (chosen by ``seed``); ``tol`` and ``plateau`` then
        watch the validation loss, which is recorded as ``val_loss``.
    early_stopping : bool
        Stop ("early_stopped") once the validation loss has not reached a new low, the start
        included, for ``n_iter_no_change`` epochs (needs ``validation_fraction``).
    keep_best : bool
        Keep the iterate with the lowest loss at an epoch end (the validation loss with a
        validation split): the Trajectory's ``best_w`` and ``best_epoch``.
    sample_weight : array-like of shape (n,), optional
        Row weights >= 0: the objective is the weighted mean loss (a row of weight 2 counts
        twice; :mod:`gdlab.optim.weights`). Not on Dask arrays, nor on the compiled mini-batch
        loops (the NumPy path runs).
    plateau : ReduceOnPlateau, optional
        Multiplies the rate by the controller's scale, updated with each epoch's loss.
    resume : Trajectory, optional
        Continue that run: N epochs then ``resume`` with M more equals N + M epochs exactly.
        Model, data size, method, batch size, shuffle, lr_per, record and validation split
        must be those of the first call (a ValueError names any that changed).
    engine : {"auto", "numpy", "gram", "numba", "dask"}
        The stepper (:mod:`gdlab.optim.steppers`): "auto" uses the Gram matrix for full-batch
        least squares, the compiled loop (numba) for SGD and mini-batches with plain steps on
        least squares or logistic, else NumPy; all give the same iterates up to rounding,
        with or without an L2 penalty (intercept-free or not). A Dask ``X`` always runs on
        "dask" (the same iterates in full batch and without ``shuffle``; shuffled batches
        are drawn chunk by chunk, see :class:`~gdlab.optim.dask_stepper.ChunkBatcher`).
    every : {None, "update", "record"}
        When :func:`iterate` yields (``descend`` ignores it): see :func:`iterate`.
    progress : bool
        Draw a ``tqdm.auto`` bar of the epochs (a widget in Jupyter, text on a terminal),
        with the latest recorded loss beside it. ``iterate`` leaves progress to its caller.
    verbose : bool
        Print each epoch's loss and gradient norm (and validation loss).

    Returns
    -------
    Trajectory
        With status "converged", "stalled", "early_stopped", "max_epochs" or "diverged" (the
        loss became non-finite or exceeded 1e3 x its start; the reason names a stable
        learning rate: below 2/L for full batch, below 2/L_max, the most curved row's, for
        batches).

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab.models import LeastSquares
    >>> rng = np.random.default_rng(0)
    >>> X = np.c_[rng.normal(size=(200, 2)), np.ones(200)]; y = X @ [2.0, -1.0, 1.0]
    >>> t = descend(LeastSquares(), X, y, lr=0.1, epochs=20, batch_size=20, seed=0)
    >>> t.status, t.n_epochs, t.n_steps, len(t)
    ('max_epochs', 20, 200, 21)
    >>> np.round(t.w, 3)
    array([ 2., -1.,  1.])
    >>> descend(LeastSquares(), X, y, lr=5.0, epochs=50).status
    'diverged'
    """
    with threads_limited():  # small products run faster on one thread than split
        return _drain(_run(model, X, y, options, drain=True))


def _drain(run: Run) -> Trajectory:
    bar = _epoch_bar(run) if run.options.progress else None
    gen = drive(run)
    try:
        while True:
            try:
                step = next(gen)
            except StopIteration as done:
                result: Trajectory = done.value
                return result
            if bar is not None:
                bar.update(step.epoch - bar.n)
                if step.loss is not None:
                    bar.set_postfix(loss=f"{step.loss:.4g}", refresh=False)
    finally:
        if bar is not None:
            bar.close()


def _epoch_bar(run: Run) -> Any:
    """A tqdm bar over the epochs this call runs (a resumed run counts on from its epoch)."""
    from tqdm.auto import tqdm  # imported on use: only a bar needs it

    start = run.state.epoch
    return tqdm(total=start + run.options.epochs, initial=start, desc="descend", unit="epoch")
