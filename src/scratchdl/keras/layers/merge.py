"""Merge layers: one output from a list of inputs.

    merged = layers.Concatenate()([x, y])      # or layers.concatenate([x, y])
    total = layers.Add()([x, y, z])            # or layers.add([x, y, z])

The element-wise merges (Add, Subtract, Multiply, Average, Maximum, Minimum) take inputs of
one shape (an axis of size 1 broadcasts, as in Keras); Concatenate joins inputs equal on
every axis but ``axis``.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.keras.layers.base import Layer, Shape, as_float_tensor


class Merge(Layer):
    """Base of the merge layers: called on a list of at least ``min_inputs`` tensors."""

    takes_list = True
    min_inputs, max_inputs = 1, None

    def as_inputs(self, inputs: Any) -> list[Tensor]:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}) should be called on a list of '
                f"inputs, got {type(inputs).__name__}"
            )
        device = self._weights_device()
        return [as_float_tensor(item, device) for item in inputs]

    def build_for(self, input_shape: Any) -> Shape:
        shapes = [tuple(shape) for shape in input_shape]
        count = len(shapes)
        if count < self.min_inputs or (self.max_inputs is not None and count > self.max_inputs):
            wanted = (
                f"exactly {self.max_inputs}"
                if self.max_inputs == self.min_inputs
                else f"at least {self.min_inputs}"
            )
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}) should be called on a list of '
                f"{wanted} inputs, got {count}: {shapes}"
            )
        output_shape = self.compute_output_shape(shapes)
        if not self.built:
            self.input_shape, self.output_shape, self.built = shapes, output_shape, True
        return output_shape

    def compute_output_shape(self, input_shape: Any) -> Shape:
        """The broadcast of the input shapes (batch axis None)."""
        return reduce(self._broadcast, [tuple(shape) for shape in input_shape])

    def _broadcast(self, a: Shape, b: Shape) -> Shape:
        if len(a) != len(b):
            self._incompatible(a, b)
        sizes = []
        for size_a, size_b in zip(a, b, strict=True):
            if size_a is None or size_b is None:
                sizes.append(None if size_a in (None, 1) or size_b in (None, 1) else size_a)
            elif size_a != size_b and 1 not in (size_a, size_b):
                self._incompatible(a, b)
            else:
                sizes.append(max(size_a, size_b))
        return (None, *sizes[1:])

    def _incompatible(self, a: Shape, b: Shape) -> None:
        raise ValueError(
            f'Layer "{self.name}" ({type(self).__name__}): inputs have incompatible shapes. '
            f"Received shapes {a} and {b}"
        )

    def call(self, inputs: list[Tensor]) -> Tensor:
        return reduce(self.merge, inputs)

    def merge(self, a: Tensor, b: Tensor) -> Tensor:
        raise NotImplementedError


class Add(Merge):
    """x₁ + x₂ + ... element-wise."""

    def merge(self, a: Tensor, b: Tensor) -> Tensor:
        return a + b


class Subtract(Merge):
    """x₁ − x₂ (exactly two inputs)."""

    min_inputs = max_inputs = 2

    def merge(self, a: Tensor, b: Tensor) -> Tensor:
        return a - b


class Multiply(Merge):
    """x₁ · x₂ · ... element-wise."""

    def merge(self, a: Tensor, b: Tensor) -> Tensor:
        return a * b


class Average(Add):
    """(x₁ + ... + xₙ) / n element-wise."""

    def call(self, inputs: list[Tensor]) -> Tensor:
        return super().call(inputs) * (1.0 / len(inputs))


class Maximum(Merge):
    """max(x₁, x₂, ...) element-wise (the gradient goes to the larger input)."""

    def merge(self, a: Tensor, b: Tensor) -> Tensor:
        return F.maximum(a, b)


class Minimum(Merge):
    """min(x₁, x₂, ...) element-wise."""

    def merge(self, a: Tensor, b: Tensor) -> Tensor:
        return F.minimum(a, b)


class Concatenate(Merge):
    """The inputs joined along ``axis`` (the last by default); every other axis equal."""

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def compute_output_shape(self, input_shape: Any) -> Shape:
        shapes = [tuple(shape) for shape in input_shape]
        rank = len(shapes[0])
        axis = self.axis % rank if -rank <= self.axis < rank else 0
        others = {shape[1:axis] + shape[axis + 1 :] for shape in shapes}
        if axis == 0 or len({len(shape) for shape in shapes}) > 1 or len(others) > 1:
            raise ValueError(
                f'Layer "{self.name}" (Concatenate): a Concatenate layer requires inputs with '
                f"matching shapes except for the concatenation axis {self.axis}. Received: "
                f"input_shape={shapes}"
            )
        sizes = [s[axis] for s in shapes]
        joined = None if None in sizes else sum(sizes)
        return (None, *shapes[0][1:axis], joined, *shapes[0][axis + 1 :])

    def call(self, inputs: list[Tensor]) -> Tensor:
        return F.cat(inputs, axis=self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


def _functional(layer_class: type[Merge]) -> Any:
    """Keras's function form of a merge layer: ``add([x, y])`` is ``Add()([x, y])``."""

    def merge(inputs: list[Any], **kwargs: Any) -> Any:
        return layer_class(**kwargs)(inputs)

    merge.__name__ = layer_class.__name__.lower()
    merge.__doc__ = f"``{merge.__name__}(inputs, **kwargs)``: ``{layer_class.__name__}``."
    return merge


add, subtract, multiply, average, maximum, minimum, concatenate = map(
    _functional, (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate)
)
