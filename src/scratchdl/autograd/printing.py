"""``repr(tensor)`` as PyTorch prints it: ``tensor([1.5000, 2.2500], requires_grad=True)``.

Floats get 4 decimals; whole numbers print as ``1.``; scientific notation when the values
span more than three orders of magnitude, exceed 1e8 or fall below 1e-4. More than 1000
elements are summarised with ``...``. The dtype is named when it is not the default of
its kind (float32, int64, bool), as is a GPU device. ``set_printoptions`` changes the
digits, the summary and the line width, as torch's does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from scratchdl.autograd.dtype import get_default_dtype
from scratchdl.backend import to_numpy

if TYPE_CHECKING:
    from scratchdl.autograd.tensor import Tensor

_IMPLIED_DTYPES = (np.dtype("int64"), np.dtype("bool"))
"""Dtypes that repr never names (nor the default float dtype): the values show them."""

PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": np.inf, "edgeitems": 3, "linewidth": 80},
}
"""torch's named print profiles."""

_options: dict[str, Any] = {**PROFILES["default"], "sci_mode": None}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """How tensors print, as ``torch.set_printoptions``: ``precision`` digits after the
    point, summarised with ``...`` above ``threshold`` elements (``edgeitems`` shown at each
    end), lines of ``linewidth`` characters; ``profile`` ('default', 'short', 'full') sets
    the first four at once; ``sci_mode`` True or False forces or forbids scientific
    notation (None: chosen from the values)."""
    if profile is not None:
        if profile not in PROFILES:
            raise ValueError(
                f"set_printoptions: profile must be one of {sorted(PROFILES)}, got {profile!r}"
            )
        _options.update(PROFILES[profile])
    given = {"precision": precision, "threshold": threshold, "edgeitems": edgeitems}
    given["linewidth"] = linewidth
    _options.update({name: value for name, value in given.items() if value is not None})
    _options["sci_mode"] = sci_mode


def format_tensor(t: Tensor) -> str:
    """The text of ``repr(t)``: the values, then torch's suffixes (device, size, dtype,
    grad_fn or requires_grad), each moved to a line of its own where it would pass the
    line width."""
    values = to_numpy(t.data)
    prefix = "tensor("
    default_float = get_default_dtype()
    suffixes = []
    if t.device.type != "cpu":
        suffixes.append(f"device='{t.device}'")
    if values.size == 0:
        body = "[]"
        if values.ndim != 1:
            suffixes.append(f"size={tuple(values.shape)}")
        if values.dtype != default_float:  # no values to tell an int tensor by
            suffixes.append(f"dtype=scratchdl.{values.dtype}")
    else:
        summarize = values.size > _options["threshold"]
        body = _nested_text(values, len(prefix), summarize, _ElementText(values))
        if not _options["edgeitems"]:
            suffixes.append(f"size={tuple(values.shape)}")
        if values.dtype not in (default_float, *_IMPLIED_DTYPES):
            suffixes.append(f"dtype=scratchdl.{values.dtype}")
    if t.creator is not None:
        suffixes.append(f"grad_fn=<{type(t.creator).__name__}Backward>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _with_suffixes(prefix + body, suffixes, len(prefix))


def _with_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """``text``, its suffixes after ", " (or on a new line, indented, where the line would
    pass the line width) and the closing parenthesis."""
    parts = [text]
    line_length = len(text) - text.rfind("\n") + 1  # torch's count
    for suffix in suffixes:
        if line_length + len(suffix) + 2 > _options["linewidth"]:
            parts.append(",\n" + " " * indent + suffix)
            line_length = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            line_length += len(suffix) + 2
    return "".join(parts) + ")"


def _nested_text(values: np.ndarray, indent: int, summarize: bool, text: _ElementText) -> str:
    """torch's layout: a vector puts ⌊(linewidth − indent) / (width + 2)⌋ elements on each
    line; a higher dimension joins its slices with ``,`` and as many line breaks as it has
    dimensions below it; a summarised axis longer than 2·edgeitems shows ``...`` between
    its first and last ``edgeitems`` entries."""
    if values.ndim == 0:
        return text(values.item())
    if values.size == 0:
        return "[]"
    edge = _options["edgeitems"]
    cut = summarize and len(values) > 2 * edge
    if values.ndim == 1:
        if not cut:
            texts = [*map(text, values.tolist())]
        elif edge:
            head, tail = values[:edge].tolist(), values[len(values) - edge :].tolist()
            texts = [*map(text, head), " ...", *map(text, tail)]
        else:
            texts = ["..."]
        per_line = max(1, (_options["linewidth"] - indent) // (text.width + 2))
        lines = [", ".join(texts[i : i + per_line]) for i in range(0, len(texts), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = range(len(values))
    if cut:
        rows = [*range(edge), -1, *range(len(values) - edge, len(values))]
    slices = [
        "..." if i == -1 else _nested_text(values[i], indent + 1, summarize, text) for i in rows
    ]
    return "[" + ("," + "\n" * (values.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


class _ElementText:
    """One element as torch prints it, right-aligned to ``width``: floats by the chosen
    mode (see ``_float_mode``), other dtypes as Python prints them."""

    def __init__(self, values: np.ndarray) -> None:
        shown = _shown_values(values)
        self.floating = values.dtype.kind == "f"
        self.mode = _float_mode(shown) if self.floating else ""
        finite = shown[np.isfinite(shown)] if self.floating else shown
        # nan and inf take no part in the width, as in torch
        self.width = max((len(self.plain(v)) for v in finite.ravel().tolist()), default=1)

    def plain(self, value: Any) -> str:
        """The element's text before padding."""
        if not self.floating or not np.isfinite(value):
            return str(value)
        digits = _options["precision"]
        if self.mode == "whole":
            return f"{value:.0f}."
        return f"{value:.{digits}e}" if self.mode == "scientific" else f"{value:.{digits}f}"

    def __call__(self, value: Any) -> str:
        return self.plain(value).rjust(self.width)


def _float_mode(values: np.ndarray) -> str:
    """torch's choice: 'scientific' when the nonzero magnitudes span more than 1000x or
    exceed 1e8 (or, unless all are whole numbers, fall below 1e-4), or when ``sci_mode``
    says so; otherwise 'whole' when every finite value is a whole number, else 'fixed'.
    No nonzero finite value at all prints as 'whole'."""
    magnitudes = np.abs(values[np.isfinite(values)].astype(np.float64))
    nonzero = magnitudes[magnitudes != 0]
    if not nonzero.size:
        return "whole"
    large, small = nonzero.max(), nonzero.min()
    whole = bool(np.all(nonzero == np.floor(nonzero)))
    scientific = large / small > 1000 or large > 1e8 or (small < 1e-4 and not whole)
    if _options["sci_mode"] is not None:
        scientific = _options["sci_mode"]
    if scientific:
        return "scientific"
    return "whole" if whole else "fixed"


def _shown_values(values: np.ndarray) -> np.ndarray:
    """The elements a summarised print shows (all of them up to the threshold)."""
    edge = _options["edgeitems"]
    if values.size <= _options["threshold"] or values.ndim == 0:
        return values
    index = tuple(np.r_[0 : min(n, edge), max(n - edge, 0) : n] for n in values.shape)
    return values[np.ix_(*index)]
