"""Loss functions. Each takes ``reduction``: 'mean' (the default), 'sum' or 'none'.

Targets (and other operands that are not learned) may be Tensors, NumPy arrays or Python
numbers; they are converted to the prediction's dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scratchdl.autograd import Function, Tensor, as_tensor
from scratchdl.backend import get_array_module
from scratchdl.functional.activation import log_softmax, softmax, softplus
from scratchdl.functional.math import cast, clip, log, maximum

REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction: str, op: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{op}: unknown reduction {reduction!r}; expected 'mean', 'sum' or 'none'")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _target_like(target: Any, prediction: Tensor, op: str) -> Tensor:
    """The target as a Tensor of the prediction's dtype, checked to have its shape.

    A Tensor target keeps its graph (a target that requires grad gets a gradient, as in
    PyTorch); arrays and numbers become constants.
    """
    if isinstance(target, Tensor):
        target = cast(target, prediction.dtype)
    else:
        xp = get_array_module(prediction.data)
        target = Tensor(xp.asarray(target, dtype=prediction.dtype))
    if target.shape != prediction.shape:
        raise ValueError(
            f"{op}: target shape {target.shape} does not match prediction shape {prediction.shape}"
        )
    return target


def sum_squared_error(y: Any, t: Any, reduction: str = "mean") -> Tensor:
    """The book's sum of squares error E = ½ Σₖ (yₖ − tₖ)² per sample.

    A 1-d y is one sample; for (N, ...) the sum runs over all axes but the first and
    ``reduction`` combines the N per-sample errors.
    """
    _check_reduction(reduction, "sum_squared_error")
    y = as_tensor(y)
    diff = y - _target_like(t, y, "sum_squared_error")
    if y.ndim <= 1:
        return 0.5 * (diff * diff).sum()
    per_sample = 0.5 * (diff * diff).sum(axis=tuple(range(1, y.ndim)))
    return _reduce(per_sample, reduction)


def mse_loss(y: Any, t: Any, reduction: str = "mean") -> Tensor:
    """Mean squared error (y − t)², averaged over every element (PyTorch's MSELoss)."""
    _check_reduction(reduction, "mse_loss")
    y = as_tensor(y)
    diff = y - _target_like(t, y, "mse_loss")
    return _reduce(diff * diff, reduction)


class CrossEntropyWithIndices(Function):
    """Loss −log softmax(x)[t] for logits x (N, C) and class indices t (N,), per sample or
    reduced (``reduction``).

    The fusion of ``-log_softmax(x)[arange(N), t]`` and the reduction: one pass forward,
    and backward ∂Lₙ/∂xₙ = softmax(xₙ) − onehot(tₙ), scaled by each sample's incoming
    gradient (gy/N for the mean, gy for the sum).
    """

    def __init__(self, target: Any, reduction: str) -> None:
        self.target, self.reduction = target, reduction

    def forward(self, x):
        xp = get_array_module(x)
        shifted = x - x.max(axis=1, keepdims=True)
        exp = xp.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        exp /= total
        self.probabilities = exp  # softmax(x), kept for backward
        per_sample = xp.log(total[:, 0]) - shifted[xp.arange(len(x)), self.target]
        if self.reduction == "none":
            return per_sample
        total_loss = per_sample.sum()  # the mean as sum / N: ndarray.mean costs 3x more here
        return total_loss / len(x) if self.reduction == "mean" else total_loss

    def backward(self, gy):
        x = self.inputs[0]
        onehot = _onehot_rows(self.probabilities, self.target)
        return (softmax(x, axis=1) - Tensor(onehot)) * self._sample_weights(gy)

    def backward_arrays(self, gy):
        g = self.probabilities.copy()
        g[get_array_module(g).arange(len(g)), self.target] -= 1
        g *= self._sample_weights(gy)
        return g

    def _sample_weights(self, gy: Any) -> Any:
        """The incoming gradient of each sample's loss, shaped (N, 1) or a scalar."""
        if self.reduction == "none":
            return gy.reshape(-1, 1)
        return gy / len(self.target) if self.reduction == "mean" else gy


def _onehot_rows(like: Any, target: Any) -> Any:
    """One-hot rows (N, C) shaped and typed like ``like``, with a 1 at each ``target`` index."""
    xp = get_array_module(like)
    onehot = xp.zeros_like(like)
    onehot[xp.arange(len(onehot)), target] = 1
    return onehot


def cross_entropy(logits: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Cross-entropy between softmax(logits) and a target, fused with log-softmax.

    logits: (N, C), or (C,) for one sample. target: class indices (N,) (integers, or floats
    with integral values), or probabilities / one-hot (N, C):
        Lₙ = −Σ_c t_{n,c} · log softmax(logits)_{n,c}.
    Raises ValueError for a class index outside [0, C).
    """
    _check_reduction(reduction, "cross_entropy")
    logits = as_tensor(logits)
    if logits.ndim == 1:
        target_data = target.data if isinstance(target, Tensor) else target
        xp = get_array_module(logits.data)
        target_array = xp.asarray(target_data)
        target = target_array.reshape(1, -1) if target_array.ndim == 1 else target_array.reshape(1)
        return cross_entropy(logits.reshape(1, -1), target, reduction)
    if logits.ndim != 2:
        raise ValueError(f"cross_entropy: logits must be (N, C) or (C,), got shape {logits.shape}")
    target_data = target.data if isinstance(target, Tensor) else target
    target_array = get_array_module(logits.data).asarray(target_data)
    if target_array.shape == logits.shape:
        probabilities = _target_like(target, logits, "cross_entropy")
        per_sample = -(probabilities * log_softmax(logits)).sum(axis=1)
    else:
        indices = _class_indices(target_array, logits.shape)
        return CrossEntropyWithIndices(indices, reduction)(logits)
    return _reduce(per_sample, reduction)


def _class_indices(target: Any, logits_shape: tuple[int, int]) -> Any:
    """Check class-index targets of shape (N,) in [0, C) and return them as int64."""
    n, classes = logits_shape
    if target.shape != (n,):
        raise ValueError(
            f"cross_entropy: target of shape {target.shape} is neither class indices ({n},) "
            f"nor probabilities {logits_shape}"
        )
    if target.dtype.kind == "f":
        if not (target == target.round()).all():
            raise ValueError("cross_entropy: class-index targets must be whole numbers")
    elif target.dtype.kind not in "iu":
        raise ValueError(f"cross_entropy: class indices must be integers, got {target.dtype}")
    indices = target.astype("int64", copy=False)
    # One pass checks both ends: read as uint64, a negative index is at least 2**63.
    if n and indices.view("uint64").max() >= classes:
        bad = int(indices[(indices < 0) | (indices >= classes)][0])
        raise ValueError(
            f"cross_entropy: class index {bad} is out of range for {classes} classes "
            f"(expected 0..{classes - 1})"
        )
    return indices


class BinaryCrossEntropy(Function):
    """L = −[t·log p + (1 − t)·log(1 − p)] with each log clamped at −100 (as in PyTorch);
    ∂L/∂p = (p − t) / max(p(1 − p), 1e-12), finite even at p = 0 or 1;
    ∂L/∂t = log(1 − p) − log p."""

    def forward(self, p, t):
        xp = get_array_module(p)
        with np.errstate(divide="ignore"):  # log 0 = −inf is clamped on the next line
            log_p, log_not_p = xp.log(p), xp.log(1 - p)
        return -(t * xp.maximum(log_p, -100) + (1 - t) * xp.maximum(log_not_p, -100))

    def backward(self, gy):
        p, t = self.inputs
        with np.errstate(divide="ignore"):
            gt = clip(log(1 - p), -100.0) - clip(log(p), -100.0)
        return gy * (p - t) / maximum(p * (1 - p), 1e-12), gy * gt


def binary_cross_entropy(p: Any, t: Any, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy −[t·log p + (1 − t)·log(1 − p)] for probabilities p in [0, 1]."""
    _check_reduction(reduction, "binary_cross_entropy")
    p = as_tensor(p)
    xp = get_array_module(p.data)
    if p.size and (xp.any(p.data < 0) or xp.any(p.data > 1)):
        raise ValueError("binary_cross_entropy: p must hold probabilities in [0, 1]")
    t = _target_like(t, p, "binary_cross_entropy")
    return _reduce(BinaryCrossEntropy()(p, t), reduction)


def binary_cross_entropy_with_logits(z: Any, t: Any, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of σ(z) against t, computed stably as softplus(z) − t·z."""
    _check_reduction(reduction, "binary_cross_entropy_with_logits")
    z = as_tensor(z)
    t = _target_like(t, z, "binary_cross_entropy_with_logits")
    return _reduce(softplus(z) - t * z, reduction)
