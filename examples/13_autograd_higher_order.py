"""Higher-order derivatives by differentiating the backward pass (create_graph=True),
the Jacobian and the Hessian, and Newton's method with the second derivative.

    python examples/13_autograd_higher_order.py
"""

import numpy as np

import scratchdl as sd
from scratchdl import functional as F
from scratchdl.autograd import grad, hessian, jacobian


def f(x):
    return x**4 - 2 * x**2  # f' = 4x³ − 4x, f'' = 12x² − 4, f''' = 24x


x = sd.tensor(np.array(2.0), requires_grad=True)
derivative = f(x)
for order in (1, 2, 3):
    (derivative,) = grad(derivative, x, create_graph=True)
    print(f"order {order} derivative of x⁴ − 2x² at 2: {derivative.item():g}")

# Newton's method: x ← x − f'(x) / f''(x), converging to the minimum at x = 1.
x = sd.tensor(np.array(2.0), requires_grad=True)
for _ in range(6):
    (first,) = grad(f(x), x, create_graph=True)
    (second,) = grad(first, x)
    x = sd.tensor(x.numpy() - first.numpy() / second.numpy(), requires_grad=True)
print(f"Newton's method after 6 steps: x = {x.item():.10f}")


def g(v):
    return F.stack([v[0] * v[1], v[0] + v[1] ** 2])  # J = [[x1, x0], [1, 2 x1]]


def h(v):
    return v[0] ** 2 * v[1] + v[1] ** 3  # H = [[2 x1, 2 x0], [2 x0, 6 x1]]


point = sd.tensor(np.array([1.0, 2.0]))
print("Jacobian of (x0 x1, x0 + x1²) at (1, 2):\n", jacobian(g, point).numpy())
print("Hessian of x0² x1 + x1³ at (1, 2):\n", hessian(h, point).numpy())
