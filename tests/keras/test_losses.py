"""Keras's losses by name and as objects: values against their formulas and against Keras,
gradients, and the logits forms that fit uses after a softmax or sigmoid layer."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
from scratchdl.autograd import gradcheck
from scratchdl.keras import losses
from tests.keras.oracle import to_numpy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
EPS = 1e-7


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.fixture
def data(rng):
    """Targets and predictions for every kind of loss: 5 samples, 4 classes."""
    logits = rng.standard_normal((5, 4)).astype(np.float32) * 2
    labels = np.array([0, 3, 1, 1, 2])
    return {
        "logits": logits,
        "probabilities": softmax(logits),
        "labels": labels,
        "onehot": np.eye(4, dtype=np.float32)[labels],
        "binary": (rng.random((5, 1)) > 0.5).astype(np.float32),
        "sigmoid": (1 / (1 + np.exp(-logits[:, :1]))).astype(np.float32),
        "values": rng.standard_normal((5, 1)).astype(np.float32),
        "positive": rng.random((5, 3)).astype(np.float32) + 0.1,
        "positive_too": rng.random((5, 3)).astype(np.float32) + 0.1,
        "probabilities_too": softmax(rng.standard_normal((5, 4)).astype(np.float32)),
    }


def hinge_margin(t, p):
    return np.maximum(1 - (2 * t - 1) * p, 0)


FORMULAS = {
    "categorical_crossentropy": (
        "onehot",
        "probabilities",
        lambda t, p: -(t * np.log(p)).sum(-1).mean(),
    ),
    "sparse_categorical_crossentropy": (
        "labels",
        "probabilities",
        lambda t, p: -np.log(p[np.arange(len(t)), t]).mean(),
    ),
    "binary_crossentropy": (
        "binary",
        "sigmoid",
        lambda t, p: -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(),
    ),
    "mse": ("values", "positive", lambda t, p: ((t - p) ** 2).mean()),
    "mean_squared_error": ("values", "positive", lambda t, p: ((t - p) ** 2).mean()),
    "mae": ("values", "positive", lambda t, p: np.abs(t - p).mean()),
    "mape": ("values", "positive", lambda t, p: 100 * np.abs((t - p) / np.abs(t)).mean()),
    "msle": ("positive", "positive_too", lambda t, p: ((np.log1p(p) - np.log1p(t)) ** 2).mean()),
    "huber": (
        "values",
        "positive",
        lambda t, p: np.where(np.abs(p - t) <= 1, 0.5 * (p - t) ** 2, np.abs(p - t) - 0.5).mean(),
    ),
    "log_cosh": ("values", "positive", lambda t, p: np.log(np.cosh(p - t)).mean()),
    "hinge": ("binary", "values", lambda t, p: hinge_margin(t, p).mean()),
    "squared_hinge": ("binary", "values", lambda t, p: (hinge_margin(t, p) ** 2).mean()),
    "kl_divergence": (
        "probabilities",
        "probabilities_too",
        lambda t, p: (t * np.log(t / p)).sum(-1).mean(),
    ),
    "poisson": ("positive", "positive", lambda t, p: (p - t * np.log(p + EPS)).mean()),
}


@pytest.mark.parametrize("name", FORMULAS)
def test_loss_value_is_its_formula(data, name):
    target_key, prediction_key, formula = FORMULAS[name]
    t, p = data[target_key], data[prediction_key]
    expected = formula(t if t.ndim > 1 or name.startswith("sparse") else t[:, None], p)
    value = losses.get(name)(t, p)
    assert value.shape == ()
    assert float(value.item()) == pytest.approx(float(expected), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("name", FORMULAS)
def test_loss_matches_keras(real_keras, data, name):
    target_key, prediction_key, _ = FORMULAS[name]
    t, p = data[target_key], data[prediction_key]
    expected = to_numpy(real_keras.losses.get(name)(t, p)).mean()  # Keras's per-sample function
    assert float(losses.get(name)(t, p).item()) == pytest.approx(
        float(expected), rel=1e-5, abs=1e-6
    )


OBJECT_CASES = [
    ("CategoricalCrossentropy", "onehot", "probabilities", {"label_smoothing": 0.2}),
    ("CategoricalCrossentropy", "onehot", "logits", {"label_smoothing": 0.2, "from_logits": True}),
    ("BinaryCrossentropy", "binary", "sigmoid", {"label_smoothing": 0.1}),
    ("BinaryCrossentropy", "binary", "values", {"label_smoothing": 0.1, "from_logits": True}),
    ("SparseCategoricalCrossentropy", "labels", "logits", {"from_logits": True}),
    ("Huber", "values", "positive", {"delta": 0.3}),
]


@pytest.mark.parametrize(("cls", "target_key", "prediction_key", "options"), OBJECT_CASES)
def test_loss_objects_with_options_match_keras(
    real_keras, data, cls, target_key, prediction_key, options
):
    t, p = data[target_key], data[prediction_key]
    expected = to_numpy(getattr(real_keras.losses, cls)(**options)(t, p))
    ours = getattr(losses, cls)(**options)(t, p)
    assert float(ours.item()) == pytest.approx(float(expected), rel=1e-5)


def test_from_logits_equals_the_probability_form_and_is_stable(data):
    loss = losses.SparseCategoricalCrossentropy()
    from_logits = losses.SparseCategoricalCrossentropy(from_logits=True)
    value = from_logits(data["labels"], data["logits"]).item()
    assert value == pytest.approx(loss(data["labels"], data["probabilities"]).item(), rel=1e-5)
    confident_and_wrong = np.array([[60.0, -60.0]], dtype=np.float32)
    assert from_logits([1], confident_and_wrong).item() == pytest.approx(120.0)
    assert loss([1], softmax(confident_and_wrong)).item() == pytest.approx(-np.log(EPS), rel=1e-3)
    binary = losses.BinaryCrossentropy(from_logits=True)
    assert binary([[0.0]], [[80.0]]).item() == pytest.approx(80.0)
    certain_and_wrong = losses.BinaryCrossentropy()([[0.0]], [[1.0]]).item()
    clipped = np.float32(1 - EPS)  # Keras clips p to [ε, 1 − ε], in float32
    assert certain_and_wrong == pytest.approx(-np.log(1 - clipped), rel=1e-5)


@pytest.mark.parametrize(
    ("name", "target_key", "prediction_key"),
    [
        ("categorical_crossentropy", "onehot", "probabilities"),
        ("sparse_categorical_crossentropy", "labels", "probabilities"),
        ("binary_crossentropy", "binary", "sigmoid"),
        ("huber", "values", "positive"),
        ("msle", "positive", "positive"),
    ],
)
def test_loss_gradients_match_central_differences(data, name, target_key, prediction_key):
    loss = losses.get(name)
    p = sd.tensor(data[prediction_key].astype(np.float64), requires_grad=True)
    assert gradcheck(lambda p: loss(data[target_key], p), [p])


def test_reductions_and_sample_weight(data):
    t, p = data["values"], data["positive"][:, :1]
    per_sample = losses.MeanSquaredError(reduction="none")(t, p).numpy()
    np.testing.assert_allclose(per_sample, ((t - p) ** 2)[:, 0], rtol=1e-6)
    total = losses.MeanSquaredError(reduction="sum")(t, p).item()
    assert total == pytest.approx(per_sample.sum(), rel=1e-6)
    weights = np.array([1.0, 0, 0, 0, 2.0])
    weighted = losses.MeanSquaredError()(t, p, sample_weight=weights).item()
    assert weighted == pytest.approx((per_sample * weights).sum() / 5, rel=1e-6)


def test_targets_one_axis_short_get_that_axis(data):
    """y of shape (N,) against a Dense(1) output (N, 1): the per-sample difference, not a
    broadcast (N, N) table."""
    t, p = data["values"][:, 0], data["positive"][:, :1]
    assert losses.get("mse")(t, p).item() == pytest.approx(((t - p[:, 0]) ** 2).mean(), rel=1e-6)


def test_get_accepts_names_classes_functions_and_objects():
    assert isinstance(losses.get("CategoricalCrossentropy"), losses.CategoricalCrossentropy)
    assert isinstance(losses.get("bce"), losses.BinaryCrossentropy)
    assert isinstance(losses.get(losses.mean_absolute_error), losses.MeanAbsoluteError)
    hinge = losses.Hinge()
    assert losses.get(hinge) is hinge
    custom = losses.get(lambda t, p: (p - t) ** 2)
    assert custom([[1.0]], [[3.0]]).item() == 4.0
    with pytest.raises(
        ValueError, match=r"unknown loss 'cross_entropy'.*sparse_categorical_crossentropy"
    ):
        losses.get("cross_entropy")


def test_categorical_crossentropy_names_the_fix_for_class_indices(data):
    with pytest.raises(
        ValueError, match=r"sparse_categorical_crossentropy, or keras\.utils\.to_categorical"
    ):
        losses.get("categorical_crossentropy")(data["labels"], data["probabilities"])


def test_with_logits_leaves_the_original_alone():
    loss = losses.CategoricalCrossentropy(label_smoothing=0.1)
    twin = loss.with_logits()
    assert (
        twin.from_logits and twin.options["from_logits"] and twin.options["label_smoothing"] == 0.1
    )
    assert not loss.from_logits and not loss.options["from_logits"]
