"""Forward propagation: a 3-layer network as matrix products, for one input and a batch.

The book's network 2 → 3 → 2 → 2 (sigmoid hidden layers, identity output), with its weights.

    python examples/03_forward_propagation.py
"""

import numpy as np

import scratchdl as sd
from scratchdl import functional as F

W1 = np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]])
b1 = np.array([0.1, 0.2, 0.3])
W2 = np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]])
b2 = np.array([0.1, 0.2])
W3 = np.array([[0.1, 0.3], [0.2, 0.4]])
b3 = np.array([0.1, 0.2])


def forward(x):
    """y = (σ(σ(x W1 + b1) W2 + b2)) W3 + b3: each layer is one matrix product. (The book
    writes W as (inputs, outputs); nn.Linear stores its transpose, as PyTorch does.)"""
    z1 = F.sigmoid(sd.tensor(x) @ W1 + b1)
    z2 = F.sigmoid(z1 @ W2 + b2)
    return z2 @ W3 + b3


x = np.array([[1.0, 0.5]])
print("one input (1, 2) ->", forward(x).numpy())  # the book: [0.31682708 0.69627909]

# A batch is the same code: (100, 2) @ (2, 3) -> (100, 3) @ (3, 2) -> (100, 2) @ (2, 2).
batch = np.random.default_rng(0).random((100, 2))
y = forward(batch).numpy()
print("a batch", batch.shape, "->", y.shape)
print("row 7 of the batch equals input 7 alone:", np.allclose(y[7], forward(batch[7:8]).numpy()))
