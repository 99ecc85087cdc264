"""Keras's callbacks interface, and how Keras callbacks ride on scratchdl's training loop.

A Keras callback overrides some of ``on_train_begin(logs)``, ``on_epoch_begin(epoch,
logs)``, ``on_train_batch_begin(batch, logs)``, ``on_train_batch_end(batch, logs)``,
``on_epoch_end(epoch, logs)`` and ``on_train_end(logs)``; epochs and batches count from 0,
and ``logs`` maps names ("loss", "accuracy", "val_loss", ...) to values. Setting
``self.model.stop_training = True`` ends training after the current epoch.

``fit`` runs ``scratchdl.train.fit`` with one ``LoopCallbacks`` that calls the Keras
callbacks at the loop's hook points, turning its epoch records into Keras's logs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from scratchdl import train
from scratchdl.keras.progbar import ProgressBar

Logs = dict[str, float]


class Callback:
    """Base class: every hook does nothing. ``model`` and ``params`` ({"verbose", "epochs",
    "steps"}) are set by fit before ``on_train_begin``."""

    def __init__(self) -> None:
        self.model: Any = None
        self.params: dict[str, Any] = {}

    def set_model(self, model: Any) -> None:
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    def on_train_begin(self, logs: Logs | None = None) -> None:
        """Before the first epoch."""

    def on_train_end(self, logs: Logs | None = None) -> None:
        """After the last epoch, with the last epoch's logs."""

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        """Before epoch ``epoch`` (from 0)."""

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        """After epoch ``epoch``: the epoch's mean loss and metrics, and their ``val_`` forms."""

    def on_train_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        """Before batch ``batch`` (from 0 in each epoch)."""

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        """After batch ``batch``: the running means of the loss and metrics so far."""


class History(Callback):
    """What ``fit`` returns: ``history`` maps each name in the logs to its value per epoch
    ({"loss": [...], "accuracy": [...], "val_loss": [...], ...}); ``epoch`` lists the epochs
    run (from 0)."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
        self.model.history = self


class ProgbarLogger(Callback):
    """Prints "Epoch i/n" (when n > 1) and a progress line per epoch (see ``progbar``)."""

    def __init__(self) -> None:
        super().__init__()
        self.bar: ProgressBar | None = None

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        verbose = self.params.get("verbose", 1)
        if verbose and self.params.get("epochs", 1) > 1:
            print(f"Epoch {epoch + 1}/{self.params['epochs']}", flush=True)
        self.bar = ProgressBar(self.params.get("steps"), verbose)

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self.bar.update(batch + 1, logs or {})

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self.bar.finish(logs or {})


class LambdaCallback(Callback):
    """A callback from functions: ``on_epoch_end=lambda epoch, logs: ...`` and so on for
    on_epoch_begin, on_train_batch_begin, on_train_batch_end (``batch, logs``),
    on_train_begin and on_train_end (``logs``)."""

    HOOKS = ("on_epoch_begin", "on_epoch_end", "on_train_batch_begin", "on_train_batch_end",
             "on_train_begin", "on_train_end")  # fmt: skip

    def __init__(self, **hooks: Callable[..., Any]) -> None:
        super().__init__()
        unknown = set(hooks) - set(self.HOOKS)
        if unknown:
            raise TypeError(
                f"LambdaCallback: unknown hooks {sorted(unknown)}; expected {self.HOOKS}"
            )
        for name, function in hooks.items():
            setattr(self, name, function)


class LoopCallbacks(train.Callback):
    """The Keras callbacks of one ``fit``, run at ``scratchdl.train.fit``'s hook points.

    ``to_logs`` turns the loop's records (running means, or an epoch's record with its
    epoch number, learning rate and time) into Keras's logs. After each epoch, training
    stops when ``model.stop_training`` was set.
    """

    def __init__(
        self,
        callbacks: Sequence[Callback],
        model: Any,
        params: dict[str, Any],
        to_logs: Callable[[Mapping[str, Any]], Logs],
    ) -> None:
        self.callbacks, self.keras_model, self.to_logs = list(callbacks), model, to_logs
        for callback in self.callbacks:
            callback.set_model(model)
            callback.set_params(params)
        self.last_logs: Logs = {}

    def on_train_begin(self) -> None:
        self.stop_training = False
        self.keras_model.stop_training = False
        self._call("on_train_begin", {})

    def on_epoch_begin(self, epoch: int) -> None:
        self._call("on_epoch_begin", epoch - 1, {})

    def on_batch_begin(self, step: int) -> None:
        self._call("on_train_batch_begin", step - 1, {})

    def on_batch_end(self, step: int, logs: Mapping[str, float]) -> None:
        self._call("on_train_batch_end", step - 1, self.to_logs(logs))

    def on_epoch_end(self, epoch: int, record: Mapping[str, Any]) -> None:
        self.last_logs = self.to_logs(record)
        self._call("on_epoch_end", epoch - 1, self.last_logs)
        self.stop_training = bool(self.keras_model.stop_training)

    def on_train_end(self, history: train.History) -> None:
        self._call("on_train_end", self.last_logs)

    def _call(self, hook: str, *args: Any) -> None:
        for callback in self.callbacks:
            getattr(callback, hook)(*args)
