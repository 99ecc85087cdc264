"""Shared test helpers: seeded data, the PyTorch oracle, and the real-MNIST location."""

from __future__ import annotations

import os
from collections.abc import Iterator
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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--device",
        default="cpu",
        help="the default device of the run: cpu, strict (the GPU's stand-in) or cuda",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Run every test with new tensors made on --device (sd.set_default_device)."""
    sd.set_default_device(config.getoption("--device"))


@pytest.fixture(autouse=True)
def _host_tests_on_the_cpu(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests marked ``host`` (NumPy interop: shared memory, reprs) run on the CPU."""
    if request.node.get_closest_marker("host") is None:
        yield
        return
    chosen = sd.get_default_device()
    sd.set_default_device("cpu")
    try:
        yield
    finally:
        sd.set_default_device(chosen)
