"""Keras's training methods: compile, fit, evaluate, predict, on one training loop.

``fit`` builds DataLoaders from the arrays and runs ``scratchdl.train.fit``, whose every
step is ``scratchdl.train.train_step``: the same loop and step as a PyTorch-style program.
The Keras callbacks run at that loop's hook points (``callbacks.LoopCallbacks``); what the
loop calls (the model, or its logits when the loss takes them) comes from ``plan.Plan``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from scratchdl import train
from scratchdl.backend import to_numpy
from scratchdl.keras import losses, metrics, optimizers
from scratchdl.keras.callbacks import Callback, History, LoopCallbacks, ProgbarLogger
from scratchdl.keras.layers.base import as_array
from scratchdl.keras.plan import Plan
from scratchdl.keras.progbar import ProgressBar
from scratchdl.utils.data import DataLoader, TensorDataset

DEFAULT_BATCH_SIZE = 32
LOOP_ONLY_KEYS = ("epoch", "lr", "time")  # in scratchdl's epoch records, not in Keras's logs


class Trainer:
    """The training half of a Keras model (mixed into every Keras model)."""

    def __init__(self) -> None:
        self.optimizer: optimizers.Optimizer | None = None
        self.loss: losses.Loss | None = None
        self.metric_identifiers: list[Any] = []
        self.compiled_metrics: list[metrics.MeanMetricWrapper] = []
        self.stop_training = False
        self.history: History | None = None

    # ------------------------------------------------------------------- compile
    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        loss_weights: Any = None,
        metrics: Sequence[Any] | None = None,
        **ignored: Any,
    ) -> None:
        """Choose the optimizer (a name or a keras.optimizers instance), the loss (a name,
        a keras.losses object or a function ``loss(y_true, y_pred)``) and the metrics
        (names or objects), in Keras's order. Keras's other options (run_eagerly,
        jit_compile, ...) change nothing here. One loss for one output: a list or dict of
        losses, or ``loss_weights``, raise NotImplementedError."""
        if isinstance(loss, (list, tuple, dict)) or loss_weights is not None:
            raise NotImplementedError(
                "compile: scratchdl.keras trains models of one output with one loss; a list "
                "or dict of losses (one per output) and loss_weights are not supported"
            )
        self.optimizer = optimizers.get(optimizer)
        self.loss = None if loss is None else losses.get(loss)
        self.metric_identifiers = list(metrics or [])
        self.compiled_metrics = []

    @property
    def metrics_names(self) -> list[str]:
        return ["loss", *(metric.name for metric in self.compiled_metrics)]

    # ----------------------------------------------------------------------- fit
    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: int | str = "auto",
        callbacks: Sequence[Callback] | None = None,
        validation_split: float = 0.0,
        validation_data: tuple[Any, Any] | None = None,
        shuffle: bool = True,
        initial_epoch: int = 0,
        validation_batch_size: int | None = None,
        **unsupported: Any,
    ) -> History:
        """Train for ``epochs`` epochs on arrays ``x``, ``y``; return the History.

        ``validation_data=(x_val, y_val)``, or else the last ``validation_split`` of the
        samples (taken before shuffling), is evaluated after each epoch. ``verbose``:
        "auto" or 1 a progress line per epoch, 2 a short line, 0 nothing.
        """
        _reject_unsupported(unsupported, "fit")
        self._require_compiled("fit")
        x, y = self._as_arrays(x, y, "fit")
        if validation_data is not None:
            validation_data = self._as_arrays(*validation_data, "fit (validation_data)")
        elif validation_split:
            x, y, validation_data = _split_off_validation(x, y, validation_split)
        plan = self._plan(x, y)
        if not self.optimizer.built:
            self.optimizer.build(self.trainable_weights)
        batch_size = batch_size or DEFAULT_BATCH_SIZE
        train_loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle)
        val_loader = None
        if validation_data is not None:
            x_val, y_val = validation_data
            val_loader = DataLoader(
                TensorDataset(x_val, y_val), batch_size=validation_batch_size or batch_size
            )
        verbose = _verbosity(verbose)
        history = History()
        keras_callbacks = [*(callbacks or []), history, *([ProgbarLogger()] if verbose else [])]
        params = {"verbose": verbose, "epochs": epochs, "steps": len(train_loader)}
        loop_callbacks = LoopCallbacks(keras_callbacks, self, params, self._logs)
        try:
            train.fit(
                plan.network,
                train_loader,
                plan.loss_fn,
                self.optimizer,
                epochs,
                val_loader,
                metrics=plan.metric_fns,
                callbacks=[loop_callbacks],
                start_epoch=initial_epoch,
            )
        finally:
            self.eval()
        self.history = history
        return history

    # ------------------------------------------------------------------ evaluate
    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: int | str = "auto",
        return_dict: bool = False,
        **unsupported: Any,
    ) -> Any:
        """The mean loss and metrics on ``x``, ``y``: ``[loss, *metrics]`` in compile
        order (the loss alone, a float, without metrics), or a dict with ``return_dict``.
        Typed ``Any``, as Keras leaves it: which of the three comes back depends on
        compile, and ``loss, accuracy = model.evaluate(x, y)`` must type-check."""
        _reject_unsupported(unsupported, "evaluate")
        self._require_compiled("evaluate")
        x, y = self._as_arrays(x, y, "evaluate")
        plan = self._plan(x, y)
        loader = DataLoader(TensorDataset(x, y), batch_size=batch_size or DEFAULT_BATCH_SIZE)
        bar = ProgressBar(len(loader), _verbosity(verbose))
        logs = self._logs(train.evaluate(plan.network, loader, plan.loss_fn, plan.metric_fns))
        bar.finish(logs)
        if return_dict:
            return logs
        results = [logs["loss"], *(logs[metric.name] for metric in self.compiled_metrics)]
        return results if len(results) > 1 else results[0]

    # ------------------------------------------------------------------- predict
    def predict(
        self, x: Any, batch_size: int | None = None, verbose: int | str = "auto", **unsupported
    ) -> np.ndarray:
        """The model's outputs for ``x`` (probabilities after a softmax layer), as an array."""
        _reject_unsupported(unsupported, "predict")
        inputs = self.input_array(x, "predict")
        batch_size = batch_size or DEFAULT_BATCH_SIZE
        bar = ProgressBar(math.ceil(len(inputs) / batch_size), _verbosity(verbose))
        outputs = train.predict(self, inputs, batch_size)
        bar.finish()
        return outputs

    # ------------------------------------------------------------------- helpers
    def _plan(self, x: np.ndarray, y: np.ndarray) -> Plan:
        """Build the model for ``x``, then resolve what fit and evaluate need."""
        if not self.layers:
            raise ValueError(f'Model "{self.name}" has no layers: add some before fit')
        self.build_for((None, *x.shape[1:]))
        if not self.compiled_metrics:
            self.compiled_metrics = [
                metrics.get(m, (None, *y.shape[1:]), self.output_shape)
                for m in self.metric_identifiers
            ]
        return Plan(self, self.loss, self.compiled_metrics)

    def input_array(self, x: Any, op: str) -> np.ndarray:
        """The inputs ``x`` as one float32 array (a model of several inputs packs them)."""
        return _as_input_array(x, op)

    def _logs(self, record: Mapping[str, Any]) -> dict[str, float]:
        """Keras's logs from one of the loop's records: the loop's own keys dropped, each
        metric's mean turned into its reported value, the names sorted as Keras sorts
        them."""
        reported = {metric.name: metric for metric in self.compiled_metrics}
        logs = {}
        for key, value in record.items():
            if key in LOOP_ONLY_KEYS:
                continue
            metric = reported.get(key.removeprefix("val_"))
            logs[key] = float(metric.result_of(value) if metric else value)
        return dict(sorted(logs.items()))

    def _require_compiled(self, op: str) -> None:
        if self.optimizer is None or self.loss is None:
            raise RuntimeError(
                f"You must call `compile()` before using the model ({op}): "
                "model.compile(optimizer=..., loss=..., metrics=[...])"
            )

    def _as_arrays(self, x: Any, y: Any, op: str) -> tuple[np.ndarray, np.ndarray]:
        """Inputs as float32 and targets as float32 (or int64 class indices), checked to
        hold the same number of samples."""
        x = self.input_array(x, op)
        y = to_numpy(as_array(y))
        if y.ndim == 0 or len(x) != len(y):
            raise ValueError(
                f"{op}: x and y must hold the same number of samples, got x of shape "
                f"{x.shape} and y of shape {y.shape}"
            )
        y = y.astype(np.int64 if y.dtype.kind in "iub" else np.float32, copy=False)
        return x, y


