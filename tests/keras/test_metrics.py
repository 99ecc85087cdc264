"""Keras's metrics: "accuracy" resolved from the data as Keras resolves it, values against
their formulas and against Keras, and RootMeanSquaredError as the root of the mean."""

from __future__ import annotations

import numpy as np
import pytest

from scratchdl.keras import metrics
from tests.keras.oracle import to_numpy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize(
    ("y_true_shape", "y_pred_shape", "expected"),
    [
        ((None,), (None, 10), metrics.SparseCategoricalAccuracy),
        ((None, 1), (None, 10), metrics.SparseCategoricalAccuracy),
        ((None, 10), (None, 10), metrics.CategoricalAccuracy),
        ((None,), (None, 1), metrics.BinaryAccuracy),
        ((None, 1), (None, 1), metrics.BinaryAccuracy),
    ],
)
def test_accuracy_is_chosen_from_the_shapes(y_true_shape, y_pred_shape, expected):
    for name in ("accuracy", "acc"):
        metric = metrics.get(name, y_true_shape, y_pred_shape)
        assert type(metric) is expected and metric.name == name


def test_accuracies_count_right_predictions():
    scores = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [0.4, 0.1, 0.5]])
    labels = np.array([1, 1, 2, 1])
    assert metrics.SparseCategoricalAccuracy().batch_mean(scores, labels) == 0.5
    assert metrics.CategoricalAccuracy().batch_mean(scores, np.eye(3)[labels]) == 0.5
    assert metrics.SparseTopKCategoricalAccuracy(k=2).batch_mean(scores, labels) == 0.75
    probabilities = np.array([[0.2], [0.6], [0.51], [0.4]])
    assert metrics.BinaryAccuracy().batch_mean(probabilities, np.array([0, 1, 0, 0])) == 0.75


METRIC_CASES = [
    ("sparse_categorical_accuracy", "labels", "probabilities"),
    ("categorical_accuracy", "onehot", "probabilities"),
    ("binary_accuracy", "binary", "sigmoid"),
    ("top_k_categorical_accuracy", "onehot", "probabilities"),
    ("mse", "values", "predictions"),
    ("mae", "values", "predictions"),
    ("mape", "values", "predictions"),
    ("root_mean_squared_error", "values", "predictions"),
    ("categorical_crossentropy", "onehot", "probabilities"),
    ("sparse_categorical_crossentropy", "labels", "probabilities"),
    ("binary_crossentropy", "binary", "sigmoid"),
    ("kl_divergence", "onehot", "probabilities"),
]


@pytest.mark.parametrize(("name", "target_key", "prediction_key"), METRIC_CASES)
def test_metric_matches_keras_over_two_batches(real_keras, rng, name, target_key, prediction_key):
    logits = rng.standard_normal((12, 6)).astype(np.float32)
    e = np.exp(logits)
    labels = rng.integers(0, 6, 12)
    data = {
        "labels": labels,
        "onehot": np.eye(6, dtype=np.float32)[labels],
        "probabilities": e / e.sum(1, keepdims=True),
        "binary": (rng.random((12, 1)) > 0.5).astype(np.float32),
        "sigmoid": 1 / (1 + np.exp(-logits[:, :1])),
        "values": rng.standard_normal((12, 2)).astype(np.float32),
        "predictions": rng.standard_normal((12, 2)).astype(np.float32),
    }
    t, p = data[target_key], data[prediction_key]
    reference, ours = real_keras.metrics.get(name), metrics.get(name)
    for batch in (slice(0, 5), slice(5, 12)):
        reference.update_state(t[batch], p[batch])
        ours.update_state(t[batch], p[batch])
    assert ours.result() == pytest.approx(float(to_numpy(reference.result())), rel=1e-5)
    assert ours.direction == ("up" if "accuracy" in name else "down")


def test_rmse_is_the_root_of_the_mean_over_all_samples():
    rmse = metrics.RootMeanSquaredError()
    rmse.update_state([0.0, 0.0], [[1.0], [1.0]])
    rmse.update_state([0.0], [[4.0]])
    assert rmse.result() == pytest.approx(np.sqrt((1 + 1 + 16) / 3))
    assert rmse.result_of(4.0) == 2.0


def test_unknown_metric_lists_the_names():
    with pytest.raises(ValueError, match=r"unknown metric 'f1'.*'accuracy'"):
        metrics.get("f1")


def test_a_function_is_a_metric_named_after_it():
    def within_one(y_true, y_pred):
        return (abs(y_true - y_pred[:, 0]) <= 1).astype(np.float32)

    metric = metrics.get(within_one)
    assert metric.name == "within_one"
    assert metric.batch_mean(np.array([[0.5], [3.0]]), np.array([1.0, 1.0])) == 0.5
