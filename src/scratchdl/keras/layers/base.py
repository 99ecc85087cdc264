"""Layer: Keras's building block, an ``nn.Module`` whose weights are made on its first call.

A layer knows its output activation, its weights in Keras's layouts and names (a Dense has
``kernel`` (in, units) and ``bias``), and the shape of what it outputs, computed from the
shape it was built for (``(None, 26, 26, 32)``: None is the batch axis). Subclasses define:

    build(input_shape)             create weights with add_weight (when there are any)
    call(x)                        the computation on a Tensor
    compute_output_shape(shape)    the output's shape, without computing anything
    get_config()                   the constructor's arguments (what a saved model stores)

Keras layers start in inference mode (``training`` False: Dropout keeps every unit),
as a Keras layer called outside ``fit`` does; ``fit`` switches the model to training mode.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import numpy as np

import scratchdl.nn as nn
from scratchdl.autograd import Tensor, as_tensor, wrap
from scratchdl.backend import ARRAY_TYPES, to_device
from scratchdl.keras import initializers, regularizers
from scratchdl.keras.layers.symbolic import call_on_symbols, is_symbolic
from scratchdl.keras.naming import snake_case, unique_name

Shape = tuple[int | None, ...]


class Layer(nn.Module):
    """Base class of the Keras layers.

    ``input_ndim`` (a class attribute) is the number of input dimensions the layer needs,
    batch included (None: any); ``takes_list`` says that it is called on a list of inputs
    (the merge layers), its shapes a list of shapes.

    Keyword arguments every layer takes: ``name`` (else an automatic one such as
    "dense_1"), ``trainable`` (False freezes the weights), ``dtype`` (only float32), and,
    for the first layer of a Sequential, ``input_shape`` (or ``input_dim``), the shape of one
    sample. Any other keyword is a TypeError, as in Keras.
    """

    input_ndim: int | None = None
    takes_list = False

    def __init__(
        self,
        *,
        name: str | None = None,
        trainable: bool = True,
        dtype: Any = None,
        input_shape: tuple[int, ...] | None = None,
        input_dim: int | None = None,
        **unknown: Any,
    ) -> None:
        super().__init__()
        if unknown:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {unknown}"
            )
        if dtype not in (None, "float32", np.float32):
            raise ValueError(
                f"{type(self).__name__}: only dtype float32 is supported, got {dtype!r}"
            )
        self.name = name or unique_name(snake_case(type(self).__name__))
        self.training = False
        self.built = False
        self.input_shape: Shape | None = None
        self.output_shape: Shape | None = None
        self.declared_input_shape = _declared_shape(input_shape, input_dim)
        self.input_axes: dict[int, int] = {}  # axis -> the size build fixed it to
        self._trainable = bool(trainable)
        self._weight_names: list[str] = []
        self._regularizers: dict[str, regularizers.Regularizer] = {}
        self._inbound_nodes: list[Any] = []  # its calls on KerasTensors (layers.symbolic)

    # ------------------------------------------------------------------ building
    def build(self, input_shape: Shape) -> None:
        """Create the weights for inputs of ``input_shape`` (none by default)."""

    def build_for(self, input_shape: Shape) -> Shape:
        """Build for ``input_shape`` (its batch size is ignored) unless built already, after
        checking that it fits the layer; return the output shape."""
        input_shape = (None, *tuple(input_shape)[1:])
        self.check_input_shape(input_shape)
        if not self.built:
            self.build(input_shape)
            self.input_shape = input_shape
            self.output_shape = self.compute_output_shape(input_shape)
            self.built = True
        return self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """The output's shape for inputs of ``input_shape`` (the same, by default)."""
        return input_shape

    def check_input_shape(self, shape: Shape) -> None:
        """Raise ValueError, worded as Keras words it, when ``shape`` lacks the dimensions
        the layer needs (``input_ndim``) or differs from the built one on an axis its
        weights depend on (``input_axes``)."""
        problem = None
        if self.input_ndim is not None and len(shape) != self.input_ndim:
            problem = f"expected ndim={self.input_ndim}, found ndim={len(shape)}"
        for axis, size in self.input_axes.items():
            if problem is None and (not -len(shape) <= axis < len(shape) or shape[axis] != size):
                problem = f"expected axis {axis} of input shape to have value {size}"
        if problem is not None:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: {problem}, '
                f"but received input with shape {tuple(shape)}"
            )

    def add_weight(
        self,
        name: str,
        shape: tuple[int, ...],
        initializer: Any = "glorot_uniform",
        trainable: bool = True,
        regularizer: Any = None,
    ) -> Any:
        """Create the weight ``name``: a Parameter when ``trainable``, else a buffer (saved,
        never learned, as BatchNormalization's moving statistics). Returns it."""
        array = initializers.get(initializer)(shape, "float32")
        if trainable:
            setattr(self, name, nn.Parameter(array))
            getattr(self, name).requires_grad_(self.trainable)
        else:
            self.register_buffer(name, as_tensor(array))
        self._weight_names.append(name)
        if regularizer is not None:
            self._regularizers[name] = regularizer
        return getattr(self, name)

    # ------------------------------------------------------------------- calling
    def __call__(self, inputs: Any, training: bool | None = None) -> Any:
        """Build on the first call from the inputs' shape, then compute. ``training`` (True
        or False) overrides the mode for this call. Called on KerasTensors (``keras.Input``
        and what layers return for it), build and return the output's KerasTensor."""
        if isinstance(inputs, Layer):
            raise TypeError(
                f"{type(self).__name__} was called on a layer ({type(inputs).__name__}); call "
                "it on a tensor, an array or a keras.Input(shape=...)."
            )
        if is_symbolic(inputs):
            return call_on_symbols(self, inputs)
        x = self.as_inputs(inputs)
        self.build_for([item.shape for item in x] if self.takes_list else x.shape)
        with _mode(self, training):
            return self.call(x)

    def as_inputs(self, inputs: Any) -> Any:
        """The data the layer computes on: a float Tensor on the weights' device."""
        return as_float_tensor(inputs, self._weights_device())

    def call(self, x: Tensor) -> Tensor:
        """The layer's computation (the identity, by default)."""
        return x

    def forward(self, x: Any) -> Tensor:
        return self(x)

    def _weights_device(self) -> Any:
        """Where the weights live (None before they exist: the default device, where they
        will be made); arrays the layer is called on are copied there."""
        return next((weight.device for weight in self.weights), None)

    # ------------------------------------------------------------------- weights
    @property
    def trainable(self) -> bool:
        """Whether fit updates this layer's weights; setting False freezes them."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for parameter in self.parameters():
            parameter.requires_grad_(self._trainable)

    @property
    def weights(self) -> list[Tensor]:
        """Every weight, in creation order (for BatchNormalization: gamma, beta,
        moving_mean, moving_variance)."""
        return [weight for _, weight in self.named_weights()]

    def named_weights(self) -> list[tuple[str, Tensor]]:
        """(name, weight) for every weight, in creation order ("kernel", "bias", ...)."""
        return [(name, _as_weight(getattr(self, name))) for name in self._weight_names]

    @property
    def trainable_weights(self) -> list[Tensor]:
        """The weights fit updates."""
        return list(self.parameters()) if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Tensor]:
        """The weights fit leaves alone (moving statistics, frozen layers)."""
        trainable = {id(weight) for weight in self.trainable_weights}
        return [weight for weight in self.weights if id(weight) not in trainable]

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights as NumPy arrays, in ``weights`` order."""
        return [np.array(weight.numpy(), copy=True) for weight in self.weights]

    def set_weights(self, weights: list[Any]) -> None:
        """Copy ``weights`` (arrays in ``weights`` order) into the layer, in place.

        Raises ValueError, before changing anything, when their number or a shape differs.
        """
        set_weight_arrays(self.weights, weights, f'layer "{self.name}"')

    def count_params(self) -> int:
        """The number of numbers in the weights. Raises ValueError if not built yet."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer "
                "isn't built. Call it on data first, or give the model an Input."
            )
        return sum(weight.data.size for weight in self.weights)

    def regularization_penalty(self) -> Tensor | None:
        """The sum of this layer's weight penalties (None without regularisers)."""
        penalties = [penalty(getattr(self, name)) for name, penalty in self._regularizers.items()]
        return sum(penalties[1:], penalties[0]) if penalties else None

    # -------------------------------------------------------------------- config
    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments: ``type(layer)(**layer.get_config())`` rebuilds it."""
        return {"name": self.name, "trainable": self.trainable}

    def extra_repr(self) -> str:
        return f"name={self.name!r}"


def as_float_tensor(inputs: Any, device: Any = None) -> Tensor:
    """Inputs as a float32 Tensor (Tensors of another float dtype are kept, where they
    are); other data goes to ``device`` (None: where a device array lives, host data to
    the default device, as ``sd.as_tensor`` places it)."""
    if isinstance(inputs, Tensor):
        return inputs if inputs.data.dtype.kind == "f" else wrap(inputs.data.astype(np.float32))
    return as_tensor(as_array(inputs), dtype=np.float32, device=device)


def set_weight_arrays(targets: list[Tensor], values: list[Any], owner: str) -> None:
    """Copy each of ``values`` (arrays on any device, Tensors or nested lists) into the
    matching target in place, onto the target's device, after checking them all."""
    values = [as_array(value) for value in values]
    if len(values) != len(targets):
        raise ValueError(
            f"set_weights: {owner} expects {len(targets)} weight arrays, got {len(values)}"
        )
    for index, (target, value) in enumerate(zip(targets, values, strict=True)):
        if value.shape != target.shape:
            raise ValueError(
                f"set_weights: {owner} weight {index} has shape {tuple(target.shape)}, "
                f"got an array of shape {value.shape}"
            )
    for target, value in zip(targets, values, strict=True):
        target.data[...] = to_device(value, target.device)


def as_array(value: Any) -> Any:
    """``value`` as an array where it lives: a Tensor's data, an array as it is, anything
    else (nested lists, scalars) as a NumPy array."""
    if isinstance(value, Tensor):
        return value.data
    return value if isinstance(value, ARRAY_TYPES) else np.asarray(value)


def _declared_shape(input_shape: Any, input_dim: Any) -> Shape | None:
    """The batch shape (None, *input_shape) that ``input_shape=`` / ``input_dim=`` declare."""
    if input_shape is not None and input_dim is not None:
        raise ValueError("pass input_shape or input_dim, not both")
    if input_dim is not None:
        input_shape = (input_dim,)
    return None if input_shape is None else (None, *tuple(input_shape))


def _as_weight(value: Any) -> Tensor:
    """A parameter as it is; a buffer (an array) wrapped in a Tensor sharing its memory."""
    return value if isinstance(value, Tensor) else Tensor(value)


@contextmanager
def _mode(layer: Layer, training: bool | None):
    """Run a block with ``layer`` in training mode ``training`` (unchanged when None)."""
    if training is None:
        yield
        return
    was_training = layer.training
    layer.train(bool(training))
    try:
        yield
    finally:
        layer.train(was_training)
