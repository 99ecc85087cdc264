"""The Tensor API against PyTorch itself: dtype inference and promotion, the methods that
carry no gradient, in-place operations, factories, and the errors torch raises.

The differentiable functions are checked value and gradient in tests/functional (the
table in cases.py); here each check runs the same expression on both libraries."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import scratchdl as sd

DTYPES = ["bool", "uint8", "int32", "int64", "float32", "float64"]
PYTHON_NUMBERS = [True, 3, 2.5]


def both(torch, array):
    """The same data as a scratchdl tensor and a torch tensor."""
    return sd.from_numpy(array.copy()), torch.from_numpy(array.copy())


def sample(dtype, shape=(2, 3), seed=0):
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 5, shape) if dtype != "bool" else rng.integers(0, 2, shape)
    return values.astype(dtype)


def same(ours, theirs):
    """Our result equals torch's: values, dtype (by name) and shape."""
    theirs_numpy = theirs.detach().numpy() if hasattr(theirs, "detach") else np.asarray(theirs)
    ours_numpy = ours.numpy() if isinstance(ours, sd.Tensor) else np.asarray(ours)
    assert str(ours_numpy.dtype) == str(theirs_numpy.dtype)
    np.testing.assert_allclose(ours_numpy, theirs_numpy, rtol=1e-6, equal_nan=True)


@pytest.mark.parametrize(
    "data",
    [[1, 2], [1.0, 2.0], [True, False], [1, 2.5], 3, 2.5, True, [[1, 2], [3, 4]],
     np.array([1, 2], np.int32), np.array([1.0], np.float64), np.float64(2.0), np.int16(3)],
    ids=repr,
)  # fmt: skip
def test_tensor_infers_the_dtype_torch_infers(torch, data):
    assert str(sd.tensor(data).dtype) == str(torch.tensor(data).dtype).removeprefix("torch.")
    assert sd.Tensor([1, 2]).dtype == np.float32 and torch.Tensor([1, 2]).dtype == torch.float32


@pytest.mark.parametrize(("left", "right"), list(itertools.product(DTYPES, DTYPES)))
@pytest.mark.parametrize("op", ["add", "mul", "truediv"])
def test_tensor_tensor_promotion(torch, left, right, op):
    a_ours, a_theirs = both(torch, sample(left))
    b_ours, b_theirs = both(torch, sample(right, (3,), seed=1))
    function = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "truediv": lambda a, b: a / b}
    if left == right == "bool" and op != "truediv":
        return  # torch's bool + bool is bool (logical or); NumPy agrees
    same(function[op](a_ours, b_ours), function[op](a_theirs, b_theirs))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("number", PYTHON_NUMBERS, ids=repr)
def test_python_numbers_promote_as_in_torch(torch, dtype, number):
    a_ours, a_theirs = both(torch, sample(dtype))
    if dtype == "bool" and number is True:
        return
    same(a_ours * number, a_theirs * number)
    same(a_ours / number, a_theirs / number)
    if dtype != "bool" and number is not True:  # torch refuses subtraction with bools
        same(number - a_ours, number - a_theirs)


@pytest.mark.parametrize("dtype", DTYPES[1:])
def test_zero_dimensional_tensors_promote_as_in_torch(torch, dtype):
    a_ours, a_theirs = both(torch, sample("float32"))
    b_ours, b_theirs = both(torch, np.array(2, dtype=dtype))
    same(a_ours * b_ours, a_theirs * b_theirs)
    i_ours, i_theirs = both(torch, sample("int32"))
    same(i_ours * b_ours, i_theirs * b_theirs)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reduction_dtypes_follow_torch(torch, dtype):
    ours, theirs = both(torch, sample(dtype))
    same(ours.sum(), theirs.sum())
    same(ours.sum(dim=0), theirs.sum(dim=0))
    same(ours.prod(1), theirs.prod(1))
    if dtype != "bool":  # torch has no argmax of bools
        same(ours.argmax(), theirs.argmax())
        same(ours.argmin(dim=1, keepdim=True), theirs.argmin(dim=1, keepdim=True))
    same(ours.amax(dim=0), theirs.amax(dim=0))
    values, indices = ours.max(dim=1)
    same(values, theirs.max(dim=1).values)
    same(indices, theirs.max(dim=1).indices)
    same(ours.min(), theirs.min())
    same(ours.all(), theirs.all())
    same(ours.any(dim=1), theirs.any(dim=1))
    if dtype.startswith("float"):
        same(ours.mean(), theirs.mean())
        same(ours.std(dim=1), theirs.std(dim=1))
    else:
        with pytest.raises(RuntimeError, match="mean"):
            ours.mean()


