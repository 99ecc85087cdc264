"""The from-scratch-book track, in plain float64 NumPy: each idea as one readable function.

- perceptron: logic gates as perceptrons (AND, OR, NAND, and XOR from two layers of them)
  and Rosenblatt's learning rule;
- numerical: numerical differentiation, numerical gradients and gradient descent;
- bayes: the Gaussian Bayes classifier (one maximum-likelihood Gaussian per class).
"""

from scratchdl.classic.bayes import GaussianBayesClassifier, fit_gaussian, stratified_split
from scratchdl.classic.numerical import gradient_descent, numerical_diff, numerical_gradient
from scratchdl.classic.perceptron import AND, NAND, OR, XOR, Perceptron

__all__ = [
    "AND",
    "NAND",
    "OR",
    "XOR",
    "GaussianBayesClassifier",
    "Perceptron",
    "fit_gaussian",
    "gradient_descent",
    "numerical_diff",
    "numerical_gradient",
    "stratified_split",
]
