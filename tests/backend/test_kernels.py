"""The compiled kernels (scratchdl[fast]) equal the NumPy versions they replace, bit for
bit, in float32 and float64, for any number of threads. Skipped without numba."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl import nn, optim
from scratchdl.backend import kernels, threads
from scratchdl.functional import activation, conv

pytest.importorskip("numba")

DTYPES = [np.float32, np.float64]

# (x shape (N, C, H, W), kernel, stride, padding): 2x2 windows take the kernels, the
# others (the last two) the NumPy path either way
POOLS = [
    ((3, 4, 8, 8), 2, None, 0),
    ((2, 3, 7, 9), 2, 2, 0),
    ((1, 1, 2, 2), (2, 2), (2, 2), (0, 0)),
    ((2, 3, 7, 9), 3, 2, 1),
    ((2, 2, 6, 6), 2, 1, 0),
]
# (images (C, N, H, W), kernel, stride, padding)
CONVS = [
    ((1, 3, 8, 8), (5, 5), (1, 1), (0, 0)),
    ((4, 2, 7, 9), (3, 3), (1, 1), (1, 1)),
    ((3, 2, 9, 8), (3, 2), (2, 3), (1, 2)),
    ((2, 3, 5, 5), (1, 1), (2, 2), (0, 0)),
]


def with_and_without_kernels(compute):
    """compute() with the compiled kernels, then with the NumPy versions."""
    compiled = compute()
    with kernels.disabled():
        plain = compute()
    return compiled, plain


def tied_images(rng, shape, dtype, channel_major):
    """Images whose values repeat (windows with several maxima), laid out as the output of
    scratchdl's conv2d (channel-major memory) or as a plain NCHW array."""
    values = rng.integers(-2, 3, size=shape).astype(dtype)
    if channel_major:
        values = np.ascontiguousarray(values.swapaxes(0, 1)).swapaxes(0, 1)
    return values


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("channel_major", [True, False])
@pytest.mark.parametrize(("shape", "kernel", "stride", "padding"), POOLS)
def test_max_pool_forward_and_backward_equal_numpy(
    rng, dtype, channel_major, shape, kernel, stride, padding
):
    images = tied_images(rng, shape, dtype, channel_major)

    def pool_and_backward():
        x = sd.tensor(images, requires_grad=True)
        y = F.max_pool2d(x, kernel, stride, padding)
        y.backward(sd.tensor(np.arange(y.numel(), dtype=dtype).reshape(y.shape) - 7))
        return y.numpy(), x.grad.numpy()

    (y, gx), (y_plain, gx_plain) = with_and_without_kernels(pool_and_backward)
    np.testing.assert_array_equal(y, y_plain)
    np.testing.assert_array_equal(gx, gx_plain)
    assert y.dtype == gx.dtype == dtype


def test_max_pool_gives_torchs_first_maximum(torch, rng):
    images = tied_images(rng, (2, 3, 6, 6), np.float32, channel_major=True)
    ours = sd.tensor(images, requires_grad=True)
    F.max_pool2d(ours, 2).sum().backward()
    theirs = torch.tensor(images, requires_grad=True)
    torch.nn.functional.max_pool2d(theirs, 2).sum().backward()
    np.testing.assert_array_equal(ours.grad.numpy(), theirs.grad.numpy())


def test_max_pool_of_nan_is_nan_as_in_numpy(rng):
    images = rng.normal(size=(1, 2, 4, 4)).astype(np.float32)
    images[0, 0, 1, 1] = images[0, 1, 0, 0] = np.nan

    def pool_and_backward():
        x = sd.tensor(images, requires_grad=True)
        F.max_pool2d(x, 2).sum().backward()
        return F.max_pool2d(x.detach(), 2).numpy(), x.grad.numpy()

    (y, gx), (y_plain, gx_plain) = with_and_without_kernels(pool_and_backward)
    assert np.isnan(y[0, 0, 0, 0]) and np.isnan(y[0, 1, 0, 0])
    np.testing.assert_array_equal(y, y_plain)
    np.testing.assert_array_equal(gx, gx_plain)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fill", [0.0, -np.inf])
@pytest.mark.parametrize(("shape", "kernel", "stride", "padding"), CONVS)
def test_im2col_and_col2im_equal_numpy(rng, dtype, fill, shape, kernel, stride, padding):
    geometry = conv.Geometry(kernel, stride, padding)
    images = conv.channel_major(rng.normal(size=shape).astype(dtype).swapaxes(0, 1).copy())
    cols, cols_plain = with_and_without_kernels(lambda: conv.im2col_array(images, geometry, fill))
    np.testing.assert_array_equal(cols, cols_plain)
    gradient = rng.normal(size=cols.shape).astype(dtype)
    sums, sums_plain = with_and_without_kernels(
        lambda: conv.col2im_array(gradient, shape, geometry)
    )
    np.testing.assert_array_equal(sums, sums_plain)
    assert sums.dtype == dtype


