"""Datasets, as ``torch.utils.data``'s: map-style (``dataset[i]``) and iterable ones.

A map-style dataset returns sample ``i`` for ``dataset[i]``; the DataLoader merges samples
with ``default_collate``. Array-backed datasets (``TensorDataset``, ``Subset`` of one, the
vision datasets) also have a batch path, ``get_batch(indices)``: one fancy-index per array
instead of a Python loop over samples. It returns exactly what the plain computation,
``default_collate([dataset[i] for i in indices])``, returns (``fetch_batch`` picks the path).
"""

from __future__ import annotations

import bisect
import itertools
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from scratchdl.autograd import Tensor, wrap
from scratchdl.random import numpy_generator
from scratchdl.utils.data.collate import default_collate


class Dataset:
    """A map-style dataset: ``dataset[i]`` is sample ``i``, ``len(dataset)`` their number.

    Subclasses define ``__getitem__`` (and ``__len__``, which samplers and ``len(loader)``
    need). ``a + b`` is ``ConcatDataset([a, b])``.
    """

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """A stream of samples: subclasses define ``__iter__``; the DataLoader batches it in order."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class TensorDataset(Dataset):
    """Samples stored as tensors sharing their first dimension: sample i is ``(a[i], b[i], ...)``.

    ``TensorDataset(X, y)`` takes Tensors (or NumPy arrays), kept with their dtype and device;
    ``.tensors`` holds them. ``dataset[i]`` is a tuple of Tensors; an integer array or slice
    index gives the tuple of whole slices.
    """

    def __init__(self, *tensors: Any) -> None:
        if not tensors:
            raise ValueError("TensorDataset: expected at least one tensor, got none")
        self.tensors = tuple(t if isinstance(t, Tensor) else wrap(np.asarray(t)) for t in tensors)
        shapes = [tuple(t.shape) for t in self.tensors]
        if any(len(shape) == 0 for shape in shapes):
            raise ValueError(
                f"TensorDataset: every tensor needs a first (sample) dimension, got shapes {shapes}"
            )
        if len({shape[0] for shape in shapes}) > 1:
            raise ValueError(
                "TensorDataset: tensors must share their first dimension (the number of samples), "
                f"got shapes {shapes}"
            )

    def __len__(self) -> int:
        return self.tensors[0].shape[0]

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(self._take(index))

    def get_batch(self, indices: Sequence[int]) -> list[Tensor]:
        """The samples at ``indices``, collated: one fancy-index per tensor."""
        return self._take(np.asarray(indices, dtype=np.int64))

    def _take(self, index: Any) -> list[Tensor]:
        """``index`` applied to every tensor's array; IndexError naming the dataset."""
        try:
            return [wrap(t.data[index]) for t in self.tensors]
        except IndexError as error:
            raise IndexError(f"TensorDataset ({len(self)} samples): {error}") from None


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``: ``subset[i]`` is ``dataset[indices[i]]``."""

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def get_batch(self, indices: Sequence[int]) -> Any:
        """The samples at ``indices``, collated through the underlying dataset's own path."""
        return fetch_batch(self.dataset, [self.indices[i] for i in indices])


class ConcatDataset(Dataset):
    """Several map-style datasets one after the other: ``len`` is the sum of their lengths."""

    def __init__(self, datasets: Iterable[Any]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets should not be an empty iterable")
        for dataset in self.datasets:
            if isinstance(dataset, IterableDataset):
                raise TypeError("ConcatDataset: does not support IterableDataset")
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        if not -len(self) <= index < len(self):
            raise IndexError(f"ConcatDataset: index {index} is out of range for {len(self)}")
        index %= len(self)
        which = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - start]


def random_split(
    dataset: Any, lengths: Sequence[int | float], generator: Any = None
) -> list[Subset]:
    """Split ``dataset`` into non-overlapping random Subsets of the given lengths.

    ``lengths`` are sizes summing to ``len(dataset)``, or fractions summing to 1: each split
    gets floor(fraction · N) samples, and the remainder goes one by one to the splits in
    turn, as torch does. The order is a permutation drawn from ``generator`` (a
    ``scratchdl.Generator``; None: the library generator). Raises ValueError when the lengths
    do not add up.
    """
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        lengths = _lengths_of_fractions(lengths, n)
    if sum(lengths) != n:
        raise ValueError(
            f"random_split: the lengths {list(lengths)} sum to {sum(lengths)}, but the dataset "
            f"has {n} samples"
        )
    indices = numpy_generator(generator, "random_split").permutation(n).tolist()
    offsets = itertools.accumulate(lengths)
    return [
        Subset(dataset, indices[end - length : end])
        for end, length in zip(offsets, lengths, strict=True)
    ]


def _lengths_of_fractions(fractions: Sequence[float], n: int) -> list[int]:
    """floor(f · n) for each fraction, plus one for the first (n - their sum) splits."""
    for i, fraction in enumerate(fractions):
        if not 0 <= fraction <= 1:
            raise ValueError(f"random_split: fraction at index {i} is not between 0 and 1")
    lengths = [math.floor(n * fraction) for fraction in fractions]
    for i in range(n - sum(lengths)):
        lengths[i % len(lengths)] += 1
    for i, length in enumerate(lengths):
        if length == 0:
            warnings.warn(f"random_split: split {i} is empty", stacklevel=3)
    return lengths


def fetch_batch(dataset: Any, indices: Sequence[Any]) -> Any:
    """``default_collate`` of the samples at ``indices``, through the dataset's batch path
    (``get_batch``) when it has one that its ``__getitem__`` does not override."""
    if fast_path_applies(type(dataset), fast="get_batch", plain="__getitem__"):
        return dataset.get_batch(indices)
    return default_collate(fetch_samples(dataset, indices))


def fetch_samples(dataset: Any, indices: Sequence[Any]) -> list[Any]:
    """The samples at ``indices``, from ``dataset.__getitems__`` when defined (torch's batched
    protocol), else one ``dataset[i]`` at a time."""
    if getattr(dataset, "__getitems__", None):
        return dataset.__getitems__(list(indices))
    return [dataset[i] for i in indices]


def fast_path_applies(cls: type, fast: str, plain: str) -> bool:
    """Whether ``cls`` has a method ``fast`` that stands for its method ``plain``: defined in
    the class that defines ``plain`` or below it. A subclass that overrides ``plain`` alone
    (a user's ``__getitem__`` over TensorDataset's) must not get the inherited fast path."""
    fast_owner, plain_owner = _owner(cls, fast), _owner(cls, plain)
    return (
        fast_owner is not None and plain_owner is not None and issubclass(fast_owner, plain_owner)
    )


def _owner(cls: type, name: str) -> type | None:
    """The first class in ``cls``'s method resolution order that defines ``name``."""
    return next((c for c in cls.__mro__ if name in vars(c)), None)


def to_arrays(dataset: Any, limit: int | None = None) -> tuple[Any, ...]:
    """The first ``limit`` samples of a map-style dataset (all by default) as arrays, one per
    field: the batch a DataLoader would collate from them, as NumPy arrays. For MNIST with
    ``transform=ToTensor()``: images (n, 1, 28, 28) float32 and labels (n,) int64."""
    count = len(dataset) if limit is None else min(limit, len(dataset))
    return tuple(field.numpy() for field in fetch_batch(dataset, list(range(count))))
