"""Adam and AdamW: momentum plus RMSprop-style scaling, with bias correction."""

from __future__ import annotations

import math
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


class Adam(Optimizer):
    """Adam, PyTorch's update rule (``torch.optim.Adam``).

    With betas (β₁, β₂), weight decay λ and step t = 1, 2, ...:

        g ← ∇θ + λ·θ                            (L2 penalty; AdamW decouples it instead)
        m ← β₁·m + (1 − β₁)·g                   (state "exp_avg", starts at 0)
        v ← β₂·v + (1 − β₂)·g ⊙ g               (state "exp_avg_sq", starts at 0)
        v̂ ← max(v̂, v) if amsgrad else v         (state "max_exp_avg_sq")
        θ ← θ − lr/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)

    The book folds both corrections into the learning rate,
    θ ← θ − lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε), which puts ε on the uncorrected √v;
    PyTorch's placement, followed here, adds ε after the correction.
    """

    checks: ClassVar[dict[str, Check]] = {
        "lr": non_negative,
        "betas": lambda op, name, betas: _betas(op, betas),
        "eps": non_negative,
        "weight_decay": non_negative,
        "amsgrad": flag,
        "maximize": flag,
        "decoupled_weight_decay": flag,
    }

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                "capturable": capturable, "differentiable": differentiable, "fused": fused,
                "decoupled_weight_decay": decoupled_weight_decay,
            },
        )  # fmt: skip

    def _init_state(self, param: Any, group: dict[str, Any]) -> dict[str, Any]:
        zeros_like = get_array_module(param).zeros_like
        state = {"step": 0, "exp_avg": zeros_like(param), "exp_avg_sq": zeros_like(param)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = zeros_like(param)
        return state

    def _apply_weight_decay(self, param: Any, grad: Any, group: dict[str, Any]) -> Any:
        """Return the gradient Adam uses: g + λ·θ, the L2 penalty's gradient added; or,
        with ``decoupled_weight_decay`` (AdamW), shrink θ in place by the factor 1 − lr·λ
        and return g unchanged."""
        if group["decoupled_weight_decay"]:
            param *= 1 - group["lr"] * group["weight_decay"]
            return grad
        return with_weight_decay(grad, param, group["weight_decay"])

    def _update(self, param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        xp = get_array_module(param)
        (beta1, beta2), exp_avg, exp_avg_sq = group["betas"], state["exp_avg"], state["exp_avg_sq"]
        state["step"] += 1
        t = state["step"]
        moments = [array for name, array in state.items() if name != "step"]
        if kernels.usable(param, grad, *moments, contiguous=True):  # one pass (kernels/optim.py)
            _compiled_update(param, grad, state, group)
            return
        g = self._apply_weight_decay(param, grad, group)
        work = self._workspace(param)  # in-place steps: no temporary arrays
        exp_avg *= beta1  # m ← β₁·m + (1 − β₁)·g
        exp_avg += xp.multiply(g, 1 - beta1, out=work)
        exp_avg_sq *= beta2  # v ← β₂·v + (1 − β₂)·g²
        work = xp.multiply(g, g, out=work)
        work *= 1 - beta2
        exp_avg_sq += work
        if group["amsgrad"]:
            xp.maximum(state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"])
            exp_avg_sq = state["max_exp_avg_sq"]
        # θ ← θ − lr/(1 − β₁ᵗ) · m / (√v̂ / √c + ε), c = 1 − β₂ᵗ, taken as the equal
        # θ ← θ − lr·√c/(1 − β₁ᵗ) · m / (√v̂ + ε·√c): one pass over the arrays fewer.
        root_c = math.sqrt(1 - beta2**t)
        denominator = xp.sqrt(exp_avg_sq, out=work)
        denominator += group["eps"] * root_c
        step = xp.divide(exp_avg, denominator, out=work)
        step *= group["lr"] * root_c / (1 - beta1**t)
        param -= step


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay, PyTorch's rule (``torch.optim.AdamW``).

    Before Adam's update (with λ = 0 inside it), the parameter decays directly:

        θ ← θ − lr·λ·θ

    so the decay is not rescaled by Adam's per-element step sizes, unlike the L2 penalty.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
        amsgrad: bool = False,
        **options: Any,
    ) -> None:
        options.setdefault("decoupled_weight_decay", True)
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, **options)


def _compiled_update(param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
    """Adam._update by the compiled kernel, its scalars computed as _update computes them
    (in Python floats) and rounded once to the arrays' dtype; flat views of the arrays (a
    stand-in for max_exp_avg_sq without amsgrad, never read)."""
    (beta1, beta2), t, lr = group["betas"], state["step"], group["lr"]
    weight_decay, root_c = group["weight_decay"], math.sqrt(1 - beta2**t)
    hyper = get_array_module(param).array(
        [beta1, 1 - beta1, beta2, 1 - beta2, weight_decay, 1 - lr * weight_decay,
         group["eps"] * root_c, lr * root_c / (1 - beta1**t)],
        dtype=param.dtype,
    )  # fmt: skip
    flat = [param, grad, state["exp_avg"], state["exp_avg_sq"], state.get("max_exp_avg_sq", param)]
    kernels.module("optim").adam(
        *[array.reshape(-1) for array in flat],
        hyper, group["amsgrad"], group["decoupled_weight_decay"],
    )  # fmt: skip


def _betas(op: str, betas: Any) -> tuple[float, float]:
    """(β₁, β₂), each in [0, 1)."""
    if len(betas) != 2:
        raise ValueError(f"{op}: betas must be a pair (beta1, beta2), got {betas!r}")
    check = in_range(0.0, 1.0, open_high=True)
    return (check(op, "betas[0]", betas[0]), check(op, "betas[1]", betas[1]))
