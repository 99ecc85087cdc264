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
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"manual_seed: seed must be a non-negative integer, got {seed!r}")
    _generator = np.random.default_rng(int(seed))
    return _generator


def get_rng() -> np.random.Generator:
    """Return the library's generator (the one ``manual_seed`` last seeded)."""
    return _generator


def get_rng_state() -> dict:
    """The generator's state as a plain dict, for checkpoints (restore with set_rng_state)."""
    return _generator.bit_generator.state


def set_rng_state(state: dict) -> None:
    """Restore a state returned by ``get_rng_state``."""
    _generator.bit_generator.state = state
