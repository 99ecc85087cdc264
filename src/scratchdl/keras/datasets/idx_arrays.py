"""Keras's ``load_data`` for the IDX datasets."""

from __future__ import annotations

import numpy as np

from scratchdl.datasets import load_split
from scratchdl.datasets.files import dataset_files

Split = tuple[np.ndarray, np.ndarray]


def load_idx_data(name: str) -> tuple[Split, Split]:
    """``(x_train, y_train), (x_test, y_test)`` as Keras gives them: writable uint8 arrays,
    images (N, H, W) and labels (N,), from the IDX files of dataset ``name`` ('mnist',
    'fashion-mnist') found (or downloaded) and verified as scratchdl.datasets does."""
    files = dataset_files(name)
    splits = []
    for train in (True, False):
        images, labels = load_split(files, train, download=True)
        splits.append((np.array(images), labels.astype(np.uint8)))
    return splits[0], splits[1]
