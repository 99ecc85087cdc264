"""TwoLayerNet: the first "from scratch" book's network, as an nn.Module."""

from __future__ import annotations

from typing import Any

import scratchdl.nn as nn
from scratchdl.autograd import Tensor


class TwoLayerNet(nn.Module):
    """Affine → ReLU → affine, giving logits:

        x (N, input_size) → fc1 → ReLU → fc2 → logits (N, output_size)

    Images such as MNIST's (N, 1, 28, 28) are flattened first. The book's parameters W1, b1,
    W2, b2 are ``fc1.weight``, ``fc1.bias``, ``fc2.weight``, ``fc2.bias``, in the book's
    (in, out) layout. ``weight_init_std`` initialises as the book does (weights drawn from
    N(0, std²), biases zero; the book uses 0.01); None keeps Linear's default.
    """

    def __init__(
        self,
        input_size: int = 784,
        hidden_size: int = 50,
        output_size: int = 10,
        weight_init_std: float | None = None,
    ) -> None:
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(input_size, hidden_size)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(hidden_size, output_size)
        if weight_init_std is not None:
            for layer in (self.fc1, self.fc2):
                nn.init.normal_(layer.weight, std=weight_init_std)
                nn.init.zeros_(layer.bias)

    def forward(self, x: Any) -> Tensor:
        return self.fc2(self.relu(self.fc1(self.flatten(x))))