OPTIMIZERS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.3}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "maximize": True}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.9), "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "amsgrad": True, "eps": 1e-3}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.5, "amsgrad": True}),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("name", "kwargs"), OPTIMIZERS, ids=[f"{n}-{k}" for n, k in OPTIMIZERS])
def test_optimizer_updates_equal_numpy(rng, dtype, name, kwargs):
    start = [rng.normal(size=shape).astype(dtype) for shape in [(17, 5), (5,), (2, 3, 2, 2)]]
    gradients = [[rng.normal(size=p.shape).astype(dtype) for p in start] for _ in range(4)]

    def trajectory():
        params = [nn.Parameter(sd.tensor(p.copy())) for p in start]
        optimizer = getattr(optim, name)(params, **kwargs)
        for step_gradients in gradients:
            for param, grad in zip(params, step_gradients, strict=True):
                param.grad = sd.tensor(grad)
            optimizer.step()
        state = [value for entries in optimizer.state.values() for value in entries.values()]
        return [p.data.copy() for p in params] + state

    compiled, plain = with_and_without_kernels(trajectory)
    for ours, reference in zip(compiled, plain, strict=True):
        np.testing.assert_array_equal(ours, reference)
    assert not np.array_equal(compiled[0], start[0])


def test_results_do_not_depend_on_the_thread_count(rng):
    images = tied_images(rng, (3, 4, 10, 10), np.float32, channel_major=True)
    geometry = conv.Geometry((3, 3), (1, 1), (1, 1))
    results = []
    for count in (1, 2):
        threads.set_kernel_threads(count)
        x = sd.tensor(images, requires_grad=True)
        F.max_pool2d(x, 2).sum().backward()
        cols = conv.im2col_array(conv.channel_major(images), geometry)
        results.append((x.grad.numpy(), conv.col2im_array(cols, images.shape, geometry)))
    threads.set_kernel_threads(threads.KERNEL_THREADS)
    for first, second in zip(*results, strict=True):
        np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(
    "arrays",
    [
        [np.zeros(3, np.float16)],
        [np.zeros(3, np.int64)],
        [np.zeros(3, np.float32), np.zeros(3, np.float64)],
        [np.zeros(3, np.float32), [0.0, 0.0, 0.0]],
    ],
)
def test_other_dtypes_and_types_take_the_numpy_path(arrays):
    assert kernels.usable(np.zeros(3, np.float32))
    assert not kernels.usable(*arrays)


@pytest.mark.host  # the kernels take NumPy arrays only; the state is set as one
def test_a_non_contiguous_optimizer_state_takes_the_numpy_path(rng):
    param = nn.Parameter(sd.tensor(rng.normal(size=(4, 3)).astype(np.float32)))
    optimizer = optim.SGD([param], lr=0.1, momentum=0.9)
    param.grad = sd.tensor(np.ones((4, 3), np.float32))
    optimizer.step()
    strided = np.zeros((3, 4), np.float32).T  # the same values, another layout
    optimizer.state[param]["momentum_buffer"] = strided
    optimizer.step()
    np.testing.assert_array_equal(strided, np.ones((4, 3), np.float32))


def special_values(rng, shape, dtype):
    """Normal values with NaNs of both signs, infinities, zeros of both signs and a 1."""
    values = rng.normal(size=shape).astype(dtype)
    flat = values.reshape(-1)
    flat[:7] = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -np.nan]
    return values


# (shape, layout): C order, channel-major (conv2d's outputs), and a strided slice (NumPy)
LAYOUTS = [((5, 7), "c"), ((3, 4, 5, 2), "channel_major"), ((6, 8), "strided")]


def laid_out(values, layout):
    if layout == "channel_major":
        return np.ascontiguousarray(values.swapaxes(0, 1)).swapaxes(0, 1)
    if layout == "strided":
        return np.repeat(values, 2, axis=1)[:, ::2]
    return values


@pytest.mark.filterwarnings("ignore:invalid value")  # NumPy's inf · 0 (the kernel is silent)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("shape", "layout"), LAYOUTS)
@pytest.mark.parametrize("name", ["ReLU", "Sigmoid", "Tanh"])
def test_activation_gradients_equal_numpy(rng, dtype, shape, layout, name):
    x = sd.from_numpy(laid_out(special_values(rng, shape, dtype), layout)).requires_grad_()
    function = getattr(activation, name)()
    output = function(x)  # noqa: F841 - records x, and its output while that lives
    gy = laid_out(special_values(rng, shape, dtype)[::-1].copy(), layout)

    gx, gx_plain = with_and_without_kernels(lambda: function.backward_arrays(gy))
    np.testing.assert_array_equal(gx, gx_plain)
    np.testing.assert_array_equal(np.signbit(gx), np.signbit(gx_plain))
    assert gx.dtype == dtype and gx.strides == gx_plain.strides


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("shape", "layout"), LAYOUTS)
def test_relu_equals_numpys_maximum_to_the_bit(rng, dtype, shape, layout):
    x = laid_out(special_values(rng, shape, dtype), layout)
    y, y_plain = with_and_without_kernels(lambda: activation.ReLU().forward(x))
    np.testing.assert_array_equal(y.view(f"i{y.itemsize}"), y_plain.view(f"i{y.itemsize}"))
    assert y.strides == y_plain.strides and y.dtype == dtype


@pytest.mark.parametrize("layout", ["c", "channel_major"])
def test_activation_kernels_keep_the_layout_of_the_gradient(rng, layout):
    x = laid_out(rng.normal(size=(3, 4, 5, 2)).astype(np.float32), layout)
    gy = laid_out(rng.normal(size=(3, 4, 5, 2)).astype(np.float32), layout)
    gx = activation.compiled_elementwise("relu_backward", (gy, x), np.float32(0))
    assert gx.strides == gy.strides
    np.testing.assert_array_equal(gx, gy * (x > 0))
    other_layout = (gy, x[:, :, :, :1])
    assert activation.compiled_elementwise("relu_backward", other_layout, np.float32(0)) is None
