"""Tensor gradient hooks (``register_hook``) and ``retain_grad``, against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd


def run_both(torch, program):
    """``program(lib)`` with scratchdl and with torch; its results as NumPy arrays."""

    def arrays(results):
        return [None if r is None else np.asarray(r.detach().numpy()) for r in results]

    return arrays(program(sd)), arrays(program(torch))


def assert_same(ours, theirs):
    for a, b in zip(ours, theirs, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-6)


def test_hooks_replace_gradients_of_leaves_and_non_leaves(torch):
    def program(lib):
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: g * 10)
        y.register_hook(lambda g: g + 1)  # runs second, on the first hook's result
        x.register_hook(lambda g: g - 0.5)
        (y**2).sum().backward()
        return [x.grad]

    assert_same(*run_both(torch, program))


def test_retain_grad_keeps_the_gradient_after_hooks_and_adds_up(torch):
    def program(lib):
        x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        y = x.exp()
        y.retain_grad()
        y.register_hook(lambda g: g * 3)
        z = (y * x).sum()
        z.backward(retain_graph=True)
        first = y.grad.clone()
        z.backward()
        return [first, y.grad, x.grad]

    assert_same(*run_both(torch, program))


def test_retain_grad_flags_and_leaves():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    x.retain_grad()  # a leaf keeps its gradient anyway
    y = x * 2
    assert not x.retains_grad and not y.retains_grad
    y.retain_grad()
    assert y.retains_grad and y.grad is None
    y.sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), [1.0, 1.0])


def test_a_retained_gradient_is_its_own_array():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y.retain_grad()
    y.sum().backward()
    assert y.grad.data is not x.grad.data
    y.grad.data[...] = 5
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])


def test_a_removed_hook_no_longer_runs():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 100)
    handle.remove()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])


def test_a_hook_runs_after_its_tensor_is_gone(torch):
    for lib in (sd, torch):
        seen = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g, seen=seen: seen.append(g.sum().item()))
        total = y.sum()
        del y
        total.backward()
        assert seen == [2.0], lib.__name__


def test_hooks_apply_to_autograd_grad_and_to_graphs_of_gradients(torch):
    def program(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(lambda g: g * 3)
        (gx,) = lib.autograd.grad((x**3).sum(), x, create_graph=True)
        gx.sum().backward()
        return [gx, x.grad]

    assert_same(*run_both(torch, program))


def test_a_hook_on_a_tensor_without_grad_is_refused():
    with pytest.raises(RuntimeError, match="register_hook: cannot register a hook on a tensor"):
        sd.tensor([1.0]).register_hook(lambda g: g)
    with pytest.raises(RuntimeError, match="retain_grad: can't retain_grad on a tensor"):
        sd.tensor([1.0]).retain_grad()


def test_a_hook_returning_another_shape_raises_naming_both():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g.sum())
    with pytest.raises(RuntimeError, match=r"shape \(\) for a tensor of shape \(2,\)"):
        (x * 2).sum().backward()
    assert x.grad is None
