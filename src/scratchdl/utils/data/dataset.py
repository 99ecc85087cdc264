"""Datasets: indexable collections of samples, each sample a tuple of arrays.

A ``Dataset`` returns ``(x, y, ...)`` for ``dataset[i]``. ``get_batch(indices)`` returns the
same fields for many samples at once, stacked along a new first axis; the base class builds
it one sample at a time, and array-backed datasets (``TensorDataset``, ``MNIST``) override it
with one fancy-index per array, which is what makes ``DataLoader`` fast.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np

from scratchdl.autograd import Tensor
from scratchdl.backend import to_numpy
from scratchdl.utils.data.transforms import Transform

Batch = tuple[np.ndarray, ...]


class Dataset(ABC):
    """A collection of samples: ``len(dataset)`` and ``dataset[i] -> (x, y, ...)``."""

    @abstractmethod
    def __getitem__(self, index: int) -> Any:
        """The sample at ``index``: a tuple of arrays (or numbers)."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of samples."""

    def get_batch(self, indices: np.ndarray) -> Batch:
        """The samples at ``indices``, each field stacked along a new first axis."""
        return collate([self[int(i)] for i in indices])


def collate(samples: Sequence[Any]) -> Batch:
    """Stack a list of samples field by field: [(x0, y0), (x1, y1)] -> (X, Y).

    A sample that is not a tuple or list counts as a one-field sample. Raises ValueError when
    samples have different numbers of fields or a field's shapes differ.
    """
    rows = [tuple(s) if isinstance(s, (tuple, list)) else (s,) for s in samples]
    field_counts = {len(row) for row in rows}
    if len(field_counts) > 1:
        raise ValueError(f"collate: samples have different numbers of fields {field_counts}")
    fields = zip(*rows, strict=True)
    return tuple(_stack_field(k, values) for k, values in enumerate(fields))


def _stack_field(k: int, values: Sequence[Any]) -> np.ndarray:
    """Stack field ``k`` of every sample into one array."""
    arrays = [as_array(v) for v in values]
    shapes = {a.shape for a in arrays}
    if len(shapes) > 1:
        raise ValueError(f"collate: field {k} has samples of different shapes {sorted(shapes)}")
    return np.stack(arrays)


def as_array(value: Any) -> np.ndarray:
    """A NumPy array of ``value`` (a Tensor's data, an array, a number), dtype kept."""
    return to_numpy(value.data) if isinstance(value, Tensor) else np.asarray(value)


def fetch_batch(dataset: Any, indices: np.ndarray) -> Batch:
    """The samples at ``indices`` from any indexable dataset, as a tuple of stacked arrays."""
    if isinstance(dataset, Dataset):
        return dataset.get_batch(indices)
    return collate([dataset[int(i)] for i in indices])


class TensorDataset(Dataset):
    """Samples stored as arrays sharing their first dimension: sample i is ``(a[i], b[i], ...)``.

    ``TensorDataset(X, y)`` accepts NumPy arrays or Tensors (kept with their dtype).
    ``transform`` is applied to the first array and ``target_transform`` to the second,
    always to a batch (an array whose first axis indexes samples; a single sample is a batch
    of one), so the same transform serves ``dataset[i]`` and ``DataLoader`` batches.

    Indexing with an int returns one sample; with an integer array or slice, a batch.
    """

    def __init__(
        self,
        *arrays: Any,
        transform: Transform | None = None,
        target_transform: Transform | None = None,
    ) -> None:
        if not arrays:
            raise ValueError("TensorDataset: expected at least one array, got none")
        arrays = tuple(as_array(a) for a in arrays)
        _check_same_length(type(self).__name__, arrays)
        if target_transform is not None and len(arrays) < 2:
            raise ValueError(
                f"{type(self).__name__}: target_transform needs a second array (the targets), "
                f"got {len(arrays)} array"
            )
        self.arrays = arrays
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index: Any) -> Batch:
        if isinstance(index, (int, np.integer)) and not isinstance(index, bool):
            return self._item(int(index))
        return self.get_batch(index)

    def _item(self, index: int) -> Batch:
        """One sample, obtained as a batch of one so that transforms see batches."""
        n = len(self)
        if not -n <= index < n:
            raise IndexError(
                f"{type(self).__name__}: index {index} is out of range for {n} samples"
            )
        return tuple(field[0] for field in self.get_batch(np.array([index])))

    def get_batch(self, indices: Any) -> Batch:
        """The samples at ``indices`` (an integer array or slice): one fancy-index per array."""
        try:
            fields = [a[indices] for a in self.arrays]
        except IndexError as error:
            raise IndexError(f"{type(self).__name__}: {error}") from None
        if self.transform is not None:
            fields[0] = self.transform(fields[0])
        if self.target_transform is not None:
            fields[1] = self.target_transform(fields[1])
        return tuple(fields)


def _check_same_length(op: str, arrays: Sequence[np.ndarray]) -> None:
    """Raise ValueError unless every array is at least 1-d with the same first dimension."""
    shapes = [a.shape for a in arrays]
    if any(len(shape) == 0 for shape in shapes):
        raise ValueError(f"{op}: every array needs a first (sample) dimension, got shapes {shapes}")
    if len({shape[0] for shape in shapes}) > 1:
        raise ValueError(
            f"{op}: arrays must share their first dimension (the number of samples), "
            f"got shapes {shapes}"
        )
