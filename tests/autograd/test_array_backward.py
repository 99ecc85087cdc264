"""Functions with an array fast path (``backward_arrays``) agree with their Tensor ``backward``.

``create_graph=True`` forces the Tensor rule; without it the engine takes the fast path.
"""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.autograd import grad

CASES = {
    "linear": (lambda x, w, b: F.linear(x, w, b), [(5, 4), (3, 4), (3,)]),
    "linear-batch-of-one": (lambda x, w, b: F.linear(x, w, b), [(1, 4), (3, 4), (3,)]),
    "linear-no-bias": (lambda x, w: F.linear(x, w), [(5, 4), (3, 4)]),
    "cross_entropy": (lambda x: F.cross_entropy(x, [0, 2, 1, 2], reduction="none"), [(4, 3)]),
    "cross_entropy-mean": (lambda x: F.cross_entropy(x, [0, 2, 1, 2]), [(4, 3)]),
    "cross_entropy-sum": (lambda x: F.cross_entropy(x, [0, 2, 1, 2], reduction="sum"), [(4, 3)]),
    "mean": (lambda x: x.mean(axis=(0, 2)), [(3, 4, 2)]),
    "mean-keepdims": (lambda x: x.mean(axis=1, keepdims=True), [(3, 4)]),
    "sum": (lambda x: x.sum(axis=1), [(3, 4, 2)]),
    "relu": (F.relu, [(3, 4)]),
    "sigmoid": (F.sigmoid, [(3, 4)]),
    "tanh": (F.tanh, [(3, 4)]),
    "conv2d": (lambda x, w, b: F.conv2d(x, w, b), [(2, 3, 5, 6), (4, 3, 3, 2), (4,)]),
    "conv2d-stride-padding": (
        lambda x, w: F.conv2d(x, w, stride=2, padding=1),
        [(2, 2, 7, 6), (3, 2, 3, 3)],
    ),
    "conv2d-padding": (lambda x, w: F.conv2d(x, w, padding=1), [(2, 2, 7, 6), (3, 2, 3, 3)]),
    "conv2d-padding-wider-than-the-kernel": (  # rows: 3 > KH - 1, so G is cropped
        lambda x, w: F.conv2d(x, w, padding=(3, 1)),
        [(2, 2, 5, 6), (3, 2, 3, 2)],
    ),
    "max_pool2d": (lambda x: F.max_pool2d(x, 2), [(2, 3, 6, 7)]),
    "max_pool2d-overlapping-padded": (lambda x: F.max_pool2d(x, 3, 1, 1), [(2, 2, 5, 5)]),
}


@pytest.mark.parametrize("name", CASES)
def test_array_fast_path_equals_tensor_rule(name):
    f, shapes = CASES[name]
    rng = np.random.default_rng(0)
    inputs = [sd.tensor(rng.normal(size=shape), requires_grad=True) for shape in shapes]
    weights = rng.normal(size=f(*inputs).shape)
    fast = grad((f(*inputs) * weights).sum(), inputs)
    tensor_rule = grad((f(*inputs) * weights).sum(), inputs, create_graph=True)
    for a, b in zip(fast, tensor_rule, strict=True):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-12, atol=1e-15)


def test_the_fast_path_is_taken_without_create_graph(monkeypatch):
    calls = []
    original = F.linalg.Linear.backward_arrays
    monkeypatch.setattr(
        F.linalg.Linear, "backward_arrays", lambda self, gy: calls.append(1) or original(self, gy)
    )
    x = sd.tensor(np.ones((2, 3)), requires_grad=True)
    F.linear(x, np.ones((4, 3))).sum().backward()
    grad(F.linear(x, np.ones((4, 3))).sum(), x, create_graph=True)
    assert calls == [1]