@pytest.mark.parametrize(
    "expression",
    [
        lambda t, x: x.eq(2), lambda t, x: x.ne(x.t().t()), lambda t, x: x.lt(2.5),
        lambda t, x: x.le(2), lambda t, x: x.gt(1), lambda t, x: x.ge(3), lambda t, x: x == 2,
        lambda t, x: (x > 1) & (x < 4), lambda t, x: (x > 3) | (x < 2), lambda t, x: ~(x > 2),
        lambda t, x: (x > 1) ^ (x > 2), lambda t, x: x.sign(), lambda t, x: (x * 0.7).floor(),
        lambda t, x: (x * 0.7).ceil(), lambda t, x: (x * 0.3).round(), lambda t, x: x // 2,
        lambda t, x: x % 3, lambda t, x: -x % 3, lambda t, x: x.div(3, rounding_mode="floor"),
        lambda t, x: x.div(-3, rounding_mode="trunc"), lambda t, x: (x / 0).isinf(),
        lambda t, x: (x * float("nan")).isnan(), lambda t, x: x.isfinite(),
        lambda t, x: t.where(x > 2, x, -x), lambda t, x: t.where(x > 2)[1],
        lambda t, x: x.masked_fill(x > 2, 0), lambda t, x: x.clamp(2, 3),
        lambda t, x: t.maximum(x, x.flip(0)) if hasattr(x, "flip") else t.maximum(x, x[::-1]),
        lambda t, x: x.chunk(2, dim=1)[1], lambda t, x: x.split(2, dim=1)[-1],
        lambda t, x: x.unbind(1)[2], lambda t, x: x.repeat(2, 1), lambda t, x: x.expand(2, 2, 3),
        lambda t, x: x.view(3, 2), lambda t, x: x.view(-1), lambda t, x: x.reshape(1, 6),
        lambda t, x: x.unsqueeze(1), lambda t, x: x.flatten(), lambda t, x: x.T,
        lambda t, x: x.transpose(0, 1), lambda t, x: x.permute(1, 0),
        lambda t, x: x[:, 1], lambda t, x: x[x > 2], lambda t, x: x[[1, 0]],
        lambda t, x: t.cat([x, x], dim=1), lambda t, x: t.stack([x, x], dim=0),
        lambda t, x: t.flatten(t.stack([x, x]), 1), lambda t, x: t.squeeze(x.unsqueeze(0), 0),
        lambda t, x: x.gather(1, t.tensor([[0, 2], [1, 1]])), lambda t, x: x.long() * 2,
        lambda t, x: x.to(t.float64), lambda t, x: x.int(), lambda t, x: x.bool(),
        lambda t, x: t.nn.functional.one_hot(x.long() - 1, 5),
    ],
)  # fmt: skip
def test_methods_match_torch(torch, expression):
    array = np.array([[1.0, 2.0, 3.0], [4.0, 2.0, 1.0]], dtype=np.float32)
    ours, theirs = both(torch, array)
    result, expected = expression(sd, ours), expression(torch, theirs)
    same(result, expected)


def test_size_type_item_and_lists_match_torch(torch):
    ours, theirs = both(torch, np.arange(6, dtype=np.int64).reshape(2, 3))
    assert tuple(ours.size()) == tuple(theirs.size()) and ours.size(-1) == theirs.size(-1)
    assert ours.type() == theirs.type() and ours.float().type() == theirs.float().type()
    assert (ours.dim(), ours.numel(), ours.element_size()) == (
        theirs.dim(), theirs.numel(), theirs.element_size(),
    )  # fmt: skip
    assert ours.tolist() == theirs.tolist() and ours[1, 2].item() == theirs[1, 2].item()
    assert ours.is_floating_point() == theirs.is_floating_point()
    assert sd.Size([2, 3]).numel() == torch.Size([2, 3]).numel()


@pytest.mark.parametrize(
    "update",
    [
        lambda t, x: x.add_(1), lambda t, x: x.sub_(x, alpha=0.5), lambda t, x: x.mul_(2),
        lambda t, x: x.div_(4), lambda t, x: x.clamp_(0.5, 2), lambda t, x: x.zero_(),
        lambda t, x: x.fill_(7), lambda t, x: x.copy_(t.ones(3)),
        lambda t, x: x.masked_fill_(x > 1, -1), lambda t, x: x.__iadd__(t.ones(3)),
        lambda t, x: x.__setitem__(x > 1, 0.0), lambda t, x: x.__setitem__((0, slice(1, None)), 5),
    ],
)  # fmt: skip
def test_in_place_updates_match_torch_and_keep_the_array(torch, update):
    array = np.array([[1.0, 2.0, 3.0], [0.5, 1.5, 2.5]], dtype=np.float32)
    ours, theirs = both(torch, array)
    storage = ours.data
    update(sd, ours)
    update(torch, theirs)
    same(ours, theirs)
    assert ours.data is storage and ours._version == 1


