"""Saving and loading, never with pickle: PyTorch's ``save`` / ``load``, training
checkpoints, and the atomic writes under them.

- ``save(obj, f)`` / ``load(f, map_location=None, weights_only=True)``: state dicts and
  nested containers of tensors, as safetensors (a ``.safetensors`` path) or ``.npz`` (any
  other path); ``load`` tells the format from the content (``serialization``).
- ``save_checkpoint`` / ``load_checkpoint``: model, optimizer, scheduler, loader and RNG
  state, to resume training exactly (``checkpoint``).
- ``atomic_write``: a file holds its old content or the complete new one, whatever stops
  the writer (``atomic``).

Files scratchdl writes carry a SHA-256 of their bytes; reading checks every entry and the
digest before returning anything, and any damage is one ``CorruptFileError`` naming the
file and, when it lies in one, the member.
"""

from scratchdl.io.atomic import atomic_write, remove_stale_temporaries
from scratchdl.io.checkpoint import (
    load_checkpoint,
    read_checkpoint,
    restore_checkpoint,
    save_checkpoint,
)
from scratchdl.io.integrity import CorruptFileError
from scratchdl.io.serialization import load, save

__all__ = [
    "CorruptFileError",
    "atomic_write",
    "load",
    "load_checkpoint",
    "read_checkpoint",
    "remove_stale_temporaries",
    "restore_checkpoint",
    "save",
    "save_checkpoint",
]
