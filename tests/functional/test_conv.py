"""conv2d and pooling: double backprop, im2col/col2im adjointness and errors."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.autograd import grad, gradcheck
from scratchdl.functional.conv import Geometry, _weight_gradient, col2im_array, im2col_array


def test_col2im_is_the_adjoint_of_im2col():
    """<im2col(x), c> == <x, col2im(c)> for every x, c: what makes the gradients right."""
    rng = np.random.default_rng(0)
    geometry = Geometry((3, 2), (2, 1), (1, 1))
    x = rng.normal(size=(2, 3, 7, 6))
    cols = im2col_array(x, geometry)
    c = rng.normal(size=cols.shape)
    assert np.sum(cols * c) == pytest.approx(np.sum(x * col2im_array(c, x.shape, geometry)))


@pytest.mark.parametrize(
    "f",
    [
        lambda x, w: F.conv2d(x, w, stride=2, padding=1),
        lambda x, w: F.max_pool2d(F.conv2d(x, w, padding=1), 2),
        lambda x, w: F.avg_pool2d(F.conv2d(x, w), 2, 1),
    ],
)
def test_conv_and_pool_are_twice_differentiable(f):
    rng = np.random.default_rng(0)
    w = rng.normal(size=(2, 2, 3, 3))

    def gradient(x):
        (g,) = grad((f(x, w) ** 2).sum(), x, create_graph=True)
        return g

    assert gradcheck(gradient, [rng.normal(size=(2, 2, 5, 5))])


def test_max_pool_sends_the_gradient_to_one_element_on_ties():
    x = sd.tensor(np.zeros((1, 1, 2, 2)), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad.data.sum() == 1.0 and x.grad.data[0, 0, 0, 0] == 1.0  # the first, as PyTorch


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda x: F.conv2d(x[0], np.ones((2, 3, 3, 3))), r"expected x of shape \(N, C, H, W\)"),
        (lambda x: F.conv2d(x, np.ones((2, 4, 3, 3))), "x has 3 channels .* expects 4"),
        (lambda x: F.conv2d(x, np.ones((2, 3, 3))), "expected weight of shape"),
        (lambda x: F.conv2d(x, np.ones((2, 3, 9, 9))), "larger than the padded input"),
        (lambda x: F.conv2d(x, np.ones((2, 3, 3, 3)), stride=0), "stride must be an int >= 1"),
        (lambda x: F.conv2d(x, np.ones((2, 3, 3, 3)), padding=-1), "padding must be an int >= 0"),
        (lambda x: F.max_pool2d(x, 2, padding=2), "at most half of kernel"),
        (lambda x: F.avg_pool2d(x, 9), "larger than the padded input"),
    ],
)
def test_conv_and_pool_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call(sd.tensor(np.ones((2, 3, 5, 5))))


def test_conv_and_pool_hand_on_channel_major_memory():
    """Their (N, C, H, W) outputs are views of (C, N, H, W) memory, so a stack never copies."""
    x = sd.tensor(np.ones((4, 3, 8, 8), dtype=np.float32))
    y = F.max_pool2d(F.relu(F.conv2d(x, np.ones((5, 3, 3, 3), dtype=np.float32))), 2)
    assert y.shape == (4, 5, 3, 3)
    assert y.data.swapaxes(0, 1).flags.c_contiguous


@pytest.mark.parametrize("stride", [1, 2])
def test_stacked_convolutions_pass_gradients_through_their_output_views(stride):
    """Each output is a view of channel-major memory, which the next layer reads as it is."""
    rng = np.random.default_rng(0)
    w1, w2 = rng.normal(size=(3, 2, 3, 3)), rng.normal(size=(2, 3, 2, 3))

    def stack(x, w1, w2):
        return F.conv2d(F.relu(F.conv2d(x, w1, padding=1, stride=stride)), w2, padding=(1, 0))

    assert gradcheck(stack, [rng.normal(size=(2, 2, 7, 6)), w1, w2])


@pytest.mark.parametrize(("channels", "rows"), [(16, 144), (30, 25)])
def test_convolution_weight_gradient_either_orientation_is_g_times_cols_transposed(
    rng, channels, rows
):
    g, cols = rng.normal(size=(channels, 300)), rng.normal(size=(rows, 300))
    np.testing.assert_allclose(_weight_gradient(g, cols), g @ cols.T, rtol=1e-12)
