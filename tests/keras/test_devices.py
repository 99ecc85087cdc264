"""A Keras model on a device (the strict stand-in for a GPU), fed host arrays as a Keras
program feeds them: every host array is copied onto the weights' device, every result the
user gets back is NumPy. The model is made on the default device and moved, so these run
(and check the moves) in the plain CPU run of the suite too."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import keras
from scratchdl.keras import layers, metrics, regularizers

STRICT = sd.device("strict")


def _model_on_strict() -> keras.Sequential:
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(3, activation="relu", kernel_regularizer=regularizers.l1_l2(0.01, 0.01)),
            layers.BatchNormalization(),
            layers.Dense(2, activation="softmax"),
        ]
    )
    model.to(STRICT)
    return model


@pytest.fixture
def data(rng):
    x = rng.normal(size=(12, 4)).astype(np.float32)
    return x, np.arange(12) % 2


def test_calling_a_moved_model_on_host_data_computes_on_its_device(data):
    model = _model_on_strict()
    assert model(data[0]).device == STRICT


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "rmsprop", "adagrad", "nadam"])
def test_fit_evaluate_predict_take_host_arrays_and_give_numpy(data, optimizer):
    x, y = data
    model = _model_on_strict()
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["acc"])
    history = model.fit(x, y, epochs=2, batch_size=3, validation_split=0.25, verbose=0)
    assert np.isfinite(history.history["val_loss"]).all()
    assert all(weight.device == STRICT for weight in model.weights)
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert np.isfinite(loss) and 0 <= accuracy <= 1
    assert type(model.predict(x, verbose=0)) is np.ndarray


def test_set_weights_copies_host_arrays_onto_the_device(rng):
    model = _model_on_strict()
    values = [rng.normal(size=w.shape).astype(np.float32) for w in model.weights]
    model.set_weights(values)
    for weight, value in zip(model.weights, values, strict=True):
        assert weight.device == STRICT
        np.testing.assert_array_equal(weight.numpy(), value)


def test_optimizer_state_goes_to_the_host_and_back(data):
    model = _model_on_strict()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(*data, epochs=1, verbose=0)
    saved = model.optimizer.state_arrays()
    assert all(type(array) is np.ndarray for array in saved.values())
    model.optimizer.load_state_arrays({name: array * 0 for name, array in saved.items()})
    assert all(
        sd.backend.device_of(array) == STRICT and not array.any()
        for entries in model.optimizer.state
        for array in entries.values()
    )


def test_normalization_adapts_on_the_device(rng):
    data = rng.normal(3.0, 2.0, size=(50, 3))
    layer = layers.Normalization()
    layer.build_for((None, 3))
    layer.to(STRICT)
    layer.adapt(data)
    assert layer.mean.device == STRICT
    np.testing.assert_allclose(layer.mean.numpy(), data.mean(axis=0), rtol=1e-6)


def test_save_and_load_a_model_that_lives_on_the_device(data, tmp_path):
    x, y = data
    model = _model_on_strict()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras")
    loaded.to(STRICT)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_a_metric_takes_device_predictions_and_host_targets(rng):
    metric = metrics.SparseCategoricalAccuracy()
    predictions = sd.as_tensor(np.eye(3, dtype=np.float32), device=STRICT)
    metric.update_state(np.array([0, 1, 0]), predictions)
    assert metric.result() == pytest.approx(2 / 3)
