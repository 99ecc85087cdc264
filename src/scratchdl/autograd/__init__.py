"""The autograd engine: Tensor, Function, backward, grad mode and derivative tools."""

from scratchdl.autograd.tensor import Size, Tensor, as_tensor, tensor, wrap  # noqa: I001 - first
from scratchdl.autograd.derivatives import hessian, jacobian
from scratchdl.autograd.engine import backward, grad
from scratchdl.autograd.function import Function
from scratchdl.autograd.gradcheck import GradcheckError, gradcheck
from scratchdl.autograd.mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)

__all__ = [
    "Function",
    "GradcheckError",
    "Size",
    "Tensor",
    "as_tensor",
    "backward",
    "enable_grad",
    "grad",
    "gradcheck",
    "hessian",
    "inference_mode",
    "is_grad_enabled",
    "jacobian",
    "no_grad",
    "set_grad_enabled",
    "tensor",
    "wrap",
]
