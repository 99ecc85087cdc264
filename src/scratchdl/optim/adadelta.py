"""AdaDelta: AdaGrad with decaying averages, and a step size set by past updates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from scratchdl.backend import get_array_module
from scratchdl.optim.optimizer import (
    Check,
    Optimizer,
    flag,
    in_range,
    non_negative,
    with_weight_decay,
)


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

    checks: ClassVar[dict[str, Check]] = {
        "lr": non_negative,
        "rho": in_range(0.0, 1.0),
        "eps": non_negative,
        "weight_decay": non_negative,
        "maximize": flag,
    }

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                "foreach": foreach, "capturable": capturable, "maximize": maximize,
                "differentiable": differentiable,
            },
        )  # fmt: skip

    def _init_state(self, param: Any, group: dict[str, Any]) -> dict[str, Any]:
        xp = get_array_module(param)
        return {"step": 0, "square_avg": xp.zeros_like(param), "acc_delta": xp.zeros_like(param)}

    def _update(self, param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        xp = get_array_module(param)
        state["step"] += 1
        rho, square_avg, acc_delta = group["rho"], state["square_avg"], state["acc_delta"]
        g = with_weight_decay(grad, param, group["weight_decay"])
        square_avg *= rho
        square_avg += (1 - rho) * g * g
        delta = xp.sqrt(acc_delta + group["eps"])
        delta /= xp.sqrt(square_avg + group["eps"])
        delta *= g
        acc_delta *= rho
        acc_delta += (1 - rho) * delta * delta
        param -= group["lr"] * delta
