"""keras.models: ``Sequential``, ``load_model`` and ``save_model``."""

from scratchdl.keras.functional import Model
from scratchdl.keras.model import Sequential
from scratchdl.keras.saving import load_model, save_model

__all__ = ["Model", "Sequential", "load_model", "save_model"]
