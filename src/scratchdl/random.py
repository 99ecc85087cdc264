"""One random generator for everything the library draws: initialisation, dropout, shuffling.

``manual_seed(seed)`` replaces it, so a seeded program is reproducible end to end. Code that
draws random numbers calls ``get_rng()`` at the moment it draws (never caches the generator),
so a later ``manual_seed`` takes effect everywhere.
"""

from __future__ import annotations

import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the library's generator and return it. ``seed`` must be a non-negative int."""
    global _generator
    _check_seed(seed)
    _generator = np.random.default_rng(int(seed))
    return _generator


def _check_seed(seed: object) -> None:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"manual_seed: seed must be a non-negative integer, got {seed!r}")


def get_rng() -> np.random.Generator:
    """Return the library's generator (the one ``manual_seed`` last seeded)."""
    return _generator


def get_rng_state() -> dict:
    """The generator's state as a plain dict, for checkpoints (restore with set_rng_state)."""
    return _generator.bit_generator.state


def set_rng_state(state: dict) -> None:
    """Restore a state returned by ``get_rng_state``."""
    _generator.bit_generator.state = state


class Generator:
    """A random generator of its own, as ``torch.Generator``: for code that wants draws
    independent of the library's (``random_split(..., generator=sd.Generator().manual_seed(42))``).
    ``device`` is accepted for torch's signature."""

    def __init__(self, device: str = "cpu") -> None:
        self.device = device
        self.numpy_generator = np.random.default_rng()
        self._seed: int | None = None

    def manual_seed(self, seed: int) -> Generator:
        """Reseed; returns self, as torch does."""
        _check_seed(seed)
        self._seed = int(seed)
        self.numpy_generator = np.random.default_rng(self._seed)
        return self

    def initial_seed(self) -> int | None:
        """The seed last given to ``manual_seed`` (None if never seeded)."""
        return self._seed

    def get_state(self) -> dict:
        """The generator's state, for ``set_state``."""
        return self.numpy_generator.bit_generator.state

    def set_state(self, state: dict) -> None:
        """Restore a state from ``get_state``."""
        self.numpy_generator.bit_generator.state = state
