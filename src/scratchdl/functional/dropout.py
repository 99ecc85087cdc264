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
    With ``feature_dims`` (channel dropout, ``dropout1d``/``dropout2d``) one mask value is
    drawn per channel, for the leading dimensions up to the channel axis, and broadcast
    over the last ``feature_dims`` axes: a whole feature map is kept or dropped.
    """

    def __init__(self, p: float, feature_dims: int = 0) -> None:
        self.p, self.feature_dims = p, feature_dims

    def forward(self, x):
        xp = get_array_module(x)
        kept_axes = x.ndim - self.feature_dims
        shape = x.shape[:kept_axes] + (1,) * self.feature_dims
        keep = get_rng().random(shape, dtype="float32") >= self.p
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


def dropout1d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of ``x`` (N, C, L) or (C, L) with probability ``p``, scaling the
    rest by 1 / (1 − p), as ``torch.nn.functional.dropout1d``."""
    return _channel_dropout(input, p, training, 1, "dropout1d")


def dropout2d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole feature maps of ``x`` (N, C, H, W) or (C, H, W) with probability ``p``,
    scaling the rest by 1 / (1 − p), as ``torch.nn.functional.dropout2d``."""
    return _channel_dropout(input, p, training, 2, "dropout2d")


def _channel_dropout(input: Any, p: float, training: bool, spatial: int, op: str) -> Tensor:
    """Channel dropout over inputs with ``spatial`` axes after (N, C) or (C,); ValueError
    for another number of dimensions. The identity when not ``training`` or p == 0."""
    check_drop_probability(p, op)
    x = as_tensor(input)
    if x.ndim not in (spatial + 1, spatial + 2):
        raise ValueError(
            f"{op}: expected an input of {spatial + 1} or {spatial + 2} dimensions (channels "
            f"then {spatial} spatial, with or without a batch axis), got shape {tuple(x.shape)}"
        )
    if not training or p == 0:
        return x
    return Dropout(p, feature_dims=spatial)(x)


def check_drop_probability(p: float, op: str) -> None:
    """Raise ValueError naming ``op`` unless 0 <= p < 1."""
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p < 1:
        raise ValueError(f"{op}: p must be a probability in [0, 1), got {p!r}")