def _as_input_array(x: Any, op: str) -> np.ndarray:
    """Inputs as a float32 NumPy array with a batch axis (a copy of device data: the loop
    moves each batch to the model's device)."""
    array = to_numpy(as_array(x))
    if array.ndim == 0 or len(array) == 0:
        raise ValueError(f"{op}: x must hold at least one sample, got shape {array.shape}")
    return array.astype(np.float32, copy=False)


def _split_off_validation(
    x: np.ndarray, y: np.ndarray, fraction: float
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """The first ⌊N·(1 − fraction)⌋ samples for training, the rest for validation (Keras's
    split, made before shuffling)."""
    split = math.floor(len(x) * (1.0 - fraction))
    if not 0 < fraction < 1 or not 0 < split < len(x):
        raise ValueError(
            f"fit: validation_split={fraction} of {len(x)} samples leaves {len(x) - split} for "
            "validation; expected a fraction in (0, 1) leaving samples on both sides"
        )
    return x[:split], y[:split], (x[split:], y[split:])


def _verbosity(verbose: int | str) -> int:
    """Keras's verbose: "auto" is 1."""
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f'verbose must be "auto", 0, 1 or 2, got {verbose!r}')
    return int(verbose)


def _reject_unsupported(options: Mapping[str, Any], op: str) -> None:
    """Keras arguments this front end does not implement: an error if any is set."""
    given = {name: value for name, value in options.items() if value is not None}
    if given:
        raise NotImplementedError(
            f"{op}: scratchdl.keras does not support {sorted(given)} (arrays in memory, "
            "one output, no sample weights)"
        )
