"""Loss objects: a per-sample loss with its options, reduced over the batch."""

from __future__ import annotations

import copy
from typing import Any

from scratchdl.autograd import Tensor, wrap
from scratchdl.backend import to_device
from scratchdl.keras.layers.base import as_array, as_float_tensor
from scratchdl.keras.losses.functions import (
    binary_crossentropy,
    categorical_crossentropy,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    same_rank,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from scratchdl.keras.naming import snake_case

REDUCTIONS = ("sum_over_batch_size", "sum", "none", None)


class Loss:
    """A loss: ``loss(y_true, y_pred)`` -> a scalar Tensor, the batch's mean loss.

    ``reduction``: "sum_over_batch_size" (the mean of the per-sample values, Keras's
    default), "sum", or "none" (the per-sample values). ``logits_activation`` names the
    output activation whose logits the loss can take instead of its outputs ("softmax",
    "sigmoid"; None for the losses that cannot).
    """

    logits_activation: str | None = None
    from_logits = False
    takes_class_indices = False

    def __init__(self, name: str | None = None, reduction: str | None = "sum_over_batch_size"):
        if reduction not in REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: unknown reduction {reduction!r}; expected one of "
                f"{[r for r in REDUCTIONS if r]}"
            )
        self.name = name or snake_case(type(self).__name__)
        self.reduction = reduction

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        y_pred = as_float_tensor(y_pred)
        values = self.call(as_target(y_true, y_pred, self.takes_class_indices), y_pred)
        if sample_weight is not None:
            weights = as_array(sample_weight).astype(values.dtype).reshape(values.shape)
            values = values * weights  # an array operand: a constant on values' device
        if self.reduction in ("none", None):
            return values
        total = values.sum()
        return total if self.reduction == "sum" else total / max(values.data.size, 1)

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        """The per-sample losses."""
        raise NotImplementedError

    def with_logits(self) -> Loss:
        """A copy of this loss that takes logits (``from_logits=True``)."""
        twin = copy.copy(self)
        twin.from_logits = True
        twin.options = {**twin.options, "from_logits": True}
        return twin

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "reduction": self.reduction}


class LossFunctionWrapper(Loss):
    """A Loss from a per-sample function ``fn(y_true, y_pred, **options)``."""

    def __init__(
        self,
        fn: Any,
        name: str | None = None,
        reduction: str | None = "sum_over_batch_size",
        **options: Any,
    ) -> None:
        super().__init__(name or getattr(fn, "__name__", None), reduction)
        self.fn, self.options = fn, options
        self.from_logits = bool(options.get("from_logits", False))

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return self.fn(*same_rank(y_true, y_pred), **self.options)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), **self.options}


def _check_axis(axis: int, loss: str) -> None:
    if axis != -1:
        raise NotImplementedError(f"{loss}: axis={axis!r}; only the last axis (-1) is supported")


class MeanSquaredError(LossFunctionWrapper):
    """mean((y_true − y_pred)²): the regression loss (after a linear output layer)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name, reduction)


class MeanAbsoluteError(LossFunctionWrapper):
    """mean(|y_true − y_pred|)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name, reduction)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """100 · mean(|y_true − y_pred| / |y_true|)."""

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None
    ):
        super().__init__(mean_absolute_percentage_error, name, reduction)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """mean((log(1 + y_pred) − log(1 + y_true))²)."""

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None
    ):
        super().__init__(mean_squared_logarithmic_error, name, reduction)


class Huber(LossFunctionWrapper):
    """Quadratic for errors up to ``delta``, linear beyond."""

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name, reduction, delta=delta)


class LogCosh(LossFunctionWrapper):
    """mean(log cosh(y_pred − y_true))."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name, reduction)


class Hinge(LossFunctionWrapper):
    """mean(max(1 − y_true·y_pred, 0)), labels ±1 (or 0/1)."""

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name, reduction)


class SquaredHinge(LossFunctionWrapper):
    """mean(max(1 − y_true·y_pred, 0)²), labels ±1 (or 0/1)."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name, reduction)


class KLDivergence(LossFunctionWrapper):
    """Σ y_true · log(y_true / y_pred)."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name, reduction)


class Poisson(LossFunctionWrapper):
    """mean(y_pred − y_true · log y_pred)."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name, reduction)


class BinaryCrossentropy(LossFunctionWrapper):
    """The binary classifier's loss, after a sigmoid output layer (one unit per label)."""

    logits_activation = "sigmoid"

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        _check_axis(axis, "BinaryCrossentropy")
        super().__init__(
            binary_crossentropy,
            name,
            reduction,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


class CategoricalCrossentropy(LossFunctionWrapper):
    """The multi-class classifier's loss, after a softmax output layer, for one-hot targets."""

    logits_activation = "softmax"

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        _check_axis(axis, "CategoricalCrossentropy")
        super().__init__(
            categorical_crossentropy,
            name,
            reduction,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """The multi-class classifier's loss, after a softmax output layer, for class indices."""

    logits_activation = "softmax"
    takes_class_indices = True

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        if ignore_class is not None:
            raise NotImplementedError("SparseCategoricalCrossentropy: ignore_class")
        super().__init__(sparse_categorical_crossentropy, name, reduction, from_logits=from_logits)


def as_target(y_true: Any, y_pred: Tensor, class_indices: bool = False) -> Tensor:
    """Targets as a Tensor on the predictions' device, of their float dtype, or as given
    when they are ``class_indices``."""
    data = to_device(as_array(y_true), y_pred.device)
    return wrap(data if class_indices else data.astype(y_pred.dtype, copy=False))
