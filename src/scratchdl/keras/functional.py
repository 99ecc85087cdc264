"""``keras.Model``: Keras's functional API and model subclassing.

Functional: a graph of layers from ``keras.Input`` tensors to outputs.

    inputs = keras.Input(shape=(784,))
    x = layers.Dense(64, activation="relu")(inputs)
    outputs = layers.Dense(10)(x)
    model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")

Subclassing: layers made in ``__init__``, the computation written in ``call``.

    class MLP(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden, self.out = layers.Dense(64, activation="relu"), layers.Dense(10)

        def call(self, inputs, training=None):
            return self.out(self.hidden(inputs))

Both train with Keras's ``compile``/``fit``/``evaluate``/``predict`` (``trainer``). A model
of several inputs is given them as a list (or a dict by Input name) of arrays; fit and
predict pack each batch into one array, (N, size₁ + size₂ + ...), which the model splits
again (``unpack``), so the one training loop of ``scratchdl.train`` runs it unchanged.
"""

from __future__ import annotations

import abc
import inspect
import math
from typing import Any

import numpy as np

import scratchdl.nn as nn
from scratchdl.autograd import no_grad
from scratchdl.keras.graph import Graph, restructure, structure_of
from scratchdl.keras.layers.base import Layer, Shape, _mode, as_float_tensor
from scratchdl.keras.layers.symbolic import call_on_symbols, flatten, is_symbolic, map_structure
from scratchdl.keras.model import ModelBase, Sequential
from scratchdl.keras.trainer import _as_input_array


