"""Keras's weight initialisers, drawing from the library generator (``sd.manual_seed``, or
``keras.utils.set_random_seed``, fixes them).

An initialiser is called as ``initializer(shape, dtype) -> ndarray``. Fans follow Keras's
layouts: a Dense kernel (in, units) has fan_in = in, fan_out = units; a Conv2D kernel
(kh, kw, in, filters) has fan_in = kh·kw·in, fan_out = kh·kw·filters.

Variance scaling draws with variance scale / n, n = fan_in, fan_out or their mean:
    glorot_uniform  U(±√(6 / (fan_in + fan_out)))      (Dense and Conv2D kernels)
    he_normal       N(0, 2 / fan_in) truncated at ±2σ  (for ReLU networks)
    lecun_normal    N(0, 1 / fan_in) truncated at ±2σ
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from scratchdl.random import get_rng

TRUNCATED_STD = 0.87962566103423978  # std of N(0, 1) truncated to [-2, 2]


class Initializer:
    """Base class: ``__call__(shape, dtype)`` returns a new array; ``get_config`` the
    constructor's arguments."""

    def __call__(self, shape: tuple[int, ...], dtype: Any = "float32") -> np.ndarray:
        return self.draw(tuple(shape), self._rng()).astype(dtype)

    def draw(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def _rng(self) -> np.random.Generator:
        seed = getattr(self, "seed", None)
        return get_rng() if seed is None else np.random.default_rng(seed)

    def get_config(self) -> dict[str, Any]:
        return {}


class Zeros(Initializer):
    """All zeros (biases, by default)."""

    def draw(self, shape, rng):
        return np.zeros(shape)


class Ones(Initializer):
    """All ones (BatchNormalization's scale γ)."""

    def draw(self, shape, rng):
        return np.ones(shape)


class Constant(Initializer):
    """Every element equal to ``value``."""

    def __init__(self, value: float = 0.0) -> None:
        self.value = value

    def draw(self, shape, rng):
        return np.full(shape, self.value)

    def get_config(self):
        return {"value": self.value}


class RandomNormal(Initializer):
    """N(mean, stddev²)."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None) -> None:
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def draw(self, shape, rng):
        return rng.normal(self.mean, self.stddev, size=shape)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class TruncatedNormal(RandomNormal):
    """N(mean, stddev²) with draws beyond two standard deviations drawn again."""

    def draw(self, shape, rng):
        return self.mean + self.stddev * truncated_standard_normal(shape, rng)


class RandomUniform(Initializer):
    """U(minval, maxval)."""

    def __init__(
        self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None
    ) -> None:
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def draw(self, shape, rng):
        return rng.uniform(self.minval, self.maxval, size=shape)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class VarianceScaling(Initializer):
    """Variance scale / n with n = fan_in, fan_out or (fan_in + fan_out) / 2 (``mode``), from
    a ``distribution``: "truncated_normal" (σ corrected for the truncation),
    "untruncated_normal" or "uniform" (limit √(3·variance))."""

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: int | None = None,
    ) -> None:
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"VarianceScaling: unknown mode {mode!r}")
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"VarianceScaling: unknown distribution {distribution!r}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed

    def draw(self, shape, rng):
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}
        variance = self.scale / max(1.0, fan[self.mode])
        if self.distribution == "truncated_normal":
            std = math.sqrt(variance) / TRUNCATED_STD
            return std * truncated_standard_normal(shape, rng)
        if self.distribution == "untruncated_normal":
            return rng.normal(0.0, math.sqrt(variance), size=shape)
        limit = math.sqrt(3.0 * variance)
        return rng.uniform(-limit, limit, size=shape)

    def get_config(self):
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "seed": self.seed,
        }


class _NamedScaling(VarianceScaling):
    """A VarianceScaling whose settings are fixed by its class; only ``seed`` is chosen."""

    settings: tuple[float, str, str]

    def __init__(self, seed: int | None = None) -> None:
        super().__init__(*self.settings, seed=seed)

    def get_config(self):
        return {"seed": self.seed}


class GlorotUniform(_NamedScaling):
    """U(±√(6 / (fan_in + fan_out))): Keras's default kernel initialiser."""

    settings = (1.0, "fan_avg", "uniform")


class GlorotNormal(_NamedScaling):
    """N(0, 2 / (fan_in + fan_out)), truncated at ±2σ."""

    settings = (1.0, "fan_avg", "truncated_normal")


class HeNormal(_NamedScaling):
    """N(0, 2 / fan_in), truncated at ±2σ: for ReLU networks."""

    settings = (2.0, "fan_in", "truncated_normal")


class HeUniform(_NamedScaling):
    """U(±√(6 / fan_in))."""

    settings = (2.0, "fan_in", "uniform")


class LecunNormal(_NamedScaling):
    """N(0, 1 / fan_in), truncated at ±2σ: for SELU networks."""

    settings = (1.0, "fan_in", "truncated_normal")


class LecunUniform(_NamedScaling):
    """U(±√(3 / fan_in))."""

    settings = (1.0, "fan_in", "uniform")


def compute_fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """(fan_in, fan_out) in Keras's layouts: (n, n) for a vector, (in, out) for a matrix, and
    (receptive·in, receptive·out) for a kernel (*spatial, in, out)."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def truncated_standard_normal(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Draws from N(0, 1), each outside [-2, 2] replaced by a new draw until none is."""
    values = rng.standard_normal(shape)
    outside = np.abs(values) > 2
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2
    return values


INITIALIZERS: dict[str, type[Initializer]] = {
    cls.__name__: cls
    for cls in (
        Zeros,
        Ones,
        Constant,
        RandomNormal,
        RandomUniform,
        TruncatedNormal,
        VarianceScaling,
        GlorotUniform,
        GlorotNormal,
        HeNormal,
        HeUniform,
        LecunNormal,
        LecunUniform,
    )
}
_NAMES = {
    "zeros": Zeros,
    "ones": Ones,
    "constant": Constant,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "he_normal": HeNormal,
    "he_uniform": HeUniform,
    "lecun_normal": LecunNormal,
    "lecun_uniform": LecunUniform,
}


def get(identifier: str | Initializer | dict) -> Initializer:
    """An initialiser from a name ("glorot_uniform" or "GlorotUniform"), an instance, or a
    saved config ``{"class_name": ..., "config": {...}}``."""
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, dict):
        return INITIALIZERS[_known(identifier.get("class_name"))](**identifier.get("config", {}))
    return (_NAMES.get(identifier) or INITIALIZERS[_known(identifier)])()


def serialize(initializer: Initializer) -> dict[str, Any]:
    """``{"class_name": ..., "config": ...}``, which ``get`` turns back into the initialiser."""
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


def _known(name: Any) -> str:
    if name not in INITIALIZERS:
        raise ValueError(
            f"initializers.get: unknown initializer {name!r}; expected one of "
            f"{sorted(_NAMES)} or an Initializer"
        )
    return name
