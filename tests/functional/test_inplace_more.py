"""lerp_, addcmul_, addcdiv_, pow_, clamp_min_, clamp_max_, squeeze_, unsqueeze_: values
and version counters as torch, recorded in the graph as torch, refused on a leaf that
requires grad; and the Tensor helpers type_as, new_*, nbytes, itemsize against torch."""

import numpy as np
import pytest

import scratchdl as sd

X = np.array([[1.0, 2.0, 3.0], [4.0, 0.5, 1.5]], dtype=np.float32)
Y = np.array([0.5, -1.0, 2.0], dtype=np.float32)

INPLACE = {
    "lerp_": lambda t, y: t.lerp_(y, 0.25),
    "lerp_-tensor-weight": lambda t, y: t.lerp_(y, y.abs() / 2),
    "addcmul_": lambda t, y: t.addcmul_(y, y, value=-2),
    "addcdiv_": lambda t, y: t.addcdiv_(y, y + 3, value=0.5),
    "pow_": lambda t, y: t.pow_(2),
    "pow_-tensor": lambda t, y: t.pow_(y),
    "clamp_min_": lambda t, y: t.clamp_min_(1.5),
    "clamp_max_": lambda t, y: t.clamp_max_(2.5),
    "squeeze_": lambda t, y: t.squeeze_(),
    "squeeze_-dim": lambda t, y: t.unsqueeze(1).squeeze_(1),
    "unsqueeze_": lambda t, y: t.unsqueeze_(0),
}


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_values_and_version_follow_torch(torch, name):
    ours, theirs = sd.tensor(X), torch.tensor(X)
    result, expected = INPLACE[name](ours, sd.tensor(Y)), INPLACE[name](theirs, torch.tensor(Y))
    np.testing.assert_allclose(result.numpy(), expected.numpy(), rtol=1e-6)
    assert tuple(result.shape) == tuple(expected.shape)
    if name != "squeeze_-dim":  # that one changes a new tensor, not ``ours``
        assert result is ours and ours._version == theirs._version == 1


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_is_recorded_in_the_graph_as_in_torch(torch, name):
    a, b = sd.tensor(X.astype("f8"), requires_grad=True), sd.tensor(Y.astype("f8"))
    ta, tb = torch.tensor(X.astype("f8"), requires_grad=True), torch.tensor(Y.astype("f8"))
    y, expected = a * 1, ta * 1
    INPLACE[name](y, b)
    INPLACE[name](expected, tb)
    (y * y).sum().backward()
    (expected * expected).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", [name for name in INPLACE if name != "squeeze_-dim"])
def test_inplace_is_refused_on_a_leaf_that_requires_grad(torch, name):
    leaf = sd.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf"):
        INPLACE[name](leaf, sd.tensor(Y))
    with pytest.raises(RuntimeError, match="leaf"):
        INPLACE[name](torch.tensor(X, requires_grad=True), torch.tensor(Y))
    with sd.no_grad():  # what a hand-written optimizer does
        INPLACE[name](leaf, sd.tensor(Y))
    assert leaf.requires_grad and leaf.is_leaf


def test_a_hand_written_adam_step_matches_torch(torch):
    ours, theirs = sd.tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    grad = np.array([[0.1, -0.2, 0.3], [0.0, 1.0, -1.0]], dtype=np.float32)
    for p, g, lib in [(ours, sd.tensor(grad), sd), (theirs, torch.tensor(grad), torch)]:
        m, v = lib.zeros_like(p), lib.zeros_like(p)
        with lib.no_grad():
            m.mul_(0.9).add_(g, alpha=0.1)
            v.mul_(0.999).addcmul_(g, g, value=0.001)
            p.addcdiv_(m, v.sqrt().add_(1e-8), value=-0.01)
            p.clamp_min_(1.0).lerp_(p * 2, 0.1)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6)


def test_changing_a_saved_tensor_in_place_makes_backward_raise(torch):
    a = sd.tensor(Y, requires_grad=True)
    b = a * 1
    y = b.exp()  # saves its output... and b.pow(2) saves b
    z = b.pow(2)
    b.pow_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()
    assert y.requires_grad


def test_squeeze_and_unsqueeze_in_place_keep_the_array_and_errors(torch):
    t = sd.ones(2, 1, 3)
    t.squeeze_()
    assert t.shape == (2, 3) and t._version == 1
    t.unsqueeze_(-1)
    assert t.shape == (2, 3, 1) and t._version == 2
    with pytest.raises(IndexError):
        t.unsqueeze_(5)
    with pytest.raises(IndexError):
        torch.ones(2, 3, 1).unsqueeze_(5)
    assert t.shape == (2, 3, 1) and t._version == 2


