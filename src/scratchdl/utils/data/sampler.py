"""Samplers: the order in which a DataLoader visits a dataset's indices, as torch's.

    SequentialSampler(dataset)            0, 1, 2, ...
    RandomSampler(dataset)                a new permutation every ``iter()``
    SubsetRandomSampler(indices)          a permutation of the given indices
    WeightedRandomSampler(weights, n)     n indices drawn with probability ∝ weight
    BatchSampler(sampler, 32, False)      the sampler's indices in lists of 32

Random samplers draw from ``generator`` (a ``scratchdl.Generator``), else from the library
generator, so ``sd.manual_seed`` makes them reproducible. They draw their whole order when
``iter()`` is called, not as it is consumed, so a loader's background thread never draws.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any

import numpy as np

from scratchdl.random import numpy_generator


class Sampler:
    """Yields indices (or lists of them) of a dataset; subclasses define ``__iter__``."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler):
    """The indices 0 .. len(data_source) - 1 in order."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """Random indices of ``data_source``: permutations, or draws with ``replacement``.

    Without replacement, ``num_samples`` (default ``len(data_source)``) indices are the
    concatenation of fresh permutations, cut to length; with replacement, independent
    uniform draws. Raises TypeError / ValueError for a non-bool replacement or a
    non-positive num_samples.
    """

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Any = None,
    ) -> None:
        if not isinstance(replacement, bool):
            raise TypeError(f"RandomSampler: replacement must be a bool, got {replacement!r}")
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        check_positive_int("RandomSampler", "num_samples", self.num_samples)

    @property
    def num_samples(self) -> int:
        """How many indices one pass yields."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n, count = len(self.data_source), self.num_samples
        rng = numpy_generator(self.generator, "RandomSampler")
        if self.replacement:
            return iter(rng.integers(0, n, size=count).tolist())
        permutations = [rng.permutation(n) for _ in range(-(-count // n))]
        return iter(np.concatenate(permutations)[:count].tolist())

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices`` in a random order, a new one every ``iter()``."""

    def __init__(self, indices: Sequence[int], generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        order = numpy_generator(self.generator, "SubsetRandomSampler").permutation(len(self))
        return iter([self.indices[i] for i in order.tolist()])

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices of ``weights``, index i drawn with probability wᵢ / Σw."""

    def __init__(
        self,
        weights: Sequence[float],
        num_samples: int,
        replacement: bool = True,
        generator: Any = None,
    ) -> None:
        check_positive_int("WeightedRandomSampler", "num_samples", num_samples)
        if not isinstance(replacement, bool):
            raise ValueError(
                f"WeightedRandomSampler: replacement must be a bool, got {replacement!r}"
            )
        self.weights = np.asarray(weights, dtype=np.float64)
        if self.weights.ndim != 1 or np.any(self.weights < 0) or not self.weights.sum() > 0:
            raise ValueError(
                "WeightedRandomSampler: weights must be a 1-d sequence of non-negative numbers "
                f"with a positive sum, got shape {self.weights.shape}"
            )
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        rng = numpy_generator(self.generator, "WeightedRandomSampler")
        p = self.weights / self.weights.sum()
        return iter(
            rng.choice(len(p), size=self.num_samples, replace=self.replacement, p=p).tolist()
        )

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """The indices of ``sampler`` in lists of ``batch_size``; the last list is shorter
    unless ``drop_last``, which leaves it out."""

    def __init__(self, sampler: Iterable[Any], batch_size: int, drop_last: bool) -> None:
        check_positive_int("BatchSampler", "batch_size", batch_size)
        if not isinstance(drop_last, bool):
            raise ValueError(f"BatchSampler: drop_last must be a bool, got {drop_last!r}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[Any]]:
        return chunks(iter(self.sampler), self.batch_size, self.drop_last)  # draws the order now

    def __len__(self) -> int:
        """Batches per pass: ceil(len(sampler) / batch_size), or floor with ``drop_last``."""
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


def chunks(items: Iterator[Any], size: int, drop_last: bool) -> Iterator[list[Any]]:
    """``items`` in lists of ``size``; the last list is shorter, or left out with ``drop_last``."""
    while chunk := list(itertools.islice(items, size)):
        if len(chunk) < size and drop_last:
            return
        yield chunk


def check_positive_int(op: str, name: str, value: Any) -> None:
    """Raise ValueError naming ``op`` unless ``value`` is an int >= 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{op}: {name} must be a positive integer, got {value!r}")
