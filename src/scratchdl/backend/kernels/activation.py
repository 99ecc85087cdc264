"""ReLU, and the backward of ReLU, sigmoid and tanh, as compiled loops: one pass over the
arrays instead of NumPy's one to three (each with a temporary array the size of the
layer), equal bit for bit to ``ReLU.forward`` and the ``backward_arrays`` of ``ReLU``,
``Sigmoid`` and ``Tanh`` in ``functional/activation.py``: the same operations on each
element, in the same order.

Arrays are flat views of one memory order (``compiled_elementwise`` in
``functional/activation.py`` makes them, ``kernels.memory_order`` finds the order), so one
compiled version serves every shape and layout; every element is written by one thread.
"""

from __future__ import annotations

import numpy as np

from scratchdl.backend.kernels.jit import kernel, prange


@kernel
def relu(x, zero):
    """relu(x) = max(x, 0) per element by np.maximum's rule: x where x > 0 or x is NaN,
    else 0 (``zero`` in the arrays' dtype; −0 gives +0, as there)."""
    y = np.empty_like(x)
    for k in prange(x.size):
        y[k] = x[k] if (x[k] > zero or x[k] != x[k]) else zero
    return y


@kernel
def relu_backward(gy, x, zero):
    """∂L/∂x = gy · [x > 0] per element: gy where x > 0, else gy · 0 (``zero`` in the
    arrays' dtype), which keeps NumPy's ``gy * (x > 0)`` to the bit: −0 for a negative
    gy, NaN for an infinite one."""
    gx = np.empty_like(gy)
    for k in prange(gy.size):
        gx[k] = gy[k] if x[k] > zero else gy[k] * zero
    return gx


@kernel
def sigmoid_backward(gy, y, one):
    """∂L/∂x = (1 − y) · y · gy per element, y = σ(x) (``one`` is 1 in the arrays' dtype)."""
    gx = np.empty_like(gy)
    for k in prange(gy.size):
        gx[k] = (one - y[k]) * y[k] * gy[k]
    return gx


@kernel
def tanh_backward(gy, y, one):
    """∂L/∂x = gy · (1 − y·y) per element, y = tanh(x) (``one`` is 1 in the arrays' dtype)."""
    gx = np.empty_like(gy)
    for k in prange(gy.size):
        gx[k] = gy[k] * (one - y[k] * y[k])
    return gx
