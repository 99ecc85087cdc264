"""Sequential: a stack of Keras layers, each feeding the next, with Keras's training methods
(``compile``, ``fit``, ``evaluate``, ``predict``: see ``trainer``), ``summary`` and ``save``
(``ModelBase``, what it shares with ``keras.Model``, see ``functional``).

    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])

With an Input (or ``input_shape=`` on the first layer) every layer is built at once;
without one, on the first call (or ``fit``), from the data's shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import scratchdl.nn as nn
from scratchdl.autograd import Tensor
from scratchdl.keras.layers.base import Layer, Shape, set_weight_arrays
from scratchdl.keras.layers.core import InputLayer
from scratchdl.keras.layers.symbolic import KerasTensor
from scratchdl.keras.summary import summary_text
from scratchdl.keras.trainer import Trainer


class ModelBase(Trainer, Layer):
    """What every Keras model has, through its ``layers``: the weights, the parameter
    count, ``get_layer``, ``summary`` and saving (the training methods come from
    ``Trainer``)."""

    def __init__(self, name: str | None = None, trainable: bool = True) -> None:
        Layer.__init__(self, name=name, trainable=trainable)
        Trainer.__init__(self)

    @property
    def layers(self) -> list[Layer]:
        raise NotImplementedError

    @property
    def output_layer(self) -> Layer | None:
        """The layer whose output activation fit may fold into the loss (None: none)."""
        raise NotImplementedError

    # ------------------------------------------------------------------- weights
    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for layer in self.layers:
            layer.trainable = value

    @property
    def weights(self) -> list[Tensor]:
        return [weight for layer in self.layers for weight in layer.weights]

    @property
    def trainable_weights(self) -> list[Tensor]:
        return [weight for layer in self.layers for weight in layer.trainable_weights]

    @property
    def non_trainable_weights(self) -> list[Tensor]:
        return [weight for layer in self.layers for weight in layer.non_trainable_weights]

    def set_weights(self, weights: list[Any]) -> None:
        set_weight_arrays(self.weights, weights, f'model "{self.name}"')

    def count_params(self) -> int:
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on model '{self.name}', but the model "
                "isn't built. Give it an Input, call it on data, or call build(input_shape)."
            )
        return sum(layer.count_params() for layer in self.layers)

    def regularization_penalty(self) -> Tensor | None:
        penalties = [
            p for layer in self.layers if (p := layer.regularization_penalty()) is not None
        ]
        return sum(penalties[1:], penalties[0]) if penalties else None

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """The layer called ``name``, or at position ``index``."""
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"No such layer: {name}. Existing layers are: {[layer.name for layer in self.layers]}."
        )

    # ------------------------------------------------------------------- display
    def summary(
        self, line_length: Any = None, positions: Any = None, print_fn: Any = None, **unused: Any
    ) -> None:
        """Print Keras's table of the layers (or pass its text to ``print_fn``)."""
        text = summary_text(self)
        if print_fn is None:
            print(text, end="")
        else:
            print_fn(text)

    def save(self, filepath: Any, overwrite: bool = True) -> None:
        """Save the architecture, weights, compile settings and optimizer state to a
        ".keras" file (a zip of JSON and arrays; see ``keras.saving``)."""
        from scratchdl.keras import saving

        saving.save_model(self, filepath, overwrite)

    def save_weights(self, filepath: Any, overwrite: bool = True) -> None:
        """Save the weights alone (Keras's ".weights.h5" name, scratchdl's safe format)."""
        from scratchdl.keras import saving

        saving.save_weights(self, filepath, overwrite)

    def load_weights(self, filepath: Any) -> None:
        """Load weights saved by ``save_weights`` (or a whole ".keras" model's)."""
        from scratchdl.keras import saving

        saving.load_weights(self, filepath)


class Sequential(ModelBase):
    """Layers applied in order: ``Sequential([layer, ...])`` or ``Sequential()`` then
    ``add(layer)``. ``layers`` lists them (an Input is not among them)."""

    def __init__(
        self,
        layers: Iterable[Layer | KerasTensor] | None = None,
        trainable: bool = True,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name, trainable=trainable)
        self.stack = nn.ModuleList()
        self.input_layer: InputLayer | None = None
        for layer in layers or []:
            self.add(layer)

    # ------------------------------------------------------------------ building
    def add(self, layer: Layer | KerasTensor) -> None:
        """Append ``layer`` (an Input first, if any); build it when the input shape is known.

        Raises TypeError for something that is not a layer, ValueError for a name already
        in the model or an Input after other layers.
        """
        if isinstance(layer, KerasTensor) and layer.node.is_input:
            layer = layer.node.layer
        if isinstance(layer, InputLayer):
            if len(self.stack) or self.input_layer is not None:
                raise ValueError(
                    f'Sequential "{self.name}": an Input must come first, before any layer'
                )
            self.input_layer = layer
            return
        if not isinstance(layer, Layer):
            raise TypeError(
                "The added layer must be an instance of class Layer. Received: "
                f"layer={layer!r} of type {type(layer).__name__}."
            )
        if layer.name in {existing.name for existing in self.stack}:
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name "
                f'"{layer.name}" is already the name of a layer in this model.'
            )
        if not len(self.stack) and self.input_layer is None and layer.declared_input_shape:
            self.input_layer = InputLayer(batch_shape=layer.declared_input_shape)
        self.stack.append(layer)
        if self.input_layer is not None:
            self.build(self.input_layer.batch_shape)

    def pop(self) -> Layer:
        """Remove and return the last layer."""
        if not len(self.stack):
            raise TypeError("There are no layers in the model.")
        *kept, last = list(self.stack)
        self.stack = nn.ModuleList(kept)
        return last

    @property
    def layers(self) -> list[Layer]:
        return list(self.stack)

    @property
    def output_layer(self) -> Layer | None:
        return self.layers[-1] if len(self.stack) else None

    def build(self, input_shape: Shape) -> None:
        """Build every layer, each for the output shape of the one before."""
        shape: Shape = (None, *tuple(input_shape)[1:])
        for layer in self.stack:
            shape = layer.build_for(shape)
        self.input_shape, self.output_shape = (None, *tuple(input_shape)[1:]), shape
        self.built = bool(len(self.stack))

    def build_for(self, input_shape: Shape) -> Shape:
        if not self.built:
            self.build(input_shape)
        return self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        shape = (None, *tuple(input_shape)[1:])
        for layer in self.stack:
            shape = layer.compute_output_shape(shape)
        return shape

    # ------------------------------------------------------------------- calling
    def call(self, x: Tensor) -> Tensor:
        for layer in self.stack:
            x = layer(x)
        return x

    def output_logits(self, x: Tensor) -> Tensor:
        """The model's output before the last layer's activation (what a crossentropy
        computed from logits takes)."""
        *body, last = self.stack
        for layer in body:
            x = layer(x)
        last.build_for(x.shape)
        return last.pre_activation(x)

    # -------------------------------------------------------------------- saving
    def get_config(self) -> dict[str, Any]:
        layers = [serialize_layer(layer) for layer in self.stack]
        if self.input_layer is not None:
            layers.insert(0, serialize_layer(self.input_layer))
        return {"name": self.name, "trainable": self.trainable, "layers": layers}


def serialize_layer(layer: Layer) -> dict[str, Any]:
    """``{"class_name", "config", "build_input_shape"}`` for a layer."""
    shape = None if layer.input_shape is None else list(layer.input_shape)
    return {
        "class_name": type(layer).__name__,
        "config": layer.get_config(),
        "build_input_shape": shape,
    }
