"""Module: the base class of layers and networks.

A Module registers what is assigned to its attributes: a Parameter becomes one of its
parameters, a Module one of its children, and ``register_buffer`` adds arrays that are
state but not learned (BatchNorm's running statistics). Registration keeps assignment order,
which fixes the order of ``parameters()`` and of the ``state_dict()`` names
(``fc1.weight``, ``0.bias``, ... as in PyTorch).

    class TwoLayerNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 100)
            self.fc2 = nn.Linear(100, 10)

        def forward(self, x):
            return self.fc2(F.relu(self.fc1(x)))
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from scratchdl.autograd import Tensor
from scratchdl.backend import ARRAY_TYPES, get_array_module, to_numpy
from scratchdl.nn.parameter import Parameter

_REGISTRIES = ("_parameters", "_modules", "_buffers")


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` skipped: names the model has but the state
    lacks, and names the state has but the model lacks."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class Module:
    """Base class of everything with parameters; subclasses define ``forward``.

    Attributes:
        training: True in training mode (Dropout drops, BatchNorm uses batch statistics),
            False after ``eval()``.
    """

    training: bool

    def __init__(self) -> None:
        # Registered objects also live in __dict__, so reading self.weight is a plain lookup.
        for registry in _REGISTRIES:
            object.__setattr__(self, registry, {})
        object.__setattr__(self, "training", True)

    # ---------------------------------------------------------------- registration
    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}: call super().__init__() in __init__ before "
                f"assigning attributes (assigning {name!r})"
            )
        _check_replacement(self, name, value)
        registry = _registry_for(value)
        if registry is None and name in self._buffers and value is not None:
            value = _as_buffer(value, name)  # a new array for a buffer replaces it
            registry = "_buffers"
        for other in _REGISTRIES:
            if other != registry:  # the value's own registry keeps the name's position
                self.__dict__[other].pop(name, None)
        if registry is not None:
            self.__dict__[registry][name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        for registry in _REGISTRIES:
            self.__dict__[registry].pop(name, None)
        object.__delattr__(self, name)

    def register_buffer(self, name: str, array: Any) -> None:
        """Register ``array`` as state that is saved in ``state_dict`` but not learned.

        Read it back as ``self.<name>``; assigning a new array to that name replaces it.
        Raises ValueError if ``name`` is already a parameter or submodule or contains a dot.
        """
        if name in self._parameters or name in self._modules or "." in name:
            raise ValueError(
                f"register_buffer: {type(self).__name__} cannot take a buffer named {name!r}: "
                "it is already a parameter or submodule, or it contains a dot"
            )
        self._buffers[name] = _as_buffer(array, name)
        object.__setattr__(self, name, self._buffers[name])

    # ------------------------------------------------------------------- calling
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation; every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # ------------------------------------------------------------------ traversal
    def _walk(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for self and every descendant, depth first; a module
        reachable by two paths is visited twice."""
        yield prefix, self
        for name, child in self._modules.items():
            yield from child._walk(_join(prefix, name))

    def named_modules(self) -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for self (named "") and every descendant, once each."""
        seen: set[int] = set()
        for name, module in self._walk():
            if id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def modules(self) -> Iterator[Module]:
        """Self and every descendant module, once each."""
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for the direct submodules."""
        yield from self._modules.items()

    def children(self) -> Iterator[Module]:
        """The direct submodules."""
        yield from self._modules.values()

    def _named_members(self, registry: str, recurse: bool) -> Iterator[tuple[str, Any]]:
        """(dotted name, object) from one registry of self (and descendants), once each."""
        owners = self.named_modules() if recurse else [("", self)]
        seen: set[int] = set()
        for prefix, module in owners:
            for name, member in module.__dict__[registry].items():
                if id(member) not in seen:
                    seen.add(id(member))
                    yield _join(prefix, name), member

    def named_parameters(self, recurse: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) pairs in registration order; a shared parameter once."""
        return self._named_members("_parameters", recurse)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """The parameters, as ``named_parameters`` orders them (pass them to an optimizer)."""
        for _, parameter in self.named_parameters(recurse):
            yield parameter

    def named_buffers(self, recurse: bool = True) -> Iterator[tuple[str, Any]]:
        """(dotted name, array) pairs for the registered buffers."""
        return self._named_members("_buffers", recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Any]:
        """The registered buffer arrays."""
        for _, buffer in self.named_buffers(recurse):
            yield buffer

    def num_parameters(self) -> int:
        """The number of learned scalars (a shared parameter counts once)."""
        return sum(parameter.size for parameter in self.parameters())

    # -------------------------------------------------------------------- modes
    def train(self, mode: bool = True) -> Module:
        """Set training mode on self and every descendant; return self."""
        if not isinstance(mode, bool):
            raise TypeError(f"train: mode must be True or False, got {mode!r}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode (``train(False)``); return self."""
        return self.train(False)

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to None."""
        for parameter in self.parameters():
            parameter.grad = None

    def to(self, dtype: Any) -> Module:
        """Cast the floating-point parameters (and their gradients) and buffers to ``dtype``
        in place; return self. Create optimizers after this: their state keeps the old
        dtype."""
        for parameter in self.parameters():
            parameter.data = parameter.data.astype(dtype)
            if parameter.grad is not None:
                parameter.grad = Tensor(parameter.grad.data.astype(dtype))
        for module in self.modules():
            for name, buffer in list(module._buffers.items()):
                if buffer.dtype.kind == "f":
                    setattr(module, name, buffer.astype(dtype))
        return self

    # ---------------------------------------------------------------- state dict
    def _state_arrays(self) -> Iterator[tuple[str, Any]]:
        """(dotted name, live array) for each parameter then buffer of each module, as in
        PyTorch's state_dict; a module reachable by two paths appears under both."""
        for prefix, module in self._walk():
            for name, parameter in module._parameters.items():
                yield _join(prefix, name), parameter.data
            for name, buffer in module._buffers.items():
                yield _join(prefix, name), buffer

    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Dotted name -> a NumPy copy of every parameter and buffer (``fc1.weight``)."""
        return OrderedDict(
            (name, np.array(to_numpy(array), copy=True)) for name, array in self._state_arrays()
        )

    def load_state_dict(self, state: Mapping[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy ``state``'s arrays into the existing parameters and buffers, in place.

        Values are cast to each parameter's dtype; the arrays keep their identity, so an
        optimizer built on these parameters stays valid. Every problem (a missing or
        unexpected name when ``strict``, a shape mismatch, a non-numeric value) is listed in
        one ValueError raised before anything changes. Returns the missing and unexpected
        names (both empty when ``strict``).
        """
        targets = dict(self._state_arrays())
        values = {name: to_numpy(value) for name, value in state.items() if name in targets}
        missing = [name for name in targets if name not in state]
        unexpected = [name for name in state if name not in targets]
        problems = [
            f"{name}: the state has shape {value.shape} but the model has {targets[name].shape}"
            for name, value in values.items()
            if value.shape != targets[name].shape
        ]
        problems += [
            f"{name}: the state holds {value.dtype} data, expected numbers"
            for name, value in values.items()
            if value.dtype.kind not in "biuf"
        ]
        if strict:
            problems += [f"missing: {name}" for name in missing]
            problems += [f"unexpected: {name}" for name in unexpected]
        if problems:
            raise ValueError(
                f"load_state_dict: cannot load into {type(self).__name__}; nothing was "
                "changed:\n  " + "\n  ".join(problems)
            )
        for name, value in values.items():
            target = targets[name]
            target[...] = get_array_module(target).asarray(value)
        return IncompatibleKeys(missing, unexpected)

    # ---------------------------------------------------------------------- repr
    def extra_repr(self) -> str:
        """The text between the parentheses of this module's repr (its settings)."""
        return ""

    def __repr__(self) -> str:
        if not self._modules:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        if self.extra_repr():
            lines.append("  " + self.extra_repr())
        for name, child in self._modules.items():
            child_text = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {child_text}")
        lines.append(")")
        return "\n".join(lines)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _registry_for(value: Any) -> str | None:
    """The registry an assigned value joins: parameters, submodules, or none."""
    if isinstance(value, Parameter):
        return "_parameters"
    if isinstance(value, Module):
        return "_modules"
    return None


def _as_buffer(array: Any, name: str) -> Any:
    """A buffer's array: arrays are kept as they are (no copy), Tensors give their data."""
    if isinstance(array, Tensor):
        return array.data
    if isinstance(array, ARRAY_TYPES):
        return array
    raise TypeError(f"register_buffer: {name!r} must be an array, got {type(array).__name__}")


def _check_replacement(module: Module, name: str, value: Any) -> None:
    """A registered parameter or submodule may only be replaced by its kind or by None."""
    for registry, kind in (("_parameters", Parameter), ("_modules", Module)):
        if name in module.__dict__[registry] and not (value is None or isinstance(value, kind)):
            raise TypeError(
                f"{type(module).__name__}: cannot assign {type(value).__name__} to "
                f"{name!r}, which is a {kind.__name__} (expected a {kind.__name__} or None)"
            )
