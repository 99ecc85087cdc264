"""Backpropagation: walk the graph from an output back to the leaves, applying the chain rule.

The walk is iterative (a topological sort, then one pass in reverse order), so a chain of
any depth works without touching Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scratchdl.autograd.function import Function
from scratchdl.autograd.mode import enable_grad, no_grad
from scratchdl.autograd.tensor import Tensor, as_tensor
from scratchdl.backend import get_array_module


def backward(
    tensor: Tensor,
    gradient: Any = None,
    retain_graph: bool = False,
    create_graph: bool = False,
) -> None:
    """Accumulate d(tensor)/d(leaf) into ``leaf.grad`` for every leaf that requires grad."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "backward: this tensor does not require grad and has no graph; "
            "create its leaves with requires_grad=True"
        )
    seed = _seed_gradient(tensor, gradient, "backward")
    _backpropagate([(tensor, seed)], retain_graph or create_graph, create_graph, targets=None)


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """Return d(sum of outputs)/d(input) for each input, without touching any ``.grad``.

    Like ``torch.autograd.grad``: ``grad_outputs`` seeds each output (required for outputs
    with more than one element), ``create_graph=True`` records the computation so the
    result can be differentiated again, and an input that the outputs do not depend on
    raises unless ``allow_unused=True`` (it then gets None).
    """
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if not isinstance(grad_outputs, (list, tuple)):
        grad_outputs = [grad_outputs] * len(outputs)
    roots = []
    for output, seed in zip(outputs, grad_outputs, strict=True):
        if not output.requires_grad:
            raise RuntimeError("grad: an output does not require grad and has no graph")
        roots.append((output, _seed_gradient(output, seed, "grad")))
    if retain_graph is None:
        retain_graph = create_graph
    captured = _backpropagate(roots, retain_graph, create_graph, targets=inputs)
    results = tuple(captured.get(id(x)) for x in inputs)
    for index, result in enumerate(results):
        if result is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {index} was not used to compute the outputs; "
                "pass allow_unused=True to get None for it"
            )
    return results


def _seed_gradient(tensor: Tensor, gradient: Any, op: str) -> Tensor:
    """The starting gradient d(tensor)/d(tensor): ``gradient`` checked, or 1 for a scalar."""
    if gradient is None:
        if tensor.size != 1:
            raise RuntimeError(
                f"{op}: a gradient can be implied only for a one-element output, got shape "
                f"{tensor.shape}; reduce it first (y.sum().backward()) or pass gradient="
            )
        return Tensor(get_array_module(tensor.data).ones_like(tensor.data))
    seed = as_tensor(gradient, tensor.dtype)
    if seed.shape != tensor.shape:
        raise ValueError(
            f"{op}: gradient has shape {seed.shape} but the output has shape {tensor.shape}"
        )
    return seed


def _backpropagate(
    roots: list[tuple[Tensor, Tensor]],
    retain_graph: bool,
    create_graph: bool,
    targets: list[Tensor] | None,
) -> dict[int, Tensor]:
    """Run the chain rule from ``roots`` (tensor, seed) pairs.

    Without ``targets``, gradients accumulate into the ``grad`` of leaves; with ``targets``,
    the gradients reaching those tensors are returned by id and no ``grad`` changes.

    Gradients travel between Functions as raw arrays, wrapped in Tensors only where they
    land (a leaf's ``grad``, a result of ``grad``); with ``create_graph`` they travel as
    Tensors, so that the operations computing them are recorded.
    """
    # The gradient summed so far for each non-leaf tensor, keyed by the Function that
    # produced it (each Function has one output, so this names the tensor).
    pending: dict[Function, Any] = {}
    captured: dict[int, Any] = {}
    target_ids = None if targets is None else {id(t) for t in targets}

    def deliver(x: Tensor, gx: Any) -> None:
        creator = x.creator
        if creator is not None:
            pending[creator] = gx if creator not in pending else pending[creator] + gx
        elif target_ids is None:
            gx = gx if create_graph else Tensor(gx)
            x.grad = gx if x.grad is None else x.grad + gx
        if target_ids is not None and id(x) in target_ids:
            key = id(x)
            captured[key] = gx if key not in captured else captured[key] + gx

    order = _topological_order([root.creator for root, _ in roots if root.creator is not None])
    with enable_grad() if create_graph else no_grad():
        for root, seed in roots:
            deliver(root, seed if create_graph else seed.data)
        for function in order:
            gy = pending.pop(function, None)
            if gy is None:
                continue
            gxs = function.input_gradients(gy, create_graph)
            for x, gx in zip(function.inputs, gxs, strict=True):
                if gx is not None and x.requires_grad:
                    if gx.shape != x.data.shape:
                        _raise_gradient_shape_error(function, x, gx)
                    deliver(x, gx)
    if not retain_graph:
        for function in order:
            function.release()
    if create_graph:
        return captured
    return {key: Tensor(g) for key, g in captured.items()}


def _topological_order(roots: list[Function]) -> list[Function]:
    """Functions reachable from ``roots``, each after every Function that consumes its output.

    An iterative depth-first search: a Function is appended once all the Functions that
    produced its inputs are, and the list is reversed at the end.
    """
    order: list[Function] = []
    visited: set[Function] = set()
    stack: list[tuple[Function, bool]] = [(root, False) for root in roots]
    while stack:
        function, inputs_done = stack.pop()
        if inputs_done:
            order.append(function)
            continue
        if function in visited:
            continue
        visited.add(function)
        if function.inputs is None:
            raise RuntimeError(
                f"backward: the graph through {type(function).__name__} was freed by an "
                "earlier backward(); pass retain_graph=True to that earlier call to "
                "backpropagate through the same graph again"
            )
        stack.append((function, True))
        for x in function.inputs:
            if x.creator is not None and x.creator not in visited:
                stack.append((x.creator, False))
    order.reverse()
    return order


def _raise_gradient_shape_error(function: Function, x: Tensor, gx: Any) -> None:
    """A backward rule must return a gradient shaped like its input."""
    raise RuntimeError(
        f"{type(function).__name__}.backward returned a gradient of shape {gx.shape} "
        f"for an input of shape {x.shape}"
    )
