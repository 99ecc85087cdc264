"""Function: one differentiable operation, with its forward and its backward rule.

A subclass writes ``forward`` on raw arrays and ``backward`` with Tensor operations.
Because backward is itself made of differentiable operations, running it with the graph
recorded (``create_graph=True``) gives gradients of gradients for free.

    class Exp(Function):
        def forward(self, x):            # arrays in, one array out
            return np.exp(x)

        def backward(self, gy):          # Tensors in, one gradient per input out
            return gy * self.output      # d exp(x)/dx = exp(x)
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from typing import Any

from scratchdl.autograd.mode import grad_state
from scratchdl.autograd.tensor import Tensor, as_tensor

_recording_order = itertools.count()
"""Numbers the Functions as they are recorded (``Function.sequence``): the Function that
made an input of another always has the smaller number."""


class Function:
    """Base class of differentiable operations; call an instance on tensors to apply it.

    After a call that records the graph, ``inputs`` holds the input Tensors, ``output`` the
    result (a weak reference, so a Function never keeps its own output alive) and
    ``sequence`` the order of recording: every Function recorded later has a larger one,
    which is how backward orders its walk.
    ``backward`` returns one gradient per input: a Tensor shaped like that input, or None
    where no gradient flows (a constant operand).

    A Function on the training hot path may also define ``backward_arrays(gy)``: the same
    derivative computed on raw arrays, returning arrays. Backward passes that record no
    graph (``create_graph=False``, nearly all of them) use it and skip the bookkeeping of a
    dozen small Tensor operations; tests check it against ``backward``.
    """

    inputs: tuple[Tensor, ...] | None = None
    backward_arrays: Callable[..., Any] | None = None

    def __call__(self, *inputs: Any) -> Tensor:
        for x in inputs:
            if not isinstance(x, Tensor):
                inputs = _as_tensors(inputs)
                break
        output = Tensor(self.forward(*[x.data for x in inputs]))
        if grad_state.enabled:
            for x in inputs:
                if x.requires_grad:
                    self._record(inputs, output)
                    break
        return output

    def _record(self, inputs: tuple[Tensor, ...], output: Tensor) -> None:
        """Link ``output`` to this Function and its inputs, so backward can find them."""
        self.inputs = inputs
        self.sequence = next(_recording_order)
        self._output_ref = weakref.ref(output)
        output.requires_grad = True
        output.creator = self

    @property
    def output(self) -> Tensor:
        """The Tensor this call produced (alive whenever backward can reach this Function)."""
        return self._output_ref()

    def forward(self, *xs: Any) -> Any:
        """Compute the output array from the input arrays."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def backward(self, gy: Tensor) -> Tensor | tuple[Tensor | None, ...] | None:
        """Given d(loss)/d(output), return d(loss)/d(input) for each input."""
        raise NotImplementedError(f"{type(self).__name__} does not define backward")

    def input_gradients(self, gy: Any, create_graph: bool) -> tuple[Any, ...]:
        """d(loss)/d(input) for each input (None where none flows), given d(loss)/d(output).

        With ``create_graph`` the gradients are Tensors computed by recorded operations
        (``backward``), so they can be differentiated again. Otherwise ``gy`` and the results
        are raw arrays, computed by ``backward_arrays`` when the Function has it.
        """
        if create_graph:
            return _as_tuple(self.backward(gy))
        if self.backward_arrays is not None:
            return _as_tuple(self.backward_arrays(gy))
        gxs = _as_tuple(self.backward(Tensor(gy)))
        return tuple([None if g is None else g.data for g in gxs])

    def release(self) -> None:
        """Drop the inputs and everything saved for backward (after a backward pass)."""
        self.__dict__.clear()  # `inputs` falls back to the class attribute None


def _as_tensors(inputs: tuple[Any, ...]) -> tuple[Tensor, ...]:
    """Inputs as Tensors; Python numbers take the dtype of the first Tensor input."""
    dtype = next((x.data.dtype for x in inputs if isinstance(x, Tensor)), None)
    return tuple(as_tensor(x, dtype) for x in inputs)


def _as_tuple(gradients: Any) -> tuple[Any, ...]:
    """A backward rule's result as a tuple (a one-input rule may return a bare gradient)."""
    return gradients if isinstance(gradients, tuple) else (gradients,)
