"""Keras's image layout on scratchdl's convolution: channels last, Keras's kernel layout and
its "same" padding.

Keras holds images as (N, H, W, C) and a Conv2D kernel as (KH, KW, C, OC); scratchdl's
``conv2d`` and pooling take (N, C, H, W) and (OC, C, KH, KW). The layers move axes with
``F.permute`` (views, no copies), pad with ``pad_hw`` when "same" needs more on one side than
the other, and compute with the channels-first functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from scratchdl import functional as F
from scratchdl.autograd import Tensor, wrap
from scratchdl.backend import get_array_module

Pair = tuple[int, int]
PADDINGS = ("valid", "same")


def channels_first(images: Tensor) -> Tensor:
    """(N, H, W, C) -> (N, C, H, W)."""
    return F.permute(images, (0, 3, 1, 2))


def channels_last(images: Tensor) -> Tensor:
    """(N, C, H, W) -> (N, H, W, C)."""
    return F.permute(images, (0, 2, 3, 1))


def kernel_channels_first(kernel: Tensor) -> Tensor:
    """A Keras kernel (KH, KW, C, OC) as scratchdl's convolution weight (OC, C, KH, KW)."""
    return F.permute(kernel, (3, 2, 0, 1))


def as_pair(value: int | Sequence[int], name: str, layer: str) -> Pair:
    """An int or a pair of positive ints as a pair (Keras's kernel_size, strides, ...)."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2 or any(
        isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1 for v in pair
    ):
        raise ValueError(f"{layer}: {name} must be a positive int or a pair of them, got {value!r}")
    return int(pair[0]), int(pair[1])


def check_padding(padding: str, layer: str) -> str:
    """``padding`` lower-cased, checked to be "valid" or "same"."""
    if not isinstance(padding, str) or padding.lower() not in PADDINGS:
        raise ValueError(f"{layer}: padding must be 'valid' or 'same', got {padding!r}")
    return padding.lower()


def output_length(size: int | None, kernel: int, stride: int, padding: str) -> int | None:
    """The output length along one axis: ⌊(size − kernel) / stride⌋ + 1 for "valid",
    ⌈size / stride⌉ for "same" (None stays None)."""
    if size is None:
        return None
    if padding == "same":
        return math.ceil(size / stride)
    return (size - kernel) // stride + 1


def same_padding(size: int, kernel: int, stride: int) -> Pair:
    """The (before, after) padding of "same" along one axis, as Keras (and TensorFlow) place
    it: total = max((⌈size/stride⌉ − 1)·stride + kernel − size, 0), the odd one after."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def pad_hw(images: Tensor, rows: Pair, columns: Pair, value: float = 0.0) -> Tensor:
    """Channels-first ``images`` (N, C, H, W) with ``rows`` = (top, bottom) rows and
    ``columns`` = (left, right) columns of ``value`` added, by concatenation."""
    for axis, (before, after) in ((2, rows), (3, columns)):
        parts = [_filled(images, axis, before, value), images, _filled(images, axis, after, value)]
        images = F.concatenate([part for part in parts if part is not None], axis=axis)
    return images


def _filled(images: Tensor, axis: int, length: int, value: float) -> Tensor | None:
    """A constant block shaped like ``images`` but ``length`` long along ``axis``."""
    if length == 0:
        return None
    shape = list(images.shape)
    shape[axis] = length
    xp = get_array_module(images.data)
    return wrap(xp.full(shape, value, dtype=images.data.dtype))


def spatial_padding(
    height: int, width: int, kernel: Pair, stride: Pair, padding: str
) -> tuple[Pair, Pair]:
    """((top, bottom), (left, right)) for ``padding`` ("valid" pads nothing)."""
    if padding == "valid":
        return (0, 0), (0, 0)
    return same_padding(height, kernel[0], stride[0]), same_padding(width, kernel[1], stride[1])


def image_axes(data_format: Any, layer: str) -> str:
    """Keras's ``data_format``: "channels_last" (the default, None) or "channels_first"."""
    data_format = data_format or "channels_last"
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{layer}: data_format must be 'channels_last' or 'channels_first', got {data_format!r}"
        )
    return data_format
