"""model.save / keras.models.load_model: a safe zip of JSON and arrays that round-trips the
architecture, weights, compile settings and optimizer state, and refuses damaged files."""

from __future__ import annotations

import json
import os
import pickle
import zipfile

import numpy as np
import pytest

from scratchdl import keras
from scratchdl.io import CorruptFileError
from scratchdl.keras import layers, regularizers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def trained_model(rng):
    model = keras.Sequential(
        [
            keras.Input((6, 6, 2)),
            layers.Conv2D(
                3, 3, padding="same", activation="relu", kernel_regularizer=regularizers.l2(1e-3)
            ),
            layers.BatchNormalization(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dropout(0.25),
            layers.Dense(4, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy", keras.metrics.SparseTopKCategoricalAccuracy(k=2)],
    )
    x = rng.standard_normal((16, 6, 6, 2)).astype(np.float32)
    y = rng.integers(0, 4, 16)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    return model, x, y


def test_save_and_load_round_trip(rng, tmp_path):
    model, x, y = trained_model(rng)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    for mine, saved in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, saved)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.evaluate(x, y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0))
    assert loaded.optimizer.iterations == model.optimizer.iterations == 4
    assert loaded.optimizer.learning_rate == 0.01
    np.testing.assert_array_equal(
        loaded.optimizer.state[0]["velocity"], model.optimizer.state[0]["velocity"]
    )
    assert loaded.layers[0].kernel_regularizer.l2 == pytest.approx(1e-3)
    # training goes on from the same state: one more epoch gives the same weights
    keras.utils.set_random_seed(1)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    keras.utils.set_random_seed(1)
    loaded.fit(x, y, epochs=1, batch_size=8, verbose=0)
    for mine, theirs in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-6)


def test_the_file_is_json_and_arrays_without_pickles(rng, tmp_path):
    model, _, _ = trained_model(rng)
    model.save(tmp_path / "model.keras")
    with zipfile.ZipFile(tmp_path / "model.keras") as archive:
        names = archive.namelist()
        config = json.loads(archive.read("config.json"))
    assert "metadata.json" in names and "weights/0/kernel.npy" in names
    assert [entry["class_name"] for entry in config["config"]["layers"]][:2] == [
        "InputLayer",
        "Conv2D",
    ]
    assert config["compile_config"]["loss"]["class_name"] == "SparseCategoricalCrossentropy"


def test_weights_alone_round_trip(rng, tmp_path):
    model, x, _ = trained_model(rng)
    model.save_weights(tmp_path / "model.weights.h5")
    twin, _, _ = trained_model(np.random.default_rng(5))
    twin.load_weights(tmp_path / "model.weights.h5")
    np.testing.assert_array_equal(twin.predict(x, verbose=0), model.predict(x, verbose=0))


def test_load_model_compile_false_gives_an_uncompiled_model(rng, tmp_path):
    model, _, _ = trained_model(rng)
    model.save(tmp_path / "model.keras")
    assert keras.models.load_model(tmp_path / "model.keras", compile=False).optimizer is None


UNKNOWN_LAYER = json.dumps(
    {
        "class_name": "Sequential",
        "config": {"name": "m", "layers": [{"class_name": "Lambda", "config": {}}]},
    }
).encode()


def rewrite(path, member, content):
    """Copy the zip at ``path`` with ``member`` replaced by ``content``."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members[member] = content
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[:200]),
        lambda path: path.write_bytes(b"not a zip file at all"),
        lambda path: rewrite(path, "config.json", b"{not json"),
        lambda path: rewrite(path, "config.json", UNKNOWN_LAYER),
        lambda path: rewrite(path, "weights/0/kernel.npy", pickle.dumps(np.zeros(3))),
        lambda path: rewrite(path, "weights/0/kernel.npy", _npy(np.zeros((2, 2)))),
        lambda path: rewrite(path, "weights/0/kernel.npy", _npy(np.array([None], dtype=object))),
    ],
    ids=["truncated", "not-a-zip", "bad-json", "unknown-layer", "pickle", "wrong-shape", "objects"],
)
def test_a_damaged_file_is_refused(rng, tmp_path, damage):
    model, _, _ = trained_model(rng)
    path = tmp_path / "model.keras"
    model.save(path)
    damage(path)
    with pytest.raises(CorruptFileError, match=str(path)):
        keras.models.load_model(path)


def _npy(array) -> bytes:
    import io

    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=True)
    return buffer.getvalue()


class Tripwire:
    """An object whose unpickling creates the folder ``path``."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.mkdir, (str(self.path),))


def test_loading_unpickles_nothing(rng, tmp_path):
    model, _, _ = trained_model(rng)
    path = tmp_path / "model.keras"
    model.save(path)
    marker = tmp_path / "unpickled"
    rewrite(path, "weights/0/kernel.npy", _npy(np.array([Tripwire(marker)], dtype=object)))
    with pytest.raises(CorruptFileError):
        keras.models.load_model(path)
    assert not marker.exists()


def test_save_wants_the_keras_suffix_and_respects_overwrite(rng, tmp_path):
    model, _, _ = trained_model(rng)
    with pytest.raises(ValueError, match=r"add either a `\.keras` extension"):
        model.save(tmp_path / "model.pkl")
    model.save(tmp_path / "legacy.h5")  # Keras's legacy name, scratchdl's safe zip
    assert keras.models.load_model(tmp_path / "legacy.h5").count_params() == model.count_params()
    model.save(tmp_path / "model.keras")
    with pytest.raises(FileExistsError):
        model.save(tmp_path / "model.keras", overwrite=False)
    with pytest.raises(FileNotFoundError):
        keras.models.load_model(tmp_path / "missing.keras")


def test_a_model_with_a_loss_function_of_its_own_saves_uncompiled(rng, tmp_path):
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss=lambda t, p: (t - p) ** 2)
    with pytest.warns(UserWarning, match="saved uncompiled"):
        model.save(tmp_path / "model.keras")
    assert keras.models.load_model(tmp_path / "model.keras").optimizer is None
