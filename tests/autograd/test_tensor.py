"""Tensor: creation and dtype rules, attributes, conversions, operators and comparisons.

The behaviour is PyTorch's; tests/autograd/test_torch_api.py checks it against torch."""

import copy

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import Tensor


@pytest.mark.parametrize(
    ("data", "dtype"),
    [
        ([1.0, 2.0], np.float32),  # Python floats: float32, as in PyTorch
        ([1, 2], np.int64),  # Python ints: int64
        ([True, False], np.bool_),
        ([1, 2.5], np.float32),
        (np.array([1, 2], dtype=np.int32), np.int32),  # NumPy data keeps its dtype
        (np.array([1.0], dtype=np.float16), np.float16),
        (np.array([1.0], dtype=np.float64), np.float64),
        (np.float64(3.0), np.float64),
        (2.5, np.float32),
        (3, np.int64),
        (1 + 2j, np.complex64),
    ],
)
def test_tensor_dtype_rule(data, dtype):
    assert sd.tensor(data).dtype == dtype


def test_tensor_copies_and_explicit_dtype():
    source = np.zeros(3)
    x = sd.tensor(source, dtype="int64")
    source[0] = 5
    assert x.dtype == np.int64 and x.data[0] == 0
    assert sd.tensor([1, 2], dtype=sd.float64).dtype == np.float64


def test_legacy_constructor_is_float32():
    assert Tensor([1, 2]).dtype == np.float32
    assert Tensor(np.array([1, 2], dtype=np.int64)).tolist() == [1.0, 2.0]
    assert Tensor(2, 3).shape == (2, 3) and Tensor(2, 3).dtype == np.float32
    assert Tensor().shape == (0,)


def test_from_numpy_and_as_tensor_share_memory():
    labels = np.array([3, 1], dtype=np.int64)
    assert sd.from_numpy(labels).data is labels
    assert sd.as_tensor(labels).data is labels
    x = sd.tensor([1.0])
    assert sd.as_tensor(x) is x
    with pytest.raises(TypeError, match=r"numpy\.ndarray"):
        sd.from_numpy([1, 2])


@pytest.mark.parametrize("bad", [["a", "b"], {"x": 1}])
def test_non_numeric_data_raises(bad):
    with pytest.raises(TypeError, match="numeric"):
        sd.tensor(bad)


def test_integer_tensor_cannot_require_grad():
    with pytest.raises(RuntimeError, match="floating-point"):
        sd.tensor([1, 2], requires_grad=True)


def test_attributes_and_conversions():
    x = sd.tensor(np.arange(6.0).reshape(2, 3))
    assert (x.shape, x.ndim, x.numel(), len(x), x.dim()) == ((2, 3), 2, 6, 2, 2)
    assert x.size() == (2, 3) and x.size(1) == 3 and x.size(-1) == 3
    assert isinstance(x.numpy(), np.ndarray)
    assert x.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert sd.tensor([[7.0]]).item() == 7.0
    assert np.asarray(x).shape == (2, 3)
    with pytest.raises(ValueError, match="6 elements cannot be converted"):
        x.item()
    with pytest.raises(TypeError, match="0-d"):
        len(sd.tensor(1.0))
    with pytest.raises(IndexError, match="dimension 2 is out of range"):
        x.size(2)


def test_python_protocols():
    assert float(sd.tensor(2.5)) == 2.5 and int(sd.tensor(3)) == 3
    assert [10, 20, 30][sd.tensor(1)] == 20  # __index__ on an integer scalar
    assert f"{sd.tensor(0.123456):.3f}" == "0.123"
    assert [t.tolist() for t in sd.tensor([[1, 2], [3, 4]])] == [[1, 2], [3, 4]]
    assert 2 in sd.tensor([1, 2])
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(sd.tensor([1, 2]))
    with pytest.raises(TypeError, match="integer tensors"):
        [1, 2][sd.tensor(1.0)]


def test_detach_shares_data_and_cuts_the_graph():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).detach()
    assert y.creator is None and not y.requires_grad
    assert y.is_leaf and not (x * 2).is_leaf
    assert (x * 2).grad_fn is not None


