"""keras.datasets (Keras's uint8 arrays from the checked IDX files) and keras.utils."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib

import numpy as np
import pytest

from scratchdl import keras
from scratchdl.datasets import files as dataset_files
from scratchdl.datasets.errors import DatasetError

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def write_idx(path, array):
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    path.write_bytes(gzip.compress(header + array.astype(np.uint8).tobytes()))


@pytest.fixture
def fake_mnist(tmp_path, monkeypatch, rng):
    """Four small MNIST files (5 training, 3 test images) with their MD5s, in tmp_path."""
    folder = tmp_path / "mnist"
    folder.mkdir()
    splits = {}
    for train, n in ((True, 5), (False, 3)):
        images = rng.integers(0, 256, (n, 28, 28)).astype(np.uint8)
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images_file, labels_file = dataset_files.MNIST_FILES.split(train)
        write_idx(folder / images_file, images)
        write_idx(folder / labels_file, labels)
        splits[train] = (images, labels)
    md5 = {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    spec = dataclasses.replace(dataset_files.MNIST_FILES, md5=md5, mirrors=())
    monkeypatch.setitem(dataset_files.DATASET_FILES, "mnist", spec)
    monkeypatch.setenv("SCRATCHDL_DATA", str(tmp_path))
    return splits


def test_load_data_gives_keras_arrays(fake_mnist):
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    np.testing.assert_array_equal(x_train, fake_mnist[True][0])
    np.testing.assert_array_equal(y_test, fake_mnist[False][1])
    assert x_train.dtype == y_train.dtype == np.uint8
    assert x_train.shape == (5, 28, 28) and y_train.shape == (5,) and x_test.shape == (3, 28, 28)
    x_train[0, 0, 0] = 7  # writable, as Keras's arrays are


def test_a_damaged_file_is_refused(fake_mnist, tmp_path):
    path = tmp_path / "mnist" / dataset_files.MNIST_FILES.split(True)[1]
    path.write_bytes(path.read_bytes()[:-3] + b"xyz")
    with pytest.raises(DatasetError, match="MD5"):
        keras.datasets.mnist.load_data()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "first_labels"), [("mnist", [5, 0, 4]), ("fashion_mnist", [9, 0, 0])]
)
def test_the_real_datasets(mnist_dir, name, first_labels):
    (x_train, y_train), (x_test, y_test) = getattr(keras.datasets, name).load_data()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert x_train.dtype == y_train.dtype == np.uint8 and x_train.max() == 255
    assert list(y_train[:3]) == first_labels


def test_to_categorical_matches_keras(real_keras):
    for labels, classes in (([2, 0, 1, 2], None), ([[1], [3]], 5), (np.array([0, 4], np.uint8), 6)):
        expected = real_keras.utils.to_categorical(labels, classes)
        ours = keras.utils.to_categorical(labels, classes)
        np.testing.assert_array_equal(ours, expected)
        assert ours.dtype == expected.dtype


def test_to_categorical_rejects_bad_labels():
    with pytest.raises(ValueError, match="out of range for num_classes=3"):
        keras.utils.to_categorical([0, 3], 3)
    with pytest.raises(ValueError, match="whole numbers"):
        keras.utils.to_categorical([0.5])
    with pytest.raises(ValueError, match=">= 0"):
        keras.utils.to_categorical([-1, 2])


def test_set_random_seed_makes_a_program_repeat(rng):
    x = rng.standard_normal((32, 3)).astype(np.float32)
    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(42)
        model = keras.Sequential(
            [keras.Input((3,)), keras.layers.Dropout(0.5), keras.layers.Dense(1)]
        )
        model.compile(optimizer="adam", loss="mse")
        runs.append(model.fit(x, x[:, 0], epochs=2, verbose=0).history["loss"])
    assert runs[0] == runs[1]


def test_normalize_gives_unit_rows():
    rows = keras.utils.normalize([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0]])
