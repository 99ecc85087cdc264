"""Small data for the training tests: three Gaussian blobs in 2-d, easy to separate."""

import numpy as np
import pytest

from scratchdl.utils.data import DataLoader, TensorDataset


def make_blobs(n_per_class=40, seed=0):
    """x (3n, 2) float32 around three centres, y (3n,) int64 class indices."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    y = np.repeat(np.arange(3), n_per_class)
    x = centres[y] + rng.standard_normal((len(y), 2))
    return x.astype(np.float32), y.astype(np.int64)


@pytest.fixture
def blobs():
    return make_blobs()


@pytest.fixture
def loaders(blobs):
    """(train_loader, val_loader): shuffled training batches of 16, validation in order."""
    x, y = blobs
    val_x, val_y = make_blobs(n_per_class=10, seed=1)
    train = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
    val = DataLoader(TensorDataset(val_x, val_y), batch_size=32)
    return train, val
