"""The from-scratch-book track, in plain float64 NumPy: each idea as one readable function.

- perceptron: logic gates as perceptrons (AND, OR, NAND, and XOR from two layers of them)
  and Rosenblatt's learning rule;
- numerical: numerical differentiation, numerical gradients and gradient descent.
"""

from scratchdl.classic.numerical import gradient_descent, numerical_diff, numerical_gradient
from scratchdl.classic.perceptron import AND, NAND, OR, XOR, Perceptron

__all__ = [
    "AND",
    "NAND",
    "OR",
    "XOR",
    "Perceptron",
    "gradient_descent",
    "numerical_diff",
    "numerical_gradient",
]
