"""load_split / load_idx_pair: an MNIST-format split as uint8 images and int64 labels."""

import numpy as np
import pytest

from scratchdl.datasets import DatasetError, load_split
from scratchdl.datasets.mnist import load_idx_pair


def test_a_split_is_uint8_images_and_int64_labels(fake_mnist):
    folder, spec, splits = fake_mnist
    for train, (images, labels) in splits.items():
        got_images, got_labels = load_split(spec, train=train, root=folder)
        assert got_images.dtype == np.uint8 and got_images.shape == images.shape
        assert got_labels.dtype == np.int64
        np.testing.assert_array_equal(got_images, images)
        np.testing.assert_array_equal(got_labels, labels)


def test_image_and_label_counts_must_agree(tmp_path, write_idx):
    images = write_idx(tmp_path / "images.gz", np.zeros((3, 2, 2), dtype=np.uint8))
    labels = write_idx(tmp_path / "labels.gz", np.zeros(2, dtype=np.uint8))
    with pytest.raises(DatasetError, match=r"holds 3 images but .*labels\.gz 2 labels"):
        load_idx_pair(images, labels)


def test_missing_files_without_download_say_where_to_put_them(fake_mnist, tmp_path, no_data_env):
    _, spec, _ = fake_mnist
    with pytest.raises(DatasetError, match="Put the four MNIST files here"):
        load_split(spec, train=True, root=tmp_path / "empty")
