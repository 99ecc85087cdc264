"""nn.init: gains equal torch's, fans follow our layouts, draws have the right statistics."""

import math

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import nn
from scratchdl.nn import init


@pytest.mark.parametrize(
    ("nonlinearity", "param"),
    [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
     ("leaky_relu", None), ("leaky_relu", 0.2), ("selu", None)],
)  # fmt: skip
def test_calculate_gain_matches_torch(torch, nonlinearity, param):
    expected = torch.nn.init.calculate_gain(nonlinearity, param)
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(expected, rel=1e-12)


def test_calculate_gain_rejects_unknown_names():
    with pytest.raises(ValueError, match="calculate_gain: unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")


def test_fans_follow_torchs_layouts():
    linear_weight = sd.tensor(np.zeros((100, 784)))  # (out_features, in_features)
    assert init.calculate_fan_in_and_fan_out(linear_weight) == (784, 100)
    conv_weight = sd.tensor(np.zeros((16, 3, 5, 5)))  # (OC, C, KH, KW)
    assert init.calculate_fan_in_and_fan_out(conv_weight) == (75, 400)
    with pytest.raises(ValueError, match="at least 2 axes, got shape \\(3,\\)"):
        init.calculate_fan_in_and_fan_out(sd.tensor(np.zeros(3)))


def big_weight(shape=(600, 400)):  # fan_in 400, fan_out 600
    return nn.Parameter(np.zeros(shape, dtype=np.float32))


@pytest.mark.parametrize(
    ("fill", "expected_std"),
    [
        (lambda w: init.xavier_uniform_(w), math.sqrt(2 / 1000)),
        (lambda w: init.xavier_normal_(w, gain=2.0), 2 * math.sqrt(2 / 1000)),
        (lambda w: init.kaiming_uniform_(w), math.sqrt(2 / 400)),
        (lambda w: init.kaiming_normal_(w, mode="fan_out"), math.sqrt(2 / 600)),
        (lambda w: init.kaiming_normal_(w, a=1.0), math.sqrt(1 / 400)),
        (lambda w: init.kaiming_normal_(w, nonlinearity="tanh"), 5 / 3 / math.sqrt(400)),
        (lambda w: init.normal_(w, 1.0, 0.5), 0.5),
        (lambda w: init.uniform_(w, -2.0, 2.0), 4 / math.sqrt(12)),
    ],
)
def test_draws_have_the_expected_std(fill, expected_std):
    weight = big_weight()
    array = weight.data
    assert fill(weight) is weight
    assert weight.data is array and array.dtype == np.float32
    assert array.std() == pytest.approx(expected_std, rel=0.02)


def test_uniform_bounds_and_normal_mean():
    weight = big_weight()
    init.xavier_uniform_(weight)
    assert np.abs(weight.data).max() <= math.sqrt(6 / 1000)
    init.normal_(weight, mean=3.0)
    assert weight.data.mean() == pytest.approx(3.0, abs=0.01)


def test_constant_fills():
    weight = big_weight((2, 3))
    np.testing.assert_array_equal(init.ones_(weight).data, np.ones((2, 3)))
    np.testing.assert_array_equal(init.zeros_(weight).data, np.zeros((2, 3)))
    np.testing.assert_array_equal(init.constant_(weight, 0.5).data, np.full((2, 3), 0.5))


def test_draws_follow_manual_seed():
    first, second = big_weight((3, 3)), big_weight((3, 3))
    sd.manual_seed(5)
    init.kaiming_normal_(first)
    sd.manual_seed(5)
    init.kaiming_normal_(second)
    np.testing.assert_array_equal(first.data, second.data)


def test_bad_arguments_are_explained():
    with pytest.raises(TypeError, match="uniform_: expected a Tensor or Parameter, got ndarray"):
        init.uniform_(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="kaiming_normal_: mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_normal_(big_weight(), mode="fan_avg")
