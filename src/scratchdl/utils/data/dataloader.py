"""DataLoader: iterate over a dataset in batches, with torch.utils.data.DataLoader's arguments.

    loader = DataLoader(dataset, batch_size=32, shuffle=True)
    for x, y in loader:          # Tensors holding 32 samples (the last batch may hold fewer)
        ...
    len(loader), len(loader.dataset)

Each ``iter(loader)`` is one epoch; with ``shuffle=True`` it draws a new order, from
``generator`` when given, else from the library generator (``sd.manual_seed`` makes runs
reproducible). The default path fetches a whole batch at once from datasets that have a
batch path (``fetch_batch``), and collates sample by sample otherwise.

``num_workers > 0`` loads in one background thread (not worker processes), up to
``num_workers * prefetch_factor`` batches ahead; ``worker_init_fn(0)`` runs in that thread
before its first batch. ``pin_memory``, ``timeout``, ``multiprocessing_context``,
``persistent_workers``, ``pin_memory_device`` and ``in_order`` are accepted and have no
effect here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from scratchdl.random import Generator
from scratchdl.utils.data.collate import default_collate, default_convert
from scratchdl.utils.data.dataset import IterableDataset, fetch_batch, fetch_samples
from scratchdl.utils.data.prefetch import prefetch
from scratchdl.utils.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    check_positive_int,
    chunks,
)


class DataLoader:
    """Batches of ``dataset``, as torch's DataLoader makes them.

    Args (torch's; see the module docstring for the ones without effect):
        dataset: a map-style dataset (``len`` and ``dataset[i]``) or an IterableDataset.
        batch_size: samples per batch; None yields samples one by one, unbatched.
        shuffle: a new random order every epoch (map-style datasets only).
        sampler: the order of indices (instead of ``shuffle``).
        batch_sampler: yields lists of indices (instead of batch_size, shuffle, sampler and
            drop_last).
        collate_fn: merges a list of samples into a batch (default ``default_collate``).
        drop_last: leave out the last batch when it has fewer than ``batch_size`` samples.
        generator: the ``scratchdl.Generator`` that ``shuffle`` draws from.

    Raises ValueError for the combinations torch refuses.
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Any = None,
        batch_sampler: Any = None,
        num_workers: int = 0,
        collate_fn: Callable[[list[Any]], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        generator: Any = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        prefetch_factor = _check_workers(num_workers, prefetch_factor, persistent_workers, timeout)
        iterable = isinstance(dataset, IterableDataset)
        if iterable:
            _check_iterable_options(shuffle, sampler, batch_sampler)
        batch_size, drop_last = _check_batching(
            batch_size, shuffle, sampler, batch_sampler, drop_last
        )
        if not iterable:
            if sampler is None:
                sampler = _default_sampler(dataset, shuffle, generator)
            if batch_size is not None and batch_sampler is None:
                batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.worker_init_fn = worker_init_fn
        self.pin_memory = pin_memory  # this and the rest: accepted, no effect
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.multiprocessing_context = multiprocessing_context
        self.persistent_workers = persistent_workers
        self.in_order = in_order
        batching = batch_sampler is not None or (iterable and batch_size is not None)
        self.collate_fn = collate_fn or (default_collate if batching else default_convert)
        self.epoch = 0

    def __len__(self) -> int:
        """Batches per epoch (samples when ``batch_size`` is None)."""
        if isinstance(self.dataset, IterableDataset):
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)

    def __iter__(self) -> Iterator[Any]:
        """Start the next epoch: its order is drawn now, its batches made as they are asked for."""
        self.epoch += 1
        if isinstance(self.dataset, IterableDataset):
            batches = self._stream_batches()
        elif self.batch_sampler is not None:
            batches = map(self._load, iter(self.batch_sampler))
        else:
            batches = (self.collate_fn(self.dataset[i]) for i in iter(self.sampler))
        if self.num_workers:
            return prefetch(self._in_worker(batches), self.num_workers * self.prefetch_factor)
        return batches

    def _load(self, indices: list[Any]) -> Any:
        """One batch of a map-style dataset: through its batch path under the default collate."""
        if self.collate_fn is default_collate:
            return fetch_batch(self.dataset, indices)
        return self.collate_fn(fetch_samples(self.dataset, indices))

    def _stream_batches(self) -> Iterator[Any]:
        """An IterableDataset's samples, collated in groups of ``batch_size`` (or one by one)."""
        samples = iter(self.dataset)
        if self.batch_size is None:
            return map(self.collate_fn, samples)
        return map(self.collate_fn, chunks(samples, self.batch_size, self.drop_last))

    def _in_worker(self, batches: Iterator[Any]) -> Iterator[Any]:
        """``batches``, after ``worker_init_fn(0)``: run by the background thread."""
        if self.worker_init_fn is not None:
            self.worker_init_fn(0)
        yield from batches

    def state_dict(self) -> dict[str, Any]:
        """``{"epoch": epochs started, "generator": the generator's state or None}``.

        With the library generator, the orders of later epochs come from its state, which a
        checkpoint saves beside this (``scratchdl.io.save_checkpoint`` does).
        """
        return {"epoch": self.epoch, "generator": _generator_state(self.generator)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore a ``state_dict()``; the next ``iter(loader)`` continues from its epoch.

        A state without "generator" (written before loaders had one) counts as None.
        Raises KeyError / ValueError, before changing anything, for a state that lacks the
        epoch or does not match this loader's generator.
        """
        if "epoch" not in state:
            raise KeyError("DataLoader.load_state_dict: state lacks ['epoch']")
        epoch, generator_state = state["epoch"], state.get("generator")
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or epoch < 0:
            raise ValueError(
                f"DataLoader.load_state_dict: epoch must be an integer >= 0, got {epoch!r}"
            )
        if (generator_state is None) != (self.generator is None):
            raise ValueError(
                "DataLoader.load_state_dict: the state was saved by a loader "
                f"{'without' if generator_state is None else 'with'} a generator, this one has "
                f"{'one' if self.generator is not None else 'none'}"
            )
        if self.generator is not None:
            _set_generator_state(self.generator, generator_state)
        self.epoch = int(epoch)


def get_worker_info() -> None:
    """None: batches are loaded in this process (torch returns None outside worker processes)."""
    return None


def _check_workers(
    num_workers: int, prefetch_factor: int | None, persistent_workers: bool, timeout: float
) -> int | None:
    """The prefetch factor in force (2 by default with workers); ValueError as torch's."""
    if isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 0:
        raise ValueError(
            f"DataLoader: num_workers must be a non-negative integer, got {num_workers!r}; "
            "use num_workers=0 to load in this thread"
        )
    if timeout < 0:
        raise ValueError(f"DataLoader: timeout must be non-negative, got {timeout!r}")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError("DataLoader: prefetch_factor needs num_workers > 0")
    if persistent_workers and num_workers == 0:
        raise ValueError("DataLoader: persistent_workers needs num_workers > 0")
    if num_workers == 0:
        return None
    if prefetch_factor is None:
        return 2
    check_positive_int("DataLoader", "prefetch_factor", prefetch_factor)
    return prefetch_factor


def _check_batching(
    batch_size: int | None, shuffle: Any, sampler: Any, batch_sampler: Any, drop_last: bool
) -> tuple[int | None, bool]:
    """``(batch_size, drop_last)`` in force: (None, False) under a batch_sampler. ValueError
    for the combinations torch refuses."""
    if sampler is not None and shuffle:
        raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
    if batch_sampler is not None:
        if batch_size != 1 or shuffle or sampler is not None or drop_last:
            raise ValueError(
                "DataLoader: batch_sampler option is mutually exclusive with batch_size, "
                "shuffle, sampler, and drop_last"
            )
        return None, False
    if batch_size is None and drop_last:
        raise ValueError(
            "DataLoader: batch_size=None disables batching and is mutually exclusive with drop_last"
        )
    if batch_size is not None:
        check_positive_int("DataLoader", "batch_size", batch_size)
    return batch_size, drop_last


def _default_sampler(dataset: Any, shuffle: Any, generator: Any) -> Sampler:
    """A RandomSampler drawing from ``generator`` when ``shuffle``, else a SequentialSampler."""
    return RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)


def _check_iterable_options(shuffle: Any, sampler: Any, batch_sampler: Any) -> None:
    """ValueError for the options an IterableDataset cannot take (it has no indices)."""
    for name, value in (
        ("shuffle", shuffle),
        ("sampler", sampler),
        ("batch_sampler", batch_sampler),
    ):
        if value not in (None, False):
            raise ValueError(
                f"DataLoader with IterableDataset: expected unspecified {name} option, "
                f"but got {name}={value!r}"
            )


def _generator_state(generator: Any) -> dict | None:
    """The state of a ``scratchdl.Generator`` or NumPy generator (None for None)."""
    if generator is None:
        return None
    if isinstance(generator, Generator):
        return generator.get_state()
    return generator.bit_generator.state


def _set_generator_state(generator: Any, state: dict) -> None:
    """Restore ``_generator_state``'s result into ``generator``."""
    if isinstance(generator, Generator):
        generator.set_state(state)
    else:
        generator.bit_generator.state = state
