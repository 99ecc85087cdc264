"""SimpleConvNet and DeepConvNet: layers, shapes, parameter counts, init, and that a few
training steps lower the loss."""

import math

import numpy as np
import pytest

import scratchdl.functional as F
from scratchdl import nn, optim
from scratchdl.models import DeepConvNet, SimpleConvNet


def test_simple_conv_net_has_the_books_layers_and_parameter_count():
    net = SimpleConvNet()
    shapes = {name: array.shape for name, array in net.state_dict().items()}
    assert shapes == {
        "conv.weight": (30, 1, 5, 5),
        "conv.bias": (30,),
        "fc1.weight": (100, 4320),
        "fc1.bias": (100,),
        "fc2.weight": (10, 100),
        "fc2.bias": (10,),
    }
    assert net.num_parameters() == 30 * 25 + 30 + 4320 * 100 + 100 + 100 * 10 + 10
    assert isinstance(net, nn.Module) and not hasattr(net, "compile")  # PyTorch style


def test_simple_conv_net_maps_mnist_images_to_logits():
    images = np.zeros((3, 1, 28, 28), dtype=np.float32)
    logits = SimpleConvNet()(images)
    assert logits.shape == (3, 10) and logits.dtype == np.float32


def test_simple_conv_net_matches_the_books_layers_in_torch(torch, rng):
    """Values and gradients equal the book's conv → ReLU → pool order, although the model
    pools before its ReLU."""
    net = SimpleConvNet(input_dim=(2, 10, 9), conv_param={"filter_num": 4, "filter_size": 3})
    net.double()
    reference = torch.nn.Sequential(
        torch.nn.Conv2d(2, 4, 3),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(4 * 4 * 3, 100),
        torch.nn.ReLU(),
        torch.nn.Linear(100, 10),
    ).double()
    state = net.state_dict()
    with torch.no_grad():
        for ours, theirs in (("conv", 0), ("fc1", 4), ("fc2", 6)):
            reference[theirs].weight.copy_(torch.tensor(state[f"{ours}.weight"].numpy()))
            reference[theirs].bias.copy_(torch.tensor(state[f"{ours}.bias"].numpy()))
    x = rng.normal(size=(3, 2, 10, 9))
    weights = rng.normal(size=(3, 10))  # a loss that weighs every logit differently
    expected = reference(torch.tensor(x))
    (expected * torch.tensor(weights)).sum().backward()
    logits = net(x)
    (logits * weights).sum().backward()
    np.testing.assert_allclose(logits.numpy(), expected.detach().numpy(), atol=1e-12)
    for ours, theirs in (("conv", 0), ("fc1", 4), ("fc2", 6)):
        gradient = getattr(net, ours).weight.grad.numpy()
        expected_gradient = reference[theirs].weight.grad.numpy()
        np.testing.assert_allclose(gradient, expected_gradient, atol=1e-12)


def test_simple_conv_net_takes_the_books_arguments():
    conv_param = {"filter_num": 16, "filter_size": 3, "pad": 1, "stride": 1}
    net = SimpleConvNet(
        input_dim=(3, 32, 32),
        conv_param=conv_param,
        hidden_size=20,
        output_size=5,
        weight_init_std=0.01,
    )
    assert net.conv.weight.shape == (16, 3, 3, 3)
    assert net.fc1.weight.shape == (20, 16 * 16 * 16)
    assert net(np.zeros((2, 3, 32, 32))).shape == (2, 5)
    assert net.fc1.weight.data.std() == pytest.approx(0.01, rel=0.05)
    assert not any(layer.bias.data.any() for layer in (net.conv, net.fc1, net.fc2))


def test_simple_conv_net_default_init_is_the_layers_own():
    net = SimpleConvNet()
    assert np.abs(net.conv.weight.data).max() <= 1 / math.sqrt(25)
    assert net.conv.bias.data.any()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"conv_param": {"filters": 3}}, r"unknown conv_param keys \['filters'\]"),
        ({"input_dim": (28, 28)}, r"input_dim must be \(channels, height, width\)"),
        ({"input_dim": (1, 5, 5)}, r"input_dim \(1, 5, 5\) is too small"),
    ],
)
def test_simple_conv_net_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=f"SimpleConvNet: {message}"):
        SimpleConvNet(**kwargs)


def test_deep_conv_net_is_the_books_network():
    net = DeepConvNet()
    convs = [m for m in net.features if isinstance(m, nn.Conv2d)]
    assert [conv.weight.shape for conv in convs] == [
        (16, 1, 3, 3),
        (16, 16, 3, 3),
        (32, 16, 3, 3),
        (32, 32, 3, 3),
        (64, 32, 3, 3),
        (64, 64, 3, 3),
    ]
    assert [conv.padding for conv in convs] == [(1, 1)] * 3 + [(2, 2)] + [(1, 1)] * 2
    assert sum(isinstance(m, nn.MaxPool2d) for m in net.features) == 3
    kinds = [type(m).__name__ for m in net.classifier]
    assert kinds == ["Flatten", "Linear", "ReLU", "Dropout", "Linear"]
    assert net.classifier[1].weight.shape == (50, 64 * 4 * 4)
    conv_params = sum(c * 9 * oc + oc for c, oc in [(1, 16), (16, 16), (16, 32), (32, 32),
                                                     (32, 64), (64, 64)])  # fmt: skip
    assert net.num_parameters() == conv_params + (1024 * 50 + 50) + (50 * 10 + 10)
    assert net(np.zeros((2, 1, 28, 28), dtype=np.float32)).shape == (2, 10)


def test_deep_conv_net_uses_he_init():
    net = DeepConvNet()
    last_conv = net.features[12]
    assert last_conv.weight.data.std() == pytest.approx(math.sqrt(2 / (64 * 9)), rel=0.05)
    assert not last_conv.bias.data.any()


def test_deep_conv_net_with_batchnorm_and_other_images():
    net = DeepConvNet(input_dim=(3, 32, 32), output_size=5, batchnorm=True)
    convs = [m for m in net.features if isinstance(m, nn.Conv2d)]
    norms = [m for m in net.features if isinstance(m, nn.BatchNorm2d)]
    assert len(norms) == len(convs) == 6
    assert all(conv.bias is None for conv in convs)
    assert net(np.zeros((2, 3, 32, 32), dtype=np.float32)).shape == (2, 5)


def test_deep_conv_net_is_deterministic_in_eval_mode(rng):
    net = DeepConvNet().eval()
    x = rng.random((2, 1, 28, 28)).astype(np.float32)
    np.testing.assert_array_equal(net(x).numpy(), net(x).numpy())


@pytest.mark.parametrize(
    "make",
    [
        lambda: SimpleConvNet((1, 12, 12), {"filter_num": 4, "filter_size": 3}, hidden_size=16),
        lambda: DeepConvNet((1, 12, 12), hidden_size=16, dropout=0.0, batchnorm=True),
    ],
)
def test_a_few_training_steps_lower_the_loss(rng, make):
    net = make()
    images = rng.random((16, 1, 12, 12)).astype(np.float32)
    labels = rng.integers(0, 10, size=16)
    optimizer = optim.Adam(net.parameters(), lr=1e-2)
    losses = []
    for _ in range(10):
        loss = F.cross_entropy(net(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.9 * losses[0]
