"""Differentiable functions, one module per family, and the Tensor methods built on them.

Importing this package attaches operators (``+ - * / ** @``, comparisons stay on Tensor)
and NumPy-named methods (``x.sum()``, ``x.reshape()``, ``x.T``, ...) to Tensor; see
``_install_tensor_methods`` for the full table.
"""

from scratchdl.autograd import Tensor
from scratchdl.functional.activation import (
    gelu,
    identity,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    softplus,
    step,
    tanh,
)
from scratchdl.functional.conv import avg_pool2d, conv2d, max_pool2d
from scratchdl.functional.dropout import dropout
from scratchdl.functional.linalg import linear, matmul
from scratchdl.functional.loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    mse_loss,
    sum_squared_error,
)
from scratchdl.functional.math import (
    abs,
    add,
    cast,
    clip,
    div,
    exp,
    log,
    maximum,
    minimum,
    mul,
    neg,
    pow,
    sqrt,
    sub,
    where,
)
from scratchdl.functional.norm import batch_norm
from scratchdl.functional.reduce import argmax, argmin, logsumexp, max, mean, min, sum, var
from scratchdl.functional.shape import (
    broadcast_to,
    concatenate,
    expand_dims,
    flatten,
    getitem,
    reshape,
    squeeze,
    stack,
    sum_to,
    swapaxes,
    transpose,
)


def _reflected(op):
    """``other (op) tensor`` for Python's reflected operators (``2 - x`` calls x.__rsub__(2))."""
    return lambda self, other: op(other, self)


def _install_tensor_methods() -> None:
    """Attach the differentiable operators and NumPy-named methods to Tensor."""
    methods = {
        "__add__": add,
        "__radd__": _reflected(add),
        "__sub__": sub,
        "__rsub__": _reflected(sub),
        "__mul__": mul,
        "__rmul__": _reflected(mul),
        "__truediv__": div,
        "__rtruediv__": _reflected(div),
        "__pow__": pow,
        "__rpow__": _reflected(pow),
        "__matmul__": matmul,
        "__rmatmul__": _reflected(matmul),
        "__neg__": neg,
        "__abs__": abs,
        "__getitem__": getitem,
        "exp": exp,
        "log": log,
        "sqrt": sqrt,
        "abs": abs,
        "clip": clip,
        "astype": cast,
        "reshape": reshape,
        "transpose": transpose,
        "swapaxes": swapaxes,
        "flatten": flatten,
        "squeeze": squeeze,
        "sum": sum,
        "mean": mean,
        "max": max,
        "min": min,
        "var": var,
        "argmax": argmax,
        "argmin": argmin,
    }
    for name, function in methods.items():
        setattr(Tensor, name, function)
    Tensor.T = property(transpose, doc="The tensor with its axes reversed.")


_install_tensor_methods()

__all__ = [
    "abs",
    "add",
    "argmax",
    "argmin",
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "broadcast_to",
    "cast",
    "clip",
    "concatenate",
    "conv2d",
    "cross_entropy",
    "div",
    "dropout",
    "exp",
    "expand_dims",
    "flatten",
    "gelu",
    "getitem",
    "identity",
    "leaky_relu",
    "linear",
    "log",
    "log_softmax",
    "logsumexp",
    "matmul",
    "max",
    "max_pool2d",
    "maximum",
    "mean",
    "min",
    "minimum",
    "mse_loss",
    "mul",
    "neg",
    "pow",
    "relu",
    "reshape",
    "sigmoid",
    "softmax",
    "softplus",
    "sqrt",
    "squeeze",
    "stack",
    "step",
    "sub",
    "sum",
    "sum_squared_error",
    "sum_to",
    "swapaxes",
    "tanh",
    "transpose",
    "var",
    "where",
]
