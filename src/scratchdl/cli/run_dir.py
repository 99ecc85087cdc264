"""The folder a training run writes, and reading it back.

    config.json      every setting, so evaluate / predict / --resume rebuild the network
    checkpoint.npz   model, optimizer, scheduler, loader and RNG state after the last epoch
    model.npz        the trained weights
    history.csv      one row per epoch; history.json the same as columns
    curves.png, confusion.png, misclassified.png

Every file is written atomically (a temporary file, then a rename), so a run stopped at
any moment leaves each file either complete or as it was.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import scratchdl.nn as nn
from scratchdl import io
from scratchdl.cli.config import DEFAULTS, build_model
from scratchdl.cli.errors import UserError
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


def check_new_run_dir(path: Path) -> None:
    """Raise UserError unless ``path`` can receive a new run (absent, or a folder without one)."""
    for folder in (path, *path.parents):
        if folder.exists() and not folder.is_dir():
            raise UserError(f"--out {path}: {folder} is an existing file, not a folder")
    if (path / CONFIG).exists():
        raise UserError(
            f"{path} already holds a run; continue it with --resume {path} or choose another --out"
        )


def read_settings(run_dir: Path) -> dict[str, Any]:
    """The settings saved in ``run_dir/config.json``; UserError if absent or damaged."""
    path = run_dir / CONFIG
    if not path.is_file():
        raise UserError(f"{run_dir} is not a training run: it has no {CONFIG}")
    try:
        saved = json.loads(path.read_text())
        return {name: saved[name] for name in DEFAULTS}
    except (ValueError, KeyError, TypeError) as error:
        raise UserError(f"{path} is damaged ({error!r}); it cannot rebuild the run") from None


def write_settings(run_dir: Path, settings: Mapping[str, Any]) -> None:
    """Save the settings as ``run_dir/config.json``."""
    write_text(run_dir / CONFIG, json.dumps(settings, indent=2) + "\n")


def require_checkpoint(run_dir: Path) -> Path:
    """The path of ``run_dir``'s checkpoint; UserError if the run has none."""
    path = run_dir / CHECKPOINT
    if not path.is_file():
        raise UserError(
            f"{run_dir} has no {CHECKPOINT} to resume from (the run stopped before its "
            "first epoch ended); start it again without --resume"
        )
    return path


def load_trained_model(run_dir: Path) -> tuple[dict[str, Any], nn.Module]:
    """The run's settings and its network with the trained weights, in evaluation mode."""
    settings = read_settings(run_dir)
    path = run_dir / MODEL
    if not path.is_file():
        raise UserError(
            f"{run_dir} has no {MODEL}: its training has not finished "
            f"(scratchdl train --resume {run_dir} continues it)"
        )
    model = build_model(settings)
    try:
        model.load_state_dict(io.load(path))
    except (ValueError, KeyError) as error:  # CorruptFileError is a ValueError
        raise UserError(f"cannot load {path}: {error}") from None
    return settings, model.eval()


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
