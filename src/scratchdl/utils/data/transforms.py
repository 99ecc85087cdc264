"""Transforms: small callables that map a batch of samples to a batch of samples.

A transform receives an array whose first axis indexes samples (a single sample arrives as a
batch of one), so the same transform works for ``dataset[i]`` and for whole batches:

    transform = Compose([ToFloat(), Normalize(0.1307, 0.3081), Flatten()])
    TensorDataset(images_uint8, labels, transform=transform, target_transform=OneHot(10))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Transform = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class ToFloat:
    """uint8 pixels to float32 in [0, 1]: x / 255. Other dtypes are cast to float32 as they are."""

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if x.dtype == np.uint8:
            return x.astype(np.float32) / np.float32(255)
        return x.astype(np.float32, copy=False)


class Normalize:
    """Standardise: (x - mean) / std, with scalar or per-channel (axis 1) mean and std.

    ``Normalize(0.1307, 0.3081)`` for MNIST; ``Normalize([m_r, m_g, m_b], [s_r, s_g, s_b])``
    for a batch (N, 3, H, W). Raises ValueError for a non-positive std.
    """

    def __init__(self, mean: float | Sequence[float], std: float | Sequence[float]) -> None:
        self.mean = np.asarray(mean, dtype=np.float32)
        self.std = np.asarray(std, dtype=np.float32)
        for name, value in (("mean", self.mean), ("std", self.std)):
            if value.ndim > 1:
                raise ValueError(f"Normalize: {name} must be a number or a 1-d sequence")
        if np.any(self.std <= 0):
            raise ValueError(f"Normalize: std must be positive, got {self.std.tolist()}")

    def __call__(self, x: np.ndarray) -> np.ndarray:
        mean, std = self._per_channel(self.mean, x), self._per_channel(self.std, x)
        return ((x - mean) / std).astype(np.float32, copy=False)

    @staticmethod
    def _per_channel(value: np.ndarray, x: np.ndarray) -> np.ndarray:
        """``value`` shaped to broadcast along axis 1 of ``x`` (scalars broadcast as they are)."""
        if value.ndim == 0:
            return value
        if x.ndim < 2 or x.shape[1] != len(value):
            raise ValueError(
                f"Normalize: {len(value)} per-channel values need a batch (N, {len(value)}, ...), "
                f"got shape {x.shape}"
            )
        return value.reshape(len(value), *([1] * (x.ndim - 2)))

    def __repr__(self) -> str:
        return f"Normalize(mean={self.mean.tolist()}, std={self.std.tolist()})"


@dataclass(frozen=True)
class Flatten:
    """Flatten every axis after the first: (N, d1, d2, ...) -> (N, d1 * d2 * ...)."""

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return x.reshape(len(x), -1)


@dataclass(frozen=True)
class OneHot:
    """Class indices (N,) to one-hot rows (N, num_classes): out[i, y[i]] = 1."""

    num_classes: int
    dtype: Any = np.float32

    def __post_init__(self) -> None:
        if isinstance(self.num_classes, bool) or not isinstance(self.num_classes, int):
            raise ValueError(f"OneHot: num_classes must be an int, got {self.num_classes!r}")
        if self.num_classes < 1:
            raise ValueError(f"OneHot: num_classes must be positive, got {self.num_classes}")

    def __call__(self, y: np.ndarray) -> np.ndarray:
        y = np.asarray(y)
        if y.dtype.kind not in "iu":
            raise ValueError(f"OneHot: expected integer class indices, got dtype {y.dtype}")
        if y.size and (y.min() < 0 or y.max() >= self.num_classes):
            raise ValueError(
                f"OneHot: labels must lie in [0, {self.num_classes}), "
                f"got values from {y.min()} to {y.max()}"
            )
        return np.eye(self.num_classes, dtype=self.dtype)[y]


class Compose:
    """Apply transforms in order: Compose([f, g])(x) = g(f(x))."""

    def __init__(self, transforms: Sequence[Transform]) -> None:
        for t in transforms:
            if not callable(t):
                raise TypeError(f"Compose: every transform must be callable, got {t!r}")
        self.transforms = list(transforms)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        for transform in self.transforms:
            x = transform(x)
        return x

    def __repr__(self) -> str:
        return f"Compose({self.transforms!r})"
