"""Keras's losses, by name or as objects, built on scratchdl.functional (differentiable).

    model.compile(loss="sparse_categorical_crossentropy")
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

Every loss is ``loss(y_true, y_pred)``: a per-sample value (the mean over the last axis for
the regression losses, the sum over classes for the crossentropies), then the mean over the
batch ("sum_over_batch_size"). As in Keras, targets one axis short of the predictions are
given that axis (y of shape (N,) against a Dense(1) output (N, 1)).

The three crossentropies take probabilities by default (``from_logits=False``): they clip
them to [ε, 1 − ε] (ε = 1e-7) before the log, as Keras does. Given logits, they compute
stably from them (log-softmax, softplus). A model whose output layer applies the matching
activation (softmax for the categorical ones, sigmoid for the binary one) is trained on that
layer's logits by ``fit``: see ``Loss.logits_activation``.
"""

from __future__ import annotations

from typing import Any

from scratchdl.keras.losses.classes import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    Loss,
    LossFunctionWrapper,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    as_target,
)
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

mse, mae, mape, msle = (
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
)

LOSSES: dict[str, type[Loss]] = {
    cls.__name__: cls
    for cls in (
        MeanSquaredError,
        MeanAbsoluteError,
        MeanAbsolutePercentageError,
        MeanSquaredLogarithmicError,
        Huber,
        LogCosh,
        Hinge,
        SquaredHinge,
        KLDivergence,
        Poisson,
        BinaryCrossentropy,
        CategoricalCrossentropy,
        SparseCategoricalCrossentropy,
    )
}
"""Every loss class by name (what a saved model may name)."""

FUNCTIONS = {
    function.__name__: function
    for function in (
        mean_squared_error,
        mean_absolute_error,
        mean_absolute_percentage_error,
        mean_squared_logarithmic_error,
        huber,
        log_cosh,
        hinge,
        squared_hinge,
        kl_divergence,
        poisson,
        binary_crossentropy,
        categorical_crossentropy,
        sparse_categorical_crossentropy,
    )
}
ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "bce": "binary_crossentropy",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "kld": "kl_divergence",
    "logcosh": "log_cosh",
}
_CLASS_OF = {
    mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
    huber: Huber,
    log_cosh: LogCosh,
    hinge: Hinge,
    squared_hinge: SquaredHinge,
    kl_divergence: KLDivergence,
    poisson: Poisson,
    binary_crossentropy: BinaryCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
}


def get(identifier: Any) -> Loss:
    """A Loss from a name ("categorical_crossentropy", "mse", "CategoricalCrossentropy"), a
    Loss, one of the functions above, a function ``fn(y_true, y_pred)`` of your own, or a
    saved config. The object is named by the identifier, as Keras reports it."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, dict):
        return LOSSES[_known(identifier.get("class_name"))](**identifier.get("config", {}))
    if isinstance(identifier, str):
        name = ALIASES.get(identifier.lower(), identifier)
        if name in FUNCTIONS:
            loss = _CLASS_OF[FUNCTIONS[name]]()
            loss.name = identifier
            return loss
        return LOSSES[_known(name)]()
    if identifier in _CLASS_OF:
        return _CLASS_OF[identifier]()
    if callable(identifier):
        return LossFunctionWrapper(identifier)
    raise ValueError(f"losses.get: cannot interpret {identifier!r} as a loss")


def serialize(loss: Loss) -> dict[str, Any]:
    """``{"class_name": ..., "config": ...}`` for a Keras loss (not for your own function)."""
    if type(loss).__name__ not in LOSSES:
        raise ValueError(f"losses.serialize: {loss.name!r} is not one of Keras's losses")
    return {"class_name": type(loss).__name__, "config": loss.get_config()}


def _known(name: Any) -> str:
    if name not in LOSSES:
        raise ValueError(
            f"losses.get: unknown loss {name!r}; expected one of "
            f"{sorted([*FUNCTIONS, *ALIASES])}, a Loss, or a function loss(y_true, y_pred)"
        )
    return name


__all__ = [
    "LOSSES",
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "Hinge",
    "Huber",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "as_target",
    "binary_crossentropy",
    "categorical_crossentropy",
    "get",
    "hinge",
    "huber",
    "kl_divergence",
    "log_cosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "same_rank",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
]
