"""PyTorch's way of writing a custom autograd Function: static ``forward(ctx, ...)`` and
``backward(ctx, ...)`` on Tensors, applied with ``MyFunction.apply(...)``.

    class Cube(sd.autograd.Function):
        @staticmethod
        def forward(ctx, x):                    # Tensors in (no graph is recorded here)
            ctx.save_for_backward(x)
            return x ** 3
        @staticmethod
        def backward(ctx, grad_output):         # one gradient per forward argument
            (x,) = ctx.saved_tensors
            return grad_output * 3 * x ** 2

    y = Cube.apply(x)

``apply`` runs ``forward`` with grad mode off, then, when an input requires grad, links
the output to a ``CustomBackward`` node: a scratchdl Function whose backward calls the
user's. The newer split — ``forward(*args)`` without ctx plus ``setup_context(ctx, inputs,
output)`` — works too. scratchdl's own Functions (instance ``forward(self, *arrays)``,
called as ``MyFunction()(x)``) are the other way to write one; see ``function.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scratchdl.autograd.function import Function
from scratchdl.autograd.mode import grad_state, no_grad
from scratchdl.autograd.tensor import Tensor, as_tensor, wrap


class FunctionCtx:
    """What ``forward`` (or ``setup_context``) leaves for ``backward``: saved tensors,
    any attributes it sets, and ``needs_input_grad`` (one bool per forward argument)."""

    def __init__(self, needs_input_grad: tuple[bool, ...]) -> None:
        self.needs_input_grad = needs_input_grad
        self.non_differentiable: set[int] = set()
        self._saved: tuple[Tensor | None, ...] = ()
        self._saved_versions: tuple[int | None, ...] = ()

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep ``tensors`` for backward (``saved_tensors``); changing one of them in place
        before backward makes ``saved_tensors`` raise."""
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    f"save_for_backward: expected Tensors or None, got {type(t).__name__}; "
                    "keep other values as attributes of ctx"
                )
        self._saved = tensors
        self._saved_versions = tuple(None if t is None else t._version for t in tensors)

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        """The tensors given to ``save_for_backward``, checked unchanged since."""
        for t, version in zip(self._saved, self._saved_versions, strict=True):
            if t is not None and t._version != version:
                raise RuntimeError(
                    "saved_tensors: one of the tensors saved for backward has been modified by "
                    f"an inplace operation (version {version} when saved, {t._version} now)"
                )
        return self._saved

    def mark_non_differentiable(self, *outputs: Tensor) -> None:
        """Declare outputs that get no gradient (an index, a mask)."""
        self.non_differentiable.update(id(t) for t in outputs)

    def mark_dirty(self, *tensors: Tensor) -> None:
        """Declare inputs that ``forward`` changed in place (their version counters move)."""
        for t in tensors:
            t.bump_version()

    def set_materialize_grads(self, value: bool) -> None:
        """Accepted for torch's API: scratchdl always passes backward a gradient array
        (zeros where nothing flowed), as torch does by default."""


class CustomBackward(Function):
    """The graph node of one ``apply`` call: backward is the user's ``backward(ctx, g)``,
    its results (one per forward argument) given back to the Tensor arguments."""

    def __init__(self, function: type, ctx: FunctionCtx, positions: list[int], count: int):
        self.function, self.ctx, self.positions, self.count = function, ctx, positions, count

    def backward(self, gy: Tensor) -> tuple[Tensor | None, ...]:
        name = self.function.__name__
        gradients = self.function.backward(self.ctx, gy)
        gradients = gradients if isinstance(gradients, tuple) else (gradients,)
        if len(gradients) != self.count:
            raise RuntimeError(
                f"{name}.backward returned {len(gradients)} gradients, but forward took "
                f"{self.count} arguments: return one per argument (None for non-tensors)"
            )
        return tuple(
            None if gradients[i] is None else as_tensor(gradients[i], gy.dtype)
            for i in self.positions
        )


def apply(function: type, *args: Any) -> Any:
    """Run ``function.forward`` on ``args`` and record its backward (see the module
    docstring); returns what forward returned."""
    positions = [i for i, arg in enumerate(args) if isinstance(arg, Tensor)]
    ctx = FunctionCtx(tuple(isinstance(a, Tensor) and a.requires_grad for a in args))
    records = grad_state.enabled and any(ctx.needs_input_grad)
    with no_grad():
        if _overrides(function, "setup_context"):
            output = function.forward(*args)
            function.setup_context(ctx, args, output)
        else:
            output = function.forward(ctx, *args)
    if isinstance(output, tuple):
        raise NotImplementedError(
            f"{function.__name__}.apply: forward returned {len(output)} outputs; scratchdl's "
            "custom Functions return one Tensor"
        )
    output = as_tensor(output)
    if not records or id(output) in ctx.non_differentiable:
        return output
    if any(output is args[i] for i in positions):
        output = wrap(output.data)  # the node needs an output of its own, as torch's view
    node = CustomBackward(function, ctx, positions, len(args))
    node._record(tuple(args[i] for i in positions), output)
    return output


def _overrides(function: type, name: str) -> bool:
    """Whether ``function`` defines ``name`` itself rather than inheriting Function's."""
    return getattr(function, name, None) is not getattr(Function, name, None)


def once_differentiable(backward: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a custom ``backward`` that is not itself differentiable: it runs with grad
    mode off, so a double backward through it finds no graph (torch's decorator)."""

    def run(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        with no_grad():
            return backward(ctx, *grad_outputs)

    run.__doc__, run.__name__ = backward.__doc__, backward.__name__
    return run
