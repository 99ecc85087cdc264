"""DataLoader: iterate over a dataset in mini-batches of Tensors.

    loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
    for x, y in loader:      # x, y are Tensors holding batch_size samples
        ...

Each ``iter(loader)`` is one epoch. With ``shuffle=True`` every epoch draws a new order:
from ``np.random.default_rng((seed, epoch))`` when ``seed`` is given, else from the library
generator (``sd.get_rng()``), so ``sd.manual_seed`` makes runs reproducible either way.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from scratchdl.autograd import Tensor
from scratchdl.utils.data.dataset import fetch_batch
from scratchdl.utils.data.prefetch import prefetch as prefetch_in_background
from scratchdl.random import get_rng


class DataLoader:
    """Batches of a dataset, as tuples of Tensors with the dataset's dtypes.

    Args:
        dataset: a ``Dataset`` (or anything with ``__len__`` and ``__getitem__`` returning a
            tuple of arrays per sample).
        batch_size: samples per batch; the last batch is smaller unless ``drop_last``.
        shuffle: draw a new sample order every epoch.
        drop_last: skip the last batch when it has fewer than ``batch_size`` samples.
        seed: makes the shuffling independent of the library generator: epoch ``e`` uses
            ``np.random.default_rng((seed, e))``.
        prefetch: when > 0, a background thread prepares up to this many batches ahead.

    ``len(loader)`` is the number of batches per epoch. ``state_dict()`` holds the epoch
    count and seed; restoring it (together with ``sd.random.set_rng_state`` when ``seed`` is
    None) makes a resumed run see the same orders as an uninterrupted one.
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int | None = None,
        prefetch: int = 0,
    ) -> None:
        if not (hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__")):
            raise TypeError(
                f"DataLoader: dataset must support len() and indexing, got {type(dataset).__name__}"
            )
        _check_int("batch_size", batch_size, minimum=1)
        _check_int("prefetch", prefetch, minimum=0)
        _check_seed(seed)
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.seed = seed
        self.prefetch = prefetch
        self.epoch = 0

    def __len__(self) -> int:
        """Batches per epoch: ceil(N / batch_size), or floor with ``drop_last``."""
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self) -> Iterator[tuple[Tensor, ...]]:
        """Start the next epoch: draw its order now, then yield its batches."""
        order = self._epoch_order()
        self.epoch += 1
        batches = (self._load(indices) for indices in self._split(order))
        if self.prefetch:
            return prefetch_in_background(batches, self.prefetch)
        return batches

    def _epoch_order(self) -> np.ndarray:
        """The sample indices of the coming epoch, in the order they will be served."""
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        rng = get_rng() if self.seed is None else np.random.default_rng((self.seed, self.epoch))
        return rng.permutation(n)

    def _split(self, order: np.ndarray) -> list[np.ndarray]:
        """Cut ``order`` into batches of ``batch_size`` indices (``len(self)`` of them)."""
        starts = range(0, len(self) * self.batch_size, self.batch_size)
        return [order[start : start + self.batch_size] for start in starts]

    def _load(self, indices: np.ndarray) -> tuple[Tensor, ...]:
        """One batch as Tensors wrapping the fetched arrays (dtypes kept: no float cast)."""
        return tuple(Tensor(array) for array in fetch_batch(self.dataset, indices))

    def state_dict(self) -> dict[str, int | None]:
        """The epoch count and seed, for resuming: ``{"epoch": int, "seed": int | None}``."""
        return {"epoch": self.epoch, "seed": self.seed}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore a ``state_dict()``; the next ``iter(loader)`` continues from its epoch."""
        missing = {"epoch", "seed"} - set(state)
        if missing:
            raise KeyError(f"DataLoader.load_state_dict: state lacks {sorted(missing)}")
        _check_int("epoch", state["epoch"], minimum=0)
        _check_seed(state["seed"])
        self.epoch, self.seed = state["epoch"], state["seed"]


def _check_int(name: str, value: Any, minimum: int) -> None:
    """Raise ValueError unless ``value`` is an int >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"DataLoader: {name} must be an integer >= {minimum}, got {value!r}")


def _check_seed(seed: Any) -> None:
    """Raise ValueError unless ``seed`` is None or a non-negative int."""
    if seed is not None:
        _check_int("seed", seed, minimum=0)
