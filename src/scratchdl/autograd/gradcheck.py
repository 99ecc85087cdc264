"""Gradient checking: backprop against central differences, in float64."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from scratchdl.autograd.engine import grad
from scratchdl.autograd.tensor import Tensor, tensor
from scratchdl.backend import ARRAY_TYPES


class GradcheckError(AssertionError):
    """Backprop and the numerical gradient disagree."""


def gradcheck(
    fn: Callable[..., Tensor],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check ``fn``'s backward pass against central differences; return True or raise.

    Every floating-point input is copied to float64 and differentiated, except Tensors
    with ``requires_grad=False`` (constants); other inputs (integer targets, say) pass as
    they are. The output is reduced to a scalar
    L = Σ w ⊙ fn(inputs) with fixed random weights w, so every output element counts. For
    each input element, the numerical derivative (L(x + eps) − L(x − eps)) / (2 eps) must
    match backprop within ``atol + rtol·|numerical|``. GradcheckError names the input, the
    worst element's index and both values.
    """
    tensors = [_float64_leaf(x) for x in inputs]
    weights = np.random.default_rng(0).uniform(0.5, 1.5, size=np.shape(_data(fn(*tensors))))

    def scalar_loss() -> Tensor:
        return (fn(*tensors) * weights).sum()

    checked = [t for t in tensors if isinstance(t, Tensor) and t.requires_grad]
    analytic = grad(scalar_loss(), checked, allow_unused=True)
    for position, (x, backprop) in enumerate(zip(checked, analytic, strict=True)):
        numeric = _central_differences(scalar_loss, x, eps)
        backprop = np.zeros_like(numeric) if backprop is None else backprop.numpy()
        error = np.abs(backprop - numeric) - (atol + rtol * np.abs(numeric))
        if error.size and error.max() > 0:
            worst = np.unravel_index(int(error.argmax()), error.shape)
            raise GradcheckError(
                f"gradcheck: differentiable input {position} (shape {tuple(x.shape)}) at index "
                f"{tuple(int(i) for i in worst)}: backprop {float(backprop[worst])!r}, "
                f"numerical {float(numeric[worst])!r} (atol={atol}, rtol={rtol})"
            )
    return True


def _float64_leaf(x: Any) -> Any:
    """A float64 copy of a float input (a Tensor's on its device, an array's on the default
    device): a leaf that requires grad, unless ``x`` is a Tensor that does not require grad
    (a constant). Non-float inputs pass unchanged."""
    data = x.data if isinstance(x, Tensor) else x
    if not isinstance(data, (*ARRAY_TYPES, float)) or np.result_type(data).kind != "f":
        return x
    is_constant = isinstance(x, Tensor) and not x.requires_grad
    leaf = tensor(x, dtype=np.float64)
    return leaf if is_constant else leaf.requires_grad_()


def _data(x: Any) -> np.ndarray:
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def _central_differences(loss: Callable[[], Tensor], x: Tensor, eps: float) -> np.ndarray:
    """d loss / d x by (loss(x + eps) - loss(x - eps)) / (2 eps), one element at a time."""
    numeric = np.zeros(x.shape)  # on the host, where backprop's gradient is compared
    data = x.data  # perturbed in place, element by element, whatever its memory layout
    for index in np.ndindex(x.shape):  # grad mode stays on: fn may call grad() (double backprop)
        original = data[index].copy()
        data[index] = original + eps
        plus = loss().item()
        data[index] = original - eps
        minus = loss().item()
        data[index] = original
        numeric[index] = (plus - minus) / (2 * eps)
    return numeric
