"""Containers: Sequential (a chain of modules), ModuleList (a registered list) and
ModuleDict (a registered dict)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from scratchdl.nn.module import Module


class ModuleList(Module):
    """A list of modules whose parameters are registered (a plain list would hide them).

    Items are named "0", "1", ... in ``state_dict``. Supports indexing, ``len``, iteration,
    ``append`` and ``extend``.
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        self.extend(modules or ())

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; return self."""
        _check_module(type(self).__name__, len(self), module)
        setattr(self, str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Append each of ``modules``; return self."""
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Put ``module`` before position ``index``, renumbering those after it."""
        items = list(self._modules.values())
        items.insert(index, module)
        self._renumber(items)

    def __setitem__(self, index: int, module: Module) -> None:
        items = list(self._modules.values())
        items[index] = module
        self._renumber(items)

    def __delitem__(self, index: int | slice) -> None:
        items = list(self._modules.values())
        del items[index]
        self._renumber(items)

    def _renumber(self, items: list[Module]) -> None:
        for name in list(self._modules):
            delattr(self, name)
        self.extend(items)

    def __getitem__(self, index: int | slice) -> Any:
        items = list(self._modules.items())
        if isinstance(index, slice):
            return self._from_items(items[index])
        if not -len(items) <= index < len(items):
            raise IndexError(
                f"{type(self).__name__}: index {index} is out of range for {len(items)} modules"
            )
        return items[index][1]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def _from_items(self, items: list[tuple[str, Module]]) -> ModuleList:
        """A new list of these (name, module) items (a slice of self), renumbered from 0."""
        return ModuleList(module for _, module in items)


class Sequential(ModuleList):
    """Modules applied in order: ``Sequential(a, b, c)(x) == c(b(a(x)))``.

    Also accepts one OrderedDict of name -> module, to name the layers in ``state_dict``
    (``Sequential(OrderedDict(fc=Linear(2, 3)))`` saves ``fc.weight``); otherwise layers are
    named "0", "1", ... Indexing with a slice returns a Sequential of those layers.
    """

    def __init__(self, *modules: Module | OrderedDict[str, Module]) -> None:
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            super().__init__()
            for position, (name, module) in enumerate(modules[0].items()):
                _check_module(type(self).__name__, position, module)
                setattr(self, name, module)
        else:
            super().__init__(modules)

    def _from_items(self, items: list[tuple[str, Module]]) -> Sequential:
        """A new Sequential of these (name, module) items, keeping their names."""
        return Sequential(OrderedDict(items))

    def forward(self, input: Any) -> Any:
        for module in self:
            input = module(input)
        return input


class ModuleDict(Module):
    """A dict of modules whose parameters are registered, in insertion order (a plain dict
    would hide them). Supports ``[]``, ``in``, ``len``, iteration over names, ``keys``,
    ``values``, ``items``, ``update`` and ``pop``."""

    def __init__(
        self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None
    ) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        _check_module(type(self).__name__, key, module)
        setattr(self, key, module)

    def __delitem__(self, key: str) -> None:
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> Iterable[str]:
        """The names."""
        return self._modules.keys()

    def values(self) -> Iterable[Module]:
        """The modules."""
        return self._modules.values()

    def items(self) -> Iterable[tuple[str, Module]]:
        """(name, module) pairs."""
        return self._modules.items()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add or replace modules from a mapping or (name, module) pairs."""
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for key, module in pairs:
            self[key] = module

    def pop(self, key: str) -> Module:
        """Remove the module named ``key`` and return it."""
        module = self._modules[key]
        del self[key]
        return module


def _check_module(container: str, position: int | str, module: Any) -> None:
    if not isinstance(module, Module):
        raise TypeError(
            f"{container}: item {position} is a {type(module).__name__}, expected a Module"
        )
