"""compile / fit / evaluate / predict: the same numbers as Keras 3 from the same weights,
what they print for each verbose setting, and the softmax that is never applied twice."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from scratchdl import keras
from scratchdl.keras import layers
from scratchdl.keras import progbar as progbar_module
from tests.keras.oracle import copy_weights

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def blobs(rng):
    """64 samples of 4 features in 3 classes (class indices)."""
    x = rng.standard_normal((64, 4)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64) + (x[:, 2] > 1)
    return x, y


def classifier(k, output_activation="softmax"):
    return k.Sequential(
        [
            k.Input((4,)),
            k.layers.Dense(8, activation="relu"),
            k.layers.Dense(3, activation=output_activation),
        ]
    )


# ----------------------------------------------------------------- the numbers
@pytest.mark.parametrize(
    ("optimizer", "loss", "targets"),
    [
        ("sgd", "sparse_categorical_crossentropy", "labels"),
        ("adam", "categorical_crossentropy", "onehot"),
        ("rmsprop", "sparse_categorical_crossentropy", "labels"),
    ],
)
def test_fit_matches_keras_from_the_same_weights(real_keras, blobs, optimizer, loss, targets):
    x, y = blobs
    y = y if targets == "labels" else np.eye(3, dtype=np.float32)[y]
    theirs, ours = classifier(real_keras), classifier(keras)
    copy_weights(theirs, ours)
    options = {
        "batch_size": 16,
        "epochs": 3,
        "shuffle": False,
        "verbose": 0,
        "validation_data": (x[:10], y[:10]),
    }
    for model, k in ((theirs, real_keras), (ours, keras)):
        model.compile(optimizer=k.optimizers.get(optimizer), loss=loss, metrics=["accuracy"])
    expected = theirs.fit(x, y, **options).history
    history = ours.fit(x, y, **options).history
    assert list(history) == list(expected) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    for name, values in expected.items():
        np.testing.assert_allclose(history[name], values, rtol=2e-4, atol=1e-5, err_msg=name)
    for mine, reference in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(mine, reference, rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(
        ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0), rtol=2e-4
    )
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-4, atol=1e-6
    )


def test_regression_with_mse_and_mae_matches_keras(real_keras, rng):
    x = rng.standard_normal((40, 3)).astype(np.float32)
    y = x @ np.array([1.0, -2.0, 0.5]) + 0.3  # (N,) targets for a (N, 1) output

    def regressor(k):
        model = k.Sequential(
            [k.Input((3,)), k.layers.Dense(5, activation="tanh"), k.layers.Dense(1)]
        )
        model.compile(optimizer=k.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
        return model

    theirs, ours = regressor(real_keras), regressor(keras)
    copy_weights(theirs, ours)
    expected = theirs.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    history = ours.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    for name in ("loss", "mae"):
        np.testing.assert_allclose(history[name], expected[name], rtol=1e-4)


def test_validation_split_takes_the_last_samples_before_shuffling(blobs):
    x, y = blobs
    model = classifier(keras)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=1, validation_split=0.3, verbose=0)
    expected = model.evaluate(x[44:], y[44:], verbose=0, return_dict=True)  # ⌊64 · 0.7⌋ = 44
    assert history.history["val_loss"] == [pytest.approx(expected["loss"], rel=1e-6)]
    assert history.history["val_accuracy"] == [pytest.approx(expected["accuracy"])]
    assert history.epoch == [0] and model.history is history


def test_evaluate_returns_a_float_a_list_or_a_dict(blobs):
    x, y = blobs
    model = classifier(keras)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert isinstance(model.evaluate(x, y, verbose=0), float)
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy", "sparse_top_k_categorical_accuracy"],
    )
    loss, accuracy, top_5 = model.evaluate(x, y, verbose=0)
    assert top_5 == 1.0 and 0 <= accuracy <= 1 and loss > 0
    assert list(model.evaluate(x, y, verbose=0, return_dict=True)) == [
        "accuracy",
        "loss",
        "sparse_top_k_categorical_accuracy",
    ]
    assert model.metrics_names == ["loss", "accuracy", "sparse_top_k_categorical_accuracy"]


def test_predict_gives_probabilities_and_leaves_the_model_in_inference(blobs):
    x, _ = blobs
    model = keras.Sequential(
        [keras.Input((4,)), layers.Dropout(0.5), layers.Dense(3, activation="softmax")]
    )
    probabilities = model.predict(x, verbose=0)
    assert isinstance(probabilities, np.ndarray) and probabilities.shape == (64, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(model.predict(x, verbose=0), probabilities)  # no dropout


def test_fit_needs_compile_and_rejects_what_it_does_not_support(blobs):
    x, y = blobs
    model = classifier(keras)
    with pytest.raises(RuntimeError, match=r"You must call `compile\(\)`"):
        model.fit(x, y)
    model.compile(loss="sparse_categorical_crossentropy")
    assert isinstance(model.optimizer, keras.optimizers.RMSprop)  # Keras's default
    with pytest.raises(NotImplementedError, match="sample_weight"):
        model.fit(x, y, sample_weight=np.ones(64))
    with pytest.raises(ValueError, match=r"same number of samples.*\(64, 4\).*\(63,\)"):
        model.fit(x, y[:-1])
    empty = keras.Sequential()
    empty.compile(loss="mse")
    with pytest.raises(ValueError, match="has no layers"):
        empty.fit(x, y)


# ------------------------------------------------------------ softmax only once
def test_softmax_output_with_a_crossentropy_trains_on_logits(blobs):
    """The loss fit minimises is the crossentropy of the softmax layer's logits: equal to
    the probability form (where no clipping happens) and finite where that form clips."""
    x, y = blobs
    model = classifier(keras)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    loss = model.evaluate(x, y, verbose=0)
    probabilities = model.predict(x, verbose=0)
    assert loss == pytest.approx(-np.log(probabilities[np.arange(64), y]).mean(), rel=1e-5)


def test_the_double_softmax_trap_is_defused(blobs):
    """A softmax layer followed by a loss told the outputs are logits would apply softmax
    twice; fit warns and trains on the layer's logits instead, so it learns as well as the
    right program does."""
    x, y = blobs
    histories = {}
    for from_logits in (False, True):
        keras.utils.set_random_seed(0)
        model = classifier(keras)
        model.compile(
            optimizer=keras.optimizers.Adam(0.05),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits),
            metrics=["accuracy"],
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            histories[from_logits] = model.fit(x, y, epochs=5, batch_size=16, verbose=0).history
        messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
        assert bool(messages) == from_logits
    assert "applies softmax: its outputs are not logits" in messages[0]
    assert histories[True]["loss"] == pytest.approx(histories[False]["loss"], rel=1e-5)


def test_a_crossentropy_after_a_linear_output_warns(blobs):
    x, y = blobs
    model = classifier(keras, output_activation=None)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.warns(UserWarning, match='has no softmax activation. Add activation="softmax"'):
        model.fit(x, y, verbose=0)


# --------------------------------------------------------------- what fit prints
def fitted_output(capsys, blobs, verbose, epochs=2, dynamic=None, monkeypatch=None):
    x, y = blobs
    if dynamic is not None:
        monkeypatch.setattr(progbar_module, "is_terminal", lambda stream: dynamic)
    model = classifier(keras)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=16, epochs=epochs, validation_split=0.25, verbose=verbose)
    return capsys.readouterr().out


VALUES = r" - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}"
STEP_TIME = r"\d+(us|ms|s)/step"


def test_verbose_1_off_a_terminal_prints_one_line_per_epoch(capsys, blobs):
    out = fitted_output(capsys, blobs, verbose=1)
    lines = out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    assert re.fullmatch(rf"3/3 {'━' * 20} \d+s {STEP_TIME}{VALUES}", lines[1]), lines[1]
    assert "\r" not in out and "\x1b" not in out


def test_verbose_auto_is_1(capsys, blobs):
    out = fitted_output(capsys, blobs, verbose="auto", epochs=1)
    assert re.fullmatch(rf"3/3 {'━' * 20} \d+s {STEP_TIME}{VALUES}\n", out)  # no "Epoch 1/1"


def test_verbose_1_on_a_terminal_redraws_the_bar_in_keras_colours(capsys, blobs, monkeypatch):
    monkeypatch.setattr(progbar_module, "REDRAW_INTERVAL", 0.0)
    out = fitted_output(capsys, blobs, verbose=1, dynamic=True, monkeypatch=monkeypatch)
    epoch_one = out.split("Epoch 2/2\n")[0].removeprefix("Epoch 1/2\n")
    drawn = epoch_one.split("\r")[1:]
    assert len(drawn) == 4  # after each of the 3 steps, then the finished line
    assert drawn[0].startswith(
        "\x1b[1m1/3\x1b[0m \x1b[32m" + "━" * 6 + "\x1b[0m\x1b[37m" + "━" * 14
    )
    assert " - accuracy: " in drawn[0] and "val_loss" not in drawn[0]
    plain = re.sub(r"\x1b\[\d+m", "", drawn[-1])
    assert re.fullmatch(rf"3/3 {'━' * 20} \d+s {STEP_TIME}{VALUES} *\n", plain), plain


def test_verbose_2_prints_keras_short_line(capsys, blobs):
    lines = fitted_output(capsys, blobs, verbose=2).splitlines()
    assert lines[0] == "Epoch 1/2" and len(lines) == 4
    assert re.fullmatch(rf"3/3 - \d+s - {STEP_TIME}{VALUES}", lines[1]), lines[1]


def test_verbose_0_prints_nothing(capsys, blobs):
    assert fitted_output(capsys, blobs, verbose=0) == ""


def test_evaluate_and_predict_print_their_finished_line(capsys, blobs):
    x, y = blobs
    model = classifier(keras)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.evaluate(x, y)
    model.predict(x, batch_size=10)
    evaluate_line, predict_line = capsys.readouterr().out.splitlines()
    values = r" - accuracy: \d\.\d{4} - loss: \d\.\d{4}"
    assert re.fullmatch(rf"2/2 {'━' * 20} \d+s {STEP_TIME}{values}", evaluate_line)
    assert re.fullmatch(rf"7/7 {'━' * 20} \d+s {STEP_TIME}", predict_line)


def test_value_formats_follow_keras():
    assert progbar_module.format_values({"loss": 0.123456}) == " - loss: 0.1235"
    assert progbar_module.format_values({"loss": 0.0001234}) == " - loss: 1.2340e-04"
    assert progbar_module.format_values({"loss": -0.5}) == " - loss: -0.5000"
    assert progbar_module.format_values({"loss": -0.5}, short=True) == " - loss: -5.0000e-01"
    assert progbar_module.format_step_time(0.0061) == "6ms/step"
    assert progbar_module.format_step_time(2.4) == "2s/step"
    assert progbar_module.format_step_time(0.000_35) == "350us/step"
    assert progbar_module.format_eta(3725.9) == "1:02:05"
    assert progbar_module.format_eta(187.9) == "3:07"
