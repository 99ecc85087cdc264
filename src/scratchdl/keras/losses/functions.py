"""The per-sample losses: each maps targets and predictions (Tensors) to one value per
sample, differentiably, as Keras's loss functions of the same names do."""

from __future__ import annotations

import math

from scratchdl import functional as F
from scratchdl.autograd import Tensor, wrap
from scratchdl.backend import get_array_module

EPSILON = 1e-7


def mean_squared_error(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """mean((y_true − y_pred)²) over the last axis."""
    diff = y_true - y_pred
    return (diff * diff).mean(axis=-1)


def mean_absolute_error(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """mean(|y_true − y_pred|) over the last axis."""
    return F.abs(y_true - y_pred).mean(axis=-1)


def mean_absolute_percentage_error(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """100 · mean(|y_true − y_pred| / max(|y_true|, ε)) over the last axis."""
    scale = get_array_module(y_true.data).maximum(abs(y_true.data), EPSILON)
    return 100.0 * F.abs((y_true - y_pred) / wrap(scale)).mean(axis=-1)


def mean_squared_logarithmic_error(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """mean((log(1 + max(y_pred, ε)) − log(1 + max(y_true, ε)))²) over the last axis."""
    diff = F.log(F.maximum(y_pred, EPSILON) + 1.0) - F.log(F.maximum(y_true, EPSILON) + 1.0)
    return (diff * diff).mean(axis=-1)


def huber(y_true: Tensor, y_pred: Tensor, delta: float = 1.0) -> Tensor:
    """mean of ½e² where |e| ≤ δ, else δ·|e| − ½δ² (e = y_pred − y_true), over the last axis."""
    error = y_pred - y_true
    quadratic = 0.5 * error * error
    linear = delta * F.abs(error) - 0.5 * delta * delta
    return F.where(abs(error.data) <= delta, quadratic, linear).mean(axis=-1)


def log_cosh(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """mean(log cosh(y_pred − y_true)) over the last axis, as e + softplus(−2e) − log 2."""
    error = y_pred - y_true
    return (error + F.softplus(-2.0 * error) - math.log(2.0)).mean(axis=-1)


def hinge(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """mean(max(1 − y_true·y_pred, 0)) over the last axis; labels 0/1 count as −1/+1."""
    return F.relu(1.0 - _signed_labels(y_true) * y_pred).mean(axis=-1)


def squared_hinge(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """mean(max(1 − y_true·y_pred, 0)²) over the last axis; labels 0/1 count as −1/+1."""
    margin = F.relu(1.0 - _signed_labels(y_true) * y_pred)
    return (margin * margin).mean(axis=-1)


def kl_divergence(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """Σ y_true · log(y_true / y_pred) over the last axis, both clipped to [ε, 1]."""
    t = F.clip(y_true, EPSILON, 1.0)
    return (t * F.log(t / F.clip(y_pred, EPSILON, 1.0))).sum(axis=-1)


def poisson(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """mean(y_pred − y_true · log(y_pred + ε)) over the last axis."""
    return (y_pred - y_true * F.log(y_pred + EPSILON)).mean(axis=-1)


def binary_crossentropy(
    y_true: Tensor, y_pred: Tensor, from_logits: bool = False, label_smoothing: float = 0.0
) -> Tensor:
    """mean(−[t·log p + (1 − t)·log(1 − p)]) over the last axis, with p = y_pred clipped to
    [ε, 1 − ε], or p = σ(y_pred) computed stably (softplus(z) − t·z) ``from_logits``.
    ``label_smoothing`` s moves targets towards ½: t·(1 − s) + s/2."""
    t = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing if label_smoothing else y_true
    if from_logits:
        return F.binary_cross_entropy_with_logits(y_pred, t, reduction="none").mean(axis=-1)
    p = F.clip(y_pred, EPSILON, 1.0 - EPSILON)
    return F.binary_cross_entropy(p, t, reduction="none").mean(axis=-1)


def categorical_crossentropy(
    y_true: Tensor, y_pred: Tensor, from_logits: bool = False, label_smoothing: float = 0.0
) -> Tensor:
    """−Σ t · log p over the classes (the last axis), for one-hot or probability targets t;
    p = y_pred / Σ y_pred clipped to [ε, 1 − ε], or log p = log_softmax(y_pred)
    ``from_logits``. ``label_smoothing`` s: t·(1 − s) + s / classes."""
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"categorical_crossentropy: targets of shape {tuple(y_true.shape)} do not match "
            f"predictions {tuple(y_pred.shape)}; one-hot targets are expected (for class indices "
            "use sparse_categorical_crossentropy, or keras.utils.to_categorical)"
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_pred.shape[-1]
    return -(y_true * _log_probabilities(y_pred, from_logits)).sum(axis=-1)


def sparse_categorical_crossentropy(
    y_true: Tensor, y_pred: Tensor, from_logits: bool = False
) -> Tensor:
    """−log p[t] for class indices t (N,) or (N, 1) and predictions (N, classes); p as in
    ``categorical_crossentropy``. From logits it is scratchdl's fused ``cross_entropy``."""
    labels = y_true.data.reshape(-1) if y_true.ndim == y_pred.ndim else y_true.data
    if y_pred.ndim != 2 or labels.shape != (y_pred.shape[0],):
        raise ValueError(
            f"sparse_categorical_crossentropy: expected class indices (N,) and predictions "
            f"(N, classes), got targets {tuple(y_true.shape)} and predictions {tuple(y_pred.shape)}"
        )
    labels = labels.astype("int64")  # class ids given as floats count too, as in Keras
    if from_logits:
        return F.cross_entropy(y_pred, labels, reduction="none")
    onehot = get_array_module(labels).eye(y_pred.shape[-1], dtype=y_pred.dtype)[labels]
    return -(wrap(onehot) * _log_probabilities(y_pred, from_logits=False)).sum(axis=-1)


def _log_probabilities(y_pred: Tensor, from_logits: bool) -> Tensor:
    """log softmax(y_pred) from logits, else the log of y_pred normalised and clipped."""
    if from_logits:
        return F.log_softmax(y_pred, axis=-1)
    normalised = y_pred / y_pred.sum(axis=-1, keepdims=True)
    return F.log(F.clip(normalised, EPSILON, 1.0 - EPSILON))


def _signed_labels(y_true: Tensor) -> Tensor:
    """Labels in {0, 1} as {−1, +1} (others unchanged), as Keras's hinge losses take them."""
    data = y_true.data
    is_binary = bool(get_array_module(data).all((data == 0) | (data == 1)))
    return 2.0 * y_true - 1.0 if is_binary else y_true


def same_rank(y_true: Tensor, y_pred: Tensor) -> tuple[Tensor, Tensor]:
    """Keras's squeeze_or_expand_to_same_rank: when the ranks differ by one and the longer
    one ends in a size-1 axis, give the shorter that axis (a 1-d one) or drop it."""
    if y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        if y_true.ndim == 1:
            return F.reshape(y_true, (*y_true.shape, 1)), y_pred
        return y_true, F.reshape(y_pred, y_pred.shape[:-1])
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        if y_pred.ndim == 1:
            return y_true, F.reshape(y_pred, (*y_pred.shape, 1))
        return F.reshape(y_true, y_true.shape[:-1]), y_pred
    return y_true, y_pred
