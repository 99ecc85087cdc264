"""Backpropagation: walk the graph from an output back to the leaves, applying the chain rule.

The walk is iterative (a heap of Functions, latest created first), so a chain of any depth
works without touching Python's recursion limit.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from scratchdl.autograd.function import Function
from scratchdl.autograd.mode import enable_grad, no_grad
from scratchdl.autograd.tensor import RETAIN_GRAD, Tensor, as_tensor, wrap
from scratchdl.backend import get_array_module


def backward(
    tensor: Tensor,
    gradient: Any = None,
    retain_graph: bool = False,
    create_graph: bool = False,
) -> None:
    """Accumulate d(tensor)/d(leaf) into ``leaf.grad`` for every leaf that requires grad,
    then run the leaves' post-accumulate-grad hooks (once every ``.grad`` is written)."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "backward: this tensor does not require grad and has no graph; "
            "create its leaves with requires_grad=True"
        )
    seed = _seed_gradient(tensor, gradient, "backward", create_graph)
    found = _backpropagate([(tensor, seed)], retain_graph or create_graph, create_graph, None)
    accumulate_into_leaves(found, create_graph)


def accumulate_into_leaves(found: dict[Tensor, Any], create_graph: bool = False) -> None:
    """leaf.grad += gradient for each (leaf, gradient) of ``found``, in its order, then the
    leaves' post-accumulate-grad hooks (once every ``.grad`` is written): the end of a
    backward pass (a compiled training step's too)."""
    given: set[int] = set()
    for leaf, gradient_sum in found.items():
        _accumulate_grad(leaf, gradient_sum, create_graph, given)
    for leaf in found:
        for hook in leaf.post_accumulate_grad_hooks.values():
            hook(leaf)


def _accumulate_grad(leaf: Tensor, gradient: Any, create_graph: bool, given: set[int]) -> None:
    """leaf.grad += gradient: a raw array, or with ``create_graph`` a Tensor recorded as an
    operation, so that the sum can be differentiated again.

    Each leaf owns its gradient (PyTorch's AccumulateGrad promise): the array stored is
    writable, not a view of another array, and not given to another leaf in this pass
    (``given`` holds their ids); otherwise it is copied first.
    """
    if create_graph:
        with enable_grad():
            if leaf.grad is not None:
                leaf.grad = leaf.grad + gradient
            else:
                leaf.grad = gradient.clone() if id(gradient) in given else gradient
                given.add(id(gradient))
        return
    if leaf.grad is not None:
        leaf.grad = wrap(leaf.grad.data + gradient)
        return
    if id(gradient) in given or gradient.base is not None or not gradient.flags.writeable:
        gradient = gradient.copy()
    given.add(id(gradient))
    leaf.grad = wrap(gradient)


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor, ...]:
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
        roots.append((output, _seed_gradient(output, seed, "grad", create_graph)))
    if retain_graph is None:
        retain_graph = create_graph
    found = _backpropagate(roots, retain_graph, create_graph, targets=inputs)
    results: tuple[Any, ...] = tuple(_as_result(found.get(x), create_graph) for x in inputs)
    for index, result in enumerate(results):
        if result is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {index} was not used to compute the outputs; "
                "pass allow_unused=True to get None for it"
            )
    return results


def _as_result(gradient: Any, create_graph: bool) -> Tensor | None:
    """A gradient returned by ``grad``: a Tensor (raw arrays wrapped), or None."""
    return gradient if create_graph or gradient is None else wrap(gradient)


def _seed_gradient(tensor: Tensor, gradient: Any, op: str, create_graph: bool) -> Any:
    """The starting gradient d(tensor)/d(tensor): ``gradient`` checked, or 1 for a scalar;
    a Tensor with ``create_graph``, else its array."""
    if gradient is None:
        if tensor.numel() != 1:
            raise RuntimeError(
                f"{op}: a gradient can be implied only for a one-element output, got shape "
                f"{tuple(tensor.shape)}; reduce it first (y.sum().backward()) or pass gradient="
            )
        seed = wrap(get_array_module(tensor.data).ones(tensor.shape, tensor.dtype))
    else:
        seed = as_tensor(gradient, tensor.dtype)
        if seed.shape != tensor.shape:
            raise ValueError(
                f"{op}: gradient has shape {tuple(seed.shape)} but the output has shape "
                f"{tuple(tensor.shape)}"
            )
        if not create_graph:  # a copy: the caller's array must not become a leaf's .grad
            seed = wrap(seed.data.copy())
    return seed if create_graph else seed.data


