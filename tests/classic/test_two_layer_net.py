"""The book-shaped TwoLayerNet: its params are the module's, and its three gradients agree."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.classic.two_layer_net as two_layer_net
from scratchdl.classic import TwoLayerNet, fast_numerical_gradient

KEYS = ["W1", "b1", "W2", "b2"]


def small_problem(rng, n=6, inputs=12, hidden=7, classes=4):
    """A small float64 net with non-zero biases, inputs in [0, 1) and class-index labels."""
    net = TwoLayerNet(inputs, hidden, classes, weight_init_std=0.5)
    for key in ("b1", "b2"):
        net.params[key][...] = rng.normal(0, 0.1, net.params[key].shape)
    return net, rng.random((n, inputs)), rng.integers(0, classes, n)


def reference_scores(net, x):
    """The book's forward pass written out: ReLU(x W1 + b1) W2 + b2."""
    p = net.params
    return np.maximum(x @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]


def test_params_are_the_modules_arrays_in_float64():
    net = TwoLayerNet(784, 50, 10)
    module = net.module
    assert list(net.params) == KEYS
    assert net.params["W1"].base is module.fc1.weight.data  # the transpose: a view
    assert net.params["b2"] is module.fc2.bias.data
    assert net.params["W1"].shape == (784, 50) and net.params["W2"].shape == (50, 10)
    assert all(param.dtype == np.float64 for param in net.params.values())


def test_initialisation_is_the_books():
    net = TwoLayerNet(784, 50, 10, weight_init_std=0.01)
    assert net.params["W1"].std() == pytest.approx(0.01, rel=0.02)
    assert net.params["W2"].std() == pytest.approx(0.01, rel=0.1)
    assert not net.params["b1"].any() and not net.params["b2"].any()
    sd.manual_seed(0)
    first = TwoLayerNet(5, 3, 2).params["W1"].copy()
    sd.manual_seed(0)
    np.testing.assert_array_equal(TwoLayerNet(5, 3, 2).params["W1"], first)


def test_updating_params_in_place_updates_the_module(rng):
    net, x, _ = small_problem(rng)
    before = net.predict(x)
    net.params["b2"] += 1.0  # the book's update: params[key] -= lr * grads[key]
    np.testing.assert_allclose(net.predict(x), before + 1.0)


def test_predict_loss_and_accuracy(rng):
    net, x, t = small_problem(rng)
    scores = net.predict(x)
    np.testing.assert_allclose(scores, reference_scores(net, x), rtol=1e-12)
    log_probabilities = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    expected_loss = -log_probabilities[np.arange(len(t)), t].mean()
    assert net.loss(x, t) == pytest.approx(expected_loss, rel=1e-12)
    one_hot = np.eye(4)[t]
    assert net.loss(x, one_hot) == pytest.approx(expected_loss, rel=1e-12)
    expected_accuracy = np.mean(scores.argmax(axis=1) == t)
    assert net.accuracy(x, t) == net.accuracy(x, one_hot) == expected_accuracy


def test_images_are_flattened(rng):
    net = TwoLayerNet(16, 5, 3)
    images = rng.random((4, 1, 4, 4))
    np.testing.assert_allclose(net.predict(images), net.predict(images.reshape(4, 16)))


def test_backprop_matches_the_numerical_gradient(rng):
    net, x, t = small_problem(rng)
    numerical = net.numerical_gradient(x, t)
    backprop = net.gradient(x, t)
    assert list(numerical) == list(backprop) == KEYS
    for key in KEYS:
        assert backprop[key].shape == net.params[key].shape
        assert np.abs(backprop[key] - numerical[key]).mean() < 1e-7


def test_numerical_gradient_leaves_the_params_unchanged(rng):
    net, x, t = small_problem(rng)
    before = {key: param.copy() for key, param in net.params.items()}
    net.numerical_gradient(x, t)
    net.numerical_gradient(x, t, fast=True)
    for key in KEYS:
        np.testing.assert_array_equal(net.params[key], before[key])


@pytest.mark.parametrize("labels", ["indices", "one-hot"])
def test_fast_numerical_gradient_equals_the_plain_one(rng, labels):
    net, x, t = small_problem(rng)
    if labels == "one-hot":
        t = np.eye(4)[t]
    plain = net.numerical_gradient(x, t)
    fast = net.numerical_gradient(x, t, fast=True)
    for key in KEYS:
        np.testing.assert_allclose(fast[key], plain[key], rtol=0, atol=1e-10)
        assert fast[key].shape == net.params[key].shape


def test_fast_numerical_gradient_in_many_blocks_and_on_images(rng, monkeypatch):
    net = TwoLayerNet(16, 5, 3, weight_init_std=0.5)
    images, t = rng.random((4, 1, 4, 4)), rng.integers(0, 3, 4)
    whole = fast_numerical_gradient(net, images, t)
    monkeypatch.setattr(two_layer_net, "MAX_PERTURBED_ELEMENTS", 1)  # one row per block
    in_blocks = fast_numerical_gradient(net, images, t)
    plain = net.numerical_gradient(images, t)
    for key in KEYS:
        np.testing.assert_array_equal(in_blocks[key], whole[key])
        np.testing.assert_allclose(whole[key], plain[key], rtol=0, atol=1e-10)


def test_fast_numerical_gradient_survives_large_scores(rng):
    net, x, t = small_problem(rng)
    net.params["b2"][0] += 1000.0  # exp(1000) overflows unless the scores are shifted
    fast = net.numerical_gradient(x, t, fast=True)
    backprop = net.gradient(x, t)
    for key in KEYS:
        assert np.all(np.isfinite(fast[key]))
        assert np.abs(backprop[key] - fast[key]).mean() < 1e-7


def test_training_with_backprop_lowers_the_loss(rng):
    net, x, t = small_problem(rng, n=20)
    start = net.loss(x, t)
    for _ in range(200):
        grads = net.gradient(x, t)
        for key in KEYS:
            net.params[key] -= 0.5 * grads[key]
    assert net.loss(x, t) < 0.5 * start
