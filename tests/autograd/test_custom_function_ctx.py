"""PyTorch-style custom Functions (static forward/backward with ctx, ``.apply``), against
PyTorch running the same class bodies."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.autograd import gradcheck
from scratchdl.autograd.function import once_differentiable


def legendre_p3(lib):
    """The PyTorch tutorial's LegendrePolynomial3, defined on ``lib``'s Function."""

    class LegendrePolynomial3(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input**3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input**2 - 1)

    return LegendrePolynomial3


def scaled_product(lib):
    """A Function of two tensors and a number, in the newer setup_context style."""

    class ScaledProduct(lib.autograd.Function):
        @staticmethod
        def forward(a, b, scale):
            return a * b * scale

        @staticmethod
        def setup_context(ctx, inputs, output):
            a, b, scale = inputs
            ctx.save_for_backward(a, b)
            ctx.scale = scale

        @staticmethod
        def backward(ctx, grad_output):
            a, b = ctx.saved_tensors
            ga = grad_output * b * ctx.scale if ctx.needs_input_grad[0] else None
            gb = grad_output * a * ctx.scale if ctx.needs_input_grad[1] else None
            return ga, gb, None

    return ScaledProduct


VALUES = np.array([[-0.8, 0.1, 0.5], [0.9, -0.3, 0.2]])


def test_the_tutorials_function_matches_torch_in_value_and_gradient(torch):
    results = []
    for lib in (sd, torch):
        x = lib.tensor(VALUES, requires_grad=True)
        y = legendre_p3(lib).apply(x * 2)
        y.sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0])
    np.testing.assert_allclose(results[0][1], results[1][1])


def test_gradcheck_of_apply_and_a_second_derivative(torch):
    assert gradcheck(legendre_p3(sd).apply, [VALUES])
    seconds = []
    for lib in (sd, torch):
        x = lib.tensor(VALUES, requires_grad=True)
        (g,) = lib.autograd.grad(legendre_p3(lib).apply(x).sum(), x, create_graph=True)
        g.sum().backward()  # the backward rule is made of tensor operations
        seconds.append(x.grad.numpy())
    np.testing.assert_allclose(*seconds)


def test_setup_context_style_with_a_number_argument_and_needs_input_grad(torch):
    results = []
    for lib in (sd, torch):
        a = lib.tensor(VALUES, requires_grad=True)
        b = lib.tensor(VALUES[::-1].copy())  # a constant: needs_input_grad[1] is False
        scaled_product(lib).apply(a, b, 3.0).sum().backward()
        results.append((a.grad.numpy(), b.grad))
    np.testing.assert_allclose(results[0][0], results[1][0])
    assert results[0][1] is None and results[1][1] is None
    # the second input in Fortran order: gradcheck perturbs it element by element all the same
    fortran = np.asfortranarray(VALUES[::-1])
    assert gradcheck(lambda a, b: scaled_product(sd).apply(a, b, 3.0), [VALUES, fortran])


def test_no_graph_without_grad_and_under_no_grad():
    x = sd.tensor(VALUES)
    assert not legendre_p3(sd).apply(x).requires_grad
    with sd.no_grad():
        assert not legendre_p3(sd).apply(sd.tensor(VALUES, requires_grad=True)).requires_grad


def test_forward_runs_without_recording_and_non_differentiable_outputs():
    class ArgMaxMask(sd.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            assert not sd.is_grad_enabled()
            mask = (x == x.max()).float()
            ctx.mark_non_differentiable(mask)
            return mask

    out = ArgMaxMask.apply(sd.tensor(VALUES, requires_grad=True))
    assert not out.requires_grad and out.sum().item() == 1.0


def test_a_saved_tensor_changed_in_place_makes_backward_raise():
    x = sd.tensor(VALUES, requires_grad=True)
    h = x * 1
    y = legendre_p3(sd).apply(h)
    h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_a_saved_output_changed_in_place_makes_saved_tensors_raise(torch):
    for lib in (sd, torch):

        class Exp(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                result = x.exp()
                ctx.save_for_backward(result)
                return result

            @staticmethod
            def backward(ctx, grad_output):
                (result,) = ctx.saved_tensors
                return grad_output * result

        y = Exp.apply(lib.tensor(VALUES, requires_grad=True))
        y.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


def test_a_backward_returning_too_few_gradients_raises_naming_the_function():
    class Wrong(sd.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    a = sd.tensor(VALUES, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Wrong\.backward returned 1 gradients, but forward"):
        Wrong.apply(a, a).sum().backward()


def test_identity_forward_gets_its_own_output_and_once_differentiable_stops_there():
    class Identity(sd.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        @once_differentiable
        def backward(ctx, grad_output):
            return grad_output * 2

    x = sd.tensor(VALUES, requires_grad=True)
    y = Identity.apply(x)
    assert y is not x and x.is_leaf and y.grad_fn is not None
    (g,) = sd.autograd.grad(y.sum(), x, create_graph=True)
    np.testing.assert_array_equal(g.numpy(), np.full_like(VALUES, 2.0))
    assert not g.requires_grad


def test_several_outputs_are_refused_clearly():
    class Split(sd.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1, x * 2

    with pytest.raises(NotImplementedError, match=r"Split\.apply: forward returned 2 outputs"):
        Split.apply(sd.tensor(VALUES, requires_grad=True))
