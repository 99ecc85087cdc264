"""Gradient utilities for training loops, as torch.nn.utils: clip the gradients' norm or
values, flatten parameters into one vector and back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scratchdl.autograd import Tensor, no_grad, wrap
from scratchdl.backend import get_array_module
from scratchdl.functional import cat


def _tensors(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: Any = None,
) -> Tensor:
    """Scale the gradients in place so that their total norm is at most ``max_norm``;
    return the total norm before clipping, a 0-d tensor (as PyTorch does).

    total = ‖(‖g₁‖, ‖g₂‖, …)‖ with ‖·‖ the ``norm_type``-norm (``float('inf')`` for the max
    norm), i.e. the norm of all gradients concatenated; every gradient is then multiplied
    by min(1, max_norm / (total + 1e-6)). Parameters without a gradient are skipped.
    """
    if not max_norm >= 0 or not norm_type > 0:
        raise ValueError(
            f"clip_grad_norm_: max_norm must be >= 0 and norm_type > 0, got "
            f"max_norm={max_norm!r}, norm_type={norm_type!r}"
        )
    grads = [p.grad for p in _tensors(parameters) if p.grad is not None]
    if not grads:
        return wrap(get_array_module().zeros(()))
    xp = get_array_module(grads[0].data)
    norms = xp.stack([xp.linalg.norm(g.data.ravel(), ord=norm_type) for g in grads])
    total = xp.linalg.norm(norms, ord=norm_type)
    if error_if_nonfinite and not xp.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of the gradients is {float(total)}; "
            "pass error_if_nonfinite=False to clip anyway"
        )
    scale = min(1.0, max_norm / (float(total) + 1e-6))
    with no_grad():
        for g in grads:
            g.data *= scale
    return wrap(xp.asarray(total))


def clip_grad_value_(
    parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: Any = None
) -> None:
    """Clamp every gradient element to [−clip_value, clip_value], in place."""
    with no_grad():
        for p in _tensors(parameters):
            if p.grad is not None:
                p.grad.data = get_array_module(p.grad.data).clip(
                    p.grad.data, -clip_value, clip_value
                )


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Every parameter flattened and joined into one vector (a copy)."""
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vector: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vector`` into the parameters, in place."""
    start = 0
    with no_grad():
        for p in parameters:
            count = p.numel()
            p.copy_(vector[start : start + count].reshape(p.shape))
            start += count
