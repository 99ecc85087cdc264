"""AdaDelta: AdaGrad with decaying averages, and a step size set by past updates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scratchdl.autograd import Tensor
from scratchdl.backend import get_array_module
from scratchdl.optim.optimizer import Optimizer, in_range, non_negative, with_weight_decay


class Adadelta(Optimizer):
    """AdaDelta, PyTorch's update rule (``torch.optim.Adadelta``).

    With coefficient ρ (``rho``), weight decay λ and learning rate lr (a plain scale, 1 by
    default, since the update already has the parameters' units):

        g ← ∇θ + λ·θ
        v ← ρ·v + (1 − ρ)·g ⊙ g                   (state "square_avg", starts at 0)
        Δ ← √(u + ε) / √(v + ε) ⊙ g
        u ← ρ·u + (1 − ρ)·Δ ⊙ Δ                   (state "acc_delta", starts at 0)
        θ ← θ − lr·Δ
    """

    hyperparameter_names = ("lr", "rho", "eps", "weight_decay")

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
    ) -> None:
        super().__init__(params, lr)
        self.rho = in_range("Adadelta", "rho", rho, 0.0, 1.0)
        self.eps = non_negative("Adadelta", "eps", eps)
        self.weight_decay = non_negative("Adadelta", "weight_decay", weight_decay)

    def _init_state(self, param: Any) -> dict[str, Any]:
        xp = get_array_module(param)
        return {"square_avg": xp.zeros_like(param), "acc_delta": xp.zeros_like(param)}

    def _update(self, param: Any, grad: Any, state: dict[str, Any]) -> None:
        xp = get_array_module(param)
        rho, square_avg, acc_delta = self.rho, state["square_avg"], state["acc_delta"]
        g = with_weight_decay(grad, param, self.weight_decay)
        square_avg *= rho
        square_avg += (1 - rho) * g * g
        delta = xp.sqrt(acc_delta + self.eps)
        delta /= xp.sqrt(square_avg + self.eps)
        delta *= g
        acc_delta *= rho
        acc_delta += (1 - rho) * delta * delta
        param -= self.lr * delta
