"""The folder a training run writes, the state it is in, and reading it back.

    config.json      every setting; the first file a run writes, before training starts
    checkpoint.npz   model, optimizer, scheduler, loader and RNG state and the epoch records,
                     after the last saved epoch
    model.npz        the trained weights, written once training has ended
    history.csv, history.json, curves.png, confusion.png, misclassified.png

Every file is written atomically (a temporary file, then a rename). A run folder is always
in one of three states, decided by checkpoint.npz and model.npz alone, so a kill at any
instant leaves one of them:

    restartable  neither file: no epoch was saved (the run stopped during its first epoch,
                 or before). A new run may use the folder; --resume, evaluate and predict
                 say to start it again.
    resumable    checkpoint.npz holds fewer epochs than planned and early stopping has not
                 ended the run: --resume continues it; evaluate and predict say so.
    finished     training has ended (the planned epochs, or early stopping): evaluate and
                 predict use model.npz, or the checkpoint's weights if the run was stopped
                 before model.npz was written (--resume writes it then);
                 --resume --epochs N trains it further.

model.npz is written after the final checkpoint and removed before a finished run trains
further, so whenever it exists it holds the weights of the checkpoint's last epoch.
"""

from __future__ import annotations

import csv
import enum
import json
from collections.abc import Mapping, Sequence
from functools import cached_property
from io import StringIO
from pathlib import Path
from typing import Any

import scratchdl.nn as nn
from scratchdl import io
from scratchdl.cli.config import build_model, checked_settings
from scratchdl.cli.errors import UserError
from scratchdl.io.tree import parse_json
from scratchdl.train import History

CONFIG = "config.json"
CHECKPOINT = "checkpoint.npz"
MODEL = "model.npz"
HISTORY_CSV = "history.csv"
HISTORY_JSON = "history.json"
CURVES = "curves.png"
CONFUSION = "confusion.png"
MISCLASSIFIED = "misclassified.png"
RECORDS = (MODEL, CHECKPOINT, CONFIG, HISTORY_CSV, HISTORY_JSON)
"""The files every finished run holds (the figures need matplotlib)."""


class State(enum.Enum):
    """What a run folder holds, and so what the command line can do with it."""

    RESTARTABLE = "restartable"
    RESUMABLE = "resumable"
    FINISHED = "finished"


class RunFolder:
    """A run folder, read lazily: each file is read and checked when first needed."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @property
    def has_checkpoint(self) -> bool:
        return (self.path / CHECKPOINT).is_file()

    @property
    def has_model(self) -> bool:
        return (self.path / MODEL).is_file()

    @cached_property
    def settings(self) -> dict[str, Any]:
        """The settings in config.json; UserError if absent or damaged."""
        return read_settings(self.path)

    @cached_property
    def checkpoint(self) -> dict[str, Any]:
        """The verified checkpoint; CorruptFileError if damaged."""
        path = self.path / CHECKPOINT
        checkpoint = io.read_checkpoint(path)
        extra = checkpoint["extra"]
        records = extra.get("records") if isinstance(extra, dict) else None
        numbers = [
            record.get("epoch") if isinstance(record, dict) else None for record in records or ()
        ]
        if not isinstance(records, list) or numbers != list(range(1, checkpoint["epoch"] + 1)):
            raise io.CorruptFileError(path, "its epoch records do not match its epoch count")
        return checkpoint

    @property
    def epochs_done(self) -> int:
        return self.checkpoint["epoch"]

    @property
    def records(self) -> list[dict[str, Any]]:
        """The record of each saved epoch (losses, accuracies, lr, seconds)."""
        return list(self.checkpoint["extra"]["records"])

    @property
    def stopped_epoch(self) -> int | None:
        """The epoch at which early stopping ended the run, if it did."""
        return self.checkpoint["extra"].get("stopped_epoch")

    @property
    def state(self) -> State:
        """The folder's state (see the module docstring); reads the checkpoint only when
        model.npz does not already say the run is finished."""
        if not self.has_checkpoint:
            return State.FINISHED if self.has_model else State.RESTARTABLE
        if self.has_model or self.training_ended:
            return State.FINISHED
        return State.RESUMABLE

    @property
    def training_ended(self) -> bool:
        """Whether the checkpoint's run trained its planned epochs or stopped early."""
        return self.stopped_epoch is not None or self.epochs_done >= self.settings["epochs"]

    def advice(self) -> str:
        """What the folder holds, and the command that goes on from there."""
        state, path = self.state, self.path
        if state is State.RESTARTABLE:
            return (
                f"no epoch is saved in {path}; start the run again "
                f"(scratchdl train --out {path} ... may reuse the folder)"
            )
        if state is State.RESUMABLE:
            return (
                f"epoch {self.epochs_done} of {self.settings['epochs']} is saved in "
                f"{path / CHECKPOINT}; continue with: scratchdl train --resume {path}"
            )
        if not self.has_model:
            return (
                f"training ended after epoch {self.epochs_done}, but {MODEL} was not written; "
                f"scratchdl train --resume {path} writes it"
            )
        return f"the run is finished; its weights are in {path / MODEL}"


