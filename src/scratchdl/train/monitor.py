"""Monitor: one quantity in the epoch records, and which direction counts as better.

EarlyStopping, ModelCheckpoint and ``History.best_epoch`` share it, so "improved" means the
same thing everywhere: with mode 'min', value < best − min_delta; with 'max',
value > best + min_delta. Mode 'auto' picks 'max' for accuracies and 'min' for the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MODES = ("auto", "min", "max")


class Monitor:
    """Watch ``name`` (such as 'val_loss') in epoch records.

    Raises ValueError for an unknown mode or a negative ``min_delta``.
    """

    def __init__(self, name: str, mode: str = "auto", min_delta: float = 0.0, op: str = "monitor"):
        if mode not in MODES:
            raise ValueError(f"{op}: mode must be 'auto', 'min' or 'max', got {mode!r}")
        if min_delta < 0:
            raise ValueError(f"{op}: min_delta must be >= 0, got {min_delta}")
        self.name = name
        self.mode = ("max" if "acc" in name else "min") if mode == "auto" else mode
        self.min_delta = min_delta
        self.op = op

    def value(self, record: Mapping[str, Any]) -> float:
        """The monitored value in ``record``; a KeyError that lists what is there if absent."""
        if self.name not in record:
            hint = (
                " (pass val_loader to fit, or monitor 'loss')"
                if self.name.startswith("val_")
                else ""
            )
            raise KeyError(
                f"{self.op}: monitor {self.name!r} is not in the epoch record, which has "
                f"{', '.join(record)}{hint}"
            )
        return record[self.name]

    def improves(self, value: float, best: float | None) -> bool:
        """Whether ``value`` beats ``best`` by more than ``min_delta`` (anything beats None)."""
        if best is None:
            return True
        if self.mode == "min":
            return value < best - self.min_delta
        return value > best + self.min_delta
