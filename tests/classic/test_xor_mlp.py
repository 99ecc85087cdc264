"""Where one perceptron fails, a two-layer network trained by backpropagation solves XOR.

Built from raw Tensors and scratchdl.functional (no nn, no optim), so it shows the whole
loop: forward, loss, backward, and a manual gradient-descent step.
"""

from __future__ import annotations

import numpy as np

import scratchdl as sd
import scratchdl.functional as F

X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def _parameter(*shape: int) -> sd.Tensor:
    return sd.tensor(sd.get_rng().normal(0.0, 1.0, size=shape), requires_grad=True)


def test_a_two_layer_network_learns_xor():
    sd.manual_seed(0)
    W1, b1 = _parameter(2, 4), _parameter(4)
    W2, b2 = _parameter(4, 1), _parameter(1)
    parameters = [W1, b1, W2, b2]

    def logits(x):  # the book's affine layers: x @ W + b
        return F.tanh(sd.tensor(x) @ W1 + b1) @ W2 + b2

    for _ in range(500):
        loss = F.binary_cross_entropy_with_logits(logits(X), Y)
        for p in parameters:
            p.grad = None
        loss.backward()
        with sd.no_grad():
            for p in parameters:
                p.data -= 0.5 * p.grad.data

    with sd.no_grad():
        predictions = (logits(X).numpy() > 0).astype(float)
    np.testing.assert_array_equal(predictions, Y)
    assert loss.item() < 0.1