def test_in_place_changes_inside_a_graph_are_recorded(torch):
    ours_w, theirs_w = (lib.tensor([1.0, 2.0, 3.0], requires_grad=True) for lib in (sd, torch))
    results = []
    for lib, w in ((sd, ours_w), (torch, theirs_w)):
        y = w * 2
        y += w  # an in-place add on a non-leaf: recorded
        y[0] = 10.0  # and an index assignment
        y.mul_(w)
        (y * lib.tensor([1.0, 2.0, 3.0])).sum().backward()
        results.append((y.detach(), w.grad))
    same(results[0][0], results[1][0])
    same(results[0][1], results[1][1])


def test_in_place_change_of_a_leaf_that_requires_grad_is_refused(torch):
    for lib in (sd, torch):
        w = lib.ones(2, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf"):
            w.add_(1)
        with lib.no_grad():
            w -= 0.5  # the manual SGD step of the tutorials
        assert w.requires_grad and w.is_leaf and w.tolist() == [0.5, 0.5]


def scale_the_data(w):
    w.data *= 10  # NumPy scales the array, then Python assigns it back to .data


def take_an_optimizer_step(w):
    w.grad = sd.ones(2)
    sd.optim.SGD([w], lr=0.1).step()


def change_it_without_recording(w):
    with sd.no_grad():
        w.mul_(2)


@pytest.mark.parametrize(
    "modify", [scale_the_data, take_an_optimizer_step, change_it_without_recording]
)
def test_a_saved_tensor_changed_in_place_makes_backward_raise(modify):
    w = sd.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    modify(w)
    with pytest.raises(RuntimeError, match="modified by an inplace operation: Mul's input 0"):
        loss.backward()


def test_a_modified_output_needed_by_backward_raises(torch):
    for lib in (sd, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        with lib.no_grad():
            y.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t.zeros(2, 3), lambda t: t.ones((2, 3), dtype=t.float64),
        lambda t: t.empty(4).dtype,
        lambda t: t.full((2,), 7), lambda t: t.full((2,), 1.5), lambda t: t.full((2,), True),
        lambda t: t.zeros_like(t.ones(2, dtype=t.int64)), lambda t: t.ones_like(t.ones(3)),
        lambda t: t.full_like(t.ones(2), 3), lambda t: t.arange(5), lambda t: t.arange(1, 4, 0.5),
        lambda t: t.arange(0, 10, 3), lambda t: t.linspace(0, 1, 5), lambda t: t.eye(3),
        lambda t: t.eye(2, 3), lambda t: t.randn(2, 3).shape, lambda t: t.rand(4).dtype,
        lambda t: t.randint(0, 10, (3,)).dtype, lambda t: t.randint(5, (2, 2)).shape,
        lambda t: t.randperm(6).sort().values if hasattr(t.randperm(6), "sort") else t.arange(6),
        lambda t: t.tensor(3.5), lambda t: t.as_tensor([1, 2]), lambda t: t.from_numpy(np.ones(2)),
    ],
)  # fmt: skip
def test_factories_match_torch(torch, make):
    ours, theirs = make(sd), make(torch)
    if isinstance(theirs, torch.Tensor):
        same(ours, theirs)
    else:
        assert str(ours).removeprefix("scratchdl.") == str(theirs).removeprefix("torch.")


def test_random_factories_follow_manual_seed():
    sd.manual_seed(4)
    first = (sd.randn(3), sd.rand(2), sd.randint(0, 9, (4,)), sd.randperm(5))
    sd.manual_seed(4)
    second = (sd.randn(3), sd.rand(2), sd.randint(0, 9, (4,)), sd.randperm(5))
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    generator = sd.Generator().manual_seed(1)
    np.testing.assert_array_equal(
        sd.randn(3, generator=generator).numpy(),
        sd.randn(3, generator=sd.Generator().manual_seed(1)).numpy(),
    )


def test_devices_as_on_a_machine_without_cuda(torch):
    assert sd.cuda.is_available() is False and sd.accelerator.is_available() is False
    assert sd.accelerator.current_accelerator() is None
    assert str(sd.device("cuda:1")) == str(torch.device("cuda:1"))
    assert repr(sd.device("cpu")) == repr(torch.device("cpu"))
    assert sd.device("cuda", 0).index == 0 and sd.device("cpu") == "cpu"
    x = sd.ones(2)
    assert x.device == sd.device("cpu") and x.to("cpu") is x and x.cpu() is x
    assert sd.zeros(2, device="cpu").device.type == "cpu"
    with pytest.raises(RuntimeError, match="cuda:0: CUDA is not available"):
        x.to("cuda:0")
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        sd.nn.Linear(2, 2).cuda()
    with pytest.raises(RuntimeError, match="unknown device type 'tpu'"):
        sd.device("tpu")


def test_grad_modes(torch):
    x = sd.ones(2, requires_grad=True)
    with sd.inference_mode():
        assert not (x * 2).requires_grad
    with sd.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad
    sd.set_grad_enabled(False)
    assert not sd.is_grad_enabled()
    sd.set_grad_enabled(True)
    assert sd.is_grad_enabled() and sd.is_tensor(x) and not sd.is_tensor(np.ones(2))
