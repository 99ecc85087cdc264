"""Module: the base class of layers and networks, with torch.nn.Module's interface.

A Module registers what is assigned to its attributes: a Parameter becomes one of its
parameters, a Module one of its children, and ``register_buffer`` adds tensors that are
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
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple, TypeVar

from scratchdl.autograd import Tensor, no_grad, wrap
from scratchdl.autograd.tensor import RemovableHandle
from scratchdl.autograd.tensor_ops import to_arguments
from scratchdl.backend import ARRAY_TYPES, get_array_module, to_device
from scratchdl.nn.parameter import Parameter

_REGISTRIES = ("_parameters", "_modules", "_buffers")
M = TypeVar("M", bound="Module")


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict`` found: names the model has but the state lacks, and names
    the state has but the model lacks."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"IncompatibleKeys(missing_keys={self.missing_keys}, "
            f"unexpected_keys={self.unexpected_keys})"
        )


class Module:
    """Base class of everything with parameters; subclasses define ``forward``.

    Attributes:
        training: True in training mode (Dropout drops, BatchNorm uses batch statistics),
            False after ``eval()``.
    """

    training: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Registered objects also live in __dict__, so reading self.weight is a plain lookup.
        for registry in _REGISTRIES:
            object.__setattr__(self, registry, {})
        object.__setattr__(self, "_forward_hooks", {})
        object.__setattr__(self, "_forward_pre_hooks", {})
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
        if registry is None and name in self._buffers:
            value = None if value is None else _as_buffer(value, name)  # replaces the buffer
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

    def register_buffer(self, name: str, tensor: Any, persistent: bool = True) -> None:
        """Register ``tensor`` as state that is saved in ``state_dict`` but not learned.

        Read it back as ``self.<name>``; assigning a new tensor to that name replaces it.
        Raises KeyError if ``name`` is already a parameter or submodule or contains a dot.
        """
        if name in self._parameters or name in self._modules or "." in name or not name:
            raise KeyError(
                f"register_buffer: {type(self).__name__} cannot take a buffer named {name!r}: "
                "it is empty, contains a dot, or is already a parameter or submodule"
            )
        self._buffers[name] = None if tensor is None else _as_buffer(tensor, name)
        object.__setattr__(self, name, self._buffers[name])

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (or None) under ``name``, as assigning it would."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"register_parameter: {name!r} must be a Parameter or None, got "
                f"{type(param).__name__}"
            )
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as a child named ``name`` (``register_module`` too)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: {name!r} must be a Module, got {type(module).__name__}")
        self._modules[name] = module
        object.__setattr__(self, name, module)

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        """The descendant at dotted path ``target`` ("" is self)."""
        module = self
        for name in target.split(".") if target else []:
            if name not in module._modules:
                raise AttributeError(
                    f"get_submodule: {type(module).__name__} has no submodule {name!r}"
                )
            module = module._modules[name]
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at dotted path ``target`` ("fc1.weight")."""
        path, _, name = target.rpartition(".")
        module = self.get_submodule(path)
        if name not in module._parameters:
            raise AttributeError(
                f"get_parameter: {type(module).__name__} has no parameter {name!r}"
            )
        return module._parameters[name]

    # ------------------------------------------------------------------- calling
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation; every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not (self._forward_hooks or self._forward_pre_hooks):
            return self.forward(*args, **kwargs)
        for hook in list(self._forward_pre_hooks.values()):
            changed = hook(self, args)
            if changed is not None:
                args = changed if isinstance(changed, tuple) else (changed,)
        output = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            changed = hook(self, args, output)
            if changed is not None:
                output = changed
        return output

    def register_forward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, inputs, output)`` after every forward; a result that is not
        None replaces the output. Returns a handle whose ``remove()`` unregisters it."""
        return RemovableHandle(self._forward_hooks, hook)

    def register_forward_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, inputs)`` before every forward; a result that is not None
        replaces the inputs."""
        return RemovableHandle(self._forward_pre_hooks, hook)

    # ------------------------------------------------------------------ traversal
    def _walk(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for self and every descendant, depth first; a module
        reachable by two paths is visited twice."""
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child._walk(_join(prefix, name))

    def named_modules(
        self, memo: set[int] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for self (named ``prefix``) and every descendant, once
        each (unless ``remove_duplicate`` is False)."""
        seen: set[int] = set() if memo is None else memo
        for name, module in self._walk(prefix):
            if not remove_duplicate or id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def modules(self) -> Iterator[Module]:
        """Self and every descendant module, once each."""
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for the direct submodules."""
        yield from ((name, child) for name, child in self._modules.items() if child is not None)

    def children(self) -> Iterator[Module]:
        """The direct submodules."""
        for _, child in self.named_children():
            yield child

    def _named_members(
        self, registry: str, prefix: str, recurse: bool
    ) -> Iterator[tuple[str, Any]]:
        """(dotted name, object) from one registry of self (and descendants), once each."""
        owners = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        seen: set[int] = set()
        for owner_prefix, module in owners:
            for name, member in module.__dict__[registry].items():
                if member is not None and id(member) not in seen:
                    seen.add(id(member))
                    yield _join(owner_prefix, name), member

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) pairs in registration order; a shared parameter once."""
        return self._named_members("_parameters", prefix, recurse)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """The parameters, as ``named_parameters`` orders them (pass them to an optimizer)."""
        for _, parameter in self.named_parameters(recurse=recurse):
            yield parameter

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, tensor) pairs for the registered buffers."""
        return self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """The registered buffers."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def num_parameters(self) -> int:
        """The number of learned scalars (a shared parameter counts once)."""
        return sum(parameter.numel() for parameter in self.parameters())

    # -------------------------------------------------------------------- modes
    def train(self: M, mode: bool = True) -> M:
        """Set training mode on self and every descendant; return self."""
        if not isinstance(mode, bool):
            raise TypeError(f"train: mode must be True or False, got {mode!r}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self: M) -> M:
        """Set evaluation mode (``train(False)``); return self."""
        return self.train(False)

    def requires_grad_(self: M, requires_grad: bool = True) -> M:
        """Set ``requires_grad`` of every parameter (to freeze layers); return self."""
        for parameter in self.parameters():
            parameter.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: to None (the default), or to zeros."""
        for parameter in self.parameters():
            if set_to_none or parameter.grad is None:
                parameter.grad = None
            else:
                parameter.grad = wrap(get_array_module(parameter.data).zeros_like(parameter.data))

    def apply(self: M, fn: Callable[[Module], Any]) -> M:
        """Call ``fn`` on every submodule (children first) and then on self; return self
        (``model.apply(init_weights)``)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------ device and dtype
    def to(self: M, *args: Any, **kwargs: Any) -> M:
        """Move (``"cuda"``, ``device``) and/or cast (``sd.float64``) the parameters,
        their gradients and the floating buffers, in place; return self. The tensors stay
        the same objects, so an optimizer built before keeps working (its state follows on
        its next step)."""
        target_device, target_dtype = to_arguments(args, kwargs)
        with no_grad():
            for tensor in [*self.parameters(), *self.buffers()]:
                tensor.data = _converted(tensor.data, target_device, target_dtype)
                if tensor.grad is not None:
                    tensor.grad = wrap(_converted(tensor.grad.data, target_device, target_dtype))
        return self

    def cuda(self: M, device: Any = None) -> M:
        """Move everything to a CUDA GPU (``device``: its index, default 0)."""
        return self.to(f"cuda:{device or 0}" if not isinstance(device, str) else device)

    def cpu(self: M) -> M:
        """Move everything to the CPU."""
        return self.to("cpu")

    def float(self: M) -> M:
        """Cast floating parameters and buffers to float32."""
        return self.to("float32")

    def double(self: M) -> M:
        """Cast floating parameters and buffers to float64."""
        return self.to("float64")

    def half(self: M) -> M:
        """Cast floating parameters and buffers to float16."""
        return self.to("float16")

    def type(self: M, dst_type: Any) -> M:
        """Cast floating parameters and buffers to ``dst_type``."""
        return self.to(dst_type)

    # ---------------------------------------------------------------- state dict
    def _state_tensors(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        """(dotted name, live tensor) for each parameter then buffer of each module, as in
        PyTorch's state_dict; a module reachable by two paths appears under both."""
        for module_prefix, module in self._walk(prefix):
            for name, parameter in module._parameters.items():
                if parameter is not None:
                    yield _join(module_prefix, name), parameter
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    yield _join(module_prefix, name), buffer

    def state_dict(
        self, *, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict[str, Tensor]:
        """Dotted name -> tensor, for every parameter and buffer (``fc1.weight``), as torch:
        the tensors share memory with the model (detached, unless ``keep_vars``), so copy
        them (``copy.deepcopy``) to keep a snapshot while training goes on."""
        state = OrderedDict() if destination is None else destination
        for name, tensor in self._state_tensors(prefix):
            state[name] = tensor if keep_vars else tensor.detach()
        return state

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
    ) -> IncompatibleKeys:
        """Copy ``state_dict``'s values (tensors or arrays) into the existing parameters and
        buffers, in place.

        Values are cast to each tensor's dtype and device; the tensors keep their identity,
        so an optimizer built on these parameters stays valid. Every problem (a missing or
        unexpected name when ``strict``, a shape mismatch, a non-numeric value) is listed in
        one RuntimeError raised before anything changes. Returns the missing and unexpected
        names.
        """
        targets = dict(self._state_tensors())
        values = {name: _array(value) for name, value in state_dict.items() if name in targets}
        missing = [name for name in targets if name not in state_dict]
        unexpected = [name for name in state_dict if name not in targets]
        problems = [
            f"size mismatch for {name}: the state has shape {tuple(value.shape)}, the model "
            f"{tuple(targets[name].shape)}"
            for name, value in values.items()
            if tuple(value.shape) != tuple(targets[name].shape)
        ]
        problems += [
            f"{name}: the state holds {value.dtype} data, expected numbers"
            for name, value in values.items()
            if value.dtype.kind not in "biuf"
        ]
        if strict:
            problems += [f"missing key: {name}" for name in missing]
            problems += [f"unexpected key: {name}" for name in unexpected]
        if problems:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__} (nothing was "
                "changed):\n  " + "\n  ".join(problems)
            )
        with no_grad():
            for name, value in values.items():
                target = targets[name]
                target.data[...] = to_device(value, target.device).astype(target.dtype, copy=False)
                target.bump_version()
        return IncompatibleKeys(missing, unexpected)

    # ---------------------------------------------------------------------- repr
    def extra_repr(self) -> str:
        """The text between the parentheses of this module's repr (its settings)."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        children = [(name, child) for name, child in self._modules.items() if child is not None]
        if not children:
            return f"{type(self).__name__}({extra})"
        lines = [f"{type(self).__name__}("]
        if extra:
            lines += ["  " + line for line in extra.split("\n")]
        for name, child in children:
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


def _as_buffer(value: Any, name: str) -> Tensor:
    """A buffer's tensor: Tensors kept as they are, arrays wrapped without a copy."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, ARRAY_TYPES):
        return wrap(value)
    raise TypeError(f"register_buffer: {name!r} must be a Tensor, got {type(value).__name__}")


def _array(value: Any) -> Any:
    """The array of a state value (a Tensor's data, or the array itself)."""
    if isinstance(value, Tensor):
        return value.data
    array = value if isinstance(value, ARRAY_TYPES) else get_array_module().asarray(value)
    return array


def _converted(array: Any, target_device: Any, target_dtype: Any) -> Any:
    """``array`` on ``target_device`` and, if floating, in ``target_dtype`` (None: as is)."""
    if target_device is not None:
        array = to_device(array, target_device)
    if target_dtype is not None and array.dtype.kind == "f" and target_dtype.kind == "f":
        array = array.astype(target_dtype)
    return array


def _check_replacement(module: Module, name: str, value: Any) -> None:
    """A registered parameter or submodule may only be replaced by its kind or by None."""
    for registry, kind in (("_parameters", Parameter), ("_modules", Module)):
        if name in module.__dict__[registry] and not (value is None or isinstance(value, kind)):
            raise TypeError(
                f"{type(module).__name__}: cannot assign {type(value).__name__} to "
                f"{name!r}, which is a {kind.__name__} (expected a {kind.__name__} or None)"
            )
