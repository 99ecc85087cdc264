"""A training run's moving parts, and the callbacks the command line adds to ``fit``.

``Training`` builds the network, optimizer, scheduler and loaders from the settings,
restores them from a run folder's checkpoint, saves them, and trains. ``RunRecorder``
checkpoints every epoch, ``EpochTable`` prints a row per epoch, and
``ResumedEarlyStopping`` carries the early-stopping count across a resume.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scratchdl as sd
import scratchdl.functional as F
from scratchdl import io
from scratchdl.cli import config, run_dir
from scratchdl.cli.errors import UserError
from scratchdl.train import Callback, EarlyStopping, fit
from scratchdl.utils.data import DataLoader, Dataset

Printer = Callable[[str], None]


@dataclass
class Training:
    """Everything a training run updates, built from its settings."""

    settings: dict[str, Any]
    model: Any
    optimizer: Any
    scheduler: Any
    train_loader: DataLoader
    test_loader: DataLoader

    @classmethod
    def build(cls, settings: dict[str, Any], train_set: Dataset, test_set: Dataset) -> Training:
        """Seed the library, then build the network, optimizer, scheduler and loaders."""
        sd.manual_seed(settings["seed"])
        model = config.build_model(settings)
        optimizer = config.build_optimizer(settings, model)
        scheduler = config.build_scheduler(settings, optimizer)
        loaders = config.train_loader(settings, train_set), config.test_loader(test_set)
        return cls(settings, model, optimizer, scheduler, *loaders)

    def restore(self, folder: run_dir.RunFolder) -> list[dict[str, Any]]:
        """Load the folder's checkpoint (weights, optimizer, scheduler, loader and RNG
        state); return the records of the epochs it had finished. UserError if the
        checkpoint does not fit the network its settings describe."""
        try:
            io.restore_checkpoint(
                folder.checkpoint, self.model, self.optimizer, self.scheduler,
                loader=self.train_loader,
            )  # fmt: skip
        except (ValueError, RuntimeError, KeyError, TypeError) as error:
            raise UserError(
                f"cannot resume from {folder.path / run_dir.CHECKPOINT}: {error}"
            ) from None
        return folder.records

    def save_checkpoint(
        self, path: Path, records: Sequence[Mapping[str, Any]], stopped_epoch: int | None
    ) -> None:
        """Save everything ``restore`` needs, with the epoch records so far and the epoch
        at which early stopping ended the run (None while it goes on)."""
        io.save_checkpoint(
            path, self.model, self.optimizer, self.scheduler, epoch=len(records),
            extra={"records": list(records), "stopped_epoch": stopped_epoch},
            loader=self.train_loader,
        )  # fmt: skip

    def fit(self, callbacks: Sequence[Callback], start_epoch: int, log_interval: int | None):
        """Train from ``start_epoch`` to the planned epochs (see ``scratchdl.train.fit``)."""
        return fit(
            self.model, self.train_loader, F.cross_entropy, self.optimizer,
            self.settings["epochs"], val_loader=self.test_loader, callbacks=callbacks,
            scheduler=self.scheduler, log_interval=log_interval, start_epoch=start_epoch,
        )  # fmt: skip


def early_stopping(patience: int, past_records: list[dict[str, Any]]) -> EarlyStopping | None:
    """The early-stopping callback (None when patience is 0), already fed the epochs of a
    resumed run."""
    if patience == 0:
        return None
    callback = ResumedEarlyStopping(patience, past_records)
    callback.on_train_begin()
    return callback


class ResumedEarlyStopping(EarlyStopping):
    """EarlyStopping on the test loss that first replays the epochs a resumed run had done,
    so its count of epochs without improvement carries on from the checkpoint."""

    def __init__(self, patience: int, past_records: Sequence[Mapping[str, Any]]) -> None:
        super().__init__(monitor="val_loss", patience=patience)
        self.past_records = past_records

    def on_train_begin(self) -> None:
        super().on_train_begin()
        for record in self.past_records:
            self.on_epoch_end(record["epoch"], record)


class RunRecorder(Callback):
    """After every epoch, write the checkpoint, then the history files, so a run stopped at
    any moment resumes from its last saved epoch. ``records`` are the epochs saved so far;
    ``stopper`` (the early-stopping callback, run before this one) says whether the run
    ends here. On several ranks, rank 0 alone writes."""

    rank_zero_only = True

    def __init__(
        self,
        out_dir: Path,
        training: Training,
        records: list[dict[str, Any]],
        stopper: EarlyStopping | None,
    ) -> None:
        self.out_dir = out_dir
        self.training = training
        self.records = list(records)
        self.stopper = stopper

    def on_epoch_end(self, epoch: int, record: Mapping[str, Any]) -> None:
        records = [*self.records, dict(record)]
        stopped = self.stopper.stopped_epoch if self.stopper else None
        self.training.save_checkpoint(self.out_dir / run_dir.CHECKPOINT, records, stopped)
        self.records = records
        run_dir.write_history(self.out_dir, records)


class EpochTable(Callback):
    """Print a table row per epoch: losses, accuracies, learning rate and seconds."""

    HEADER = "epoch  train loss  train acc  test loss  test acc        lr   time"

    def __init__(self, echo: Printer) -> None:
        self.echo = echo

    def on_train_begin(self) -> None:
        self.echo(self.HEADER)

    def on_epoch_end(self, epoch: int, record: Mapping[str, Any]) -> None:
        self.echo(
            f"{epoch:>5}  {record['loss']:>10.4f}  {record['accuracy']:>9.2%}  "
            f"{record['val_loss']:>9.4f}  {record['val_accuracy']:>8.2%}  "
            f"{record['lr']:>8.2g}  {record['time']:>4.1f}s"
        )