def require_folder(path: Path) -> None:
    """UserError unless ``path`` is an existing folder."""
    if not path.exists():
        raise UserError(f"{path}: no such folder")
    if not path.is_dir():
        raise UserError(f"{path} is a file, not a run folder")


def check_new_run_dir(path: Path) -> None:
    """UserError unless a new run may use ``path``: absent, or a restartable folder."""
    for parent in (path, *path.parents):
        if parent.exists() and not parent.is_dir():
            raise UserError(f"--out {path}: {parent} is an existing file, not a folder")
    folder = RunFolder(path)
    if folder.has_checkpoint or folder.has_model:
        saved = CHECKPOINT if folder.has_checkpoint else MODEL
        raise UserError(
            f"{path} already holds a run ({saved}); continue it with --resume {path}, "
            "or choose another --out"
        )


def check_resumable(folder: RunFolder, epochs: int | None) -> None:
    """UserError unless ``--resume`` (with ``--epochs epochs``, None for the planned ones)
    has something to do: train on, or write the model.npz of a run stopped before it."""
    path = folder.path
    if not folder.has_checkpoint:
        if folder.has_model:
            raise UserError(f"{path} holds trained weights ({MODEL}) but no {CHECKPOINT} to resume")
        raise UserError(f"{path} has no {CHECKPOINT} to resume from: {folder.advice()}")
    done, stopped = folder.epochs_done, folder.stopped_epoch
    epochs = folder.settings["epochs"] if epochs is None else epochs
    if stopped is not None and folder.has_model:
        raise UserError(
            f"the run in {path} stopped early at epoch {stopped} (no lower test loss for "
            f"{folder.settings['patience']} epochs); there is nothing to resume"
        )
    if epochs < done or (epochs == done and folder.has_model):
        raise UserError(
            f"{path} has already trained {done} epochs; to train further, pass --epochs "
            f"with more than {done}"
        )


def prepare(folder: RunFolder, settings: Mapping[str, Any]) -> None:
    """Make ``folder`` ready for training with ``settings``: write config.json, remove
    stale temporary files, and remove model.npz, which the next checkpoint would leave out
    of date (a finished run trained further). Writing config.json is the command's first
    write: if the folder cannot be written, UserError, and the folders created for it are
    removed."""
    path = folder.path
    created = [parent for parent in (path, *path.parents) if not parent.exists()]
    try:
        path.mkdir(parents=True, exist_ok=True)
        write_settings(path, settings)
        io.remove_stale_temporaries(path)
        (path / MODEL).unlink(missing_ok=True)
    except OSError as error:
        for parent in created:
            if parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
        raise UserError(f"cannot write the run folder {path}: {error.strerror or error}") from None


def read_settings(run_dir: Path) -> dict[str, Any]:
    """The settings saved in ``run_dir/config.json``, checked; UserError if absent or
    damaged."""
    path = run_dir / CONFIG
    if not path.is_file():
        raise UserError(f"{run_dir} is not a training run: it has no {CONFIG}")
    try:
        saved = parse_json(path.read_bytes())
    except ValueError as error:
        raise UserError(f"{path} is damaged: {error}") from None
    return checked_settings(saved, str(path))


def write_settings(run_dir: Path, settings: Mapping[str, Any]) -> None:
    """Save the settings as ``run_dir/config.json``."""
    write_text(run_dir / CONFIG, json.dumps(settings, indent=2) + "\n")


def load_trained_model(path: Path) -> tuple[dict[str, Any], nn.Module]:
    """The run's settings and its network with the trained weights, in evaluation mode;
    UserError saying why when the run has no trained weights."""
    require_folder(path)
    folder = RunFolder(path)
    state = folder.state
    if state is State.RESTARTABLE and not (path / CONFIG).exists():
        raise UserError(
            f"{path} is not a training run: it has no {CONFIG}, {CHECKPOINT} or {MODEL}"
        )
    if state is not State.FINISHED:
        raise UserError(f"{path} holds no finished training: {folder.advice()}")
    source = path / MODEL if folder.has_model else path / CHECKPOINT
    weights = io.load(source) if folder.has_model else folder.checkpoint["model"]
    model = build_model(folder.settings)
    try:
        model.load_state_dict(weights)
    except (ValueError, RuntimeError) as error:  # load_state_dict raises torch's RuntimeError
        raise UserError(
            f"the weights in {source} do not fit the network of {CONFIG}: {error}"
        ) from None
    return folder.settings, model.eval()


def write_history(run_dir: Path, records: Sequence[Mapping[str, Any]]) -> None:
    """Write the epoch records as ``history.csv`` (a row each) and ``history.json`` (columns)."""
    table = StringIO()
    writer = csv.DictWriter(table, fieldnames=History(records).keys(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    write_text(run_dir / HISTORY_CSV, table.getvalue())
    write_text(run_dir / HISTORY_JSON, json.dumps(History(records).to_dict(), indent=2) + "\n")


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    io.atomic_write(path, lambda file: file.write(text.encode()))
