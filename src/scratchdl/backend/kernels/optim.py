"""The optimizer updates as compiled loops, one pass over the arrays instead of one NumPy
call per term; equal, bit for bit, to the NumPy updates of ``optim/sgd.py`` and
``optim/adam.py``, which they follow operation by operation (same order, same rounding:
every hyperparameter comes in as the arrays' dtype, precomputed as those files compute it).

Arrays are flat (the callers pass ``reshape(-1)`` views of contiguous arrays, so one
compiled version serves every shape); every element is updated by one thread.
"""

from __future__ import annotations

import numpy as np

from scratchdl.backend.kernels.jit import kernel, prange


@kernel
def sgd(param, grad, buffer, lr, weight_decay, momentum, damped, nesterov, first_step):
    """SGD._update in place, per element (``damped`` = 1 − dampening; ``buffer`` is not
    read when momentum = 0):

        g ← ∇θ + λ·θ;   b ← g (first step) or μ·b + damped·g;   g ← g + μ·b or b;
        θ ← θ − g·lr
    """
    for k in prange(param.size):
        g = grad[k]
        if weight_decay != 0:
            g = param[k] * weight_decay + g
        if momentum != 0:
            b = g if first_step else buffer[k] * momentum + damped * g
            buffer[k] = b
            g = g + momentum * b if nesterov else b
        param[k] = param[k] - g * lr


@kernel
def adam(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, hyper, amsgrad, decoupled):
    """Adam._update in place, per element, with ``hyper`` = (β₁, 1 − β₁, β₂, 1 − β₂, λ,
    1 − lr·λ, ε·√c, lr·√c/(1 − β₁ᵗ)) where c = 1 − β₂ᵗ (``max_exp_avg_sq`` is not read
    without amsgrad):

        θ ← θ·(1 − lr·λ) (decoupled) or g ← ∇θ + λ·θ;   m ← β₁·m + g·(1 − β₁);
        v ← β₂·v + g²·(1 − β₂);   v̂ ← max(v̂, v) or v;   θ ← θ − m / (√v̂ + ε·√c) · step
    """
    beta1, one_minus_beta1, beta2, one_minus_beta2 = hyper[0], hyper[1], hyper[2], hyper[3]
    weight_decay, decay, eps_root, step_size = hyper[4], hyper[5], hyper[6], hyper[7]
    m, v = exp_avg, exp_avg_sq
    for k in prange(param.size):
        g = grad[k]
        if decoupled:
            param[k] = param[k] * decay
        elif weight_decay != 0:
            g = param[k] * weight_decay + g
        m[k] = m[k] * beta1 + g * one_minus_beta1
        v[k] = v[k] * beta2 + g * g * one_minus_beta2
        second = v[k]
        if amsgrad:
            second = max_exp_avg_sq[k] = np.maximum(max_exp_avg_sq[k], second)
        param[k] = param[k] - m[k] / (np.sqrt(second) + eps_root) * step_size
