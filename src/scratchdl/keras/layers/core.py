"""Core layers: Input, Dense, Activation, Flatten, Reshape, Dropout, Rescaling and the
activation layers ReLU, LeakyReLU and Softmax."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.keras import activations, initializers, regularizers
from scratchdl.keras.layers.base import Layer, Shape
from scratchdl.keras.layers.layout import image_axes
from scratchdl.keras.layers.symbolic import KerasTensor, Node


class InputLayer(Layer):
    """The shape of one sample: the start of a functional model's graph (its ``output`` is
    the KerasTensor ``keras.Input`` returns), or of a Sequential model, so every layer is
    built at once (and ``summary`` shows shapes before any data is seen)."""

    def __init__(
        self,
        shape: tuple[int, ...] | None = None,
        batch_size: int | None = None,
        dtype: Any = None,
        batch_shape: tuple[int | None, ...] | None = None,
        name: str | None = None,
        input_shape: tuple[int, ...] | None = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        shape = shape if shape is not None else input_shape
        if batch_shape is not None:
            shape = tuple(batch_shape)[1:]
        if shape is None:
            raise ValueError("InputLayer: give the shape of one sample, e.g. Input(shape=(784,))")
        self.batch_shape: Shape = (batch_size, *tuple(shape))
        self.input_shape = self.output_shape = self.batch_shape
        self.built = True
        self.output = KerasTensor(self.batch_shape, name=self.name)
        Node(self, None, self.output)

    @property
    def shape(self) -> Shape:
        """The batch shape, (None, *shape) unless a batch size was given."""
        return self.batch_shape

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "batch_shape": list(self.batch_shape)}


def Input(
    shape: tuple[int, ...] | None = None,
    batch_size: int | None = None,
    dtype: Any = None,
    batch_shape: tuple[int | None, ...] | None = None,
    name: str | None = None,
) -> KerasTensor:
    """``keras.Input(shape=(28, 28, 1))``: a KerasTensor of shape (None, 28, 28, 1), the
    input of a functional model, or the first element of a Sequential's list."""
    return InputLayer(shape, batch_size, dtype, batch_shape, name).output


class Dense(Layer):
    """y = activation(x @ kernel + bias) on the last axis: (..., in) -> (..., units).

    kernel: (in, units), glorot_uniform by default; bias: (units,), zeros. ``in`` is taken
    from the first input the layer sees.
    """

    def __init__(
        self,
        units: int,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, int) or units < 1:
            raise ValueError(f"Dense: units must be a positive integer, got {units!r}")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def build(self, input_shape: Shape) -> None:
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(f"Dense: needs inputs (batch, ..., features), got {input_shape}")
        self.input_axes = {-1: input_shape[-1]}
        self.add_weight(
            "kernel",
            (input_shape[-1], self.units),
            self.kernel_initializer,
            regularizer=self.kernel_regularizer,
        )
        if self.use_bias:
            self.add_weight(
                "bias", (self.units,), self.bias_initializer, regularizer=self.bias_regularizer
            )

    def pre_activation(self, x: Tensor) -> Tensor:
        """x @ kernel + bias, before the activation."""
        y = F.matmul(x, self.kernel)
        return y + self.bias if self.use_bias else y

    def call(self, x: Tensor) -> Tensor:
        return self.activation(self.pre_activation(x))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return (*input_shape[:-1], self.units)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
        }


class Activation(Layer):
    """y = activation(x), the activation given by name or as a function."""

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def pre_activation(self, x: Tensor) -> Tensor:
        return x

    def call(self, x: Tensor) -> Tensor:
        return self.activation(x)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class ReLU(Layer):
    """max(0, x); below 0, ``negative_slope`` · x; capped at ``max_value`` when given."""

    def __init__(
        self, max_value: float | None = None, negative_slope: float = 0.0, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.max_value, self.negative_slope = max_value, negative_slope

    def call(self, x: Tensor) -> Tensor:
        y = F.leaky_relu(x, self.negative_slope) if self.negative_slope else F.relu(x)
        return y if self.max_value is None else F.clip(y, None, self.max_value)

    def get_config(self) -> dict[str, Any]:
        config = {**super().get_config(), "max_value": self.max_value}
        return {**config, "negative_slope": self.negative_slope}


class LeakyReLU(Layer):
    """x for x > 0, else ``negative_slope`` · x (Keras's layer default: 0.3)."""

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.negative_slope = negative_slope

    def call(self, x: Tensor) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "negative_slope": self.negative_slope}


class Softmax(Activation):
    """Class probabilities along ``axis``: exp(x) / Σ exp(x)."""

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        along_axis = activations.softmax if axis == -1 else partial(activations.softmax, axis=axis)
        super().__init__(along_axis, **kwargs)
        self.axis = axis

    def call(self, x: Tensor) -> Tensor:
        return F.softmax(x, axis=self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**Layer.get_config(self), "axis": self.axis}


class Flatten(Layer):
    """(N, d1, d2, ...) -> (N, d1·d2·...), in row-major order: images (N, H, W, C) pixel by
    pixel with the channels innermost, as Keras flattens them (channels-first images are
    put channels last first, so both orders give the same vector)."""

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = image_axes(data_format, "Flatten")

    def call(self, x: Tensor) -> Tensor:
        if self.data_format == "channels_first" and x.ndim > 2:
            x = F.permute(x, (0, *range(2, x.ndim), 1))
        return F.reshape(x, (x.shape[0], -1))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        sizes = input_shape[1:]
        return (input_shape[0], None if None in sizes else math.prod(sizes))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """(N, ...) -> (N, *target_shape); one entry of ``target_shape`` may be -1."""

    def __init__(self, target_shape: tuple[int, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)

    def call(self, x: Tensor) -> Tensor:
        return F.reshape(x, (x.shape[0], *self.target_shape))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        if -1 not in self.target_shape or None in input_shape[1:]:
            return (input_shape[0], *self.target_shape)
        known = math.prod(size for size in self.target_shape if size != -1)
        missing = math.prod(input_shape[1:]) // known
        return (input_shape[0], *(missing if s == -1 else s for s in self.target_shape))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "target_shape": list(self.target_shape)}


class Dropout(Layer):
    """During training, zero each input with probability ``rate`` and scale the others by
    1 / (1 − rate); the identity in inference (evaluate, predict, a plain call)."""

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if noise_shape is not None:
            raise NotImplementedError("Dropout: noise_shape")
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout: rate must be in [0, 1), got {rate!r}")
        self.rate, self.seed = rate, seed

    def call(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.rate, training=self.training)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class Rescaling(Layer):
    """y = x · scale + offset (``Rescaling(1 / 255)`` maps pixels to [0, 1])."""

    def __init__(self, scale: float, offset: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset

    def call(self, x: Tensor) -> Tensor:
        return x * self.scale + self.offset if self.offset else x * self.scale

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
