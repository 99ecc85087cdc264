"""Option types that reject bad values while parsing, and options several commands share.

A type function raises ``argparse.ArgumentTypeError``; the parser turns it into the
one-line ``scratchdl: error: argument --lr: ...`` message.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def positive_int(text: str) -> int:
    """An integer >= 1."""
    value = _parse(int, text, "an integer")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def non_negative_int(text: str) -> int:
    """An integer >= 0."""
    value = _parse(int, text, "an integer")
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def positive_float(text: str) -> float:
    """A number > 0."""
    value = _parse(float, text, "a number")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {text}")
    return value


def non_negative_float(text: str) -> float:
    """A number >= 0."""
    value = _parse(float, text, "a number")
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def probability(text: str) -> float:
    """A number in [0, 1): a dropout probability."""
    value = _parse(float, text, "a number")
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


def sizes(text: str) -> list[int]:
    """Comma-separated layer sizes, such as '512,256'."""
    return [positive_int(part.strip()) for part in text.split(",")]


def absolute_path(text: str) -> str:
    """A path made absolute, so a saved run still finds it from another folder."""
    return str(Path(text).absolute())


def _parse(kind: type, text: str, description: str) -> int | float:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {description}, got {text!r}") from None


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """``--data-dir`` and ``--no-download``, for commands that read a dataset."""
    parser.add_argument(
        "--data-dir",
        type=absolute_path,
        metavar="DIR",
        help="folder holding mnist/ and fashion-mnist/ (default: $SCRATCHDL_DATA, then "
        "~/.cache/scratchdl, downloading missing files there)",
    )
    parser.add_argument(
        "--no-download",
        action="store_true",
        help="fail instead of downloading missing dataset files",
    )
