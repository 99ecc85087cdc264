"""batch_norm: gradients, PyTorch's values and running statistics, train vs eval."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.autograd import grad, gradcheck

SHAPES = [(6, 3), (4, 3, 5, 2)]


def _inputs(shape, seed=0):
    rng = np.random.default_rng(seed)
    channels = shape[1]
    x = rng.normal(1.0, 2.0, shape)
    return x, rng.uniform(0.5, 1.5, channels), rng.normal(size=channels)


def _fresh_statistics(channels):
    """Running mean 0 and variance 1, in float64 on the default device."""
    return sd.zeros(channels, dtype=sd.float64), sd.ones(channels, dtype=sd.float64)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradcheck(shape, training):
    x, gamma, beta = _inputs(shape)
    running = _fresh_statistics(shape[1])

    def f(x, gamma, beta):
        return F.batch_norm(x, running[0].clone(), running[1].clone(), gamma, beta, training)

    assert gradcheck(f, [x, gamma, beta])


@pytest.mark.parametrize("shape", SHAPES)
def test_batch_norm_second_derivative(shape):
    x, gamma, beta = _inputs(shape)

    def gradient(x):
        y = F.batch_norm(x, *_fresh_statistics(shape[1]), gamma, beta, True)
        (g,) = grad((y * y * y).sum(), x, create_graph=True)
        return g

    assert gradcheck(gradient, [x])


@pytest.mark.parametrize("shape", SHAPES)
def test_fused_batch_norm_equals_its_composition(shape):
    x, gamma, beta = _inputs(shape)
    axes = (0,) if len(shape) == 2 else (0, 2, 3)
    view = (1, -1) if len(shape) == 2 else (1, -1, 1, 1)
    xt = sd.tensor(x, requires_grad=True)
    fused = F.batch_norm(xt, *_fresh_statistics(shape[1]), gamma, beta, True)
    (fused * x).sum().backward()
    composed_x = sd.tensor(x, requires_grad=True)
    mean = composed_x.mean(axis=axes, keepdims=True)
    variance = composed_x.var(dim=axes, keepdim=True, correction=0)
    x_hat = (composed_x - mean) / F.sqrt(variance + 1e-5)
    composed = x_hat * gamma.reshape(view) + beta.reshape(view)
    (composed * x).sum().backward()
    np.testing.assert_allclose(fused.data, composed.data, rtol=1e-12)
    np.testing.assert_allclose(xt.grad.data, composed_x.grad.data, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_matches_pytorch(shape, training, torch):
    x, gamma, beta = _inputs(shape)
    rng = np.random.default_rng(1)
    running_mean, running_var = rng.normal(size=shape[1]), rng.uniform(0.5, 2, shape[1])
    ours = [sd.tensor(a, requires_grad=True) for a in (x, gamma, beta)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, gamma, beta)]
    our_stats = (sd.tensor(running_mean), sd.tensor(running_var))
    their_stats = (torch.tensor(running_mean), torch.tensor(running_var))
    y = F.batch_norm(ours[0], *our_stats, ours[1], ours[2], training, momentum=0.2)
    y_ref = torch.nn.functional.batch_norm(
        theirs[0], *their_stats, theirs[1], theirs[2], training, momentum=0.2
    )
    np.testing.assert_allclose(y.data, y_ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    for mine, reference in zip(our_stats, their_stats, strict=True):
        np.testing.assert_allclose(mine, reference.numpy(), rtol=1e-12)
    weights = rng.normal(size=shape)
    (y * weights).sum().backward()
    (y_ref * torch.from_numpy(weights)).sum().backward()
    for mine, reference in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(mine.grad.data, reference.grad.numpy(), rtol=1e-8, atol=1e-10)


def test_training_and_evaluation_normalise_differently():
    x, gamma, beta = _inputs((8, 2))
    running_mean, running_var = _fresh_statistics(2)
    train_out = F.batch_norm(x, running_mean, running_var, gamma, beta, training=True)
    eval_out = F.batch_norm(x, running_mean, running_var, gamma, beta, training=False)
    np.testing.assert_allclose(((train_out.data - beta) / gamma).mean(axis=0), 0, atol=1e-12)
    assert not np.allclose(train_out.data, eval_out.data)
    assert (running_mean != 0).all()  # updated in place


def test_float32_stays_float32():
    x, gamma, beta = (a.astype(np.float32) for a in _inputs((4, 3, 2, 2)))
    stats = (sd.zeros(3), sd.ones(3))
    xt = sd.tensor(x, requires_grad=True)
    y = F.batch_norm(xt, *stats, gamma, beta, training=True)
    y.sum().backward()
    assert y.dtype == xt.grad.dtype == stats[0].dtype == stats[1].dtype == np.float32


@pytest.mark.host  # NumPy statistics
@pytest.mark.parametrize(
    ("shape", "gamma_shape", "message"),
    [
        ((4,), (3,), r"expected input of shape \(N, C, ...\)"),
        ((4, 3), (2,), r"weight of shape \(2,\) does not match 3 channels"),
        ((1, 3), (3,), "more than one value per channel"),
    ],
)
def test_batch_norm_errors(shape, gamma_shape, message):
    with pytest.raises(ValueError, match=message):
        F.batch_norm(
            np.ones(shape), np.zeros(3), np.ones(3), np.ones(gamma_shape), np.zeros(3), True
        )


@pytest.mark.host  # NumPy statistics, updated in place
def test_a_batch_that_is_not_finite_leaves_the_running_statistics_alone():
    running_mean, running_var = np.zeros(2), np.ones(2)
    x = np.ones((4, 2))
    x[0, 1] = np.nan
    F.batch_norm(x, running_mean, running_var, training=True)
    np.testing.assert_array_equal(running_mean, [0.0, 0.0])
    np.testing.assert_array_equal(running_var, [1.0, 1.0])
    F.batch_norm(np.arange(8.0).reshape(4, 2), running_mean, running_var, training=True)
    assert np.all(running_mean != 0)


@pytest.mark.host  # NumPy statistics, updated in place
def test_the_running_variance_can_take_the_biased_batch_variance():
    x = np.arange(8.0).reshape(4, 2) ** 2
    unbiased, biased = np.ones(2), np.ones(2)
    F.batch_norm(x, np.zeros(2), unbiased, training=True, momentum=0.25)
    F.batch_norm(x, np.zeros(2), biased, training=True, momentum=0.25, unbiased_running_var=False)
    np.testing.assert_allclose(unbiased, 0.75 + 0.25 * x.var(axis=0, ddof=1))
    np.testing.assert_allclose(biased, 0.75 + 0.25 * x.var(axis=0))
