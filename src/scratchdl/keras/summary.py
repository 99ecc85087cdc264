"""``model.summary()``: Keras's table of layers, output shapes and parameter counts.

    Model: "sequential"
    ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
    ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
    ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
    │ dense (Dense)                   │ (None, 16)             │           144 │
    └─────────────────────────────────┴────────────────────────┴───────────────┘
     Total params: 144 (576.00 B)
     Trainable params: 144 (576.00 B)
     Non-trainable params: 0 (0.00 B)

drawn as Keras draws it in an 80-column console. A layer not built yet shows "?" and
"0 (unbuilt)"; a built optimizer adds "Optimizer params" (its state, its step count and
its learning rate). A functional model whose graph is not a chain (several inputs, a merge,
a layer called twice) gets Keras's fourth column, "Connected to": the tensors each layer
was called on, as ``layer_name[node_index][0]``.
"""

from __future__ import annotations

import textwrap
from typing import Any

COLUMN_WIDTHS = (31, 22, 13)  # the text inside each cell; one space pads each side
HEADER = ("Layer (type)", "Output Shape", "Param #")
CONNECTED_WIDTHS = (19, 17, 10, 17)  # Keras's widths with the "Connected to" column
CONNECTED_HEADER = (*HEADER, "Connected to")


def summary_text(model: Any) -> str:
    """The whole summary of a ``model`` as one string."""
    graph = getattr(model, "graph", None)
    connected = graph is not None and not graph.sequential_like()
    widths = CONNECTED_WIDTHS if connected else COLUMN_WIDTHS
    rows = [_layer_row(layer) for layer in model.layers]
    if connected:
        rows = [
            (*row, _connections(layer, graph))
            for row, layer in zip(rows, model.layers, strict=True)
        ]
    lines = [
        f'Model: "{model.name}"',
        _rule("┏", "━", "┳", "┓", widths),
        *_cells(CONNECTED_HEADER if connected else HEADER, "┃", widths),
        _rule("┡", "━", "╇", "┩", widths),
    ]
    for index, row in enumerate(rows):
        if index:
            lines.append(_rule("├", "─", "┼", "┤", widths))
        lines += _cells(row, "│", widths)
    lines.append(_rule("└", "─", "┴", "┘", widths))
    trainable = sum(w.data.size for w in model.trainable_weights)
    non_trainable = sum(w.data.size for w in model.non_trainable_weights)
    lines.append(_count_line("Total params", trainable + non_trainable))
    lines.append(_count_line("Trainable params", trainable))
    lines.append(_count_line("Non-trainable params", non_trainable))
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and optimizer.built:
        lines.append(_count_line("Optimizer params", optimizer_parameter_count(optimizer)))
    return "\n".join(lines) + "\n"


def optimizer_parameter_count(optimizer: Any) -> int:
    """The numbers an optimizer holds, as Keras counts them: its state (per-weight arrays,
    the step count, ...) and its learning rate."""
    return sum(array.size for array in optimizer.state_arrays().values()) + 1


def readable_size(size: float) -> str:
    """A byte count as Keras prints it: 780.00 B, 164.04 KB, 1.25 MB (1 KB = 1024 B)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _layer_row(layer: Any) -> tuple[str, str, str]:
    kind = "Functional" if getattr(layer, "graph", None) else type(layer).__name__  # as Keras
    name = f"{layer.name} ({kind})"
    if not layer.built:
        return name, "?", "0 (unbuilt)"
    nodes = layer._inbound_nodes
    shape = nodes[-1].output.shape if nodes else layer.output_shape  # Keras: the last call's
    if isinstance(shape, dict):
        shape = list(shape.values())
    if isinstance(shape, list):
        text = "[" + ", ".join(_shape_text(s) for s in shape) + "]"
    else:
        text = _shape_text(shape)
    return name, text, f"{layer.count_params():,}"


def _shape_text(shape: Any) -> str:
    return "(" + ", ".join(str(size) for size in shape) + ")"


def _connections(layer: Any, graph: Any) -> str:
    """What ``layer`` was called on within ``graph``: "dense[0][0], b[0][0]", or "-"."""
    calls = [node for node in layer._inbound_nodes if node in graph.nodes]
    names = [
        f"{tensor.node.layer.name}[{tensor.node_index}][0]"
        for node in calls
        for tensor in node.input_tensors
    ]
    return ", ".join(names) or "-"


def _cells(row: tuple[str, ...], border: str, widths: tuple[int, ...]) -> list[str]:
    """The lines of one table row: each cell's text wrapped to its column, the third
    (parameter) column aligned right."""
    wrapped = [_wrap(text, width) for text, width in zip(row, widths, strict=True)]
    lines = []
    for line_index in range(max(len(cell) for cell in wrapped)):
        cells = []
        for column, (cell, width) in enumerate(zip(wrapped, widths, strict=True)):
            text = cell[line_index] if line_index < len(cell) else ""
            cells.append(text.rjust(width) if column == 2 else text.ljust(width))
        lines.append(border + border.join(f" {cell} " for cell in cells) + border)
    return lines


def _wrap(text: str, width: int) -> list[str]:
    """``text`` wrapped at spaces to ``width``, a word too long for a line cut with "…"
    (as the rich tables Keras draws do)."""
    lines = textwrap.wrap(text, width, break_long_words=False) or [""]
    return [line if len(line) <= width else line[: width - 1] + "…" for line in lines]


def _rule(left: str, line: str, cross: str, right: str, widths: tuple[int, ...]) -> str:
    return left + cross.join(line * (width + 2) for width in widths) + right


def _count_line(label: str, count: int) -> str:
    return f" {label}: {count:,} ({readable_size(count * 4)})"
