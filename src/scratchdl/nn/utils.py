"""Gradient utilities for training loops."""

from __future__ import annotations

from collections.abc import Iterable

from scratchdl.autograd import Tensor
from scratchdl.backend import get_array_module


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0
) -> float:
    """Rescale the gradients so that their total norm is at most ``max_norm``; return the
    total norm before clipping (as PyTorch does).

    total = ‖(‖g₁‖, ‖g₂‖, …)‖ with ‖·‖ the ``norm_type``-norm (``float('inf')`` for the max
    norm), i.e. the norm of all gradients concatenated; every gradient is then multiplied
    by min(1, max_norm / (total + 1e-6)). Parameters without a gradient are skipped.

    Each ``grad`` is replaced by a new Tensor rather than scaled in place, because backward
    may hand one gradient Tensor to several parameters.
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    if not max_norm >= 0 or not norm_type > 0:
        raise ValueError(
            f"clip_grad_norm_: max_norm must be >= 0 and norm_type > 0, got "
            f"max_norm={max_norm!r}, norm_type={norm_type!r}"
        )
    with_grad = [p for p in parameters if p.grad is not None]
    if not with_grad:
        return 0.0
    xp = get_array_module(with_grad[0].grad.data)
    norms = xp.stack([xp.linalg.norm(p.grad.data.ravel(), ord=norm_type) for p in with_grad])
    total = float(xp.linalg.norm(norms, ord=norm_type))
    scale = min(1.0, max_norm / (total + 1e-6))
    for p in with_grad:
        p.grad = Tensor(p.grad.data * scale)
    return total
