"""A tape: the Functions that one training step's forward and loss called, in order, with
where each of their inputs came from, so that the step can run again on a new batch
without the Python around them (``scratchdl.train.compiled`` decides when).

Values are numbered by slot: the model's parameters, then its buffers, the batch's inputs
and targets, then, in the order met, the constants and the output of each entry. A
recorded input is, in this order of lookup: the output of the Function that made it (its
graph link), a tensor already numbered (a parameter, a buffer, a batch tensor, an earlier
output), the array of one (a ``wrap`` or ``detach`` of it: a detached copy when it would
carry a gradient), or else a constant, replayed as recorded.

Replay runs each Function's ``forward`` on the slots' arrays, then the backward walk as
the engine runs it — Functions in reverse order of recording, each one's input gradients
added up in the same order (``backward_arrays``, or the Tensor rule) — and writes the
parameters' ``.grad`` through the engine's ``accumulate_into_leaves``: bit for bit the
eager step's arithmetic.
"""

from __future__ import annotations

from typing import Any

from scratchdl.autograd import Function, Tensor, no_grad, wrap
from scratchdl.autograd.engine import accumulate_into_leaves
from scratchdl.backend import ARRAY_TYPES, get_array_module


class ConstantEntry:
    """A tensor the step read that no slot explains: replayed as recorded."""

    def __init__(self, tensor: Tensor) -> None:
        self.tensor = tensor

    def run(self, values: list[Tensor], graph: list[Any]) -> Tensor:
        return self.tensor

    def same_as(self, other: Any) -> bool:
        return type(other) is ConstantEntry and same_value(self.tensor.data, other.tensor.data)


class DetachEntry:
    """A slot's array under a new tensor that carries no gradient (``x.detach()``)."""

    def __init__(self, source: int) -> None:
        self.source = source

    def run(self, values: list[Tensor], graph: list[Any]) -> Tensor:
        return wrap(values[self.source].data)

    def same_as(self, other: Any) -> bool:
        return type(other) is DetachEntry and self.source == other.source


class CallEntry:
    """One Function call: its class, its settings (the attributes its constructor set),
    the slot of each input, and — when the call recorded a graph — ``deliveries``: the
    (input position, slot) pairs its input gradients go to."""

    def __init__(self, kind: type, settings: dict, sources: tuple, deliveries: Any) -> None:
        self.kind, self.settings, self.sources = kind, settings, sources
        self.deliveries: tuple[tuple[int, int], ...] | None = deliveries
        self.slot = -1  # the slot of its output, set when the tape is made

    def run(self, values: list[Tensor], graph: list[Any]) -> Tensor:
        function = self.kind.__new__(self.kind)
        function.__dict__.update(self.settings)
        inputs = tuple([values[slot] for slot in self.sources])
        output = wrap(function.forward(*[x.data for x in inputs]))
        if self.deliveries is not None:
            function._record(inputs, output)  # links the graph, as __call__ does
            graph.append((self, function))
        return output

    def same_as(self, other: Any) -> bool:
        return (
            type(other) is CallEntry
            and (self.kind, self.sources, self.deliveries)
            == (other.kind, other.sources, other.deliveries)
            and same_value(self.settings, other.settings)
        )


class TapeUnusable(Exception):  # noqa: N818 - a reason, not an error the user sees
    """The step did something a tape cannot replay faithfully."""


class Tape:
    """The recorded step: ``entries`` and the slots of the loss and the model's outputs."""

    def __init__(self, leaves: list[Tensor], buffers: list[Tensor], entries: list) -> None:
        self.parameters, self.buffers, self.entries = leaves, buffers, entries
        self.loss_slot = self.outputs_slot = -1

    def same_as(self, other: Tape) -> bool:
        """Whether two recordings of the step agree: the same calls on the same slots with
        equal settings and constants (so nothing in them depends on the batch)."""
        return (
            (self.loss_slot, self.outputs_slot) == (other.loss_slot, other.outputs_slot)
            and len(self.entries) == len(other.entries)
            and all(a.same_as(b) for a, b in zip(self.entries, other.entries, strict=True))
        )

    def forward(self, inputs: Tensor, targets: Tensor) -> Replay:
        """Run the entries on a new batch (each Function's ``forward``, in order)."""
        values = [*self.parameters, *self.buffers, inputs, targets]
        graph: list[tuple[CallEntry, Function]] = []
        for entry in self.entries:
            values.append(entry.run(values, graph))
        return Replay(self, values, graph)


