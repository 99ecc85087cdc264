"""Keras-style training: compile a model once, then fit, evaluate and predict on arrays.

    model = scratchdl.train.Sequential(nn.Flatten(), nn.Linear(784, 100), nn.ReLU(),
                                       nn.Linear(100, 10))
    model.compile(optimizer="adam", loss="cross_entropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=3, batch_size=100, validation_split=0.1)
    model.evaluate(x_test, y_test)          # {"loss": ..., "accuracy": ...}

Each method wraps the arrays in DataLoaders and calls ``scratchdl.train.fit``, ``evaluate``
or ``predict``: there is one training loop, and this is a convenience over it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import scratchdl.nn as nn
from scratchdl import functional as F
from scratchdl import optim
from scratchdl.autograd import Tensor
from scratchdl.train import loop
from scratchdl.train.callbacks import Callback, ProgressBar
from scratchdl.train.history import History
from scratchdl.train.metrics import Metric, get_metrics
from scratchdl.utils.data import DataLoader, TensorDataset

OPTIMIZERS: dict[str, type] = {
    "sgd": optim.SGD,
    "adam": optim.Adam,
    "adamw": optim.AdamW,
    "rmsprop": optim.RMSprop,
    "adagrad": optim.Adagrad,
    "adadelta": optim.Adadelta,
}
DEFAULT_SGD_LR = 0.01  # SGD has no default learning rate; this is Keras's.

LOSSES: dict[str, loop.LossFn] = {
    "cross_entropy": F.cross_entropy,
    "mse": F.mse_loss,
    "sum_squared_error": F.sum_squared_error,
    "binary_cross_entropy_with_logits": F.binary_cross_entropy_with_logits,
}


class Model(nn.Module):
    """A Module with Keras's ``compile`` / ``fit`` / ``evaluate`` / ``predict``.

    Subclass it instead of ``nn.Module`` (``scratchdl.models`` do), or use ``Sequential``.
    """

    optimizer: Any = None
    loss_fn: loop.LossFn | None = None
    metrics: dict[str, Metric] | None = None

    def compile(
        self,
        optimizer: str | Any = "adam",
        loss: str | loop.LossFn = "cross_entropy",
        metrics: Sequence[str | Metric] = ("accuracy",),
        lr: float | None = None,
    ) -> Model:
        """Choose how to train; return self.

        Args:
            optimizer: a name (sgd, adam, adamw, rmsprop, adagrad, adadelta), built on this
                model's parameters, or an optimizer instance.
            loss: a name (cross_entropy, mse, sum_squared_error,
                binary_cross_entropy_with_logits) or a function loss(outputs, targets).
            metrics: reported each epoch (see ``scratchdl.train.metrics``).
            lr: the learning rate for a named optimizer (its default when None; 0.01 for SGD).
        """
        self.optimizer = _make_optimizer(optimizer, self, lr)
        self.loss_fn = _get_loss(loss)
        self.metrics = get_metrics(metrics)
        return self

    def fit(
        self,
        x: Any,
        y: Any,
        epochs: int = 1,
        batch_size: int = 32,
        validation_data: tuple[Any, Any] | None = None,
        validation_split: float = 0.0,
        shuffle: bool = True,
        callbacks: Sequence[Callback] = (),
        verbose: int = 1,
    ) -> History:
        """Train on arrays ``x`` (inputs) and ``y`` (targets) for ``epochs`` epochs.

        Validation uses ``validation_data=(x_val, y_val)``, or the last ``validation_split``
        fraction of ``x, y`` (taken before shuffling). ``verbose=1`` adds a ProgressBar
        (shown only on a terminal); 0 is silent. Returns the History.
        """
        self._require_compiled("fit")
        x, y = self._as_arrays(x, y, "fit")
        if validation_data is not None and validation_split:
            raise ValueError("fit: pass validation_data or validation_split, not both")
        if validation_split:
            x, y, x_val, y_val = _split_off_tail(x, y, validation_split)
            validation_data = (x_val, y_val)
        train_loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle)
        val_loader = None
        if validation_data is not None:
            x_val, y_val = self._as_arrays(*validation_data, "fit (validation_data)")
            val_loader = DataLoader(TensorDataset(x_val, y_val), batch_size=batch_size)
        callbacks = [*callbacks, ProgressBar()] if verbose else list(callbacks)
        return loop.fit(
            self,
            train_loader,
            self.loss_fn,
            self.optimizer,
            epochs,
            val_loader,
            metrics=self.metrics,
            callbacks=callbacks,
        )

    def evaluate(self, x: Any, y: Any, batch_size: int = 256) -> dict[str, float]:
        """The mean loss and metrics on ``x, y``: ``{"loss": ..., "accuracy": ...}``."""
        self._require_compiled("evaluate")
        x, y = self._as_arrays(x, y, "evaluate")
        loader = DataLoader(TensorDataset(x, y), batch_size=batch_size)
        return loop.evaluate(self, loader, self.loss_fn, self.metrics)

    def predict(self, x: Any, batch_size: int = 256) -> np.ndarray:
        """The model's outputs (logits for a classifier) for ``x``, as one array."""
        return loop.predict(self, self._as_inputs(x), batch_size)

    def _require_compiled(self, op: str) -> None:
        if self.loss_fn is None:
            raise RuntimeError(
                f"{op}: call compile(optimizer=..., loss=...) on the model before {op}"
            )

    def _as_inputs(self, x: Any) -> np.ndarray:
        """``x`` as an array; floating data takes the parameters' dtype (float32 usually)."""
        array = x.numpy() if isinstance(x, Tensor) else np.asarray(x)
        if array.dtype.kind != "f":
            return array
        dtype = next((p.dtype for p in self.parameters()), np.float32)
        return array.astype(dtype, copy=False)

    def _as_arrays(self, x: Any, y: Any, op: str) -> tuple[np.ndarray, np.ndarray]:
        """Inputs and targets as arrays of the same length (floats as in ``_as_inputs``)."""
        x, y = self._as_inputs(x), self._as_inputs(y)
        if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
            raise ValueError(
                f"{op}: x and y must hold the same number of samples, got shapes "
                f"{tuple(x.shape)} and {tuple(y.shape)}"
            )
        return x, y


