"""The table of differentiable functions under test, each with its PyTorch twin.

A case builds its own float64 inputs from a seeded generator. ``theirs`` is None where
PyTorch has no such function (only the gradient check runs then). Inputs stay away from
kinks (|x| >= 0.3) so central differences are exact enough.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import scratchdl.functional as F


def away_from_zero(rng: np.random.Generator, *shape: int) -> np.ndarray:
    """Values in ±[0.3, 1.5]: no ties, no kinks of abs/relu/max near zero."""
    return rng.uniform(0.3, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def positive(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.uniform(0.5, 2.0, shape)


def distinct(rng: np.random.Generator, *shape: int) -> np.ndarray:
    """A random permutation of well-separated values: max/min have a unique winner."""
    return rng.permutation(np.arange(np.prod(shape), dtype=float)).reshape(shape) * 0.1


def probabilities(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    p = rng.uniform(0.1, 1.0, (n, c))
    return p / p.sum(axis=1, keepdims=True)


@dataclass
class Case:
    id: str
    ours: Callable[..., Any]
    theirs: Callable[..., Any] | None
    make_inputs: Callable[[np.random.Generator], list[Any]]
    differentiable_at_inputs: bool = True  # False for ties, where only one-sided limits exist


def _cases() -> list[Case]:
    z, p, d = away_from_zero, positive, distinct
    index = np.array([0, 2, 2, 1])  # repeated index: gradients must accumulate
    mask = np.array([True, False, True])
    labels = np.array([2, 0, 1, 2])
    return [
        # arithmetic, broadcasting in both directions
        Case("add", F.add, lambda a, b: a + b, lambda r: [z(r, 3, 4), z(r, 3, 4)]),
        Case("add-bcast-right", F.add, lambda a, b: a + b, lambda r: [z(r, 3, 4), z(r, 4)]),
        Case("add-bcast-left", F.add, lambda a, b: a + b, lambda r: [z(r, 4), z(r, 2, 3, 4)]),
        Case("sub-bcast-both", F.sub, lambda a, b: a - b, lambda r: [z(r, 3, 1), z(r, 1, 4)]),
        Case("mul-bcast", F.mul, lambda a, b: a * b, lambda r: [z(r, 2, 3, 4), z(r, 3, 1)]),
        Case("div-bcast", F.div, lambda a, b: a / b, lambda r: [z(r, 3, 4), p(r, 4)]),
        Case("div-scalar-left", lambda b: 2.0 / b, lambda b: 2.0 / b, lambda r: [p(r, 3)]),
        Case("neg", F.neg, lambda a: -a, lambda r: [z(r, 3, 2)]),
        Case("pow-scalar", lambda a: F.pow(a, 3), lambda a: a**3, lambda r: [z(r, 3, 2)]),
        Case("pow-frac", lambda a: a**0.5, lambda a: a**0.5, lambda r: [p(r, 4)]),
        Case("pow-tensor", F.pow, lambda a, b: a**b, lambda r: [p(r, 3, 2), z(r, 2)]),
        Case("rpow", lambda b: 2.0**b, lambda b: 2.0**b, lambda r: [z(r, 3)]),
        Case("exp", F.exp, lambda a: a.exp(), lambda r: [z(r, 3, 2)]),
        Case("log", F.log, lambda a: a.log(), lambda r: [p(r, 3, 2)]),
        Case("sqrt", F.sqrt, lambda a: a.sqrt(), lambda r: [p(r, 3, 2)]),
        Case("abs", F.abs, lambda a: a.abs(), lambda r: [z(r, 3, 2)]),
        Case(
            "clip",
            lambda a: F.clip(a, -0.8, 0.9),
            lambda a: a.clamp(-0.8, 0.9),
            lambda r: [np.array([-1.2, -0.5, 0.2, 1.4, 0.85])],
        ),
        Case(
            "clip-low",
            lambda a: F.clip(a, min=0.0),
            lambda a: a.clamp(min=0.0),
            lambda r: [z(r, 5)],
        ),
        Case("maximum", F.maximum, _torch("maximum"), lambda r: [z(r, 3, 4), z(r, 4)]),
        Case("minimum", F.minimum, _torch("minimum"), lambda r: [z(r, 3, 1), z(r, 4)]),
        Case(
            "where",
            lambda a, b: F.where(np.array([[True], [False], [True]]), a, b),
            lambda a, b: _torch("where")(_torch_tensor(np.array([[True], [False], [True]])), a, b),
            lambda r: [z(r, 3, 4), z(r, 4)],
        ),
        # shape
        Case(
            "reshape",
            lambda a: a.reshape(4, -1),
            lambda a: a.reshape(4, -1),
            lambda r: [z(r, 2, 6)],
        ),
        Case(
            "transpose",
            lambda a: a.transpose(2, 0, 1),
            lambda a: a.permute(2, 0, 1),
            lambda r: [z(r, 2, 3, 4)],
        ),
        Case(
            "T",
            lambda a: a.T,
            lambda a: a.permute(*reversed(range(a.ndim))),
            lambda r: [z(r, 2, 3, 4)],
        ),
        Case("getitem-int-slice", lambda a: a[1, 1:], lambda a: a[1, 1:], lambda r: [z(r, 3, 4)]),
        Case(
            "getitem-repeated",
            lambda a: a[index],
            lambda a: a[_torch_tensor(index)],
            lambda r: [z(r, 3, 4)],
        ),
        Case(
            "getitem-pairs",
            lambda a: a[index, [0, 1, 1, 3]],
            lambda a: a[_torch_tensor(index), _torch_tensor(np.array([0, 1, 1, 3]))],
            lambda r: [z(r, 3, 4)],
        ),
        Case(
            "getitem-mask",
            lambda a: a[mask],
            lambda a: a[_torch_tensor(mask)],
            lambda r: [z(r, 3, 2)],
        ),
        Case(
            "broadcast_to",
            lambda a: F.broadcast_to(a, (2, 3, 4)),
            lambda a: a.expand(2, 3, 4),
            lambda r: [z(r, 3, 1)],
        ),
        Case(
            "sum_to",
            lambda a: F.sum_to(a, (3, 1)),
            lambda a: a.sum(dim=(0, 2), keepdim=True)[0],
            lambda r: [z(r, 2, 3, 4)],
        ),
        Case(
            "concatenate",
            lambda a, b: F.concatenate([a, b], axis=1),
            lambda a, b: _torch("cat")([a, b], dim=1),
            lambda r: [z(r, 2, 3), z(r, 2, 1)],
        ),
        Case(
            "stack",
            lambda a, b: F.stack([a, b], axis=-1),
            lambda a, b: _torch("stack")([a, b], dim=-1),
            lambda r: [z(r, 2, 3), z(r, 2, 3)],
        ),
        Case(
            "expand_dims",
            lambda a: F.expand_dims(a, 1),
            lambda a: a.unsqueeze(1),
            lambda r: [z(r, 2, 3)],
        ),
        Case(
            "squeeze", lambda a: F.squeeze(a, 1), lambda a: a.squeeze(1), lambda r: [z(r, 2, 1, 3)]
        ),
        Case(
            "flatten", lambda a: F.flatten(a, 1), lambda a: a.flatten(1), lambda r: [z(r, 2, 3, 4)]
        ),
        # reductions
        Case("sum-all", F.sum, lambda a: a.sum(), lambda r: [z(r, 3, 4)]),
        Case(
            "sum-axis", lambda a: a.sum(axis=1), lambda a: a.sum(dim=1), lambda r: [z(r, 3, 4, 2)]
        ),
        Case(
            "sum-tuple-keepdims",
            lambda a: a.sum(axis=(0, 2), keepdims=True),
            lambda a: a.sum(dim=(0, 2), keepdim=True),
            lambda r: [z(r, 3, 4, 2)],
        ),
        Case("mean", lambda a: a.mean(axis=-1), lambda a: a.mean(dim=-1), lambda r: [z(r, 3, 4)]),
        Case(
            "mean-keepdims",
            lambda a: a.mean(axis=0, keepdims=True),
            lambda a: a.mean(dim=0, keepdim=True),
            lambda r: [z(r, 3, 4)],
        ),
        Case("max-all", F.max, lambda a: a.amax(), lambda r: [d(r, 3, 4)]),
        Case("max-axis", lambda a: a.max(axis=1), lambda a: a.amax(dim=1), lambda r: [d(r, 3, 4)]),
        Case(
            "max-ties",
            lambda a: a.max(axis=1),
            lambda a: a.amax(dim=1),
            lambda r: [np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])],
            False,
        ),
        Case(
            "min-keepdims",
            lambda a: a.min(axis=(0, 1), keepdims=True),
            lambda a: a.amin(dim=(0, 1), keepdim=True),
            lambda r: [d(r, 3, 4, 2)],
        ),
        Case(
            "var",
            lambda a: a.var(axis=0),
            lambda a: a.var(dim=0, correction=0),
            lambda r: [z(r, 5, 3)],
        ),
        Case(
            "var-ddof",
            lambda a: F.var(a, axis=1, ddof=1, keepdims=True),
            lambda a: a.var(dim=1, correction=1, keepdim=True),
            lambda r: [z(r, 3, 5)],
        ),
        Case(
            "logsumexp",
            lambda a: F.logsumexp(a, axis=1),
            lambda a: a.logsumexp(dim=1),
            lambda r: [z(r, 3, 4) * 5],
        ),
        Case(
            "logsumexp-all-keepdims",
            lambda a: F.logsumexp(a, keepdims=True),
            lambda a: a.logsumexp(dim=(0, 1), keepdim=True),
            lambda r: [z(r, 3, 4)],
        ),
        # linear algebra
        Case("matmul", F.matmul, _torch("matmul"), lambda r: [z(r, 3, 4), z(r, 4, 2)]),
        Case("matmul-batched", F.matmul, _torch("matmul"), lambda r: [z(r, 2, 3, 4), z(r, 4, 5)]),
        Case(
            "matmul-bcast-batch",
            F.matmul,
            _torch("matmul"),
            lambda r: [z(r, 2, 1, 3, 4), z(r, 3, 4, 2)],
        ),
        Case("matmul-vec-mat", F.matmul, _torch("matmul"), lambda r: [z(r, 4), z(r, 4, 3)]),
        Case("matmul-mat-vec", F.matmul, _torch("matmul"), lambda r: [z(r, 2, 3, 4), z(r, 4)]),
        Case("matmul-vec-vec", F.matmul, _torch("matmul"), lambda r: [z(r, 4), z(r, 4)]),
        Case(
            "linear",
            F.linear,
            lambda x, W, b: _torch_f("linear")(x, W.T, b),
            lambda r: [z(r, 5, 4), z(r, 4, 3), z(r, 3)],
        ),
        Case(
            "linear-no-bias",
            F.linear,
            lambda x, W: _torch_f("linear")(x, W.T),
            lambda r: [z(r, 5, 4), z(r, 4, 3)],
        ),
        Case(
            "linear-3d",
            F.linear,
            lambda x, W, b: _torch_f("linear")(x, W.T, b),
            lambda r: [z(r, 2, 5, 4), z(r, 4, 3), z(r, 3)],
        ),
        # activations
        Case("sigmoid", F.sigmoid, _torch("sigmoid"), lambda r: [z(r, 3, 4) * 3]),
        Case("tanh", F.tanh, _torch("tanh"), lambda r: [z(r, 3, 4)]),
        Case("relu", F.relu, _torch("relu"), lambda r: [z(r, 3, 4)]),
        Case(
            "leaky_relu",
            lambda a: F.leaky_relu(a, 0.1),
            lambda a: _torch_f("leaky_relu")(a, 0.1),
            lambda r: [z(r, 3, 4)],
        ),
        Case("softplus", F.softplus, _torch_f("softplus"), lambda r: [z(r, 3, 4) * 3]),
        Case(
            "gelu",
            F.gelu,
            lambda a: _torch_f("gelu")(a, approximate="tanh"),
            lambda r: [z(r, 3, 4) * 2],
        ),
        Case("softmax", F.softmax, lambda a: a.softmax(dim=-1), lambda r: [z(r, 3, 4) * 3]),
        Case(
            "softmax-axis0",
            lambda a: F.softmax(a, axis=0),
            lambda a: a.softmax(dim=0),
            lambda r: [z(r, 3, 4)],
        ),
        Case(
            "log_softmax",
            F.log_softmax,
            lambda a: a.log_softmax(dim=-1),
            lambda r: [z(r, 3, 4) * 3],
        ),
        # convolution and pooling: strides, paddings and odd image sizes
        Case(
            "conv2d",
            F.conv2d,
            _torch_f("conv2d"),
            lambda r: [z(r, 2, 3, 5, 5), z(r, 4, 3, 3, 3), z(r, 4)],
        ),
        Case(
            "conv2d-no-bias",
            F.conv2d,
            _torch_f("conv2d"),
            lambda r: [z(r, 2, 2, 6, 5), z(r, 3, 2, 2, 3)],
        ),
        Case(  # fewer output channels than input ones: ∂L/∂x by the flipped kernel
            "conv2d-p1-narrowing",
            lambda x, w, b: F.conv2d(x, w, b, padding=1),
            lambda x, w, b: _torch_f("conv2d")(x, w, b, padding=1),
            lambda r: [z(r, 2, 3, 6, 5), z(r, 2, 3, 3, 3), z(r, 2)],
        ),
        *[
            Case(
                f"conv2d-s{s}-p{p}",
                lambda x, w, b, s=s, p=p: F.conv2d(x, w, b, stride=s, padding=p),
                lambda x, w, b, s=s, p=p: _torch_f("conv2d")(x, w, b, stride=s, padding=p),
                lambda r: [z(r, 2, 2, 7, 6), z(r, 3, 2, 3, 3), z(r, 3)],
            )
            for s, p in [(2, 0), (1, 1), (1, (2, 0)), (1, 3), (2, 1), ((2, 1), (0, 2)), (3, 2)]
        ],
        *[
            Case(
                f"max_pool2d-k{k}-s{s}-p{p}",
                lambda x, k=k, s=s, p=p: F.max_pool2d(x, k, s, p),
                lambda x, k=k, s=s, p=p: _torch_f("max_pool2d")(x, k, s, p),
                lambda r: [d(r, 2, 3, 7, 6)],
            )
            for k, s, p in [(2, None, 0), (3, 2, 1), (2, 1, 1), ((3, 2), (2, 1), (1, 0))]
        ],
        *[
            Case(
                f"avg_pool2d-k{k}-s{s}-p{p}",
                lambda x, k=k, s=s, p=p: F.avg_pool2d(x, k, s, p),
                lambda x, k=k, s=s, p=p: _torch_f("avg_pool2d")(x, k, s, p),
                lambda r: [z(r, 2, 3, 7, 6)],
            )
            for k, s, p in [(2, None, 0), (3, 2, 1), ((3, 2), (2, 1), (1, 0))]
        ],
        # losses
        Case(
            "cross_entropy-indices",
            lambda x: F.cross_entropy(x, labels),
            lambda x: _torch_f("cross_entropy")(x, _torch_tensor(labels)),
            lambda r: [z(r, 4, 3) * 2],
        ),
        Case(
            "cross_entropy-sum",
            lambda x: F.cross_entropy(x, labels, reduction="sum"),
            lambda x: _torch_f("cross_entropy")(x, _torch_tensor(labels), reduction="sum"),
            lambda r: [z(r, 4, 3)],
        ),
        Case(
            "cross_entropy-none",
            lambda x: F.cross_entropy(x, labels, reduction="none"),
            lambda x: _torch_f("cross_entropy")(x, _torch_tensor(labels), reduction="none"),
            lambda r: [z(r, 4, 3)],
        ),
        Case(
            "cross_entropy-probs",
            F.cross_entropy,
            _torch_f("cross_entropy"),
            lambda r: [z(r, 4, 3) * 2, probabilities(r, 4, 3)],
        ),
        Case("mse_loss", F.mse_loss, _torch_f("mse_loss"), lambda r: [z(r, 4, 3), z(r, 4, 3)]),
        Case(
            "mse_loss-none",
            lambda y, t: F.mse_loss(y, t, reduction="none"),
            lambda y, t: _torch_f("mse_loss")(y, t, reduction="none"),
            lambda r: [z(r, 4, 3), z(r, 4, 3)],
        ),
        Case(
            "sum_squared_error",
            F.sum_squared_error,
            lambda y, t: 0.5 * ((y - t) ** 2).sum(dim=1).mean(),
            lambda r: [z(r, 4, 3), z(r, 4, 3)],
        ),
        Case(
            "binary_cross_entropy",
            F.binary_cross_entropy,
            _torch_f("binary_cross_entropy"),
            lambda r: [r.uniform(0.1, 0.9, (4, 2)), r.uniform(0, 1, (4, 2))],
        ),
        Case(
            "bce_with_logits",
            F.binary_cross_entropy_with_logits,
            _torch_f("binary_cross_entropy_with_logits"),
            lambda r: [z(r, 4, 2) * 3, r.uniform(0, 1, (4, 2))],
        ),
    ]


def _torch(name: str) -> Callable[..., Any]:
    """A function of the torch module, looked up only when an oracle test runs."""
    return lambda *args, **kwargs: getattr(__import__("torch"), name)(*args, **kwargs)


def _torch_f(name: str) -> Callable[..., Any]:
    """A function of torch.nn.functional, looked up only when an oracle test runs."""
    return lambda *args, **kwargs: getattr(__import__("torch").nn.functional, name)(*args, **kwargs)


def _torch_tensor(array: np.ndarray) -> Any:
    return __import__("torch").from_numpy(array)


CASES = _cases()
