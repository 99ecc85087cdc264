"""Convolution and pooling on NCHW images, through im2col.

im2col copies every receptive field of the images into a column, so a convolution becomes
one matrix product: for x (N, C, H, W) and a kernel KH x KW, the columns form a matrix
(C·KH·KW, N·OH·OW) with OH = (H + 2·pad − KH) // stride + 1 (likewise OW). Both copies —
im2col and its adjoint col2im, which adds columns back into the images — take KH·KW
strided slices of the whole batch, never a loop over pixels.

Memory layout: the functions here compute on the channel-major view (C, N, H, W) of x —
that is what makes the columns of the whole batch one matrix, and one product per pass
enough — and return (N, C, H, W) views of channel-major memory. A stack of convolutions
and pools hands that layout from one to the next without copying; only a reshape such as
Flatten's copies back to (N, C·H·W) order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scratchdl.autograd import Function, Tensor, as_tensor
from scratchdl.backend import get_array_module, kernels
from scratchdl.functional.shape import reshape, stack, transpose

Pair = tuple[int, int]


def as_pair(value: int | tuple[int, int], name: str, op: str, minimum: int) -> Pair:
    """``value`` as a (height, width) pair of ints >= ``minimum``; ValueError names ``op``."""
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or any(not isinstance(v, int) or v < minimum for v in pair):
        raise ValueError(
            f"{op}: {name} must be an int >= {minimum} or a pair of them, got {value!r}"
        )
    return pair


def output_size(size: int, kernel: int, stride: int, pad: int) -> int:
    """The number of window positions along one axis: (size + 2·pad − kernel) // stride + 1."""
    return (size + 2 * pad - kernel) // stride + 1


class Geometry:
    """Kernel size, stride and padding of a sliding window, with the shapes they imply."""

    def __init__(self, kernel: Pair, stride: Pair, padding: Pair) -> None:
        self.kernel, self.stride, self.padding = kernel, stride, padding

    def output_hw(self, height: int, width: int) -> Pair:
        (kh, kw), (sh, sw), (ph, pw) = self.kernel, self.stride, self.padding
        return output_size(height, kh, sh, ph), output_size(width, kw, sw, pw)

    def flat(self) -> tuple[int, int, int, int, int, int]:
        """(KH, KW, SH, SW, PH, PW): the compiled kernels' arguments."""
        return (*self.kernel, *self.stride, *self.padding)

    def windows(self, oh: int, ow: int) -> list[tuple[int, int, slice, slice]]:
        """For each kernel offset (i, j), the strided slices of the padded image it reads."""
        (kh, kw), (sh, sw) = self.kernel, self.stride
        return [
            (i, j, slice(i, i + sh * oh, sh), slice(j, j + sw * ow, sw))
            for i in range(kh)
            for j in range(kw)
        ]


def channel_major(x: Any) -> Any:
    """The (C, N, H, W) view of an (N, C, H, W) array (or Tensor): no copy."""
    return x.swapaxes(0, 1)


def pad_array(x: Any, padding: Pair, fill: float = 0.0) -> Any:
    """x (A, B, H, W) surrounded by ``padding`` rows and columns of ``fill``."""
    ph, pw = padding
    if not (ph or pw):
        return x
    a, b, h, w = x.shape
    padded = get_array_module(x).full((a, b, h + 2 * ph, w + 2 * pw), fill, dtype=x.dtype)
    padded[:, :, ph : ph + h, pw : pw + w] = x
    return padded


def im2col_array(images: Any, geometry: Geometry, fill: float = 0.0) -> Any:
    """Columns (C, KH, KW, N, OH, OW) of channel-major ``images`` (C, N, H, W), padded with
    ``fill``: reshaped to (C·KH·KW, N·OH·OW), each column is one receptive field."""
    c, n, h, w = images.shape
    kh, kw = geometry.kernel
    oh, ow = geometry.output_hw(h, w)
    if kernels.usable(images, contiguous=True):  # one compiled pass (kernels/im2col.py)
        fill = images.dtype.type(fill)
        return kernels.module("im2col").im2col(images, *geometry.flat(), oh, ow, fill)
    padded = pad_array(images, geometry.padding, fill)
    cols = get_array_module(images).empty((c, kh, kw, n, oh, ow), dtype=images.dtype)
    for i, j, rows, columns in geometry.windows(oh, ow):
        cols[:, i, j] = padded[:, :, rows, columns]
    return cols


