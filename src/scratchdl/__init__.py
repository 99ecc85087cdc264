"""scratchdl: deep learning from scratch on NumPy.

>>> import scratchdl as sd
>>> x = sd.tensor([[1.0, 2.0]], requires_grad=True)
>>> (x * x).sum().backward()
>>> x.grad
tensor([[2., 4.]])
"""

import importlib
import os

from scratchdl import backend, functional, info  # functional attaches the operators to Tensor
from scratchdl.autograd import (
    Function,
    Tensor,
    as_tensor,
    enable_grad,
    is_grad_enabled,
    no_grad,
    tensor,
)
from scratchdl.random import get_rng, manual_seed

__version__ = "0.1.0"

if os.environ.get("SCRATCHDL_KEEP_FREED_MEMORY", "1") != "0":
    backend.keep_freed_memory()  # see its docstring: page faults were a third of conv time

_SUBPACKAGES = (
    "classic", "data", "datasets", "demos", "io", "keras", "models", "nn", "optim", "train",
)  # fmt: skip


def __getattr__(name: str) -> object:
    """``sd.nn``, ``sd.optim``, ... import their subpackage on first use."""
    if name in _SUBPACKAGES:
        return importlib.import_module(f"scratchdl.{name}")
    raise AttributeError(f"module 'scratchdl' has no attribute {name!r}")


__all__ = [
    "Function",
    "Tensor",
    "__version__",
    "as_tensor",
    "enable_grad",
    "functional",
    "get_rng",
    "info",
    "is_grad_enabled",
    "manual_seed",
    "no_grad",
    "tensor",
]
