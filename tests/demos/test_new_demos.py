"""The overfitting and batchnorm demos, and the training helpers they share.

Without MNIST both fall back to spiral data (``test_demos.py`` checks their PNGs that
way); the MNIST runs pin the book's findings.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import scratchdl.nn as nn
import scratchdl.optim as optim
from scratchdl import functional as F
from scratchdl.demos import run_demo
from scratchdl.demos.overfitting import l2_penalised_cross_entropy
from scratchdl.demos.training import accuracy_curves, initialise_weights, load_demo_data
from scratchdl.models import MLP
from scratchdl.utils.data import DataLoader, TensorDataset

pytest.importorskip("matplotlib")


@pytest.fixture
def no_mnist(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHDL_DATA", str(tmp_path / "no-datasets"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no-cache"))


def gap(numbers, name):
    return numbers[f"final_train_accuracy_{name}"] - numbers[f"final_test_accuracy_{name}"]


@pytest.mark.slow
def test_overfitting_on_mnist_and_its_cures(mnist_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("SCRATCHDL_DATA", str(mnist_dir))
    numbers = run_demo("overfitting", tmp_path)
    assert numbers["dataset"] == "MNIST"
    assert numbers["final_train_accuracy_plain"] == 1.0  # 300 images memorised
    assert gap(numbers, "plain") > 0.2
    assert gap(numbers, "weight_decay") < gap(numbers, "plain")
    assert gap(numbers, "dropout") < gap(numbers, "plain")
    assert all(numbers[f"final_test_accuracy_{name}"] > 0.6 for name in ("plain", "dropout"))


@pytest.mark.slow
def test_batchnorm_learns_from_every_scale_on_mnist(mnist_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("SCRATCHDL_DATA", str(mnist_dir))
    numbers = run_demo("batchnorm", tmp_path)
    assert numbers["dataset"] == "MNIST"
    assert numbers["diverged"] == ["std_1_plain"]
    assert math.isnan(numbers["final_train_accuracy_std_1_plain"])
    for std in ("0.1", "0.01", "0.001"):
        with_norm = numbers[f"final_train_accuracy_std_{std}_batchnorm"]
        assert with_norm > numbers[f"final_train_accuracy_std_{std}_plain"] + 0.3
    assert numbers["final_train_accuracy_std_0.01_plain"] < 0.2  # the signal fades out
    assert numbers["final_train_accuracy_std_0.01_batchnorm"] > 0.95


def test_spiral_fallbacks_report_accuracies(no_mnist, tmp_path):
    for name in ("overfitting", "batchnorm"):
        numbers = run_demo(name, tmp_path)
        assert numbers["dataset"] == "spiral"
        accuracies = [value for key, value in numbers.items() if "accuracy" in key]
        assert accuracies and all(math.isnan(a) or 0 <= a <= 1 for a in accuracies)


def test_load_demo_data_without_mnist_draws_two_spirals(no_mnist):
    data = load_demo_data(300, 1000, (10, 100))
    assert data.name == "spiral"
    assert (data.x_train.shape, data.x_test.shape) == ((30, 2), (300, 2))
    assert (data.n_inputs, data.n_classes) == (2, 3)


def test_initialise_weights_fills_every_linear_layer():
    model = MLP([4, 8, 8, 3], batchnorm=True)
    initialise_weights(model, nn.init.ones_)
    linears = [module for module in model.modules() if isinstance(module, nn.Linear)]
    assert len(linears) == 3
    assert all(np.all(layer.weight.data == 1) for layer in linears)
    assert not any(layer.bias.data.any() for layer in linears)


def test_accuracy_curves_stop_where_training_diverges(rng):
    x, y = rng.standard_normal((20, 4)).astype(np.float32), rng.integers(0, 3, 20)
    model = MLP([4, 50, 50, 3])
    initialise_weights(model, lambda weight: nn.init.normal_(weight, std=100.0))
    loader = DataLoader(TensorDataset(x, y), batch_size=10)
    optimizer = optim.SGD(model.parameters(), lr=1e6)
    curves = accuracy_curves(model, F.cross_entropy, optimizer, loader, 5, {"train": (x, y)})
    assert len(curves["train"]) < 5


def test_the_l2_penalty_is_half_lambda_times_the_squared_weights(rng):
    model = MLP([3, 4, 2])
    x, y = rng.standard_normal((5, 3)).astype(np.float32), rng.integers(0, 2, 5)
    outputs = model(x)
    weights = [m.weight.data for m in model.modules() if isinstance(m, nn.Linear)]
    penalty = 0.5 * 0.1 * sum(float((w**2).sum()) for w in weights)
    plain = l2_penalised_cross_entropy(model, 0.0)(outputs, y).item()
    assert plain == pytest.approx(F.cross_entropy(outputs, y).item())
    penalised = l2_penalised_cross_entropy(model, 0.1)(outputs, y).item()
    assert penalised == pytest.approx(plain + penalty, rel=1e-5)
