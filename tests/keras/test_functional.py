"""keras.Model: the functional API (Input tensors, layers called on them, merge layers,
graphs of several inputs and shared layers) and model subclassing, against Keras 3."""

from __future__ import annotations

import numpy as np
import pytest

from scratchdl import keras
from scratchdl.keras import layers
from tests.keras.oracle import copy_weights, to_numpy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def mnist_model(k):
    """keras-io's functional-API example network."""
    inputs = k.Input(shape=(784,))
    x = k.layers.Dense(64, activation="relu")(inputs)
    x = k.layers.Dense(64, activation="relu")(x)
    outputs = k.layers.Dense(10)(x)
    return k.Model(inputs=inputs, outputs=outputs, name="mnist_model")


def two_input_model(k):
    """Two Inputs, a Dense shared by both branches, and every merge layer."""
    a, b = k.Input(shape=(4,), name="a"), k.Input(shape=(3,), name="b")
    shared = k.layers.Dense(5, activation="tanh")
    xa, xb = shared(k.layers.Dense(3)(a)), shared(b)
    merged = [
        k.layers.concatenate([xa, xb]),
        k.layers.Add()([xa, xb]),
        k.layers.subtract([xa, xb]),
        k.layers.Multiply()([xa, xb]),
        k.layers.average([xa, xb, xa]),
        k.layers.Maximum()([xa, xb]),
        k.layers.minimum([xa, xb]),
    ]
    outputs = k.layers.Dense(3, activation="softmax")(k.layers.Concatenate(axis=-1)(merged))
    return k.Model([a, b], outputs)


def summary_of(model) -> str:
    lines = []
    model.summary(print_fn=lambda text, line_break=False: lines.append(text))
    return "".join(lines).rstrip("\n")


@pytest.fixture
def pair(rng):
    """Inputs for ``two_input_model`` and 3-class labels."""
    return [rng.standard_normal((48, 4)), rng.standard_normal((48, 3))], rng.integers(0, 3, 48)


# ------------------------------------------------------------------ symbols
def test_input_is_a_symbolic_tensor():
    inputs = keras.Input(shape=(28, 28, 1), name="image")
    assert inputs.shape == (None, 28, 28, 1) and inputs.dtype == "float32"
    assert inputs.name == "image" and inputs.ndim == 4
    assert repr(inputs).startswith("<KerasTensor shape=(None, 28, 28, 1), dtype=float32")
    assert keras.Input((3,), batch_size=8).shape == (8, 3)
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2)])
    assert model.built and model.output_shape == (None, 2)


@pytest.mark.parametrize(
    ("shape", "make"),
    [
        ((6, 6, 2), lambda k: k.layers.Conv2D(4, 3, strides=2, padding="same")),
        ((6, 6, 2), lambda k: k.layers.MaxPooling2D()),
        ((6, 6, 2), lambda k: k.layers.GlobalAveragePooling2D()),
        ((6, 6, 2), lambda k: k.layers.BatchNormalization()),
        ((6, 6, 2), lambda k: k.layers.Flatten()),
        ((12,), lambda k: k.layers.Reshape((3, -1))),
        ((5, 7), lambda k: k.layers.Dense(4)),
        ((5,), lambda k: k.layers.Dropout(0.5)),
        ((5,), lambda k: k.Sequential([k.layers.Dense(3), k.layers.Dense(2)])),
    ],
)
def test_a_layer_on_a_keras_tensor_gives_keras_output_shape(real_keras, shape, make):
    ours = make(keras)(keras.Input(shape=shape))
    theirs = make(real_keras)(real_keras.Input(shape=shape))
    assert ours.shape == tuple(theirs.shape)


def test_model_layers_are_in_keras_order(real_keras):
    real_keras.backend.clear_session()
    ours, theirs = two_input_model(keras), two_input_model(real_keras)
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    assert ours.count_params() == theirs.count_params()


# --------------------------------------------------------- the same numbers
def test_outputs_match_keras_after_copying_weights(real_keras, pair):
    (xa, xb), _ = pair
    ours, theirs = two_input_model(keras), two_input_model(real_keras)
    copy_weights(theirs, ours)
    expected = to_numpy(theirs.predict([xa, xb], verbose=0))
    np.testing.assert_allclose(ours.predict([xa, xb], verbose=0), expected, rtol=1e-5, atol=1e-6)
    by_name = ours.predict({"a": xa, "b": xb}, verbose=0)
    np.testing.assert_allclose(by_name, expected, rtol=1e-5, atol=1e-6)
    called = ours([xa.astype(np.float32), xb.astype(np.float32)]).numpy()
    np.testing.assert_allclose(called, expected, rtol=1e-5, atol=1e-6)


