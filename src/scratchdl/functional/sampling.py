"""Random sampling from tensors of parameters: normal, bernoulli, multinomial.

The draws come from the library generator (or ``generator=``) on the host, as ``randn``
and dropout draw theirs, so a seed gives the same numbers on every device; they are then
moved onto the parameters' device and combined there. torch records ``normal`` and
``bernoulli`` in the graph with a zero gradient (a sample does not move with its
parameters in this sense), and so does scratchdl.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scratchdl.autograd import Function, Tensor, as_tensor, wrap
from scratchdl.backend import get_array_module
from scratchdl.functional.creation import _check_options, _finish, _float, _sizes
from scratchdl.functional.math import operands
from scratchdl.random import numpy_generator


class Draw(Function):
    """A random draw whose parameters are the inputs; ∂y/∂x = 0 for each, as torch defines
    it. ``rng`` is the NumPy generator the draw comes from."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def backward(self, gy):
        xp = get_array_module(gy.data)
        return tuple(wrap(xp.zeros(x.shape, gy.dtype)) for x in self.inputs)


class Normal(Draw):
    """y = mean + std · z with z ~ N(0, 1), mean and std broadcast together."""

    def forward(self, mean, std):
        xp = get_array_module(mean)
        shape = np.broadcast_shapes(mean.shape, std.shape)
        z = xp.asarray(self.rng.standard_normal(shape), dtype=mean.dtype)
        return mean + std * z


class Bernoulli(Draw):
    """y = 1 with probability p (the input, or the number ``p`` for every element), else 0."""

    def __init__(self, rng: np.random.Generator, p: float | None) -> None:
        super().__init__(rng)
        self.p = p

    def forward(self, x):
        probability = x if self.p is None else self.p
        return bernoulli_mask(self.rng, probability, x.shape, x).astype(x.dtype)


def bernoulli_mask(rng: np.random.Generator, p: Any, shape: tuple[int, ...], like: Any) -> Any:
    """A bool array of ``shape`` on ``like``'s device, each element True with probability
    ``p`` (a number or an array broadcast to ``shape``): u < p with u ~ U[0, 1)."""
    return get_array_module(like).asarray(rng.random(shape)) < p


def check_probability(op: str, p: Any) -> None:
    """RuntimeError naming ``op`` unless every value of ``p`` (a number or a Tensor) lies in
    [0, 1]."""
    values = p.data if isinstance(p, Tensor) else get_array_module(p).asarray(p)
    if not bool(((values >= 0) & (values <= 1)).all()):
        raise RuntimeError(f"{op}: expects p to be in [0, 1], got {p!r}")


def _require_floating(op: str, x: Tensor) -> None:
    if x.dtype.kind not in "fc":
        raise NotImplementedError(f"{op}: not implemented for dtype {x.dtype}; use .float()")


def normal(
    mean: Any,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **options: Any,
) -> Tensor:
    """Draws from N(mean, std²): with a Tensor mean and/or std, one draw per element of
    their broadcast shape, in their promoted (floating) dtype on their device; with two
    numbers, a tensor of ``size`` (float32 unless ``dtype``). RuntimeError for std < 0."""
    _check_options(options, "normal")
    rng = numpy_generator(generator, "normal")
    check_standard_deviation(std)
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise TypeError("normal: with a number mean and std, give size: normal(0., 1., (2, 3))")
        array = rng.normal(mean, std, _sizes((size,))).astype(_float(dtype))
        return _finish(array, None, device, requires_grad)
    if size is not None:
        raise TypeError("normal: size is only for a number mean and std; a Tensor sets the shape")
    _require_floating("normal", mean if isinstance(mean, Tensor) else std)
    mean, std = operands(mean, std)
    try:
        np.broadcast_shapes(mean.shape, std.shape)
    except ValueError:
        raise RuntimeError(
            f"normal: the shapes of mean {tuple(mean.shape)} and std {tuple(std.shape)} "
            "do not broadcast"
        ) from None
    return Normal(rng)(mean, std)


