"""Keras's update rules: SGD, RMSprop, Adagrad, Adam and AdamW, with Keras's defaults."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

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


class Adam(Optimizer):
    """Adam, Keras's rule (ε added to √v, before the bias correction), at step t (from 1):

    m ← m + (1 − β₁)·(g − m);   v ← v + (1 − β₂)·(g² − v)   (states, from 0)
    amsgrad: v̂ ← max(v̂, v), used for v
    θ ← θ − α·m / (√v + ε)    with α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, amsgrad

    def initial_state(self, param):
        zeros_like = get_array_module(param).zeros_like
        state = {"momentum": zeros_like(param), "velocity": zeros_like(param)}
        if self.amsgrad:
            state["velocity_hat"] = zeros_like(param)
        return state

    def update(self, param, grad, state, lr):
        xp = get_array_module(param)
        t = self.iterations + 1
        alpha = lr * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        m, v = state["momentum"], state["velocity"]
        m += (1 - self.beta_1) * (grad - m)
        v += (1 - self.beta_2) * (grad * grad - v)
        if self.amsgrad:
            xp.maximum(state["velocity_hat"], v, out=state["velocity_hat"])
            v = state["velocity_hat"]
        param -= alpha * m / (xp.sqrt(v) + self.epsilon)

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }


class AdamW(Adam):
    """Adam with decoupled weight decay (θ ← θ − lr·λ·θ before each update; λ = 0.004)."""

    def __init__(self, learning_rate=0.001, weight_decay=0.004, **kwargs: Any) -> None:
        super().__init__(learning_rate, weight_decay=weight_decay, **kwargs)


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


class Adamax(Optimizer):
    """Adamax, Keras's rule (Adam with the infinity norm), at step t:

    m ← m + (1 − β₁)·(g − m);   u ← max(β₂·u, |g|)          (states "momentum", "norm")
    θ ← θ − lr·m / ((1 − β₁ᵗ)·(u + ε))
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs: Any
    ) -> None:
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def initial_state(self, param):
        zeros_like = get_array_module(param).zeros_like
        return {"momentum": zeros_like(param), "norm": zeros_like(param)}

    def update(self, param, grad, state, lr):
        xp = get_array_module(param)
        m, u = state["momentum"], state["norm"]
        m += (1 - self.beta_1) * (grad - m)
        xp.maximum(self.beta_2 * u, abs(grad), out=u)
        param -= lr * m / ((1 - self.beta_1 ** (self.iterations + 1)) * (u + self.epsilon))

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }


class Nadam(Optimizer):
    """Nadam, Keras's rule (Adam with Nesterov momentum and Dozat's momentum schedule), at
    step t with μₜ = β₁·(1 − ½·0.96ᵗ) and Πₜ = μ₁·…·μₜ:

        m ← m + (1 − β₁)·(g − m);   v ← v + (1 − β₂)·(g² − v)
        m̂ = μₜ₊₁·m / (1 − Πₜ·μₜ₊₁) + (1 − μₜ)·g / (1 − Πₜ);   v̂ = v / (1 − β₂ᵗ)
        θ ← θ − lr·m̂ / (√v̂ + ε)
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs: Any
    ) -> None:
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.momentum_product = 1.0  # Πₜ

    def initial_state(self, param):
        zeros_like = get_array_module(param).zeros_like
        return {"momentum": zeros_like(param), "velocity": zeros_like(param)}

    def momentum_at(self, t: int) -> float:
        """μₜ = β₁·(1 − ½·0.96ᵗ)."""
        return self.beta_1 * (1 - 0.5 * 0.96**t)

    def begin_step(self):
        self.momentum_product *= self.momentum_at(self.iterations + 1)

    def update(self, param, grad, state, lr):
        xp = get_array_module(param)
        t = self.iterations + 1
        mu, mu_next = self.momentum_at(t), self.momentum_at(t + 1)
        m, v = state["momentum"], state["velocity"]
        m += (1 - self.beta_1) * (grad - m)
        v += (1 - self.beta_2) * (grad * grad - v)
        m_hat = mu_next * m / (1 - self.momentum_product * mu_next) + (1 - mu) * grad / (
            1 - self.momentum_product
        )
        v_hat = v / (1 - self.beta_2**t)
        param -= lr * m_hat / (xp.sqrt(v_hat) + self.epsilon)

    def state_arrays(self):
        return {**super().state_arrays(), "momentum_product": np.array(self.momentum_product)}

    def load_state_arrays(self, arrays):
        super().load_state_arrays(arrays)
        self.momentum_product = float(arrays["momentum_product"])

    def build(self, variables):
        super().build(variables)
        self.momentum_product = 1.0

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
