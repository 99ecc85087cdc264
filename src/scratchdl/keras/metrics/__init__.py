"""Keras's metrics, by name or as objects: what fit reports beside the loss.

    model.compile(..., metrics=["accuracy"])          # resolved from the loss's targets
    model.compile(..., metrics=["mae", keras.metrics.RootMeanSquaredError()])

A metric computes one value per sample from targets and predictions; fit, evaluate and
the progress bar report its mean over the samples seen (``result`` then maps that mean to
the reported value: the square root for RootMeanSquaredError). "accuracy" (or "acc")
becomes the accuracy that fits the data, as in Keras: binary for one output unit, sparse
categorical for class-index targets, categorical for one-hot targets.
"""

from __future__ import annotations

from typing import Any

from scratchdl.keras.metrics.classes import (
    Accuracy,
    BinaryAccuracy,
    BinaryCrossentropy,
    CategoricalAccuracy,
    CategoricalCrossentropy,
    Hinge,
    KLDivergence,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanMetricWrapper,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    RootMeanSquaredError,
    SparseCategoricalAccuracy,
    SparseCategoricalCrossentropy,
    SparseTopKCategoricalAccuracy,
    SquaredHinge,
    TopKCategoricalAccuracy,
)
from scratchdl.keras.metrics.functions import (
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from scratchdl.keras.naming import snake_case

METRICS: dict[str, type[MeanMetricWrapper]] = {
    cls.__name__: cls
    for cls in (
        Accuracy,
        BinaryAccuracy,
        CategoricalAccuracy,
        SparseCategoricalAccuracy,
        TopKCategoricalAccuracy,
        SparseTopKCategoricalAccuracy,
        MeanSquaredError,
        RootMeanSquaredError,
        MeanAbsoluteError,
        MeanAbsolutePercentageError,
        MeanSquaredLogarithmicError,
        BinaryCrossentropy,
        CategoricalCrossentropy,
        SparseCategoricalCrossentropy,
        KLDivergence,
        Poisson,
        Hinge,
        SquaredHinge,
    )
}
"""Every metric class by name (what a saved model may name)."""

_BY_NAME = {snake_case(name): cls for name, cls in METRICS.items()}
_BY_NAME.update(
    {
        "mse": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
    }
)


def get(identifier: Any, y_true_shape: tuple = (), y_pred_shape: tuple = ()) -> MeanMetricWrapper:
    """A metric from a name (reported under that name), a metric object, a per-sample
    function ``fn(y_true, y_pred)`` of arrays, or a saved config.

    "accuracy" and "acc" choose binary, sparse categorical or categorical accuracy from the
    shapes of the targets and predictions, as Keras does.
    """
    if isinstance(identifier, MeanMetricWrapper):
        return identifier
    if isinstance(identifier, dict):
        return METRICS[_known(identifier.get("class_name"))](**identifier.get("config", {}))
    if isinstance(identifier, str):
        if identifier.lower() in ("accuracy", "acc"):
            return _accuracy_for(y_true_shape, y_pred_shape)(name=identifier)
        cls = METRICS.get(identifier) or _BY_NAME.get(_known_name(identifier))
        metric = cls()
        metric.name = identifier
        return metric
    if callable(identifier):
        return MeanMetricWrapper(identifier)
    raise ValueError(f"metrics.get: cannot interpret {identifier!r} as a metric")


def _accuracy_for(y_true_shape: tuple, y_pred_shape: tuple) -> type[MeanMetricWrapper]:
    """Keras's choice for "accuracy": binary for one output unit, sparse categorical when
    the targets are class indices (one axis fewer, or a last axis of 1), else categorical."""
    if y_pred_shape and y_pred_shape[-1] == 1:
        return BinaryAccuracy
    if len(y_true_shape) < len(y_pred_shape) or (y_true_shape and y_true_shape[-1] == 1):
        return SparseCategoricalAccuracy
    return CategoricalAccuracy


def serialize(metric: MeanMetricWrapper) -> dict[str, Any]:
    """``{"class_name": ..., "config": ...}`` for a Keras metric object."""
    if type(metric).__name__ not in METRICS:
        raise ValueError(f"metrics.serialize: {metric.name!r} is not one of Keras's metrics")
    return {"class_name": type(metric).__name__, "config": metric.get_config()}


def _known_name(name: str) -> str:
    if name not in _BY_NAME:
        raise ValueError(
            f"metrics.get: unknown metric {name!r}; expected 'accuracy' or one of "
            f"{sorted(_BY_NAME)}, a metric object, or a function fn(y_true, y_pred)"
        )
    return name


def _known(class_name: Any) -> str:
    if class_name not in METRICS:
        raise ValueError(f"metrics.get: unknown metric class {class_name!r}")
    return class_name


__all__ = [
    "METRICS",
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "Hinge",
    "KLDivergence",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "RootMeanSquaredError",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "SquaredHinge",
    "TopKCategoricalAccuracy",
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "get",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
]
