"""Keras's callbacks: code that ``fit`` runs at fixed points of training.

keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
"""

from scratchdl.keras.callbacks.base import (
    Callback,
    History,
    LambdaCallback,
    LoopCallbacks,
    ProgbarLogger,
)
from scratchdl.keras.callbacks.monitors import (
    CSVLogger,
    EarlyStopping,
    ModelCheckpoint,
    MonitorCallback,
    ReduceLROnPlateau,
)

__all__ = [
    "CSVLogger",
    "Callback",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LoopCallbacks",
    "ModelCheckpoint",
    "MonitorCallback",
    "ProgbarLogger",
    "ReduceLROnPlateau",
]
