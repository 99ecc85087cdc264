"""Optimizer: the base of Keras's optimizers (learning rate, clipping, weight decay, state)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from scratchdl.autograd import Tensor
from scratchdl.backend import device_of, get_array_module, to_device, to_numpy
from scratchdl.keras.optimizers.schedules import SCHEDULES, LearningRateSchedule
from scratchdl.optim.optimizer import gradient_problem


class Optimizer:
    """Base class: the learning rate, gradient clipping, weight decay and per-weight state.

    ``learning_rate`` is a number or a schedule ``schedule(step) -> float``;
    ``iterations`` counts the steps taken. Subclasses write ``update(param, grad, state,
    lr)`` on arrays, changing ``param`` and ``state`` in place.
    """

    def __init__(
        self,
        learning_rate: float | Callable[[int], float] = 0.001,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        name: str | None = None,
    ) -> None:
        if isinstance(learning_rate, dict):  # a saved schedule
            learning_rate = _schedule_from_config(learning_rate)
        if sum(option is not None for option in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                f"{type(self).__name__}: pass at most one of clipnorm, clipvalue and "
                "global_clipnorm"
            )
        self.name = name or type(self).__name__.lower()
        self.weight_decay, self.clipnorm = weight_decay, clipnorm
        self.clipvalue, self.global_clipnorm = clipvalue, global_clipnorm
        self.param_groups: list[dict[str, Any]] = [{"params": [], "lr": 0.0}]
        self.learning_rate = learning_rate
        self.iterations = 0
        self.state: list[dict[str, Any]] = []

    # ------------------------------------------------------------- learning rate
    @property
    def learning_rate(self) -> float:
        """The learning rate of the next step (the schedule's value, with a schedule)."""
        if self._schedule is not None:
            return float(self._schedule(self.iterations))
        return self.param_groups[0]["lr"]

    @learning_rate.setter
    def learning_rate(self, value: float | Callable[[int], float]) -> None:
        self._schedule = value if callable(value) else None
        if not callable(value):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(
                    f"{type(self).__name__}: learning_rate must be a number >= 0 or a "
                    f"schedule, got {value!r}"
                )
            self.param_groups[0]["lr"] = float(value)

    lr = learning_rate  # the name scratchdl's training loop (and PyTorch) reads

    # ------------------------------------------------------------------ building
    @property
    def built(self) -> bool:
        return bool(self.param_groups[0]["params"])

    def build(self, variables: Iterable[Tensor]) -> None:
        """Attach the weights this optimizer updates and create their state."""
        variables = list(variables)
        if not variables:
            raise ValueError(f"{type(self).__name__}: the model has no trainable weights")
        self.param_groups[0]["params"] = variables
        self.state = [self.initial_state(weight.data) for weight in variables]

    def initial_state(self, param: Any) -> dict[str, Any]:
        """A weight's state before its first update (nothing, unless overridden)."""
        return {}

    # --------------------------------------------------------------------- steps
    def zero_grad(self) -> None:
        """Forget every weight's gradient."""
        for weight in self.param_groups[0]["params"]:
            weight.grad = None

    def step(self) -> None:
        """One update of every weight that has a gradient, then ``iterations`` += 1.
        Every gradient is checked first (a Tensor of its weight's shape, floating, on its
        device, as scratchdl.optim checks them): RuntimeError, and nothing changes."""
        if not self.built:
            raise RuntimeError(f"{type(self).__name__}: build(weights) before the first step")
        present = [
            (i, w) for i, w in enumerate(self.param_groups[0]["params"]) if w.grad is not None
        ]
        for index, weight in present:
            problem = gradient_problem(weight, weight.grad)
            if problem:
                raise RuntimeError(
                    f"{type(self).__name__}.step: weight {index} (shape "
                    f"{tuple(weight.shape)}): {problem}; nothing was updated"
                )
        lr = self.param_groups[0]["lr"] = self.learning_rate  # a schedule's value shows there
        grads = self.clipped([w.grad.data.astype(w.data.dtype, copy=False) for _, w in present])
        self.begin_step()
        for (index, weight), grad in zip(present, grads, strict=True):
            if self.weight_decay:
                weight.data -= weight.data * (self.weight_decay * lr)
            self.update(weight.data, grad, self.state[index], lr)
            weight.bump_version()  # changed in place, as torch.optim's step counts it
        self.iterations += 1

    def begin_step(self) -> None:
        """Called once per step before the weights are updated (nothing, unless overridden)."""

    def update(self, param: Any, grad: Any, state: dict[str, Any], lr: float) -> None:
        """Update ``param`` in place from ``grad`` (read only) and its ``state``."""
        raise NotImplementedError(f"{type(self).__name__} does not define update")

    def clipped(self, grads: list[Any]) -> list[Any]:
        """The gradients after clipping: each to norm ``clipnorm``, all together to norm
        ``global_clipnorm``, or each element to ±``clipvalue`` (unchanged when unset)."""
        if self.clipnorm:
            return [g * (self.clipnorm / max(_norm(g), self.clipnorm)) for g in grads]
        if self.global_clipnorm:
            total = math.sqrt(sum(_norm(g) ** 2 for g in grads))
            return [g * (self.global_clipnorm / max(total, self.global_clipnorm)) for g in grads]
        if self.clipvalue:
            return [get_array_module(g).clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    # -------------------------------------------------------------------- config
    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments; a schedule of keras.optimizers.schedules as
        ``{"class_name", "config"}``, another callable by its current value."""
        return {
            "name": self.name,
            "learning_rate": _serialized_learning_rate(self),
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "clipvalue": self.clipvalue,
            "global_clipnorm": self.global_clipnorm,
        }

    def state_arrays(self) -> dict[str, np.ndarray]:
        """The step count and every weight's state as named NumPy arrays ("3/momentum"):
        copies on the host, wherever the weights live."""
        arrays = {"iterations": np.array(self.iterations)}
        for index, entries in enumerate(self.state):
            arrays.update(
                {f"{index}/{name}": np.array(to_numpy(value)) for name, value in entries.items()}
            )
        return arrays

    def load_state_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        """Restore what ``state_arrays`` returned (the optimizer must be built), copying
        each array onto its weight's device; raises ValueError, changing nothing, when the
        names differ."""
        expected = set(self.state_arrays())
        if set(arrays) != expected:
            raise ValueError(
                f"{type(self).__name__}: saved state holds {sorted(arrays)}, expected "
                f"{sorted(expected)}"
            )
        for index, entries in enumerate(self.state):
            for name in entries:
                entries[name][...] = to_device(arrays[f"{index}/{name}"], device_of(entries[name]))
        self.iterations = int(arrays["iterations"])


def _norm(array: Any) -> float:
    """The Euclidean norm of an array."""
    return float(get_array_module(array).sqrt((array * array).sum()))


def _serialized_learning_rate(optimizer: Optimizer) -> float | dict[str, Any]:
    schedule = optimizer._schedule
    if type(schedule).__name__ in SCHEDULES:
        return {"class_name": type(schedule).__name__, "config": schedule.get_config()}
    return optimizer.learning_rate


def _schedule_from_config(config: dict[str, Any]) -> LearningRateSchedule:
    class_name = config.get("class_name")
    if class_name not in SCHEDULES:
        raise ValueError(f"unknown learning-rate schedule {class_name!r}")
    return SCHEDULES[class_name](**config.get("config", {}))
