"""2x2 max-pooling with stride 2 (the pooling of every network here) as compiled loops,
PyTorch's first-max rule, equal to the NumPy versions in ``functional/conv.py``
(``MaxPool.forward`` and ``MaxPool.backward_arrays``; other windows take those).

Planes are (P, H, W) C-contiguous, pooled independently; window (r, c) is the 2x2 block
at rows 2r, 2r + 1 and columns 2c, 2c + 1 (an odd last row or column is in no window).
One thread takes one plane at a time.
"""

from __future__ import annotations

import numpy as np

from scratchdl.backend.kernels.jit import helper, kernel, prange


@helper
def larger(value, best):
    """``value`` if it is larger than ``best`` or NaN, else ``best``: np.maximum's rule
    (NaN wins; on a tie the earlier element stays), written as a branch-free select."""
    return value if (value > best or value != value) else best


@kernel
def max_pool_2x2(planes):
    """pooled[p, r, c] = the largest of the four elements of window (r, c), NaN if one is.
    Replaces the running ``maximum`` over the four strided views (one pass instead of
    four)."""
    count, h, w = planes.shape
    pooled = np.empty((count, h // 2, w // 2), dtype=planes.dtype)
    for p in prange(count):
        for r in range(h // 2):
            top, bottom, out = planes[p, 2 * r], planes[p, 2 * r + 1], pooled[p, r]
            for c in range(w // 2):
                best = larger(top[2 * c + 1], top[2 * c])
                out[c] = larger(bottom[2 * c + 1], larger(bottom[2 * c], best))
    return pooled


@kernel
def max_pool_2x2_backward(planes, pooled, grad_pooled):
    """grad_planes: each window's gradient at the first of its elements (row by row) equal
    to its maximum, zero elsewhere. Replaces the four winner masks (``_winner_masks``) and
    ``WindowScatter``'s four passes."""
    count, h, w = planes.shape
    grad_planes = np.empty_like(planes)  # every element in a window is written below
    zero = grad_planes.dtype.type(0)
    for p in prange(count):
        grad_planes[p, 2 * (h // 2) :] = zero  # an odd last row or column: in no window
        grad_planes[p, :, 2 * (w // 2) :] = zero
        for r in range(h // 2):
            top, bottom = planes[p, 2 * r], planes[p, 2 * r + 1]
            grad_top, grad_bottom = grad_planes[p, 2 * r], grad_planes[p, 2 * r + 1]
            for c in range(w // 2):
                best, grad = pooled[p, r, c], grad_pooled[p, r, c]
                first = top[2 * c] == best  # & and |, not `and`: no branches, so it vectorises
                second = (top[2 * c + 1] == best) & (not first)
                third = (bottom[2 * c] == best) & (not (first | second))
                fourth = (bottom[2 * c + 1] == best) & (not (first | second | third))
                grad_top[2 * c] = grad if first else zero
                grad_top[2 * c + 1] = grad if second else zero
                grad_bottom[2 * c] = grad if third else zero
                grad_bottom[2 * c + 1] = grad if fourth else zero
    return grad_planes
