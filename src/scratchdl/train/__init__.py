"""Training: one step (``train_step``, or the recorded and replayed ``compile_step``), one
loop over it (``fit``), its History, callbacks and metrics. The Keras front end
(``scratchdl.keras``) trains through the same loop.

from scratchdl.train import EarlyStopping, fit
history = fit(model, train_loader, F.cross_entropy, optimizer, epochs=10,
              val_loader=val_loader, callbacks=[EarlyStopping(patience=2)])
history["val_accuracy"]
"""

from scratchdl.train.callbacks import (
    Callback,
    CSVLogger,
    EarlyStopping,
    ModelCheckpoint,
    ProgressBar,
)
from scratchdl.train.compiled import CompiledStep, compile_step
from scratchdl.train.history import History
from scratchdl.train.loop import current_lr, eval_mode, evaluate, fit, predict
from scratchdl.train.metrics import METRICS, accuracy, get_metrics
from scratchdl.train.monitor import Monitor
from scratchdl.train.step import StepResult, TrainingDiverged, train_step

__all__ = [
    "METRICS",
    "CSVLogger",
    "Callback",
    "CompiledStep",
    "EarlyStopping",
    "History",
    "ModelCheckpoint",
    "Monitor",
    "ProgressBar",
    "StepResult",
    "TrainingDiverged",
    "accuracy",
    "compile_step",
    "current_lr",
    "eval_mode",
    "evaluate",
    "fit",
    "get_metrics",
    "predict",
    "train_step",
]
