"""Turn a photo or drawing of a digit into a 28x28 image the way MNIST's were made.

MNIST digits are white on black, scaled (keeping their aspect ratio) to fit a 20x20 box,
then placed in a 28x28 field so that their centre of mass sits at the centre. A digit
drawn in black on white paper must go through the same steps before a network trained on
MNIST can read it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

BOX = 20  # the digit's longer side after scaling
FIELD = 28  # the output's side


class ImageError(ValueError):
    """An image file that cannot be read or holds no digit."""


def read_image(path: str | Path) -> np.ndarray:
    """Read a PNG/JPEG (with Pillow) or a .npy file as a 2-d float array in [0, 1]."""
    path = Path(path)
    if not path.is_file():
        raise ImageError(f"cannot read image {path}: no such file")
    if path.suffix.lower() == ".npy":
        return _grayscale_from_npy(path)
    Image = _pillow()
    try:
        with Image.open(path) as image:
            white = Image.new("RGBA", image.size, "white")
            flattened = Image.alpha_composite(white, image.convert("RGBA")).convert("L")
            return np.asarray(flattened, dtype=np.float64) / 255.0
    except OSError as error:  # Pillow's UnidentifiedImageError is an OSError
        raise ImageError(f"cannot read image {path}: {error}") from None


def _pillow():
    """Pillow's Image module (the optional ``image`` extra), or a clear error."""
    try:
        from PIL import Image
    except ImportError:
        raise ImageError(
            "reading and resizing images needs Pillow: pip install 'scratchdl[image]'"
        ) from None
    return Image


def _grayscale_from_npy(path: Path) -> np.ndarray:
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, OSError) as error:
        raise ImageError(f"cannot read image {path}: {error}") from None
    array = np.squeeze(np.asarray(array, dtype=np.float64))
    if array.ndim == 3 and array.shape[-1] in (3, 4):
        array = array[..., :3].mean(axis=-1)
    if array.ndim != 2:
        raise ImageError(
            f"cannot read image {path}: expected a 2-d array, got shape {tuple(array.shape)}"
        )
    return array / 255.0 if array.max() > 1.0 else array


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
    """Resize so the longer side is BOX pixels, keeping the aspect ratio (area averaging)."""
    Image = _pillow()
    height, width = digit.shape
    scale = BOX / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    pixels = Image.fromarray(np.clip(digit * 255, 0, 255).astype(np.uint8))
    return np.asarray(pixels.resize(size, Image.Resampling.LANCZOS), dtype=np.float64) / 255.0


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
