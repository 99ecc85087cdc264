"""Containers: Sequential (a chain of modules) and ModuleList (a registered list)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from scratchdl.nn.module import Module


class ModuleList(Module):
    """A list of modules whose parameters are registered (a plain list would hide them).

    Items are named "0", "1", ... in ``state_dict``. Supports indexing, ``len``, iteration,
    ``append`` and ``extend``.
    """

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__()
        self.extend(modules)

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

    def forward(self, x: Any) -> Any:
        for module in self:
            x = module(x)
        return x


def _check_module(container: str, position: int, module: Any) -> None:
    if not isinstance(module, Module):
        raise TypeError(
            f"{container}: item {position} is a {type(module).__name__}, expected a Module"
        )
