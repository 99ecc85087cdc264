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
its learning rate).
"""

from __future__ import annotations

import textwrap
from typing import Any

COLUMN_WIDTHS = (31, 22, 13)  # the text inside each cell; one space pads each side
HEADER = ("Layer (type)", "Output Shape", "Param #")


def summary_text(model: Any) -> str:
    """The whole summary of a Sequential ``model`` as one string."""
    rows = [_layer_row(layer) for layer in model.layers]
    lines = [
        f'Model: "{model.name}"',
        _rule("┏", "━", "┳", "┓"),
        *_cells(HEADER, "┃"),
        _rule("┡", "━", "╇", "┩"),
    ]
    for index, row in enumerate(rows):
        if index:
            lines.append(_rule("├", "─", "┼", "┤"))
        lines += _cells(row, "│")
    lines.append(_rule("└", "─", "┴", "┘"))
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
    name = f"{layer.name} ({type(layer).__name__})"
    if not layer.built:
        return name, "?", "0 (unbuilt)"
    shape = "(" + ", ".join(str(size) for size in layer.output_shape) + ")"
    return name, shape, f"{layer.count_params():,}"


def _cells(row: tuple[str, ...], border: str) -> list[str]:
    """The lines of one table row: each cell's text wrapped to its column, the last
    (parameter) column aligned right."""
    wrapped = [
        textwrap.wrap(text, width) or [""] for text, width in zip(row, COLUMN_WIDTHS, strict=True)
    ]
    lines = []
    for line_index in range(max(len(cell) for cell in wrapped)):
        cells = []
        for column, (cell, width) in enumerate(zip(wrapped, COLUMN_WIDTHS, strict=True)):
            text = cell[line_index] if line_index < len(cell) else ""
            cells.append(text.rjust(width) if column == 2 else text.ljust(width))
        lines.append(border + border.join(f" {cell} " for cell in cells) + border)
    return lines


def _rule(left: str, line: str, cross: str, right: str) -> str:
    return left + cross.join(line * (width + 2) for width in COLUMN_WIDTHS) + right


def _count_line(label: str, count: int) -> str:
    return f" {label}: {count:,} ({readable_size(count * 4)})"
