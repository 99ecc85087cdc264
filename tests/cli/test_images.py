"""MNIST-style preprocessing of a drawn digit, and reading images safely (scratchdl.cli.images)."""

from __future__ import annotations

import struct
import sys
import zlib

import numpy as np
import pytest

from scratchdl.cli.images import (
    MAX_PIXELS,
    ImageError,
    read_image,
    resample_matrix,
    to_mnist_format,
)


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


@pytest.mark.parametrize(("n_in", "n_out"), [(200, 20), (33, 20), (7, 20), (20, 20), (1, 3)])
def test_resampling_weights_are_means_and_keep_a_constant_image(n_in, n_out):
    weights = resample_matrix(n_in, n_out)
    assert weights.shape == (n_out, n_in) and np.all(weights >= 0)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    if n_in == n_out:
        np.testing.assert_array_equal(weights, np.eye(n_in))


@pytest.mark.parametrize("shape", [(200, 120, 20, 12), (7, 5, 20, 14), (33, 40, 20, 24)])
def test_resampling_agrees_with_pillows_bilinear_resize(shape):
    Image = pytest.importorskip("PIL.Image")
    height, width, new_height, new_width = shape
    image = np.random.default_rng(0).random((height, width)).astype(np.float32)
    ours = resample_matrix(height, new_height) @ image @ resample_matrix(width, new_width).T
    pillow = Image.fromarray(image, mode="F").resize((new_width, new_height), Image.BILINEAR)
    np.testing.assert_allclose(ours, np.asarray(pillow), atol=1e-6)


def test_read_image_scales_a_uint8_npy_to_0_1(tmp_path):
    path = tmp_path / "digit.npy"
    np.save(path, (drawn_one() * 255).astype(np.uint8))
    image = read_image(path)
    assert image.shape == (200, 120) and image.min() >= 0 and image.max() <= 1


def test_an_rgb_npy_becomes_gray(tmp_path):
    path = tmp_path / "digit.npy"
    np.save(path, np.stack([drawn_one()] * 3, axis=-1))
    np.testing.assert_allclose(read_image(path), drawn_one())


def test_npy_images_need_no_pillow(tmp_path, monkeypatch):
    for module in ("PIL", "PIL.Image"):
        monkeypatch.setitem(sys.modules, module, None)
    path = tmp_path / "digit.npy"
    np.save(path, drawn_one())
    assert to_mnist_format(read_image(path)).shape == (28, 28)
    (tmp_path / "digit.png").write_bytes(b"")
    with pytest.raises(ImageError, match=r"digit\.png.*pip install 'scratchdl\[image\]'"):
        read_image(tmp_path / "digit.png")


@pytest.mark.parametrize(
    ("array", "problem"),
    [
        (np.array([["a", "b"], ["c", "d"]]), "<U1 values"),
        (np.zeros((4, 4), dtype="i4,f4"), "values"),
        (np.zeros((4, 4), dtype=complex), "complex128 values"),
        (np.zeros((0, 4)), "empty"),
        (np.zeros((3, 3, 3, 3)), "2-d"),
        (np.array(5.0), "2-d"),
        (np.full((4, 4), np.nan), "finite"),
        (np.full((4, 4), -1.0), "[0, 255]"),
        (np.full((4, 4), 300.0), "[0, 255]"),
    ],
)
def test_npy_arrays_that_are_not_images_are_refused(tmp_path, array, problem):
    path = tmp_path / "odd.npy"
    np.save(path, array)
    with pytest.raises(
        ImageError, match=rf"odd\.npy.*{problem.replace('[', '.').replace(']', '.')}"
    ):
        read_image(path)


@pytest.mark.parametrize("content", [b"", b"hello", b"\x93NUMPY\x01\x00", "object", "npz"], ids=str)
def test_files_that_are_no_npy_array_are_refused(tmp_path, content):
    path = tmp_path / "odd.npy"
    if content == "object":
        np.save(path, np.array([{}], dtype=object), allow_pickle=True)
    elif content == "npz":
        with open(path, "wb") as file:
            np.savez(file, a=np.zeros(2))
    else:
        path.write_bytes(content)
    with pytest.raises(ImageError, match=r"odd\.npy"):
        read_image(path)


def test_a_huge_npy_is_refused_before_its_pixels_are_read(tmp_path):
    path = tmp_path / "huge.npy"
    np.lib.format.open_memmap(path, mode="w+", dtype=np.uint8, shape=(6000, 5000))  # sparse
    with pytest.raises(ImageError, match="6000 pixels; predict reads images of at most"):
        read_image(path)


def png_header(width, height):
    """A PNG holding only its header (a size, no pixels): what Pillow reads on opening."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [20000, 13000, 6000])
def test_a_huge_png_is_refused_before_it_is_decoded(tmp_path, side):
    pytest.importorskip("PIL")
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header(side, side))
    with pytest.raises(ImageError, match=r"bomb\.png.*(pixels|decompression bomb)"):
        read_image(path)
    assert side * side > MAX_PIXELS


@pytest.mark.parametrize(
    "content", [b"not a PNG", png_header(40, 40), b""], ids=["text", "no_pixels", "empty"]
)
def test_damaged_pngs_are_refused(tmp_path, content):
    pytest.importorskip("PIL")
    path = tmp_path / "digit.png"
    path.write_bytes(content)
    with pytest.raises(ImageError, match=r"digit\.png"):
        read_image(path)


def test_a_16_bit_png_keeps_its_gray_levels(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    levels = (drawn_one() * 65535).astype(np.uint16)
    Image.fromarray(levels).save(tmp_path / "deep.png")
    np.testing.assert_allclose(read_image(tmp_path / "deep.png"), levels / 65535)
