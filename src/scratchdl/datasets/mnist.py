"""MNIST-format splits as arrays: images (N, H, W) uint8 and labels (N,) int64 from IDX files.

    images, labels = load_split(MNIST_FILES, train=True)    # (60000, 28, 28) uint8, (60000,)

The vision datasets (``scratchdl.vision.datasets.MNIST``, ``FashionMNIST``) hold these arrays;
files are found, downloaded and verified as ``scratchdl.datasets.files`` describes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scratchdl.datasets.errors import DatasetError
from scratchdl.datasets.files import DatasetFiles, resolve_files
from scratchdl.datasets.idx import read_idx


def load_split(
    files: DatasetFiles, train: bool, root: str | Path | None = None, download: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The training or test split of ``files``: read-only images (N, H, W) uint8 and labels
    (N,) int64. Raises DatasetError for missing (and not downloaded) or corrupt files."""
    images_path, labels_path = resolve_files(files, files.split(train), root, download)
    return load_idx_pair(images_path, labels_path)


def load_idx_pair(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, H, W) uint8 and labels (N,) int64 from two IDX files of the same length."""
    images = read_idx(images_path, ndim=3)
    labels = read_idx(labels_path, ndim=1)
    if len(images) != len(labels):
        raise DatasetError(
            f"{images_path} holds {len(images)} images but {labels_path} {len(labels)} labels"
        )
    return images, labels.astype(np.int64)
