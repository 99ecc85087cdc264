"""Keras 3's Sequential API on scratchdl (being built: layers, losses, metrics, optimizers)."""

from scratchdl.keras import (
    activations,
    initializers,
    layers,
    losses,
    metrics,
    optimizers,
    regularizers,
)

__all__ = [
    "activations",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "optimizers",
    "regularizers",
]
