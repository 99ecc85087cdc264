"""Grad mode: whether operations record the graph that backward() walks.

The state is thread-local, so a data-loading thread under ``no_grad`` never changes what
the training thread records. Both managers work as ``with`` blocks and as decorators.
"""

from __future__ import annotations

import threading
from contextlib import ContextDecorator

_state = threading.local()


def is_grad_enabled() -> bool:
    """True when new operations record their graph (the default in every thread)."""
    return getattr(_state, "enabled", True)


class _GradMode(ContextDecorator):
    """Set grad mode for a block and restore the previous mode when it ends."""

    enabled: bool

    def _recreate_cm(self) -> _GradMode:
        # A fresh manager per decorated call keeps recursion and threads independent.
        return type(self)()

    def __enter__(self) -> None:
        self._previous = is_grad_enabled()
        _state.enabled = self.enabled

    def __exit__(self, *exc_info: object) -> None:
        _state.enabled = self._previous


class no_grad(_GradMode):  # noqa: N801 - named like torch.no_grad
    """Record no graph inside the block: for evaluation and parameter updates."""

    enabled = False


class enable_grad(_GradMode):  # noqa: N801 - named like torch.enable_grad
    """Record the graph inside the block, even within ``no_grad``."""

    enabled = True
