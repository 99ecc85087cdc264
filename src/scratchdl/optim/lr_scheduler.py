"""Learning-rate schedulers: change ``optimizer.lr`` as training progresses.

Call ``scheduler.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls
(``ReduceLROnPlateau.step(metric)`` with the validation loss or accuracy). The learning-rate
sequences equal PyTorch's. StepLR, ExponentialLR and CosineAnnealingLR use closed forms of
the epoch number, so two of them do not chain on one optimizer (the last one to step wins).
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
    """Base class: ``step()`` advances ``last_epoch`` and sets ``optimizer.lr`` to
    ``lr_at(last_epoch)``; epoch 0 is the optimizer's learning rate when the scheduler was
    created (``base_lr``)."""

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__}: expected an Optimizer, got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.last_epoch = 0
        self.last_lr = optimizer.lr

    def lr_at(self, epoch: int) -> float:
        """The learning rate for ``epoch`` (0 = the start)."""
        raise NotImplementedError(f"{type(self).__name__} does not define lr_at")

    def step(self) -> None:
        """Advance one epoch and set the optimizer's learning rate for it."""
        self.last_epoch += 1
        self._set_lr(self.lr_at(self.last_epoch))

    def _set_lr(self, lr: float) -> None:
        self.optimizer.lr = lr
        self.last_lr = lr

    def get_last_lr(self) -> list[float]:
        """The learning rate this scheduler last set, as a one-element list (PyTorch returns
        one per parameter group; scratchdl optimizers have one group)."""
        return [self.last_lr]

    def state_dict(self) -> dict[str, Any]:
        """Every setting and counter as plain numbers and strings (not the optimizer)."""
        return {name: value for name, value in vars(self).items() if name != "optimizer"}

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
            setattr(self, name, restore_type(current, state_dict[name]))


class StepLR(LRScheduler):
    """lr_epoch = base_lr · γ^⌊epoch / step_size⌋: multiply by γ every ``step_size`` epochs."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        super().__init__(optimizer)
        self.step_size = _int_at_least("StepLR", "step_size", step_size, 1)
        self.gamma = non_negative("StepLR", "gamma", gamma)

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """lr_epoch = base_lr · γ^epoch: multiply by γ every epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        super().__init__(optimizer)
        self.gamma = non_negative("ExponentialLR", "gamma", gamma)

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma**epoch


class CosineAnnealingLR(LRScheduler):
    """lr_epoch = η_min + (base_lr − η_min) · (1 + cos(π · epoch / T_max)) / 2.

    Falls from base_lr to η_min (``eta_min``) over ``T_max`` epochs along half a cosine,
    then (as in PyTorch) rises again over the next T_max epochs, and so on.
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0) -> None:
        super().__init__(optimizer)
        self.T_max = _int_at_least("CosineAnnealingLR", "T_max", T_max, 1)
        self.eta_min = non_negative("CosineAnnealingLR", "eta_min", eta_min)

    def lr_at(self, epoch: int) -> float:
        cosine = (1 + math.cos(math.pi * epoch / self.T_max)) / 2
        return self.eta_min + (self.base_lr - self.eta_min) * cosine


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
        min_lr: float = 0,
        eps: float = 1e-8,
    ) -> None:
        super().__init__(optimizer)
        op = "ReduceLROnPlateau"
        self.mode = _choice(op, "mode", mode, ("min", "max"))
        self.threshold_mode = _choice(op, "threshold_mode", threshold_mode, ("rel", "abs"))
        self.factor = in_range(op, "factor", factor, 0.0, 1.0, open_high=True)
        self.patience = _int_at_least(op, "patience", patience, 0)
        self.threshold = non_negative(op, "threshold", threshold)
        self.cooldown = _int_at_least(op, "cooldown", cooldown, 0)
        self.min_lr = non_negative(op, "min_lr", min_lr)
        self.eps = non_negative(op, "eps", eps)
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0

    def step(self, metric: float | Tensor) -> None:  # type: ignore[override]
        """Record this epoch's ``metric`` and reduce lr if it has plateaued."""
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
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self.last_lr = self.optimizer.lr

    def _improves_on_best(self, value: float) -> bool:
        relative = self.threshold_mode == "rel"
        if self.mode == "min":
            limit = self.best * (1 - self.threshold) if relative else self.best - self.threshold
            return value < limit
        limit = self.best * (1 + self.threshold) if relative else self.best + self.threshold
        return value > limit

    def _reduce_lr(self) -> None:
        old_lr = self.optimizer.lr
        new_lr = max(old_lr * self.factor, self.min_lr)
        if old_lr - new_lr > self.eps:
            self._set_lr(new_lr)


def _int_at_least(op: str, name: str, value: Any, smallest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < smallest:
        raise ValueError(f"{op}: {name} must be an integer >= {smallest}, got {value!r}")
    return value


def _choice(op: str, name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{op}: {name} must be one of {choices}, got {value!r}")
    return value
