"""Numerical differentiation: the central difference, and the gradient of a function of two
variables.

    python examples/05_numerical_gradient.py
"""

import numpy as np

from scratchdl.classic import numerical_diff, numerical_gradient


def function_1(x):
    return 0.01 * x**2 + 0.1 * x  # f'(x) = 0.02x + 0.1


def function_2(x):
    return np.sum(x**2)  # ∇f = (2x0, 2x1)


for x in (5.0, 10.0):
    central = numerical_diff(function_1, x)
    forward = numerical_diff(function_1, x, method="forward")
    exact = 0.02 * x + 0.1
    print(
        f"f'({x:g}) = {exact:.4f}; central error {abs(central - exact):.1e}, "
        f"forward error {abs(forward - exact):.1e}"
    )

for point in ([3.0, 4.0], [0.0, 2.0], [3.0, 0.0]):
    print(f"gradient of x0² + x1² at {point}:", numerical_gradient(function_2, np.array(point)))
