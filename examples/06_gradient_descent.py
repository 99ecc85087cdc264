"""Gradient descent on x0² + x1² from (−3, 4), with a good, a too large and a too small lr.

python examples/06_gradient_descent.py
"""

import numpy as np

from scratchdl.classic import gradient_descent


def function_2(x):
    return np.sum(x**2)


for lr in (0.1, 10.0, 1e-10):
    x, path = gradient_descent(function_2, init_x=[-3.0, 4.0], lr=lr, steps=100)
    print(f"lr {lr:g}: after {len(path) - 1} steps x = {x}, f(x) = {function_2(x):.3g}")
