"""``repr(tensor)`` as PyTorch prints it: ``tensor([1.5000, 2.2500], requires_grad=True)``.

Floats get 4 decimals; whole numbers print as ``1.``; scientific notation when the values
span more than three orders of magnitude, exceed 1e8 or fall below 1e-4. More than 1000
elements are summarised with ``...``. The dtype is named when it is not the default of
its kind (float32, int64, bool), as is a GPU device.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from scratchdl.backend import to_numpy

if TYPE_CHECKING:
    from scratchdl.autograd.tensor import Tensor

_DEFAULT_DTYPES = (np.dtype("float32"), np.dtype("int64"), np.dtype("bool"))
_SUMMARY_THRESHOLD, _EDGE_ITEMS, _LINE_WIDTH = 1000, 3, 80


def format_tensor(t: Tensor) -> str:
    """The text of ``repr(t)``."""
    values = to_numpy(t.data)
    prefix = "tensor("
    body = np.array2string(
        values,
        separator=", ",
        prefix=prefix,
        max_line_width=_LINE_WIDTH,
        threshold=_SUMMARY_THRESHOLD,
        edgeitems=_EDGE_ITEMS,
        formatter=_formatter(values),
    )
    if values.size == 0 and values.ndim == 1:
        body = "[]"
    extras = []
    if values.dtype not in _DEFAULT_DTYPES:
        extras.append(f"dtype=scratchdl.{values.dtype}")
    if t.device.type != "cpu":
        extras.append(f"device='{t.device}'")
    if values.size == 0 and values.ndim != 1:
        extras.append(f"size={tuple(values.shape)}")
    if t.creator is not None:
        extras.append(f"grad_fn=<{type(t.creator).__name__}Backward>")
    elif t.requires_grad:
        extras.append("requires_grad=True")
    return prefix + ", ".join([body, *extras]) + ")"


def _formatter(values: np.ndarray) -> dict[str, Any] | None:
    """NumPy formatters for floating-point ``values`` in torch's style, all padded to one
    width; None (NumPy's own) for other dtypes."""
    if values.dtype.kind != "f":
        return None
    shown = _shown_values(values)
    mode = _float_mode(shown)

    def text(value: float) -> str:
        if not np.isfinite(value):
            return str(value)
        if mode == "whole":
            return f"{value:.0f}."
        return f"{value:.4e}" if mode == "scientific" else f"{value:.4f}"

    width = max((len(text(v)) for v in shown.ravel()), default=0)
    return {"float_kind": lambda value: text(value).rjust(width)}


def _float_mode(values: np.ndarray) -> str:
    """'whole' when every finite value is a whole number (below 1e8), 'scientific' when
    the nonzero magnitudes span more than 1000x, exceed 1e8 or fall below 1e-4, else
    'fixed'."""
    magnitudes = np.abs(values[np.isfinite(values)].astype(np.float64))
    nonzero = magnitudes[magnitudes != 0]
    if not nonzero.size:
        return "whole"
    large, small = nonzero.max(), nonzero.min()
    if np.all(nonzero == np.floor(nonzero)) and large <= 1e8:
        return "whole"
    return "scientific" if large / small > 1000 or large > 1e8 or small < 1e-4 else "fixed"


def _shown_values(values: np.ndarray) -> np.ndarray:
    """The elements a summarised print shows (all of them up to the threshold)."""
    if values.size <= _SUMMARY_THRESHOLD or values.ndim == 0:
        return values
    index = tuple(np.r_[0 : min(n, _EDGE_ITEMS), max(n - _EDGE_ITEMS, 0) : n] for n in values.shape)
    return values[np.ix_(*index)]
