"""Array transforms: each maps a batch (first axis = samples) to a batch."""

import numpy as np
import pytest

from scratchdl.utils.data.transforms import Compose, Flatten, Normalize, OneHot, ToFloat


def test_to_float_scales_uint8_to_unit_interval():
    out = ToFloat()(np.array([[0, 51, 255]], dtype=np.uint8))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0.0, 0.2, 1.0]])


def test_to_float_casts_other_dtypes_unscaled():
    out = ToFloat()(np.array([[2.5]], dtype=np.float64))
    assert out.dtype == np.float32 and out[0, 0] == 2.5


def test_normalize_scalar():
    out = Normalize(1.0, 2.0)(np.array([[1.0, 3.0]], dtype=np.float32))
    np.testing.assert_allclose(out, [[0.0, 1.0]])
    assert out.dtype == np.float32


def test_normalize_per_channel_uses_axis_1():
    x = np.ones((2, 3, 2, 2), dtype=np.float32) * np.array([1, 2, 3]).reshape(1, 3, 1, 1)
    out = Normalize([1, 2, 3], [1, 2, 4])(x)
    np.testing.assert_allclose(out, 0.0)


def test_normalize_errors():
    with pytest.raises(ValueError, match="std must be positive"):
        Normalize(0.0, [1.0, 0.0])
    with pytest.raises(ValueError, match="mean must be a number or a 1-d sequence"):
        Normalize([[0.0]], 1.0)
    with pytest.raises(ValueError, match=r"3 per-channel values need a batch \(N, 3, \.\.\.\)"):
        Normalize([0, 0, 0], [1, 1, 1])(np.zeros((2, 1, 4, 4)))


def test_flatten_keeps_the_sample_axis():
    assert Flatten()(np.zeros((5, 1, 28, 28))).shape == (5, 784)


def test_one_hot():
    out = OneHot(3)(np.array([2, 0]))
    np.testing.assert_array_equal(out, [[0, 0, 1], [1, 0, 0]])
    assert out.dtype == np.float32


def test_one_hot_errors():
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\), got values from 0 to 3"):
        OneHot(3)(np.array([0, 3]))
    with pytest.raises(ValueError, match="integer class indices"):
        OneHot(3)(np.array([0.5]))
    with pytest.raises(ValueError, match="num_classes must be positive"):
        OneHot(0)
    with pytest.raises(ValueError, match="num_classes must be an int, got True"):
        OneHot(True)


def test_compose_applies_in_order():
    transform = Compose([ToFloat(), Normalize(0.5, 0.5), Flatten()])
    out = transform(np.full((2, 1, 2, 2), 255, dtype=np.uint8))
    np.testing.assert_allclose(out, np.ones((2, 4)))
    assert "ToFloat()" in repr(transform)


def test_compose_rejects_non_callables():
    with pytest.raises(TypeError, match="must be callable"):
        Compose([Flatten(), 3])
