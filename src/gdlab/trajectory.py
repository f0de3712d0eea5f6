"""Trajectory: the record of one gradient-descent run, which every later stage reads.

One row per recorded point (row 0 is the starting point). Saved as a single ``.npz`` holding
the arrays and a JSON metadata string; loading never unpickles (``allow_pickle=False``).
"""

from __future__ import annotations

import json
import math
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from gdlab.files import atomic_writer

if TYPE_CHECKING:
    import pandas as pd

FORMAT = "gdlab.trajectory/1"
STATUSES = ("converged", "stalled", "early_stopped", "max_epochs", "diverged")
_FLOAT_COLUMNS = ("loss", "lr", "grad_norm", "time")
_INT_COLUMNS = ("epoch", "step", "samples_seen")
_META_KEY = "__meta__"
_STATE_PREFIX = "state."


# What a damaged archive raises from zipfile, zlib or numpy: a flipped bit in the zip
# directory can name an unknown compression (NotImplementedError) or set the encryption flag
# (RuntimeError).
_DAMAGE = (
    zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, NotImplementedError,
    KeyError, OverflowError, zlib.error, struct.error,
)  # fmt: skip
# Deflate expands at most about 1032-fold: a member claiming more is lying about its size.
_MAX_DEFLATE_RATIO = 1032


def _refuse_duplicates(names: list[str]) -> None:
    """Refuse two members that name the same array: zip readers disagree on which one counts
    (Python's reads the last, others the first), and ``np.load`` drops the ``.npy`` suffix, so
    ``params`` and ``params.npy`` are one array too."""
    seen: set[str] = set()
    for name in names:
        key = name.removesuffix(".npy")
        if key in seen:
            raise ValueError(
                f"it holds two members named {key!r}, and zip readers disagree on which one counts"
            )
        seen.add(key)


def _read_arrays(source: Path) -> dict[str, NDArray[Any]]:
    """Every array of the ``.npz`` at ``source``, each header checked before its data is read.

    ``np.load`` allocates what an array's header claims before reading it, so a few hundred
    bytes claiming 1e12 floats would ask for 8 TB: the claim is checked against the bytes
    the member holds, and those against the size of the file, first.
    """
    size = source.stat().st_size
    with zipfile.ZipFile(source) as archive:
        _refuse_duplicates([info.filename for info in archive.infolist()])
        for info in archive.infolist():
            limit = size if info.compress_type == zipfile.ZIP_STORED else (
                _MAX_DEFLATE_RATIO * info.compress_size
            )  # fmt: skip
            if info.file_size > limit:
                raise ValueError(
                    f"member {info.filename!r} claims {info.file_size} bytes, more than the "
                    f"file can hold ({size} bytes)"
                )
            with archive.open(info) as member:
                version = np.lib.format.read_magic(member)
                if version == (1, 0):
                    shape, _, dtype = np.lib.format.read_array_header_1_0(member)
                elif version == (2, 0):
                    shape, _, dtype = np.lib.format.read_array_header_2_0(member)
                else:
                    raise ValueError(f"member {info.filename!r} has npy format {version}")
                claimed = math.prod(shape) * dtype.itemsize
                if dtype.hasobject or claimed > info.file_size - member.tell():
                    raise ValueError(
                        f"member {info.filename!r} claims an array of shape {shape} "
                        f"({dtype}) that its {info.file_size} bytes cannot hold"
                    )
    with np.load(source, allow_pickle=False) as npz:
        return {key: npz[key] for key in npz.files}


