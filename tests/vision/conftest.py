"""A small fake MNIST for the vision tests: the IDX loading is replaced by seeded arrays.

Reading, finding and verifying the files is ``scratchdl.datasets``' job, tested under
tests/datasets; the real files are used by the tests that take ``mnist_dir``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from scratchdl.vision.datasets import MNIST, FashionMNIST
from scratchdl.vision.datasets import mnist as mnist_module


@pytest.fixture(autouse=True)
def _no_mirrors(monkeypatch):
    """Nothing here may download."""
    for cls in (MNIST, FashionMNIST):
        monkeypatch.setattr(cls, "files", dataclasses.replace(cls.files, mirrors=()))


@pytest.fixture
def fake_mnist(monkeypatch):
    """Splits of 50 training and 7 test images (uint8 (N, 28, 28), labels i % 10), served to
    MNIST and FashionMNIST in place of the files. Returns {train: (images, labels)} and
    records each load's arguments in ``calls``."""
    rng = np.random.default_rng(0)
    splits = {
        train: (rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), np.arange(n) % 10)
        for train, n in ((True, 50), (False, 7))
    }
    calls = []

    def load_split(files, train, root=None, download=False):
        calls.append({"files": files.name, "train": train, "root": root, "download": download})
        images, labels = splits[train]
        return images.copy(), labels.astype(np.int64)

    monkeypatch.setattr(mnist_module, "load_split", load_split)
    return splits, calls
