"""BatchNorm1d and BatchNorm2d: PyTorch's values, gradients and running statistics, train vs
eval, buffers in state_dict, and errors."""

import copy

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import nn

CASES = [("BatchNorm1d", (6, 3)), ("BatchNorm2d", (4, 3, 5, 2))]


def _pair(torch, kind, channels, **settings):
    """Our layer in float64 and torch's with the same (non-trivial) γ and β."""
    ours = getattr(nn, kind)(channels, **settings).double()
    theirs = getattr(torch.nn, kind)(channels, **settings).double()
    rng = np.random.default_rng(1)
    ours.weight.data[:] = rng.uniform(0.5, 1.5, channels)
    ours.bias.data[:] = rng.normal(size=channels)
    theirs.load_state_dict({name: torch.tensor(v.numpy()) for name, v in ours.state_dict().items()})
    return ours, theirs


def _assert_running_stats_equal(ours, theirs):
    np.testing.assert_allclose(ours.running_mean, theirs.running_mean.numpy(), atol=1e-12)
    np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), atol=1e-12)
    assert ours.num_batches_tracked == theirs.num_batches_tracked.item()


@pytest.mark.parametrize(("kind", "shape"), CASES)
def test_training_matches_torch(torch, rng, kind, shape):
    ours, theirs = _pair(torch, kind, shape[1], momentum=0.3, eps=1e-3)
    for _ in range(2):  # two steps, so the running statistics move twice
        x = rng.normal(2.0, 3.0, shape)
        x_ours, x_theirs = sd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        y_ours, y_theirs = ours(x_ours), theirs(x_theirs)
        np.testing.assert_allclose(y_ours.numpy(), y_theirs.detach().numpy(), atol=1e-12)
        weights = rng.normal(size=shape)  # a loss whose gradient is not trivially zero
        (y_ours * weights).sum().backward()
        (y_theirs * torch.tensor(weights)).sum().backward()
        np.testing.assert_allclose(x_ours.grad.numpy(), x_theirs.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(ours.bias.grad.numpy(), theirs.bias.grad.numpy(), atol=1e-10)
    _assert_running_stats_equal(ours, theirs)


@pytest.mark.parametrize(("kind", "shape"), CASES)
def test_eval_uses_the_running_statistics_like_torch(torch, rng, kind, shape):
    ours, theirs = _pair(torch, kind, shape[1])
    train_batch = rng.normal(1.0, 2.0, shape)
    ours(train_batch), theirs(torch.tensor(train_batch))
    ours.eval(), theirs.eval()
    x = rng.normal(size=shape)
    x_ours, x_theirs = sd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y_ours, y_theirs = ours(x_ours), theirs(x_theirs)
    np.testing.assert_allclose(y_ours.numpy(), y_theirs.detach().numpy(), atol=1e-12)
    (y_ours**2).sum().backward()
    (y_theirs**2).sum().backward()
    np.testing.assert_allclose(x_ours.grad.numpy(), x_theirs.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), atol=1e-10)
    _assert_running_stats_equal(ours, theirs)  # eval mode leaves them alone


def test_train_and_eval_modes_behave_differently(rng):
    layer = nn.BatchNorm1d(3)
    x = rng.normal(5.0, 2.0, (8, 3)).astype(np.float32)
    trained = layer(x).numpy()
    np.testing.assert_allclose(trained.mean(axis=0), 0, atol=1e-5)  # batch statistics
    running_mean = layer.running_mean.clone()
    layer.eval()
    evaluated = layer(x).numpy()
    assert not np.allclose(evaluated, trained, atol=1e-2)
    np.testing.assert_array_equal(layer.running_mean, running_mean)
    np.testing.assert_allclose(layer(x[:1]).numpy(), evaluated[:1])  # one sample, same value
    layer.train()
    np.testing.assert_allclose(layer(x).numpy(), trained, atol=1e-6)