def col2im_array(cols: Any, images_shape: tuple[int, ...], geometry: Geometry) -> Any:
    """The adjoint of im2col: add columns (C, KH, KW, N, OH, OW) back into channel-major
    images of shape ``images_shape`` (C, N, H, W)."""
    c, n, h, w = images_shape
    if kernels.usable(cols, contiguous=True):  # one compiled pass (kernels/im2col.py)
        return kernels.module("im2col").col2im(cols, h, w, *geometry.flat()[2:])
    xp = get_array_module(cols)
    (ph, pw) = geometry.padding
    oh, ow = cols.shape[-2:]
    images = xp.zeros((c, n, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
    for i, j, rows, columns in geometry.windows(oh, ow):
        images[:, :, rows, columns] += cols[:, i, j]
    return images[:, :, ph : ph + h, pw : pw + w]


class Im2Col(Function):
    """cols = im2col(x) for x (N, C, H, W), as a matrix (C·KH·KW, N·OH·OW); backward is
    col2im."""

    def __init__(self, geometry: Geometry) -> None:
        self.geometry = geometry

    def forward(self, x):
        cols = im2col_array(channel_major(x), self.geometry)
        c, kh, kw, n, oh, ow = cols.shape
        return cols.reshape(c * kh * kw, n * oh * ow)

    def backward(self, gcols):
        return Col2Im(self.geometry, self.inputs[0].shape)(gcols)


class Col2Im(Function):
    """x = col2im(cols) of shape ``x_shape`` (N, C, H, W): the adjoint of Im2Col; its
    backward is Im2Col."""

    def __init__(self, geometry: Geometry, x_shape: tuple[int, ...]) -> None:
        self.geometry, self.x_shape = geometry, x_shape

    def forward(self, cols):
        n, c, h, w = self.x_shape
        (kh, kw) = self.geometry.kernel
        oh, ow = self.geometry.output_hw(h, w)
        images = col2im_array(cols.reshape(c, kh, kw, n, oh, ow), (c, n, h, w), self.geometry)
        return channel_major(images)

    def backward(self, gx):
        return Im2Col(self.geometry)(gx)


def _check_image(x: Tensor, op: str) -> None:
    if x.ndim != 4:
        raise ValueError(f"{op}: expected x of shape (N, C, H, W), got {tuple(x.shape)}")


def conv2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: int | Pair = 1,
    padding: int | Pair | str = 0,
    dilation: int | Pair = 1,
    groups: int = 1,
) -> Tensor:
    """2-d cross-correlation, as in every deep-learning framework:

        y[n, o, i, j] = b[o] + Σ_{c,p,q} W[o, c, p, q] · x_pad[n, c, i·s + p, j·s + q]

    x (N, C, H, W), W (OC, C, KH, KW), b (OC,) or None -> y (N, OC, OH, OW). Computed as
    W.reshape(OC, C·KH·KW) @ im2col(x): one batched matrix product. ``padding`` may be
    'valid' (0) or 'same' (output as large as the input; stride 1). ``dilation`` and
    ``groups`` other than 1 are not supported (NotImplementedError).
    """
    x, W, b = as_tensor(input), as_tensor(weight), bias
    _require_default("conv2d", dilation=(dilation, 1), groups=(groups, 1))
    _check_image(x, "conv2d")
    if W.ndim != 4:
        raise ValueError(f"conv2d: expected weight of shape (OC, C, KH, KW), got {tuple(W.shape)}")
    if x.shape[1] != W.shape[1]:
        raise ValueError(
            f"conv2d: x has {x.shape[1]} channels (shape {tuple(x.shape)}) but weight of shape "
            f"{tuple(W.shape)} expects {W.shape[1]}"
        )
    stride = as_pair(stride, "stride", "conv2d", 1)
    geometry = Geometry(tuple(W.shape[2:]), stride, _conv_padding(padding, W.shape[2:], stride))
    oh, ow = geometry.output_hw(*x.shape[2:])
    if oh < 1 or ow < 1:
        raise ValueError(
            f"conv2d: kernel {W.shape[2:]} is larger than the padded input {x.shape[2:]}"
        )
    if b is not None and (b := as_tensor(b, x.dtype)).shape != (W.shape[0],):
        raise ValueError(
            f"conv2d: bias of shape {tuple(b.shape)} does not match weight {tuple(W.shape)}"
        )
    inputs = (x, W) if b is None else (x, W, b)
    return Conv2d(geometry)(*inputs)


def _conv_padding(padding: Any, kernel: Any, stride: Pair) -> Pair:
    """Padding as a pair: ints as given, 'valid' as 0, 'same' as (k − 1)/2 (odd kernels,
    stride 1, as torch requires)."""
    if padding == "valid":
        return (0, 0)
    if padding == "same":
        if stride != (1, 1) or any(k % 2 == 0 for k in kernel):
            raise NotImplementedError(
                f"conv2d: padding='same' is supported for stride 1 and odd kernels, got "
                f"stride {stride} and kernel {tuple(kernel)}"
            )
        return (kernel[0] // 2, kernel[1] // 2)
    return as_pair(padding, "padding", "conv2d", 0)


def _require_default(op: str, **settings: tuple[Any, Any]) -> None:
    """Raise NotImplementedError naming the first setting that differs from its default
    (``name=(value, default)``): options PyTorch has and scratchdl does not implement."""
    for name, (value, default) in settings.items():
        if value != default and value != (default, default):
            raise NotImplementedError(f"{op}: {name}={value!r} is not supported by scratchdl")


class Conv2d(Function):
    """y = W ⊛ x + b as one matrix product Wm @ cols, with Wm = W.reshape(OC, C·KH·KW) and
    cols = im2col(x) (C·KH·KW, N·OH·OW), the bias added in place. With G = ∂L/∂y as the
    matrix (OC, N·OH·OW):

        ∂L/∂W = G @ colsᵀ,   ∂L/∂b = Σ G along its rows,   ∂L/∂x = col2im(Wmᵀ @ G).

    Fuses the chain im2col, matmul, bias add, reshape (a test proves they agree). The array
    backward computes the same ∂L/∂x by a cheaper route where there is one
    (``_input_gradient``).
    """

    def __init__(self, geometry: Geometry) -> None:
        self.geometry = geometry

    def forward(self, x, W, b=None):
        y, self.cols = _correlate(channel_major(x), W, self.geometry)
        if b is not None:
            y += b.reshape(-1, 1, 1, 1)
        return channel_major(y)

    def backward(self, gy):
        x, W, *bias = self.inputs
        g = reshape(transpose(gy, 0, 1), W.shape[0], -1)
        weights = reshape(W, W.shape[0], -1)
        gx = Col2Im(self.geometry, x.shape)(weights.T @ g) if x.requires_grad else None
        if W.requires_grad:
            cols = Im2Col(self.geometry)(x)  # with a graph, unlike self.cols
            gW = reshape(g @ cols.T, W.shape)
        else:
            gW = None
        return (gx, gW, g.sum(axis=1)) if bias else (gx, gW)

    def backward_arrays(self, gy):
        x, W, *bias = self.inputs
        g = channel_major(gy).reshape(W.shape[0], -1)  # free when gy is channel-major
        gx = None
        if x.requires_grad:
            g4 = g.reshape(W.shape[0], x.shape[0], *gy.shape[2:])  # (OC, N, OH, OW), no copy
            gx = channel_major(_input_gradient(g4, W.data, x.shape[1:], self.geometry))
        gW = _weight_gradient(g, self.cols).reshape(W.shape) if W.requires_grad else None
        return (gx, gW, g.sum(axis=1)) if bias else (gx, gW)


def _weight_gradient(g: Any, cols: Any) -> Any:
    """∂L/∂W as the matrix G @ colsᵀ (OC, C·KH·KW), for G (OC, N·OH·OW) and the columns
    (C·KH·KW, N·OH·OW). When the kernel has fewer output channels than column rows (every
    layer of DeepConvNet but the first) it is computed as (cols @ Gᵀ)ᵀ, the same sums with
    the operands' roles swapped, which OpenBLAS runs 1.1–1.4x faster there."""
    if g.shape[0] < cols.shape[0]:
        return (cols @ g.T).T
    return g @ cols.T


def _input_gradient(g: Any, W: Any, x_chw: tuple[int, ...], geometry: Geometry) -> Any:
    """∂L/∂x, channel-major (C, N, H, W), from ∂L/∂y channel-major g (OC, N, OH, OW): in
    general col2im(Wᵀ @ G). A stride-1 convolution whose columns of G would be no more
    than those of Wᵀ @ G (OC·H·W ≤ C·OH·OW, as in DeepConvNet's 16→16, 32→32 and 64→64
    layers) takes the flipped-kernel convolution instead, 1.3–1.9x faster there."""
    c, h, w = x_chw
    oc, n, oh, ow = g.shape
    if geometry.stride == (1, 1) and oc * h * w <= c * oh * ow:
        return _stride_one_input_gradient(g, W, geometry)
    gcols = W.reshape(oc, -1).T @ g.reshape(oc, -1)
    return col2im_array(gcols.reshape(c, *W.shape[2:], n, oh, ow), (c, n, h, w), geometry)


def _stride_one_input_gradient(g: Any, W: Any, geometry: Geometry) -> Any:
    """∂L/∂x of a stride-1 convolution, computed as one more convolution (channel-major in,
    channel-major out):

        ∂L/∂x = pad(G, KH − 1 − pad) ⊛ W',   W'[c, o, i, j] = W[o, c, KH − 1 − i, KW − 1 − j],

    the kernel flipped in both spatial axes with its channel axes swapped; a negative padding
    crops G instead. The same sum as col2im(Wᵀ @ G), but it copies G's windows into columns
    rather than adding columns back into images one window at a time, the slow part of
    col2im.
    """
    (kh, kw), (ph, pw) = geometry.kernel, geometry.padding
    crop_h, crop_w = max(ph - kh + 1, 0), max(pw - kw + 1, 0)
    g = g[:, :, crop_h : g.shape[2] - crop_h, crop_w : g.shape[3] - crop_w]
    full = Geometry((kh, kw), (1, 1), (max(kh - 1 - ph, 0), max(kw - 1 - pw, 0)))
    gx, _ = _correlate(g, W[:, :, ::-1, ::-1].swapaxes(0, 1), full)
    return gx


def _correlate(images: Any, W: Any, geometry: Geometry) -> tuple[Any, Any]:
    """Channel-major ``images`` (C, N, H, W) cross-correlated with W (OC, C, KH, KW) as one
    matrix product: the result (OC, N, OH, OW), channel-major, and the columns
    im2col(images) (C·KH·KW, N·OH·OW) it was computed from."""
    cols = im2col_array(images, geometry)  # (C, KH, KW, N, OH, OW)
    c, kh, kw, n, oh, ow = cols.shape
    cols = cols.reshape(c * kh * kw, n * oh * ow)
    y = W.reshape(W.shape[0], -1) @ cols
    return y.reshape(W.shape[0], n, oh, ow), cols


class MaxPool(Function):
    """y = the largest element of each window; its gradient goes to that element only (the
    first of equal maxima, as in PyTorch). The maximum runs over the KH·KW strided views of
    the padded input, one view per kernel offset."""

    uses_output = True

    def __init__(self, geometry: Geometry) -> None:
        self.geometry = geometry

    def forward(self, x):
        order = _compiled_pool_order(x, self.geometry)
        if order is not None:  # one compiled pass instead of four (kernels/pool.py)
            pooled = kernels.module("pool").max_pool_2x2(_planes(order(x)))
            return order(pooled.reshape(*order(x).shape[:2], *pooled.shape[1:]))
        xp = get_array_module(x)
        views = _offset_views(channel_major(x), self.geometry, -xp.inf)
        y = xp.maximum(views[0], views[1]) if len(views) > 1 else views[0].copy()
        for view in views[2:]:
            xp.maximum(y, view, out=y)
        return channel_major(y)

    def backward(self, gy):
        x = self.inputs[0]
        masks = _winner_masks(channel_major(x.data), channel_major(self.output.data), self.geometry)
        return WindowScatter(self.geometry, x.shape, masks)(gy)

    def backward_arrays(self, gy):
        x, y = self.inputs[0].data, self.output.data
        order = _compiled_pool_order(x, self.geometry)
        if order is not None and kernels.usable(x, y, gy):  # masks and scatter in one pass
            pooled, grad = (_planes(order(a)) for a in (y, gy))
            gx = kernels.module("pool").max_pool_2x2_backward(_planes(order(x)), pooled, grad)
            return order(gx.reshape(order(x).shape))
        masks = _winner_masks(channel_major(x), channel_major(y), self.geometry)
        return WindowScatter(self.geometry, x.shape, masks).forward(gy)


def _compiled_pool_order(x: Any, geometry: Geometry) -> Callable[[Any], Any] | None:
    """How the compiled 2x2 stride-2 pool walks x (N, C, H, W): through ``channel_major``
    when that view is C-contiguous (as conv2d returns it), as it is (``_same``) when x is;
    None — take the NumPy path — for other windows, layouts, dtypes or arrays. Either
    order is its own inverse, so it also turns the pooled planes back."""
    if geometry.flat() != (2, 2, 2, 2, 0, 0) or not kernels.usable(x):
        return None
    if channel_major(x).flags.c_contiguous:
        return channel_major
    return _same if x.flags.c_contiguous else None


def _same(x: Any) -> Any:
    return x


def _planes(images: Any) -> Any:
    """Images (A, B, H, W) as C-contiguous planes (A·B, H, W) (a copy only if needed)."""
    return get_array_module(images).ascontiguousarray(images).reshape(-1, *images.shape[2:])


def _winner_masks(images: Any, pooled: Any, geometry: Geometry) -> list[Any]:
    """For each kernel offset, where its element is its window's first maximum (images and
    pooled channel-major)."""
    views = _offset_views(images, geometry, -get_array_module(images).inf)
    masks = [views[0] == pooled]
    taken = masks[0].copy()
    for view in views[1:]:
        mask = view == pooled
        mask &= ~taken
        taken |= mask
        masks.append(mask)
    return masks


class WindowScatter(Function):
    """gx = each window's gradient placed at the element its mask picks (MaxPool's gradient)."""

    def __init__(self, geometry: Geometry, x_shape: tuple[int, ...], masks: list[Any]) -> None:
        self.geometry, self.x_shape, self.masks = geometry, x_shape, masks

    def forward(self, gy):
        xp = get_array_module(gy)
        n, c, h, w = self.x_shape
        (ph, pw) = self.geometry.padding
        gx = xp.zeros((c, n, h + 2 * ph, w + 2 * pw), dtype=gy.dtype)
        overlapping = any(
            s < k for s, k in zip(self.geometry.stride, self.geometry.kernel, strict=True)
        )
        gy = channel_major(gy)
        for view, mask in zip(_offset_views(gx, self.geometry), self.masks, strict=True):
            if overlapping:
                view += gy * mask
            else:  # each element lies in one window: write, don't add (2x faster)
                xp.multiply(gy, mask, out=view)
        return channel_major(gx[:, :, ph : ph + h, pw : pw + w])

    def backward(self, ggx):
        return WindowGather(self.geometry, self.masks)(ggx)


class WindowGather(Function):
    """y = for each window, the element its mask picks (the adjoint of WindowScatter)."""

    def __init__(self, geometry: Geometry, masks: list[Any]) -> None:
        self.geometry, self.masks = geometry, masks

    def forward(self, x):
        views = _offset_views(channel_major(x), self.geometry, 0.0)
        return channel_major(sum(v * mask for v, mask in zip(views, self.masks, strict=True)))

    def backward(self, gy):
        return WindowScatter(self.geometry, self.inputs[0].shape, self.masks)(gy)


def _offset_views(images: Any, geometry: Geometry, fill: float | None = None) -> list[Any]:
    """For each kernel offset, the strided view (C, N, OH, OW) of the elements it covers in
    ``images`` (C, N, H, W) padded with ``fill``, or in ``images`` already padded (None)."""
    if fill is not None:
        images = pad_array(images, geometry.padding, fill)
    (ph, pw) = geometry.padding
    oh, ow = geometry.output_hw(images.shape[2] - 2 * ph, images.shape[3] - 2 * pw)
    return [images[:, :, rows, columns] for _, _, rows, columns in geometry.windows(oh, ow)]


def _pool_geometry(x: Tensor, kernel_size: Any, stride: Any, padding: Any, op: str) -> Geometry:
    _check_image(x, op)
    kernel = as_pair(kernel_size, "kernel_size", op, 1)
    geometry = Geometry(
        kernel,
        kernel if stride is None else as_pair(stride, "stride", op, 1),
        as_pair(padding, "padding", op, 0),
    )
    if any(p > k // 2 for p, k in zip(geometry.padding, kernel, strict=True)):
        raise ValueError(
            f"{op}: padding {geometry.padding} must be at most half of kernel {kernel}"
        )
    oh, ow = geometry.output_hw(*x.shape[2:])
    if oh < 1 or ow < 1:
        raise ValueError(f"{op}: kernel {kernel} is larger than the padded input {x.shape[2:]}")
    return geometry


def max_pool2d(
    input: Any,
    kernel_size: int | Pair,
    stride: int | Pair | None = None,
    padding: int | Pair = 0,
    dilation: int | Pair = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor:
    """The maximum of each KH x KW window (stride defaults to the kernel size); padding
    counts as −∞. x (N, C, H, W) -> (N, C, OH, OW). ``dilation``, ``ceil_mode`` and
    ``return_indices`` other than their defaults are not supported."""
    _require_default(
        "max_pool2d",
        dilation=(dilation, 1),
        ceil_mode=(ceil_mode, False),
        return_indices=(return_indices, False),
    )
    x = as_tensor(input)
    return MaxPool(_pool_geometry(x, kernel_size, stride, padding, "max_pool2d"))(x)


def avg_pool2d(
    input: Any,
    kernel_size: int | Pair,
    stride: int | Pair | None = None,
    padding: int | Pair = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean of each KH x KW window (stride defaults to the kernel size); zero padding is
    counted in the mean, as PyTorch's default. x (N, C, H, W) -> (N, C, OH, OW)."""
    _require_default(
        "avg_pool2d",
        ceil_mode=(ceil_mode, False),
        count_include_pad=(count_include_pad, True),
        divisor_override=(divisor_override, None),
    )
    x = as_tensor(input)
    geometry = _pool_geometry(x, kernel_size, stride, padding, "avg_pool2d")
    n, c = x.shape[:2]
    oh, ow = geometry.output_hw(*x.shape[2:])
    windows = reshape(Im2Col(geometry)(x), c, -1, n, oh, ow)
    return transpose(windows.mean(dim=1), 0, 1)


def adaptive_avg_pool2d(input: Any, output_size: int | tuple[int | None, int | None]) -> Tensor:
    """The mean over each cell of an OH x OW grid laid over the image, as torch: cell (i, j)
    covers rows ⌊i·H/OH⌋ .. ⌈(i+1)·H/OH⌉ (likewise columns). x (N, C, H, W) ->
    (N, C, OH, OW); None in ``output_size`` keeps that size. When OH divides H and OW
    divides W this is ``avg_pool2d`` with kernel (H/OH, W/OW)."""
    x = as_tensor(input)
    _check_image(x, "adaptive_avg_pool2d")
    h, w = x.shape[2:]
    sizes = (output_size, output_size) if isinstance(output_size, int) else tuple(output_size)
    oh, ow = (h if sizes[0] is None else sizes[0]), (w if sizes[1] is None else sizes[1])
    if h % oh == 0 and w % ow == 0:
        return avg_pool2d(x, (h // oh, w // ow))
    rows = [(i * h // oh, -(-(i + 1) * h // oh)) for i in range(oh)]
    columns = [(j * w // ow, -(-(j + 1) * w // ow)) for j in range(ow)]
    cells = [
        [x[:, :, top:bottom, left:right].mean(dim=(2, 3)) for left, right in columns]
        for top, bottom in rows
    ]
    return stack([stack(row, dim=-1) for row in cells], dim=-2)
