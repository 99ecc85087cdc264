"""Numerical stability, error messages and second derivatives of the functional ops."""

import math

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.autograd import grad, gradcheck


def test_softmax_of_large_inputs_is_finite():
    y = F.softmax(sd.tensor([1000.0, 1001.0, 1002.0]), dim=0)
    np.testing.assert_allclose(y.data, [0.09003057, 0.24472847, 0.66524096], rtol=1e-6)
    assert np.isfinite(F.log_softmax(sd.tensor([-1000.0, 0.0, 1000.0]), dim=0).data).all()
    assert np.isfinite(F.logsumexp(sd.tensor([1e4, 1e4])).data)


def test_logsumexp_of_all_minus_infinity_is_minus_infinity():
    assert F.logsumexp(sd.tensor([-np.inf, -np.inf])).item() == -np.inf


def test_activations_saturate_without_overflow():
    x = sd.tensor([-1000.0, 0.0, 1000.0])
    np.testing.assert_allclose(F.sigmoid(x).data, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(F.softplus(x).data, [0.0, np.log(2), 1000.0])
    np.testing.assert_allclose(F.tanh(x).data, [-1.0, 0.0, 1.0])


def test_cross_entropy_of_huge_logits_is_finite_and_exact():
    logits = sd.tensor([[1000.0, 0.0], [0.0, 1000.0]], requires_grad=True)
    loss = F.cross_entropy(logits, [1, 1])
    assert loss.item() == pytest.approx(500.0)
    loss.backward()
    assert np.isfinite(logits.grad.data).all()


def test_book_loss_values():
    # The book's example: the network says "2" with probability 0.6, the label is 2.
    y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
    t = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert F.sum_squared_error(sd.tensor(y), t).item() == pytest.approx(0.0975, abs=1e-7)
    log_y = F.log(sd.tensor(y) + 1e-7)
    assert F.cross_entropy(log_y, 2).item() == pytest.approx(0.5108, abs=1e-3)


def test_cross_entropy_of_indices_equals_that_of_one_hot_rows():
    logits = sd.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    by_index = F.cross_entropy(logits, sd.tensor([0, 1]))  # int64, as in torch
    by_one_hot = F.cross_entropy(logits, np.eye(3)[[0, 1]])
    assert by_index.item() == pytest.approx(by_one_hot.item(), rel=1e-6)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ([0, 3], r"class index 3 is out of range for 3 classes \(expected 0..2\)"),
        ([-1, 0], "class index -1 is out of range"),
        ([0.0, 1.0], r"class indices must be integers \(int64\), got float64"),
        ([np.inf, 1.0], "must be integers"),
        ([0, 1, 2], r"neither class indices \(2,\) nor probabilities \(2, 3\)"),
    ],
)
def test_cross_entropy_rejects_bad_targets(target, message):
    with pytest.raises(ValueError, match=message):
        F.cross_entropy(sd.tensor(np.zeros((2, 3))), np.array(target))


@pytest.mark.parametrize(
    "loss", [F.cross_entropy, F.mse_loss, F.sum_squared_error, F.binary_cross_entropy]
)
def test_unknown_reduction_is_rejected(loss):
    with pytest.raises(ValueError, match="unknown reduction 'avg'; expected 'mean', 'sum'"):
        loss(sd.tensor([[0.5, 0.5]]), np.array([[0.0, 1.0]]), reduction="avg")


def test_regression_losses_warn_when_shapes_differ_and_broadcast_as_torch():
    with pytest.warns(
        UserWarning, match=r"mse_loss: target shape \(2,\) does not match .*\(2, 1\)"
    ):
        loss = F.mse_loss(sd.tensor([[1.0], [2.0]]), [1.0, 2.0], reduction="none")
    assert loss.shape == (2, 2)
    with pytest.raises(ValueError, match=r"binary_cross_entropy: target shape \(3,\)"):
        F.binary_cross_entropy(sd.tensor([0.5, 0.5]), [1.0, 0.0, 1.0])


def test_binary_cross_entropy_is_finite_at_zero_and_one():
    p = sd.tensor([0.0, 1.0], requires_grad=True)
    loss = F.binary_cross_entropy(p, [1.0, 0.0])
    assert loss.item() == pytest.approx(100.0)
    loss.backward()
    assert np.isfinite(p.grad.data).all()
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        F.binary_cross_entropy(sd.tensor([1.5]), [1.0])


def test_reductions_sum_mean_none():
    y, t = sd.tensor([[1.0, 2.0], [3.0, 4.0]]), np.zeros((2, 2))
    assert F.mse_loss(y, t, reduction="sum").item() == 30.0
    assert F.mse_loss(y, t).item() == 7.5
    assert F.mse_loss(y, t, reduction="none").shape == (2, 2)
    np.testing.assert_allclose(F.sum_squared_error(y, t, reduction="none").data, [2.5, 12.5])


def test_matmul_shape_mismatch_names_the_op_and_both_shapes():
    with pytest.raises(
        RuntimeError, match=r"matmul: shapes \(2, 3\) and \(4, 5\) cannot be multiplied"
    ):
        sd.tensor(np.ones((2, 3))) @ sd.tensor(np.ones((4, 5)))
    with pytest.raises(RuntimeError, match="at least 1 dimension"):
        F.matmul(sd.tensor(1.0), sd.tensor([1.0]))


