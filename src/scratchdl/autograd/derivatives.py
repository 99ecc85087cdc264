"""Whole derivative matrices built from backprop: the Jacobian and the Hessian."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scratchdl.autograd.engine import grad
from scratchdl.autograd.tensor import Tensor, as_tensor, wrap


def jacobian(f: Callable[[Tensor], Tensor], x: Tensor) -> Tensor:
    """J[i..., j...] = d f(x)[i...] / d x[j...], shape ``f(x).shape + x.shape``.

    One backward pass per output element, each seeded with a one-hot gradient.
    """
    x = as_tensor(x).detach().requires_grad_()
    y = f(x)
    rows = np.zeros((y.numel(), x.numel()), dtype=x.dtype)
    if y.requires_grad:
        for i in range(y.numel()):
            seed = np.zeros(y.numel(), dtype=y.dtype)
            seed[i] = 1
            (row,) = grad(y, x, seed.reshape(y.shape), retain_graph=True, allow_unused=True)
            if row is not None:
                rows[i] = row.numpy().ravel()
    return wrap(rows.reshape(tuple(y.shape) + tuple(x.shape)))


def hessian(f: Callable[[Tensor], Tensor], x: Tensor) -> Tensor:
    """H[i..., j...] = d² f(x) / d x[i...] d x[j...] for a scalar-valued ``f``.

    The Jacobian of the gradient, where the gradient is computed with ``create_graph=True``
    so that it can itself be differentiated (double backprop).
    """

    def gradient(x: Tensor) -> Tensor:
        (g,) = grad(f(x), x, create_graph=True, allow_unused=True)
        return g if g is not None else wrap(np.zeros_like(x.data))

    return jacobian(gradient, x)
