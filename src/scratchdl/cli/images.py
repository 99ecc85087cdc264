"""Turn a photo or drawing of a digit into a 28x28 image the way MNIST's were made.

MNIST digits are white on black, scaled (keeping their aspect ratio) to fit a 20x20 box,
then placed in a 28x28 field so that their centre of mass sits at the centre. A digit
drawn in black on white paper must go through the same steps before a network trained on
MNIST can read it.

Images are read from ``.npy`` arrays with NumPy alone, or from PNG/JPEG files with Pillow
(the optional ``image`` extra). Either way an image may hold at most ``MAX_PIXELS``
pixels, checked from its header before its pixels are decoded (a small PNG can expand to
gigabytes).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from scratchdl.cli.extras import require

BOX = 20  # the digit's longer side after scaling
FIELD = 28  # the output's side
MAX_PIXELS = 25_000_000  # a 25-megapixel photo; a digit needs far fewer
WIDE_MODES = {"I;16": 65535, "I;16B": 65535, "I;16L": 65535, "I": 65535, "F": None}
"""Pillow's gray modes wider than 8 bits, and their white (None: 1 or 255, as for .npy)."""


class ImageError(ValueError):
    """An image file that cannot be read or holds no digit."""


def read_image(path: str | Path) -> np.ndarray:
    """Read a PNG/JPEG (with Pillow) or a .npy file as a 2-d float array in [0, 1].

    Raises ImageError, naming the file, for anything that is not such an image.
    """
    path = Path(path)
    if not path.is_file():
        problem = "it is a folder" if path.is_dir() else "no such file"
        raise ImageError(f"cannot read image {path}: {problem}")
    try:
        if path.suffix.lower() == ".npy":
            return _grayscale_from_npy(path)
        return _grayscale_from_picture(path)
    except ImageError as error:
        raise ImageError(f"cannot read image {path}: {error}") from None


def _grayscale_from_npy(path: Path) -> np.ndarray:
    """A numeric 2-d array (or H x W x 3/4 colours) with values in [0, 1] or [0, 255]."""
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)  # reads the header only
    except Exception as error:  # numpy raises many kinds for a file that is no .npy
        raise ImageError(f"not a .npy array ({error})") from None
    if not isinstance(array, np.ndarray):
        raise ImageError("an .npz archive, not one .npy array")
    if array.dtype.kind not in "biuf":
        raise ImageError(f"it holds {array.dtype} values; an image holds real numbers")
    image = np.squeeze(array)
    if image.ndim == 3 and image.shape[-1] in (3, 4):
        image = image[..., :3]
    elif image.ndim != 2:
        raise ImageError(f"expected a 2-d array (or height x width x 3), got shape {array.shape}")
    if image.size == 0:
        raise ImageError(f"it is empty (shape {array.shape})")
    _check_size(image.shape[1], image.shape[0])
    pixels = np.asarray(image, dtype=np.float64)
    return gray_levels(pixels.mean(axis=-1) if pixels.ndim == 3 else pixels)


def gray_levels(pixels: np.ndarray, white: float | None = None) -> np.ndarray:
    """``pixels`` divided by the value of white: ``white`` when the format says it (65535
    for 16-bit images), else 1 or 255, whichever range [0, 1] or [0, 255] holds them."""
    top = white or (255.0 if pixels.max() > 1.0 else 1.0)
    if not np.isfinite(pixels).all() or pixels.min() < 0 or pixels.max() > (white or 255):
        expected = f"[0, {white:g}]" if white else "[0, 1] or [0, 255]"
        raise ImageError(f"its values must be finite and lie in {expected}")
    return pixels / top