def test_every_kind_of_model_is_a_keras_model(real_keras):
    class Subclassed(keras.Model):
        def call(self, inputs):
            return inputs

    for lib in (keras, real_keras):
        sequential = lib.Sequential([lib.Input(shape=(3,)), lib.layers.Dense(2)])
        assert isinstance(sequential, lib.Model) and issubclass(lib.Sequential, lib.Model)
        assert not isinstance(lib.layers.Dense(2), lib.Model)
    assert isinstance(Subclassed(), keras.Model)


def test_shared_layer_has_one_set_of_weights():
    model = two_input_model(keras)
    shared = model.get_layer("dense")
    assert len(shared._inbound_nodes) == 2
    assert len(model.weights) == len({id(w) for w in model.weights}) == 6


def test_multi_input_fit_matches_keras(real_keras, pair):
    x, y = pair
    ours, theirs = two_input_model(keras), two_input_model(real_keras)
    copy_weights(theirs, ours)
    options = {"batch_size": 16, "epochs": 3, "shuffle": False, "verbose": 0}
    for model, k in ((theirs, real_keras), (ours, keras)):
        model.compile(
            k.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"]
        )
    expected = theirs.fit(x, y, validation_split=0.25, **options).history
    history = ours.fit(x, y, validation_split=0.25, **options).history
    for name, values in expected.items():
        np.testing.assert_allclose(history[name], values, rtol=2e-4, atol=1e-5, err_msg=name)
    np.testing.assert_allclose(
        ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0), rtol=1e-4
    )


def test_mnist_subset_fit_matches_keras(real_keras, mnist_dir):
    (x, y), _ = keras.datasets.mnist.load_data()
    x, y = x[:600].reshape(600, 784).astype("float32") / 255, y[:600]
    ours, theirs = mnist_model(keras), mnist_model(real_keras)
    copy_weights(theirs, ours)
    for model, k in ((theirs, real_keras), (ours, keras)):
        model.compile(
            loss=k.losses.SparseCategoricalCrossentropy(from_logits=True),
            optimizer=k.optimizers.RMSprop(),
            metrics=["accuracy"],
        )
    options = {"batch_size": 64, "epochs": 2, "validation_split": 0.2, "shuffle": False}
    expected = theirs.fit(x, y, verbose=0, **options).history
    history = ours.fit(x, y, verbose=0, **options).history
    for name, values in expected.items():
        np.testing.assert_allclose(history[name], values, rtol=1e-3, atol=1e-4, err_msg=name)


# -------------------------------------------------------------- summaries
def test_summary_of_a_chain_matches_keras(real_keras):
    real_keras.backend.clear_session()
    assert summary_of(mnist_model(keras)) == summary_of(mnist_model(real_keras))


def test_summary_with_connected_to_matches_keras(real_keras):
    real_keras.backend.clear_session()
    ours = summary_of(two_input_model(keras))
    assert "┃ Connected to      ┃" in ours and "dense[0][0]," in ours
    assert ours == summary_of(two_input_model(real_keras))


# ------------------------------------------------------------- subclassing
def subclassed(k, rate=0.25):
    class Classifier(k.Model):
        def __init__(self):
            super().__init__()
            self.hidden = k.layers.Dense(8, activation="relu")
            self.dropout = k.layers.Dropout(rate)
            self.blocks = [k.layers.Dense(6, activation="tanh")]
            self.out = k.layers.Dense(3)

        def call(self, inputs, training=None):
            x = self.dropout(self.hidden(inputs), training=training)
            return self.out(self.blocks[0](x))

    return Classifier()


def test_subclassed_model_tracks_layers_and_trains_as_keras(real_keras, pair):
    (x, _), y = pair
    ours, theirs = subclassed(keras, rate=0.0), subclassed(real_keras, rate=0.0)
    assert not ours.built and ours.name == "classifier"
    ours(x[:1]), theirs(x[:1])
    assert [type(layer).__name__ for layer in ours.layers] == ["Dense", "Dropout", "Dense", "Dense"]
    assert len(ours.weights) == len(ours.trainable_weights) == len(theirs.weights) == 6
    copy_weights(theirs, ours)
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), to_numpy(theirs.predict(x, verbose=0)), rtol=1e-5, atol=1e-6
    )
    for model, k in ((theirs, real_keras), (ours, keras)):
        loss = k.losses.SparseCategoricalCrossentropy(from_logits=True)
        model.compile(k.optimizers.SGD(0.1), loss, metrics=["accuracy"])
    options = {"batch_size": 16, "epochs": 3, "shuffle": False, "verbose": 0}
    expected = theirs.fit(x, y, validation_data=(x[:8], y[:8]), **options).history
    history = ours.fit(x, y, validation_data=(x[:8], y[:8]), **options).history
    for name, values in expected.items():
        np.testing.assert_allclose(history[name], values, rtol=2e-4, atol=1e-5, err_msg=name)
    np.testing.assert_allclose(
        ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0), rtol=1e-4
    )


