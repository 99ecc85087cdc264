"""Built-in toy sets: logic-gate truth tables and the spiral."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.datasets import logic_gates, spiral


@pytest.mark.parametrize(
    ("name", "outputs"),
    [("AND", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("Nand", [1, 1, 1, 0]), ("xor", [0, 1, 1, 0])],
)
def test_logic_gates(name, outputs):
    X, y = logic_gates(name)
    assert X.shape == (4, 2) and X.dtype == np.float32
    assert y.dtype == np.int64
    np.testing.assert_array_equal(X, [[0, 0], [1, 0], [0, 1], [1, 1]])
    np.testing.assert_array_equal(y, outputs)


def test_unknown_gate():
    with pytest.raises(ValueError, match="unknown gate 'NOT'"):
        logic_gates("NOT")


def test_spiral_shapes_and_labels():
    X, y = spiral(n_per_class=50, n_classes=4, seed=0)
    assert X.shape == (200, 2) and X.dtype == np.float32
    assert y.dtype == np.int64
    assert np.bincount(y).tolist() == [50] * 4
    assert np.all(np.linalg.norm(X, axis=1) <= 1.0 + 1e-6)


def test_spiral_without_noise_follows_the_formula():
    X, y = spiral(n_per_class=3, n_classes=2, noise=0.0)
    r = np.array([0.0, 0.5, 1.0] * 2)
    t = 4.0 * y + 4.0 * r
    np.testing.assert_allclose(X, np.stack([r * np.sin(t), r * np.cos(t)], axis=1), atol=1e-6)


def test_spiral_is_reproducible():
    np.testing.assert_array_equal(spiral(seed=3)[0], spiral(seed=3)[0])
    sd.manual_seed(1)
    first = spiral()[0]
    sd.manual_seed(1)
    np.testing.assert_array_equal(spiral()[0], first)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_per_class": 0}, "n_per_class"),
        ({"n_classes": 1.5}, "n_classes"),
        ({"noise": -1}, "noise"),
    ],
)
def test_spiral_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=f"spiral: {message}"):
        spiral(**kwargs)
