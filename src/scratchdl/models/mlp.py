"""MLP: a multi-layer perceptron of any depth, built from a list of layer sizes."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import scratchdl.nn as nn
from scratchdl.functional.dropout import check_drop_probability

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "leaky_relu": nn.LeakyReLU,
    "gelu": nn.GELU,
    "identity": nn.Identity,
}


class MLP(nn.Sequential):
    """Fully connected layers of the given sizes, giving logits.

        MLP([784, 512, 512, 10], dropout=0.2)
        = Flatten, Linear(784, 512), ReLU, Dropout(0.2),
                   Linear(512, 512), ReLU, Dropout(0.2), Linear(512, 10)

    Each hidden layer is Linear → BatchNorm1d when ``batchnorm`` → activation (by name: relu,
    sigmoid, tanh, leaky_relu, gelu, identity) → Dropout(``dropout``) when ``dropout`` > 0
    (the book's order); the last Linear has none of them.
    Inputs are flattened first, so images work directly.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "relu",
        dropout: float = 0.0,
        batchnorm: bool = False,
    ) -> None:
        if len(sizes) < 2:
            raise ValueError(
                f"MLP: sizes needs an input and an output size at least, got {list(sizes)}"
            )
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"MLP: unknown activation {activation!r}; expected one of {sorted(ACTIVATIONS)}"
            )
        check_drop_probability(dropout, "MLP")
        layers: list[nn.Module] = [nn.Flatten()]
        for fan_in, fan_out in itertools.pairwise(sizes[:-1]):
            layers.append(nn.Linear(fan_in, fan_out))
            if batchnorm:
                layers.append(nn.BatchNorm1d(fan_out))
            layers.append(ACTIVATIONS[activation]())
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
        layers.append(nn.Linear(sizes[-2], sizes[-1]))
        super().__init__(*layers)
