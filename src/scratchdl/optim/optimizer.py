"""Optimizer: the base class of the update rules, with torch.optim's interface.

- ``param_groups``: a list of dicts, each ``{"params": [...], "lr": ..., ...}``. A group's
  hyperparameters default to ``defaults`` (the constructor's arguments); give a list of
  dicts to set some per group. A learning-rate scheduler writes ``group["lr"]``.
- ``state[p]``: the state of parameter ``p`` (``{"exp_avg": array, "step": 3}``), created
  on its first update; every entry but the int ``step`` is an array shaped like ``p``.
- ``step()`` first checks every gradient (a Tensor, the parameter's shape, a floating dtype,
  its device) and raises naming the first bad one before any parameter or state changes;
  then a subclass's ``_update(param, grad, state, group)`` changes ``param`` in place on
  raw arrays (modules and checkpoints hold the arrays, so they must stay the same objects)
  and never writes into ``grad``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import numpy as np

from scratchdl.autograd import Tensor, enable_grad
from scratchdl.backend import device_of, get_array_module, to_numpy

Check = Callable[[str, str, Any], Any]


class Optimizer:
    """Base class: the parameter groups, the per-parameter state and the step's checks.

    Subclasses pass their hyperparameters to ``__init__`` as ``defaults``, declare how to
    check them in ``checks`` (name -> check(op, name, value) returning the value), and
    define ``_init_state`` and ``_update``.
    """

    checks: ClassVar[dict[str, Check]] = {}

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        self._workspaces: dict[int, Any] = {}
        for group in _as_groups(params, type(self).__name__):
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (the defaults fill in
        the rest). Raises if a parameter is already in another group."""
        op = type(self).__name__
        params = _parameter_list(param_group["params"], op)
        taken = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in taken for p in params):
            raise ValueError(f"{op}: some parameters appear in more than one parameter group")
        group = {**self.defaults, **param_group, "params": params}
        self._check_group(group)
        self.param_groups.append(group)

    def _check_group(self, group: dict[str, Any]) -> None:
        """Check (and normalise) a group's hyperparameters with ``checks``."""
        for name, check in self.checks.items():
            group[name] = check(type(self).__name__, name, group[name])

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: to None (the next backward starts afresh), or
        to zeros in place."""
        for group in self.param_groups:
            for param in group["params"]:
                if set_to_none or param.grad is None:
                    param.grad = None
                else:
                    param.grad.data[...] = 0

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient (the others are skipped); return the
        loss ``closure`` recomputed, if one was given."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for param, grad, group in self._checked_gradients():
            state = self.state.get(param)
            if state is None:
                state = self._init_state(param.data, group)
            self._update(param.data, -grad if group.get("maximize") else grad, state, group)
            if state:  # a rule with no state (plain SGD) keeps none, as torch
                self.state[param] = state
            param.bump_version()
        return loss

    def _checked_gradients(self) -> list[tuple[Tensor, Any, dict[str, Any]]]:
        """(parameter, gradient array, group) for every parameter with a gradient, each
        gradient checked — a Tensor of the parameter's shape, floating, on its device —
        and cast to the parameter's dtype. Raises before anything changes."""
        op = type(self).__name__
        checked = []
        for index, (param, group) in enumerate(self._parameters_with_groups()):
            if param.grad is None:
                continue
            grad = param.grad
            if not isinstance(grad, Tensor):
                raise TypeError(
                    f"{op}.step: parameter {index}'s .grad is a {type(grad).__name__}, "
                    "expected a Tensor"
                )
            problem = _gradient_problem(param, grad)
            if problem:
                raise RuntimeError(
                    f"{op}.step: parameter {index} (shape {tuple(param.shape)}): {problem}; "
                    "nothing was updated"
                )
            data = grad.data if grad.dtype == param.dtype else grad.data.astype(param.dtype)
            checked.append((param, data, group))
        return checked

    def _parameters_with_groups(self) -> Iterable[tuple[Tensor, dict[str, Any]]]:
        """(parameter, its group) in the order ``state_dict`` numbers them."""
        for group in self.param_groups:
            for param in group["params"]:
                yield param, group

    def _workspace(self, param: Any) -> Any:
        """A scratch array shaped like ``param`` for a step's intermediate results (not part
        of the state). Reusing it spares a large allocation, and the page faults of fresh
        memory, on every step."""
        work = self._workspaces.get(id(param))
        if work is None or work.shape != param.shape or work.dtype != param.dtype:
            work = self._workspaces[id(param)] = get_array_module(param).empty_like(param)
        return work

    def _init_state(self, param: Any, group: dict[str, Any]) -> dict[str, Any]:
        """A parameter's state before its first update (nothing, unless overridden)."""
        return {}

    def _update(self, param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        """Update ``param`` in place from ``grad`` (read only), its ``state`` and ``group``."""
        raise NotImplementedError(f"{type(self).__name__} does not define _update")

    # ------------------------------------------------------------------ state dict
    def state_dict(self) -> dict[str, Any]:
        """torch's layout: ``{"state": {index: {name: array or int}}, "param_groups": [{...,
        "params": [index, ...]}]}``, parameters numbered across groups in order; all copies
        (NumPy arrays and plain values), so it saves to any format."""
        numbering = {id(p): i for i, (p, _) in enumerate(self._parameters_with_groups())}
        state = {
            numbering[id(param)]: {name: _copy_value(value) for name, value in entries.items()}
            for param, entries in self.state.items()
        }
        groups = [
            {**{k: v for k, v in group.items() if k != "params"},
             "params": [numbering[id(p)] for p in group["params"]]}
            for group in self.param_groups
        ]  # fmt: skip
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict`` saved (also after a round trip through a file, which
        may turn indices into strings and numbers into 0-d arrays). Raises one ValueError
        listing every mismatch (groups, parameter counts, array shapes) before changing
        anything."""
        op = type(self).__name__
        saved_groups = list(state_dict["param_groups"])
        problems = []
        if len(saved_groups) != len(self.param_groups):
            problems.append(
                f"{len(saved_groups)} parameter groups saved, {len(self.param_groups)} here"
            )
        else:
            for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups, strict=True)):
                saved_count, count = len(saved["params"]), len(group["params"])
                if saved_count != count:
                    problems.append(f"group {i} has {saved_count} parameters saved, {count} here")
        params = [p for p, _ in self._parameters_with_groups()]
        new_state = {int(key): entries for key, entries in state_dict["state"].items()}
        for index, entries in new_state.items():
            problems += _state_problems(index, entries, params)
        if problems:
            raise ValueError(
                f"{op}.load_state_dict: nothing was changed:\n  " + "\n  ".join(problems)
            )
        for saved, group in zip(saved_groups, self.param_groups, strict=True):
            for name, value in saved.items():
                if name != "params":
                    group[name] = restore_type(group.get(name, value), value)
            self._check_group(group)
        self.state = {
            params[index]: _restored_entries(entries, params[index].data)
            for index, entries in new_state.items()
        }

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [
                f"    {name}: {value}" for name, value in sorted(group.items()) if name != "params"
            ]
        return "\n".join([*lines, ")"])


# ----------------------------------------------------------------- argument checks
def non_negative(op: str, name: str, value: Any) -> float:
    """``value`` as a float; raises ValueError naming ``op`` unless it is a number >= 0
    and finite."""
    return _checked_float(op, name, value, lambda v: 0 <= v < float("inf"), ">= 0 and finite")


def in_range(low: float, high: float, *, open_high: bool = False) -> Check:
    """A check that a value is a number in [low, high] ([low, high) when ``open_high``)."""
    if open_high:
        return lambda op, name, value: _checked_float(
            op, name, value, lambda v: low <= v < high, f"in [{low}, {high})"
        )
    return lambda op, name, value: _checked_float(
        op, name, value, lambda v: low <= v <= high, f"in [{low}, {high}]"
    )


def flag(op: str, name: str, value: Any) -> bool:
    """``value`` as a bool."""
    return bool(value)


def _checked_float(
    op: str, name: str, value: Any, value_is_valid: Callable[[float], bool], expected: str
) -> float:
    if isinstance(value, Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value_is_valid(value):
        raise ValueError(f"{op}: {name} must be a number {expected}, got {value!r}")
    return float(value)


def _as_groups(params: Iterable[Any], op: str) -> list[dict[str, Any]]:
    """``params`` as a list of group dicts: an iterable of tensors is one group."""
    if isinstance(params, Tensor):
        raise TypeError(
            f"{op}: params must be an iterable of tensors (e.g. model.parameters()) or of "
            "dicts, got a Tensor"
        )
    items = list(params)
    if not items:
        raise ValueError(f"{op}: got an empty parameter list")
    if all(isinstance(item, dict) for item in items):
        return items
    return [{"params": items}]


def _parameter_list(params: Any, op: str) -> list[Tensor]:
    """A group's ``params`` as a list, checked: leaf Tensors that require grad, no repeats."""
    params = [params] if isinstance(params, Tensor) else list(params)
    for position, param in enumerate(params):
        if not isinstance(param, Tensor) or not param.is_leaf:
            raise TypeError(f"{op}: parameter {position} must be a leaf Tensor, got {param!r:.60}")
        if not param.requires_grad:
            raise ValueError(f"{op}: parameter {position} does not require grad")
    if len({id(param) for param in params}) != len(params):
        raise ValueError(f"{op}: a parameter appears more than once in params")
    return params


def _gradient_problem(param: Tensor, grad: Tensor) -> str | None:
    """Why ``grad`` cannot update ``param``, or None when it can (read from the arrays: the
    check runs for every parameter at every step)."""
    g, p = grad.data, param.data
    if g.shape != p.shape:
        return f"its gradient has shape {g.shape}, expected {p.shape}"
    if g.dtype.kind not in "fc":
        return f"its gradient has dtype {g.dtype}, expected a floating-point dtype"
    if type(g) is not type(p) or (type(g) is not np.ndarray and device_of(g) != device_of(p)):
        return f"its gradient is on {device_of(g)}, the parameter on {device_of(p)}"
    return None


# ----------------------------------------------------------- state dict helpers
def _copy_value(value: Any) -> Any:
    """A NumPy copy of an array; numbers as they are."""
    return np.array(to_numpy(value), copy=True) if hasattr(value, "shape") else value


def _state_problems(index: int, entries: dict[str, Any], params: list[Tensor]) -> list[str]:
    """Why a saved state entry does not fit parameter ``index`` (an empty list if it does)."""
    if not 0 <= index < len(params):
        return [f"state for parameter {index}, but there are {len(params)} parameters"]
    shape = tuple(params[index].shape)
    return [
        f"parameter {index} {name}: shape {np.shape(value)}, expected {shape}"
        for name, value in entries.items()
        if name != "step" and np.shape(value) != shape
    ]


def _restored_entries(entries: dict[str, Any], param: Any) -> dict[str, Any]:
    """A parameter's saved state ready to use: ``step`` as an int, every other entry as an
    array of the parameter's array module and dtype."""
    xp = get_array_module(param)
    return {
        name: int(value)
        if name == "step"
        else xp.array(to_numpy(getattr(value, "data", value)), dtype=param.dtype)
        for name, value in entries.items()
    }


def restore_type(current: Any, saved: Any) -> Any:
    """``saved`` converted to the type of ``current`` (a float, bool, int, str, None or
    tuple of floats), undoing what a round trip through a file does to it."""
    if current is None or saved is None:
        return saved
    if isinstance(current, tuple):
        return tuple(float(item) for item in saved)
    return type(current)(saved.item() if hasattr(saved, "item") else saved)


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
