"""keras.datasets: ``mnist.load_data()`` and ``fashion_mnist.load_data()``.

They read the same IDX files as ``scratchdl.datasets`` (found through ``SCRATCHDL_DATA`` or
the cache, downloaded when missing, checked against their MD5 sums) and return Keras's
arrays: ``(x_train, y_train), (x_test, y_test)`` with images (N, 28, 28) uint8 and labels
(N,) uint8.
"""

from scratchdl.keras.datasets import fashion_mnist, mnist

__all__ = ["fashion_mnist", "mnist"]
