"""Stochastic gradient descent, with momentum, Nesterov momentum and weight decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scratchdl.autograd import Tensor
from scratchdl.backend import get_array_module
from scratchdl.optim.optimizer import Optimizer, in_range, non_negative, with_weight_decay


class SGD(Optimizer):
    """Stochastic gradient descent, PyTorch's update rule (``torch.optim.SGD``).

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

    hyperparameter_names = ("lr", "momentum", "dampening", "nesterov", "weight_decay")

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float,
        momentum: float = 0,
        dampening: float = 0,
        nesterov: bool = False,
        weight_decay: float = 0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = non_negative("SGD", "momentum", momentum)
        self.dampening = in_range("SGD", "dampening", dampening, 0.0, 1.0)
        self.weight_decay = non_negative("SGD", "weight_decay", weight_decay)
        if nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError(
                f"SGD: nesterov needs momentum > 0 and dampening = 0, got "
                f"momentum={momentum!r}, dampening={dampening!r}"
            )
        self.nesterov = bool(nesterov)

    def _update(self, param: Any, grad: Any, state: dict[str, Any]) -> None:
        g = with_weight_decay(grad, param, self.weight_decay)
        if self.momentum != 0:
            g = self._apply_momentum(g, state)
        param -= get_array_module(param).multiply(g, self.lr, out=self._workspace(param))

    def _apply_momentum(self, g: Any, state: dict[str, Any]) -> Any:
        """Update the momentum buffer b with g; return the step direction (b, or Nesterov's
        g + μ·b)."""
        if "momentum_buffer" not in state:
            state["momentum_buffer"] = g.copy()
        else:
            buffer = state["momentum_buffer"]
            buffer *= self.momentum
            buffer += (1 - self.dampening) * g
        buffer = state["momentum_buffer"]
        return g + self.momentum * buffer if self.nesterov else buffer
