"""Symbolic tensors: what ``keras.Input`` returns and what a layer called on one returns.

    inputs = keras.Input(shape=(784,))        # KerasTensor, shape (None, 784)
    x = layers.Dense(64)(inputs)               # KerasTensor, shape (None, 64)

A KerasTensor holds no numbers: only a shape (None for the batch axis), a dtype and the
``Node`` that made it. Calling a layer on KerasTensors builds the layer for their shapes,
computes the output shape (``Layer.build_for``) and records the call as a Node; a
``keras.Model(inputs, outputs)`` later runs those Nodes on real data (``keras.graph``).
"""

from __future__ import annotations

from typing import Any

from scratchdl.keras.naming import unique_name

Shape = tuple[int | None, ...]


class KerasTensor:
    """A placeholder for a batch of data: ``shape`` (batch axis None), ``dtype``, ``name``,
    and ``node``/``node_index``, the call that produced it (Keras's ``_keras_history``)."""

    def __init__(self, shape: Shape, dtype: str = "float32", name: str | None = None) -> None:
        self.shape: Shape = tuple(shape)
        self.dtype = dtype
        self.name = name or unique_name("keras_tensor")
        self.node: Node | None = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def node_index(self) -> int:
        """Which call of its layer produced this tensor (0 for the first)."""
        return self.node.layer._inbound_nodes.index(self.node)

    def __repr__(self) -> str:
        return (
            f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse=False, "
            f"ragged=False, name={self.name}>"
        )

    def __bool__(self) -> bool:
        raise TypeError(
            "A KerasTensor is symbolic: it has no value to test. It stands for the data a "
            "keras.Model will be called on; call layers on it to build the model."
        )


class Node:
    """One call of ``layer`` on ``arguments`` (a KerasTensor or a list of them) giving
    ``output``; an InputLayer's node has no arguments (``is_input``)."""

    def __init__(self, layer: Any, arguments: Any, output: KerasTensor) -> None:
        self.layer, self.arguments, self.output = layer, arguments, output
        self.input_tensors: list[KerasTensor] = flatten(arguments)
        output.node = self
        layer._inbound_nodes.append(self)

    @property
    def is_input(self) -> bool:
        return self.arguments is None

    @property
    def parent_nodes(self) -> list[Node]:
        return [tensor.node for tensor in self.input_tensors]


def is_symbolic(inputs: Any) -> bool:
    """Whether ``inputs`` is a KerasTensor, or a list/tuple/dict holding one."""
    return any(isinstance(item, KerasTensor) for item in flatten(inputs))


def call_on_symbols(layer: Any, inputs: Any) -> KerasTensor:
    """Build ``layer`` for the shapes of ``inputs`` (KerasTensors) and record the call:
    the KerasTensor of the output's shape."""
    if isinstance(inputs, (list, tuple)) and not layer.takes_list:
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}) takes one input tensor, but was '
            f"called on a list of {len(inputs)}: {list(inputs)}"
        )
    if isinstance(inputs, (list, tuple)):
        inputs = list(inputs)
        if not all(isinstance(item, KerasTensor) for item in inputs):
            raise TypeError(
                f'Layer "{layer.name}": a list of inputs must hold only KerasTensors '
                "(mixing symbolic and real tensors is not supported)"
            )
        output_shape = layer.build_for([item.shape for item in inputs])
    else:
        output_shape = layer.build_for(inputs.shape)
    output = KerasTensor(output_shape)
    Node(layer, inputs, output)
    return output


def flatten(structure: Any) -> list[Any]:
    """The leaves of a tensor, a list/tuple of them or a dict of them (in key order as
    given), as a list; None gives []."""
    if structure is None:
        return []
    if isinstance(structure, dict):
        return list(structure.values())
    if isinstance(structure, (list, tuple)):
        return list(structure)
    return [structure]


def map_structure(function: Any, structure: Any) -> Any:
    """``structure`` with ``function`` applied to each leaf (one level: a leaf, a list, a
    tuple or a dict)."""
    if isinstance(structure, dict):
        return {key: function(value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [function(value) for value in structure]
    return function(structure)
