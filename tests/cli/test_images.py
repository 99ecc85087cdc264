"""MNIST-style preprocessing of a drawn digit (scratchdl.cli.images)."""

from __future__ import annotations

import numpy as np
import pytest

from scratchdl.cli.images import ImageError, read_image, to_mnist_format

pytest.importorskip("PIL")


def drawn_one(height=200, width=120):
    """A thick dark vertical stroke, off-centre, on light paper: values in [0, 1]."""
    paper = np.full((height, width), 0.95)
    paper[30:170, 20:45] = 0.05
    return paper


def test_a_drawn_digit_becomes_a_white_on_black_28x28_fitted_and_centred():
    image = to_mnist_format(drawn_one())
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert image[0].max() < 0.1 and image.max() > 0.9  # black background, white ink
    rows, cols = np.nonzero(image > 0.1)
    assert rows.max() - rows.min() + 1 <= 20 and cols.max() - cols.min() + 1 <= 20
    assert rows.max() - rows.min() + 1 >= 19  # the longer side fills the 20-pixel box
    r, c = np.indices(image.shape)
    centre = np.array([(r * image).sum(), (c * image).sum()]) / image.sum()
    assert np.all(np.abs(centre - 14) <= 1), centre


def test_a_white_on_black_image_is_not_inverted():
    dark = 1.0 - drawn_one()
    np.testing.assert_array_equal(to_mnist_format(dark), to_mnist_format(drawn_one()))


@pytest.mark.parametrize("value", [0.0, 0.5, 1.0])
def test_a_blank_image_holds_no_digit(value):
    with pytest.raises(ImageError, match="no digit"):
        to_mnist_format(np.full((40, 40), value))


def test_read_image_scales_a_uint8_npy_to_0_1(tmp_path):
    path = tmp_path / "digit.npy"
    np.save(path, (drawn_one() * 255).astype(np.uint8))
    image = read_image(path)
    assert image.shape == (200, 120) and image.min() >= 0 and image.max() <= 1


def test_read_image_rejects_an_array_that_is_not_an_image(tmp_path):
    path = tmp_path / "cube.npy"
    np.save(path, np.zeros((3, 3, 3, 3)))
    with pytest.raises(ImageError, match="2-d"):
        read_image(path)
