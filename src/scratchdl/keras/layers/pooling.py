"""Pooling layers, channels last: MaxPooling2D, AveragePooling2D and their global forms."""

from __future__ import annotations

from typing import Any

from scratchdl import functional as F
from scratchdl.autograd import Tensor, wrap
from scratchdl.backend import get_array_module
from scratchdl.keras.layers import layout
from scratchdl.keras.layers.base import Layer, Shape
from scratchdl.keras.layers.conv import image_output_shape


class _Pooling2D(Layer):
    """A window of ``pool_size`` slid by ``strides`` (default: the pool size) over each
    channel of images (N, H, W, C); "valid" uses whole windows only, "same" pads so that
    OH = ⌈H / stride⌉ (the padding never enters a window's result)."""

    input_ndim = 4

    def __init__(
        self,
        pool_size: int | tuple[int, int],
        strides: int | tuple[int, int] | None = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        layer = type(self).__name__
        self.pool_size = layout.as_pair(pool_size, "pool_size", layer)
        self.strides = (
            self.pool_size if strides is None else layout.as_pair(strides, "strides", layer)
        )
        self.padding = layout.check_padding(padding, layer)
        self.data_format = layout.image_axes(data_format, layer)

    def call(self, x: Tensor) -> Tensor:
        images = layout.channels_first(x) if self.data_format == "channels_last" else x
        padding = layout.spatial_padding(
            *images.shape[2:], self.pool_size, self.strides, self.padding
        )
        pooled = self.pool(images, *padding)
        return layout.channels_last(pooled) if self.data_format == "channels_last" else pooled

    def pool(self, images: Tensor, rows: tuple[int, int], columns: tuple[int, int]) -> Tensor:
        """Pool channels-first ``images`` after padding them by ``rows`` and ``columns``."""
        raise NotImplementedError

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return image_output_shape(
            input_shape, None, self.pool_size, self.strides, self.padding, self.data_format
        )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
        }


class MaxPooling2D(_Pooling2D):
    """The largest value of each window; "same" pads with −∞."""

    def __init__(self, pool_size: int | tuple[int, int] = (2, 2), **kwargs: Any) -> None:
        super().__init__(pool_size, **kwargs)

    def pool(self, images, rows, columns):
        padded = layout.pad_hw(images, rows, columns, value=-float("inf"))
        return F.max_pool2d(padded, self.pool_size, self.strides)


class AveragePooling2D(_Pooling2D):
    """The mean of each window; with "same", of its elements inside the image only (the
    padding is not counted, as in Keras)."""

    def pool(self, images, rows, columns):
        mean = F.avg_pool2d(layout.pad_hw(images, rows, columns), self.pool_size, self.strides)
        if rows == (0, 0) and columns == (0, 0):
            return mean
        inside = wrap(get_array_module(images.data).ones((1, 1, *images.shape[2:]), images.dtype))
        fraction_inside = F.avg_pool2d(
            layout.pad_hw(inside, rows, columns), self.pool_size, self.strides
        )
        return mean / fraction_inside


class _GlobalPooling2D(Layer):
    """One value per channel over all positions: (N, H, W, C) -> (N, C), or (N, 1, 1, C)
    with ``keepdims``."""

    input_ndim = 4

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.data_format = layout.image_axes(data_format, type(self).__name__)
        self.keepdims = keepdims

    @property
    def spatial_axes(self) -> tuple[int, int]:
        return (1, 2) if self.data_format == "channels_last" else (2, 3)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        if self.keepdims:
            return tuple(
                1 if axis in self.spatial_axes else size for axis, size in enumerate(input_shape)
            )
        return tuple(size for axis, size in enumerate(input_shape) if axis not in self.spatial_axes)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling2D):
    """The mean of each channel over all positions."""

    def call(self, x: Tensor) -> Tensor:
        return F.mean(x, axis=self.spatial_axes, keepdims=self.keepdims)


class GlobalMaxPooling2D(_GlobalPooling2D):
    """The largest value of each channel over all positions (a max-pool whose window is the
    whole image)."""

    def call(self, x: Tensor) -> Tensor:
        images = layout.channels_first(x) if self.data_format == "channels_last" else x
        pooled = F.max_pool2d(images, images.shape[2:])  # (N, C, 1, 1)
        if self.keepdims:
            return layout.channels_last(pooled) if self.data_format == "channels_last" else pooled
        return F.reshape(pooled, pooled.shape[:2])