class Sequential(Model, nn.Sequential):
    """``nn.Sequential`` with Keras's compile / fit / evaluate / predict."""


def _make_optimizer(optimizer: str | Any, model: nn.Module, lr: float | None) -> Any:
    if not isinstance(optimizer, str):
        if lr is not None:
            raise ValueError(
                "compile: lr applies to an optimizer given by name; set it when you build "
                f"the {type(optimizer).__name__} instead"
            )
        return optimizer
    if optimizer.lower() not in OPTIMIZERS:
        raise ValueError(
            f"compile: unknown optimizer {optimizer!r}; expected one of {sorted(OPTIMIZERS)} "
            "or an optimizer instance"
        )
    optimizer_class = OPTIMIZERS[optimizer.lower()]
    if lr is None and optimizer_class is optim.SGD:
        lr = DEFAULT_SGD_LR
    options = {} if lr is None else {"lr": lr}
    return optimizer_class(model.parameters(), **options)


def _get_loss(loss: str | Callable) -> loop.LossFn:
    if callable(loss):
        return loss
    if loss not in LOSSES:
        raise ValueError(
            f"compile: unknown loss {loss!r}; expected one of {sorted(LOSSES)} or a function "
            "loss(outputs, targets) -> Tensor"
        )
    return LOSSES[loss]


def _split_off_tail(
    x: np.ndarray, y: np.ndarray, fraction: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_val, y_val) with the last ``fraction`` of samples for validation."""
    n_val = int(len(x) * fraction)
    if not 0 < fraction < 1 or not 0 < n_val < len(x):
        raise ValueError(
            f"fit: validation_split={fraction} of {len(x)} samples leaves {n_val} for "
            "validation; expected a fraction in (0, 1) giving at least one sample to each side"
        )
    split = len(x) - n_val
    return x[:split], y[:split], x[split:], y[split:]
