"""Batch normalisation: normalise each feature (channel) over the batch, then scale and shift."""

from __future__ import annotations

from typing import Any

from scratchdl.autograd import Function, Tensor, as_tensor, is_grad_enabled, wrap
from scratchdl.autograd.tensor import as_operand
from scratchdl.backend import device_of, get_array_module


def _reduced_axes(x: Any) -> tuple[int, ...]:
    """Every axis but the channel axis 1: (0,) for (N, C), (0, 2) for (N, C, L), (0, 2, 3)
    for (N, C, H, W)."""
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected input of shape (N, C, ...), got {tuple(x.shape)}")
    return (0, *range(2, x.ndim))


def _per_channel(array: Any, ndim: int) -> Any:
    """A (C,) array shaped to broadcast against (N, C, ...)."""
    return array if ndim == 2 else array.reshape(1, -1, *(1,) * (ndim - 2))


class BatchNormTraining(Function):
    """y = γ·x̂ + β with x̂ = (x − μ_B) / √(σ²_B + ε), the statistics taken over the batch;
    given the running statistics as two more inputs, forward also updates them in place:
    running = (1 − momentum)·running + momentum·batch (the variance's batch value times
    ``correction``), unless a batch statistic is not finite. The update is part of the
    Function so that a compiled training step, which replays Functions, replays it too.

    Fused forward and the closed-form backward (m elements per channel):
        ∂L/∂x = (γ / √(σ²_B + ε)) · (g − mean(g) − x̂ · mean(g·x̂)),
        ∂L/∂γ = Σ g·x̂,  ∂L/∂β = Σ g,
    replacing the chain mean, sub, var, sqrt, div, mul, add (a test proves they agree).
    The running statistics get no gradient.
    """

    def __init__(self, eps: float, momentum: float = 0.0, correction: float = 1.0) -> None:
        self.eps, self.momentum, self.correction = eps, momentum, correction

    def forward(self, x, gamma, beta, *running):
        axes = _reduced_axes(x)
        self.mean = x.mean(axis=axes)
        self.var = x.var(axis=axes)
        if running:
            self._update_running_statistics(*running)
        inv_std = 1 / get_array_module(x).sqrt(self.var + self.eps)
        x_hat = (x - _per_channel(self.mean, x.ndim)) * _per_channel(inv_std, x.ndim)
        return x_hat * _per_channel(gamma, x.ndim) + _per_channel(beta, x.ndim)

    def _update_running_statistics(self, running_mean: Any, running_var: Any) -> None:
        xp = get_array_module(running_mean)
        if xp.isfinite(self.mean).all() and xp.isfinite(self.var).all():
            running_mean *= 1 - self.momentum
            running_mean += self.momentum * self.mean
            running_var *= 1 - self.momentum
            running_var += self.momentum * (self.var * self.correction)

    def backward(self, gy):
        x, gamma, _, *running = self.inputs
        axes = _reduced_axes(x)
        x_hat, inv_std = self._normalized(x, axes)
        g = gy * _per_channel(gamma, x.ndim)
        mean_g = g.mean(axis=axes, keepdims=True)
        mean_g_x_hat = (g * x_hat).mean(axis=axes, keepdims=True)
        gx = inv_std * (g - mean_g - x_hat * mean_g_x_hat)
        return gx, (gy * x_hat).sum(axis=axes), gy.sum(axis=axes), *[None for _ in running]

    def _normalized(self, x: Tensor, axes: tuple[int, ...]) -> tuple[Tensor, Tensor]:
        """x̂ and 1/√(σ² + ε): recomputed from x when recording a graph (create_graph, so
        second derivatives see how they depend on x), else taken from forward's statistics."""
        if is_grad_enabled():
            centered = x - x.mean(axis=axes, keepdims=True)
            inv_std = ((centered * centered).mean(axis=axes, keepdims=True) + self.eps) ** -0.5
            return centered * inv_std, inv_std
        xp = get_array_module(x.data)
        inv_std = _per_channel(1 / xp.sqrt(self.var + self.eps), x.ndim)
        return wrap((x.data - _per_channel(self.mean, x.ndim)) * inv_std), wrap(inv_std)


def batch_norm(
    input: Any,
    running_mean: Any,
    running_var: Any,
    weight: Any = None,
    bias: Any = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
    *,
    unbiased_running_var: bool = True,
) -> Tensor:
    """Batch normalisation of x (N, C) or (N, C, H, W) per channel, with PyTorch's rules
    and signature.

    Training: normalise with the batch mean and (biased) variance, and update the running
    statistics (arrays or tensors, or None to keep none) in place:
    running = (1 − momentum)·running + momentum·batch, where the running variance takes the
    unbiased batch variance (× m / (m − 1)); ``unbiased_running_var=False`` (not in torch:
    Keras's BatchNormalization rule) gives it the biased one. A batch whose statistics are
    not finite (a NaN or inf in it) leaves them unchanged, so one bad batch cannot poison
    evaluation.
    Evaluation: normalise with the running statistics. weight γ, bias β: (C,) or None.
    """
    x = as_tensor(input)
    _reduced_axes(x)  # checks the shape
    channels = x.shape[1]
    xp = get_array_module(x.data)
    gamma = _affine(weight, 1.0, x, "weight")
    beta = _affine(bias, 0.0, x, "bias")
    running_mean = _statistic(running_mean, x, "running_mean")
    running_var = _statistic(running_var, x, "running_var")
    if not training:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: evaluation needs running_mean and running_var")
        inv_std = (1 / xp.sqrt(running_var + eps)).astype(x.dtype)
        x_hat = (x - _per_channel(running_mean, x.ndim)) * _per_channel(inv_std, x.ndim)
        return x_hat * _per_channel(gamma, x.ndim) + _per_channel(beta, x.ndim)
    count = x.numel() // channels
    if count < 2:
        raise ValueError(
            "batch_norm: training needs more than one value per channel, got shape "
            f"{tuple(x.shape)}"
        )
    correction = count / (count - 1) if unbiased_running_var else 1
    function = BatchNormTraining(eps, momentum, correction)
    if running_mean is None or running_var is None:
        return function(x, gamma, beta)
    return function(x, gamma, beta, wrap(running_mean), wrap(running_var))


class CountBatch(Function):
    """n ← n + 1, in place (the BatchNorm layers' ``num_batches_tracked``); not
    differentiable. A Function so that a compiled training step replays the count."""

    def forward(self, count):
        count += 1
        return count


def _affine(value: Any, fill: float, x: Tensor, name: str) -> Tensor:
    """γ or β as a (C,) tensor: ``value`` checked, or a constant ``fill`` when None."""
    channels = x.shape[1]
    if value is None:
        return wrap(get_array_module(x.data).full(channels, fill, dtype=x.dtype))
    value = as_operand(value, x)
    if tuple(value.shape) != (channels,):
        raise ValueError(
            f"batch_norm: {name} of shape {tuple(value.shape)} does not match {channels} channels"
        )
    return value


def _statistic(statistic: Any, x: Tensor, name: str) -> Any:
    """A running statistic's array (a Tensor's data; None stays None); RuntimeError unless
    it lives on x's device (it is updated there in place)."""
    array = statistic.data if isinstance(statistic, Tensor) else statistic
    if array is not None and device_of(array) != x.device:
        raise RuntimeError(
            f"batch_norm: {name} is on {device_of(array)} but the input is on {x.device}; "
            "expected both on the same device"
        )
    return array
