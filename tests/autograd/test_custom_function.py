"""The README's "Adding a function" example, run as written."""

import numpy as np

import scratchdl as sd
from scratchdl.autograd import gradcheck


class Cube(sd.Function):
    """y = x³;  ∂y/∂x = 3x²."""

    def forward(self, x):  # arrays in, an array out
        return x**3

    def backward(self, gy):  # Tensors in: the rule stays differentiable
        (x,) = self.inputs
        return gy * 3 * x**2


def cube(x):
    return Cube()(x)


def test_cube_gradcheck():
    assert gradcheck(cube, [np.random.default_rng(0).standard_normal((3, 4))])


def test_cube_second_derivative():
    x = sd.tensor(np.array([2.0]), requires_grad=True)
    (g,) = sd.autograd.grad(cube(x).sum(), x, create_graph=True)
    g.sum().backward()
    assert x.grad.item() == 12.0  # d²(x³)/dx² = 6x
