"""Keras 3's Sequential API on scratchdl (being built: layers, losses and metrics so far)."""

from scratchdl.keras import activations, initializers, layers, losses, metrics, regularizers

__all__ = ["activations", "initializers", "layers", "losses", "metrics", "regularizers"]
