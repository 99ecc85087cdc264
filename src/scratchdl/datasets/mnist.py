"""MNIST and Fashion-MNIST: 28x28 grayscale images in 10 classes, read from IDX files.

    train = MNIST(train=True)       # 60000 samples; MNIST(train=False): 10000
    image, label = train[0]         # (1, 28, 28) float32 in [0, 1], int64
    train.data.shape                # (60000, 1, 28, 28)

Files are found, downloaded and verified as ``scratchdl.datasets.files`` describes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scratchdl.utils.data.dataset import TensorDataset
from scratchdl.utils.data.transforms import Transform
from scratchdl.datasets.errors import DatasetError
from scratchdl.datasets.files import FASHION_MNIST_FILES, MNIST_FILES, DatasetFiles, resolve_files
from scratchdl.datasets.idx import read_idx


class MNIST(TensorDataset):
    """The MNIST handwritten digits (LeCun & Cortes, CC BY-SA 3.0).

    Args:
        root: folder holding the ``mnist/`` subfolder (or the four files themselves);
            None searches ``$SCRATCHDL_DATA`` and the user cache.
        train: the 60000 training images, else the 10000 test images.
        download: fetch missing files from the mirrors (into ``root/mnist`` or the cache).
        transform, target_transform: applied to image and label batches (see
            ``scratchdl.utils.data.transforms``).

    Attributes: ``data`` (N, 1, 28, 28) float32 in [0, 1], ``targets`` (N,) int64,
    ``classes`` the label names. Raises DatasetError for missing or corrupt files.
    """

    files: DatasetFiles = MNIST_FILES
    classes: tuple[str, ...] = tuple(str(digit) for digit in range(10))

    def __init__(
        self,
        root: str | Path | None = None,
        train: bool = True,
        download: bool = True,
        transform: Transform | None = None,
        target_transform: Transform | None = None,
    ) -> None:
        split_files = self.files.split(train)
        images_path, labels_path = resolve_files(self.files, split_files, root, download)
        data, targets = load_idx_pair(images_path, labels_path)
        super().__init__(data, targets, transform=transform, target_transform=target_transform)
        self.train = train

    @property
    def data(self) -> np.ndarray:
        """The images, (N, 1, 28, 28) float32 in [0, 1] (before ``transform``)."""
        return self.arrays[0]

    @property
    def targets(self) -> np.ndarray:
        """The class indices, (N,) int64 (before ``target_transform``)."""
        return self.arrays[1]

    def __repr__(self) -> str:
        split = "train" if self.train else "test"
        return f"{type(self).__name__}({split}, {len(self)} samples)"


class FashionMNIST(MNIST):
    """Fashion-MNIST, Zalando's clothing images (MIT licence): MNIST's format, other classes."""

    files = FASHION_MNIST_FILES
    classes = (
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    )


def load_idx_pair(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, 1, H, W) float32 in [0, 1] and labels (N,) int64 from two IDX files."""
    images = read_idx(images_path, ndim=3)
    labels = read_idx(labels_path, ndim=1)
    if len(images) != len(labels):
        raise DatasetError(
            f"{images_path} holds {len(images)} images but {labels_path} {len(labels)} labels"
        )
    data = images[:, np.newaxis].astype(np.float32)
    data /= 255
    return data, labels.astype(np.int64)
