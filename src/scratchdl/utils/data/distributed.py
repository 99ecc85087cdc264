"""DistributedSampler: each of ``num_replicas`` processes reads its own share of a dataset.

    sampler = DistributedSampler(dataset)           # rank and world size from the process group
    loader = DataLoader(dataset, batch_size=32, sampler=sampler)
    for epoch in range(epochs):
        sampler.set_epoch(epoch)                    # a new order, the same on every rank
        for x, y in loader: ...

The assignment is torch's, index for index: the order is ``range(N)``, or a permutation drawn
from a generator seeded with ``seed + epoch`` (the same on every rank); without ``drop_last``
it is padded to a multiple of ``num_replicas`` by repeating its first indices, with
``drop_last`` cut to one; rank r then takes every ``num_replicas``-th index from position r.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterator, Sized
from typing import Any

import numpy as np

from scratchdl.random import Generator
from scratchdl.utils.data.sampler import Sampler


class DistributedSampler(Sampler):
    """This rank's indices of ``dataset``: ``len(sampler)`` of them, equal on every rank.

    Args:
        dataset: a sized dataset (only its length is used).
        num_replicas, rank: the number of processes and this one's rank; by default
            ``scratchdl.distributed.get_world_size()`` and ``get_rank()``, which need an
            initialised process group (RuntimeError otherwise).
        shuffle: a new permutation each epoch (see ``set_epoch``); else the dataset's order.
        seed: the permutation's base seed; must be the same on every rank.
        drop_last: drop the tail that does not divide evenly, instead of padding with
            repeated indices.

    Raises ValueError for a rank outside [0, num_replicas).
    """

    def __init__(
        self,
        dataset: Sized,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ) -> None:
        if num_replicas is None:
            num_replicas = _process_group("num_replicas").get_world_size()
        if rank is None:
            rank = _process_group("rank").get_rank()
        if not 0 <= rank < num_replicas:
            raise ValueError(
                f"DistributedSampler: invalid rank {rank}, rank should be in the interval "
                f"[0, {num_replicas - 1}]"
            )
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.shuffle = shuffle
        self.seed = seed
        self.drop_last = drop_last
        self.epoch = 0
        n = len(dataset)
        if drop_last and n % num_replicas:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def __iter__(self) -> Iterator[int]:
        return iter(self._shard(self._order()).tolist())

    def _order(self) -> np.ndarray:
        """Every index of the dataset, in this epoch's order (the same on every rank)."""
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        return Generator().manual_seed(self.seed + self.epoch).rng.permutation(n)

    def _shard(self, order: np.ndarray) -> np.ndarray:
        """This rank's part of ``order``: padded (by repeating it) or cut to ``total_size``,
        then every ``num_replicas``-th index from position ``rank``."""
        # np.resize repeats ``order`` cyclically up to the size: torch's padding
        order = order[: self.total_size] if self.drop_last else np.resize(order, self.total_size)
        return order[self.rank : self.total_size : self.num_replicas]

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Use ``epoch``'s permutation from the next ``iter()`` on (call it every epoch)."""
        self.epoch = epoch


def _process_group(argument: str) -> Any:
    """``scratchdl.distributed`` with an initialised process group; RuntimeError saying to
    call ``init_process_group`` or to pass ``argument`` otherwise."""
    advice = (
        f"DistributedSampler: {argument} was not given and no process group is initialised; "
        f"call scratchdl.distributed.init_process_group() first, or pass num_replicas and rank"
    )
    try:
        distributed = importlib.import_module("scratchdl.distributed")
    except ImportError as error:
        raise RuntimeError(f"{advice} ({error})") from None
    if not distributed.is_initialized():
        raise RuntimeError(advice)
    return distributed
