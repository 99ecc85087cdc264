"""Grad mode: whether operations record the graph that backward() walks.

The state is thread-local, so a data-loading thread under ``no_grad`` never changes what
the training thread records. Both managers work as ``with`` blocks and as decorators.
"""

from __future__ import annotations

import threading
from contextlib import ContextDecorator


class _GradState(threading.local):
    """Per-thread grad mode; every thread starts with recording on."""

    enabled = True


grad_state = _GradState()


def is_grad_enabled() -> bool:
    """True when new operations record their graph (the default in every thread)."""
    return grad_state.enabled


class _GradMode(ContextDecorator):
    """Set grad mode for a block and restore the previous mode when it ends."""

    enabled: bool

    def _recreate_cm(self) -> _GradMode:
        # A fresh manager per decorated call keeps recursion and threads independent.
        return type(self)()

    def __enter__(self) -> None:
        self._previous = grad_state.enabled
        grad_state.enabled = self.enabled

    def __exit__(self, *exc_info: object) -> None:
        grad_state.enabled = self._previous


class no_grad(_GradMode):  # noqa: N801 - named like torch.no_grad
    """Record no graph inside the block: for evaluation and parameter updates."""

    enabled = False


class enable_grad(_GradMode):  # noqa: N801 - named like torch.enable_grad
    """Record the graph inside the block, even within ``no_grad``."""

    enabled = True


class inference_mode(_GradMode):  # noqa: N801 - named like torch.inference_mode
    """``no_grad`` under torch's other name; ``inference_mode(False)`` records as usual."""

    def __init__(self, mode: bool = True) -> None:
        self.enabled = not mode

    def _recreate_cm(self) -> inference_mode:
        return inference_mode(not self.enabled)


class set_grad_enabled(_GradMode):  # noqa: N801 - named like torch.set_grad_enabled
    """Turn recording on or off: in a ``with`` block (restored after it), as a decorator,
    or called on its own (the new mode stays, as in torch)."""

    def __init__(self, mode: bool) -> None:
        self.enabled = bool(mode)
        self._previous = grad_state.enabled
        grad_state.enabled = self.enabled

    def __enter__(self) -> None:
        grad_state.enabled = self.enabled  # the mode before construction is restored on exit

    def _recreate_cm(self) -> set_grad_enabled:
        return set_grad_enabled(self.enabled)
