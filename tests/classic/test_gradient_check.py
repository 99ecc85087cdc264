"""The gradient check: backpropagation and central differences agree to about 1e-10."""

from __future__ import annotations

import numpy as np
import pytest

from scratchdl.classic import TwoLayerNet, gradient_check, run_gradient_check

KEYS = ["W1", "b1", "W2", "b2"]


@pytest.mark.parametrize("fast", [False, True])
def test_gradient_check_per_parameter(rng, fast):
    net = TwoLayerNet(20, 8, 5)
    x, t = rng.random((3, 20)), rng.integers(0, 5, 3)
    differences = gradient_check(net, x, t, fast=fast)
    assert list(differences) == KEYS
    assert all(isinstance(value, float) and 0 <= value < 1e-7 for value in differences.values())


def test_run_gradient_check_without_mnist_uses_random_images(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHDL_DATA", str(tmp_path / "no-datasets"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no-cache"))
    result = run_gradient_check(n=2, data_root=tmp_path)
    assert (result["dataset"], result["n"]) == ("random", 2)
    assert all(result[key] < 1e-7 for key in KEYS)
    assert run_gradient_check(n=2, data_root=tmp_path) == result  # seeded: repeatable


def test_run_gradient_check_on_mnist_matches_the_books_figures(mnist_dir):
    result = run_gradient_check(data_root=mnist_dir)
    assert (result["dataset"], result["n"]) == ("MNIST", 3)
    assert all(result[key] < 1e-8 for key in KEYS)  # the book: 4e-10 to 4e-9 per parameter


@pytest.mark.parametrize("n", [0, -1, 2.5, True])
def test_run_gradient_check_rejects_a_bad_sample_count(n):
    with pytest.raises(ValueError, match="n must be a positive integer"):
        run_gradient_check(n=n)


def test_fast_and_plain_gradient_checks_agree(rng):
    net = TwoLayerNet(10, 4, 3)
    x, t = rng.random((3, 10)), np.eye(3)[rng.integers(0, 3, 3)]
    plain = gradient_check(net, x, t)
    fast = gradient_check(net, x, t, fast=True)
    for key in KEYS:
        assert fast[key] == pytest.approx(plain[key], abs=1e-10)
