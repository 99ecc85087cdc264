"""backward(): traversal, accumulation, graph freeing, grad mode, grad(), jacobian, hessian."""

import threading

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.autograd import grad, gradcheck, hessian, jacobian
from scratchdl.autograd.gradcheck import GradcheckError


def test_deep_chain_has_no_recursion_limit():
    x = sd.tensor(np.array(1.0), requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()
    np.testing.assert_allclose(x.grad.data, 1.0001**10_000, rtol=1e-9)


def test_shared_subexpression_receives_every_path():
    x = sd.tensor(np.array(3.0), requires_grad=True)
    a = x * x  # used twice below: dy/dx = d(a + a*a)/dx = 2x + 4x³
    y = a + a * a
    y.backward()
    assert x.grad.item() == pytest.approx(2 * 3 + 4 * 27)


def test_gradients_accumulate_until_reset():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.data, [6.0, 6.0])
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.data, [3.0, 3.0])


def test_backward_on_a_freed_graph_raises():
    x = sd.tensor([1.0], requires_grad=True)
    y = (x.exp() * 2).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"freed.*retain_graph=True"):
        y.backward()


def test_a_freed_graph_found_midway_changes_no_gradient():
    x = sd.tensor([1.0], requires_grad=True)
    w = sd.tensor([2.0], requires_grad=True)
    shared = x.exp()
    first, second = shared.sum(), (w * shared).sum()
    first.backward()  # frees exp's saved input
    x.grad = None
    with pytest.raises(RuntimeError, match=r"graph through Exp was freed"):
        second.backward()  # the product's gradient reaches w, then finds exp freed
    assert x.grad is None and w.grad is None


def test_a_function_runs_after_every_use_of_its_output():
    x = sd.tensor(np.array(0.5), requires_grad=True)
    a = x.exp()
    b = a * 2  # made after a, before c: a's gradient is complete only once both have run
    c = (a * b).exp() + b
    c.backward()
    ea = np.exp(0.5)  # c = exp(2a²) + 2a, dc/da = 4a·exp(2a²) + 2, da/dx = a
    assert x.grad.item() == pytest.approx((4 * ea * np.exp(2 * ea**2) + 2) * ea)


def test_retain_graph_allows_a_second_backward():
    x = sd.tensor([1.0], requires_grad=True)
    y = (x.exp() * 2).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.data, 4 * np.e, rtol=1e-6)


def test_non_scalar_backward_needs_a_gradient():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"one-element output, got shape \(2,\)"):
        (x * 2).backward()
    (x * 2).backward(gradient=np.array([1.0, 10.0]))
    np.testing.assert_allclose(x.grad.data, [2.0, 20.0])
    with pytest.raises(ValueError, match="gradient has shape"):
        (x * 2).backward(gradient=np.ones(3))


def test_backward_without_graph_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        sd.tensor([1.0]).sum().backward()


def test_no_grad_records_nothing_and_restores_the_mode():
    x = sd.tensor([1.0], requires_grad=True)
    with sd.no_grad():
        y = x * 2
        with sd.enable_grad():
            z = x * 2
        assert not sd.is_grad_enabled()
    assert sd.is_grad_enabled()
    assert y.creator is None and not y.requires_grad
    assert z.requires_grad


def test_no_grad_as_decorator():
    @sd.no_grad()
    def double(t):
        return t * 2

    assert not double(sd.tensor([1.0], requires_grad=True)).requires_grad
    assert sd.is_grad_enabled()


def test_grad_mode_is_thread_local():
    seen = []
    with sd.no_grad():
        thread = threading.Thread(target=lambda: seen.append(sd.is_grad_enabled()))
        thread.start()
        thread.join()
    assert seen == [True]


def test_create_graph_gives_second_derivatives():
    x = sd.tensor(np.array(2.0), requires_grad=True)
    y = x**3
    y.backward(create_graph=True)
    first = x.grad  # 3x² = 12, itself differentiable
    assert first.item() == pytest.approx(12.0)
    x.grad = None
    first.backward()
    assert x.grad.item() == pytest.approx(12.0)  # 6x


def test_grad_returns_gradients_without_touching_dot_grad():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    w = sd.tensor([3.0, 4.0], requires_grad=True)
    gx, gw = grad((x * w).sum(), [x, w])
    np.testing.assert_allclose(gx.data, [3.0, 4.0])
    np.testing.assert_allclose(gw.data, [1.0, 2.0])
    assert x.grad is None and w.grad is None