class Model(ModelBase, metaclass=abc.ABCMeta):
    """``keras.Model(inputs, outputs, name=None)`` (functional), or a subclass defining
    ``call`` (subclassing). Its weights, summary and saving go through ``layers``.
    A Sequential counts as a Model (``isinstance``), as in Keras, though the two share
    their code through ``ModelBase`` rather than inheritance (``Model.register``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        inputs = kwargs.pop("inputs", args[0] if args else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        name = kwargs.pop("name", args[2] if len(args) > 2 else None)
        trainable = kwargs.pop("trainable", True)
        if kwargs:
            raise TypeError(f"keras.Model: unrecognized keyword arguments {sorted(kwargs)}")
        super().__init__(name=name or _default_name(type(self)), trainable=trainable)
        self.graph: Graph | None = None
        if inputs is None and outputs is None:
            return
        if inputs is None or outputs is None:
            raise ValueError("keras.Model: give both inputs and outputs, or subclass it")
        if type(self).call is not Model.call:
            raise NotImplementedError("keras.Model: a subclass that defines call() and a graph")
        self.graph = Graph(flatten(inputs), flatten(outputs))
        self.input_structure, self.output_structure = structure_of(inputs), structure_of(outputs)
        self.graph_layers = nn.ModuleList(self.graph.layers)
        self.built = True
        self.input_shape = restructure(self.input_structure, [t.shape for t in self.inputs])
        self.output_shape = restructure(self.output_structure, [t.shape for t in self.outputs])

    def __setattr__(self, name: str, value: Any) -> None:
        """A list of layers set on a subclass is tracked (as Keras tracks it)."""
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, Layer) for v in value):
            value = nn.ModuleList(value)
        super().__setattr__(name, value)

    # ------------------------------------------------------------------ the graph
    @property
    def inputs(self) -> list[Any]:
        return self.graph.inputs if self.graph else []

    @property
    def outputs(self) -> list[Any]:
        return self.graph.outputs if self.graph else []

    @property
    def layers(self) -> list[Layer]:
        """Functional: the InputLayers and layers in Keras's order; subclassed: the layers
        set as attributes (or in lists), in the order they were set."""
        if self.graph is not None:
            return list(self.graph_layers)
        found = []
        for module in self._modules.values():
            found += [module] if isinstance(module, Layer) else list(_layers_in(module))
        return found

    @property
    def output_layer(self) -> Layer | None:
        """The layer whose activation fit may fold into the loss: the last one of a graph
        with one output (none for a subclassed model, whose call is not known)."""
        if self.graph is None or len(self.outputs) != 1:
            return None
        return self.graph.nodes[-1].layer

    # ------------------------------------------------------------------- calling
    def __call__(self, inputs: Any, training: bool | None = None, **kwargs: Any) -> Any:
        """Run the model on Tensors or arrays (a list or dict of them for several inputs;
        fit's packed batch too), or record a call on KerasTensors."""
        if is_symbolic(inputs):
            if self.graph is None or len(self.inputs) != 1 or len(self.outputs) != 1:
                raise NotImplementedError(
                    f'Model "{self.name}": only a functional model of one input and one '
                    "output can be called on KerasTensors here"
                )
            return call_on_symbols(self, inputs)
        device = self._weights_device()
        data = map_structure(lambda item: as_float_tensor(item, device), inputs)
        with _mode(self, training):
            if self.graph is not None:
                return self.call(data)
            return self._call_subclass(data, training, kwargs)

    def _call_subclass(self, data: Any, training: bool | None, kwargs: dict) -> Any:
        """A subclass's ``call`` (given ``training`` when it takes it); the first call
        builds the model."""
        if "training" in inspect.signature(self.call).parameters:
            kwargs = {**kwargs, "training": self.training if training is None else training}
        outputs = self.call(data, **kwargs)
        if not self.built:
            self.input_shape = map_structure(lambda t: (None, *t.shape[1:]), data)
            self.output_shape = map_structure(lambda t: (None, *t.shape[1:]), outputs)
            self.built = True
        return outputs

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        """Functional: the graph run on input Tensors (a subclass defines its own)."""
        if self.graph is None:
            raise NotImplementedError(
                f'Model "{self.name}": define call(self, inputs) in the subclass, or give '
                "keras.Model(inputs=..., outputs=...)"
            )
        return restructure(self.output_structure, self.graph.run(self.unpack(inputs)))

    def output_logits(self, x: Any) -> Any:
        return self.graph.run(self.unpack(x), logits=True)[0]

    def build_for(self, input_shape: Shape) -> Shape:
        """Functional: the output shape (checked against the input's); subclassed: build
        by a call on one sample of zeros, then the output shape."""
        if self.graph is not None:
            return self.compute_output_shape(input_shape)
        if not self.built:
            with no_grad():
                self(np.zeros((1, *tuple(input_shape)[1:]), np.float32), training=False)
        return self.output_shape

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        if self.graph is not None and len(self.inputs) == 1:
            expected = self.inputs[0].shape
            if tuple(input_shape)[1:] != tuple(expected)[1:]:
                raise ValueError(
                    f'Input 0 of model "{self.name}" is incompatible with the model: expected '
                    f"shape {expected}, but received input with shape {tuple(input_shape)}"
                )
        return self.output_shape

    def _plan(self, x: np.ndarray, y: np.ndarray) -> Any:
        self._require_one_output("compile/fit/evaluate")
        return super()._plan(x, y)

    def predict(self, x: Any, *args: Any, **kwargs: Any) -> np.ndarray:
        self._require_one_output("predict")
        return super().predict(x, *args, **kwargs)

    def _require_one_output(self, op: str) -> None:
        if len(self.outputs) > 1:
            raise NotImplementedError(
                f'{op}: model "{self.name}" has {len(self.outputs)} outputs; scratchdl.keras '
                "trains and predicts models of one output (no per-output losses or "
                "loss_weights). Call the model on tensors to get all its outputs."
            )

    # --------------------------------------------------------------- many inputs
    def input_array(self, x: Any, op: str) -> np.ndarray:
        """The inputs as one float32 array: several inputs (a list, or a dict by Input
        name) checked against the Inputs' shapes and packed side by side."""
        if self.graph is None:
            return super().input_array(x, op)
        if len(self.inputs) == 1:
            if isinstance(x, dict) and list(x) == [self.inputs[0].name]:
                x = x[self.inputs[0].name]
            return super().input_array(x[0] if isinstance(x, list) and len(x) == 1 else x, op)
        names = [t.name for t in self.inputs]
        if isinstance(x, dict):
            missing = [name for name in names if name not in x]
            if missing:
                raise ValueError(f"{op}: no data for the inputs {missing}; got keys {list(x)}")
            x = [x[name] for name in names]
        if not isinstance(x, (list, tuple)) or len(x) != len(names):
            raise ValueError(
                f'{op}: model "{self.name}" has {len(names)} inputs {names}: give a list (or a '
                f"dict by name) of {len(names)} arrays"
            )
        arrays = [_as_input_array(item, op) for item in x]
        for name, tensor, array in zip(names, self.inputs, arrays, strict=True):
            if array.shape[1:] != tuple(tensor.shape[1:]) or len(array) != len(arrays[0]):
                raise ValueError(
                    f'{op}: input "{name}" expects arrays of shape {tensor.shape} with as many '
                    f"samples as the first input, got shape {array.shape}"
                )
        return np.concatenate([array.reshape(len(array), -1) for array in arrays], axis=1)

    def unpack(self, data: Any) -> list[Any]:
        """Input Tensors, one per Input, from what the model was called on: a list, a dict
        by Input name, a single Tensor, or (several inputs) a packed (N, Σ sizes) batch."""
        names = [t.name for t in self.inputs]
        if isinstance(data, dict):
            return [data[name] for name in names]
        if isinstance(data, list):
            return data
        if len(names) == 1:
            return [data]
        sizes = [math.prod(t.shape[1:]) for t in self.inputs]
        if data.ndim != 2 or data.shape[1] != sum(sizes):
            raise ValueError(
                f'Model "{self.name}" has {len(names)} inputs {names}: call it on a list of '
                f"them, got one tensor of shape {tuple(data.shape)}"
            )
        starts = [int(start) for start in np.cumsum([0, *sizes])]
        return [
            data[:, start : start + size].reshape((data.shape[0], *t.shape[1:]))
            for start, size, t in zip(starts, sizes, self.inputs, strict=False)
        ]

    def get_config(self) -> dict[str, Any]:
        from scratchdl.keras.graph_config import graph_config

        return graph_config(self)


def _layers_in(module: Any) -> list[Layer]:
    """The Layers in a ModuleList or ModuleDict (nothing for other modules)."""
    if isinstance(module, nn.ModuleList):
        return [m for m in module if isinstance(m, Layer)]
    if isinstance(module, nn.ModuleDict):
        return [m for m in module.values() if isinstance(m, Layer)]
    return []


def _default_name(cls: type) -> str | None:
    """Keras names a functional model "functional", a subclass after its class."""
    from scratchdl.keras.naming import snake_case, unique_name

    return unique_name("functional" if cls is Model else snake_case(cls.__name__))


Model.register(Sequential)
