"""AdaGrad: a per-element learning rate that shrinks as squared gradients accumulate."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scratchdl.autograd import Tensor
from scratchdl.backend import get_array_module
from scratchdl.optim.optimizer import Optimizer, non_negative, with_weight_decay


class Adagrad(Optimizer):
    """AdaGrad, PyTorch's update rule (``torch.optim.Adagrad``).

    With learning rate lr, decay η_d (``lr_decay``), weight decay λ and step t = 1, 2, ...:

        g ← ∇θ + λ·θ
        lr_t ← lr / (1 + (t − 1)·η_d)
        h ← h + g ⊙ g                      (h starts at 0; state "sum")
        θ ← θ − lr_t · g / (√h + ε)

    The book writes θ ← θ − lr·g/√h and its code adds 1e-7 to √h; PyTorch, followed here,
    puts ε outside the square root too but defaults it to 1e-10 (and adds lr decay).
    """

    hyperparameter_names = ("lr", "lr_decay", "weight_decay", "eps")

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 0.01,
        lr_decay: float = 0,
        weight_decay: float = 0,
        eps: float = 1e-10,
    ) -> None:
        super().__init__(params, lr)
        self.lr_decay = non_negative("Adagrad", "lr_decay", lr_decay)
        self.weight_decay = non_negative("Adagrad", "weight_decay", weight_decay)
        self.eps = non_negative("Adagrad", "eps", eps)

    def _init_state(self, param: Any) -> dict[str, Any]:
        return {"step": 0, "sum": get_array_module(param).zeros_like(param)}

    def _update(self, param: Any, grad: Any, state: dict[str, Any]) -> None:
        xp = get_array_module(param)
        state["step"] += 1
        g = with_weight_decay(grad, param, self.weight_decay)
        lr_t = self.lr / (1 + (state["step"] - 1) * self.lr_decay)
        state["sum"] += g * g
        std = xp.sqrt(state["sum"])
        std += self.eps
        param -= lr_t * (g / std)
