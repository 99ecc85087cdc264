"""Shared test helpers: seeded data, the PyTorch oracle, and the real-MNIST location."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import scratchdl as sd


@pytest.fixture
def rng() -> np.random.Generator:
    """A fresh seeded NumPy generator per test, for the small data tests make themselves."""
    return np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _seed_library() -> None:
    """Every test starts from the same library seed."""
    sd.manual_seed(0)


@pytest.fixture
def torch():
    """PyTorch as a test oracle; the test is skipped where it is not installed (CI has it)."""
    return pytest.importorskip("torch")


@pytest.fixture
def mnist_dir() -> Path:
    """The folder holding the real MNIST files ($SCRATCHDL_DATA/mnist); skips without it."""
    root = os.environ.get("SCRATCHDL_DATA")
    if not root or not (Path(root) / "mnist").is_dir():
        pytest.skip("SCRATCHDL_DATA does not point at the datasets folder")
    return Path(root)
