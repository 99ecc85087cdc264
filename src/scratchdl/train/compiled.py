"""A compiled training step: record one step's Functions on a tape, then replay them.

    step = compile_step(model, F.cross_entropy, optimizer)
    for inputs, targets in loader:
        loss, outputs = step(inputs, targets)      # what train_step(...) returns

The eager step (``train_step``) pays Python's price on every operation: Tensor objects,
graph links, version counters, dtype checks. A compiled step runs the eager step while
recording its tape (``scratchdl.train.tape``): every Function the model and the loss
called, in order, and where each input came from. Later calls run the tape on arrays —
each ``forward``, then the backward walk as the engine runs it — and then the gradient
hooks and ``optimizer.step()`` as usual. The results are the eager step's, bit for bit:
the same array operations in the same order, dropout masks drawn from the library
generator in the same order, BatchNorm's running statistics updated by its Function.

When a tape is used. A tape is kept per guard key, and replayed only once two eager
recordings of that key agree (the same calls on the same inputs, with equal settings and
constants): a value the forward computes from the batch outside any Function (a target
reshaped by NumPy, a Python number read with ``.item()``) then differs between the two
and the key stays eager. The checks made before every call:

- the key (a change picks or records another tape; the last, smaller batch of an epoch
  has its own; ``MAX_KEYS`` are kept): the shape, dtype and device of the inputs and
  targets, and whether they are one tensor; every module's identity, children and
  train/eval mode; the identity, shape, dtype, device and ``requires_grad`` of every
  parameter and buffer;
- the parameters' and buffers' version counters as the last compiled call left them: a
  change made elsewhere (``load_state_dict``, an eager step, an in-place edit through
  scratchdl) drops every tape, so the next calls record again;
- always eager: grad mode off, inputs or targets that are not Tensors or require grad,
  a module with forward hooks or a parameter with ``register_hook`` hooks (they would not
  run on a replay), and a step whose tape is unusable (an input whose graph began before
  the step; a leaf that requires grad and is not a parameter of the model; a gradient hook
  registered in the forward).

Limits. A forward whose Python branches on the data (``if x.sum() > 0``) is recorded along
the branch its two recordings took. Writes into a tensor's array that bypass scratchdl
(``t.data[...] = v`` on NumPy's side) are not seen by the version guard. The outputs
returned by a replay carry no graph beyond the step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scratchdl.autograd import Tensor, is_grad_enabled
from scratchdl.autograd.function import trace_calls
from scratchdl.train.step import (
    GradientHook,
    LossFn,
    StepResult,
    finite_loss,
    train_step,
    update,
)
from scratchdl.train.tape import Recorder, Tape, TapeUnusable

EAGER = "eager"
"""The state of a guard key whose two recordings disagreed, or whose tape is unusable."""

MAX_KEYS = 16
"""Guard keys remembered at most (the oldest is forgotten first): inputs whose shape
changes on every call would otherwise keep a recording each."""


class CompiledStep:
    """``train_step(model, inputs, targets, loss_fn, optimizer, hooks)`` as a callable
    ``step(inputs, targets, hooks)`` that replays a recorded tape where it safely can (see
    the module docstring). ``recordings``, ``replays`` and ``eager_steps`` count the calls
    of each kind; ``reasons`` says why a key stays eager."""

    def __init__(self, model: Any, loss_fn: LossFn, optimizer: Any) -> None:
        self.model, self.loss_fn, self.optimizer = model, loss_fn, optimizer
        self.tapes: dict[Any, Any] = {}  # key -> a Tape, [first recording], or EAGER
        self.reasons: dict[Any, str] = {}
        self.recordings = self.replays = self.eager_steps = 0
        self._modules: tuple[Any, ...] = ()
        self._tensors: tuple[Tensor, ...] = ()  # their parameters and buffers
        self._tree: tuple[Any, ...] | None = None
        self._hooked = False
        self._versions: tuple[int, ...] | None = None  # as the last compiled call left them
        self._versions_now: tuple[int, ...] = ()

    def __call__(
        self, inputs: Tensor, targets: Tensor, gradient_hooks: Sequence[GradientHook] = ()
    ) -> StepResult:
        key = self._guard_key(inputs, targets)
        if self._versions != self._versions_now:
            self.tapes.clear()  # changed since the last compiled call: record again
        state = self.tapes.get(key, EAGER if key is None else None)
        if isinstance(state, Tape):
            result = self._replay(state, inputs, targets, gradient_hooks)
        elif state == EAGER:
            self.eager_steps += 1
            result = train_step(
                self.model, inputs, targets, self.loss_fn, self.optimizer, gradient_hooks
            )
        else:
            result = self._record(key, state, inputs, targets, gradient_hooks)
            if len(self.tapes) > MAX_KEYS:
                del self.tapes[next(iter(self.tapes))]
        self._versions = self._tensor_versions()
        return result

    def _replay(
        self, tape: Tape, inputs: Tensor, targets: Tensor, hooks: Sequence[GradientHook]
    ) -> StepResult:
        self.replays += 1
        replay = tape.forward(inputs, targets)
        loss_value = finite_loss(replay.loss.item())
        update(self.model, self.optimizer, replay.backward, hooks)
        return StepResult(loss_value, replay.outputs)

    def _record(
        self,
        key: Any,
        earlier: list[Tape] | None,
        inputs: Tensor,
        targets: Tensor,
        hooks: Sequence[GradientHook],
    ) -> StepResult:
        """The eager step, recording its tape: the first recording of ``key`` waits for a
        second, which must agree with it for the key to be replayed."""
        self.recordings += 1
        recorder = Recorder(self.model, inputs, targets)
        with trace_calls(recorder):
            outputs = self.model(inputs)
            loss = self.loss_fn(outputs, targets)
        loss_value = finite_loss(loss.item())
        try:
            tape = recorder.tape(outputs, loss)
        except TapeUnusable as reason:
            self.tapes[key], self.reasons[key] = EAGER, str(reason)
        else:
            if earlier is None:
                self.tapes[key] = [tape]
            elif earlier[0].same_as(tape):
                self.tapes[key] = tape
            else:
                self.tapes[key] = EAGER
                self.reasons[key] = "two recordings differ: the forward depends on the batch"
        update(self.model, self.optimizer, loss.backward, hooks)
        return StepResult(loss_value, outputs)

    def _guard_key(self, inputs: Any, targets: Any) -> Any:
        """What a tape depends on (see the module docstring), or None for a call that
        must run eagerly. Also keeps ``_versions_now``, the parameters' and buffers'
        version counters."""
        tree = self._module_tree()
        if tree != self._tree:  # perhaps another module tree: walk it again
            self._modules = tuple(self.model.modules())
            self._tensors = tuple(
                t
                for m in self._modules
                for t in (*m._parameters.values(), *m._buffers.values())
                if t is not None
            )
            self._tree = tree = self._module_tree()
            self._hooked = any(has_hooks for _, _, has_hooks, *_ in tree)
        self._versions_now = self._tensor_versions()
        if not (isinstance(inputs, Tensor) and isinstance(targets, Tensor)):
            return None
        if inputs.requires_grad or targets.requires_grad or self._hooked or not is_grad_enabled():
            return None
        if any([t.gradient_hooks for t in self._tensors]):
            return None  # a replay would not run a parameter's register_hook hooks
        tensors = tuple(
            [(t._data.shape, t._data.dtype, type(t._data), t.requires_grad) for t in self._tensors]
        )
        return _layout(inputs), _layout(targets), inputs is targets, tree, tensors

    def _module_tree(self) -> tuple[tuple[Any, ...], ...]:
        """For each module: its id, mode, whether it has forward hooks, and the ids of its
        children, parameters and buffers. Ids rather than objects, so that comparing never
        calls Tensor's elementwise ``==`` (the tapes hold the parameters they read, so
        those ids stay unique)."""
        return tuple(
            [
                (
                    id(m),
                    m.training,
                    bool(m._forward_hooks or m._forward_pre_hooks),
                    *map(id, m._modules.values()),
                    *map(id, m._parameters.values()),
                    *map(id, m._buffers.values()),
                )
                for m in self._modules
            ]
        )

    def _tensor_versions(self) -> tuple[int, ...]:
        """The version counter of every parameter and buffer."""
        return tuple([t._version for t in self._tensors])


def _layout(t: Tensor) -> tuple[Any, ...]:
    """A tensor's shape, dtype and device."""
    return t._data.shape, t._data.dtype, t.device


def compile_step(model: Any, loss_fn: LossFn, optimizer: Any) -> CompiledStep:
    """A training step for ``model``, ``loss_fn`` and ``optimizer`` that records its
    Functions and replays them on later batches: call it as ``step(inputs, targets,
    gradient_hooks=())``; it returns what ``train_step`` does, with the same results."""
    return CompiledStep(model, loss_fn, optimizer)
