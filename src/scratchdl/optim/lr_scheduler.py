"""Learning-rate schedulers: change each parameter group's ``lr`` as training progresses.

Call ``scheduler.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls
(``ReduceLROnPlateau.step(metric)`` with the validation loss or accuracy; ``OneCycleLR``
once per batch). The learning-rate sequences equal PyTorch's. The epoch schedulers use
closed forms of the epoch number, so two of them do not chain on one optimizer (the last
one to step wins).
"""

from __future__ import annotations

import math
from typing import Any

from scratchdl.autograd import Tensor
from scratchdl.optim.optimizer import (
    Optimizer,
    in_range,
    name_problems,
    non_negative,
    restore_type,
)


class LRScheduler:
    """Base class: ``step()`` advances ``last_epoch`` and sets every parameter group's lr
    to ``lr_at(last_epoch, base_lr)``; epoch 0 is the group's learning rate when the first
    scheduler was attached (``initial_lr``, kept in the group as torch does)."""

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__}: expected an Optimizer, got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = max(last_epoch, 0)
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def lr_at(self, epoch: int, base_lr: float) -> float:
        """The learning rate for ``epoch`` (0 = the start) of a group that began at
        ``base_lr``."""
        raise NotImplementedError(f"{type(self).__name__} does not define lr_at")

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or to ``epoch``) and set the groups' learning rates for it."""
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        self._set_lrs([self.lr_at(self.last_epoch, base) for base in self.base_lrs])

    def _set_lrs(self, lrs: list[float]) -> None:
        for group, lr in zip(self.optimizer.param_groups, lrs, strict=True):
            group["lr"] = lr
        self._last_lr = list(lrs)

    def get_last_lr(self) -> list[float]:
        """The learning rate this scheduler last set, one per parameter group."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """Every setting and counter as plain numbers and strings (not the optimizer nor
        functions)."""
        return {
            name: value
            for name, value in vars(self).items()
            if name != "optimizer" and not callable(value)
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict`` saved; raises ValueError listing missing or unexpected
        names before changing anything. The optimizer's lr is restored by its own
        ``load_state_dict``."""
        expected = self.state_dict()
        problems = name_problems("entry", set(expected), state_dict)
        if problems:
            raise ValueError(
                f"{type(self).__name__}.load_state_dict: nothing was changed:\n  "
                + "\n  ".join(problems)
            )
        for name, current in expected.items():
            setattr(self, name, _restored(current, state_dict[name]))


def _restored(current: Any, saved: Any) -> Any:
    """A saved setting in the type it had (lists element by element)."""
    if isinstance(current, list):
        return [restore_type(c, v) for c, v in zip(current, saved, strict=True)]
    return restore_type(current, saved)


