"""Dropout as a module: active in training mode, the identity after ``eval()``."""

from __future__ import annotations

from typing import Any

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.functional.dropout import check_drop_probability
from scratchdl.nn.module import Module


class Dropout(Module):
    """Zero each element with probability ``p`` while training and scale the rest by
    1 / (1 − p) (see ``F.dropout``); pass inputs through unchanged in eval mode."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        check_drop_probability(p, "Dropout")
        self.p, self.inplace = p, inplace

    def forward(self, input: Any) -> Tensor:
        return F.dropout(input, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(Dropout):
    """Zero whole channels of (N, C, L) inputs with probability ``p`` while training (see
    ``F.dropout1d``); the identity in eval mode."""

    def forward(self, input: Any) -> Tensor:
        return F.dropout1d(input, self.p, self.training)


class Dropout2d(Dropout):
    """Zero whole feature maps of (N, C, H, W) inputs with probability ``p`` while training
    (see ``F.dropout2d``); the identity in eval mode."""

    def forward(self, input: Any) -> Tensor:
        return F.dropout2d(input, self.p, self.training)
