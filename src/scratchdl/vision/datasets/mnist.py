"""MNIST and Fashion-MNIST, as ``torchvision.datasets``: 28x28 grayscale images in 10 classes.

    train = MNIST("data", train=True, download=True, transform=transforms.ToTensor())
    image, label = train[0]        # Tensor (1, 28, 28) float32 in [0, 1], int
    train.data, train.targets      # uint8 Tensor (60000, 28, 28), int64 Tensor (60000,)

Without a transform an image is a uint8 NumPy array (28, 28), where torchvision gives a
Pillow image: no Pillow is needed. Files are found (under ``root``, ``root/MNIST/raw`` as
torchvision stores them, ``$SCRATCHDL_DATA``, the user cache), downloaded and checked
against their MD5 sums by ``scratchdl.datasets``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from scratchdl.autograd import Tensor, wrap
from scratchdl.datasets.files import FASHION_MNIST_FILES, MNIST_FILES, DatasetFiles
from scratchdl.datasets.mnist import load_split
from scratchdl.utils.data.collate import default_collate
from scratchdl.utils.data.dataset import Dataset
from scratchdl.vision.transforms import has_batch_form


class MNIST(Dataset):
    """The MNIST handwritten digits (LeCun & Cortes, CC BY-SA 3.0).

    Args:
        root: folder holding the files (in ``root``, ``root/mnist`` or ``root/MNIST/raw``);
            None searches only ``$SCRATCHDL_DATA`` and the user cache.
        train: the 60000 training images, else the 10000 test images.
        transform: applied to each image (a uint8 array (28, 28)); ``target_transform`` to
            each label (an int).
        download: fetch missing files from the mirrors (into ``root/mnist`` or the cache).

    Attributes: ``data`` (uint8 Tensor (N, 28, 28)), ``targets`` (int64 Tensor (N,)),
    ``classes`` (torchvision's names), ``train``. Raises DatasetError (a ValueError) for
    missing or corrupt files.

    A DataLoader with the default collate fetches whole batches through ``get_batch`` when
    ``transform`` is None or has a batch form (ToTensor, Normalize, a Compose of them) and
    ``target_transform`` is None; otherwise it goes sample by sample.
    """

    files: DatasetFiles = MNIST_FILES
    classes: ClassVar[list[str]] = [
        "0 - zero",
        "1 - one",
        "2 - two",
        "3 - three",
        "4 - four",
        "5 - five",
        "6 - six",
        "7 - seven",
        "8 - eight",
        "9 - nine",
    ]

    def __init__(
        self,
        root: str | Path | None = None,
        train: bool = True,
        transform: Any = None,
        target_transform: Any = None,
        download: bool = False,
    ) -> None:
        images, labels = load_split(self.files, train, root, download)
        self.root, self.train = root, train
        self.transform, self.target_transform = transform, target_transform
        self.data = wrap(images)
        self.targets = wrap(labels)

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        """``(transform(image), target_transform(label))`` of sample ``index``."""
        image, target = _array(self.data)[index], int(_array(self.targets)[index])
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def get_batch(self, indices: Any) -> list[Any]:
        """``default_collate([self[i] for i in indices])``, with one fancy-index per array and
        the transform's batch form when it has one (see the class docstring)."""
        batchable = self.transform is None or has_batch_form(self.transform)
        if not batchable or self.target_transform is not None:
            return default_collate([self[i] for i in indices])
        indices = np.asarray(indices, dtype=np.int64)
        images = _array(self.data)[indices]
        if self.transform is not None:
            images = self.transform.batch(images)
        labels = _array(self.targets)[indices].astype(np.int64, copy=False)
        return [images if isinstance(images, Tensor) else wrap(images), wrap(labels)]

    @property
    def class_to_idx(self) -> dict[str, int]:
        """Each class name's index."""
        return {name: index for index, name in enumerate(self.classes)}

    def __repr__(self) -> str:
        """As torchvision prints a dataset: size, root, split, then its transforms."""
        body = [f"Number of datapoints: {len(self)}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body.append(f"Split: {'Train' if self.train else 'Test'}")
        if self.transform is not None or self.target_transform is not None:
            body.append(self._transforms_repr())
        return "\n".join([f"Dataset {type(self).__name__}", *(f"    {line}" for line in body)])

    def _transforms_repr(self) -> str:
        lines = ["StandardTransform"]
        for head, transform in (
            ("Transform: ", self.transform),
            ("Target transform: ", self.target_transform),
        ):
            if transform is not None:
                first, *rest = repr(transform).splitlines()
                lines += [head + first, *(" " * len(head) + line for line in rest)]
        return "\n".join(lines)


class FashionMNIST(MNIST):
    """Fashion-MNIST, Zalando's clothing images (MIT licence): MNIST's format, other classes."""

    files = FASHION_MNIST_FILES
    classes: ClassVar[list[str]] = [
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
    ]


def _array(values: Any) -> Any:
    """The array behind ``data`` or ``targets``, which a user may have replaced (by a Tensor,
    an array or a list, as torchvision allows)."""
    return values.data if isinstance(values, Tensor) else np.asarray(values)
