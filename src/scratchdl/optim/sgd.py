"""Stochastic gradient descent, with momentum, Nesterov momentum and weight decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from scratchdl.backend import get_array_module, kernels
from scratchdl.optim.optimizer import (
    Check,
    Optimizer,
    flag,
    in_range,
    non_negative,
    with_weight_decay,
)


class SGD(Optimizer):
    """Stochastic gradient descent, PyTorch's update rule and defaults (``torch.optim.SGD``).

    With learning rate lr, momentum μ, dampening τ and weight decay λ, for each parameter θ
    with gradient ∇θ:

        g ← ∇θ + λ·θ
        if μ ≠ 0:
            b ← g                      on the first step
            b ← μ·b + (1 − τ)·g        on later steps
            g ← g + μ·b  (nesterov)    or    g ← b
        θ ← θ − lr·g

    Plain SGD (μ = 0) is the book's θ ← θ − lr·∇θ; with momentum the book's velocity
    v = −lr·b, which is the same update while lr is constant.
    """

    checks: ClassVar[dict[str, Check]] = {
        "lr": non_negative,
        "momentum": non_negative,
        "dampening": in_range(0.0, 1.0),
        "weight_decay": non_negative,
        "nesterov": flag,
        "maximize": flag,
    }

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr, "momentum": momentum, "dampening": dampening,
                "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                "foreach": foreach, "differentiable": differentiable, "fused": fused,
            },
        )  # fmt: skip

    def _check_group(self, group: dict[str, Any]) -> None:
        super()._check_group(group)
        if group["nesterov"] and (group["momentum"] == 0 or group["dampening"] != 0):
            raise ValueError(
                f"SGD: nesterov needs momentum > 0 and dampening = 0, got "
                f"momentum={group['momentum']!r}, dampening={group['dampening']!r}"
            )

    def _update(self, param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        buffers = [state["momentum_buffer"]] if "momentum_buffer" in state else []
        if kernels.usable(param, grad, *buffers, contiguous=True):  # one pass (kernels/optim.py)
            _compiled_update(param, grad, state, group)
            return
        g = with_weight_decay(grad, param, group["weight_decay"])
        if group["momentum"] != 0:
            g = _apply_momentum(g, state, group)
        param -= get_array_module(param).multiply(g, group["lr"], out=self._workspace(param))


def _apply_momentum(g: Any, state: dict[str, Any], group: dict[str, Any]) -> Any:
    """Update the momentum buffer b with g; return the step direction (b, or Nesterov's
    g + μ·b)."""
    momentum = group["momentum"]
    if "momentum_buffer" not in state:
        state["momentum_buffer"] = g.copy()
    else:
        buffer = state["momentum_buffer"]
        buffer *= momentum
        buffer += (1 - group["dampening"]) * g
    buffer = state["momentum_buffer"]
    return g + momentum * buffer if group["nesterov"] else buffer


def _compiled_update(param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
    """SGD._update by the compiled kernel: the hyperparameters in the arrays' dtype, the
    momentum buffer created (empty, filled by the kernel) on the first step; flat views, so
    one compiled version serves every shape."""
    scalar, momentum = param.dtype.type, group["momentum"]
    first_step = momentum != 0 and "momentum_buffer" not in state
    if first_step:
        state["momentum_buffer"] = get_array_module(param).empty_like(param)
    buffer = state.get("momentum_buffer", param)  # not read without momentum
    kernels.module("optim").sgd(
        param.reshape(-1), grad.reshape(-1), buffer.reshape(-1),
        scalar(group["lr"]), scalar(group["weight_decay"]), scalar(momentum),
        scalar(1 - group["dampening"]), group["nesterov"], first_step,
    )  # fmt: skip
