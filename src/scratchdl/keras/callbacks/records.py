"""Callbacks that set the learning rate each epoch or write the logs down:
LearningRateScheduler and CSVLogger."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from scratchdl.keras.callbacks.base import Callback, Logs


class LearningRateScheduler(Callback):
    """Set the learning rate before each epoch to ``schedule(epoch, lr)`` (or
    ``schedule(epoch)``), epochs from 0; adds "learning_rate" to the logs, as Keras does."""

    def __init__(self, schedule: Any, verbose: int = 0) -> None:
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        optimizer = self.model.optimizer
        try:
            learning_rate = self.schedule(epoch, float(optimizer.learning_rate))
        except TypeError:  # a schedule of the epoch alone, Keras's older form
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.floating)):
            raise ValueError(
                f"The output of the `schedule` function should be a float. Got: {learning_rate}"
            )
        optimizer.learning_rate = float(learning_rate)
        if self.verbose > 0:
            print(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                f"{learning_rate}."
            )

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)


class CSVLogger(Callback):
    """Write the logs of each epoch as a CSV row to ``filename``: "epoch" (from 0) and the
    log names in sorted order (with "val_" columns even before there are validation
    values), a header first unless appending to a file that has one. Each row is on disk
    when its epoch ends."""

    def __init__(self, filename: str | Path, separator: str = ",", append: bool = False):
        super().__init__()
        self.filename, self.separator, self.append = Path(filename), separator, append
        self.keys: list[str] | None = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        has_header = self.append and self.filename.exists() and self.filename.stat().st_size > 0
        self.write_header = not has_header
        if not self.append:
            self.filename.unlink(missing_ok=True)
        self.keys = None

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys += [f"val_{key}" for key in self.keys]
        with self.filename.open("a", newline="") as file:
            writer = csv.writer(file, delimiter=self.separator)
            if self.write_header:
                writer.writerow(["epoch", *self.keys])
                self.write_header = False
            writer.writerow([epoch, *(logs.get(key, "NA") for key in self.keys)])
