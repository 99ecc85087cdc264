"""Conv2D: Keras's 2-d convolution, channels last, on scratchdl's ``conv2d``."""

from __future__ import annotations

from typing import Any

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.keras import activations, initializers, regularizers
from scratchdl.keras.layers import layout
from scratchdl.keras.layers.base import Layer, Shape


class Conv2D(Layer):
    """y = activation(x ⋆ kernel + bias), for images x (N, H, W, C) (channels last, Keras's
    default) giving (N, OH, OW, filters).

    kernel: (KH, KW, C, filters), glorot_uniform by default; bias: (filters,), zeros.
    padding "valid" uses only whole windows: OH = ⌊(H − KH) / stride⌋ + 1; "same" pads so
    that OH = ⌈H / stride⌉, the odd row or column at the bottom or right, as Keras does.
    The result equals scratchdl's channels-first ``conv2d`` on the transposed images and
    kernel, which is how it is computed.
    """

    input_ndim = 4

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple[int, int],
        strides: int | tuple[int, int] = (1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | tuple[int, int] = (1, 1),
        groups: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        layer = type(self).__name__
        if isinstance(filters, bool) or not isinstance(filters, int) or filters < 1:
            raise ValueError(f"{layer}: filters must be a positive integer, got {filters!r}")
        if layout.as_pair(dilation_rate, "dilation_rate", layer) != (1, 1) or groups != 1:
            raise NotImplementedError(f"{layer}: dilation_rate and groups other than 1")
        self.filters = filters
        self.kernel_size = layout.as_pair(kernel_size, "kernel_size", layer)
        self.strides = layout.as_pair(strides, "strides", layer)
        self.padding = layout.check_padding(padding, layer)
        self.data_format = layout.image_axes(data_format, layer)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    @property
    def channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape: Shape) -> None:
        channels = input_shape[self.channel_axis]
        self.input_axes = {self.channel_axis: channels}
        self.add_weight(
            "kernel",
            (*self.kernel_size, channels, self.filters),
            self.kernel_initializer,
            regularizer=self.kernel_regularizer,
        )
        if self.use_bias:
            self.add_weight(
                "bias", (self.filters,), self.bias_initializer, regularizer=self.bias_regularizer
            )

    def pre_activation(self, x: Tensor) -> Tensor:
        """x ⋆ kernel + bias, before the activation."""
        return self._in_data_format(self._convolve(x))

    def call(self, x: Tensor) -> Tensor:
        if self.activation in activations.ELEMENTWISE:
            # The same numbers in either layout, and several times faster in the layout the
            # convolution computes in (channels first) than on its channels-last view.
            return self._in_data_format(self.activation(self._convolve(x)))
        return self.activation(self.pre_activation(x))

    def _convolve(self, x: Tensor) -> Tensor:
        """x ⋆ kernel + bias, channels first (N, filters, OH, OW)."""
        images = layout.channels_first(x) if self.data_format == "channels_last" else x
        rows, columns = layout.spatial_padding(
            *images.shape[2:], self.kernel_size, self.strides, self.padding
        )
        if rows[0] != rows[1] or columns[0] != columns[1]:  # conv2d pads both sides alike
            images = layout.pad_hw(images, rows, columns)
            rows, columns = (0, 0), (0, 0)
        return F.conv2d(
            images,
            layout.kernel_channels_first(self.kernel),
            self.bias if self.use_bias else None,
            stride=self.strides,
            padding=(rows[0], columns[0]),
        )

    def _in_data_format(self, images: Tensor) -> Tensor:
        """Channels-first ``images`` in the layer's data format."""
        return layout.channels_last(images) if self.data_format == "channels_last" else images

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return image_output_shape(
            input_shape,
            self.filters,
            self.kernel_size,
            self.strides,
            self.padding,
            self.data_format,
        )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
        }


def image_output_shape(
    input_shape: Shape,
    channels: int | None,
    window: tuple[int, int],
    strides: tuple[int, int],
    padding: str,
    data_format: str,
) -> Shape:
    """The shape of a sliding-window layer's output: (N, OH, OW, channels) channels last,
    (N, channels, OH, OW) channels first; ``channels`` None keeps the input's."""
    if data_format == "channels_last":
        _, height, width, in_channels = input_shape
    else:
        _, in_channels, height, width = input_shape
    out_h = layout.output_length(height, window[0], strides[0], padding)
    out_w = layout.output_length(width, window[1], strides[1], padding)
    channels = in_channels if channels is None else channels
    if data_format == "channels_last":
        return (input_shape[0], out_h, out_w, channels)
    return (input_shape[0], channels, out_h, out_w)
