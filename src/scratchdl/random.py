"""One random generator for everything the library draws: initialisation, dropout, shuffling.

``manual_seed(seed)`` replaces it, so a seeded program is reproducible end to end. Code that
draws random numbers calls ``get_rng()`` at the moment it draws (never caches the generator),
so a later ``manual_seed`` takes effect everywhere.

``Generator`` is a generator of one's own, as ``torch.Generator``: passed as ``generator=`` to
the data utilities (``random_split``, ``RandomSampler``, ``DataLoader``), it makes their draws
independent of the library's generator.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_initial_seed: int  # set with the generator, by manual_seed at the end of this module
_generator: np.random.Generator


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the library's generator and return it. ``seed`` must be a non-negative int."""
    global _generator, _initial_seed
    _initial_seed = _check_seed("manual_seed", seed)
    _generator = np.random.default_rng(_initial_seed)
    return _generator


def seed() -> int:
    """Seed the library's generator from the operating system's entropy; return the seed."""
    manual_seed(_entropy_seed())
    return _initial_seed


def initial_seed() -> int:
    """The seed the library's generator was last seeded with (at import: a random one)."""
    return _initial_seed


def _entropy_seed() -> int:
    """A fresh non-negative 63-bit seed from the operating system's entropy."""
    return int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))


def _check_seed(op: str, seed: Any) -> int:
    """``seed`` as an int; ValueError naming ``op`` unless it is a non-negative integer."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"{op}: seed must be a non-negative integer, got {seed!r}")
    return int(seed)


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
    """A random generator of its own, as ``torch.Generator``.

        g = sd.Generator().manual_seed(42)
        train, val = random_split(dataset, [0.8, 0.2], generator=g)

    Its draws come from ``self.rng``, a NumPy generator seeded with ``initial_seed()``
    (67280421310721 until seeded, torch's default, so fresh generators agree). ``device`` is
    accepted for torch's signature; draws are made on the CPU.
    """

    DEFAULT_SEED = 67280421310721

    def __init__(self, device: Any = "cpu") -> None:
        self.device = device
        self.manual_seed(self.DEFAULT_SEED)

    def manual_seed(self, seed: int) -> Generator:
        """Reseed with ``seed`` (a non-negative int) and return this generator."""
        self._initial_seed = _check_seed("Generator.manual_seed", seed)
        self.rng = np.random.default_rng(self._initial_seed)
        return self

    def seed(self) -> int:
        """Reseed from the operating system's entropy and return the new seed."""
        return self.manual_seed(_entropy_seed()).initial_seed()

    def initial_seed(self) -> int:
        """The seed of the last ``manual_seed`` (or ``seed``)."""
        return self._initial_seed

    def get_state(self) -> dict:
        """The generator's state as a plain dict (restore with ``set_state``)."""
        return {"seed": self._initial_seed, "bit_generator": self.rng.bit_generator.state}

    def set_state(self, state: dict) -> Generator:
        """Restore a state returned by ``get_state`` and return this generator."""
        self.rng.bit_generator.state = state["bit_generator"]
        self._initial_seed = state["seed"]
        return self


def numpy_generator(generator: Any, op: str) -> np.random.Generator:
    """The NumPy generator behind ``generator=``: the library's for None, a ``Generator``'s
    own, or a ``numpy.random.Generator`` as it is. TypeError naming ``op`` for anything else.
    """
    if generator is None:
        return get_rng()
    if isinstance(generator, Generator):
        return generator.rng
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(
        f"{op}: generator must be None, a scratchdl.Generator or a numpy.random.Generator, "
        f"got {type(generator).__name__}"
    )


manual_seed(_entropy_seed())  # unseeded, a process draws as torch's does: differently each run
