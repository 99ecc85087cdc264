"""Figure helpers shared by the demos: a grid of panels, and saving it atomically as PNG.

Figures are built as ``matplotlib.figure.Figure`` objects, never through pyplot, so the
demos change no global matplotlib state (no backend switch, no open windows) and render
with the Agg backend wherever they run. matplotlib is the optional extra ``plot``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from scratchdl.io import atomic_write

PANEL_SIZE = (4.6, 3.8)
"""Width and height of one panel, in inches."""

DPI = 100


def new_figure(
    n_rows: int = 1,
    n_cols: int = 1,
    title: str | None = None,
    panel_size: tuple[float, float] = PANEL_SIZE,
    **subplot_kw: Any,
) -> tuple[Any, np.ndarray]:
    """A figure of n_rows × n_cols panels and its axes as a 2-d array (n_rows, n_cols).

    ``title`` goes above all panels; ``panel_size`` is one panel's (width, height) in
    inches; ``subplot_kw`` passes on to each panel (e.g. ``aspect="equal"``). Raises
    ImportError with the install command when matplotlib is missing.
    """
    figure_class = _matplotlib_figure_class()
    width, height = panel_size
    figure = figure_class(figsize=(width * n_cols, height * n_rows), layout="constrained")
    axes = figure.subplots(n_rows, n_cols, squeeze=False, subplot_kw=subplot_kw)
    if title:
        figure.suptitle(title, fontsize="x-large")
    return figure, axes


def save_figure(figure: Any, path: Path) -> Path:
    """Write ``figure`` as a PNG to ``path`` atomically (a temporary file, then a rename).

    Creates the folder when needed. Returns ``path``.
    """
    path = Path(path)
    atomic_write(path, lambda file: figure.savefig(file, format="png", dpi=DPI))
    return path


def _matplotlib_figure_class() -> type:
    """``matplotlib.figure.Figure``, imported on first use (matplotlib is optional)."""
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(
            "scratchdl.demos: drawing figures needs matplotlib; install it with "
            "`pip install scratchdl[plot]` (or `pip install matplotlib`)"
        ) from error
    return Figure