class StepLR(LRScheduler):
    """lr_epoch = base_lr · γ^⌊epoch / step_size⌋: multiply by γ every ``step_size`` epochs."""

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        super().__init__(optimizer, last_epoch)
        self.step_size = _int_at_least("StepLR", "step_size", step_size, 1)
        self.gamma = non_negative("StepLR", "gamma", gamma)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        return base_lr * self.gamma ** (epoch // self.step_size)


class MultiStepLR(LRScheduler):
    """lr_epoch = base_lr · γ^(number of milestones ≤ epoch): multiply by γ at each
    milestone epoch."""

    def __init__(
        self, optimizer: Optimizer, milestones: list[int], gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        super().__init__(optimizer, last_epoch)
        self.milestones = sorted(
            _int_at_least("MultiStepLR", "milestone", m, 0) for m in milestones
        )
        self.gamma = non_negative("MultiStepLR", "gamma", gamma)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        return base_lr * self.gamma ** sum(1 for m in self.milestones if m <= epoch)


class LambdaLR(LRScheduler):
    """lr_epoch = base_lr · lr_lambda(epoch) (one function, or one per group)."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Any, last_epoch: int = -1) -> None:
        super().__init__(optimizer, last_epoch)
        groups = len(optimizer.param_groups)
        self.lr_lambdas = (
            list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) else [lr_lambda] * groups
        )
        if len(self.lr_lambdas) != groups:
            raise ValueError(f"LambdaLR: {len(self.lr_lambdas)} functions for {groups} groups")

    def step(self, epoch: int | None = None) -> None:
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        self._set_lrs(
            [
                base * f(self.last_epoch)
                for base, f in zip(self.base_lrs, self.lr_lambdas, strict=True)
            ]
        )

    def state_dict(self) -> dict[str, Any]:
        return {name: value for name, value in super().state_dict().items() if name != "lr_lambdas"}


class ExponentialLR(LRScheduler):
    """lr_epoch = base_lr · γ^epoch: multiply by γ every epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        super().__init__(optimizer, last_epoch)
        self.gamma = non_negative("ExponentialLR", "gamma", gamma)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        return base_lr * self.gamma**epoch


class CosineAnnealingLR(LRScheduler):
    """lr_epoch = η_min + (base_lr − η_min) · (1 + cos(π · epoch / T_max)) / 2.

    Falls from base_lr to η_min (``eta_min``) over ``T_max`` epochs along half a cosine,
    then (as in PyTorch) rises again over the next T_max epochs, and so on.
    """

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0, last_epoch: int = -1
    ) -> None:
        super().__init__(optimizer, last_epoch)
        self.T_max = _int_at_least("CosineAnnealingLR", "T_max", T_max, 1)
        self.eta_min = non_negative("CosineAnnealingLR", "eta_min", eta_min)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        cosine = (1 + math.cos(math.pi * epoch / self.T_max)) / 2
        return self.eta_min + (base_lr - self.eta_min) * cosine


class ReduceLROnPlateau(LRScheduler):
    """Multiply lr by ``factor`` when a metric has stopped improving (PyTorch's rule).

    ``step(metric)`` once per epoch. The metric improves when it beats the best so far by
    more than ``threshold`` ('rel': below best·(1 − threshold) in 'min' mode, above
    best·(1 + threshold) in 'max' mode; 'abs': below best − threshold / above best +
    threshold). After more than ``patience`` epochs without improvement,
    lr ← max(lr·factor, min_lr) (skipped when that changes lr by less than ``eps``), then
    ``cooldown`` epochs pass during which bad epochs are not counted.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float | list[float] = 0,
        eps: float = 1e-8,
    ) -> None:
        super().__init__(optimizer)
        op = "ReduceLROnPlateau"
        self.mode = _choice(op, "mode", mode, ("min", "max"))
        self.threshold_mode = _choice(op, "threshold_mode", threshold_mode, ("rel", "abs"))
        self.factor = in_range(0.0, 1.0, open_high=True)(op, "factor", factor)
        self.patience = _int_at_least(op, "patience", patience, 0)
        self.threshold = non_negative(op, "threshold", threshold)
        self.cooldown = _int_at_least(op, "cooldown", cooldown, 0)
        groups = len(optimizer.param_groups)
        min_lrs = list(min_lr) if isinstance(min_lr, (list, tuple)) else [min_lr] * groups
        self.min_lrs = [non_negative(op, "min_lr", value) for value in min_lrs]
        self.eps = non_negative(op, "eps", eps)
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0

    def step(self, metrics: float | Tensor, epoch: int | None = None) -> None:  # type: ignore[override]
        """Record this epoch's metric and reduce lr if it has plateaued."""
        metric = metrics
        value = float(metric.item() if isinstance(metric, Tensor) else metric)
        self.last_epoch += 1
        if self._improves_on_best(value):
            self.best = value
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            self._reduce_lrs()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _improves_on_best(self, value: float) -> bool:
        relative = self.threshold_mode == "rel"
        if self.mode == "min":
            limit = self.best * (1 - self.threshold) if relative else self.best - self.threshold
            return value < limit
        limit = self.best * (1 + self.threshold) if relative else self.best + self.threshold
        return value > limit

    def _reduce_lrs(self) -> None:
        for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs, strict=True):
            new_lr = max(group["lr"] * self.factor, min_lr)
            if group["lr"] - new_lr > self.eps:
                group["lr"] = new_lr


