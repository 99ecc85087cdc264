"""Keras's ``load_data`` for the IDX datasets."""

from __future__ import annotations

import numpy as np

from scratchdl.datasets.files import DatasetFiles, resolve_files
from scratchdl.datasets.idx import read_idx

Split = tuple[np.ndarray, np.ndarray]


def load_idx_data(files: DatasetFiles) -> tuple[Split, Split]:
    """``(x_train, y_train), (x_test, y_test)`` as writable uint8 arrays, from ``files``
    found (or downloaded) and verified as scratchdl.datasets does."""
    splits = []
    for train in (True, False):
        images_path, labels_path = resolve_files(files, files.split(train))
        images, labels = read_idx(images_path, ndim=3), read_idx(labels_path, ndim=1)
        splits.append((np.array(images), np.array(labels)))
    return splits[0], splits[1]
