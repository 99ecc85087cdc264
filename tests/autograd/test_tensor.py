"""Tensor: creation and dtype rules, attributes, conversions, operators and comparisons."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import Tensor


@pytest.mark.parametrize(
    ("data", "dtype"),
    [
        ([1.0, 2.0], np.float32),  # Python floats: float32, as in PyTorch
        ([1, 2], np.float32),
        ([True, False], np.float32),
        (np.array([1, 2], dtype=np.int64), np.float32),
        (np.array([1.0], dtype=np.float16), np.float32),
        (np.array([1.0], dtype=np.float32), np.float32),
        (np.array([1.0], dtype=np.float64), np.float64),  # NumPy float64 stays float64
        (np.float64(3.0), np.float64),
        (2.5, np.float32),
    ],
)
def test_tensor_dtype_rule(data, dtype):
    assert sd.tensor(data).dtype == dtype


def test_tensor_copies_and_explicit_dtype():
    source = np.zeros(3)
    x = sd.tensor(source, dtype="int64")
    source[0] = 5
    assert x.dtype == np.int64 and x.data[0] == 0


def test_constructor_wraps_arrays_without_copy_or_cast():
    labels = np.array([3, 1], dtype=np.int64)
    assert Tensor(labels).data is labels


@pytest.mark.parametrize("bad", [["a", "b"], {"x": 1}, np.array([1 + 2j])])
def test_non_numeric_data_raises(bad):
    with pytest.raises(TypeError, match="numeric"):
        sd.tensor(bad)


def test_integer_tensor_cannot_require_grad():
    with pytest.raises(TypeError, match="floating-point"):
        Tensor(np.array([1, 2]), requires_grad=True)


def test_attributes_and_conversions():
    x = sd.tensor(np.arange(6.0).reshape(2, 3))
    assert (x.shape, x.ndim, x.size, len(x)) == ((2, 3), 2, 6, 2)
    assert isinstance(x.numpy(), np.ndarray)
    assert x.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert sd.tensor([[7.0]]).item() == 7.0
    assert np.asarray(x).shape == (2, 3)
    with pytest.raises(ValueError, match="item: tensor has 6 elements"):
        x.item()
    with pytest.raises(TypeError, match="0-d"):
        len(sd.tensor(1.0))


def test_detach_shares_data_and_cuts_the_graph():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).detach()
    assert y.creator is None and not y.requires_grad
    assert y.is_leaf and not (x * 2).is_leaf


def test_repr_is_readable():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "tensor([1., 2.], requires_grad=True)"
    assert repr(x * 2) == "tensor([2., 4.], grad_fn=<Mul>)"
    assert "dtype=float64" in repr(sd.tensor(np.zeros(2)))


def test_python_scalars_never_upcast_float32():
    x = sd.tensor([1.0, 2.0])
    for y in (x * 0.5, 0.5 * x, x + 1e-300, 2.0 - x, x / 3.0, 1.0 / (x + 1), x**2.0, 2.0**x):
        assert y.dtype == np.float32


def test_reflected_operators_and_numpy_operands():
    x = sd.tensor([1.0, 2.0])
    np.testing.assert_allclose((10 - x).data, [9, 8])
    np.testing.assert_allclose((np.array([1.0, 1.0], dtype=np.float32) * x).data, [1, 2])
    assert isinstance(np.ones(2, dtype=np.float32) * x, Tensor)  # NumPy defers to Tensor
    np.testing.assert_allclose((2**x).data, [2, 4])
    np.testing.assert_allclose((-x).data, [-1, -2])
    np.testing.assert_allclose(abs(-x).data, [1, 2])


def test_numpy_ufuncs_refuse_tensors_instead_of_dropping_the_graph():
    with pytest.raises(TypeError):
        np.exp(sd.tensor([1.0]))


def test_comparisons_are_not_differentiable():
    x = sd.tensor([1.0, 2.0, 3.0], requires_grad=True)
    results = [x > 2, x >= 2, x < 2, x <= 2, x == 2, x != 2, x > sd.tensor(1.5)]
    assert all(r.dtype == bool and not r.requires_grad for r in results)
    assert (x == 2).tolist() == [False, True, False]


def test_tensors_are_hashable_by_identity():
    a, b = sd.tensor([1.0]), sd.tensor([1.0])
    assert len({a, b}) == 2


def test_astype_is_differentiable_between_floats():
    x = sd.tensor(np.array([1.5, 2.5]), requires_grad=True)
    y = x.astype(np.float32)
    assert y.dtype == np.float32
    (y * y).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad.data, [3.0, 5.0])
    assert x.astype(np.int64).dtype == np.int64 and x.astype(np.float64) is x
