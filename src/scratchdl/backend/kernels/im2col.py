"""im2col and col2im as compiled loops, equal to ``im2col_array`` and ``col2im_array`` of
``functional/conv.py`` (which take KH·KW strided slices of the whole batch, after padding
a copy of it).

Images are channel-major (C, N, H, W) and columns (C, KH, KW, N, OH, OW), both
C-contiguous and walked through flat indices; window (r, q) of kernel offset (i, j) reads
image row r·SH − PH + i, column q·SW − PW + j. Indices are cast to unsigned: they are
never negative, and a signed index would make numba check for Python's negative indexing
on every element.
"""

from __future__ import annotations

import numpy as np

from scratchdl.backend.kernels.jit import helper, kernel, prange


@helper
def inside(size, out_size, stride, pad, offset):
    """The output positions q whose input position q·stride − pad + offset lies in
    [0, size): the range [low, high) (empty if none)."""
    low, high = 0, out_size
    while low < high and low * stride - pad + offset < 0:
        low += 1
    while high > low and (high - 1) * stride - pad + offset >= size:
        high -= 1
    return low, high


@kernel
def im2col(images, kh, kw, sh, sw, ph, pw, oh, ow, fill):
    """cols[c, i, j, n, r, q] = image[c, n, r·SH − PH + i, q·SW − PW + j], or ``fill`` where
    that lies in the padding. One thread fills the columns of one (c, i, j) at a time."""
    channels, n, h, w = images.shape
    cols = np.empty((channels, kh, kw, n, oh, ow), dtype=images.dtype)
    source, target = images.reshape(-1), cols.reshape(-1)
    for task in prange(channels * kh * kw):
        c, i, j = task // (kh * kw), task // kw % kh, task % kw
        low, high = inside(w, ow, sw, pw, j)
        for b in range(n):
            for r in range(oh):
                y = r * sh - ph + i
                start, stop = (low, high) if 0 <= y < h else (0, 0)
                out = ((task * n + b) * oh + r) * ow
                row = ((c * n + b) * h + y) * w + j - pw
                for q in range(start):
                    target[np.uintp(out + q)] = fill
                for q in range(start, stop):
                    target[np.uintp(out + q)] = source[np.uintp(row + q * sw)]
                for q in range(stop, ow):
                    target[np.uintp(out + q)] = fill
    return cols


@kernel
def col2im(cols, h, w, sh, sw, ph, pw):
    """images[c, n, y, x] = Σ cols[c, i, j, n, r, q] over the windows that read (y, x),
    added in the order of the offsets (i, j), as col2im_array adds them. One thread sums
    one image plane (c, n) at a time."""
    channels, kh, kw, n, oh, ow = cols.shape
    images = np.zeros((channels, n, h, w), dtype=cols.dtype)
    source, target = cols.reshape(-1), images.reshape(-1)
    for task in prange(channels * n):
        c, b = task // n, task % n
        for i in range(kh):
            for j in range(kw):
                low, high = inside(w, ow, sw, pw, j)
                block = (((c * kh + i) * kw + j) * n + b) * oh * ow
                for r in range(oh):
                    y = r * sh - ph + i
                    if 0 <= y < h:
                        out, row = (task * h + y) * w + j - pw, block + r * ow
                        for q in range(low, high):
                            target[np.uintp(out + q * sw)] += source[np.uintp(row + q)]
    return images
