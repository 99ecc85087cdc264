"""Ready-made networks: TwoLayerNet and MLP."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.nn as nn
from scratchdl.models import MLP, TwoLayerNet


def test_two_layer_net_has_the_books_parameters():
    net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
    shapes = {name: array.shape for name, array in net.state_dict().items()}
    assert shapes == {
        "fc1.weight": (50, 784),
        "fc1.bias": (50,),
        "fc2.weight": (10, 50),
        "fc2.bias": (10,),
    }
    assert isinstance(net, nn.Module) and not hasattr(net, "compile")  # PyTorch style


def test_two_layer_net_is_affine_relu_affine_on_flattened_images(rng):
    net = TwoLayerNet(input_size=12, hidden_size=5, output_size=3)
    images = rng.standard_normal((4, 1, 3, 4)).astype(np.float32)
    x = images.reshape(4, 12)
    hidden = np.maximum(x @ net.fc1.weight.data.T + net.fc1.bias.data, 0)
    expected = hidden @ net.fc2.weight.data.T + net.fc2.bias.data
    np.testing.assert_allclose(net(sd.tensor(images)).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_two_layer_net_weight_init_std_is_the_books_gaussian():
    net = TwoLayerNet(input_size=400, hidden_size=300, weight_init_std=0.01)
    assert net.fc1.weight.data.std() == pytest.approx(0.01, rel=0.02)
    assert not net.fc1.bias.data.any() and not net.fc2.bias.data.any()


def test_mlp_layers_follow_the_sizes():
    model = MLP([784, 512, 256, 10], activation="tanh", dropout=0.2)
    assert type(model).__mro__[1] is nn.Sequential  # a plain nn.Sequential, PyTorch style
    kinds = [type(layer).__name__ for layer in model]
    assert kinds == [
        "Flatten",
        "Linear", "Tanh", "Dropout",
        "Linear", "Tanh", "Dropout",
        "Linear",
    ]  # fmt: skip
    assert [layer.weight.shape for layer in model if isinstance(layer, nn.Linear)] == [
        (512, 784),
        (256, 512),
        (10, 256),
    ]
    assert model(sd.tensor(np.zeros((2, 1, 28, 28)))).shape == (2, 10)


@pytest.mark.parametrize(
    "activation", ["relu", "sigmoid", "tanh", "leaky_relu", "gelu", "identity"]
)
def test_mlp_accepts_every_activation_name(activation):
    assert MLP([3, 4, 2], activation=activation)(sd.tensor(np.ones((1, 3)))).shape == (1, 2)


def test_mlp_batchnorm_follows_each_hidden_linear_layer():
    model = MLP([6, 5, 4, 3], dropout=0.1, batchnorm=True)
    kinds = [type(layer).__name__ for layer in model]
    assert kinds == [
        "Flatten",
        "Linear", "BatchNorm1d", "ReLU", "Dropout",
        "Linear", "BatchNorm1d", "ReLU", "Dropout",
        "Linear",
    ]  # fmt: skip
    assert [layer.num_features for layer in model if isinstance(layer, nn.BatchNorm1d)] == [5, 4]
    assert model(sd.tensor(np.ones((2, 6)))).shape == (2, 3)


def test_mlp_without_hidden_layers_is_one_linear_layer():
    assert [type(layer).__name__ for layer in MLP([3, 2])] == ["Flatten", "Linear"]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"sizes": [10]}, ValueError, "input and an output size"),
        ({"sizes": [3, 2], "activation": "swish"}, ValueError, "unknown activation 'swish'"),
        ({"sizes": [3, 2], "dropout": 1.0}, ValueError, r"\[0, 1\)"),
    ],
)
def test_mlp_rejects_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        MLP(**kwargs)
