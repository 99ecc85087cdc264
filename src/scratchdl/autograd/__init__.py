"""The autograd engine: Tensor, Function, backward, grad mode and derivative tools."""

from scratchdl.autograd.derivatives import hessian, jacobian
from scratchdl.autograd.engine import backward, grad
from scratchdl.autograd.function import Function
from scratchdl.autograd.gradcheck import GradcheckError, gradcheck
from scratchdl.autograd.mode import enable_grad, is_grad_enabled, no_grad
from scratchdl.autograd.tensor import Tensor, as_tensor, tensor

__all__ = [
    "Function",
    "GradcheckError",
    "Tensor",
    "as_tensor",
    "backward",
    "enable_grad",
    "grad",
    "gradcheck",
    "hessian",
    "is_grad_enabled",
    "jacobian",
    "no_grad",
    "tensor",
]
