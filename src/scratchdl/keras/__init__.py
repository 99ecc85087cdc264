"""Keras 3's Sequential API on scratchdl (being built: the layers so far)."""

from scratchdl.keras import activations, initializers, layers, regularizers

__all__ = ["activations", "initializers", "layers", "regularizers"]
