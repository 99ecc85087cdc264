"""The rules option values and saved settings obey, and options several commands share.

A ``Rule`` checks a value (from the command line or from config.json) and says what it
expected; used as an argparse ``type`` it also parses the option's text, and its
``ArgumentTypeError`` becomes the one-line ``scratchdl: error: argument --lr: ...``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Rule:
    """What a value must be: ``check(value)`` is True for a valid one; ``expected`` says it
    in words; ``parse`` turns an option's text into a value."""

    expected: str
    check: Callable[[Any], bool]
    parse: Callable[[str], Any] = str

    def __call__(self, text: str) -> Any:
        """Parse and check an option's text (argparse calls this)."""
        try:
            value = self.parse(text)
        except ValueError:
            value = None
        if value is None or not self.check(value):
            raise argparse.ArgumentTypeError(f"expected {self.expected}, got {text!r}")
        return value


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_finite(value: Any) -> bool:
    """A real number, not inf or nan (ints and floats; not bools)."""
    return is_int(value) or (isinstance(value, float) and math.isfinite(value))


def choice(names: Iterable[str]) -> Rule:
    """One of ``names``."""
    names = tuple(names)
    return Rule(f"one of {', '.join(names)}", lambda value: value in names)


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",")]


POSITIVE_INT = Rule("an integer of at least 1", lambda v: is_int(v) and v >= 1, int)
NON_NEGATIVE_INT = Rule("an integer of 0 or more", lambda v: is_int(v) and v >= 0, int)
POSITIVE_NUMBER = Rule("a finite number greater than 0", lambda v: is_finite(v) and v > 0, float)
NON_NEGATIVE_NUMBER = Rule("a finite number of 0 or more", lambda v: is_finite(v) and v >= 0, float)
PROBABILITY = Rule("a number in [0, 1)", lambda v: is_finite(v) and 0 <= v < 1, float)
SIZES = Rule(
    "comma-separated integers of at least 1, such as 512,256",
    lambda v: isinstance(v, list) and len(v) > 0 and all(POSITIVE_INT.check(n) for n in v),
    _sizes,
)
PATH = Rule("a path", lambda v: isinstance(v, str) and v != "")
"""A non-empty path: ``--out ''`` would otherwise mean the current folder."""


def path(text: str) -> Path:
    """A non-empty path (an argparse type)."""
    return Path(PATH(text))


def data_folder(text: str) -> str:
    """A folder (perhaps not yet created), made absolute so that a saved run still finds
    it from another folder; an existing file is refused."""
    folder = Path(PATH(text)).absolute()
    if folder.exists() and not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{folder} is a file, not a folder")
    return str(folder)


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """``--data-dir`` and ``--no-download``, for commands that read a dataset."""
    parser.add_argument(
        "--data-dir",
        type=data_folder,
        metavar="DIR",
        help="folder holding mnist/ and fashion-mnist/ (default: $SCRATCHDL_DATA, then "
        "~/.cache/scratchdl, downloading missing files there)",
    )
    parser.add_argument(
        "--no-download",
        action="store_true",
        help="fail instead of downloading missing dataset files",
    )
