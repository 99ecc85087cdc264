"""Batch normalisation layers: BatchNorm1d for (N, C) features, BatchNorm2d for (N, C, H, W)."""

from __future__ import annotations

from typing import Any

import numpy as np

from scratchdl import functional as F
from scratchdl.autograd import Tensor, as_tensor
from scratchdl.nn.module import Module
from scratchdl.nn.parameter import Parameter


class _BatchNorm(Module):
    """y = γ·(x − μ) / √(σ² + ε) + β per channel (see ``F.batch_norm``).

    Training mode normalises with the batch's mean μ and variance σ², and updates the
    running statistics: running = (1 − momentum)·running + momentum·batch (the running
    variance takes the unbiased batch variance). Eval mode (``eval()``) normalises with
    the running statistics, so outputs no longer depend on the rest of the batch.

    Parameters ``weight`` γ (ones) and ``bias`` β (zeros), shape (C,); buffers
    ``running_mean`` (zeros), ``running_var`` (ones) and ``num_batches_tracked`` (the number
    of training batches seen), saved in ``state_dict`` under PyTorch's names.
    """

    input_ndim: int
    input_layout: str  # the expected input shape, for error messages

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        name = type(self).__name__
        if isinstance(num_features, bool) or not isinstance(num_features, int) or num_features <= 0:
            raise ValueError(
                f"{name}: num_features must be a positive integer, got {num_features!r}"
            )
        if not eps > 0:
            raise ValueError(f"{name}: eps must be positive, got {eps!r}")
        if not 0 <= momentum <= 1:
            raise ValueError(f"{name}: momentum must lie in [0, 1], got {momentum!r}")
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.weight = Parameter(np.ones(num_features, dtype=np.float32))
        self.bias = Parameter(np.zeros(num_features, dtype=np.float32))
        self.register_buffer("running_mean", np.zeros(num_features, dtype=np.float32))
        self.register_buffer("running_var", np.ones(num_features, dtype=np.float32))
        self.register_buffer("num_batches_tracked", np.zeros((), dtype=np.int64))

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        if x.ndim != self.input_ndim or x.shape[1] != self.num_features:
            layout = self.input_layout.replace("C", str(self.num_features))
            raise ValueError(
                f"{type(self).__name__}({self.num_features}): expected input of shape "
                f"{layout}, got {x.shape}"
            )
        y = F.batch_norm(
            x,
            self.weight,
            self.bias,
            self.running_mean,
            self.running_var,
            self.training,
            self.momentum,
            self.eps,
        )
        if self.training:
            self.num_batches_tracked += 1
        return y

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of features x (N, C), each feature over the batch (as after a
    Linear layer)."""

    input_ndim = 2
    input_layout = "(N, C)"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of images x (N, C, H, W), each channel over the batch and all
    pixels (as after a Conv2d layer)."""

    input_ndim = 4
    input_layout = "(N, C, H, W)"
