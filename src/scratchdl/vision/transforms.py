"""Image transforms, as ``torchvision.transforms``: ToTensor, Normalize, Compose, Lambda.

    transform = Compose([ToTensor(), Normalize((0.1307,), (0.3081,))])
    transform(image_uint8_28x28)       # Tensor (1, 28, 28) float32, standardised

Images are NumPy arrays (H, W) or (H, W, C); a Pillow image is read with ``np.asarray``, so
Pillow is never needed. A transform maps one sample. ToTensor, Normalize and a Compose of them
also have a batch form, ``t.batch(stacked)``: applied to the samples stacked along a new first
axis, it returns exactly the stack of ``t(sample)`` for each sample (``has_batch_form`` says
whether a transform has one). The vision datasets use it to transform a whole batch at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from scratchdl.autograd import Tensor, wrap
from scratchdl.backend import get_array_module
from scratchdl.utils.data.dataset import fast_path_applies


class ToTensor:
    """An image (H, W) or (H, W, C) to a Tensor (C, H, W).

    uint8 pixels become float32 in [0, 1] (x / 255); any other dtype is kept as it is, as
    torchvision does. Raises TypeError for a Tensor or other non-image input, ValueError for
    an array that is not 2- or 3-dimensional.
    """

    def __call__(self, pic: Any) -> Tensor:
        return wrap(_to_float(_channels_first(_image_array(pic, batch=False), batch=False)))

    def batch(self, pics: np.ndarray) -> Tensor:
        """Images stacked as (N, H, W) or (N, H, W, C) to a Tensor (N, C, H, W)."""
        return wrap(_to_float(_channels_first(_image_array(pics, batch=True), batch=True)))

    def __repr__(self) -> str:
        return "ToTensor()"


def _image_array(pic: Any, batch: bool) -> np.ndarray:
    """``pic`` as an array (H, W) or (H, W, C), after a leading batch axis when ``batch``."""
    if isinstance(pic, np.ndarray):
        array = pic
    elif hasattr(pic, "getbands") and not batch:  # a Pillow image
        array = np.asarray(pic)
    else:
        raise TypeError(f"ToTensor: pic should be a NumPy array or a Pillow image, got {type(pic)}")
    if array.ndim - batch not in (2, 3):
        raise ValueError(
            f"ToTensor: pic should be 2/3 dimensional, (H, W) or (H, W, C); got shape "
            f"{array.shape[batch:]}"
        )
    return array


def _channels_first(array: np.ndarray, batch: bool) -> np.ndarray:
    """(H, W) -> (1, H, W) and (H, W, C) -> (C, H, W), behind the batch axis when ``batch``."""
    if array.ndim - batch == 2:
        return np.expand_dims(array, int(batch))
    return np.ascontiguousarray(np.moveaxis(array, -1, int(batch)))


def _to_float(array: np.ndarray) -> np.ndarray:
    """uint8 pixels as float32 in [0, 1]: x / 255; other dtypes unchanged."""
    if array.dtype != np.uint8:
        return array
    return np.divide(array, np.float32(255), dtype=np.float32)  # one pass: cast and divide


class Normalize:
    """Standardise each channel of a float Tensor image (..., C, H, W): (x - mean[c]) / std[c].

    ``mean`` and ``std`` have one value per channel, or one for all. With ``inplace`` the
    input's array is overwritten. Raises TypeError for a non-Tensor or non-float input,
    ValueError for fewer than 3 dimensions, a zero std or a channel-count mismatch.
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> None:
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def __call__(self, tensor: Tensor) -> Tensor:
        return self._normalize(tensor, batch=False)

    def batch(self, tensors: Tensor) -> Tensor:
        """Images stacked as (N, ..., C, H, W), each normalised."""
        return self._normalize(tensors, batch=True)

    def _normalize(self, tensor: Tensor, batch: bool) -> Tensor:
        if not isinstance(tensor, Tensor):
            raise TypeError(f"Normalize: expected a Tensor image, got {type(tensor)}")
        x = tensor.data
        if x.ndim - batch < 3:
            raise ValueError(
                f"Normalize: expected a tensor image of size (..., C, H, W), got shape "
                f"{x.shape[batch:]}"
            )
        if x.dtype.kind != "f":
            raise TypeError(f"Normalize: input tensor should be a float tensor, got {x.dtype}")
        mean, std = (self._per_channel(v, x) for v in (self.mean, self.std))
        if (std == 0).any():
            raise ValueError(f"Normalize: std {self.std} is zero in {x.dtype}: division by zero")
        if not self.inplace:
            return wrap((x - mean) / std)
        xp = get_array_module(x)
        xp.divide(xp.subtract(x, mean, out=x), std, out=x)
        return tensor

    def _per_channel(self, value: Any, x: Any) -> Any:
        """``value`` in ``x``'s dtype and array module, shaped (C, 1, 1) to broadcast."""
        array = get_array_module(x).asarray(value, dtype=x.dtype).reshape(-1, 1, 1)
        if len(array) not in (1, x.shape[-3]):
            raise ValueError(
                f"Normalize: {len(array)} values of mean/std for an image of {x.shape[-3]} "
                f"channels (shape {x.shape})"
            )
        return array

    def __repr__(self) -> str:
        return f"Normalize(mean={self.mean}, std={self.std})"


class Compose:
    """Several transforms in a row: Compose([f, g])(x) = g(f(x))."""

    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        self.transforms = transforms

    def __call__(self, img: Any) -> Any:
        for transform in self.transforms:
            img = transform(img)
        return img

    def batch(self, imgs: Any) -> Any:
        """Each transform's batch form in turn (see ``has_batch_form``)."""
        for transform in self.transforms:
            imgs = transform.batch(imgs)
        return imgs

    def __repr__(self) -> str:
        lines = "".join(f"\n    {transform}" for transform in self.transforms)
        return f"Compose({lines}\n)"


class Lambda:
    """A function as a transform: ``Lambda(lambda x: x.reshape(-1))``."""

    def __init__(self, lambd: Callable[[Any], Any]) -> None:
        if not callable(lambd):
            raise TypeError(f"Lambda: lambd should be callable, got {type(lambd).__name__!r}")
        self.lambd = lambd

    def __call__(self, img: Any) -> Any:
        return self.lambd(img)

    def __repr__(self) -> str:
        return "Lambda()"


def has_batch_form(transform: Any) -> bool:
    """Whether ``transform.batch`` equals applying ``transform`` sample by sample: true for
    ToTensor, Normalize and a Compose of such, not for a Lambda or another callable, nor for
    a subclass that overrides ``__call__`` alone."""
    if not fast_path_applies(type(transform), fast="batch", plain="__call__"):
        return False
    if isinstance(transform, Compose):
        return all(has_batch_form(t) for t in transform.transforms)
    return True
