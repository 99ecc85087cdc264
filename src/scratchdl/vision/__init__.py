"""The torchvision-shaped corner: ``vision.datasets`` (MNIST, FashionMNIST) and
``vision.transforms`` (ToTensor, Normalize, Compose, Lambda).

    from scratchdl.vision import datasets, transforms    # for: from torchvision import ...
"""

from scratchdl.vision import datasets, transforms

__all__ = ["datasets", "transforms"]