def check_standard_deviation(std: Any) -> None:
    """RuntimeError unless every value of ``std`` (a number or a Tensor) is >= 0."""
    negative = bool((std.data < 0).any()) if isinstance(std, Tensor) else std < 0
    if negative:
        raise RuntimeError(f"normal: expects std >= 0.0, but found std {std!r}")


def bernoulli(input: Any, p: float | None = None, *, generator: Any = None) -> Tensor:
    """0/1 draws in input's (floating) dtype and shape: 1 with probability input (or ``p``,
    the same for every element). RuntimeError for a probability outside [0, 1]."""
    x = as_tensor(input)
    _require_floating("bernoulli", x)
    check_probability("bernoulli", x if p is None else p)
    return Bernoulli(numpy_generator(generator, "bernoulli"), p)(x)


def multinomial(
    input: Any, num_samples: int, replacement: bool = False, *, generator: Any = None
) -> Tensor:
    """``num_samples`` category indices (int64) per row of ``input`` (1-d: one distribution,
    2-d: one per row), each drawn with probability proportional to its weight; without
    ``replacement`` no index repeats in a row. RuntimeError as torch's for bad weights or
    too many samples."""
    weights = as_tensor(input)
    _check_multinomial(weights, num_samples, replacement)
    rng = numpy_generator(generator, "multinomial")
    rows = weights.data.reshape(-1, weights.shape[-1])
    draw = _with_replacement if replacement else _without_replacement
    samples = draw(rng, rows, num_samples)
    return wrap(samples.reshape(*weights.shape[:-1], num_samples).astype("int64"))


def _with_replacement(rng: np.random.Generator, rows: Any, num_samples: int) -> Any:
    """Inverse-CDF sampling: index i where cdf[i − 1] <= u < cdf[i], u ~ U[0, 1). Each cdf
    is divided by its last value, which makes that exactly 1."""
    xp = get_array_module(rows)
    cdf = xp.cumsum(rows.astype("float64"), axis=-1)
    cdf /= cdf[:, -1:]
    u = xp.asarray(rng.random((rows.shape[0], num_samples)))
    return xp.stack([xp.searchsorted(c, v, side="right") for c, v in zip(cdf, u, strict=True)])


def _without_replacement(rng: np.random.Generator, rows: Any, num_samples: int) -> Any:
    """The exponential race: category i finishes at time eᵢ / wᵢ with eᵢ ~ Exp(1); the
    first ``num_samples`` to finish are the draws, in order (a weight-0 category finishes
    at ∞, after every other)."""
    xp = get_array_module(rows)
    arrival = xp.asarray(rng.standard_exponential(rows.shape))
    with np.errstate(divide="ignore"):
        times = arrival / rows.astype("float64")
    return xp.argsort(times, axis=-1)[:, :num_samples]


def _check_multinomial(weights: Tensor, num_samples: int, replacement: bool) -> None:
    """RuntimeError, as torch's, unless ``weights`` can give ``num_samples`` draws."""
    if weights.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: prob_dist must be 1 or 2 dim, got shape {weights.shape}")
    if weights.dtype.kind != "f":
        raise RuntimeError(
            f"multinomial: only supports floating-point dtypes for input, got {weights.dtype}"
        )
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: cannot sample n_sample <= 0 samples, got {num_samples}")
    if not replacement and num_samples > weights.shape[-1]:
        raise RuntimeError(
            f"multinomial: cannot sample n_sample > prob_dist.size(-1) samples without "
            f"replacement ({num_samples} > {weights.shape[-1]})"
        )
    xp = get_array_module(weights.data)
    if not bool((xp.isfinite(weights.data) & (weights.data >= 0)).all()):
        raise RuntimeError(
            "multinomial: probability tensor contains either inf, nan or element < 0"
        )
    if not bool((weights.data.sum(axis=-1) > 0).all()):
        raise RuntimeError(
            "multinomial: invalid multinomial distribution (sum of probabilities <= 0)"
        )