def test_linear_shape_mismatch_names_features():
    x, W = sd.tensor(np.ones((2, 783))), sd.tensor(np.ones((10, 784)))
    with pytest.raises(
        RuntimeError, match=r"linear: input of shape .* has 783 features but weight .* 784"
    ):
        F.linear(x, W)
    with pytest.raises(RuntimeError, match=r"bias of shape \(9,\) does not match"):
        F.linear(sd.tensor(np.ones((2, 784))), W, sd.tensor(np.ones(9)))
    with pytest.raises(RuntimeError, match="weight must be 2-d"):
        F.linear(x, sd.tensor(np.ones(3)))


def test_broadcasting_errors_name_the_operation_and_the_shapes():
    with pytest.raises(
        ValueError, match=r"Add: .*broadcast.*\(inputs: \(3,\) float32, \(4,\) float32\)"
    ):
        sd.ones(3) + sd.ones(4)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda x: x.reshape(4, 4), RuntimeError, r"invalid for a tensor of shape \(2, 3\)"),
        (lambda x: x.permute(0, 0), RuntimeError, "not a permutation"),
        (lambda x: x.transpose(0, 2), IndexError, "dimension 2 is out of range"),
        (lambda x: x.sum(axis=2), IndexError, "dimension 2 is out of range for a 2-d tensor"),
        (lambda x: F.stack([x, x.T]), RuntimeError, "same shape"),
        (lambda x: F.cat([]), ValueError, "at least one"),
        (lambda x: F.clamp(x), ValueError, "at least one of min and max"),
        (lambda x: x.mean(dim=0, axis=0), TypeError, "not both"),
        (lambda x: x.flatten(1, 0), RuntimeError, "start_dim 1 comes after end_dim 0"),
    ],
)
def test_shape_and_reduction_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(sd.tensor(np.ones((2, 3))))


def test_mean_of_integers_is_refused_as_in_torch():
    with pytest.raises(RuntimeError, match="mean needs a floating-point tensor"):
        sd.tensor([1, 2]).mean()
    assert sd.tensor([1, 2]).sum().dtype == np.int64
    assert sd.tensor([1, 2]).float().mean().item() == 1.5


def test_step_has_no_gradient_and_identity_is_the_input():
    x = sd.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    assert F.step(x).tolist() == [0.0, 0.0, 1.0]
    assert not F.step(x).requires_grad
    assert F.identity(x) is x


def test_argmax_and_argmin():
    x = sd.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    assert x.argmax(axis=1).tolist() == [1, 0]
    assert F.argmin(x, axis=1).tolist() == [0, 1]
    assert x.argmax().item() == 3 and x.argmax().dtype == np.int64


def test_getitem_with_a_tensor_index_and_repeats():
    x = sd.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[sd.tensor([0, 0, 2])].sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 0.0, 1.0])


def test_where_accepts_a_tensor_condition():
    x = sd.tensor([1.0, -2.0, 3.0])
    assert F.where(x > 0, x, 0.0).tolist() == [1.0, 0.0, 3.0]


def test_flatten_and_squeeze_defaults():
    x = sd.tensor(np.ones((2, 1, 3)))
    assert x.flatten().shape == (6,)
    assert x.squeeze().shape == (2, 3)
    assert F.unsqueeze(x, -1).shape == (2, 1, 3, 1)
    assert x.squeeze(0).shape == (2, 1, 3)  # a dimension longer than 1 stays, as in torch


def test_flatten_of_a_flat_tensor_is_the_tensor():
    x = sd.tensor(np.ones((4, 3)), requires_grad=True)
    assert F.flatten(x, 1) is x  # nothing to merge, no Function recorded
    assert F.flatten(x).shape == (12,)


SMOOTH = [
    F.exp,
    F.tanh,
    F.sigmoid,
    F.softplus,
    F.gelu,
    lambda x: F.softmax(x, dim=1),
    lambda x: F.log_softmax(x, dim=0),
    lambda x: F.logsumexp(x, dim=1),
    F.erf,
    F.elu,
    lambda x: x.var(axis=0),
    lambda x: x @ x.T,
    lambda x: x[np.array([0, 0, 1])] * x[1],
    lambda x: F.cross_entropy(x, [0, 2]),
    lambda x: F.binary_cross_entropy(F.sigmoid(x), np.full((2, 3), 0.3)),
    lambda x: 1.0 / (1.0 + x * x),
    lambda x: F.sqrt(x * x + 1.0) ** 1.5,
]


@pytest.mark.parametrize("f", SMOOTH)
def test_backward_rules_are_themselves_differentiable(f):
    """Double backprop: the gradient, computed with create_graph=True, passes gradcheck."""
    x = np.random.default_rng(0).uniform(-1.5, 1.5, (2, 3))

    def gradient(t):
        (g,) = grad(f(t).sum(), t, create_graph=True)
        return g

    assert gradcheck(gradient, [x])


def test_erf_agrees_with_the_standard_library():
    x = np.linspace(-7, 7, 2001)
    expected = np.array([math.erf(v) for v in x])
    np.testing.assert_allclose(F.erf(x).data, expected, rtol=0, atol=1e-13)
    assert F.erf(np.float32([0.5])).dtype == np.float32
