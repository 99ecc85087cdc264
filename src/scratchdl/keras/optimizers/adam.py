"""Keras's Adam family: Adam, AdamW, Adamax and Nadam."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from scratchdl.backend import get_array_module
from scratchdl.keras.optimizers.base import Optimizer


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