class Replay:
    """One replayed forward: its values, and the backward walk still to run."""

    def __init__(self, tape: Tape, values: list[Tensor], graph: list) -> None:
        self.tape, self.values, self.graph = tape, values, graph
        self.loss, self.outputs = values[tape.loss_slot], values[tape.outputs_slot]

    def backward(self) -> None:
        """loss.backward() as the engine runs it: the same Functions, the same order of
        additions, the same gradients left in the parameters' ``.grad``."""
        parameters = self.tape.parameters
        loss = self.loss.data
        pending = {self.tape.loss_slot: get_array_module(loss).ones(loss.shape, loss.dtype)}
        found: dict[Tensor, Any] = {}
        with no_grad():
            for entry, function in reversed(self.graph):
                gy = pending.pop(entry.slot, None)
                if gy is None:
                    continue
                gxs = function.input_gradients(gy, False)
                for position, slot in entry.deliveries:
                    gx = gxs[position]
                    if gx is None:
                        continue
                    if slot < len(parameters):
                        leaf = parameters[slot]
                        found[leaf] = gx if leaf not in found else found[leaf] + gx
                    else:
                        pending[slot] = gx if slot not in pending else pending[slot] + gx
        for _, function in self.graph:
            function.release()
        accumulate_into_leaves(found)


class Recorder:
    """Builds a Tape from the calls ``trace_calls`` reports (see the module docstring).

    Something it cannot replay (an input made before the step, a leaf that requires grad
    but is not a parameter of the model) sets ``unusable`` to the reason; the eager step
    it watches goes on unchanged.
    """

    def __init__(self, model: Any, inputs: Tensor, targets: Tensor) -> None:
        self.parameters = list(model.parameters())
        self.buffers = [b for b in model.buffers() if b is not None]
        self.entries: list[Any] = []
        self.unusable: str | None = None
        self._values: list[Tensor] = []  # the tensor recorded in each slot
        self._functions: list[Function] = []  # kept alive, so that ids stay unique
        self._by_tensor: dict[int, int] = {}
        self._by_array: dict[int, int] = {}
        self._by_function: dict[int, int] = {}
        self._with_grad: set[int] = set()  # slots whose replayed tensor requires grad
        for tensor in (*self.parameters, *self.buffers, inputs, targets):
            self._number(tensor, tensor.requires_grad)

    def __call__(self, function: Function, settings: dict, inputs: tuple, output: Tensor) -> None:
        if self.unusable is not None:
            return
        try:
            sources = tuple([self._slot_of(x) for x in inputs])
        except TapeUnusable as reason:
            self.unusable = str(reason)
            return
        records = output.creator is function
        deliveries = None
        if records:
            deliveries = tuple(
                (position, slot)
                for position, (x, slot) in enumerate(zip(inputs, sources, strict=True))
                if x.requires_grad
            )
        self.entries.append(CallEntry(type(function), settings, sources, deliveries))
        self.entries[-1].slot = self._number(output, records)
        self._by_function[id(function)] = self.entries[-1].slot
        self._functions.append(function)

    def tape(self, outputs: Tensor, loss: Tensor) -> Tape:
        """The tape of the step whose model outputs and loss these are; TapeUnusable when
        it cannot be replayed."""
        if self.unusable is not None:
            raise TapeUnusable(self.unusable)
        if any([function.output_hooks for function in self._functions]):
            raise TapeUnusable("a gradient hook was registered on a tensor in the forward")
        tape = Tape(self.parameters, self.buffers, self.entries)
        tape.outputs_slot = self._slot_of(outputs)
        if loss.creator is None or id(loss.creator) not in self._by_function:
            raise TapeUnusable("the loss was not computed in the step by a Function")
        tape.loss_slot = self._slot_of(loss)
        return tape

    def _number(self, tensor: Tensor, with_grad: bool) -> int:
        """Give ``tensor`` (and its array) the next slot."""
        slot = len(self._values)
        self._values.append(tensor)
        self._by_tensor[id(tensor)] = self._by_array[id(tensor.data)] = slot
        if with_grad:
            self._with_grad.add(slot)
        return slot

    def _slot_of(self, x: Tensor) -> int:
        """The slot holding x's value (adding a constant or a detached copy if need be)."""
        if x.creator is not None:
            slot = self._by_function.get(id(x.creator))
            if slot is None or self._values[slot].data is not x.data:
                raise TapeUnusable("an input's graph began before the step")
            return slot
        slot = self._by_tensor.get(id(x), self._by_array.get(id(x.data)))
        if x.requires_grad and (slot is None or slot >= len(self.parameters)):
            raise TapeUnusable("a leaf that requires grad is not a parameter of the model")
        if slot is None:
            self.entries.append(ConstantEntry(x))
            return self._number(x, False)
        if slot in self._with_grad and not x.requires_grad:
            self.entries.append(DetachEntry(slot))
            return self._number(x, False)
        return slot


def same_value(a: Any, b: Any) -> bool:
    """Whether two recorded values are equal: arrays by dtype, shape and elements,
    containers and plain objects by their parts, anything else by ``==``."""
    if type(a) is not type(b):
        return False
    if isinstance(a, ARRAY_TYPES):
        return a.shape == b.shape and a.dtype == b.dtype and bool((a == b).all())
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(map(same_value, a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if hasattr(a, "__dict__") and not callable(a):
        return same_value(vars(a), vars(b))
    try:
        return bool(a == b)
    except Exception:  # an == that does not give one answer: not provably equal
        return False