def test_parameters_and_buffers_start_at_the_identity():
    layer = nn.BatchNorm2d(4)
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    np.testing.assert_array_equal(layer.weight.data, np.ones(4))
    np.testing.assert_array_equal(layer.bias.data, np.zeros(4))
    np.testing.assert_array_equal(layer.running_mean, np.zeros(4))
    np.testing.assert_array_equal(layer.running_var, np.ones(4))
    assert layer.running_mean.dtype == np.float32 and layer.num_batches_tracked.dtype == np.int64
    assert repr(layer) == (
        "BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    )


def test_state_dict_has_torchs_names(torch):
    ours = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2)).state_dict()
    theirs = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2)).state_dict()
    assert list(ours) == list(theirs)


def test_state_dict_round_trip_loads_buffers_in_place(rng):
    source, target = nn.BatchNorm2d(3), nn.BatchNorm2d(3)
    for _ in range(3):
        source(rng.normal(1.0, 2.0, (4, 3, 2, 2)))
    running_var = target.running_var
    target.load_state_dict(source.state_dict())
    assert target.running_var is running_var
    for name, value in source.state_dict().items():
        np.testing.assert_array_equal(target.state_dict()[name], value)
    assert target.num_batches_tracked == 3
    x = rng.normal(size=(2, 3, 2, 2))
    np.testing.assert_array_equal(source.eval()(x).numpy(), target.eval()(x).numpy())


def test_state_dict_values_share_memory_as_in_torch():
    layer = nn.BatchNorm1d(2)
    snapshot = copy.deepcopy(layer.state_dict())
    layer.state_dict()["running_mean"][:] = 7
    np.testing.assert_array_equal(layer.running_mean, [7.0, 7.0])
    np.testing.assert_array_equal(snapshot["running_mean"], [0.0, 0.0])


def test_to_float64_casts_the_statistics_but_not_the_counter():
    layer = nn.BatchNorm1d(2).to(sd.float64)
    assert layer.running_var.dtype == np.float64
    assert layer.num_batches_tracked.dtype == np.int64


@pytest.mark.parametrize(
    ("layer", "shape", "message"),
    [
        (nn.BatchNorm1d(3), (4, 3, 2, 2), r"BatchNorm1d\(3\): expected input of shape \(N, 3\) "),
        (nn.BatchNorm1d(3), (4, 5), r"shape \(N, 3\) or \(N, 3, L\), got \(4, 5\)"),
        (nn.BatchNorm2d(3), (4, 3), r"BatchNorm2d\(3\): expected input of shape \(N, 3, H, W\)"),
        (nn.BatchNorm2d(3), (4, 2, 5, 5), r"\(N, 3, H, W\), got \(4, 2, 5, 5\)"),
        (nn.BatchNorm1d(3), (1, 3), "more than one value per channel"),
    ],
)
def test_bad_inputs_raise_before_any_state_changes(layer, shape, message):
    with pytest.raises(ValueError, match=message):
        layer(np.ones(shape))
    assert layer.num_batches_tracked == 0
    np.testing.assert_array_equal(layer.running_var, np.ones(3))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"num_features": 0}, "BatchNorm1d: num_features must be a positive integer, got 0"),
        ({"num_features": 2, "eps": 0}, "eps must be positive"),
        (
            {"num_features": 2, "momentum": 1.5},
            r"momentum must lie in \[0, 1\] or be None, got 1.5",
        ),
    ],
)
def test_bad_settings_are_rejected(settings, message):
    with pytest.raises(ValueError, match=message):
        nn.BatchNorm1d(**settings)


@pytest.mark.parametrize(
    "settings", [{"momentum": None}, {"affine": False}, {"track_running_stats": False}]
)
def test_torchs_other_settings_match_torch(torch, rng, settings):
    ours, theirs = (
        nn.BatchNorm1d(3, **settings).double(),
        torch.nn.BatchNorm1d(3, **settings).double(),
    )
    assert repr(ours) == repr(theirs)
    for _ in range(3):
        x = rng.normal(1.0, 2.0, (5, 3))
        np.testing.assert_allclose(
            ours(x).numpy(), theirs(torch.tensor(x)).detach().numpy(), atol=1e-12
        )
    if settings.get("track_running_stats", True):
        _assert_running_stats_equal(ours, theirs)
    ours.eval(), theirs.eval()
    x = rng.normal(size=(2, 3, 4))  # BatchNorm1d also takes (N, C, L)
    np.testing.assert_allclose(
        ours(x).numpy(), theirs(torch.tensor(x)).detach().numpy(), atol=1e-12
    )
