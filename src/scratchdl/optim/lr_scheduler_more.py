"""More of torch's epoch schedulers, in closed form: warm-up (``LinearLR``,
``ConstantLR``), ``PolynomialLR``, ``CosineAnnealingWarmRestarts`` and ``SequentialLR``,
which runs one scheduler after another (a warm-up, then a decay). They are names of
``scratchdl.optim.lr_scheduler``, as in torch.

A scheduler whose epoch-0 rate is not the base rate (a warm-up) sets it when made, as
torch's does.
"""

from __future__ import annotations

import bisect
import math

from scratchdl.optim.lr_scheduler import LRScheduler, _int_at_least
from scratchdl.optim.optimizer import Optimizer, in_range, non_negative


class LinearLR(LRScheduler):
    """lr_epoch = base_lr · (s + (e − s) · min(epoch, T) / T): from ``start_factor`` s to
    ``end_factor`` e of the base rate, linearly over ``total_iters`` T epochs, then e."""

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        super().__init__(optimizer, last_epoch)
        if not 0 < start_factor <= 1 or not 0 <= end_factor <= 1:
            raise ValueError(
                f"LinearLR: start_factor must lie in (0, 1] and end_factor in [0, 1], got "
                f"{start_factor!r} and {end_factor!r}"
            )
        self.start_factor, self.end_factor = start_factor, end_factor
        self.total_iters = _int_at_least("LinearLR", "total_iters", total_iters, 1)
        self.step(self.last_epoch)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        progress = min(epoch, self.total_iters) / self.total_iters
        return base_lr * (self.start_factor + (self.end_factor - self.start_factor) * progress)


class ConstantLR(LRScheduler):
    """lr_epoch = base_lr · ``factor`` for the first ``total_iters`` epochs, then base_lr."""

    def __init__(
        self,
        optimizer: Optimizer,
        factor: float = 1.0 / 3,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        super().__init__(optimizer, last_epoch)
        self.factor = in_range(0, 1)("ConstantLR", "factor", factor)
        self.total_iters = _int_at_least("ConstantLR", "total_iters", total_iters, 0)
        self.step(self.last_epoch)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        return base_lr * (self.factor if epoch < self.total_iters else 1.0)


class PolynomialLR(LRScheduler):
    """lr_epoch = base_lr · (1 − min(epoch, T) / T)^power: down to 0 over ``total_iters`` T."""

    def __init__(
        self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1
    ) -> None:
        super().__init__(optimizer, last_epoch)
        self.total_iters = _int_at_least("PolynomialLR", "total_iters", total_iters, 1)
        self.power = non_negative("PolynomialLR", "power", power)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        return base_lr * (1 - min(epoch, self.total_iters) / self.total_iters) ** self.power


class CosineAnnealingWarmRestarts(LRScheduler):
    """SGDR: lr = η_min + (base_lr − η_min) · (1 + cos(π · T_cur / T_i)) / 2, where a cycle of
    T_i epochs starts at T_0 and grows T_mult-fold at each restart, and T_cur counts the
    epochs since the last restart."""

    def __init__(
        self,
        optimizer: Optimizer,
        T_0: int,
        T_mult: int = 1,
        eta_min: float = 0.0,
        last_epoch: int = -1,
    ) -> None:
        super().__init__(optimizer, last_epoch)
        self.T_0 = _int_at_least("CosineAnnealingWarmRestarts", "T_0", T_0, 1)
        self.T_mult = _int_at_least("CosineAnnealingWarmRestarts", "T_mult", T_mult, 1)
        self.eta_min = non_negative("CosineAnnealingWarmRestarts", "eta_min", eta_min)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        t_cur, t_i = epoch, self.T_0
        while t_cur >= t_i:  # past this cycle: the next one, T_mult times longer
            t_cur, t_i = t_cur - t_i, t_i * self.T_mult
        cosine = (1 + math.cos(math.pi * t_cur / t_i)) / 2
        return self.eta_min + (base_lr - self.eta_min) * cosine


class SequentialLR(LRScheduler):
    """``schedulers[i]`` rules from ``milestones[i − 1]`` to ``milestones[i]``, each counting
    its epochs from 0 at its start: e.g. a LinearLR warm-up for 5 epochs, then a
    CosineAnnealingLR. Its schedulers must have a closed form (``lr_at``)."""

    def __init__(
        self,
        optimizer: Optimizer,
        schedulers: list[LRScheduler],
        milestones: list[int],
        last_epoch: int = -1,
    ) -> None:
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                f"SequentialLR: expected {len(schedulers) - 1} milestones for "
                f"{len(schedulers)} schedulers, got {len(milestones)}"
            )
        for scheduler in schedulers:
            if scheduler.optimizer is not optimizer:
                raise ValueError("SequentialLR: every scheduler must drive the same optimizer")
            if type(scheduler).lr_at is LRScheduler.lr_at:
                raise NotImplementedError(
                    f"SequentialLR: {type(scheduler).__name__} has no closed form to sequence"
                )
        super().__init__(optimizer, last_epoch)
        self.schedulers, self.milestones = list(schedulers), list(milestones)
        self.step(self.last_epoch)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        index = bisect.bisect_right(self.milestones, epoch)
        start = self.milestones[index - 1] if index else 0
        return self.schedulers[index].lr_at(epoch - start, base_lr)

    def state_dict(self) -> dict:
        """Its counters and milestones: in closed form its epoch alone sets the rate (the
        schedulers it runs keep their own settings)."""
        return {k: v for k, v in super().state_dict().items() if k != "schedulers"}
