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
    EarlyStopping,
    ModelCheckpoint,
    MonitorCallback,
    ReduceLROnPlateau,
)
from scratchdl.keras.callbacks.records import CSVLogger, LearningRateScheduler

__all__ = [
    "CSVLogger",
    "Callback",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "LoopCallbacks",
    "ModelCheckpoint",
    "MonitorCallback",
    "ProgbarLogger",
    "ReduceLROnPlateau",
]
