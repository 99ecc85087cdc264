"""MNIST / FashionMNIST datasets: on small fake files, and once on the real MNIST."""

import numpy as np
import pytest

from scratchdl.utils.data import DataLoader
from scratchdl.utils.data.transforms import Flatten, OneHot
from scratchdl.datasets import MNIST, DatasetError, FashionMNIST
from scratchdl.datasets.mnist import load_idx_pair


def test_fake_mnist_arrays(fake_mnist):
    folder, _, splits = fake_mnist
    train = MNIST(root=folder, download=False)
    images, labels = splits[True]
    assert train.data.shape == (6, 1, 28, 28) and train.data.dtype == np.float32
    np.testing.assert_allclose(train.data[:, 0] * 255, images, atol=1e-4)
    assert train.targets.dtype == np.int64
    np.testing.assert_array_equal(train.targets, labels)
    assert len(MNIST(root=folder, train=False, download=False)) == 3
    assert repr(train) == "MNIST(train, 6 samples)"


def test_transforms_apply_to_items_and_loader_batches(fake_mnist):
    folder, _, _ = fake_mnist
    train = MNIST(root=folder, transform=Flatten(), target_transform=OneHot(10))
    image, label = train[1]
    assert image.shape == (784,) and label.shape == (10,) and label[1] == 1
    x, y = next(iter(DataLoader(train, batch_size=4)))
    assert x.shape == (4, 784) and y.shape == (4, 10)


def test_image_and_label_counts_must_agree(tmp_path, write_idx):
    images = write_idx(tmp_path / "images.gz", np.zeros((3, 2, 2), dtype=np.uint8))
    labels = write_idx(tmp_path / "labels.gz", np.zeros(2, dtype=np.uint8))
    with pytest.raises(DatasetError, match=r"holds 3 images but .*labels\.gz 2 labels"):
        load_idx_pair(images, labels)


def test_missing_files_without_download(tmp_path, no_data_env):
    with pytest.raises(DatasetError, match="Put the four MNIST files here"):
        MNIST(root=tmp_path, download=False)


def test_classes():
    assert MNIST.classes == tuple("0123456789")
    assert len(FashionMNIST.classes) == 10
    assert FashionMNIST.classes[0] == "T-shirt/top" and FashionMNIST.classes[9] == "Ankle boot"


def test_real_mnist_via_scratchdl_data(mnist_dir, monkeypatch):
    monkeypatch.setenv("SCRATCHDL_DATA", str(mnist_dir))
    train = MNIST(download=False)
    assert train.data.shape == (60000, 1, 28, 28) and train.data.dtype == np.float32
    assert train.data.min() == 0.0 and train.data.max() == 1.0
    assert train.targets.dtype == np.int64
    assert np.bincount(train.targets)[:2].tolist() == [5923, 6742]
    assert len(DataLoader(train, batch_size=32)) == 1875


def test_real_fashion_mnist_test_split(mnist_dir, monkeypatch):
    monkeypatch.setenv("SCRATCHDL_DATA", str(mnist_dir))
    test = FashionMNIST(train=False, download=False)
    assert test.data.shape == (10000, 1, 28, 28)
    assert np.bincount(test.targets).tolist() == [1000] * 10


def test_mnist_files_are_rejected_as_fashion_mnist(mnist_dir, no_data_env):
    with pytest.raises(DatasetError, match=r"MD5 \w+ does not match the Fashion-MNIST file"):
        FashionMNIST(root=mnist_dir / "mnist", train=False, download=False)
