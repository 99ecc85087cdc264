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
    with_ignored = np.array([2, -100, 1, 0])
    spatial_labels = np.array([[[0, 2], [1, 1]], [[2, 0], [0, 1]]])
    class_weights = np.array([0.2, 1.0, 2.5])
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
            "clamp",
            lambda a: F.clamp(a, -0.8, 0.9),
            lambda a: a.clamp(-0.8, 0.9),
            lambda r: [np.array([-1.2, -0.5, 0.2, 1.4, 0.85])],
        ),
        Case(
            "clamp-low",
            lambda a: a.clamp(min=0.0),
            lambda a: a.clamp(min=0.0),
            lambda r: [z(r, 5)],
        ),
        Case(
            "clamp-tensor-bounds",
            lambda a, lo: a.clamp(min=lo),
            lambda a, lo: a.clamp(min=lo),
            lambda r: [z(r, 3, 4), z(r, 4)],
        ),
        Case("sin", F.sin, lambda a: a.sin(), lambda r: [z(r, 3, 2)]),
        Case("cos", lambda a: a.cos(), lambda a: a.cos(), lambda r: [z(r, 3, 2)]),
        Case("rsqrt", lambda a: a.rsqrt(), lambda a: a.rsqrt(), lambda r: [p(r, 3, 2)]),
        Case("square", lambda a: a.square(), lambda a: a.square(), lambda r: [z(r, 3, 2)]),
        Case("reciprocal", F.reciprocal, lambda a: a.reciprocal(), lambda r: [p(r, 3)]),
        Case(
            "add-alpha",
            lambda a, b: a.add(b, alpha=2.0),
            lambda a, b: a.add(b, alpha=2.0),
            lambda r: [z(r, 3, 4), z(r, 4)],
        ),
        Case(
            "sub-alpha",
            lambda a, b: F.sub(a, b, alpha=0.5),
            lambda a, b: _torch("sub")(a, b, alpha=0.5),
            lambda r: [z(r, 3, 4), z(r, 3, 1)],
        ),
        Case(
            "masked_fill",
            lambda a: a.masked_fill(np.array([True, False, True, False]), 0.25),
            lambda a: a.masked_fill(_torch_tensor(np.array([True, False, True, False])), 0.25),
            lambda r: [z(r, 3, 4)],
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
            "view",
            lambda a: a.view(-1, 4),
            lambda a: a.view(-1, 4),
            lambda r: [z(r, 2, 6)],
        ),
        Case(
            "permute",
            lambda a: a.permute(2, 0, 1),
            lambda a: a.permute(2, 0, 1),
            lambda r: [z(r, 2, 3, 4)],
        ),
        Case(
            "transpose",
            lambda a: a.transpose(0, 2),
            lambda a: a.transpose(0, 2),
            lambda r: [z(r, 2, 3, 4)],
        ),
        Case("t", lambda a: a.t(), lambda a: a.t(), lambda r: [z(r, 2, 3)]),
        Case("mT", lambda a: a.mT, lambda a: a.mT, lambda r: [z(r, 2, 3, 4)]),
        Case(
            "expand",
            lambda a: a.expand(2, -1, 4),
            lambda a: a.expand(2, -1, 4),
            lambda r: [z(r, 3, 1)],
        ),
        Case(
            "repeat",
            lambda a: a.repeat(2, 1, 3),
            lambda a: a.repeat(2, 1, 3),
            lambda r: [z(r, 3, 2)],
        ),
        Case(
            "gather",
            lambda a: a.gather(1, np.array([[0, 0, 2], [1, 2, 2]])),
            lambda a: a.gather(1, _torch_tensor(np.array([[0, 0, 2], [1, 2, 2]]))),
            lambda r: [z(r, 2, 4)],
        ),
        Case(
            "chunk",
            lambda a: F.cat(a.chunk(3, dim=1)[::-1], dim=1),
            lambda a: _torch("cat")(a.chunk(3, dim=1)[::-1], dim=1),
            lambda r: [z(r, 2, 7)],
        ),
        Case(
            "split-sizes",
            lambda a: F.stack(a.split([1, 2], dim=0)[1].unbind(0), dim=1),
            lambda a: _torch("stack")(a.split([1, 2], dim=0)[1].unbind(0), dim=1),
            lambda r: [z(r, 3, 4)],
        ),
        Case(
            "unflatten",
            lambda a: F.unflatten(a, 1, (2, -1)),
            lambda a: a.unflatten(1, (2, -1)),
            lambda r: [z(r, 3, 6)],
        ),
        Case(
            "contiguous-of-transpose",
            lambda a: a.t().contiguous(),
            lambda a: a.t().contiguous(),
            lambda r: [z(r, 3, 4)],
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
            "cat",
            lambda a, b: F.cat([a, b], dim=1),
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
            "unsqueeze",
            lambda a: a.unsqueeze(-1),
            lambda a: a.unsqueeze(-1),
            lambda r: [z(r, 2, 3)],
        ),
        Case(
            "squeeze", lambda a: F.squeeze(a, 1), lambda a: a.squeeze(1), lambda r: [z(r, 2, 1, 3)]
        ),
        Case(
            "squeeze-tuple-and-long-dim",
            lambda a: a.squeeze((0, 2)),
            lambda a: a.squeeze((0, 2)),
            lambda r: [z(r, 1, 3, 1)],
        ),
        Case(
            "flatten", lambda a: F.flatten(a, 1), lambda a: a.flatten(1), lambda r: [z(r, 2, 3, 4)]
        ),
        Case(
            "flatten-end_dim",
            lambda a: a.flatten(0, 1),
            lambda a: a.flatten(0, 1),
            lambda r: [z(r, 2, 3, 4)],
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
        Case(
            "sum-numpy-names",
            lambda a: a.sum(axis=(0, 2), keepdims=True),
            lambda a: a.sum(dim=(0, 2), keepdim=True),
            lambda r: [z(r, 3, 4, 2)],
        ),
        Case("max-all", F.max, lambda a: a.max(), lambda r: [d(r, 3, 4)]),
        Case("max-dim", lambda a: a.max(1)[0], lambda a: a.max(1)[0], lambda r: [d(r, 3, 4)]),
        Case(
            "max-dim-keepdim",
            lambda a: a.max(dim=0, keepdim=True).values,
            lambda a: a.max(dim=0, keepdim=True).values,
            lambda r: [d(r, 3, 4)],
        ),
        Case(
            "max-dim-ties-first-wins",
            lambda a: a.max(1)[0],
            lambda a: a.max(1)[0],
            lambda r: [np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])],
            False,
        ),
        Case("min-dim", lambda a: F.min(a, -1)[0], lambda a: a.min(-1)[0], lambda r: [d(r, 3, 4)]),
        Case("max-other", lambda a, b: F.max(a, b), _torch("max"), lambda r: [z(r, 3, 4), z(r, 4)]),
        Case("amax", lambda a: a.amax(dim=1), lambda a: a.amax(dim=1), lambda r: [d(r, 3, 4)]),
        Case(
            "amax-ties",
            lambda a: a.amax(dim=1),
            lambda a: a.amax(dim=1),
            lambda r: [np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])],
            False,
        ),
        Case(
            "amin-keepdim",
            lambda a: a.amin(dim=(0, 1), keepdim=True),
            lambda a: a.amin(dim=(0, 1), keepdim=True),
            lambda r: [d(r, 3, 4, 2)],
        ),
        Case(
            "var-unbiased-default", lambda a: a.var(0), lambda a: a.var(0), lambda r: [z(r, 5, 3)]
        ),
        Case(
            "var-correction-0",
            lambda a: a.var(dim=0, correction=0),
            lambda a: a.var(dim=0, correction=0),
            lambda r: [z(r, 5, 3)],
        ),
        Case(
            "var-numpy-ddof",
            lambda a: F.var(a, axis=1, ddof=0, keepdims=True),
            lambda a: a.var(dim=1, correction=0, keepdim=True),
            lambda r: [z(r, 3, 5)],
        ),
        Case("var-all", lambda a: a.var(), lambda a: a.var(), lambda r: [z(r, 3, 5)]),
        Case(
            "std-unbiased-false",
            lambda a: a.std(1, unbiased=False),
            lambda a: a.std(1, unbiased=False),
            lambda r: [z(r, 3, 5)],
        ),
        Case("std", lambda a: a.std(dim=0), lambda a: a.std(dim=0), lambda r: [z(r, 4, 3)]),
        Case("prod-dim", lambda a: a.prod(1), lambda a: a.prod(1), lambda r: [z(r, 3, 4)]),
        Case("prod-all", lambda a: a.prod(), lambda a: a.prod(), lambda r: [z(r, 2, 3)]),
        Case(
            "prod-with-a-zero",
            lambda a: a.prod(0),
            lambda a: a.prod(0),
            lambda r: [np.array([[0.0, 1.5], [2.0, -0.5], [0.7, 0.9]])],
        ),
        Case("norm", lambda a: a.norm(), lambda a: a.norm(), lambda r: [z(r, 3, 4)]),
        Case(
            "norm-1-dim",
            lambda a: a.norm(p=1, dim=1),
            lambda a: a.norm(p=1, dim=1),
            lambda r: [z(r, 3, 4)],
        ),
        Case(
            "norm-3",
            lambda a: F.norm(a, 3, dim=0, keepdim=True),
            lambda a: a.norm(p=3, dim=0, keepdim=True),
            lambda r: [z(r, 3, 4)],
        ),
        Case(
            "logsumexp",
            lambda a: F.logsumexp(a, dim=1),
            lambda a: a.logsumexp(dim=1),
            lambda r: [z(r, 3, 4) * 5],
        ),
        Case(
            "logsumexp-all-keepdim",
            lambda a: F.logsumexp(a, dim=(0, 1), keepdim=True),
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
        Case("mm", lambda a, b: a.mm(b), lambda a, b: a.mm(b), lambda r: [z(r, 3, 4), z(r, 4, 2)]),
        Case(
            "bmm",
            lambda a, b: a.bmm(b),
            lambda a, b: a.bmm(b),
            lambda r: [z(r, 2, 3, 4), z(r, 2, 4, 2)],
        ),
        Case("linear", F.linear, _torch_f("linear"), lambda r: [z(r, 5, 4), z(r, 3, 4), z(r, 3)]),
        Case("linear-no-bias", F.linear, _torch_f("linear"), lambda r: [z(r, 5, 4), z(r, 3, 4)]),
        Case(
            "linear-3d",
            F.linear,
            _torch_f("linear"),
            lambda r: [z(r, 2, 5, 4), z(r, 3, 4), z(r, 3)],
        ),
        Case(
            "linear_simple",
            F.linear_simple,
            _torch_f("linear"),
            lambda r: [z(r, 5, 4), z(r, 3, 4), z(r, 3)],
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
            "softplus-beta-threshold",
            lambda a: F.softplus(a, beta=2.0, threshold=1.5),
            lambda a: _torch_f("softplus")(a, beta=2.0, threshold=1.5),
            lambda r: [z(r, 3, 4)],
        ),
        Case("elu", F.elu, _torch_f("elu"), lambda r: [z(r, 3, 4) * 2]),
        Case("silu", F.silu, _torch_f("silu"), lambda r: [z(r, 3, 4) * 2]),
        Case(
            "gelu-tanh",
            lambda a: F.gelu(a, approximate="tanh"),
            lambda a: _torch_f("gelu")(a, approximate="tanh"),
            lambda r: [z(r, 3, 4) * 2],
        ),
        Case("gelu", F.gelu, _torch_f("gelu"), lambda r: [z(r, 3, 4) * 2]),
        Case(
            "softmax",
            lambda a: F.softmax(a, -1),
            lambda a: a.softmax(dim=-1),
            lambda r: [z(r, 3, 4) * 3],
        ),
        Case(
            "softmax-dim0",
            lambda a: F.softmax(a, dim=0),
            lambda a: a.softmax(dim=0),
            lambda r: [z(r, 3, 4)],
        ),
        Case(
            "log_softmax",
            lambda a: a.log_softmax(1),
            lambda a: a.log_softmax(dim=1),
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
        Case(
            "adaptive_avg_pool2d-divisible",
            lambda x: F.adaptive_avg_pool2d(x, (1, 3)),
            lambda x: _torch_f("adaptive_avg_pool2d")(x, (1, 3)),
            lambda r: [z(r, 2, 3, 4, 6)],
        ),
        Case(
            "adaptive_avg_pool2d-uneven",
            lambda x: F.adaptive_avg_pool2d(x, (3, 2)),
            lambda x: _torch_f("adaptive_avg_pool2d")(x, (3, 2)),
            lambda r: [z(r, 2, 3, 7, 5)],
        ),
        Case(
            "conv2d-padding-same",
            lambda x, w, b: F.conv2d(x, w, b, padding="same"),
            lambda x, w, b: _torch_f("conv2d")(x, w, b, padding="same"),
            lambda r: [z(r, 2, 2, 6, 5), z(r, 3, 2, 3, 3), z(r, 3)],
        ),
        Case(
            "batch_norm-training",
            lambda x, g, b: F.batch_norm(x, None, None, g, b, training=True),
            lambda x, g, b: _torch_f("batch_norm")(x, None, None, g, b, training=True),
            lambda r: [z(r, 6, 3, 2, 2), z(r, 3), z(r, 3)],
        ),
        Case(
            "batch_norm-1d-sequence",
            lambda x, g, b: F.batch_norm(x, None, None, g, b, training=True),
            lambda x, g, b: _torch_f("batch_norm")(x, None, None, g, b, training=True),
            lambda r: [z(r, 4, 3, 5), z(r, 3), z(r, 3)],
        ),
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
        Case(
            "cross_entropy-weight",
            lambda x: F.cross_entropy(x, labels, weight=class_weights),
            lambda x: _torch_f("cross_entropy")(
                x, _torch_tensor(labels), weight=_torch_tensor(class_weights)
            ),
            lambda r: [z(r, 4, 3)],
        ),
        Case(
            "cross_entropy-ignore_index",
            lambda x: F.cross_entropy(x, with_ignored),
            lambda x: _torch_f("cross_entropy")(x, _torch_tensor(with_ignored)),
            lambda r: [z(r, 4, 3)],
        ),
        Case(
            "cross_entropy-label_smoothing",
            lambda x: F.cross_entropy(x, labels, label_smoothing=0.1),
            lambda x: _torch_f("cross_entropy")(x, _torch_tensor(labels), label_smoothing=0.1),
            lambda r: [z(r, 4, 3)],
        ),
        Case(
            "cross_entropy-everything",
            lambda x: F.cross_entropy(
                x, with_ignored, weight=class_weights, ignore_index=-100, label_smoothing=0.2
            ),
            lambda x: _torch_f("cross_entropy")(
                x,
                _torch_tensor(with_ignored),
                weight=_torch_tensor(class_weights),
                label_smoothing=0.2,
            ),
            lambda r: [z(r, 4, 3)],
        ),
        Case(
            "cross_entropy-probs-smoothing-weight",
            lambda x, t: F.cross_entropy(x, t, weight=class_weights, label_smoothing=0.1),
            lambda x, t: _torch_f("cross_entropy")(
                x, t, weight=_torch_tensor(class_weights), label_smoothing=0.1
            ),
            lambda r: [z(r, 4, 3) * 2, probabilities(r, 4, 3)],
        ),
        Case(
            "cross_entropy-k-dim",
            lambda x: F.cross_entropy(x, spatial_labels, reduction="none"),
            lambda x: _torch_f("cross_entropy")(x, _torch_tensor(spatial_labels), reduction="none"),
            lambda r: [z(r, 2, 3, 2, 2)],
        ),
        Case(
            "cross_entropy-one-sample",
            lambda x: F.cross_entropy(x, np.array(1)),
            lambda x: _torch_f("cross_entropy")(x, _torch_tensor(np.array(1))),
            lambda r: [z(r, 3)],
        ),
        Case(
            "nll_loss",
            lambda x: F.nll_loss(x.log_softmax(1), labels),
            lambda x: _torch_f("nll_loss")(x.log_softmax(1), _torch_tensor(labels)),
            lambda r: [z(r, 4, 3)],
        ),
        Case(
            "nll_loss-weight-ignore-sum",
            lambda x: F.nll_loss(x, with_ignored, weight=class_weights, reduction="sum"),
            lambda x: _torch_f("nll_loss")(
                x, _torch_tensor(with_ignored), weight=_torch_tensor(class_weights), reduction="sum"
            ),
            lambda r: [z(r, 4, 3)],
        ),
        Case("mse_loss", F.mse_loss, _torch_f("mse_loss"), lambda r: [z(r, 4, 3), z(r, 4, 3)]),
        Case("l1_loss", F.l1_loss, _torch_f("l1_loss"), lambda r: [z(r, 4, 3), z(r, 4, 3) * 3]),
        Case(
            "smooth_l1_loss",
            lambda y, t: F.smooth_l1_loss(y, t, beta=0.5),
            lambda y, t: _torch_f("smooth_l1_loss")(y, t, beta=0.5),
            lambda r: [z(r, 4, 3), z(r, 4, 3) * 3],
        ),
        Case(
            "huber_loss",
            lambda y, t: F.huber_loss(y, t, delta=0.8),
            lambda y, t: _torch_f("huber_loss")(y, t, delta=0.8),
            lambda r: [z(r, 4, 3), z(r, 4, 3) * 3],
        ),
        Case(
            "kl_div-batchmean",
            lambda x, t: F.kl_div(x.log_softmax(1), t, reduction="batchmean"),
            lambda x, t: _torch_f("kl_div")(x.log_softmax(1), t, reduction="batchmean"),
            lambda r: [z(r, 4, 3), probabilities(r, 4, 3)],
        ),
        Case(
            "kl_div-log_target",
            lambda x, t: F.kl_div(x, t.log(), reduction="sum", log_target=True),
            lambda x, t: _torch_f("kl_div")(x, t.log(), reduction="sum", log_target=True),
            lambda r: [z(r, 4, 3), probabilities(r, 4, 3)],
        ),
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
            "binary_cross_entropy-weight",
            lambda p, t: F.binary_cross_entropy(p, t, weight=np.array([0.5, 2.0])),
            lambda p, t: _torch_f("binary_cross_entropy")(
                p, t, weight=_torch_tensor(np.array([0.5, 2.0]))
            ),
            lambda r: [r.uniform(0.1, 0.9, (4, 2)), r.uniform(0, 1, (4, 2))],
        ),
        Case(
            "bce_with_logits",
            F.binary_cross_entropy_with_logits,
            _torch_f("binary_cross_entropy_with_logits"),
            lambda r: [z(r, 4, 2) * 3, r.uniform(0, 1, (4, 2))],
        ),
        Case(
            "bce_with_logits-pos_weight",
            lambda z_, t: F.binary_cross_entropy_with_logits(
                z_, t, pos_weight=np.array([3.0, 0.5])
            ),
            lambda z_, t: _torch_f("binary_cross_entropy_with_logits")(
                z_, t, pos_weight=_torch_tensor(np.array([3.0, 0.5]))
            ),
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
