"""Function: one differentiable operation, with its forward and its backward rule.

A subclass writes ``forward`` on raw arrays and ``backward`` with Tensor operations.
Because backward is itself made of differentiable operations, running it with the graph
recorded (``create_graph=True``) gives gradients of gradients for free.

    class Exp(Function):
        uses_output = True               # backward reads the output: guard its version

        def forward(self, x):            # arrays in, one array out
            return np.exp(x)

        def backward(self, gy):          # Tensors in, one gradient per input out
            return gy * self.output      # d exp(x)/dx = exp(x)
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from scratchdl.autograd.mode import grad_state
from scratchdl.autograd.tensor import Tensor, as_operand, as_tensor, wrap

_recording_order = itertools.count()
"""Numbers the Functions as they are recorded (``Function.sequence``): the Function that
made an input of another always has the smaller number."""

CallTracer = Callable[["Function", dict[str, Any], tuple[Tensor, ...], Tensor], None]


class _Tracing(threading.local):
    """Per-thread: the tracer that ``trace_calls`` installed, or None (the usual case)."""

    tracer: CallTracer | None = None


_tracing = _Tracing()


@contextmanager
def trace_calls(tracer: CallTracer) -> Iterator[None]:
    """Inside the block (in this thread), every Function call ends with
    ``tracer(function, settings, inputs, output)``: ``settings`` is a copy of the
    Function's attributes before ``forward`` ran (what its constructor set), ``inputs``
    the Tensors it was applied to. A compiled training step records its tape this way."""
    previous, _tracing.tracer = _tracing.tracer, tracer
    try:
        yield
    finally:
        _tracing.tracer = previous


class Function:
    """Base class of differentiable operations; call an instance on tensors to apply it.

    After a call that records the graph, ``inputs`` holds the input Tensors, ``output`` the
    result (a weak reference, so a Function never keeps its own output alive; the hooks
    registered on it, in ``output_hooks``, are kept here, so they run even when it is gone),
    ``sequence`` the order of recording (every Function recorded later has a larger one,
    which is how backward orders its walk) and ``versions`` the inputs' version counters,
    which backward checks: a saved input changed in place since makes it raise instead of
    returning a wrong gradient. ``uses_output`` says that backward reads the output too.
    ``backward`` returns one gradient per input: a Tensor shaped like that input, or None
    where no gradient flows (a constant operand).

    A Function on the training hot path may also define ``backward_arrays(gy)``: the same
    derivative computed on raw arrays, returning arrays. Backward passes that record no
    graph (``create_graph=False``, nearly all of them) use it and skip the bookkeeping of a
    dozen small Tensor operations; tests check it against ``backward``.

    An error in ``forward`` (NumPy's, say, for shapes that do not broadcast) is re-raised
    naming the Function and the shapes and dtypes of its inputs.
    """

    inputs: tuple[Tensor, ...] | None = None
    backward_arrays: Callable[..., Any] | None = None
    uses_output: bool = False
    output_hooks: dict[Any, Any] | None = None  # the output's ``register_hook`` hooks
    output_version: int = 0  # the output's version when recorded (above 0 after x.clamp_())

    def __call__(self, *inputs: Any) -> Tensor:
        for x in inputs:
            if not isinstance(x, Tensor):
                inputs = _as_tensors(inputs)
                break
        tracer = _tracing.tracer
        if tracer is not None:
            settings = self.__dict__.copy()
        try:
            output = wrap(self.forward(*[x._data for x in inputs]))
        except (ValueError, TypeError, IndexError) as error:
            _raise_naming_inputs(self, inputs, error)
        if grad_state.enabled:
            for x in inputs:
                if x.requires_grad:
                    self._record(inputs, output)
                    break
        if tracer is not None:
            tracer(self, settings, inputs, output)
        return output

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """PyTorch's custom Function call: for a subclass whose ``forward(ctx, ...)`` and
        ``backward(ctx, ...)`` are static methods on Tensors (see ``custom.py``)."""
        from scratchdl.autograd import custom  # it builds on this module

        return custom.apply(cls, *args)

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Any) -> None:
        """For ``apply``: a subclass may define it to fill ``ctx`` from the inputs and the
        output, with a ``forward(*args)`` that takes no ctx (torch's newer style)."""
        raise NotImplementedError

    def _record(self, inputs: tuple[Tensor, ...], output: Tensor) -> None:
        """Link ``output`` to this Function and its inputs, so backward can find them."""
        self.inputs = inputs
        self.versions = tuple([x._version for x in inputs])
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

    def check_saved_values(self) -> None:
        """Raise RuntimeError if an input (or, where backward reads it, the output) was
        changed in place after this Function saved it (PyTorch's version-counter check)."""
        for x, version in zip(self.inputs, self.versions, strict=True):
            if x._version != version:
                position = next(i for i, y in enumerate(self.inputs) if y is x)
                _raise_modified(self, f"input {position}", x, version)
        if self.uses_output:
            output = self.output
            if output is not None and output._version != self.output_version:
                _raise_modified(self, "output", output, self.output_version)

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
        gxs = _as_tuple(self.backward(wrap(gy)))
        return tuple([None if g is None else g._data for g in gxs])

    def release(self) -> None:
        """Drop the inputs and everything saved for backward (after a backward pass)."""
        self.__dict__.clear()  # `inputs` falls back to the class attribute None


def _as_tensors(inputs: tuple[Any, ...]) -> tuple[Tensor, ...]:
    """Inputs as Tensors; Python numbers take the dtype of the first Tensor input."""
    like = next((x for x in inputs if isinstance(x, Tensor)), None)
    if like is None:
        return tuple(as_tensor(x) for x in inputs)
    return tuple(as_operand(x, like) for x in inputs)


def _as_tuple(gradients: Any) -> tuple[Any, ...]:
    """A backward rule's result as a tuple (a one-input rule may return a bare gradient)."""
    return gradients if isinstance(gradients, tuple) else (gradients,)


def _raise_naming_inputs(
    function: Function, inputs: tuple[Tensor, ...], error: Exception
) -> NoReturn:
    """Re-raise ``error`` from ``function.forward`` with the Function's name and its inputs'
    shapes and dtypes (the same exception type, so callers' handlers still match); inputs on
    different devices raise RuntimeError naming the devices, as torch does."""
    devices = list(dict.fromkeys(str(x.device) for x in inputs))
    if len(devices) > 1:
        raise RuntimeError(
            f"{type(function).__name__}: expected all tensors to be on the same device, but "
            f"found at least two devices, {devices[0]} and {devices[1]}; move them with "
            ".to(device) first"
        ) from error
    described = ", ".join(f"{tuple(x.shape)} {x.dtype}" for x in inputs)
    message = f"{type(function).__name__}: {error} (inputs: {described})"
    try:
        replacement = type(error)(message)
    except Exception:  # an exception class with another constructor: keep the original
        raise error from None
    raise replacement from error


def _raise_modified(function: Function, which: str, tensor: Tensor, version: int) -> NoReturn:
    raise RuntimeError(
        f"backward: one of the tensors needed for the gradient has been modified by an "
        f"inplace operation: {type(function).__name__}'s {which} (shape "
        f"{tuple(tensor.shape)}, {tensor.dtype}) is at version {tensor._version}; expected "
        f"version {version}. Change a copy instead (x.clone()), or make the change before "
        "the operation that uses the tensor"
    )


# torch.autograd.function's other names; custom.py imports Function from here, so last.
from scratchdl.autograd.custom import FunctionCtx, once_differentiable  # noqa: E402, F401
