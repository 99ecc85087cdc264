"""The graph of a functional model: the Nodes between its inputs and outputs, in an order to
run them, and its layers in Keras's order.

Keras finds the Nodes by a depth-first walk back from the outputs (``_build_map``), gives
each a depth (0 at the outputs, one more than the deepest Node it feeds), and lists the
layers by decreasing depth, layers of equal depth in the order the walk first met them.
That order is ``model.layers``, what ``summary`` shows and the order of ``get_weights``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from scratchdl.keras.layers.symbolic import KerasTensor, Node, flatten, map_structure


class Graph:
    """The Nodes from ``inputs`` (Input KerasTensors) to ``outputs`` (KerasTensors).

    Raises TypeError for something that is not a KerasTensor and ValueError for an input
    that is not a ``keras.Input`` or an output that is not computed from the inputs alone.
    """

    def __init__(self, inputs: list[KerasTensor], outputs: list[KerasTensor]) -> None:
        for role, tensors in (("inputs", inputs), ("outputs", outputs)):
            for tensor in tensors:
                if not isinstance(tensor, KerasTensor):
                    raise TypeError(
                        f"keras.Model: {role} must be KerasTensors (from keras.Input and "
                        f"layers called on it), got {tensor!r} of type {type(tensor).__name__}"
                    )
        for tensor in inputs:
            if not tensor.node.is_input:
                raise ValueError(
                    f"keras.Model: each input must come from keras.Input(...); {tensor} is "
                    f'the output of layer "{tensor.node.layer.name}"'
                )
        self.inputs, self.outputs = inputs, outputs
        self.nodes, first_seen = _build_map(outputs)
        self._check_connected()
        self.nodes_by_depth, self.layers = _by_depth(self.nodes, first_seen)

    def _check_connected(self) -> None:
        declared = {id(tensor) for tensor in self.inputs}
        for node in self.nodes:
            if node.is_input and id(node.output) not in declared:
                reached = [t for t in self.outputs if _depends_on(t, node)]
                raise ValueError(
                    f"keras.Model: the outputs {reached} are not connected to `inputs`: "
                    f'they depend on the Input "{node.layer.name}" {node.output.shape}, which '
                    f"is not among the model's inputs {[t.name for t in self.inputs]}"
                )

    def run(self, values: list[Any], logits: bool = False) -> list[Any]:
        """The outputs for input Tensors ``values`` (one per input): every Node's layer
        called in turn on the Tensors its arguments stand for. With ``logits``, the last
        Node stops before its layer's activation (``pre_activation``)."""
        computed = {id(t): value for t, value in zip(self.inputs, values, strict=True)}
        last = self.nodes[-1]
        for node in self.nodes:
            if node.is_input:
                continue
            arguments = map_structure(lambda t: computed[id(t)], node.arguments)
            if logits and node is last:
                node.layer.build_for(arguments.shape)
                computed[id(node.output)] = node.layer.pre_activation(arguments)
            else:
                computed[id(node.output)] = node.layer(arguments)
        return [computed[id(t)] for t in self.outputs]

    def node_position(self, node: Node) -> int:
        """The index of ``node`` among this graph's calls of its layer (what a saved model
        and the summary's "Connected to" name it by)."""
        return [n for n in self.nodes if n.layer is node.layer].index(node)

    def sequential_like(self) -> bool:
        """Keras's test for a summary without "Connected to": one Node of one input at
        each depth, and no layer called twice."""
        for nodes in self.nodes_by_depth.values():
            if len(nodes) > 1 or len(nodes[0].input_tensors) > 1:
                return False
        layers = [node.layer for node in self.nodes]
        return len({id(layer) for layer in layers}) == len(layers)


def _build_map(outputs: list[KerasTensor]) -> tuple[list[Node], dict[int, int]]:
    """Keras's ``_build_map``: the Nodes that lead to ``outputs`` in a depth-first
    post-order (each after the Nodes it takes inputs from), and for each layer (by id) the
    position in which the walk first met it."""
    finished: set[int] = set()
    in_progress: set[int] = set()
    ordered: list[Node] = []
    first_seen: dict[int, int] = {}

    def visit(tensor: KerasTensor) -> None:
        node = tensor.node
        if id(node) in finished:
            return
        if id(node) in in_progress:
            raise ValueError(f"keras.Model: {tensor} is part of a cycle")
        first_seen.setdefault(id(node.layer), len(first_seen))
        in_progress.add(id(node))
        for parent in node.input_tensors:
            visit(parent)
        in_progress.discard(id(node))
        finished.add(id(node))
        ordered.append(node)

    for output in outputs:
        visit(output)
    return ordered, first_seen


def _by_depth(nodes: list[Node], first_seen: dict[int, int]) -> tuple[dict[int, list], list]:
    """Keras's depths: ({depth: Nodes}, layers by decreasing depth then first-seen order)."""
    node_depth: dict[int, int] = {}
    layer_depth: dict[int, int] = {}
    layers: dict[int, Any] = {}
    in_graph = {id(node) for node in nodes}
    for node in reversed(nodes):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = node_depth[id(node)] = depth
        layers[id(node.layer)] = node.layer
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    by_depth: dict[int, list[Node]] = defaultdict(list)
    for node in nodes:
        by_depth[node_depth[id(node)]].append(node)
    ordered = sorted(layers, key=lambda key: (-layer_depth[key], first_seen[key]))
    return dict(sorted(by_depth.items(), reverse=True)), [layers[key] for key in ordered]


def _depends_on(tensor: KerasTensor, node: Node) -> bool:
    return tensor.node is node or any(_depends_on(t, node) for t in tensor.node.input_tensors)


def structure_of(value: Any) -> Any:
    """How inputs or outputs were given: "single", "list", or the dict's keys."""
    if isinstance(value, dict):
        return list(value)
    return "list" if isinstance(value, (list, tuple)) else "single"


def restructure(structure: Any, values: list[Any]) -> Any:
    """``values`` put back in the ``structure`` of ``structure_of``."""
    if structure == "single":
        return values[0]
    if structure == "list":
        return list(values)
    return dict(zip(structure, values, strict=True))


__all__ = ["Graph", "flatten", "restructure", "structure_of"]
