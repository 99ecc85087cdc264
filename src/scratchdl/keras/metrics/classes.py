"""Metric objects: the mean of a per-sample function, and Keras's named metrics."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from scratchdl.autograd import Tensor, no_grad, wrap
from scratchdl.backend import device_of, to_device
from scratchdl.keras import losses
from scratchdl.keras.layers.base import as_array
from scratchdl.keras.metrics.functions import (
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)


class MeanMetricWrapper:
    """The mean of ``fn(y_true, y_pred, **options)``'s per-sample values (Keras's class of
    the same name), with ``update_state`` / ``result`` / ``reset_state`` for use on its own.

    ``direction`` is "up" when larger is better (accuracies), else "down": callbacks in
    mode "auto" read it.
    """

    direction = "down"

    def __init__(self, fn: Callable[..., Any], name: str | None = None, **options: Any) -> None:
        self.fn, self.options = fn, options
        self.name = name or fn.__name__
        self.reset_state()

    def values(self, y_true: Any, y_pred: Any) -> Any:
        """The per-sample values for arrays of targets and predictions."""
        with no_grad():
            values = self.fn(y_true, y_pred, **self.options)
        return values.data if isinstance(values, Tensor) else values

    def batch_mean(self, y_pred: Any, y_true: Any) -> float:
        """The mean over one batch (fit calls it with the predictions first)."""
        return float(self.values(y_true, y_pred).mean())

    def result_of(self, mean: float) -> float:
        """The reported value for a mean of per-sample values (the mean itself)."""
        return mean

    def update_state(self, y_true: Any, y_pred: Any) -> None:
        """Add a batch's values (computed on the predictions' device; the targets are
        copied there)."""
        y_pred = as_array(y_pred).astype(np.float32, copy=False)
        values = self.values(to_device(as_array(y_true), device_of(y_pred)), y_pred)
        self.total += float(values.sum())
        self.count += values.size

    def result(self) -> float:
        return self.result_of(self.total / self.count) if self.count else 0.0

    def reset_state(self) -> None:
        self.total, self.count = 0.0, 0

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, **self.options}


def _as_metric(loss_fn: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """A per-sample loss of Tensors as a metric function of arrays."""
    class_indices = loss_fn is losses.sparse_categorical_crossentropy

    def values(y_true: Any, y_pred: Any, **options: Any) -> Tensor:
        y_pred = wrap(y_pred)
        targets = losses.as_target(y_true, y_pred, class_indices)
        return loss_fn(*losses.same_rank(targets, y_pred), **options)

    values.__name__ = loss_fn.__name__
    return values


class Accuracy(MeanMetricWrapper):
    """How often the prediction equals the target exactly (not what "accuracy" names)."""

    direction = "up"

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name)


class BinaryAccuracy(MeanMetricWrapper):
    """How often (y_pred > threshold) equals the 0/1 target."""

    direction = "up"

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the largest score is the one-hot target's class."""

    direction = "up"

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the largest score is the target class index."""

    direction = "up"

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target's class is among the k largest scores."""

    direction = "up"

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the target class index is among the k largest scores."""

    direction = "up"

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_accuracy, name, k=k)


class MeanSquaredError(MeanMetricWrapper):
    """mean((y_true − y_pred)²)."""

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(_as_metric(losses.mean_squared_error), name)


class RootMeanSquaredError(MeanSquaredError):
    """√(mean((y_true − y_pred)²)) over all samples seen (the root of the mean, not a mean
    of batch roots)."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name)

    def result_of(self, mean: float) -> float:
        return math.sqrt(mean)


class MeanAbsoluteError(MeanMetricWrapper):
    """mean(|y_true − y_pred|)."""

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(_as_metric(losses.mean_absolute_error), name)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """100 · mean(|y_true − y_pred| / |y_true|)."""

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(_as_metric(losses.mean_absolute_percentage_error), name)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """mean((log(1 + y_pred) − log(1 + y_true))²)."""

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(_as_metric(losses.mean_squared_logarithmic_error), name)


class BinaryCrossentropy(MeanMetricWrapper):
    """The binary crossentropy of the outputs (probabilities unless ``from_logits``)."""

    def __init__(
        self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0.0
    ):
        super().__init__(
            _as_metric(losses.binary_crossentropy),
            name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


class CategoricalCrossentropy(MeanMetricWrapper):
    """The categorical crossentropy of the outputs against one-hot targets."""

    def __init__(
        self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0.0
    ):
        super().__init__(
            _as_metric(losses.categorical_crossentropy),
            name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The categorical crossentropy of the outputs against class indices."""

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False):
        super().__init__(
            _as_metric(losses.sparse_categorical_crossentropy), name, from_logits=from_logits
        )


class KLDivergence(MeanMetricWrapper):
    """Σ y_true · log(y_true / y_pred)."""

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(_as_metric(losses.kl_divergence), name)


class Poisson(MeanMetricWrapper):
    """mean(y_pred − y_true · log y_pred)."""

    def __init__(self, name="poisson", dtype=None):
        super().__init__(_as_metric(losses.poisson), name)


class Hinge(MeanMetricWrapper):
    """mean(max(1 − y_true·y_pred, 0))."""

    def __init__(self, name="hinge", dtype=None):
        super().__init__(_as_metric(losses.hinge), name)


class SquaredHinge(MeanMetricWrapper):
    """mean(max(1 − y_true·y_pred, 0)²)."""

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(_as_metric(losses.squared_hinge), name)