def _grayscale_from_picture(path: Path) -> np.ndarray:
    """A PNG/JPEG's pixels, transparent parts on white, as gray levels in [0, 1]."""
    try:
        Image = require("PIL.Image", "reading PNG/JPEG images")
    except ImportError as error:
        raise ImageError(str(error)) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                _check_size(*image.size)
                if image.mode in WIDE_MODES:  # 16-bit or float gray: no 8-bit conversion
                    return gray_levels(np.asarray(image, dtype=np.float64), WIDE_MODES[image.mode])
                white = Image.new("RGBA", image.size, "white")
                flattened = Image.alpha_composite(white, image.convert("RGBA")).convert("L")
                return np.asarray(flattened, dtype=np.float64) / 255.0
    except ImageError:
        raise
    except Exception as error:  # Pillow raises many kinds for damaged or hostile files
        raise ImageError(str(error) or type(error).__name__) from None


def _check_size(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise ImageError(
            f"it is {width}x{height} pixels; predict reads images of at most "
            f"{MAX_PIXELS:,} pixels (a digit needs far fewer): scale it down first"
        )


def to_mnist_format(image: np.ndarray) -> np.ndarray:
    """A (28, 28) float32 image in [0, 1]: white digit on black, fitted and centred like MNIST.

    Steps: invert a light background; crop to the digit's bounding box; scale its longer side
    to 20 pixels; paste into a 28x28 field with the centre of mass at the centre.
    """
    image = np.asarray(image, dtype=np.float64)
    if _has_light_background(image):
        image = 1.0 - image
    digit = _crop_to_ink(image)
    scaled = _scale_to_box(digit)
    return _centre_by_mass(scaled).astype(np.float32)


def _has_light_background(image: np.ndarray) -> bool:
    """Judge the background by the border pixels, where a digit rarely is."""
    border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    return float(np.median(border)) > 0.5


def _crop_to_ink(image: np.ndarray) -> np.ndarray:
    """The smallest box holding every pixel brighter than a fifth of the brightest."""
    ink = image > 0.2 * image.max() if image.max() > 0 else np.zeros_like(image, dtype=bool)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0 or image.max() - image.min() < 0.1:
        raise ImageError("the image holds no digit: it has no contrast")
    return image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _scale_to_box(digit: np.ndarray) -> np.ndarray:
    """Resize so the longer side is BOX pixels, keeping the aspect ratio."""
    height, width = digit.shape
    scale = BOX / max(height, width)
    size = (max(1, round(height * scale)), max(1, round(width * scale)))
    return resample_matrix(height, size[0]) @ digit @ resample_matrix(width, size[1]).T


def resample_matrix(n_in: int, n_out: int) -> np.ndarray:
    """The (n_out, n_in) weights that resize one axis from n_in to n_out pixels.

    Output pixel i is a weighted mean of the input pixels under a triangle centred on it,
    one output pixel wide on each side (max(1, n_in / n_out) input pixels): linear
    interpolation when enlarging, and when shrinking an average over every input pixel
    it covers (what Pillow's BILINEAR resize does).
    """
    scale = n_in / n_out
    width = max(scale, 1.0)
    centres = (np.arange(n_out) + 0.5) * scale  # in input pixel coordinates
    distance = np.abs((np.arange(n_in) + 0.5)[np.newaxis, :] - centres[:, np.newaxis])
    weights = np.maximum(0.0, 1.0 - distance / width)
    return weights / weights.sum(axis=1, keepdims=True)


def _centre_by_mass(digit: np.ndarray) -> np.ndarray:
    """Paste ``digit`` into a FIELD x FIELD image so its centre of mass lands at the centre."""
    rows, cols = np.indices(digit.shape)
    mass = digit.sum()
    centre_row, centre_col = (rows * digit).sum() / mass, (cols * digit).sum() / mass
    height, width = digit.shape
    top = int(np.clip(round(FIELD / 2 - centre_row), 0, FIELD - height))
    left = int(np.clip(round(FIELD / 2 - centre_col), 0, FIELD - width))
    field = np.zeros((FIELD, FIELD))
    field[top : top + height, left : left + width] = digit
    return np.clip(field, 0.0, 1.0)