def _backpropagate(
    roots: list[tuple[Tensor, Any]],
    retain_graph: bool,
    create_graph: bool,
    targets: list[Tensor] | None,
) -> dict[Tensor, Any]:
    """Run the chain rule from ``roots`` (tensor, seed) pairs and return the summed gradient
    that reaches each leaf requiring grad or, given ``targets``, each of those tensors.

    Functions run in reverse order of creation, popped from the heap ``ready`` highest
    ``sequence`` first. A Function's inputs were all made before it, so by the time it is
    popped, every Function that used its output (and is reachable from the roots) has run
    and added its share to ``pending``: a topological order found during the walk, with no
    separate sort. Nothing outside this call changes until the walk is over.

    Gradients travel between Functions as raw arrays; with ``create_graph`` as Tensors, so
    that the operations computing them are recorded.
    """
    pending: dict[Function, Any] = {}  # the gradient of each Function's output, summed so far
    ready: list[tuple[int, Function]] = []
    found: dict[Tensor, Any] = {}  # Tensors hash by identity
    wanted = None if targets is None else set(targets)
    walked: list[Function] = []

    def deliver(x: Tensor, gx: Any) -> None:
        """Add gx to x's gradient: in ``found`` if x is wanted, and in ``pending`` for the
        Function that made x, which joins the heap the first time."""
        creator = x.creator
        is_wanted = creator is None if wanted is None else x in wanted
        if is_wanted:
            found[x] = gx if x not in found else found[x] + gx
        if creator is None:
            return
        if creator in pending:
            pending[creator] = pending[creator] + gx
            return
        if creator.inputs is None:
            _raise_freed_graph_error(creator)
        pending[creator] = gx
        heapq.heappush(ready, (-creator.sequence, creator))

    with enable_grad() if create_graph else no_grad():
        for root, seed in roots:
            deliver(root, seed)
        while ready:
            function = heapq.heappop(ready)[1]
            walked.append(function)
            function.check_saved_values()
            gy = pending.pop(function)
            if function.output_hooks:
                gy = _run_gradient_hooks(function.output_hooks, gy, function.output, create_graph)
            gxs = function.input_gradients(gy, create_graph)
            for x, gx in zip(function.inputs, gxs, strict=True):
                if gx is not None and x.requires_grad:
                    if gx.shape != x.data.shape:
                        _raise_gradient_shape_error(function, x, gx)
                    deliver(x, gx)
        for x, gx in found.items():
            if x.gradient_hooks and x.creator is None:
                found[x] = _run_gradient_hooks(x.gradient_hooks, gx, x, create_graph)
    if not retain_graph:
        for function in walked:
            function.release()
    return found


def _run_gradient_hooks(
    hooks: dict[Any, Any], gradient: Any, tensor: Tensor | None, create_graph: bool
) -> Any:
    """The whole gradient with respect to ``tensor`` after its ``register_hook`` hooks, in
    the order registered (a hook returning a Tensor replaces it); then, if it retains its
    gradient (``retain_grad``), added to its ``.grad``. ``tensor`` is None when it no
    longer exists (its hooks still run, as torch's do)."""
    for key, hook in list(hooks.items()):
        if key == RETAIN_GRAD:
            continue
        result = hook(gradient if create_graph else wrap(gradient))
        if result is not None:
            replaced = as_tensor(result)
            if replaced.shape != gradient.shape:
                raise RuntimeError(
                    f"register_hook: a hook returned a gradient of shape {tuple(replaced.shape)} "
                    f"for a tensor of shape {tuple(gradient.shape)}"
                )
            gradient = replaced if create_graph else replaced.data
    if RETAIN_GRAD in hooks and tensor is not None:
        _accumulate_grad(tensor, gradient, create_graph, {id(gradient)})  # .grad: a copy
    return gradient


def _raise_freed_graph_error(function: Function) -> None:
    """Backward reached a Function whose saved inputs an earlier backward released."""
    raise RuntimeError(
        f"backward: the graph through {type(function).__name__} was freed by an earlier "
        "backward(); pass retain_graph=True to that earlier call to backpropagate through "
        "the same graph again"
    )


def _raise_gradient_shape_error(function: Function, x: Tensor, gx: Any) -> None:
    """A backward rule must return a gradient shaped like its input."""
    raise RuntimeError(
        f"{type(function).__name__}.backward returned a gradient of shape {tuple(gx.shape)} "
        f"for an input of shape {tuple(x.shape)}"
    )