def test_subclassed_summary_after_build(capsys):
    model = subclassed(keras)
    model(np.zeros((2, 4), np.float32))
    model.summary()
    out = capsys.readouterr().out
    assert out.startswith('Model: "classifier"')
    assert "│ dense (Dense)                   │ (None, 8)              │            40 │" in out
    assert " Total params: 115 (460.00 B)" in out


# ------------------------------------------------------------------ saving
def test_save_and_load_round_trip(tmp_path, pair):
    x, y = pair
    model = two_input_model(keras)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "graph.keras")
    loaded = keras.models.load_model(tmp_path / "graph.keras")
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    assert summary_of(loaded) == summary_of(model)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.optimizer.iterations == model.optimizer.iterations
    with pytest.raises(NotImplementedError, match=r"subclassed keras\.Model.*save_weights"):
        subclassed(keras).save(tmp_path / "sub.keras")


def test_a_model_is_a_layer_of_another(tmp_path):
    inner_input = keras.Input((4,))
    inner = keras.Model(inner_input, layers.Dense(3)(inner_input), name="inner")
    x = keras.Input((4,))
    model = keras.Model(x, keras.Sequential([layers.Dense(2)])(inner(x)))
    assert model.predict(np.ones((2, 4)), verbose=0).shape == (2, 2) and len(model.weights) == 4
    assert "│ inner (Functional)              │ (None, 3)" in summary_of(model)
    with pytest.raises(ValueError, match=r'model "inner".*\(None, 4\).*\(None, 5\)'):
        inner(keras.Input((5,)))
    with pytest.raises(NotImplementedError, match='layer "inner"'):
        model.save(tmp_path / "nested.keras")


# ------------------------------------------------------------------ errors
def test_a_layer_on_an_incompatible_shape_names_it_and_both_shapes():
    shared = layers.Dense(2, name="shared")
    shared(keras.Input((4,)))
    with pytest.raises(ValueError, match=r'layer "shared".*value 4.*shape \(None, 5\)'):
        shared(keras.Input((5,)))
    with pytest.raises(ValueError, match=r'"add".*incompatible shapes.*\(None, 4\).*\(None, 3\)'):
        layers.Add(name="add")([keras.Input((4,)), keras.Input((3,))])
    with pytest.raises(ValueError, match=r"Concatenate.*\[\(None, 4\), \(None, 3, 5\)\]"):
        layers.Concatenate()([keras.Input((4,)), keras.Input((3, 5))])
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Subtract()([keras.Input((4,))] * 3)
    with pytest.raises(ValueError, match=r"takes one input tensor"):
        layers.Dense(2)([keras.Input((4,)), keras.Input((4,))])


def test_an_output_not_reachable_from_the_inputs_is_refused():
    a, b = keras.Input((4,)), keras.Input((4,), name="other")
    with pytest.raises(ValueError, match=r'not connected to `inputs`.*Input "other"'):
        keras.Model(a, layers.Dense(2)(b))
    with pytest.raises(ValueError, match=r"must come from keras\.Input"):
        keras.Model(layers.Dense(2)(a), a)
    with pytest.raises(TypeError, match="must be KerasTensors"):
        keras.Model(a, np.zeros(3))


def test_wrong_data_and_several_outputs_are_refused(pair):
    x, y = pair
    model = two_input_model(keras)
    model.compile("adam", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"2 inputs \['a', 'b'\]"):
        model.fit(x[0], y, verbose=0)
    with pytest.raises(ValueError, match=r'input "b" expects arrays of shape \(None, 3\)'):
        model.predict([x[0], x[0]], verbose=0)
    inputs = keras.Input((4,))
    two = keras.Model(inputs, [layers.Dense(1)(inputs), layers.Dense(2)(inputs)])
    assert [o.shape for o in two(np.ones((5, 4)))] == [(5, 1), (5, 2)]
    two.compile("adam", "mse")
    with pytest.raises(NotImplementedError, match="2 outputs"):
        two.fit(x[0], y, verbose=0)
    with pytest.raises(NotImplementedError, match="list or dict of losses"):
        two.compile("adam", ["mse", "mse"], loss_weights=[1.0, 0.5])