def test_grad_of_an_intermediate_tensor():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    (gh,) = grad((h * h).sum(), h)
    np.testing.assert_allclose(gh.data, [4.0, 8.0])


def test_grad_reports_unused_inputs():
    x = sd.tensor([1.0], requires_grad=True)
    unused = sd.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="input 1 was not used"):
        grad((x * 2).sum(), [x, unused])
    assert grad((x * 2).sum(), [x, unused], allow_unused=True)[1] is None


def test_jacobian_of_an_elementwise_map_is_diagonal():
    x = sd.tensor(np.array([1.0, 2.0, 3.0]))
    J = jacobian(lambda t: t * t, x)
    np.testing.assert_allclose(J.data, np.diag([2.0, 4.0, 6.0]))


def test_jacobian_of_a_matrix_product():
    A = np.arange(6.0).reshape(2, 3)
    J = jacobian(lambda t: F.matmul(A, t), sd.tensor(np.ones(3)))
    np.testing.assert_allclose(J.data, A)


def test_hessian_of_a_cubic_matches_its_closed_form():
    # f(x) = Σ xᵢ³ + x₀x₁  =>  H = diag(6x) + [[0, 1], [1, 0]]
    def f(t):
        return (t**3).sum() + t[0] * t[1]

    x = np.array([1.5, -2.0])
    H = hessian(f, sd.tensor(x))
    np.testing.assert_allclose(H.data, np.diag(6 * x) + np.array([[0, 1], [1, 0]]), rtol=1e-12)


def test_hessian_of_a_linear_function_is_zero():
    H = hessian(lambda t: (t * 2).sum(), sd.tensor(np.ones(2)))
    np.testing.assert_array_equal(H.data, np.zeros((2, 2)))


def test_gradcheck_passes_for_correct_and_names_the_worst_element_for_wrong_gradients():
    class WrongSquare(sd.Function):
        def forward(self, x):
            return x * x

        def backward(self, gy):
            x = self.inputs[0]
            return gy * x * 3.0  # should be 2x

    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    assert gradcheck(lambda t: t * t, [x])
    with pytest.raises(GradcheckError, match=r"index \(1, 1\): backprop"):
        gradcheck(lambda t: WrongSquare()(t), [x])


def test_backward_rule_with_the_wrong_shape_is_reported():
    class BadShape(sd.Function):
        def forward(self, x):
            return x.sum()

        def backward(self, gy):
            return gy  # forgot to broadcast back

    x = sd.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"BadShape.backward returned a gradient of shape"):
        BadShape()(x).backward()


def test_post_accumulate_grad_hooks_run_once_every_leaf_has_its_gradient():
    a = sd.tensor([1.0, 2.0], requires_grad=True)
    b = sd.tensor([3.0, 4.0], requires_grad=True)
    seen = []

    def record(leaf):
        seen.append((leaf is a, a.grad is not None and b.grad is not None))

    handle = a.register_post_accumulate_grad_hook(record)
    b.register_post_accumulate_grad_hook(record)
    (a * b).sum().backward()
    assert sorted(seen) == [(False, True), (True, True)]
    handle.remove()
    seen.clear()
    (a * b).sum().backward()
    assert seen == [(False, True)]


def test_post_accumulate_grad_hook_needs_a_leaf():
    x = sd.tensor([1.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="only leaf tensors"):
        x.register_post_accumulate_grad_hook(print)


def test_every_leaf_owns_a_writable_gradient_array():
    x = sd.ones(3, requires_grad=True)
    x.sum().backward()  # the sum's gradient is a broadcast view: the leaf gets a copy
    assert x.grad.data.flags.writeable and x.grad.data.base is None
    x.grad.data *= 2  # in-place gradient code (clipping, noise) works
    a, b = sd.ones(3, requires_grad=True), sd.ones(3, requires_grad=True)
    seed = np.ones(3, np.float32)
    (a + b).backward(seed)  # Add hands one array to both inputs
    assert a.grad.data is not b.grad.data and a.grad.data is not seed
    a.grad.data[0] = 5
    assert b.grad.data[0] == 1 and seed[0] == 1


def test_a_convolution_of_an_empty_batch_is_empty():
    x = sd.zeros(0, 1, 5, 5, requires_grad=True)
    y = F.conv2d(x, sd.zeros(2, 1, 3, 3, requires_grad=True))
    assert y.shape == (0, 2, 3, 3)
    y.sum().backward()
    assert x.grad.shape == (0, 1, 5, 5)
