"""Loss functions, with PyTorch's signatures: ``reduction`` is 'mean' (the default), 'sum'
or 'none' (the legacy ``size_average``/``reduce`` flags are understood too).

Targets (and other operands that are not learned) may be Tensors, NumPy arrays or Python
numbers; they are converted to the prediction's dtype. Class-index targets are integers.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from scratchdl.autograd import Function, Tensor, as_tensor, wrap
from scratchdl.autograd import dtype as dtypes
from scratchdl.backend import get_array_module
from scratchdl.functional.activation import log_softmax, softmax, softplus
from scratchdl.functional.convert import cast
from scratchdl.functional.math import abs, clamp, log, maximum, where
from scratchdl.functional.shape import getitem, permute, reshape

REDUCTIONS = ("mean", "sum", "none")


def _reduction(reduction: str, size_average: Any, reduce: Any, op: str) -> str:
    """The reduction, from ``reduction`` or torch's legacy flags (which win when given)."""
    if size_average is not None or reduce is not None:
        if reduce is False:
            return "none"
        return "sum" if size_average is False else "mean"
    if reduction not in REDUCTIONS:
        raise ValueError(f"{op}: unknown reduction {reduction!r}; expected 'mean', 'sum' or 'none'")
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _floating(x: Any) -> Tensor:
    x = as_tensor(x)
    return x if x.dtype.kind in "fc" else cast(x, dtypes.get_default_dtype())


def _target_like(target: Any, prediction: Tensor, op: str, broadcast: bool = False) -> Tensor:
    """The target as a Tensor of the prediction's dtype, checked to have its shape (or,
    with ``broadcast``, warned about when it differs, as torch's regression losses do).

    A Tensor target keeps its graph (a target that requires grad gets a gradient, as in
    PyTorch); arrays and numbers become constants.
    """
    if isinstance(target, Tensor):
        target = cast(target, prediction.dtype)
    else:
        xp = get_array_module(prediction.data)
        target = wrap(xp.asarray(target, dtype=prediction.dtype))
    if target.shape != prediction.shape:
        message = (
            f"{op}: target shape {tuple(target.shape)} does not match prediction shape "
            f"{tuple(prediction.shape)}"
        )
        if not broadcast:
            raise ValueError(message)
        warnings.warn(
            message + "; they are broadcast, which is rarely what you want",
            UserWarning,
            stacklevel=3,
        )
    return target


def sum_squared_error(y: Any, t: Any, reduction: str = "mean") -> Tensor:
    """The book's sum of squares error E = ½ Σₖ (yₖ − tₖ)² per sample.

    A 1-d y is one sample; for (N, ...) the sum runs over all dims but the first and
    ``reduction`` combines the N per-sample errors.
    """
    reduction = _reduction(reduction, None, None, "sum_squared_error")
    y = _floating(y)
    diff = y - _target_like(t, y, "sum_squared_error")
    if y.ndim <= 1:
        return 0.5 * (diff * diff).sum()
    per_sample = 0.5 * (diff * diff).sum(dim=tuple(range(1, y.ndim)))
    return _reduce(per_sample, reduction)


