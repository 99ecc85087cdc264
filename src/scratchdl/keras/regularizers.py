"""Weight penalties added to the training loss (``kernel_regularizer=regularizers.l2(1e-4)``).

A regulariser maps a weight W to a scalar Tensor; fit adds the penalties of every layer to
the loss of each batch, as Keras does:
    l1(λ): λ·Σ|W|      l2(λ): λ·Σ W²      l1_l2(λ₁, λ₂): λ₁·Σ|W| + λ₂·Σ W²
(Keras's l2 has no ½: l2(λ) adds λ·ΣW², so its gradient is 2λW.)
"""

from __future__ import annotations

from typing import Any

from scratchdl import functional as F
from scratchdl.autograd import Tensor, wrap
from scratchdl.backend import get_array_module


class Regularizer:
    """λ₁·Σ|W| + λ₂·Σ W² for ``l1`` = λ₁ and ``l2`` = λ₂."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        for name, value in (("l1", l1), ("l2", l2)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValueError(
                    f"{type(self).__name__}: {name} must be a number >= 0, got {value!r}"
                )
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, weight: Tensor) -> Tensor:
        penalty = wrap(get_array_module(weight.data).zeros((), weight.data.dtype))
        if self.l1:
            penalty = penalty + self.l1 * F.abs(weight).sum()
        if self.l2:
            penalty = penalty + self.l2 * (weight * weight).sum()
        return penalty

    def get_config(self) -> dict[str, float]:
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """λ·Σ|W| (default λ = 0.01)."""

    def __init__(self, l1: float = 0.01) -> None:
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """λ·Σ W² (default λ = 0.01)."""

    def __init__(self, l2: float = 0.01) -> None:
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """λ₁·Σ|W| + λ₂·Σ W² (both 0 by default)."""


l1, l2, l1_l2 = L1, L2, L1L2
REGULARIZERS: dict[str, type[Regularizer]] = {"L1": L1, "L2": L2, "L1L2": L1L2}
_NAMES = {"l1": L1, "l2": L2, "l1_l2": L1L2}


def get(identifier: str | Regularizer | dict | None) -> Regularizer | None:
    """A regulariser from a name ("l2"), an instance, a saved config, or None."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, dict):
        cls = REGULARIZERS.get(identifier.get("class_name"))
        if cls is not None:
            return cls(**identifier.get("config", {}))
    elif identifier in _NAMES:
        return _NAMES[identifier]()
    raise ValueError(
        f"regularizers.get: unknown regularizer {identifier!r}; expected 'l1', 'l2', "
        "'l1_l2', a Regularizer or None"
    )


def serialize(regularizer: Regularizer | None) -> dict[str, Any] | None:
    """``{"class_name": ..., "config": ...}`` (None stays None)."""
    if regularizer is None:
        return None
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}
