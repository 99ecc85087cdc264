"""Helpers for comparing scratchdl.keras with real Keras."""

from __future__ import annotations

import numpy as np


def copy_weights(source, target) -> None:
    """Give ``target`` (a Keras or scratchdl model or layer) the weights of ``source``."""
    target.set_weights([np.asarray(w) for w in source.get_weights()])


def to_numpy(value) -> np.ndarray:
    """A Keras (torch) or scratchdl output as a NumPy array."""
    if hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)
