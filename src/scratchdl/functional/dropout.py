"""Dropout: randomly zero units during training so the network cannot rely on any one of them."""

from __future__ import annotations

import numbers
from typing import Any

from scratchdl.autograd import Function, Tensor, as_tensor, wrap
from scratchdl.backend import get_array_module
from scratchdl.random import get_rng


class Dropout(Function):
    """Inverted dropout: y = x ⊙ m / (1 − p) with mᵢ ~ Bernoulli(1 − p) drawn once per call;
    ∂L/∂x = g ⊙ m / (1 − p) (the same mask).

    Scaling the kept units by 1 / (1 − p) keeps E[y] = x, so evaluation needs no rescaling.
    """

    def __init__(self, p: float) -> None:
        self.p = p

    def forward(self, x):
        xp = get_array_module(x)
        keep = get_rng().random(x.shape, dtype="float32") >= self.p
        self.scaled_mask = xp.asarray(keep, dtype=x.dtype) / (1 - self.p)
        return x * self.scaled_mask

    def backward(self, gy):
        return gy * wrap(self.scaled_mask)


def dropout(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element of ``x`` with probability ``p`` and scale the rest by 1 / (1 − p).

    The identity (``x`` itself) when ``training`` is False or p == 0. The mask is drawn from
    ``sd.get_rng()``, so ``sd.manual_seed`` makes it reproducible. Raises ValueError unless
    0 <= p < 1. ``inplace`` is accepted and computes out of place.
    """
    check_drop_probability(p, "dropout")
    x = as_tensor(input)
    if not training or p == 0:
        return x
    return Dropout(p)(x)


def check_drop_probability(p: float, op: str) -> None:
    """Raise ValueError naming ``op`` unless 0 <= p < 1."""
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p < 1:
        raise ValueError(f"{op}: p must be a probability in [0, 1), got {p!r}")
