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

from scratchdl.backend import to_numpy

if TYPE_CHECKING:
    from scratchdl.autograd.tensor import Tensor

_DEFAULT_DTYPES = (np.dtype("float32"), np.dtype("int64"), np.dtype("bool"))

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
    """The text of ``repr(t)``."""
    values = to_numpy(t.data)
    prefix = "tensor("
    body = np.array2string(
        values,
        separator=", ",
        prefix=prefix,
        max_line_width=_options["linewidth"],
        threshold=_options["threshold"],
        edgeitems=_options["edgeitems"],
        formatter=_formatter(values),
    )
    body = body.replace(", ..., ", ",  ..., ")  # torch pads a row's ellipsis: " ..."
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

    digits = _options["precision"]

    def text(value: float) -> str:
        if not np.isfinite(value):
            return str(value)
        if mode == "whole":
            return f"{value:.0f}."
        return f"{value:.{digits}e}" if mode == "scientific" else f"{value:.{digits}f}"

    finite = shown[np.isfinite(shown)]  # nan and inf take no part in the width, as in torch
    width = max((len(text(v)) for v in finite.ravel()), default=0)
    return {"float_kind": lambda value: text(value).rjust(width)}


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
