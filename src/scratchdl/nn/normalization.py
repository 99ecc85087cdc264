"""Batch normalisation layers: BatchNorm1d for (N, C) or (N, C, L), BatchNorm2d for
(N, C, H, W)."""

from __future__ import annotations

from typing import Any

from scratchdl import functional as F
from scratchdl.autograd import Tensor, as_tensor
from scratchdl.autograd import dtype as dtypes
from scratchdl.functional import creation
from scratchdl.functional.norm import CountBatch
from scratchdl.nn.module import Module
from scratchdl.nn.parameter import Parameter


class _BatchNorm(Module):
    """y = γ·(x − μ) / √(σ² + ε) + β per channel (see ``F.batch_norm``), as
    ``torch.nn.BatchNorm*d``.

    Training mode normalises with the batch's mean μ and variance σ², and updates the
    running statistics: running = (1 − momentum)·running + momentum·batch (the running
    variance takes the unbiased batch variance; ``momentum=None`` keeps the cumulative
    average instead). Eval mode (``eval()``) normalises with the running statistics, so
    outputs no longer depend on the rest of the batch.

    Parameters ``weight`` γ (ones) and ``bias`` β (zeros), shape (C,), when ``affine``
    (β only with ``bias``);
    buffers ``running_mean`` (zeros), ``running_var`` (ones) and ``num_batches_tracked``
    (the number of training batches seen), when ``track_running_stats``; saved in
    ``state_dict`` under PyTorch's names. A batch with a NaN or inf leaves the running
    statistics unchanged.
    """

    input_ndims: tuple[int, ...]
    input_layout: str  # the expected input shape, for error messages
    running_mean: Tensor  # the three buffers are None without track_running_stats
    running_var: Tensor
    num_batches_tracked: Tensor

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        if isinstance(num_features, bool) or not isinstance(num_features, int) or num_features <= 0:
            raise ValueError(
                f"{name}: num_features must be a positive integer, got {num_features!r}"
            )
        if not eps > 0:
            raise ValueError(f"{name}: eps must be positive, got {eps!r}")
        if momentum is not None and not 0 <= momentum <= 1:
            raise ValueError(f"{name}: momentum must lie in [0, 1] or be None, got {momentum!r}")
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        made = {"dtype": dtypes.float32 if dtype is None else dtype, "device": device}
        self.weight = Parameter(creation.ones(num_features, **made)) if affine else None
        self.bias = Parameter(creation.zeros(num_features, **made)) if affine and bias else None
        if track_running_stats:
            self.register_buffer("running_mean", creation.zeros(num_features, **made))
            self.register_buffer("running_var", creation.ones(num_features, **made))
            self.register_buffer(
                "num_batches_tracked", creation.zeros((), dtype=dtypes.int64, device=device)
            )
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)

    def forward(self, input: Any) -> Tensor:
        x = as_tensor(input)
        if x.ndim not in self.input_ndims or x.shape[1] != self.num_features:
            layout = self.input_layout.replace("C", str(self.num_features))
            raise ValueError(
                f"{type(self).__name__}({self.num_features}): expected input of shape "
                f"{layout}, got {tuple(x.shape)}"
            )
        counting = self.training and self.track_running_stats
        momentum = self.momentum
        if counting and momentum is None:  # the cumulative average of all batches so far
            momentum = 1.0 / (float(self.num_batches_tracked.item()) + 1)
        y = F.batch_norm(
            x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            self.training or not self.track_running_stats,
            0.0 if momentum is None else momentum,
            self.eps,
        )
        if counting:
            CountBatch()(self.num_batches_tracked)
        return y

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of features x (N, C) or sequences (N, C, L), each feature over
    the batch (as after a Linear layer)."""

    input_ndims = (2, 3)
    input_layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of images x (N, C, H, W), each channel over the batch and all
    pixels (as after a Conv2d layer)."""

    input_ndims = (4,)
    input_layout = "(N, C, H, W)"
