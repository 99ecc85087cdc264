"""Numerical differentiation, numerical gradients and gradient descent."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scratchdl.classic import gradient_descent, numerical_diff, numerical_gradient


def function_1(x):
    """0.01x² + 0.1x, whose derivative is 0.02x + 0.1."""
    return 0.01 * x**2 + 0.1 * x


def function_2(x):
    """x₀² + x₁², whose gradient is (2x₀, 2x₁)."""
    return np.sum(x**2)


# ------------------------------------------------------------------ numerical_diff
@pytest.mark.parametrize(("x", "slope"), [(5.0, 0.2), (10.0, 0.3)])
def test_numerical_diff_of_a_quadratic(x, slope):
    assert numerical_diff(function_1, x) == pytest.approx(slope, abs=1e-8)


def test_forward_difference_is_less_accurate_than_central():
    x = 1.0
    central_error = abs(numerical_diff(math.exp, x) - math.exp(x))
    forward_error = abs(numerical_diff(math.exp, x, method="forward") - math.exp(x))
    assert forward_error > 100 * central_error


def test_numerical_diff_rejects_an_unknown_method():
    with pytest.raises(ValueError, match=r"numerical_diff: unknown method 'backward'"):
        numerical_diff(function_1, 5.0, method="backward")


def test_numerical_diff_rejects_a_non_positive_step():
    with pytest.raises(ValueError, match=r"numerical_diff: the step h must be positive, got 0"):
        numerical_diff(function_1, 5.0, h=0)


# ------------------------------------------------------------- numerical_gradient
@pytest.mark.parametrize(
    ("point", "gradient"), [((3.0, 4.0), (6.0, 8.0)), ((0.0, 2.0), (0.0, 4.0))]
)
def test_numerical_gradient_of_a_sum_of_squares(point, gradient):
    result = numerical_gradient(function_2, np.array(point))
    np.testing.assert_allclose(result, gradient, atol=1e-6)


def test_numerical_gradient_works_for_any_shape(rng):
    x = rng.normal(size=(2, 3, 2))
    result = numerical_gradient(lambda a: np.sum(np.sin(a)), x)
    assert result.shape == x.shape
    np.testing.assert_allclose(result, np.cos(x), atol=1e-7)


def test_numerical_gradient_restores_x_exactly(rng):
    x = rng.normal(size=(3, 4)) * 1e3 + 0.1  # values that x + h − h would not give back
    before = x.copy()
    numerical_gradient(function_2, x)
    assert x.tobytes() == before.tobytes()


def test_numerical_gradient_restores_x_when_f_fails():
    x = np.array([1.0, 2.0])

    def failing(a):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        numerical_gradient(failing, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_numerical_gradient_returns_a_new_array():
    x = np.array([3.0, 4.0])
    assert numerical_gradient(function_2, x) is not x


@pytest.mark.parametrize(
    ("x", "got"), [(np.array([3, 4]), "dtype int64"), ([3.0, 4.0], "got list")]
)
def test_numerical_gradient_needs_a_float_array(x, got):
    with pytest.raises(
        TypeError, match=rf"numerical_gradient: x must be a float NumPy array.*{got}"
    ):
        numerical_gradient(function_2, x)


# --------------------------------------------------------------- gradient_descent
def test_gradient_descent_finds_the_minimum():
    x, _ = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, steps=100)
    assert np.linalg.norm(x) < 1e-8


def test_too_large_a_learning_rate_diverges():
    x, _ = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=10.0, steps=100)
    assert np.linalg.norm(x) > 1e10


def test_too_small_a_learning_rate_barely_moves():
    x, _ = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=1e-10, steps=100)
    np.testing.assert_allclose(x, [-3.0, 4.0], atol=1e-6)


def test_path_records_every_point_from_the_start():
    init_x = np.array([-3.0, 4.0])
    x, path = gradient_descent(function_2, init_x, lr=0.1, steps=20)
    assert path.shape == (21, 2)
    np.testing.assert_array_equal(path[0], [-3.0, 4.0])
    np.testing.assert_array_equal(path[-1], x)
    np.testing.assert_allclose(path[1], 0.8 * init_x)  # x − 0.1 · 2x


def test_gradient_descent_leaves_init_x_alone():
    init_x = np.array([-3.0, 4.0])
    gradient_descent(function_2, init_x, lr=0.1, steps=5)
    np.testing.assert_array_equal(init_x, [-3.0, 4.0])


def test_gradient_descent_accepts_a_list_and_returns_float64():
    x, path = gradient_descent(function_2, [[-3, 4]], lr=0.1, steps=3)
    assert x.dtype == np.float64 and path.shape == (4, 1, 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"lr": 0.0}, "lr must be positive"), ({"steps": -1}, "steps must be a non-negative int")],
)
def test_gradient_descent_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=rf"gradient_descent: {message}"):
        gradient_descent(function_2, np.array([1.0, 1.0]), **kwargs)
