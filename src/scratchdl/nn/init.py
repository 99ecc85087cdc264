"""Weight initialisation, in place, drawing from ``sd.get_rng()`` (so ``sd.manual_seed`` fixes it).

Every function fills ``tensor.data`` without replacing the array and returns ``tensor``.

Fan-in and fan-out follow PyTorch's layouts: a Linear weight is (out_features, in_features),
so fan_in = shape[1] and fan_out = shape[0]; a convolution weight (OC, C, KH, KW) has
fan_in = C·KH·KW and fan_out = OC·KH·KW.

Xavier (Glorot) keeps the variance of activations and gradients equal across layers with
symmetric activations (tanh, sigmoid): Var(W) = gain² · 2 / (fan_in + fan_out).
Kaiming (He) does the same for ReLU networks: Var(W) = gain² / fan, with gain √2 for ReLU.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from scratchdl.autograd import Tensor, no_grad

_UNIT_GAIN = frozenset(
    {"linear", "identity", "sigmoid", "conv1d", "conv2d", "conv3d",
     "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"}
)  # fmt: skip


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain that keeps activations' variance stable through ``nonlinearity``, as in
    PyTorch: 1 for linear, convolutions and sigmoid; 5/3 for tanh; √2 for relu;
    √(2 / (1 + a²)) for leaky_relu with negative slope a = ``param`` (default 0.01);
    3/4 for selu."""
    if nonlinearity in _UNIT_GAIN:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "selu":
        return 3.0 / 4
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, numbers.Real):
            raise ValueError(f"calculate_gain: negative slope {slope!r} is not a number")
        return math.sqrt(2.0 / (1 + slope**2))
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight: (shape[1], shape[0]) for a 2-d (out, in) weight;
    (C·k, OC·k) for a convolution weight (OC, C, *kernel) with k the kernel's size."""
    _check_tensor(tensor, "calculate_fan_in_and_fan_out")
    shape = tuple(tensor.shape)
    if len(shape) < 2:
        raise ValueError(
            f"calculate_fan_in_and_fan_out: needs a weight with at least 2 axes, got shape {shape}"
        )
    kernel_size = math.prod(shape[2:])
    return shape[1] * kernel_size, shape[0] * kernel_size


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """Fill with draws from U(a, b)."""
    _check_tensor(tensor, "uniform_")
    with no_grad():
        return tensor.uniform_(a, b)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> Tensor:
    """Fill with draws from N(mean, std²)."""
    _check_tensor(tensor, "normal_")
    with no_grad():
        return tensor.normal_(mean, std)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``."""
    _check_tensor(tensor, "constant_")
    with no_grad():
        return tensor.fill_(val)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0."""
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1."""
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """Xavier/Glorot uniform: U(−a, a) with a = gain · √(6 / (fan_in + fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound)


def xavier_normal_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """Xavier/Glorot normal: N(0, std²) with std = gain · √(2 / (fan_in + fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def kaiming_uniform_(
    tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu"
) -> Tensor:
    """Kaiming/He uniform: U(−bound, bound) with bound = √3 · gain / √fan.

    ``fan`` is fan_in (preserves the forward variance) or fan_out (the backward one) by
    ``mode``; gain = ``calculate_gain(nonlinearity, a)``, where ``a`` is the negative slope
    of a leaky ReLU (so the defaults give ReLU's gain √2, as in PyTorch).
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_uniform_")
    return uniform_(tensor, -math.sqrt(3.0) * std, math.sqrt(3.0) * std)


def kaiming_normal_(
    tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu"
) -> Tensor:
    """Kaiming/He normal: N(0, std²) with std = gain / √fan (arguments as kaiming_uniform_)."""
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_normal_"))


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str, op: str) -> float:
    """gain / √fan for the Kaiming initialisers."""
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{op}: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def _check_tensor(tensor: Any, op: str) -> None:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{op}: expected a Tensor or Parameter, got {type(tensor).__name__}")
