"""Dataset files and small built-in sets: the IDX files of MNIST and Fashion-MNIST (names,
checksums, mirrors, lookup, download), and toy sets (logic gates, spiral, iris).

    from scratchdl.datasets import MNIST_FILES, load_split
    images, labels = load_split(MNIST_FILES, train=True)   # uint8 (60000, 28, 28), int64

Files are looked up under ``root``, then ``$SCRATCHDL_DATA``, then the user cache, and
downloaded there when asked to (see ``scratchdl.datasets.files``). The datasets themselves,
torchvision-shaped, are ``scratchdl.vision.datasets.MNIST`` and ``FashionMNIST``.
"""

from scratchdl.datasets.errors import DatasetError
from scratchdl.datasets.files import (
    FASHION_MNIST_FILES,
    MNIST_FILES,
    FileStatus,
    find_dataset_files,
)
from scratchdl.datasets.idx import read_idx
from scratchdl.datasets.iris import load_iris
from scratchdl.datasets.mnist import load_split
from scratchdl.datasets.toy import logic_gates, spiral

__all__ = [
    "FASHION_MNIST_FILES",
    "MNIST_FILES",
    "DatasetError",
    "FileStatus",
    "find_dataset_files",
    "load_iris",
    "load_split",
    "logic_gates",
    "read_idx",
    "spiral",
]
