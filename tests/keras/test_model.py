"""Sequential: building from an Input or the first data, the weights, summary() as Keras
prints it, and the errors of a wrong model."""

from __future__ import annotations

import numpy as np
import pytest

from scratchdl import keras
from scratchdl.keras import layers
from scratchdl.keras.summary import readable_size

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def mnist_convnet(k):
    """keras-io's mnist_convnet model, in Keras ``k``'s layers."""
    return k.Sequential(
        [
            k.Input(shape=(28, 28, 1)),
            k.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            k.layers.MaxPooling2D(pool_size=(2, 2)),
            k.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            k.layers.MaxPooling2D(pool_size=(2, 2)),
            k.layers.Flatten(),
            k.layers.Dropout(0.5),
            k.layers.Dense(10, activation="softmax"),
        ]
    )


SMALL_SUMMARY = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                 │ (None, 26, 26, 8)      │            80 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization             │ (None, 26, 26, 8)      │            32 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ global_average_pooling2d        │ (None, 8)              │             0 │
│ (GlobalAveragePooling2D)        │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 1)              │             9 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 121 (484.00 B)
 Trainable params: 105 (420.00 B)
 Non-trainable params: 16 (64.00 B)
"""


def small_model(k):
    return k.Sequential(
        [
            k.Input(shape=(28, 28, 1)),
            k.layers.Conv2D(8, 3),
            k.layers.BatchNormalization(),
            k.layers.GlobalAveragePooling2D(),
            k.layers.Dense(1, activation="sigmoid"),
        ]
    )


def test_summary_is_keras_table(capsys):
    small_model(keras).summary()
    assert capsys.readouterr().out == SMALL_SUMMARY


def test_summary_matches_keras_text(real_keras, capsys):
    """The same text as Keras 3 prints in an 80-column console (the names aside)."""
    lines = []
    real_keras.backend.clear_session()
    small_model(real_keras).summary(print_fn=lambda text, line_break=False: lines.append(text))
    assert "".join(lines).rstrip("\n") == SMALL_SUMMARY.rstrip("\n")


def test_mnist_convnet_has_keras_parameter_counts(real_keras):
    ours, theirs = mnist_convnet(keras), mnist_convnet(real_keras)
    assert ours.count_params() == theirs.count_params() == 34_826
    assert [layer.count_params() for layer in ours.layers] == [
        layer.count_params() for layer in theirs.layers
    ]
    assert [layer.output_shape for layer in ours.layers] == [
        tuple(layer.output.shape) for layer in theirs.layers
    ]
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]


def test_summary_of_the_convnet_counts_34826(capsys):
    mnist_convnet(keras).summary()
    out = capsys.readouterr().out
    assert " Total params: 34,826 (136.04 KB)" in out
    assert "│ dense (Dense)                   │ (None, 10)             │        16,010 │" in out


def test_an_unbuilt_model_shows_question_marks_then_builds_on_data(capsys):
    model = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    model.summary()
    out = capsys.readouterr().out
    assert "│ dense (Dense)                   │ ?                      │   0 (unbuilt) │" in out
    assert model(np.ones((3, 5))).shape == (3, 2)
    assert model.count_params() == 5 * 4 + 4 + 4 * 2 + 2
    assert model.input_shape == (None, 5) and model.output_shape == (None, 2)


def test_add_and_input_shape_on_the_first_layer_build_at_once():
    model = keras.Sequential()
    model.add(layers.Dense(4, input_shape=(3,)))
    model.add(layers.Activation("relu"))
    assert model.built and model.layers[1].output_shape == (None, 4)
    assert [layer.name for layer in model.layers] == ["dense", "activation"]
    assert model.get_layer("activation") is model.layers[1]
    popped = model.pop()
    assert popped.name == "activation" and len(model.layers) == 1


def test_weights_get_and_set_in_keras_order(rng):
    model = small_model(keras)
    shapes = [w.shape for w in model.get_weights()]
    assert shapes == [(3, 3, 1, 8), (8,), (8,), (8,), (8,), (8,), (8, 1), (1,)]
    new = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    model.set_weights(new)
    for mine, given in zip(model.get_weights(), new, strict=True):
        np.testing.assert_array_equal(mine, given)
    with pytest.raises(ValueError, match=r"weight 6 has shape \(8, 1\), got an array of shape"):
        model.set_weights([*new[:6], np.zeros((1, 8)), new[7]])
    np.testing.assert_array_equal(model.get_weights()[0], new[0])  # nothing changed


def test_freezing_a_layer_moves_its_weights_to_non_trainable():
    model = small_model(keras)
    model.layers[0].trainable = False
    assert len(model.trainable_weights) == 4 and len(model.non_trainable_weights) == 4
    assert not model.layers[0].kernel.requires_grad


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (
            lambda: keras.Sequential([layers.Dense(2), keras.Input((3,))]),
            ValueError,
            "an Input must come first",
        ),
        (
            lambda: keras.Sequential([layers.Dense(2, name="d"), layers.Dense(2, name="d")]),
            ValueError,
            "unique names",
        ),
        (lambda: keras.Sequential([lambda x: x]), TypeError, "must be an instance of class Layer"),
        (
            lambda: keras.Sequential([keras.Input((5,)), layers.Conv2D(2, 3)]),
            ValueError,
            'layer "conv2d" is incompatible with the layer: expected ndim=4',
        ),
    ],
)
def test_wrong_models_are_refused(build, error, message):
    with pytest.raises(error, match=message):
        build()


def test_readable_sizes():
    assert readable_size(780) == "780.00 B"
    assert readable_size(34_826 * 4) == "136.04 KB"
    assert readable_size(3 * 1024**2) == "3.00 MB"
