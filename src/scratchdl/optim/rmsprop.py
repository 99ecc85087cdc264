"""RMSprop: divide the gradient by a running root mean square of recent gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scratchdl.autograd import Tensor
from scratchdl.backend import get_array_module
from scratchdl.optim.optimizer import Optimizer, non_negative, with_weight_decay


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

    hyperparameter_names = ("lr", "alpha", "eps", "weight_decay", "momentum", "centered")

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.alpha = non_negative("RMSprop", "alpha", alpha)
        self.eps = non_negative("RMSprop", "eps", eps)
        self.weight_decay = non_negative("RMSprop", "weight_decay", weight_decay)
        self.momentum = non_negative("RMSprop", "momentum", momentum)
        self.centered = bool(centered)

    def _init_state(self, param: Any) -> dict[str, Any]:
        zeros_like = get_array_module(param).zeros_like
        state = {"square_avg": zeros_like(param)}
        if self.centered:
            state["grad_avg"] = zeros_like(param)
        if self.momentum > 0:
            state["momentum_buffer"] = zeros_like(param)
        return state

    def _update(self, param: Any, grad: Any, state: dict[str, Any]) -> None:
        xp = get_array_module(param)
        alpha, square_avg = self.alpha, state["square_avg"]
        g = with_weight_decay(grad, param, self.weight_decay)
        square_avg *= alpha
        square_avg += (1 - alpha) * g * g
        if self.centered:
            grad_avg = state["grad_avg"]
            grad_avg *= alpha
            grad_avg += (1 - alpha) * g
            denominator = xp.sqrt(square_avg - grad_avg * grad_avg)
        else:
            denominator = xp.sqrt(square_avg)
        denominator += self.eps
        if self.momentum > 0:
            buffer = state["momentum_buffer"]
            buffer *= self.momentum
            buffer += g / denominator
            param -= self.lr * buffer
        else:
            param -= self.lr * (g / denominator)
