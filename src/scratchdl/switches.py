"""Process-wide switches that PyTorch programs set, and what each means on scratchdl.

scratchdl computes in float32 or float64 exactly as asked, and its CPU results are the
same from run to run (every compiled kernel writes each output element from one thread),
so these switches are recorded and reported back, never silently reinterpreted:

- ``use_deterministic_algorithms(True)``: already so on the CPU; on a GPU, CuPy's
  reductions may add in another order, which scratchdl does not control;
- ``set_float32_matmul_precision('high')``: float32 products stay full float32 (no TF32);
- ``compile(model)``: returns the model itself, as torch's ``backend="eager"`` does; the
  compilation scratchdl has is a training step's, ``scratchdl.train.compile_step``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_state: dict[str, Any] = {"deterministic": False, "warn_only": False, "precision": "highest"}

MATMUL_PRECISIONS = ("highest", "high", "medium")


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Ask for deterministic algorithms (see the module docstring: on the CPU they are)."""
    if not isinstance(mode, bool):
        raise TypeError(f"use_deterministic_algorithms: mode must be a bool, got {mode!r}")
    _state.update(deterministic=mode, warn_only=warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    """What ``use_deterministic_algorithms`` was last given (False at start)."""
    return _state["deterministic"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """The ``warn_only`` of the last ``use_deterministic_algorithms`` call."""
    return _state["warn_only"]


def set_float32_matmul_precision(precision: str) -> None:
    """Record the float32 matmul precision ('highest', 'high' or 'medium'); scratchdl's
    products are full float32 whatever it is."""
    if precision not in MATMUL_PRECISIONS:
        raise ValueError(
            f"set_float32_matmul_precision: expected one of {MATMUL_PRECISIONS}, got {precision!r}"
        )
    _state["precision"] = precision


def get_float32_matmul_precision() -> str:
    """The precision last set ('highest' at start)."""
    return _state["precision"]


def compile(model: Callable[..., Any] | None = None, **options: Any) -> Any:
    """``torch.compile``'s signature: the model (or function) itself, unchanged, since
    scratchdl runs its operations as written; ``compile()`` without a model returns a
    decorator. For fewer Python operations per training step use
    ``scratchdl.train.compile_step``. ``options`` (``mode``, ``fullgraph``, ``dynamic``,
    ``backend``, ``disable``, ...) are accepted and have no effect."""
    if model is None:
        return lambda function: function
    if not callable(model):
        raise TypeError(f"compile: expected a Module or a function, got {type(model).__name__}")
    return model
