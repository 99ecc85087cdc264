"""Layers: Linear (init, gradcheck, torch oracle), containers, Flatten, activation modules."""

import math
from collections import OrderedDict

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional
import scratchdl.nn.functional as F
from scratchdl import nn
from scratchdl.autograd import gradcheck


def test_nn_functional_is_scratchdl_functional():
    assert F.relu is scratchdl.functional.relu
    assert F.dropout is scratchdl.functional.dropout
    assert set(F.__all__) == set(scratchdl.functional.__all__)


def test_linear_shapes_and_default_init_bound():
    layer = nn.Linear(50, 30)
    assert layer.weight.shape == (30, 50) and layer.bias.shape == (30,)  # torch's (out, in)
    assert layer.weight.dtype == np.float32
    bound = 1 / math.sqrt(50)
    assert np.abs(layer.weight.data).max() <= bound
    assert np.abs(layer.bias.data).max() <= bound
    assert np.abs(layer.weight.data).max() > 0.9 * bound  # uses the whole range
    assert layer(sd.tensor(np.ones((7, 50)))).shape == (7, 30)


def test_linear_init_is_reproducible_with_manual_seed():
    sd.manual_seed(3)
    first = nn.Linear(4, 2).weight.data.copy()
    sd.manual_seed(3)
    np.testing.assert_array_equal(nn.Linear(4, 2).weight.data, first)


def test_linear_without_bias():
    layer = nn.Linear(3, 2, bias=False)
    assert layer.bias is None
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    assert repr(layer) == "Linear(in_features=3, out_features=2, bias=False)"


def test_linear_rejects_bad_sizes():
    with pytest.raises(ValueError, match="Linear: out_features must be a positive integer"):
        nn.Linear(3, 0)


def test_linear_gradcheck(rng):
    layer = nn.Linear(3, 2).to(np.float64)
    x = rng.normal(size=(4, 3))
    assert gradcheck(layer, [x])
    assert gradcheck(lambda W, b: F.linear(x, W, b), [layer.weight.data, layer.bias.data])


def test_linear_matches_torch(torch, rng):
    layer = nn.Linear(3, 2).double()
    torch_layer = torch.nn.Linear(3, 2).double()
    torch_layer.load_state_dict({k: torch.tensor(v.numpy()) for k, v in layer.state_dict().items()})
    x = rng.normal(size=(5, 3))
    ours = layer(sd.tensor(x))
    theirs = torch_layer(torch.tensor(x))
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), atol=1e-12)
    (ours**2).sum().backward()
    (theirs**2).sum().backward()
    np.testing.assert_allclose(layer.weight.grad.numpy(), torch_layer.weight.grad.numpy())
    np.testing.assert_allclose(layer.bias.grad.numpy(), torch_layer.bias.grad.numpy())


def test_sequential_chains_indexes_and_appends():
    first, second = nn.Linear(2, 3), nn.Linear(3, 1)
    model = nn.Sequential(first, nn.ReLU())
    assert model.append(second) is model
    assert len(model) == 3 and model[0] is first and model[-1] is second
    assert list(model) == [first, model[1], second]
    x = sd.tensor([[1.0, -2.0]])
    np.testing.assert_array_equal(model(x).numpy(), second(F.relu(first(x))).numpy())
    tail = model[1:]
    assert isinstance(tail, nn.Sequential) and list(tail) == [model[1], second]
    assert list(tail.state_dict()) == ["2.weight", "2.bias"]
    with pytest.raises(IndexError, match="index 3 is out of range for 3 modules"):
        model[3]


def test_sequential_from_ordered_dict_names_the_layers():
    model = nn.Sequential(OrderedDict(hidden=nn.Linear(2, 2), act=nn.Tanh()))
    assert list(model.state_dict()) == ["hidden.weight", "hidden.bias"]
    assert isinstance(model[1], nn.Tanh)


def test_containers_reject_non_modules():
    with pytest.raises(TypeError, match="Sequential: item 1 is a function, expected a Module"):
        nn.Sequential(nn.ReLU(), F.relu)
    with pytest.raises(TypeError, match="ModuleList: item 0 is a int"):
        nn.ModuleList([3])


def test_module_list_registers_its_items():
    class Tower(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList(nn.Linear(2, 2) for _ in range(2))

    tower = Tower()
    tower.layers.extend([nn.Linear(2, 1)])
    assert len(tower.layers) == 3
    assert [name for name, _ in tower.named_parameters()][-2:] == [
        "layers.2.weight", "layers.2.bias",
    ]  # fmt: skip
    assert list(tower.layers[1:]) == list(tower.layers)[1:]
    assert isinstance(tower.layers[1:], nn.ModuleList)


def test_flatten():
    x = sd.tensor(np.zeros((2, 3, 4, 5)))
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(start_dim=2)(x).shape == (2, 3, 20)
    assert nn.Flatten(0, 1)(x).shape == (6, 4, 5)
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"
    assert nn.Unflatten(1, (3, 1))(sd.zeros(2, 3)).shape == (2, 3, 1)


@pytest.mark.parametrize(
    ("module", "function"),
    [
        (nn.ReLU(), F.relu),
        (nn.Sigmoid(), F.sigmoid),
        (nn.Tanh(), F.tanh),
        (nn.Softplus(), F.softplus),
        (nn.GELU(), F.gelu),
        (nn.Identity(), F.identity),
        (nn.LeakyReLU(0.2), lambda x: F.leaky_relu(x, 0.2)),
        (nn.ELU(), F.elu),
        (nn.SiLU(), F.silu),
        (nn.Softmax(dim=0), lambda x: F.softmax(x, dim=0)),
        (nn.LogSoftmax(dim=1), lambda x: F.log_softmax(x, dim=1)),
    ],
    ids=lambda value: type(value).__name__,
)
def test_activation_modules_apply_their_function(rng, module, function):
    x = sd.tensor(rng.normal(size=(3, 4)))
    np.testing.assert_array_equal(module(x).numpy(), function(x).numpy())
    assert list(module.parameters()) == []


def test_activation_reprs():
    assert repr(nn.LeakyReLU()) == "LeakyReLU(negative_slope=0.01)"
    assert repr(nn.LogSoftmax(dim=1)) == "LogSoftmax(dim=1)"
    assert repr(nn.ReLU()) == "ReLU()"
