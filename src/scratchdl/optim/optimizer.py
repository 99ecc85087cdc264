"""Optimizer: the base class of the update rules.

Design (simpler than PyTorch's: one parameter group):

- ``params`` is the list of parameters; every one shares the hyperparameters.
- Hyperparameters are plain attributes (``opt.lr``, ``opt.momentum``, ...), listed in the
  class's ``hyperparameter_names``. A learning-rate scheduler reads and sets ``opt.lr``.
- ``state[i]`` holds the i-th parameter's state (``{"exp_avg": array, "step": 3}``),
  created on its first update: every entry but the int ``step`` is an array shaped like the
  parameter.
- A subclass writes ``_update(param, grad, state)`` on raw arrays: it updates ``param`` in
  place (optimizers hold Parameters, modules and checkpoints hold their arrays, so the
  array must stay the same object) and never writes into ``grad`` (backward may share one
  gradient array between parameters).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from scratchdl.autograd import Tensor
from scratchdl.backend import get_array_module, to_numpy


class Optimizer:
    """Base class: holds the parameters, the hyperparameters and the per-parameter state."""

    hyperparameter_names: tuple[str, ...] = ("lr",)

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        self.params = _parameter_list(params, type(self).__name__)
        self.lr = lr
        self.state: dict[int, dict[str, Any]] = {}
        self._workspaces: dict[int, Any] = {}

    @property
    def lr(self) -> float:
        """The learning rate (a scheduler sets it between steps)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = non_negative(type(self).__name__, "lr", value)

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to None (the next backward starts afresh)."""
        for param in self.params:
            param.grad = None

    def step(self) -> None:
        """Update every parameter that has a gradient; parameters without one are skipped."""
        for index, param in enumerate(self.params):
            if param.grad is None:
                continue
            grad = param.grad.data
            if grad.dtype != param.data.dtype:
                grad = grad.astype(param.data.dtype)
            if index not in self.state:
                self.state[index] = self._init_state(param.data)
            self._update(param.data, grad, self.state[index])

    def _workspace(self, param: Any) -> Any:
        """A scratch array shaped like ``param`` for a step's intermediate results (not part
        of the state). Reusing it spares a large allocation, and the page faults of fresh
        memory, on every step."""
        work = self._workspaces.get(id(param))
        if work is None:
            work = self._workspaces[id(param)] = get_array_module(param).empty_like(param)
        return work

    def _init_state(self, param: Any) -> dict[str, Any]:
        """A parameter's state before its first update (nothing, unless overridden)."""
        return {}

    def _update(self, param: Any, grad: Any, state: dict[str, Any]) -> None:
        """Update ``param`` in place from ``grad`` (read only) and the parameter's ``state``."""
        raise NotImplementedError(f"{type(self).__name__} does not define _update")

    # ------------------------------------------------------------------ state dict
    def state_dict(self) -> dict[str, Any]:
        """``{"hyperparameters": {name: value}, "state": {index: {name: array or int}}}``,
        all copies: plain numbers, tuples and NumPy arrays, so it flattens into an npz."""
        return {
            "hyperparameters": {name: getattr(self, name) for name in self.hyperparameter_names},
            "state": {
                index: {name: _copy_value(value) for name, value in entries.items()}
                for index, entries in self.state.items()
            },
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyperparameters and state saved by ``state_dict``.

        Accepts what an npz round trip produces (string indices, 0-d arrays). Raises one
        ValueError listing every mismatch (hyperparameter names, parameter indices, array
        shapes) before changing anything.
        """
        saved = dict(state_dict["hyperparameters"])
        problems = name_problems("hyperparameter", set(self.hyperparameter_names), saved)
        new_state = {int(key): entries for key, entries in state_dict["state"].items()}
        for index, entries in new_state.items():
            problems += self._state_problems(index, entries)
        if problems:
            raise ValueError(
                f"{type(self).__name__}.load_state_dict: nothing was changed:\n  "
                + "\n  ".join(problems)
            )
        for name in self.hyperparameter_names:
            setattr(self, name, restore_type(getattr(self, name), saved[name]))
        self.state = {
            index: _restored_entries(entries, self.params[index].data)
            for index, entries in new_state.items()
        }

    def _state_problems(self, index: int, entries: dict[str, Any]) -> list[str]:
        """Why a saved state entry does not fit parameter ``index`` (an empty list if it does)."""
        if not 0 <= index < len(self.params):
            return [f"state for parameter {index}, but there are {len(self.params)} parameters"]
        shape = self.params[index].shape
        return [
            f"parameter {index} {name}: shape {np.shape(value)}, expected {shape}"
            for name, value in entries.items()
            if name != "step" and np.shape(value) != shape
        ]

    def __repr__(self) -> str:
        settings = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.hyperparameter_names)
        return f"{type(self).__name__}({len(self.params)} parameters, {settings})"


# ----------------------------------------------------------------- argument checks
def non_negative(op: str, name: str, value: Any) -> float:
    """``value`` as a float; raises ValueError naming ``op`` unless it is a number >= 0."""
    return _checked_float(op, name, value, lambda v: v >= 0, ">= 0")


def in_range(
    op: str, name: str, value: Any, low: float, high: float, *, open_high: bool = False
) -> float:
    """``value`` as a float; raises ValueError naming ``op`` unless it lies in [low, high]
    ([low, high) when ``open_high``)."""
    if open_high:
        return _checked_float(op, name, value, lambda v: low <= v < high, f"in [{low}, {high})")
    return _checked_float(op, name, value, lambda v: low <= v <= high, f"in [{low}, {high}]")


def _checked_float(
    op: str, name: str, value: Any, value_is_valid: Callable[[float], bool], expected: str
) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value_is_valid(value):
        raise ValueError(f"{op}: {name} must be a number {expected}, got {value!r}")
    return float(value)


def _parameter_list(params: Iterable[Tensor], op: str) -> list[Tensor]:
    """``params`` as a list, checked: non-empty, leaf Tensors that require grad, no repeats."""
    if isinstance(params, (Tensor, dict)):
        raise TypeError(
            f"{op}: params must be an iterable of tensors, e.g. model.parameters(), "
            f"got a {type(params).__name__}"
        )
    params = list(params)
    if not params:
        raise ValueError(f"{op}: got an empty parameter list")
    for position, param in enumerate(params):
        if not isinstance(param, Tensor) or not param.requires_grad or not param.is_leaf:
            raise TypeError(
                f"{op}: parameter {position} must be a leaf Tensor that requires grad, got "
                f"{param!r:.60}"
            )
    if len({id(param) for param in params}) != len(params):
        raise ValueError(f"{op}: a parameter appears more than once in params")
    return params


# ----------------------------------------------------------- state dict helpers
def _copy_value(value: Any) -> Any:
    """A NumPy copy of an array; numbers as they are."""
    return np.array(to_numpy(value), copy=True) if hasattr(value, "shape") else value


def _restored_entries(entries: dict[str, Any], param: Any) -> dict[str, Any]:
    """A parameter's saved state ready to use: ``step`` as an int, every other entry as an
    array of the parameter's array module and dtype."""
    xp = get_array_module(param)
    return {
        name: int(value) if name == "step" else xp.array(value, dtype=param.dtype)
        for name, value in entries.items()
    }


def restore_type(current: Any, saved: Any) -> Any:
    """``saved`` converted to the type of ``current`` (a float, bool, int, str or tuple of
    floats), undoing what an npz round trip does to it."""
    if isinstance(current, tuple):
        return tuple(float(item) for item in saved)
    return type(current)(saved)


def name_problems(kind: str, expected: set[str], saved: dict[str, Any]) -> list[str]:
    """A line for each name missing from ``saved`` or unexpected in it."""
    return [f"missing {kind}: {name}" for name in sorted(expected - saved.keys())] + [
        f"unexpected {kind}: {name}" for name in sorted(saved.keys() - expected)
    ]


def with_weight_decay(grad: Any, param: Any, weight_decay: float) -> Any:
    """g + λ·θ (L2 regularisation folded into the gradient), as a new array: ``grad`` itself
    is never written. Returns ``grad`` when λ = 0."""
    if weight_decay == 0:
        return grad
    decayed = param * weight_decay
    decayed += grad
    return decayed