@dataclass(eq=False)
class Trajectory:
    """Parameters and diagnostics of a descent run, one row per record.

    Attributes
    ----------
    params : ndarray, shape ``(R, *w.shape)``
        Parameters at each record; ``params[0]`` is the starting point.
    loss : ndarray, shape (R,)
        Full-data training objective at that point.
    lr : ndarray, shape (R,)
        Learning rate of the update that produced the row (``nan`` for row 0).
    epoch, step, samples_seen : int ndarrays, shape (R,)
        Epochs completed, updates done and training rows used so far.
    grad_norm : ndarray, shape (R,)
        Euclidean norm of the full-data gradient at that point.
    time : ndarray, shape (R,)
        Seconds since the run started.
    val_loss : ndarray of shape (R,) or None
        Objective on the held-out rows when a validation split was asked for.
    momentum : ndarray of shape (R,) or None
        The momentum (or Adam's ``beta1``) of the update that produced the row, when the
        rule's momentum is a schedule (``nan`` for row 0).
    status : {"converged", "stalled", "early_stopped", "max_epochs", "diverged"}
        Why the run stopped: "converged" only when its gradient test held (``gtol``,
        ``gtol_rel``); "stalled" when the loss stayed flat (``tol``), "early_stopped" when the
        validation loss stopped improving, neither of which says the optimum was reached.
    reason : str
        A readable sentence saying why.
    config : dict
        JSON-able description of the run (model, lr text form, batch_size, method, seed, ...).
    state : dict
        What a resumed run needs (RNG state, counters, update-rule arrays); values are
        JSON-able or NumPy arrays.

    Examples
    --------
    >>> import numpy as np
    >>> t = Trajectory(params=np.zeros((2, 3)), loss=np.array([2.0, 1.0]),
    ...                lr=np.array([np.nan, 0.1]), epoch=np.array([0, 1]),
    ...                step=np.array([0, 4]), grad_norm=np.array([1.0, 0.5]),
    ...                samples_seen=np.array([0, 100]), time=np.array([0.0, 0.01]))
    >>> t.n_epochs, t.n_steps, len(t), t.w.shape
    (1, 4, 2, (3,))
    >>> list(t.to_frame().columns)[:4]
    ['step', 'epoch', 'samples_seen', 'time']
    """

    params: NDArray[np.float64]
    loss: NDArray[np.float64]
    lr: NDArray[np.float64]
    epoch: NDArray[np.int64]
    step: NDArray[np.int64]
    grad_norm: NDArray[np.float64]
    samples_seen: NDArray[np.int64]
    time: NDArray[np.float64]
    val_loss: NDArray[np.float64] | None = None
    status: str = "max_epochs"
    reason: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    momentum: NDArray[np.float64] | None = None

    def __post_init__(self) -> None:
        self.params = np.asarray(self.params, dtype=np.float64)
        for name in _FLOAT_COLUMNS:
            setattr(self, name, np.asarray(getattr(self, name), dtype=np.float64))
        for name in _INT_COLUMNS:
            setattr(self, name, np.asarray(getattr(self, name), dtype=np.int64))
        if self.val_loss is not None:
            self.val_loss = np.asarray(self.val_loss, dtype=np.float64)
        if self.momentum is not None:
            self.momentum = np.asarray(self.momentum, dtype=np.float64)
        rows = self.params.shape[0] if self.params.ndim else -1
        if rows < 1:
            raise ValueError(
                f"params must have one row per record (at least the start), got shape "
                f"{self.params.shape}."
            )
        columns = {n: getattr(self, n) for n in (*_FLOAT_COLUMNS, *_INT_COLUMNS)}
        if self.val_loss is not None:
            columns["val_loss"] = self.val_loss
        if self.momentum is not None:
            columns["momentum"] = self.momentum
        for name, col in columns.items():
            if col.shape != (rows,):
                raise ValueError(
                    f"Trajectory column {name!r} must have shape ({rows},) like params, "
                    f"got {col.shape}."
                )
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}.")

    # -- read API -----------------------------------------------------------------------
    @property
    def w(self) -> NDArray[np.float64]:
        """The last recorded parameters (the result of the run)."""
        return self.params[-1]

    @property
    def best_w(self) -> NDArray[np.float64]:
        """The iterate with the lowest monitored loss at an epoch end (the validation loss with
        a validation split), when the run kept it (``keep_best=True``); else :attr:`w`."""
        best = self.state.get("best_w")
        return self.w if best is None else np.asarray(best, dtype=np.float64)

    @property
    def best_epoch(self) -> int:
        """The epoch of :attr:`best_w`."""
        best = self.state.get("best_epoch")
        return self.n_epochs if best is None else int(best)

    @property
    def n_epochs(self) -> int:
        """Epochs completed at the last record."""
        return int(self.epoch[-1])

    @property
    def n_steps(self) -> int:
        """Updates done at the last record."""
        return int(self.step[-1])

    def __len__(self) -> int:
        return int(self.params.shape[0])

    def __repr__(self) -> str:
        model = self.config.get("model", "?")
        lr = self.config.get("lr", "?")
        return (
            f"Trajectory(model={model}, lr={lr}, status={self.status!r}, "
            f"n_epochs={self.n_epochs}, n_steps={self.n_steps}, records={len(self)}, "
            f"loss={self.loss[0]:.6g}->{self.loss[-1]:.6g})"
        )

    def _repr_html_(self) -> str:
        """Jupyter's display: status, counters, losses and an inline loss curve (SVG)."""
        from gdlab.display import trajectory_html  # the one module that draws displays

        return trajectory_html(self)

    def to_frame(self) -> pd.DataFrame:
        """One row per record: counters, lr, loss, grad_norm, val_loss and ``w*`` columns."""
        import pandas as pd  # imported on use: it costs half a second and the engine never needs it

        data: dict[str, Any] = {
            "step": self.step,
            "epoch": self.epoch,
            "samples_seen": self.samples_seen,
            "time": self.time,
            "lr": self.lr,
            "loss": self.loss,
            "grad_norm": self.grad_norm,
        }
        if self.val_loss is not None:
            data["val_loss"] = self.val_loss
        if self.momentum is not None:
            data["momentum"] = self.momentum
        flat = self.params.reshape(len(self), -1)
        shape = self.params.shape[1:]
        for j, idx in enumerate(np.ndindex(*shape)):
            data["w" + "_".join(str(i) for i in idx)] = flat[:, j]
        return pd.DataFrame(data)

    # -- persistence --------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the trajectory to ``path`` (one ``.npz``) atomically; return the path.

        The file is written to a temporary name in the same folder and moved into place,
        so a reader never sees half a file.
        """
        target = Path(path)
        arrays: dict[str, NDArray[Any]] = {"params": self.params}
        for name in (*_FLOAT_COLUMNS, *_INT_COLUMNS):
            arrays[name] = getattr(self, name)
        if self.val_loss is not None:
            arrays["val_loss"] = self.val_loss
        if self.momentum is not None:
            arrays["momentum"] = self.momentum
        json_state: dict[str, Any] = {}
        for key, value in self.state.items():
            if isinstance(value, np.ndarray):
                arrays[_STATE_PREFIX + key] = value
            else:
                json_state[key] = value
        meta = {
            "format": FORMAT,
            "status": self.status,
            "reason": self.reason,
            "config": self.config,
            "state": json_state,
        }
        try:
            arrays[_META_KEY] = np.array(json.dumps(meta, allow_nan=True))
        except TypeError as exc:
            raise TypeError(
                f"Trajectory config/state must be JSON-able (str, numbers, lists, dicts) or "
                f"NumPy arrays in state: {exc}."
            ) from exc
        with atomic_writer(target) as handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Trajectory:
        """Read a file written by :meth:`save`; a damaged or foreign file raises ValueError."""
        source = Path(path)
        try:
            arrays = _read_arrays(source)
        except FileNotFoundError:
            raise
        except _DAMAGE as exc:
            raise ValueError(
                f"{source} is not a readable gdlab trajectory (.npz written by "
                f"Trajectory.save): {exc}. Re-run the descent or restore the file."
            ) from exc
        if _META_KEY not in arrays:
            raise ValueError(f"{source} has no gdlab metadata; was it written by Trajectory.save?")
        try:
            meta = json.loads(str(arrays.pop(_META_KEY)))
        except (json.JSONDecodeError, RecursionError) as exc:  # RecursionError: deep nesting
            raise ValueError(f"{source}: its metadata is not valid JSON ({exc}).") from exc
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            found = meta.get("format") if isinstance(meta, dict) else type(meta).__name__
            raise ValueError(f"{source}: expected format {FORMAT!r}, found {found!r}.")
        missing = [k for k in ("params", *_FLOAT_COLUMNS, *_INT_COLUMNS) if k not in arrays]
        if missing:
            raise ValueError(f"{source} lacks the trajectory arrays {missing}; it is damaged.")
        if not all(isinstance(meta.get(k) or {}, dict) for k in ("config", "state")):
            raise ValueError(f"{source}: its config and state must be JSON objects; it is damaged.")
        state: dict[str, Any] = dict(meta.get("state") or {})
        for key in [k for k in arrays if k.startswith(_STATE_PREFIX)]:
            state[key[len(_STATE_PREFIX) :]] = arrays.pop(key)
        try:
            return cls(
                params=arrays["params"],
                **{name: arrays[name] for name in (*_FLOAT_COLUMNS, *_INT_COLUMNS)},
                val_loss=arrays.get("val_loss"),
                momentum=arrays.get("momentum"),
                status=meta.get("status", ""),
                reason=str(meta.get("reason", "")),
                config=dict(meta.get("config") or {}),
                state=state,
            )
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{source} is inconsistent: {exc}") from exc
