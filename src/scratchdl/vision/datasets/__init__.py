"""Datasets, as ``torchvision.datasets``: MNIST and FashionMNIST."""

from scratchdl.vision.datasets.mnist import MNIST, FashionMNIST

__all__ = ["MNIST", "FashionMNIST"]
