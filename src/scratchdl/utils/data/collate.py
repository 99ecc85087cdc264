"""Merging samples into batches: ``default_collate`` and ``default_convert``, as torch's.

    default_collate([(image0, 3), (image1, 7)])  ->  [Tensor (2, *image.shape), Tensor([3, 7])]

A batch keeps the structure of one sample, with every leaf stacked along a new first axis:
tuples and lists become lists, dicts stay dicts, namedtuples stay namedtuples, arrays and
numbers become Tensors, strings stay a list of strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from scratchdl.autograd import Tensor, wrap
from scratchdl.backend import get_array_module


def default_collate(batch: Sequence[Any]) -> Any:
    """Merge a list of samples into one batch, by the type of the first sample.

    - Tensor or ndarray: stacked into a Tensor (N, *shape), dtype kept;
    - NumPy scalar: a Tensor (N,) of its dtype;
    - Python float: a float64 Tensor; Python int or bool: as ``torch.tensor`` makes a list
      (int64, bool when all are bools, float32 when a float is among them);
    - str or bytes: the list as it is;
    - mapping: the same kind of mapping, each key collated; namedtuple: the same namedtuple
      of collated fields; tuple or list: a list of collated fields.

    Raises RuntimeError for arrays of different shapes or sequences of different lengths,
    TypeError for anything else (None, objects, string arrays).
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _stack([sample.data for sample in batch])
    if isinstance(elem, np.ndarray):
        return _stack([_numeric(sample) for sample in batch])
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, np.generic):
        return wrap(np.asarray([_numeric(np.asarray(sample)) for sample in batch]))
    if isinstance(elem, (bool, int, float)):
        return wrap(python_numbers(batch, as_float64=isinstance(elem, float)))
    if isinstance(elem, Mapping):
        return _same_mapping(elem, {key: default_collate([d[key] for d in batch]) for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return type(elem)(*(default_collate(field) for field in _transpose(batch)))
    if isinstance(elem, Sequence):
        return [default_collate(field) for field in _transpose(batch)]
    raise TypeError(_unsupported(type(elem)))


def default_convert(data: Any) -> Any:
    """Turn arrays and NumPy scalars into Tensors, inside containers, without batching.

    The DataLoader's conversion when ``batch_size=None`` (each sample is its own batch):
    tuples become lists, mappings and other sequences keep their type, the rest is unchanged.
    """
    if isinstance(data, Tensor):
        return data
    if isinstance(data, (np.ndarray, np.generic)) and data.dtype.kind in "biuf":
        return wrap(np.asarray(data))
    if isinstance(data, Mapping):
        return _same_mapping(data, {key: default_convert(value) for key, value in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(field) for field in data))
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        return [default_convert(item) for item in data]
    return data


def python_numbers(values: Sequence[Any], as_float64: bool) -> np.ndarray:
    """Python numbers as ``torch.tensor`` would hold them: float64 when ``as_float64``, else
    bool for all bools, float32 when any is a float, int64 otherwise."""
    if as_float64:
        return np.asarray(values, dtype=np.float64)
    if all(isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=np.bool_)
    if any(isinstance(v, float) for v in values):
        return np.asarray(values, dtype=np.float32)
    return np.asarray(values, dtype=np.int64)


def _stack(arrays: list[Any]) -> Tensor:
    """Stack same-shaped arrays along a new first axis; RuntimeError naming the first misfit."""
    first = arrays[0].shape
    for entry, array in enumerate(arrays):
        if array.shape != first:
            raise RuntimeError(
                f"default_collate: stack expects each tensor to be equal size, but got "
                f"{list(first)} at entry 0 and {list(array.shape)} at entry {entry}"
            )
    return wrap(get_array_module(arrays[0]).stack(arrays))


def _numeric(array: np.ndarray) -> np.ndarray:
    """``array`` itself; TypeError for string and object arrays, which no Tensor can hold."""
    if array.dtype.kind not in "biuf":
        raise TypeError(_unsupported(array.dtype))
    return array


def _transpose(batch: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Fields of equal-length samples: [(a0, b0), (a1, b1)] -> [(a0, a1), (b0, b1)] (tuples,
    as torch's; a field of strings is returned as such a tuple)."""
    size = len(batch[0])
    if any(len(sample) != size for sample in batch):
        raise RuntimeError("default_collate: each element in list of batch should be of equal size")
    return list(zip(*batch, strict=True))


def _same_mapping(like: Mapping, items: dict) -> Mapping:
    """``items`` in a mapping of ``like``'s type when that type can be built from a dict."""
    try:
        return type(like)(items)
    except TypeError:
        return items


def _unsupported(found: Any) -> str:
    return (
        "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        f"found {found}"
    )
