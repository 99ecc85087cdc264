"""A functional model's architecture as JSON (what ``model.save`` stores), and back.

    {"name": "mnist_model", "trainable": true,
     "layers": [{"class_name": "InputLayer", "config": {...}, ...}, {"class_name": "Dense", ...}],
     "nodes": [{"layer": 0, "args": null}, {"layer": 1, "args": 0}, {"layer": 2, "args": [1, 0]}],
     "inputs": [0], "outputs": [2], "input_structure": "single", "output_structure": "single"}

``layers`` are the model's layers in ``model.layers`` order (each as a Sequential stores
one); ``nodes`` are the graph's calls in the order they run, each naming its layer by
position and its arguments by the positions of the nodes whose outputs they are (a list for
a merge layer, null for an Input). Rebuilding calls the layers on KerasTensors in that
order, which gives the same graph, the same ``layers`` order and so the same weights order.
"""

from __future__ import annotations

from typing import Any

from scratchdl.keras.graph import restructure
from scratchdl.keras.layers import LAYERS


def graph_config(model: Any) -> dict[str, Any]:
    """The JSON-ready architecture of functional ``model``."""
    from scratchdl.keras.model import serialize_layer

    if model.graph is None:
        raise NotImplementedError(
            f'save: model "{model.name}" is a subclassed keras.Model, whose call() a file '
            "cannot hold; save its weights with model.save_weights(path) and rebuild it in code"
        )
    for layer in model.layers:
        if LAYERS.get(type(layer).__name__) is not type(layer):
            raise NotImplementedError(
                f'save: layer "{layer.name}" of model "{model.name}" is a '
                f"{type(layer).__name__}, which a saved functional model cannot hold here "
                "(only the classes of keras.layers); save the weights with save_weights"
            )
    graph = model.graph
    layer_index = {id(layer): index for index, layer in enumerate(model.layers)}
    node_index = {id(node): index for index, node in enumerate(graph.nodes)}

    def argument(structure: Any) -> Any:
        if structure is None:
            return None
        if isinstance(structure, list):
            return [node_index[id(tensor.node)] for tensor in structure]
        return node_index[id(structure.node)]

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": [serialize_layer(layer) for layer in model.layers],
        "nodes": [
            {"layer": layer_index[id(node.layer)], "args": argument(node.arguments)}
            for node in graph.nodes
        ],
        "inputs": [node_index[id(tensor.node)] for tensor in graph.inputs],
        "outputs": [node_index[id(tensor.node)] for tensor in graph.outputs],
        "input_structure": model.input_structure,
        "output_structure": model.output_structure,
    }


def functional_from_config(config: dict[str, Any]) -> Any:
    """The functional model ``graph_config`` describes, its layers built (new weights).

    Raises ValueError (or KeyError/IndexError/TypeError, for a damaged config) naming what
    is wrong; looks classes up in ``keras.layers`` only.
    """
    from scratchdl.keras.functional import Model

    layers = []
    for entry in config["layers"]:
        if entry["class_name"] not in LAYERS:
            raise ValueError(f"unknown layer class {entry['class_name']!r}")
        layers.append(LAYERS[entry["class_name"]](**entry["config"]))
    tensors: list[Any] = []
    for node in config["nodes"]:
        layer, args = layers[node["layer"]], node["args"]
        if args is None:
            tensors.append(layer.output)
        elif isinstance(args, list):
            tensors.append(layer([tensors[index] for index in args]))
        else:
            tensors.append(layer(tensors[args]))
    inputs = restructure(config["input_structure"], [tensors[i] for i in config["inputs"]])
    outputs = restructure(config["output_structure"], [tensors[i] for i in config["outputs"]])
    model = Model(inputs=inputs, outputs=outputs, name=config["name"])
    model.trainable = config.get("trainable", True)
    return model
