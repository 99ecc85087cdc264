"""Datasets: MNIST and Fashion-MNIST from their IDX files, and small built-in toy sets.

    from scratchdl.datasets import MNIST
    train, test = MNIST(train=True), MNIST(train=False)

Files are looked up under ``root``, then ``$SCRATCHDL_DATA``, then the user cache, and
downloaded there when missing (see ``scratchdl.datasets.files``).
"""

from scratchdl.datasets.errors import DatasetError
from scratchdl.datasets.files import FileStatus, find_dataset_files
from scratchdl.datasets.idx import read_idx
from scratchdl.datasets.iris import load_iris
from scratchdl.datasets.mnist import MNIST, FashionMNIST
from scratchdl.datasets.toy import logic_gates, spiral

__all__ = [
    "MNIST",
    "DatasetError",
    "FashionMNIST",
    "FileStatus",
    "find_dataset_files",
    "load_iris",
    "logic_gates",
    "read_idx",
    "spiral",
]