def mse_loss(
    input: Any, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Tensor:
    """Mean squared error (y − t)², over every element (torch's MSELoss)."""
    reduction = _reduction(reduction, size_average, reduce, "mse_loss")
    y = _floating(input)
    diff = y - _target_like(target, y, "mse_loss", broadcast=True)
    return _reduce(diff * diff, reduction)


def l1_loss(
    input: Any, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Tensor:
    """Mean absolute error |y − t| (torch's L1Loss)."""
    reduction = _reduction(reduction, size_average, reduce, "l1_loss")
    y = _floating(input)
    return _reduce(abs(y - _target_like(target, y, "l1_loss", broadcast=True)), reduction)


def smooth_l1_loss(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """½d²/β where |d| < β, else |d| − ½β, for d = y − t (torch's SmoothL1Loss)."""
    reduction = _reduction(reduction, size_average, reduce, "smooth_l1_loss")
    y = _floating(input)
    d = abs(y - _target_like(target, y, "smooth_l1_loss", broadcast=True))
    if beta == 0:
        return _reduce(d, reduction)
    return _reduce(where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), reduction)


def huber_loss(input: Any, target: Any, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """½d² where |d| < δ, else δ(|d| − ½δ), for d = y − t (torch's HuberLoss)."""
    reduction = _reduction(reduction, None, None, "huber_loss")
    y = _floating(input)
    d = abs(y - _target_like(target, y, "huber_loss", broadcast=True))
    return _reduce(where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)), reduction)


class CrossEntropyWithIndices(Function):
    """Loss −log softmax(x)[t] for logits x (N, C) and class indices t (N,), per sample or
    reduced (``reduction``); a sample whose t is ``ignore_index`` counts 0, and the mean
    is over the K samples kept.

    The fusion of ``nll_loss(log_softmax(x, 1), t)``: one pass forward, and backward
    ∂Lₙ/∂xₙ = softmax(xₙ) − onehot(tₙ) (0 for an ignored sample), scaled by each sample's
    incoming gradient (gy/K for the mean, gy for the sum). A test proves it equals the
    composition. The target is an input (it gets no gradient) and is checked here, in
    ``forward``: a compiled training step that replays this Function checks every new
    batch's targets as the eager step does.
    """

    def __init__(self, reduction: str, ignore_index: int) -> None:
        self.reduction, self.ignore_index = reduction, ignore_index

    def forward(self, x, target):
        xp = get_array_module(x)
        indices, ignored = _checked_indices(target, x.shape[1], self.ignore_index, "cross_entropy")
        self.kept = None if ignored is None else (~ignored).astype(x.dtype)
        self.target = indices if ignored is None else xp.where(ignored, 0, indices)
        shifted = x - x.max(axis=1, keepdims=True)
        exp = xp.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        exp /= total
        self.probabilities = exp  # softmax(x), kept for backward
        per_sample = xp.log(total[:, 0]) - shifted[xp.arange(len(x)), self.target]
        if self.kept is not None:
            per_sample *= self.kept
        if self.reduction == "none":
            return per_sample
        total_loss = per_sample.sum()  # the mean as sum / N: ndarray.mean costs 3x more here
        if self.reduction == "sum":
            return total_loss
        with np.errstate(invalid="ignore"):  # every sample ignored: 0 / 0 = nan, as in torch
            return total_loss / self._count()

    def backward(self, gy):
        x = self.inputs[0]
        g = softmax(x, dim=1) - wrap(_onehot_rows(self.probabilities, self.target))
        if self.kept is not None:
            g = g * wrap(self.kept.reshape(-1, 1))
        return g * self._sample_weights(gy), None

    def backward_arrays(self, gy):
        g = self.probabilities.copy()
        g[get_array_module(g).arange(len(g)), self.target] -= 1
        if self.kept is not None:
            g *= self.kept.reshape(-1, 1)
        g *= self._sample_weights(gy)
        return g, None

    def _count(self) -> Any:
        """K, the number of samples the mean is over."""
        return len(self.target) if self.kept is None else self.kept.sum()

    def _sample_weights(self, gy: Any) -> Any:
        """The incoming gradient of each sample's loss, shaped (N, 1) or a scalar."""
        if self.reduction == "none":
            return gy.reshape(-1, 1)
        return gy / self._count() if self.reduction == "mean" else gy


def _onehot_rows(like: Any, target: Any) -> Any:
    """One-hot rows (N, C) shaped and typed like ``like``, with a 1 at each ``target`` index."""
    xp = get_array_module(like)
    onehot = xp.zeros_like(like)
    onehot[xp.arange(len(onehot)), target] = 1
    return onehot


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross-entropy between softmax(input) and the target, fused with log-softmax:

        Lₙ = −Σ_c w_c · t_{n,c} · log softmax(xₙ)_c,

    with logits ``input`` (N, C) (or (C,), or (N, C, d₁, ...)), and ``target`` either class
    indices (N,) (integers; ``ignore_index`` skipped; the mean is weighted by w[tₙ]) or
    probabilities shaped like ``input``. ``label_smoothing`` ε mixes the target with the
    uniform distribution: (1 − ε)·t + ε/C. Raises ValueError for a class index outside
    [0, C) or a target of another shape.
    """
    reduction = _reduction(reduction, size_average, reduce, "cross_entropy")
    logits, target, restore = _as_rows(_floating(input), target, "cross_entropy")
    target_array = _array(target, logits)
    classes = logits.shape[1]
    if target_array.shape == tuple(logits.shape) and target_array.dtype.kind == "f":
        probabilities = _target_like(target, logits, "cross_entropy")
        if label_smoothing:
            probabilities = probabilities * (1 - label_smoothing) + label_smoothing / classes
        weighted = log_softmax(logits, dim=1) * (1 if weight is None else _weights(weight, logits))
        return restore(_reduce(-(probabilities * weighted).sum(dim=1), reduction), reduction)
    if weight is None and not label_smoothing:
        _check_index_layout(target_array, tuple(logits.shape), "cross_entropy")
        loss = CrossEntropyWithIndices(reduction, ignore_index)(logits, wrap(target_array))
        return restore(loss, reduction)
    indices, _ = _class_indices(target_array, tuple(logits.shape), ignore_index, "cross_entropy")
    log_p = log_softmax(logits, dim=1)
    loss = _nll(log_p, indices, weight, ignore_index, reduction, label_smoothing)
    return restore(loss, reduction)


def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """The negative log likelihood −w[tₙ]·input[n, tₙ] of log-probabilities ``input``
    (N, C) (as ``log_softmax`` gives) at class indices ``target`` (N,); the mean divides
    by Σ w[tₙ] over the samples not ``ignore_index``."""
    reduction = _reduction(reduction, size_average, reduce, "nll_loss")
    log_p, target, restore = _as_rows(_floating(input), target, "nll_loss")
    indices, _ = _class_indices(_array(target, log_p), tuple(log_p.shape), ignore_index, "nll_loss")
    return restore(_nll(log_p, indices, weight, ignore_index, reduction, 0.0), reduction)


def _nll(
    log_p: Tensor, indices: Any, weight: Any, ignore_index: int, reduction: str, smoothing: float
) -> Tensor:
    """−w[tₙ]·log_p[n, tₙ] per sample, with torch's label smoothing and reductions."""
    xp = get_array_module(indices)
    n, classes = log_p.shape
    kept = indices != ignore_index
    safe = xp.where(kept, indices, 0)
    class_weights = None if weight is None else _weights(weight, log_p)
    sample_weights = kept.astype(log_p.dtype)
    if class_weights is not None:
        sample_weights = sample_weights * class_weights.data[safe]
    loss = -getitem(log_p, (xp.arange(n), safe)) * wrap(sample_weights)
    divisor = sample_weights.sum()
    if smoothing:
        smooth = -(log_p * (1 if class_weights is None else class_weights)).sum(dim=1)
        smooth = smooth * wrap(kept.astype(log_p.dtype))
        return (1 - smoothing) * _weighted_reduce(loss, reduction, divisor) + (
            smoothing / classes
        ) * _weighted_reduce(smooth, reduction, divisor)
    return _weighted_reduce(loss, reduction, divisor)


def _weighted_reduce(loss: Tensor, reduction: str, divisor: Any) -> Tensor:
    """'mean' divides the sum by the total weight ``divisor`` (the count when unweighted)."""
    if reduction == "mean":
        return loss.sum() / divisor
    return loss.sum() if reduction == "sum" else loss


def _weights(weight: Any, like: Tensor) -> Tensor:
    """Class weights (C,) as a constant of ``like``'s dtype, checked against C."""
    weights = _target_weight(weight, like)
    if tuple(weights.shape) != (like.shape[1],):
        raise ValueError(
            f"cross_entropy: weight of shape {tuple(weights.shape)} does not match "
            f"{like.shape[1]} classes"
        )
    return weights


def _array(target: Any, like: Tensor) -> Any:
    """The target's array, on ``like``'s device (Tensor data or converted data)."""
    if isinstance(target, Tensor):
        return target.data
    return get_array_module(like.data).asarray(target)


def _as_rows(x: Tensor, target: Any, op: str) -> tuple[Tensor, Any, Any]:
    """Scores and target as rows (N, C) and (N,) or (N, C), and a function that puts a
    per-element loss back in the original layout: a single sample (C,) becomes (1, C);
    (N, C, d₁, ...) moves C last and flattens the rest into rows."""
    if x.ndim == 1:
        target_array = _array(target, x)
        rows = target_array.reshape(1, -1) if target_array.ndim == 1 else target_array.reshape(1)
        return (
            reshape(x, 1, -1),
            rows,
            lambda loss, reduction: reshape(loss, ()) if reduction == "none" else loss,
        )
    if x.ndim == 2:
        return x, target, lambda loss, reduction: loss
    if x.ndim == 0:
        raise ValueError(f"{op}: input must have a class dimension, got a 0-d tensor")
    n, classes, *rest = x.shape
    rows = reshape(permute(x, 0, *range(2, x.ndim), 1), -1, classes)
    target_array = _array(target, x)
    if target_array.shape == tuple(x.shape):  # probabilities: the class dim moves too
        flat = get_array_module(target_array).moveaxis(target_array, 1, -1).reshape(-1, classes)
    else:
        flat = target_array.reshape(-1)

    def restore(loss: Tensor, reduction: str) -> Tensor:
        return reshape(loss, (n, *rest)) if reduction == "none" else loss

    return rows, flat, restore


def _class_indices(
    target: Any, scores_shape: tuple[int, int], ignore_index: int, op: str
) -> tuple[Any, bool]:
    """Check class-index targets of shape (N,) in [0, C) (or ``ignore_index``); return them
    as int64, and whether any of them is ``ignore_index``."""
    _check_index_layout(target, scores_shape, op)
    indices, ignored = _checked_indices(target, scores_shape[1], ignore_index, op)
    return indices, ignored is not None


def _check_index_layout(target: Any, scores_shape: tuple[int, int], op: str) -> None:
    """Raise ValueError unless ``target`` holds integer class indices of shape (N,)."""
    n, _ = scores_shape
    if target.shape != (n,):
        raise ValueError(
            f"{op}: target of shape {tuple(target.shape)} is neither class indices ({n},) "
            f"nor probabilities {scores_shape}"
        )
    if target.dtype.kind not in "iu":
        raise ValueError(
            f"{op}: class indices must be integers (int64), got {target.dtype}; convert "
            f"with .long(), or pass probabilities of shape {scores_shape}"
        )


def _checked_indices(target: Any, classes: int, ignore_index: int, op: str) -> tuple[Any, Any]:
    """Integer class indices as int64, and where they are ``ignore_index`` (a boolean mask,
    or None when none is); ValueError for any other index outside [0, C)."""
    indices = target.astype("int64", copy=False)
    xp = get_array_module(indices)
    # One pass checks both ends: read as uint64, a negative index is at least 2**63.
    if (not indices.size or indices.view("uint64").max() < classes) and not (
        0 <= ignore_index < classes
    ):
        return indices, None
    ignored = indices == ignore_index
    bad = ((indices < 0) | (indices >= classes)) & ~ignored
    if xp.any(bad):
        value = int(indices[bad][0])
        raise ValueError(
            f"{op}: class index {value} is out of range for {classes} classes "
            f"(expected 0..{classes - 1})"
        )
    return indices, ignored if xp.any(ignored) else None


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
            gt = clamp(log(1 - p), -100.0) - clamp(log(p), -100.0)
        return gy * (p - t) / maximum(p * (1 - p), 1e-12), gy * gt


def binary_cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """Binary cross-entropy −w·[t·log p + (1 − t)·log(1 − p)] for probabilities p in [0, 1]."""
    reduction = _reduction(reduction, size_average, reduce, "binary_cross_entropy")
    p = _floating(input)
    xp = get_array_module(p.data)
    if p.numel() and (xp.any(p.data < 0) or xp.any(p.data > 1)):
        raise ValueError("binary_cross_entropy: input must hold probabilities in [0, 1]")
    loss = BinaryCrossEntropy()(p, _target_like(target, p, "binary_cross_entropy"))
    return _reduce(loss if weight is None else loss * _target_weight(weight, p), reduction)


def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Tensor:
    """Binary cross-entropy of σ(z) against t, computed stably from the logits z:
    (1 − t)·z + (1 + (pos_weight − 1)·t)·softplus(−z), times ``weight``."""
    reduction = _reduction(reduction, size_average, reduce, "binary_cross_entropy_with_logits")
    z = _floating(input)
    t = _target_like(target, z, "binary_cross_entropy_with_logits")
    if pos_weight is None:
        loss = softplus(z) - t * z
    else:
        loss = (1 - t) * z + (1 + (_target_weight(pos_weight, z) - 1) * t) * softplus(-z)
    return _reduce(loss if weight is None else loss * _target_weight(weight, z), reduction)


def _target_weight(weight: Any, like: Tensor) -> Tensor:
    """A weight broadcastable against ``like``, as a constant of its dtype."""
    return wrap(get_array_module(like.data).asarray(_array(weight, like), dtype=like.dtype))


def kl_div(
    input: Any,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """Kullback-Leibler divergence Σ t·(log t − input) of log-probabilities ``input`` from
    probabilities ``target`` (log-probabilities with ``log_target``); terms with t = 0 are 0.
    ``reduction='batchmean'`` divides the sum by the batch size (the true KL per sample);
    'mean' divides by the number of elements, as torch does."""
    if reduction == "batchmean":
        batch = as_tensor(input).shape[0] if as_tensor(input).ndim else 1
        return kl_div(input, target, size_average, reduce, "sum", log_target) / batch
    reduction = _reduction(reduction, size_average, reduce, "kl_div")
    x = _floating(input)
    t = _target_like(target, x, "kl_div")
    if log_target:
        return _reduce(t.exp() * (t - x), reduction)
    positive = t.data > 0
    log_t = log(where(positive, t, 1.0))  # log t where t > 0 (the term is 0 elsewhere)
    return _reduce(where(positive, t * (log_t - x), 0.0), reduction)


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """Class indices (any shape) as one-hot vectors along a new last dimension, int64;
    ``num_classes`` -1 takes the largest index + 1."""
    indices = as_tensor(tensor).data
    if indices.dtype.kind not in "iu":
        raise RuntimeError(f"one_hot: expected integer class indices, got {indices.dtype}")
    xp = get_array_module(indices)
    if num_classes == -1:
        num_classes = int(indices.max()) + 1 if indices.size else 0
    if indices.size and (indices.min() < 0 or indices.max() >= num_classes):
        raise RuntimeError(f"one_hot: class values must lie in [0, {num_classes})")
    return wrap(xp.eye(num_classes, dtype=np.int64)[indices])
