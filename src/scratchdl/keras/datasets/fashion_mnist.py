"""Fashion-MNIST: ``(x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()`` with
images (60000, 28, 28) and (10000, 28, 28) uint8, labels (60000,) and (10000,) uint8."""

from __future__ import annotations

from scratchdl.keras.datasets.idx_arrays import Split, load_idx_data


def load_data() -> tuple[Split, Split]:
    """The training and test splits."""
    return load_idx_data("fashion-mnist")
