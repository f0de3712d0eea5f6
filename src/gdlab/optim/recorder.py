"""Rows of a run, collected as Python lists and turned into a Trajectory at the end."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from gdlab.trajectory import Trajectory

_COLUMNS = ("loss", "lr", "epoch", "step", "grad_norm", "samples_seen", "time", "val_loss")


class Recorder:
    """Append-only table of records; ``policy`` says which updates get a row.

    Parameters
    ----------
    record : "epoch", "step", int or None
        Keep a row at every epoch end, after every update, after every k-th update, or none
        (the run's start and end are added by the loop).
    validation : bool
        Whether rows carry a validation loss.
    momentum : bool
        Whether rows carry the update's scheduled momentum.

    Examples
    --------
    >>> import numpy as np
    >>> r = Recorder(record=2, validation=False)
    >>> [r.wants_step(s) for s in (1, 2, 3, 4)]
    [False, True, False, True]
    >>> r.add(np.zeros(2), loss=1.0, lr=float("nan"), epoch=0, step=0, grad_norm=1.0,
    ...       samples_seen=0, time=0.0)
    >>> len(r)
    1
    """

    def __init__(self, record: str | int | None, validation: bool, momentum: bool = False) -> None:
        self.record = record
        self.validation = validation
        self.momentum = momentum
        self.params: list[NDArray[np.float64]] = []
        self.cols: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
        self.momenta: list[float] = []

    def __repr__(self) -> str:
        return f"Recorder(record={self.record!r}, rows={len(self)})"

    def __len__(self) -> int:
        return len(self.params)

    def wants_step(self, step: int) -> bool:
        """Whether the update that brought the counter to ``step`` gets a row."""
        if self.record == "step":
            return True
        return isinstance(self.record, int) and step % self.record == 0

    def next_step_record(self, step: int) -> int | None:
        """The first update count after ``step`` that gets a row (None: only epoch ends)."""
        if self.record == "step":
            return step + 1
        if isinstance(self.record, int):
            return (step // self.record + 1) * self.record
        return None

    @property
    def last_step(self) -> int | None:
        """Update counter of the last row, if any."""
        return int(self.cols["step"][-1]) if self.params else None

    def add(
        self,
        w: NDArray[np.float64],
        *,
        val_loss: float = float("nan"),
        momentum: float = float("nan"),
        **row: Any,
    ) -> None:
        """Append one row (``w`` is copied)."""
        self.params.append(np.array(w, dtype=np.float64))
        for name in _COLUMNS[:-1]:
            self.cols[name].append(row[name])
        self.cols["val_loss"].append(val_loss)
        self.momenta.append(momentum)

    def extend_from(self, t: Trajectory, rows: int) -> None:
        """Start from the first ``rows`` rows of an earlier trajectory (a resumed run)."""
        for i in range(rows):
            self.params.append(t.params[i].copy())
            for name in _COLUMNS[:-1]:
                self.cols[name].append(getattr(t, name)[i].item())
            self.cols["val_loss"].append(
                float("nan") if t.val_loss is None else float(t.val_loss[i])
            )
            self.momenta.append(float("nan") if t.momentum is None else float(t.momentum[i]))

    def to_trajectory(
        self, *, status: str, reason: str, config: dict[str, Any], state: dict[str, Any]
    ) -> Trajectory:
        """Freeze the rows into a :class:`~gdlab.trajectory.Trajectory`."""
        cols = {name: np.asarray(self.cols[name]) for name in _COLUMNS[:-1]}
        val = np.asarray(self.cols["val_loss"], dtype=np.float64) if self.validation else None
        momentum = np.asarray(self.momenta, dtype=np.float64) if self.momentum else None
        return Trajectory(
            params=np.stack(self.params),
            val_loss=val,
            momentum=momentum,
            status=status,
            reason=reason,
            config=config,
            state=state,
            **cols,
        )
