"""AdaGrad: a per-element learning rate that shrinks as squared gradients accumulate."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from scratchdl.backend import get_array_module
from scratchdl.optim.optimizer import Check, Optimizer, flag, non_negative, with_weight_decay


class Adagrad(Optimizer):
    """AdaGrad, PyTorch's update rule (``torch.optim.Adagrad``).

    With learning rate lr, decay η_d (``lr_decay``), weight decay λ and step t = 1, 2, ...:

        g ← ∇θ + λ·θ
        lr_t ← lr / (1 + (t − 1)·η_d)
        h ← h + g ⊙ g                      (h starts at ``initial_accumulator_value``,
                                            0 by default; state "sum")
        θ ← θ − lr_t · g / (√h + ε)

    The book writes θ ← θ − lr·g/√h and its code adds 1e-7 to √h; PyTorch, followed here,
    puts ε outside the square root too but defaults it to 1e-10 (and adds lr decay).
    """

    checks: ClassVar[dict[str, Check]] = {
        "lr": non_negative,
        "lr_decay": non_negative,
        "weight_decay": non_negative,
        "initial_accumulator_value": non_negative,
        "eps": non_negative,
        "maximize": flag,
    }

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 0.01,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr, "lr_decay": lr_decay, "weight_decay": weight_decay,
                "initial_accumulator_value": initial_accumulator_value, "eps": eps,
                "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                "fused": fused,
            },
        )  # fmt: skip

    def _init_state(self, param: Any, group: dict[str, Any]) -> dict[str, Any]:
        xp = get_array_module(param)
        return {"step": 0, "sum": xp.full_like(param, group["initial_accumulator_value"])}

    def _update(self, param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        xp = get_array_module(param)
        state["step"] += 1
        g = with_weight_decay(grad, param, group["weight_decay"])
        lr_t = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        state["sum"] += g * g
        std = xp.sqrt(state["sum"])
        std += group["eps"]
        param -= lr_t * (g / std)
