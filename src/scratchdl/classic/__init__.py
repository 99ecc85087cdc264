"""The from-scratch-book track, in plain float64 NumPy: each idea as one readable function.

- perceptron: logic gates as perceptrons (AND, OR, NAND, and XOR from two layers of them)
  and Rosenblatt's learning rule;
- numerical: numerical differentiation, numerical gradients and gradient descent;
- bayes: the Gaussian Bayes classifier (one maximum-likelihood Gaussian per class);
- two_layer_net: the book's TwoLayerNet, with a numerical gradient and backpropagation side
  by side (and a fast numerical gradient);
- gradient_check: how far apart those two gradients are.
"""

from scratchdl.classic.bayes import GaussianBayesClassifier, fit_gaussian, stratified_split
from scratchdl.classic.gradient_check import gradient_check, run_gradient_check
from scratchdl.classic.numerical import gradient_descent, numerical_diff, numerical_gradient
from scratchdl.classic.perceptron import AND, NAND, OR, XOR, Perceptron
from scratchdl.classic.two_layer_net import TwoLayerNet, fast_numerical_gradient

__all__ = [
    "AND",
    "NAND",
    "OR",
    "XOR",
    "GaussianBayesClassifier",
    "Perceptron",
    "TwoLayerNet",
    "fast_numerical_gradient",
    "fit_gaussian",
    "gradient_check",
    "gradient_descent",
    "numerical_diff",
    "numerical_gradient",
    "run_gradient_check",
    "stratified_split",
]
