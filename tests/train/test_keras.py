"""The Keras-style facade: compile, then fit / evaluate / predict on arrays."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.nn as nn
from scratchdl.optim import SGD, Adam
from scratchdl.train import Model, Sequential


def compiled(**options):
    sd.manual_seed(0)
    model = Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))
    return model.compile(**{"optimizer": "adam", "lr": 0.05, **options})


def test_fit_learns_a_small_problem(blobs):
    x, y = blobs
    model = compiled()
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.epochs == [1, 2, 3, 4, 5]
    assert history["accuracy"][-1] > 0.95
    assert model.evaluate(x, y)["accuracy"] > 0.95
    assert model.predict(x).shape == (120, 3)


def test_sequential_is_an_nn_sequential():
    model = compiled()
    assert isinstance(model, nn.Sequential) and isinstance(model, Model)
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_validation_split_takes_the_last_samples(blobs):
    x, y = blobs
    model = compiled()
    history = model.fit(x, y, epochs=1, validation_split=0.25, shuffle=False, verbose=0)
    expected = model.evaluate(x[90:], y[90:])
    assert history["val_loss"] == [pytest.approx(expected["loss"])]


def test_validation_data_is_evaluated_each_epoch(blobs):
    x, y = blobs
    history = compiled().fit(x, y, epochs=2, validation_data=(x[:10], y[:10]), verbose=0)
    assert len(history["val_accuracy"]) == 2


def test_float64_inputs_take_the_parameters_dtype(blobs):
    x, y = blobs
    model = compiled(loss="mse", metrics=())
    targets = np.eye(3)[y]  # float64 one-hot, regressed with MSE
    history = model.fit(x.astype(np.float64), targets, epochs=1, verbose=0)
    assert model.predict(x.astype(np.float64)).dtype == np.float32
    assert list(history.keys()) == ["epoch", "loss", "lr", "time"]


def test_compile_accepts_names_instances_and_functions():
    model = compiled(optimizer="sgd", lr=None)
    assert isinstance(model.optimizer, SGD) and model.optimizer.param_groups[0]["lr"] == 0.01
    adam = Adam(model.parameters(), lr=0.002)
    assert model.compile(optimizer=adam).optimizer is adam

    def my_loss(outputs, targets):
        return (outputs * 0).sum()

    assert model.compile(loss=my_loss).loss_fn is my_loss


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"optimizer": "lbfgs"}, "unknown optimizer 'lbfgs'"),
        ({"loss": "hinge"}, "unknown loss 'hinge'"),
        ({"metrics": ["f1"]}, "unknown metric 'f1'"),
    ],
)
def test_compile_rejects_unknown_names(options, message):
    with pytest.raises(ValueError, match=message):
        compiled(**options)


def test_lr_with_an_optimizer_instance_is_ambiguous():
    model = compiled()
    with pytest.raises(ValueError, match="lr applies to an optimizer given by name"):
        model.compile(optimizer=SGD(model.parameters(), lr=0.1), lr=0.5)


def test_fit_before_compile_says_to_compile(blobs):
    model = Sequential(nn.Linear(2, 3))
    with pytest.raises(RuntimeError, match=r"call compile\(optimizer=..., loss=...\)"):
        model.fit(*blobs)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"validation_split": 0.2, "validation_data": ([[0, 0]], [0])}, "not both"),
        ({"validation_split": 1.5}, "validation_split=1.5"),
    ],
)
def test_fit_rejects_bad_validation_options(blobs, options, message):
    with pytest.raises(ValueError, match=message):
        compiled().fit(*blobs, verbose=0, **options)


def test_x_and_y_must_have_the_same_length(blobs):
    x, y = blobs
    with pytest.raises(ValueError, match=r"same number of samples.*\(120, 2\) and \(119,\)"):
        compiled().fit(x, y[:-1], verbose=0)
