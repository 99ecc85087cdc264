"""BatchNormalization, with Keras's defaults and rules, on scratchdl's ``batch_norm``; and
Normalization, the preprocessing layer that standardises inputs with adapted statistics."""

from __future__ import annotations

from typing import Any

import numpy as np

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.backend import get_array_module
from scratchdl.keras import initializers, regularizers
from scratchdl.keras.layers.base import Layer, Shape, as_array
from scratchdl.keras.losses.functions import EPSILON


class BatchNormalization(Layer):
    """y = γ · (x − μ) / √(σ² + ε) + β per feature of the last axis (the channels).

    Training: μ, σ² are the batch's mean and (biased) variance, and the moving statistics
    move towards them: moving ← momentum · moving + (1 − momentum) · batch (Keras's rule:
    momentum 0.99 keeps 99% of the old value, and the variance is the biased one).
    Inference: μ, σ² are the moving statistics. Defaults: ε = 1e-3, γ = 1, β = 0.
    The weights are gamma, beta (learned) and moving_mean, moving_variance (not learned).
    A frozen layer (``trainable = False``) always runs in inference mode, as in Keras.
    A batch holding a NaN or inf leaves the moving statistics as they were (scratchdl's
    ``batch_norm``; Keras would let them become NaN).
    """

    def __init__(
        self,
        axis: int = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        moving_mean_initializer: Any = "zeros",
        moving_variance_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if axis != -1:
            raise NotImplementedError(
                f"BatchNormalization: axis={axis!r}; only the last axis (-1) is supported"
            )
        self.axis, self.momentum, self.epsilon = axis, momentum, epsilon
        self.center, self.scale = center, scale
        self.weight_initializers = {
            "gamma": initializers.get(gamma_initializer),
            "beta": initializers.get(beta_initializer),
            "moving_mean": initializers.get(moving_mean_initializer),
            "moving_variance": initializers.get(moving_variance_initializer),
        }
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_regularizer = regularizers.get(beta_regularizer)

    def build(self, input_shape: Shape) -> None:
        features = input_shape[-1]
        self.input_axes = {-1: features}
        if self.scale:
            self.add_weight(
                "gamma",
                (features,),
                self.weight_initializers["gamma"],
                regularizer=self.gamma_regularizer,
            )
        if self.center:
            self.add_weight(
                "beta",
                (features,),
                self.weight_initializers["beta"],
                regularizer=self.beta_regularizer,
            )
        for name in ("moving_mean", "moving_variance"):
            self.add_weight(name, (features,), self.weight_initializers[name], trainable=False)

    def call(self, x: Tensor) -> Tensor:
        features = x.shape[-1]
        rows = F.reshape(x, (-1, features))  # one row per position: batch_norm's (N, C)
        y = F.batch_norm(
            rows,
            self.moving_mean,
            self.moving_variance,
            self.gamma if self.scale else None,
            self.beta if self.center else None,
            training=self.training and self.trainable,
            momentum=1 - self.momentum,  # Keras keeps `momentum` of the old value, torch 1 - it
            eps=self.epsilon,
            unbiased_running_var=False,  # Keras moves towards the biased batch variance
        )
        return F.reshape(y, x.shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            **{
                f"{name}_initializer": initializers.serialize(initializer)
                for name, initializer in self.weight_initializers.items()
            },
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
        }


class Normalization(Layer):
    """y = (x − mean) / max(√variance, ε) per feature of the last axis, with the mean and
    (biased) variance of data given to ``adapt(data)`` (or to the constructor); ``invert``
    maps normalised values back. The weights mean, variance and count are not learned.
    """

    def __init__(
        self,
        axis: int = -1,
        mean: Any = None,
        variance: Any = None,
        invert: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if axis not in (-1, (-1,), [-1]):
            raise NotImplementedError(f"Normalization: axis={axis!r}; only the last axis (-1)")
        if (mean is None) != (variance is None):
            raise ValueError("Normalization: pass both mean and variance, or neither")
        self.axis, self.invert = -1, invert
        self.given = None if mean is None else (as_array(mean), as_array(variance))

    def build(self, input_shape: Shape) -> None:
        features = input_shape[-1]
        self.input_axes = {-1: features}
        self.add_weight("mean", (features,), "zeros", trainable=False)
        self.add_weight("variance", (features,), "ones", trainable=False)
        self.add_weight("count", (), "zeros", trainable=False)
        if self.given is not None:
            mean, variance = (
                get_array_module(value).broadcast_to(value, (features,)) for value in self.given
            )
            self.set_weights([mean, variance, 0])

    def adapt(self, data: Any) -> None:
        """Set the mean and variance to those of ``data`` over every axis but the last
        (computed where the data lives, then copied to the weights' device)."""
        data = as_array(data).astype(np.float64)
        self.build_for(data.shape)
        axes = tuple(range(data.ndim - 1))
        self.set_weights([data.mean(axis=axes), data.var(axis=axes), 0])

    def call(self, x: Tensor) -> Tensor:
        scale = self.variance.sqrt().clamp(min=EPSILON).to(x.dtype)
        mean = self.mean.to(x.dtype)
        return x * scale + mean if self.invert else (x - mean) / scale

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis, "invert": self.invert}
