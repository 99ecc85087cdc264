"""History: what ``fit`` measured, one record per epoch.

Each record is a dict such as
``{"epoch": 3, "loss": 0.21, "accuracy": 0.94, "val_loss": 0.25, "val_accuracy": 0.93,
"lr": 0.1, "time": 1.8}``: the training loss and metrics averaged over the epoch's batches,
the same on the validation set (``val_`` names, present when fit got a ``val_loader``), the
learning rate used during the epoch, and the epoch's wall time in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from scratchdl.train.monitor import Monitor

TIME_KEY = "time"


class History:
    """A list of per-epoch records with column access.

        history["val_accuracy"]    # one value per epoch (history["train_accuracy"] also works)
        history.epochs             # [1, 2, 3]
        history.best_epoch("val_loss")

    Two Histories are equal when their records are equal apart from the times, which differ
    from run to run: a seeded run repeated gives an equal History. ``times`` holds them.
    """

    def __init__(self, records: Iterable[Mapping[str, Any]] = ()) -> None:
        self.records: list[dict[str, Any]] = [dict(record) for record in records]

    def append(self, record: Mapping[str, Any]) -> None:
        """Add one epoch's record."""
        self.records.append(dict(record))

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records)

    def keys(self) -> list[str]:
        """Every key that some record holds, in first-seen order."""
        return list(dict.fromkeys(key for record in self.records for key in record))

    def __getitem__(self, key: str) -> list[Any]:
        """The column ``key``: one value per epoch (None where an epoch lacks it).

        ``train_<name>`` is accepted for the training metric ``<name>`` ('train_loss').
        """
        if key not in self.keys() and key.startswith("train_"):
            key = key.removeprefix("train_")
        if key not in self.keys():
            raise KeyError(f"History: no column {key!r}; columns are {self.keys()}")
        return [record.get(key) for record in self.records]

    @property
    def epochs(self) -> list[int]:
        """The epoch numbers (1-based, continuing from ``start_epoch`` on a resumed run)."""
        return [record["epoch"] for record in self.records]

    @property
    def times(self) -> list[float]:
        """Seconds each epoch took (training and validation)."""
        return [record[TIME_KEY] for record in self.records]

    def to_dict(self) -> dict[str, list[Any]]:
        """The columns as ``{key: [value per epoch]}``, ready for JSON or a DataFrame."""
        return {key: self[key] for key in self.keys()}

    def best_epoch(self, monitor: str = "val_loss", mode: str = "auto") -> int:
        """The epoch number with the best ``monitor`` value (the first one, on ties)."""
        watched = Monitor(monitor, mode, op="History.best_epoch")
        best_record, best = None, None
        for record in self.records:
            value = watched.value(record)
            if watched.improves(value, best):
                best_record, best = record, value
        if best_record is None:
            raise ValueError("History.best_epoch: the history is empty")
        return best_record["epoch"]

    def without_times(self) -> list[dict[str, Any]]:
        """The records with the wall times removed: what equality compares."""
        return [{k: v for k, v in record.items() if k != TIME_KEY} for record in self.records]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return self.without_times() == other.without_times()

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return f"History({len(self)} epochs, columns={self.keys()})"
