"""Training checkpoints: everything needed to resume training exactly, in one file.

A checkpoint is what ``save`` writes for the dict

    {"format": "scratchdl-checkpoint", "version": 2, "model": ..., "optimizer": ...,
     "scheduler": ..., "loader": ..., "rng": ..., "epoch": 3, "extra": ...}

of state dicts (None for a part not given), the library RNG state, the number of epochs
done and the caller's ``extra``; its arrays come back as NumPy arrays, as the parts'
``load_state_dict`` expect.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from typing import Any

from scratchdl.io.integrity import CorruptFileError
from scratchdl.io.serialization import read_object, save
from scratchdl.random import get_rng_state, set_rng_state

FORMAT, VERSION = "scratchdl-checkpoint", 2
PARTS = ("model", "optimizer", "scheduler", "loader")


def save_checkpoint(
    path: str | os.PathLike,
    model: Any,
    optimizer: Any = None,
    scheduler: Any = None,
    epoch: int = 0,
    extra: Any = None,
    loader: Any = None,
) -> None:
    """Save the state of ``model`` (and of ``optimizer``, ``scheduler`` and ``loader`` when
    given), the library RNG state, ``epoch`` (epochs done) and ``extra`` (anything ``save``
    stores) to ``path``, atomically."""
    parts = {"model": model, "optimizer": optimizer, "scheduler": scheduler, "loader": loader}
    checkpoint = {"format": FORMAT, "version": VERSION}
    checkpoint |= {
        name: None if part is None else part.state_dict() for name, part in parts.items()
    }
    checkpoint |= {"rng": get_rng_state(), "epoch": int(epoch), "extra": extra}
    save(checkpoint, path)


def read_checkpoint(path: str | os.PathLike) -> dict[str, Any]:
    """The checkpoint saved at ``path``, verified; CorruptFileError if it is not one."""
    checkpoint = read_object(path, wrap=lambda array: array)
    if isinstance(checkpoint, dict) and "__checkpoint__" in checkpoint:
        raise CorruptFileError(path, "it is a checkpoint of an older scratchdl (version 1)")
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != FORMAT:
        raise CorruptFileError(path, "it is not a scratchdl checkpoint")
    if checkpoint.get("version") != VERSION:
        raise CorruptFileError(
            path, f"it is a checkpoint of version {checkpoint.get('version')!r}; this "
            f"scratchdl reads version {VERSION}",
        )  # fmt: skip
    epoch = checkpoint.get("epoch")
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
        raise CorruptFileError(path, f"its epoch {epoch!r} is not a count of epochs")
    if not isinstance(checkpoint.get("model"), dict) or not isinstance(checkpoint.get("rng"), dict):
        raise CorruptFileError(path, "it lacks the model or the RNG state")
    return checkpoint


def restore_checkpoint(
    checkpoint: Mapping[str, Any],
    model: Any,
    optimizer: Any = None,
    scheduler: Any = None,
    loader: Any = None,
) -> dict[str, Any]:
    """Load a checkpoint read by ``read_checkpoint`` into the parts given; return
    ``{"epoch", "extra"}``.

    Every part given must be in the checkpoint. The model loads with ``strict=True``
    (names and shapes must match); if a part refuses its state, the parts loaded before it
    are put back as they were, so a failed restore changes nothing. Last, the RNG state.
    """
    given = {"model": model, "optimizer": optimizer, "scheduler": scheduler, "loader": loader}
    parts = {name: part for name, part in given.items() if part is not None}
    for name in parts:
        if checkpoint.get(name) is None:
            raise ValueError(
                f"load_checkpoint: the checkpoint holds no {name} state, but a {name} was given"
            )
    _load_all_or_nothing(parts, checkpoint)
    set_rng_state(checkpoint["rng"])
    return {"epoch": checkpoint["epoch"], "extra": checkpoint["extra"]}


def load_checkpoint(
    path: str | os.PathLike,
    model: Any,
    optimizer: Any = None,
    scheduler: Any = None,
    loader: Any = None,
) -> dict[str, Any]:
    """``restore_checkpoint(read_checkpoint(path), ...)``: the whole file is read and
    verified before anything changes."""
    return restore_checkpoint(read_checkpoint(path), model, optimizer, scheduler, loader)


def _load_all_or_nothing(parts: dict[str, Any], checkpoint: Mapping[str, Any]) -> None:
    """``load_state_dict`` on every part; if one raises, restore the parts loaded before it."""
    loaded: dict[str, Any] = {}
    try:
        for name, part in parts.items():
            previous = copy.deepcopy(part.state_dict())  # a module's shares its memory
            part.load_state_dict(checkpoint[name])
            loaded[name] = previous
    except Exception:
        for name, previous in loaded.items():
            parts[name].load_state_dict(previous)
        raise
