"""Keras's optimizers, with Keras's defaults and update rules.

    model.compile(optimizer="rmsprop")                                # Keras's defaults
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3))

A Keras optimizer is made without the weights it will update; ``fit`` builds it on the
model's trainable weights. It then works as ``train_step`` expects (``zero_grad``,
``step``). Each step clips the gradients (``clipnorm``, ``global_clipnorm``,
``clipvalue``), applies decoupled weight decay (θ ← θ − lr·λ·θ, when ``weight_decay``),
then the rule of the class. Where Keras's rules differ from PyTorch's (scratchdl.optim):
ε sits inside the square root in RMSprop and Adagrad, Adam adds ε to √v before the bias
correction, ε = 1e-7, RMSprop's ρ = 0.9, Adagrad's accumulators start at 0.1, and SGD's
momentum buffer holds the step (−lr·g) rather than the gradient.
"""

from __future__ import annotations

from typing import Any

from scratchdl.keras.optimizers import schedules
from scratchdl.keras.optimizers.adam import Adam, Adamax, AdamW, Nadam
from scratchdl.keras.optimizers.base import Optimizer
from scratchdl.keras.optimizers.gradient import SGD, Adadelta, Adagrad, RMSprop

OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.__name__: cls for cls in (SGD, RMSprop, Adagrad, Adadelta, Adam, AdamW, Adamax, Nadam)
}
"""Every optimizer class by name (what a saved model may name)."""


def get(identifier: str | Optimizer | dict) -> Optimizer:
    """An optimizer from a name ("adam", "rmsprop", "SGD", ...: Keras's defaults), an
    instance, or a saved config ``{"class_name": ..., "config": {...}}``."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return OPTIMIZERS[_known(identifier.get("class_name"))](**identifier.get("config", {}))
    by_lower_name = {name.lower(): cls for name, cls in OPTIMIZERS.items()}
    if isinstance(identifier, str) and identifier.lower() in by_lower_name:
        return by_lower_name[identifier.lower()]()
    raise ValueError(
        f"optimizers.get: unknown optimizer {identifier!r}; expected one of "
        f"{sorted(by_lower_name)} or a keras.optimizers instance"
    )


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """``{"class_name": ..., "config": ...}``, which ``get`` turns back into an optimizer."""
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def _known(name: Any) -> str:
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizers.get: unknown optimizer class {name!r}")
    return name


__all__ = [
    "OPTIMIZERS",
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "get",
    "schedules",
    "serialize",
]
