"""Information theory: self-information, entropy, cross-entropy and KL divergence.

A distribution is a probability vector along the last axis (a leading batch axis gives one
result per row). Inputs may be lists, NumPy arrays or Tensors: with a Tensor the result is a
differentiable Tensor; otherwise it is a Python float (an ndarray for a batch, or for the
self-information of several probabilities).

``base`` picks the unit: 2 for bits (the default), ``math.e`` or ``'e'`` for nats, or any
positive number other than 1. Every quantity is computed in nats and divided by ln(base),
since log_b x = ln x / ln b.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import numpy as np

from scratchdl import functional as F
from scratchdl.autograd import Tensor, wrap
from scratchdl.backend import get_array_module

SUM_TOLERANCE = 1e-6
"""How far from 1 a distribution's total may be."""

Base = float | str


def self_information(p: Any, base: Base = 2) -> Any:
    """I(p) = −log_b p elementwise, the surprise of an event of probability 0 < p ≤ 1.

    Raises ValueError for p outside (0, 1] or an invalid base.
    """
    log_base = _log_of_base(base, "self_information")
    probability = _as_float_tensor(p)
    _check_entries(probability, "p", "self_information", zero_allowed=False)
    return _result(-F.log(probability) / log_base, p)


def entropy(p: Any, base: Base = 2) -> Any:
    """H(p) = −Σᵢ pᵢ log_b pᵢ, with 0 · log 0 = 0 (the limit as p → 0).

    With a Tensor, the gradient of a term with pᵢ = 0 is taken as 0 (its one-sided limit
    is infinite). Raises ValueError when p is not a distribution or the base is invalid.
    """
    log_base = _log_of_base(base, "entropy")
    p_tensor = _distribution(p, "p", "entropy")
    return _result(-F.sum(_x_log_y(p_tensor, p_tensor), axis=-1) / log_base, p)


def cross_entropy(p: Any, q: Any, base: Base = 2) -> Any:
    """H(p, q) = −Σᵢ pᵢ log_b qᵢ: the mean code length for data from p with a code built
    for q. Terms with pᵢ = 0 contribute 0; the result is infinite where qᵢ = 0 < pᵢ.

    Raises ValueError when p or q is not a distribution, their shapes differ, or the base
    is invalid.
    """
    log_base = _log_of_base(base, "cross_entropy")
    p_tensor, q_tensor = _distribution_pair(p, q, "cross_entropy")
    return _result(-F.sum(_x_log_y(p_tensor, q_tensor), axis=-1) / log_base, p, q)


def kl_divergence(p: Any, q: Any, base: Base = 2) -> Any:
    """KL(p ‖ q) = Σᵢ pᵢ log_b(pᵢ / qᵢ) = H(p, q) − H(p) ≥ 0, and 0 only when p = q.

    Terms with pᵢ = 0 contribute 0; the result is infinite where qᵢ = 0 < pᵢ. Raises
    ValueError when p or q is not a distribution, their shapes differ, or the base is
    invalid.
    """
    log_base = _log_of_base(base, "kl_divergence")
    p_tensor, q_tensor = _distribution_pair(p, q, "kl_divergence")
    terms = _x_log_y(p_tensor, p_tensor) - _x_log_y(p_tensor, q_tensor)
    return _result(F.sum(terms, axis=-1) / log_base, p, q)


def _x_log_y(x: Tensor, y: Tensor) -> Tensor:
    """x · ln y elementwise, with the limits 0 · ln 0 = 0 and x · ln 0 = −∞ for x > 0.

    The log is taken only where y > 0 (elsewhere it is the constant limit), so neither the
    value nor the gradient holds a NaN, and no gradient flows into y where y = 0.
    """
    xp = get_array_module(y.data)
    y_positive = y.data > 0
    log_of_zero = wrap(xp.where(x.data > 0, -xp.inf, 0.0).astype(y.dtype))
    return x * F.where(y_positive, F.log(F.where(y_positive, y, 1.0)), log_of_zero)


def _log_of_base(base: Base, op: str) -> float:
    """ln(base), the divisor that turns nats into units of ``base``."""
    if base == "e":
        return 1.0
    is_number = isinstance(base, Real) and not isinstance(base, bool)
    if not is_number or not (0 < base < math.inf) or base == 1:
        raise ValueError(
            f"{op}: base must be a positive number other than 1 (2 for bits, 'e' for nats), "
            f"got {base!r}"
        )
    return math.log(base)


def _as_float_tensor(p: Any) -> Tensor:
    """A float Tensor as it is (so gradients reach it); anything else as a float64 Tensor."""
    if isinstance(p, Tensor) and p.dtype.kind == "f":
        return p
    return wrap(np.asarray(p.data if isinstance(p, Tensor) else p, dtype=np.float64))


def _distribution_pair(p: Any, q: Any, op: str) -> tuple[Tensor, Tensor]:
    """p and q as checked distributions of the same shape."""
    p_tensor, q_tensor = _distribution(p, "p", op), _distribution(q, "q", op)
    if p_tensor.shape != q_tensor.shape:
        raise ValueError(
            f"{op}: p has shape {tuple(p_tensor.shape)} but q has shape {tuple(q_tensor.shape)}; "
            f"expected the same shape"
        )
    return p_tensor, q_tensor


def _distribution(p: Any, name: str, op: str) -> Tensor:
    """``p`` as a float Tensor whose last axis holds entries in [0, 1] summing to 1."""
    p = _as_float_tensor(p)
    if p.ndim == 0:
        raise ValueError(f"{op}: {name} must be a probability vector, got the scalar {p.item()}")
    _check_entries(p, name, op, zero_allowed=True)
    totals = np.atleast_1d(p.numpy().sum(axis=-1, dtype=np.float64))
    off = np.abs(totals - 1) > SUM_TOLERANCE
    if off.any():
        row = np.argwhere(off)[0]
        where_text = f" (row {_index_text(row)})" if p.ndim > 1 else ""
        raise ValueError(
            f"{op}: {name} sums to {float(totals[tuple(row)])}{where_text}; expected 1 "
            f"(within {SUM_TOLERANCE})"
        )
    return p


def _check_entries(p: Tensor, name: str, op: str, zero_allowed: bool) -> None:
    """Raise ValueError naming the first entry outside [0, 1] (or (0, 1] without zeros)."""
    values = p.numpy()
    above_low = values >= 0 if zero_allowed else values > 0
    bad = ~(above_low & (values <= 1))  # also catches NaN
    if bad.any():
        index = np.argwhere(bad)[0]
        entry = f"{name}[{_index_text(index)}]" if p.ndim else name
        interval = f"0 <= {name} <= 1" if zero_allowed else f"0 < {name} <= 1"
        value = float(values[tuple(index)])
        raise ValueError(f"{op}: {entry} = {value} is not a probability; expected {interval}")


def _index_text(index: np.ndarray) -> str:
    return ", ".join(str(int(i)) for i in index)


def _result(value: Tensor, *inputs: Any) -> Any:
    """The Tensor itself if any input was a Tensor; else a float, or an ndarray if not 0-d."""
    if any(isinstance(x, Tensor) for x in inputs):
        return value
    return float(value.data) if value.ndim == 0 else value.numpy()