def _int_at_least(op: str, name: str, value: Any, smallest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < smallest:
        raise ValueError(f"{op}: {name} must be an integer >= {smallest}, got {value!r}")
    return value


def _choice(op: str, name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{op}: {name} must be one of {choices}, got {value!r}")
    return value


class OneCycleLR(LRScheduler):
    """The 1cycle policy (Smith & Topin), stepped once per batch: lr rises from
    max_lr/div_factor to ``max_lr`` over the first ``pct_start`` of ``total_steps``, then
    falls to initial_lr/final_div_factor, along cosines (``anneal_strategy='cos'``) or
    lines; the momentum (or Adam's β₁) moves the other way between ``max_momentum`` and
    ``base_momentum``. ``three_phase`` falls back to the initial lr before the final
    descent. PyTorch's schedule, step for step."""

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float = 0.85,
        max_momentum: float = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        op = "OneCycleLR"
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                raise ValueError(f"{op}: give total_steps, or epochs and steps_per_epoch")
            total_steps = epochs * steps_per_epoch
        self.total_steps = _int_at_least(op, "total_steps", total_steps, 1)
        self.anneal_strategy = _choice(op, "anneal_strategy", anneal_strategy, ("cos", "linear"))
        self.cycle_momentum = bool(cycle_momentum)
        groups = optimizer.param_groups
        max_lrs = list(max_lr) if isinstance(max_lr, (list, tuple)) else [max_lr] * len(groups)
        for group, peak in zip(groups, max_lrs, strict=True):
            group["initial_lr"] = peak / div_factor
            group["max_lr"] = peak
            group["min_lr"] = group["initial_lr"] / final_div_factor
            if self.cycle_momentum:
                group["max_momentum"], group["base_momentum"] = max_momentum, base_momentum
        self.phases = _one_cycle_phases(self.total_steps, pct_start, three_phase)
        super().__init__(optimizer, last_epoch)
        self._apply(self.last_epoch)

    def step(self, epoch: int | None = None) -> None:
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        if self.last_epoch >= self.total_steps:
            raise ValueError(
                f"OneCycleLR: stepped {self.last_epoch + 1} times, but total_steps is "
                f"{self.total_steps}"
            )
        self._apply(self.last_epoch)

    def _apply(self, step: int) -> None:
        """Set every group's lr (and momentum) for ``step``."""
        for group in self.optimizer.param_groups:
            (lr_from, lr_to), (m_from, m_to), pct = self._phase_at(step, group)
            group["lr"] = self._anneal(lr_from, lr_to, pct)
            if self.cycle_momentum:
                momentum = self._anneal(m_from, m_to, pct)
                if "betas" in group:
                    group["betas"] = (momentum, group["betas"][1])
                else:
                    group["momentum"] = momentum
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _phase_at(self, step: int, group: dict[str, Any]) -> tuple[Any, Any, float]:
        """((lr from, lr to), (momentum from, momentum to), fraction of the phase done)."""
        start = 0
        for index, (end, lr_names, momentum_names) in enumerate(self.phases):
            if step <= end or index == len(self.phases) - 1:
                pct = (step - start) / (end - start) if end > start else 1.0
                lrs = (group[lr_names[0]], group[lr_names[1]])
                momenta = tuple(group.get(name) for name in momentum_names)
                return lrs, momenta, pct
            start = end
        raise AssertionError("unreachable: the last phase always matches")

    def _anneal(self, start: Any, end: Any, pct: float) -> Any:
        if start is None:
            return None
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start


def _one_cycle_phases(total: int, pct_start: float, three_phase: bool) -> list[tuple[Any, ...]]:
    """(end step, (lr from, lr to), (momentum from, momentum to)) for each phase, with the
    group keys that hold those values, as torch lays them out."""
    if not 0 <= pct_start <= 1:
        raise ValueError(f"OneCycleLR: pct_start must lie in [0, 1], got {pct_start!r}")
    rise = float(pct_start * total) - 1
    if three_phase:
        return [
            (rise, ("initial_lr", "max_lr"), ("max_momentum", "base_momentum")),
            (2 * rise, ("max_lr", "initial_lr"), ("base_momentum", "max_momentum")),
            (total - 1, ("initial_lr", "min_lr"), ("max_momentum", "max_momentum")),
        ]
    return [
        (rise, ("initial_lr", "max_lr"), ("max_momentum", "base_momentum")),
        (total - 1, ("max_lr", "min_lr"), ("base_momentum", "max_momentum")),
    ]


# torch.optim.lr_scheduler's other names; lr_scheduler_more builds on this module, so last.
from scratchdl.optim.lr_scheduler_more import (  # noqa: E402, F401
    ConstantLR,
    CosineAnnealingWarmRestarts,
    LinearLR,
    PolynomialLR,
    SequentialLR,
)
