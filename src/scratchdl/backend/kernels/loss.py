"""Softmax cross-entropy with class indices as compiled loops: one pass over the logits
instead of NumPy's six (max, subtract, exp, sum, divide, pick), and one for the gradient.
They replace ``CrossEntropyWithIndices.forward`` and ``.backward_arrays`` of
``functional/loss.py`` when every target is a class index in [0, C) (a batch with a
target ignored or out of range takes those NumPy versions, which also raise the errors).

Logits are (N, C) C-contiguous, targets (N,) int64; one thread takes one row at a time.
The gradient is bit-equal to NumPy's. The forward is not quite: exp and log come from
the C library here and from NumPy's own SIMD routines there, and the row sum adds left
to right, so the two differ in the last bit or two (a test bounds it).
"""

from __future__ import annotations

import numpy as np

from scratchdl.backend.kernels.jit import kernel, prange


@kernel
def softmax_cross_entropy(logits, target, ignore_index):
    """(softmax(x), loss, True) with, for each row n, t = target[n] and m = maxⱼ xₙⱼ,

        softmax(x)ₙⱼ = exp(xₙⱼ − m) / Sₙ,   Sₙ = Σⱼ exp(xₙⱼ − m),   lossₙ = log Sₙ − (xₙₜ − m);

    or (unfilled, unfilled, False) when a target is ``ignore_index`` or outside [0, C)."""
    count, classes = logits.shape
    probabilities = np.empty_like(logits)
    loss = np.empty(count, dtype=logits.dtype)
    for n in range(count):
        if target[n] < 0 or target[n] >= classes or target[n] == ignore_index:
            return probabilities, loss, False
    for n in prange(count):
        row, out = logits[n], probabilities[n]
        peak = row[0]
        for j in range(1, classes):
            peak = max(peak, row[j])
        out[0] = total = np.exp(row[0] - peak)
        for j in range(1, classes):
            out[j] = np.exp(row[j] - peak)
            total += out[j]
        for j in range(classes):
            out[j] /= total
        loss[n] = np.log(total) - (row[target[n]] - peak)
    return probabilities, loss, True


@kernel
def softmax_cross_entropy_backward(probabilities, target, scale, one):
    """∂L/∂xₙⱼ = (softmax(x)ₙⱼ − [j = tₙ])·scale, ``scale`` being each sample's incoming
    gradient (gy/N for the mean, gy for the sum) and ``one`` 1, both of the arrays' dtype
    (a Python number would make numba compute in float64)."""
    count, classes = probabilities.shape
    gradient = np.empty_like(probabilities)
    for n in prange(count):
        for j in range(classes):
            p = probabilities[n, j]
            gradient[n, j] = (p - one if j == target[n] else p) * scale
    return gradient
