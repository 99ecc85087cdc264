"""Logic gates as perceptrons, and Rosenblatt's learning rule."""

from __future__ import annotations

import numpy as np
import pytest

from scratchdl.classic import AND, NAND, OR, XOR, Perceptron

INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]
TRUTH_TABLES = {
    AND: [0, 0, 0, 1],
    NAND: [1, 1, 1, 0],
    OR: [0, 1, 1, 1],
    XOR: [0, 1, 1, 0],
}


@pytest.mark.parametrize("gate", TRUTH_TABLES, ids=lambda gate: gate.__name__)
def test_gate_truth_table(gate):
    outputs = [gate(x1, x2) for x1, x2 in INPUTS]
    assert outputs == TRUTH_TABLES[gate]
    assert all(type(y) is int for y in outputs)


@pytest.mark.parametrize("gate", [AND, NAND, OR], ids=lambda gate: gate.__name__)
def test_perceptron_learns_a_linearly_separable_gate(gate):
    perceptron = Perceptron(n_inputs=2).fit(INPUTS, TRUTH_TABLES[gate])
    assert perceptron.converged
    assert perceptron.errors_per_epoch[-1] == 0
    assert perceptron.epochs == len(perceptron.errors_per_epoch) < 100
    assert all(type(errors) is int for errors in perceptron.errors_per_epoch)
    np.testing.assert_array_equal(perceptron.predict(INPUTS), TRUTH_TABLES[gate])


def test_perceptron_cannot_learn_xor():
    perceptron = Perceptron(n_inputs=2).fit(INPUTS, TRUTH_TABLES[XOR], max_epochs=50)
    assert not perceptron.converged
    assert perceptron.epochs == 50
    assert min(perceptron.errors_per_epoch) > 0


def test_training_is_deterministic():
    first = Perceptron(2).fit(INPUTS, TRUTH_TABLES[AND])
    second = Perceptron(2).fit(INPUTS, TRUTH_TABLES[AND])
    np.testing.assert_array_equal(first.weights, second.weights)
    assert first.bias == second.bias
    assert first.errors_per_epoch == second.errors_per_epoch


def test_one_update_follows_rosenblatts_rule():
    perceptron = Perceptron(2, lr=0.5).fit([[1.0, 2.0]], [1], max_epochs=1)
    # ŷ = 0 with zero weights, so w = 0.5·(1 − 0)·x and b = 0.5·(1 − 0).
    np.testing.assert_array_equal(perceptron.weights, [0.5, 1.0])
    assert perceptron.bias == 0.5
    assert perceptron.errors_per_epoch == [1]


def test_predict_returns_0_1_ints():
    predictions = Perceptron(2).fit(INPUTS, TRUTH_TABLES[OR]).predict(INPUTS)
    assert predictions.dtype.kind == "i"
    assert set(predictions.tolist()) <= {0, 1}


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        ([[0, 0, 1]], [0], r"Perceptron.fit: X has shape \(1, 3\); expected \(n_samples, 2\)"),
        ([0, 1], [0], r"Perceptron.fit: X has shape \(2,\)"),
        (INPUTS, [0, 1, 1], r"Perceptron.fit: y has shape \(3,\); expected \(4,\)"),
        (INPUTS, [0, 1, 2, 1], r"Perceptron.fit: labels must be 0 or 1, got 2 at index 2"),
        (INPUTS, [0, -1, 1, 1], r"labels must be 0 or 1, got -1 at index 1"),
    ],
)
def test_fit_rejects_bad_data(X, y, message):
    with pytest.raises(ValueError, match=message):
        Perceptron(2).fit(X, y)


def test_predict_rejects_the_wrong_number_of_inputs():
    with pytest.raises(ValueError, match=r"Perceptron.predict: X has shape \(4, 3\)"):
        Perceptron(2).predict(np.zeros((4, 3)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n_inputs": 0}, "n_inputs must be a positive int"), ({"n_inputs": 2, "lr": 0}, "lr")],
)
def test_constructor_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Perceptron(**kwargs)


def test_fit_rejects_a_bad_max_epochs():
    with pytest.raises(ValueError, match="max_epochs must be a positive int"):
        Perceptron(2).fit(INPUTS, TRUTH_TABLES[AND], max_epochs=0)
