"""Callbacks: code that ``fit`` runs at fixed points of training.

``fit`` calls, in order: ``set_context`` then ``on_train_begin``; for every epoch
``on_epoch_begin``, ``on_batch_begin`` before and ``on_batch_end`` after each training
step, ``on_epoch_end`` with the epoch's record; finally ``on_train_end`` with the History.
A callback that sets ``stop_training = True`` ends training after the current epoch.
"""

from __future__ import annotations

import copy
import csv
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scratchdl import io
from scratchdl.train.history import History
from scratchdl.train.monitor import Monitor


class Callback:
    """Base class: every hook does nothing. Override the ones you need.

    Attributes set by ``fit`` before ``on_train_begin``: ``model``, ``epochs`` (the last
    epoch number) and ``steps_per_epoch`` (None when the loader has no length).
    When ``fit`` trains on several ranks, a callback whose ``rank_zero_only`` is True (one
    that prints or writes files) runs on rank 0 alone, the others on every rank.
    """

    model: Any = None
    epochs: int | None = None
    steps_per_epoch: int | None = None
    stop_training: bool = False
    rank_zero_only: bool = False

    def set_context(self, model: Any, epochs: int, steps_per_epoch: int | None) -> None:
        """Receive the model being trained and the run's length (called by ``fit``)."""
        self.model = model
        self.epochs = epochs
        self.steps_per_epoch = steps_per_epoch

    def on_train_begin(self) -> None:
        """Before the first epoch."""

    def on_epoch_begin(self, epoch: int) -> None:
        """Before epoch ``epoch`` (1-based)."""

    def on_batch_begin(self, step: int) -> None:
        """Before step ``step`` (1-based within the epoch)."""

    def on_batch_end(self, step: int, logs: Mapping[str, float]) -> None:
        """After step ``step`` (1-based within the epoch); ``logs`` holds the epoch's running
        means so far ('loss' and the metrics)."""

    def on_epoch_end(self, epoch: int, record: Mapping[str, Any]) -> None:
        """After epoch ``epoch`` with its History record (validation included)."""

    def on_train_end(self, history: History) -> None:
        """After the last epoch."""


class EarlyStopping(Callback):
    """Stop once ``monitor`` has failed to improve for ``patience`` epochs in a row.

    Improving means beating the best value by more than ``min_delta`` (see ``Monitor``).
    After training, ``best_epoch`` is the epoch of the best value and ``stopped_epoch`` the
    epoch training stopped at (None if it ran to the end). With ``restore_best_weights``,
    the model ends training with the weights it had at ``best_epoch``.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 5,
        min_delta: float = 0.0,
        mode: str = "auto",
        restore_best_weights: bool = False,
    ) -> None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(f"EarlyStopping: patience must be an integer >= 0, got {patience!r}")
        self.monitor = Monitor(monitor, mode, min_delta, op="EarlyStopping")
        self.patience = patience
        self.restore_best_weights = restore_best_weights

    def on_train_begin(self) -> None:
        self.stop_training = False
        self.best: float | None = None
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self.best_weights: dict[str, Any] | None = None
        self.epochs_without_improvement = 0

    def on_epoch_end(self, epoch: int, record: Mapping[str, Any]) -> None:
        value = self.monitor.value(record)
        if self.monitor.improves(value, self.best):
            self.best, self.best_epoch = value, epoch
            self.epochs_without_improvement = 0
            if self.restore_best_weights:
                self.best_weights = copy.deepcopy(dict(self.model.state_dict()))
            return
        self.epochs_without_improvement += 1
        if self.epochs_without_improvement >= self.patience:
            self.stopped_epoch = epoch
            self.stop_training = True

    def on_train_end(self, history: History) -> None:
        if self.restore_best_weights and self.best_weights is not None:
            self.model.load_state_dict(self.best_weights)


class ModelCheckpoint(Callback):
    """Save the model's weights with ``scratchdl.io.save`` at the end of epochs.

    With ``save_best_only`` (the default) only when ``monitor`` improves, else every epoch.
    ``path`` may hold format fields filled from the epoch record, such as
    ``"weights-{epoch:02d}-{val_loss:.3f}.npz"``; its suffix picks the format.
    """

    rank_zero_only = True

    def __init__(
        self,
        path: str | Path,
        monitor: str = "val_loss",
        save_best_only: bool = True,
        mode: str = "auto",
    ) -> None:
        self.path = str(path)
        self.monitor = Monitor(monitor, mode, op="ModelCheckpoint")
        self.save_best_only = save_best_only

    def on_train_begin(self) -> None:
        self.best: float | None = None
        self.best_epoch: int | None = None
        self.last_saved: Path | None = None

    def on_epoch_end(self, epoch: int, record: Mapping[str, Any]) -> None:
        if self.save_best_only:
            value = self.monitor.value(record)
            if not self.monitor.improves(value, self.best):
                return
            self.best, self.best_epoch = value, epoch
        self.last_saved = Path(self.path.format(**record))
        io.save(self.model, self.last_saved)


class CSVLogger(Callback):
    """Write one CSV row per epoch (the History record) to ``path``, with a header once.

    The file is rewritten at the start of training unless ``append`` (for a resumed run);
    each row is written when its epoch ends, so the file is complete even if training dies.
    """

    rank_zero_only = True

    def __init__(self, path: str | Path, append: bool = False) -> None:
        self.path = Path(path)
        self.append = append

    def on_train_begin(self) -> None:
        if not self.append:
            self.path.unlink(missing_ok=True)

    def on_epoch_end(self, epoch: int, record: Mapping[str, Any]) -> None:
        needs_header = not self.path.exists() or self.path.stat().st_size == 0
        with self.path.open("a", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=list(record))
            if needs_header:
                writer.writeheader()
            writer.writerow(record)


class ProgressBar(Callback):
    """A tqdm bar per epoch showing the running loss and metrics; when the epoch ends, the
    bar's last line shows the whole epoch record (validation included).

    Silent when ``disable`` is True, when stdout is not a terminal (``disable=None``, the
    default) or when tqdm is not installed. With ``leave=False`` each bar is erased when its
    epoch ends (for callers that print their own line per epoch).
    """

    rank_zero_only = True

    def __init__(self, disable: bool | None = None, leave: bool = True) -> None:
        self.disable = disable
        self.leave = leave
        self._bar = None

    def on_epoch_begin(self, epoch: int) -> None:
        tqdm = _import_tqdm()
        if tqdm is None or self.disable is True:
            return
        self._bar = tqdm(
            total=self.steps_per_epoch,
            desc=f"Epoch {epoch}/{self.epochs}",
            unit="batch",
            file=sys.stdout,
            disable=self.disable,  # tqdm's None: disabled when the file is not a terminal
            leave=self.leave,
        )

    def on_batch_end(self, step: int, logs: Mapping[str, float]) -> None:
        if self._bar is not None:
            self._bar.set_postfix(_rounded(logs), refresh=False)
            self._bar.update(1)

    def on_epoch_end(self, epoch: int, record: Mapping[str, Any]) -> None:
        if self._bar is not None:
            shown = {k: v for k, v in record.items() if k not in ("epoch", "time")}
            self._bar.set_postfix(_rounded(shown))
            self._bar.close()
            self._bar = None


def _import_tqdm() -> Any:
    """tqdm's progress-bar class, or None when the optional package is missing."""
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm


def _rounded(values: Mapping[str, Any]) -> dict[str, str]:
    return {key: f"{value:.4g}" for key, value in values.items()}
