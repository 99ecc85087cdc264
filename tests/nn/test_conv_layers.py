"""Conv2d, MaxPool2d and AvgPool2d layers: init, repr, errors, and PyTorch's values and
gradients with copied weights."""

import math

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import nn


def test_conv2d_shapes_and_default_init_bound():
    layer = nn.Conv2d(3, 8, 5)
    assert layer.weight.shape == (8, 3, 5, 5) and layer.bias.shape == (8,)
    assert layer.weight.dtype == np.float32
    bound = 1 / math.sqrt(3 * 5 * 5)  # 1/√fan_in, fan_in = C·KH·KW
    assert np.abs(layer.weight.data).max() <= bound
    assert np.abs(layer.bias.data).max() <= bound
    assert np.abs(layer.weight.data).max() > 0.9 * bound  # uses the whole range
    assert layer(sd.tensor(np.ones((2, 3, 9, 7)))).shape == (2, 8, 5, 3)


def test_conv2d_init_is_reproducible_with_manual_seed():
    sd.manual_seed(5)
    first = nn.Conv2d(2, 3, 3).weight.data.copy()
    sd.manual_seed(5)
    np.testing.assert_array_equal(nn.Conv2d(2, 3, 3).weight.data, first)


def test_conv2d_takes_pairs_and_output_follows_stride_and_padding():
    layer = nn.Conv2d(1, 2, (3, 1), stride=(2, 1), padding=(1, 0), bias=False)
    assert layer.bias is None
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    assert layer(sd.tensor(np.ones((1, 1, 8, 5)))).shape == (1, 2, 4, 5)


def test_conv2d_repr_is_like_torch():
    assert repr(nn.Conv2d(1, 30, 5)) == "Conv2d(1, 30, kernel_size=(5, 5), stride=(1, 1))"
    assert repr(nn.Conv2d(3, 4, 3, stride=2, padding=1, bias=False)) == (
        "Conv2d(3, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 4, 3), "Conv2d: in_channels must be a positive integer, got 0"),
        ((1, 4.0, 3), "Conv2d: out_channels must be a positive integer, got 4.0"),
        ((1, 4, 0), "Conv2d: kernel_size must be an int >= 1"),
        ((1, 4, 3, 1, -1), "Conv2d: padding must be an int >= 0"),
    ],
)
def test_conv2d_rejects_bad_settings(args, message):
    with pytest.raises(ValueError, match=message):
        nn.Conv2d(*args)


def test_conv2d_input_errors_name_the_shapes():
    layer = nn.Conv2d(1, 4, 3)
    with pytest.raises(ValueError, match=r"x has 3 channels \(shape \(2, 3, 8, 8\)\)"):
        layer(np.zeros((2, 3, 8, 8)))
    with pytest.raises(ValueError, match=r"expected x of shape \(N, C, H, W\), got \(8, 8\)"):
        layer(np.zeros((8, 8)))


@pytest.mark.parametrize(
    ("stride", "padding", "bias"), [(1, 0, True), (2, 1, True), ((1, 2), (2, 0), False)]
)
def test_conv2d_matches_torch(torch, rng, stride, padding, bias):
    layer = nn.Conv2d(3, 4, (3, 2), stride=stride, padding=padding, bias=bias).to(np.float64)
    theirs = torch.nn.Conv2d(3, 4, (3, 2), stride=stride, padding=padding, bias=bias).double()
    theirs.load_state_dict(
        {name: torch.tensor(v.numpy()) for name, v in layer.state_dict().items()}
    )
    x = rng.normal(size=(2, 3, 7, 6))
    x_ours, x_theirs = sd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y_ours, y_theirs = layer(x_ours), theirs(x_theirs)
    np.testing.assert_allclose(y_ours.numpy(), y_theirs.detach().numpy(), atol=1e-12)
    (y_ours**2).sum().backward()
    (y_theirs**2).sum().backward()
    np.testing.assert_allclose(x_ours.grad.numpy(), x_theirs.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(layer.weight.grad.numpy(), theirs.weight.grad.numpy(), atol=1e-10)
    if bias:
        np.testing.assert_allclose(layer.bias.grad.numpy(), theirs.bias.grad.numpy(), atol=1e-10)


@pytest.mark.parametrize(
    ("kind", "args"),
    [
        ("MaxPool2d", (2,)),
        ("MaxPool2d", (3, 2, 1)),
        ("AvgPool2d", (2,)),
        ("AvgPool2d", ((3, 2), 1, 1)),
    ],
)
def test_pooling_matches_torch(torch, rng, kind, args):
    x = rng.normal(size=(2, 3, 6, 7))
    x_ours, x_theirs = sd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y_ours = getattr(nn, kind)(*args)(x_ours)
    y_theirs = getattr(torch.nn, kind)(*args)(x_theirs)
    np.testing.assert_allclose(y_ours.numpy(), y_theirs.detach().numpy(), atol=1e-12)
    (y_ours**2).sum().backward()
    (y_theirs**2).sum().backward()
    np.testing.assert_allclose(x_ours.grad.numpy(), x_theirs.grad.numpy(), atol=1e-12)


def test_pooling_stride_defaults_to_the_kernel_size_and_repr():
    pool = nn.MaxPool2d(2)
    assert pool.stride == 2
    assert (
        repr(pool) == "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    )
    assert repr(nn.AvgPool2d(3, 1, 1)) == "AvgPool2d(kernel_size=3, stride=1, padding=1)"
    assert pool(sd.tensor(np.ones((1, 1, 5, 4)))).shape == (1, 1, 2, 2)


def test_pooling_layers_have_no_state():
    assert nn.MaxPool2d(2).state_dict() == {}
    assert list(nn.AvgPool2d(2).parameters()) == []
