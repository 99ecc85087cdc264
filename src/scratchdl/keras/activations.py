"""Keras's activation functions by name, built on scratchdl.functional (differentiable).

    activations.get("relu")(x)        # the function named "relu"
    layers.Dense(10, activation="softmax")

``get`` accepts a name, one of these functions, any callable on Tensors, or None (linear).
"""

from __future__ import annotations

from collections.abc import Callable

from scratchdl import functional as F
from scratchdl.autograd import Tensor

Activation = Callable[[Tensor], Tensor]

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def linear(x: Tensor) -> Tensor:
    """f(x) = x: the output of a regression head."""
    return x


def relu(x: Tensor) -> Tensor:
    """max(0, x)."""
    return F.relu(x)


def relu6(x: Tensor) -> Tensor:
    """min(max(0, x), 6)."""
    return F.clip(F.relu(x), None, 6.0)


def leaky_relu(x: Tensor, negative_slope: float = 0.2) -> Tensor:
    """x for x > 0, else negative_slope · x (Keras's default slope is 0.2)."""
    return F.leaky_relu(x, negative_slope)


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:
    """x for x > 0, else α·(eˣ − 1) (eˣ taken of min(x, 0), so it never overflows)."""
    return F.where(x.data > 0, x, alpha * (F.exp(F.minimum(x, 0.0)) - 1.0))


def selu(x: Tensor) -> Tensor:
    """scale · elu(x, α) with the self-normalising constants α ≈ 1.6733, scale ≈ 1.0507."""
    return SELU_SCALE * elu(x, SELU_ALPHA)


def sigmoid(x: Tensor) -> Tensor:
    """1 / (1 + e⁻ˣ): a probability, the output of a binary classifier."""
    return F.sigmoid(x)


def hard_sigmoid(x: Tensor) -> Tensor:
    """relu6(x + 3) / 6, a piecewise-linear sigmoid."""
    return relu6(x + 3.0) / 6.0


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """exp(x) / Σ exp(x) along ``axis``: class probabilities, the output of a multi-class
    classifier."""
    return F.softmax(x, axis=axis)


def tanh(x: Tensor) -> Tensor:
    """The hyperbolic tangent."""
    return F.tanh(x)


def softplus(x: Tensor) -> Tensor:
    """ln(1 + eˣ)."""
    return F.softplus(x)


def softsign(x: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return x / (F.abs(x) + 1.0)


def silu(x: Tensor) -> Tensor:
    """x · σ(x) (also called swish)."""
    return x * F.sigmoid(x)


def gelu(x: Tensor) -> Tensor:
    """GELU, x · Φ(x), in its tanh approximation (Keras's default is the exact erf form; the
    two differ by less than 1e-3)."""
    return F.gelu(x)


def exponential(x: Tensor) -> Tensor:
    """eˣ."""
    return F.exp(x)


ACTIVATIONS: dict[str, Activation] = {
    function.__name__: function
    for function in (
        linear,
        relu,
        relu6,
        leaky_relu,
        elu,
        selu,
        sigmoid,
        hard_sigmoid,
        softmax,
        tanh,
        softplus,
        softsign,
        silu,
        gelu,
        exponential,
    )
}
ACTIVATIONS["swish"] = silu

ELEMENTWISE = frozenset(function for function in ACTIVATIONS.values() if function is not softmax)
"""The activations that act on each number alone (all but softmax): they give the same
result whatever the order of the axes."""


def get(identifier: str | Activation | None) -> Activation:
    """The activation function for a name, a function, or None (linear).

    Raises ValueError listing the names for an unknown one.
    """
    if identifier is None:
        return linear
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in ACTIVATIONS:
        return ACTIVATIONS[identifier]
    raise ValueError(
        f"activations.get: unknown activation {identifier!r}; expected one of "
        f"{sorted(ACTIVATIONS)}, a function of a Tensor, or None"
    )


def serialize(activation: Activation) -> str:
    """The name under which ``activation`` is registered (what a saved model stores).

    Raises ValueError for a function that is not one of Keras's activations.
    """
    for name, function in ACTIVATIONS.items():
        if function is activation:
            return name
    raise ValueError(
        f"activations.serialize: {getattr(activation, '__name__', activation)!r} is not one "
        f"of Keras's activations ({sorted(ACTIVATIONS)}), so a saved model cannot name it"
    )
