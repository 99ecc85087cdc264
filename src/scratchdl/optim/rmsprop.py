"""RMSprop: divide the gradient by a running root mean square of recent gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from scratchdl.backend import get_array_module
from scratchdl.optim.optimizer import Check, Optimizer, flag, non_negative, with_weight_decay


class RMSprop(Optimizer):
    """RMSprop, PyTorch's update rule (``torch.optim.RMSprop``).

    With smoothing constant α (``alpha``), momentum μ, weight decay λ:

        g ← ∇θ + λ·θ
        v ← α·v + (1 − α)·g ⊙ g                 (state "square_avg", starts at 0)
        if centered:
            ḡ ← α·ḡ + (1 − α)·g                 (state "grad_avg", starts at 0)
            d ← √(v − ḡ ⊙ ḡ) + ε                (the variance, not the raw second moment)
        else:
            d ← √v + ε
        if μ > 0:
            b ← μ·b + g / d;  θ ← θ − lr·b       (state "momentum_buffer", starts at 0)
        else:
            θ ← θ − lr·g / d
    """

    checks: ClassVar[dict[str, Check]] = {
        "lr": non_negative,
        "alpha": non_negative,
        "eps": non_negative,
        "weight_decay": non_negative,
        "momentum": non_negative,
        "centered": flag,
        "maximize": flag,
    }

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay,
                "momentum": momentum, "centered": centered, "capturable": capturable,
                "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
            },
        )  # fmt: skip

    def _init_state(self, param: Any, group: dict[str, Any]) -> dict[str, Any]:
        zeros_like = get_array_module(param).zeros_like
        state = {"step": 0, "square_avg": zeros_like(param)}
        if group["centered"]:
            state["grad_avg"] = zeros_like(param)
        if group["momentum"] > 0:
            state["momentum_buffer"] = zeros_like(param)
        return state

    def _update(self, param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        xp = get_array_module(param)
        state["step"] += 1
        alpha, square_avg = group["alpha"], state["square_avg"]
        g = with_weight_decay(grad, param, group["weight_decay"])
        square_avg *= alpha
        square_avg += (1 - alpha) * g * g
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg *= alpha
            grad_avg += (1 - alpha) * g
            denominator = xp.sqrt(square_avg - grad_avg * grad_avg)
        else:
            denominator = xp.sqrt(square_avg)
        denominator += group["eps"]
        if group["momentum"] > 0:
            buffer = state["momentum_buffer"]
            buffer *= group["momentum"]
            buffer += g / denominator
            param -= group["lr"] * buffer
        else:
            param -= group["lr"] * (g / denominator)