def test_repr_is_torchs():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "tensor([1., 2.], requires_grad=True)"
    assert repr(x * 2) == "tensor([2., 4.], grad_fn=<MulBackward>)"
    assert repr(sd.tensor([1.5, 2.25])) == "tensor([1.5000, 2.2500])"
    assert repr(sd.tensor([1e-5, 1e5])) == "tensor([1.0000e-05, 1.0000e+05])"
    assert repr(sd.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(sd.tensor(np.zeros(2))) == "tensor([0., 0.], dtype=scratchdl.float64)"
    assert repr(sd.tensor([-0.5, float("nan")])) == "tensor([-0.5000,     nan])"


def test_python_scalars_never_upcast_float32():
    x = sd.tensor([1.0, 2.0])
    for y in (x * 0.5, 0.5 * x, x + 1e-300, 2.0 - x, x / 3.0, 1.0 / (x + 1), x**2.0, 2.0**x):
        assert y.dtype == np.float32


def test_integer_arithmetic_follows_torch():
    i = sd.tensor([1, 2])
    assert (i * 2).dtype == np.int64 and (i * 2.5).dtype == np.float32
    assert (i / i).dtype == np.float32  # true division gives floats
    assert (i // 2).tolist() == [0, 1] and (i % 2).tolist() == [1, 0]
    assert (i + True).dtype == np.int64


def test_reflected_operators_and_numpy_operands():
    x = sd.tensor([1.0, 2.0])
    np.testing.assert_allclose((10 - x).data, [9, 8])
    np.testing.assert_allclose((np.array([1.0, 1.0], dtype=np.float32) * x).data, [1, 2])
    assert isinstance(np.ones(2, dtype=np.float32) * x, Tensor)  # NumPy defers to Tensor
    np.testing.assert_allclose((2**x).data, [2, 4])
    np.testing.assert_allclose((-x).data, [-1, -2])
    np.testing.assert_allclose(abs(-x).data, [1, 2])


def test_numpy_ufuncs_keep_the_graph_or_refuse():
    x = sd.tensor([1.0], requires_grad=True)
    y = np.exp(x)
    assert isinstance(y, Tensor) and y.requires_grad
    with pytest.raises(TypeError, match=r"numpy\.arctan on a Tensor"):
        np.arctan(x)


def test_in_place_update_of_a_raw_array_by_a_tensor():
    p = sd.tensor([1.0, 2.0], requires_grad=True)
    p.grad = sd.tensor([0.5, 0.5])
    data = p.data
    p.data -= 0.1 * p.grad  # the DeZero / old-PyTorch idiom: stays an array, in place
    assert p.data is data and isinstance(p.data, np.ndarray)
    np.testing.assert_allclose(p.data, [0.95, 1.95])


def test_comparisons_are_not_differentiable():
    x = sd.tensor([1.0, 2.0, 3.0], requires_grad=True)
    results = [x > 2, x >= 2, x < 2, x <= 2, x == 2, x != 2, x > sd.tensor(1.5), x.eq(2)]
    assert all(r.dtype == bool and not r.requires_grad for r in results)
    assert (x == 2).tolist() == [False, True, False]


def test_tensors_are_hashable_by_identity():
    a, b = sd.tensor([1.0]), sd.tensor([1.0])
    assert len({a, b}) == 2


def test_conversions_between_dtypes_are_differentiable_between_floats():
    x = sd.tensor(np.array([1.5, 2.5]), requires_grad=True)
    y = x.float()
    assert y.dtype == np.float32
    (y * y).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad.data, [3.0, 5.0])
    assert x.long().dtype == np.int64 and x.double() is x and x.to(sd.float64) is x
    assert x.type() == "torch.DoubleTensor" and sd.tensor([1]).type() == "torch.LongTensor"
    assert (
        x.type(sd.float32).dtype == np.float32 and x.type("torch.FloatTensor").dtype == np.float32
    )
    assert x.int().dtype == np.int32 and x.bool().dtype == np.bool_


def test_deepcopy_copies_leaves_and_refuses_graph_tensors():
    x = sd.tensor([1.0, 2.0], requires_grad=True)
    x.grad = sd.tensor([3.0, 4.0])
    y = copy.deepcopy(x)
    assert y.requires_grad and y.data is not x.data and y.grad.tolist() == [3.0, 4.0]
    with pytest.raises(RuntimeError, match="leaves"):
        copy.deepcopy(x * 2)


def test_tensors_refuse_pickle():
    import pickle

    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(sd.tensor([1.0]))