def test_inplace_cannot_grow_the_tensor(torch):
    with pytest.raises(RuntimeError, match=r"output with shape \[1\]"):
        torch.ones(1).lerp_(torch.ones(3), 0.5)
    t = sd.ones(1)
    with pytest.raises(RuntimeError, match=r"output with shape \[1\] doesn't match"):
        t.lerp_(sd.ones(3), 0.5)
    with pytest.raises(RuntimeError, match="output with shape"):
        t.pow_(sd.ones(2))
    assert t.tolist() == [1.0] and t._version == 0


def test_integer_inplace_follows_torch_casting(torch):
    for lib in (sd, torch):
        i = lib.tensor([3, -4])
        i.pow_(2)
        i.addcmul_(i, i, value=0.5)  # the value truncated to 0, as torch
        assert i.tolist() == [9, 16]
        with pytest.raises(RuntimeError, match="can't be cast"):
            i.pow_(0.5)


# ------------------------------------------------------------- Tensor helpers
NEW = {
    "new_zeros": lambda t: t.new_zeros(2, 3),
    "new_zeros-tuple": lambda t: t.new_zeros((2, 3)),
    "new_zeros-0d": lambda t: t.new_zeros([]),
    "new_ones": lambda t: t.new_ones(2),
    "new_ones-dtype": lambda t, lib: t.new_ones((2,), dtype=lib.float64),
    "new_empty-shape": lambda t: t.new_empty(2, 3).zero_(),
    "new_full": lambda t: t.new_full((2,), 1.5),
    "new_tensor": lambda t: t.new_tensor([1.5, 2.0]),
    "new_tensor-dtype": lambda t, lib: t.new_tensor([1.5, 2.0], dtype=lib.float64),
    "type_as-float": lambda t, lib: t.type_as(lib.ones(1)),
    "type_as-long": lambda t, lib: t.type_as(lib.ones(1, dtype=lib.int64)),
}


def _apply(function, t, lib):
    return function(t, lib) if function.__code__.co_argcount == 2 else function(t)


@pytest.mark.parametrize("dtype", ["int64", "float32", "bool"])
@pytest.mark.parametrize("name", NEW)
def test_new_tensors_take_selfs_dtype_as_torch(torch, name, dtype):
    source = np.array([1, 0, 2]).astype(dtype)
    ours = _apply(NEW[name], sd.tensor(source), sd)
    theirs = _apply(NEW[name], torch.tensor(source), torch)
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    assert ours.tolist() == theirs.tolist()
    assert ours.device == sd.tensor(source).device and not ours.requires_grad


def test_new_tensors_options_follow_torch(torch):
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    made = x.new_ones(2, requires_grad=True)
    assert made.requires_grad and made.is_leaf
    copied = x.new_tensor(x)
    assert not copied.requires_grad and copied.is_leaf
    copied.data[0] = 5.0
    assert x.tolist() == [1.0, 2.0]
    assert x.new_zeros(2, device="cpu").device == sd.device("cpu")
    with pytest.raises(TypeError, match="size"):
        x.new_full(2, 3.0)
    with pytest.raises(TypeError):
        torch.ones(1).new_full(2, 3.0)


@pytest.mark.parametrize("dtype", ["bool", "int32", "int64", "float16", "float64"])
def test_nbytes_and_itemsize_follow_torch(torch, dtype):
    ours = sd.zeros(2, 3, dtype=getattr(sd, dtype)).expand(4, 2, 3)
    theirs = torch.zeros(2, 3, dtype=getattr(torch, dtype)).expand(4, 2, 3)
    assert (ours.nbytes, ours.itemsize) == (theirs.nbytes, theirs.itemsize)


def test_type_as_keeps_the_graph(torch):
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    y = x.type_as(sd.zeros(1, dtype=sd.float64))
    assert y.dtype == sd.float64
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
    assert x.type_as(x) is x


def test_the_saved_output_of_an_inplace_operation_is_guarded(torch):
    a = sd.tensor(Y.astype("f8"), requires_grad=True)
    y = (a * 1).clamp_min_(0.0)  # Clamp reads its output, now y at version 1
    y.sum().backward()
    assert a.grad.tolist() == [1.0, 0.0, 1.0]
    y = (a * 1).clamp_min_(0.0)
    with sd.no_grad():
        y.mul_(2)  # written into the array Clamp's backward reads
    with pytest.raises(RuntimeError, match="Clamp's output"):
        y.sum().backward()
