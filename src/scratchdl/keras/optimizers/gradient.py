"""Keras's gradient-scaling rules: SGD (with momentum), RMSprop, Adagrad and Adadelta."""

from __future__ import annotations

from typing import Any

from scratchdl.backend import get_array_module
from scratchdl.keras.optimizers.base import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent, Keras's rule:

    momentum 0:   θ ← θ − lr·g
    else:         m ← μ·m − lr·g;   θ ← θ + m           (state "momentum", from 0)
    nesterov:     m ← μ·m − lr·g;   θ ← θ + μ·m − lr·g
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs: Any) -> None:
        super().__init__(learning_rate, **kwargs)
        if not 0 <= momentum <= 1:
            raise ValueError(f"SGD: momentum must be in [0, 1], got {momentum!r}")
        self.momentum, self.nesterov = momentum, nesterov

    def initial_state(self, param):
        return {"momentum": get_array_module(param).zeros_like(param)} if self.momentum else {}

    def update(self, param, grad, state, lr):
        if not self.momentum:
            param -= lr * grad
            return
        m = state["momentum"]
        m *= self.momentum
        m -= lr * grad
        param += self.momentum * m - lr * grad if self.nesterov else m

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class RMSprop(Optimizer):
    """RMSprop, Keras's rule (ε inside the square root):

    v ← ρ·v + (1 − ρ)·g²                     (state "velocity", from 0)
    centered: ḡ ← ρ·ḡ + (1 − ρ)·g;  d = √(v − ḡ² + ε)    else d = √(v + ε)
    Δ = lr·g / d
    momentum μ > 0: b ← μ·b + Δ;  θ ← θ − b    else θ ← θ − Δ
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered

    def initial_state(self, param):
        zeros_like = get_array_module(param).zeros_like
        state = {"velocity": zeros_like(param)}
        if self.centered:
            state["average_gradient"] = zeros_like(param)
        if self.momentum > 0:
            state["momentum"] = zeros_like(param)
        return state

    def update(self, param, grad, state, lr):
        xp = get_array_module(param)
        v = state["velocity"]
        v *= self.rho
        v += (1 - self.rho) * grad * grad
        if self.centered:
            average = state["average_gradient"]
            average *= self.rho
            average += (1 - self.rho) * grad
            increment = lr * grad / xp.sqrt(v - average * average + self.epsilon)
        else:
            increment = lr * grad / xp.sqrt(v + self.epsilon)
        if self.momentum > 0:
            buffer = state["momentum"]
            buffer *= self.momentum
            buffer += increment
            param -= buffer
        else:
            param -= increment

    def get_config(self):
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }


class Adagrad(Optimizer):
    """Adagrad, Keras's rule (accumulators start at 0.1, ε inside the square root):

    a ← a + g²;   θ ← θ − lr·g / √(a + ε)      (state "accumulator")
    """

    def __init__(
        self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs: Any
    ) -> None:
        super().__init__(learning_rate, **kwargs)
        self.initial_accumulator_value, self.epsilon = initial_accumulator_value, epsilon

    def initial_state(self, param):
        xp = get_array_module(param)
        return {"accumulator": xp.full_like(param, self.initial_accumulator_value)}

    def update(self, param, grad, state, lr):
        accumulator = state["accumulator"]
        accumulator += grad * grad
        param -= lr * grad / get_array_module(param).sqrt(accumulator + self.epsilon)

    def get_config(self):
        return {
            **super().get_config(),
            "epsilon": self.epsilon,
            "initial_accumulator_value": self.initial_accumulator_value,
        }


class Adadelta(Optimizer):
    """Adadelta, Keras's rule (lr 0.001 scales the step; ε inside the square roots):

    a ← ρ·a + (1 − ρ)·g²                              (state "accumulated_grad")
    Δ = −√(d + ε) / √(a + ε) · g
    d ← ρ·d + (1 − ρ)·Δ²                              (state "accumulated_delta_var")
    θ ← θ + lr·Δ
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs: Any) -> None:
        super().__init__(learning_rate, **kwargs)
        self.rho, self.epsilon = rho, epsilon

    def initial_state(self, param):
        zeros_like = get_array_module(param).zeros_like
        return {"accumulated_grad": zeros_like(param), "accumulated_delta_var": zeros_like(param)}

    def update(self, param, grad, state, lr):
        xp = get_array_module(param)
        accumulated, deltas = state["accumulated_grad"], state["accumulated_delta_var"]
        accumulated *= self.rho
        accumulated += (1 - self.rho) * grad * grad
        delta = -xp.sqrt(deltas + self.epsilon) / xp.sqrt(accumulated + self.epsilon) * grad
        deltas *= self.rho
        deltas += (1 - self.rho) * delta * delta
        param += lr * delta

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
